"""To do: office staff see their office's open work, overdue first; inspectors see look-backs due,
nearest first (``views.lookback``)."""

from inspector.domain.lifecycle import AT_OFFICE
from inspector.domain.roles import LOOK_BACK_ROLES, OFFICE_ROLES
from inspector.store.queries import ItemFilter
from inspector.ui.views.lists import ItemSection, SectionsView
from inspector.ui.views.lookback import LookBackSection


class TodoView(SectionsView):
    title_key = "ui.title.todo"
    nothing_key = "ui.todo.nothing_for_role"

    def __init__(self, app):
        actor = app.ws.actor
        sections: list[ItemSection | LookBackSection] = []
        if actor.role in OFFICE_ROLES:
            office = actor.office
            sections = [
                ItemSection(self, "ui.todo.overdue",
                            lambda: ItemFilter(office=office, overdue=True, sort="deadline")),
                ItemSection(self, "ui.todo.assigned",
                            lambda: ItemFilter(office=office, status="assigned", overdue=False, sort="deadline")),
                ItemSection(self, "ui.todo.rectifying",
                            lambda: ItemFilter(office=office, status="rectifying", overdue=False, sort="deadline")),
                # A: what another office leads and this one supports (配合), each card marked so
                ItemSection(self, "ui.todo.supporting",
                            lambda: ItemFilter(supported_by=office, statuses=tuple(AT_OFFICE), sort="deadline")),
            ]
        elif actor.role in LOOK_BACK_ROLES:
            sections = [LookBackSection(self)]
        super().__init__(app, sections)
