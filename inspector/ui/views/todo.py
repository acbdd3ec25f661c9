"""To do: office staff see their office's open work, overdue first; inspectors see look-backs due,
nearest first (``views.lookback``)."""

import flet as ft

from inspector.domain.catalog import OFFICE_ROLES
from inspector.domain.permissions import LOOK_BACK_ROLES
from inspector.i18n import t
from inspector.store.queries import ItemFilter
from inspector.ui.views.base import View
from inspector.ui.views.lists import ItemSection
from inspector.ui.views.lookback import LookBackSection
from inspector.ui.widgets import empty_state


class TodoView(View):
    def __init__(self, app):
        super().__init__(app)
        actor = app.ws.actor
        self.sections: list[ItemSection | LookBackSection] = []
        if actor.role in OFFICE_ROLES:
            office = actor.office
            self.sections = [
                ItemSection(self, "ui.todo.overdue",
                            lambda: ItemFilter(office=office, overdue=True, sort="deadline")),
                ItemSection(self, "ui.todo.assigned",
                            lambda: ItemFilter(office=office, status="assigned", overdue=False, sort="deadline")),
                ItemSection(self, "ui.todo.rectifying",
                            lambda: ItemFilter(office=office, status="rectifying", overdue=False, sort="deadline")),
            ]
        elif actor.role in LOOK_BACK_ROLES:
            self.sections = [LookBackSection(self)]
        self.render()

    def title(self) -> str:
        return t("ui.title.todo", self.lang)

    async def shown(self) -> None:
        await self.reload()

    async def reload(self, e=None) -> None:
        for section in self.sections:
            section.reset()
            await section.load_more()
        self.render()
        for section in self.sections:
            await section.load_thumbs()

    def build(self) -> ft.Control:
        if not self.sections:
            return empty_state(t("ui.todo.nothing_for_role", self.lang))
        controls: list[ft.Control] = []
        for section in self.sections:
            controls += section.build()
        return ft.ListView(controls, expand=True, spacing=10, padding=16)
