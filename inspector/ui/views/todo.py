"""To do: office staff see their office's open work, overdue first; inspectors see look-backs due,
nearest first (``views.lookback``); everyone who makes visits has "开始检查" on top (``views.visit``),
then "待检查", the visits due for them, nearest first (``views.todo_due``)."""

from inspector.domain.lifecycle import AT_OFFICE
from inspector.domain.roles import LOOK_BACK_ROLES, OFFICE_ROLES
from inspector.domain.visit_drafts import visit_check_types
from inspector.services import schedules
from inspector.store.queries import ItemFilter
from inspector.ui.views.lists import ItemSection, SectionsView
from inspector.ui.views.lookback import LookBackSection
from inspector.ui.views.todo_due import DueSection
from inspector.ui.views.visit import StartVisitSection


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
        if schedules.scope(actor) is not None:  # the visits due, above the items (``views.todo_due``)
            sections.insert(0, DueSection(self))
        if visit_check_types(actor.role):  # "开始检查" first: a visit of a site (``views.visit``)
            sections.insert(0, StartVisitSection(self))
        super().__init__(app, sections)
