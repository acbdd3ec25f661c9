"""督办 sweep: each due step recorded once as the server's event, also under concurrent sweeps; notices; the list."""

import threading
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from inspector.domain.roles import Role
from inspector.domain.supervision import SYSTEM_USER_ID
from inspector.services import campaigns, events, notifications, supervision
from inspector.services.context import bootstrap
from inspector.store import queries
from inspector.store import users as user_store
from inspector.store.engine import read_session
from tests.factories import event, person, reported, stored_photo

ZONE = ZoneInfo("Asia/Shanghai")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=ZONE)


@pytest.fixture
def world(ctx):
    """Two construction items due at the end of 31 July (local; a month's last day), one landscaping item due
    on 10 August, one reported and never assigned; the people involved."""
    boss = person(ctx, "dudao", Role.SUPERVISOR)
    admin = person(ctx, "admin", Role.ADMIN)
    photo = stored_photo(ctx, boss)
    ids = []
    for office, deadline in (("construction", "2026-07-31"), ("construction", "2026-07-31"),
                             ("landscaping", "2026-08-10")):
        first = reported(photo=photo)
        events.record_one(ctx, boss, first)
        events.record_one(ctx, boss, event(first.item_id, "assigned", 1, office=office, leader="陈处长",
                                           deadline=deadline))
        ids.append(first.item_id)
    events.record_one(ctx, boss, reported(photo=photo))
    campaigns.update_campaign(ctx, admin, {"top_leaders": {"construction": "王局长"}})
    staff = person(ctx, "jianzhu", Role.OFFICE_STAFF, "construction")
    chief = person(ctx, "jianzhu-lead", Role.OFFICE_LEADER, "construction")
    return {"boss": boss, "staff": staff, "chief": chief, "ids": ids}


def log_of(ctx, item_id):
    with read_session(ctx.engine) as session:
        return queries.events_of(session, item_id), queries.item(session, item_id)


def steps_of(ctx, item_id):
    found, _ = log_of(ctx, item_id)
    return [e.payload.get("step", e.kind) for e in found if e.actor_id == SYSTEM_USER_ID]


def test_each_due_step_becomes_one_event_by_the_server_and_a_second_sweep_adds_nothing(ctx, world):
    first, _, late = world["ids"]
    result = supervision.sweep(ctx, local(2026, 7, 29, 8))
    assert result.steps == {"2d": 2} and result.items == 2 and result.refused == ()
    assert supervision.sweep(ctx, local(2026, 7, 29, 20)).recorded == 0  # the same day: nothing new
    found, item = log_of(ctx, first)
    step = found[-1]
    assert (step.kind, step.actor_id, dict(step.payload)) == (
        "reminded", SYSTEM_USER_ID, {"step": "2d", "deadline": "2026-07-31T15:59:59+00:00"})
    assert step.server_at == local(2026, 7, 29, 8)  # the sweep's instant, not the wall clock
    assert (item.version, item.status, item.reminded) == (2, "assigned", ("2d",))  # no version moved

    assert supervision.sweep(ctx, local(2026, 8, 4, 0, 0, 1)).steps == {"overdue": 2, "supervised": 2}
    assert supervision.sweep(ctx, local(2026, 8, 12)).steps == {"escalated": 2, "overdue": 1}
    assert steps_of(ctx, first) == ["2d", "overdue", "supervised", "escalated"]  # "due" was missed: not sent late
    assert steps_of(ctx, late) == ["overdue"]
    _, item = log_of(ctx, first)
    assert item.supervision == 2
    found, _ = log_of(ctx, first)
    supervised, escalated = found[-2], found[-1]
    assert (supervised.payload["leader"], supervised.payload["days_overdue"]) == ("陈处长", 4)
    assert (escalated.payload["leader"], escalated.payload["days_overdue"]) == ("王局长", 12)


def test_the_system_account_is_there_but_is_nobody_people_see(ctx, world):
    supervision.sweep(ctx, local(2026, 7, 29, 8))
    with read_session(ctx.engine) as session:
        assert user_store.display_names(session, [SYSTEM_USER_ID]) == {SYSTEM_USER_ID: "系统 System"}
        assert SYSTEM_USER_ID not in {p.id for p in user_store.people(session, include_disabled=True)}
        assert user_store.person(session, SYSTEM_USER_ID).disabled


