"""Mine: the items I reported, newest first, paged with "more"; tap opens one."""

import flet as ft

from inspector.i18n import t
from inspector.store.queries import ItemFilter
from inspector.ui.views.base import View
from inspector.ui.views.lists import ItemSection


class MineView(View):
    def __init__(self, app):
        super().__init__(app)
        me = app.ws.actor.id
        self.section = ItemSection(self, "ui.mine.title", lambda: ItemFilter(reported_by=me, sort="-reported_at"))
        self.render()

    def title(self) -> str:
        return t("ui.title.mine", self.lang)

    async def shown(self) -> None:
        await self.reload()

    async def reload(self, e=None) -> None:
        self.section.reset()
        await self.section.load_more()
        self.render()
        await self.section.load_thumbs()

    def build(self) -> ft.Control:
        return ft.ListView(self.section.build(), expand=True, spacing=10, padding=16)
