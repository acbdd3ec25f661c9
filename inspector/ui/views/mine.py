"""Mine: the items I reported, newest first, paged with "more"; tap opens one."""

from inspector.store.queries import ItemFilter
from inspector.ui.views.lists import ItemSection, SectionsView


class MineView(SectionsView):
    title_key = "ui.title.mine"

    def __init__(self, app):
        me = app.ws.actor.id
        super().__init__(app, [ItemSection(self, "ui.mine.title",
                                           lambda: ItemFilter(reported_by=me, sort="-reported_at"))])

    @property
    def section(self) -> ItemSection:
        return self.sections[0]