@pytest.mark.parametrize("sweepers", [2, 4])
def test_concurrent_sweeps_record_each_step_once(ctx, world, sweepers):
    """Several servers' sweeps at the same moment (one engine each, as separate processes would have)."""
    contexts = [bootstrap(ctx.settings, clock=ctx.clock, migrate=False) for _ in range(sweepers)]
    start = threading.Barrier(sweepers)
    results, errors = [], []

    def run(context):
        start.wait()
        try:
            results.append(supervision.sweep(context, local(2026, 8, 9, 9)))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(c,)) for c in contexts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for context in contexts:
        context.engine.dispose()
    assert errors == []
    assert sum(r.recorded for r in results) == 7  # 2 x (overdue, supervised, escalated), and one "2d"
    first, second, late = world["ids"]
    assert steps_of(ctx, first) == steps_of(ctx, second) == ["overdue", "supervised", "escalated"]
    assert steps_of(ctx, late) == ["2d"]


def test_the_office_and_its_leader_are_told_at_each_level_and_the_supervisor_sees_the_list(ctx, clock, world):
    staff, chief, boss = world["staff"], world["chief"], world["boss"]
    clock.current = local(2026, 8, 5, 9).astimezone(timezone.utc)
    supervision.sweep(ctx)
    for who in (staff, chief):
        kinds = [n.kind for n in notifications.notice_board(ctx, who).notices]
        assert kinds[:2] == ["supervision", "supervision"], kinds
    board = supervision.supervision_board(ctx, boss)
    assert [(r.item.office, r.level, r.leader, r.days_overdue) for r in board.rows] == [
        ("construction", 1, "陈处长", 5)] * 2
    assert board.counts == {"construction": (2, 0)}
    assert supervision.supervision_board(ctx, person(ctx, "yuanlin", Role.OFFICE_STAFF, "landscaping")).rows == []

    clock.current = local(2026, 8, 9, 9).astimezone(timezone.utc)
    supervision.sweep(ctx)
    assert [n.kind for n in notifications.notice_board(ctx, chief).notices][:2] == ["supervision_escalated"] * 2
    board = supervision.supervision_board(ctx, boss)
    assert [(r.level, r.leader) for r in board.rows] == [(2, "王局长")] * 2 and board.counts == {"construction": (0, 2)}


def test_a_fix_takes_the_item_off_the_list_and_a_new_deadline_starts_again(ctx, clock, world):
    boss, staff = world["boss"], world["staff"]
    first, second, _ = world["ids"]
    supervision.sweep(ctx, local(2026, 8, 5, 9))
    clock.current = local(2026, 8, 5, 10).astimezone(timezone.utc)
    photo = stored_photo(ctx, staff, seed=3)
    events.record_one(ctx, staff, event(first, "fix_submitted", 2, photos=[photo]))
    events.record_one(ctx, boss, event(second, "assigned", 2, office="construction", leader="李科长",
                                       deadline="2026-08-20"))
    assert supervision.supervision_board(ctx, boss).rows == []
    _, item = log_of(ctx, second)
    assert (item.reminded, item.supervision) == ((), 0)
    assert supervision.sweep(ctx, local(2026, 8, 6, 9)).recorded == 0  # nothing due on either now
    supervision.sweep(ctx, local(2026, 8, 18, 9))
    assert steps_of(ctx, second) == ["overdue", "supervised", "2d"]  # the new deadline's ladder
    assert steps_of(ctx, first) == ["overdue", "supervised"]  # with the supervisor: nothing more


def test_a_sweep_from_a_stale_read_finds_its_steps_by_id_and_records_none_again(ctx, world, monkeypatch):
    """Were a second server to decide from what it read before the first one wrote, the steps' ids
    (item, step, deadline) would still make each a duplicate, never a second event."""
    from inspector.store import supervision as store  # lazy: patched for this test only

    with read_session(ctx.engine) as session:
        stale = store.due_candidates(session, local(2026, 8, 20))
    first = supervision.sweep(ctx, local(2026, 8, 9, 9))
    monkeypatch.setattr(store, "due_candidates", lambda session, horizon: stale)
    again = supervision.sweep(ctx, local(2026, 8, 9, 9))
    assert (first.recorded, again.recorded, again.duplicates, again.refused) == (7, 0, 7, ())
    a, b, c = world["ids"]
    assert steps_of(ctx, a) == steps_of(ctx, b) == ["overdue", "supervised", "escalated"]
