"""Notices: computed from the items that could raise one, for each role."""

import pytest

from inspector.domain.roles import Role
from inspector.services import events, notifications
from inspector.services.workspace import ServerWorkspace
from tests.factories import event, person, reported, stored_photo


@pytest.fixture
def assigned(ctx):
    """Two items assigned to construction (deadline 2026-07-20), one to landscaping; the people involved."""
    boss = person(ctx, "dudao", Role.SUPERVISOR)
    photo = stored_photo(ctx, boss)
    for office in ("construction", "construction", "landscaping"):
        first = reported(photo=photo)
        events.record_one(ctx, boss, first)
        events.record_one(ctx, boss, event(first.item_id, "assigned", 1, office=office, leader="陈处长",
                                           deadline="2026-07-20"))
    staff = person(ctx, "jianzhu", Role.OFFICE_STAFF, "construction")
    inspector = person(ctx, "xuncha", Role.INSPECTOR)
    return boss, staff, inspector


def test_an_office_is_told_of_its_own_assignments_only(ctx, assigned):
    _, staff, inspector = assigned
    board = notifications.notice_board(ctx, staff)
    assert [n.kind for n in board.notices] == ["assigned_to_office"] * 2 and board.total == 2
    assert {s.office for s in board.items.values()} == {"construction"}
    assert notifications.notice_board(ctx, inspector).total == 0
    shown = notifications.notice_board(ctx, staff, limit=1)
    assert len(shown.notices) == 1 and shown.total == 2 and set(shown.items) == {shown.notices[0].item_id}


def test_past_the_deadline_the_supervisor_and_the_office_are_told_it_is_overdue(ctx, clock, assigned):
    boss, staff, _ = assigned
    assert notifications.notice_board(ctx, boss).total == 0
    clock.advance(days=7)
    assert [n.kind for n in notifications.notice_board(ctx, boss).notices] == ["overdue"] * 3
    assert {n.kind for n in notifications.notice_board(ctx, staff).notices} == {"overdue", "assigned_to_office"}
    worded = ServerWorkspace(ctx, staff).notices()
    assert {n.category for n in worded} == {"site_sewage"}
