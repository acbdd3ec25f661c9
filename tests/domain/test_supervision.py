"""督办: which steps fall due when, once each, what ends them, and that only the server makes them."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from inspector.domain.decision import Known, decide, next_moves
from inspector.domain.events import Event, frozen_payload
from inspector.domain.items import apply
from inspector.domain.lifecycle import STEP_KINDS, Kind
from inspector.domain.permissions import Actor, may
from inspector.domain.roles import PEOPLE, Role, person_role_of
from inspector.domain.supervision import (
    Policy,
    days_overdue,
    due_steps,
    event_id,
    payload_of,
    supervision_list,
    system_actor,
)
from inspector.errors import Forbidden

ZONE = ZoneInfo("Asia/Shanghai")  # no summer time
T0 = datetime(2026, 7, 27, 2, 0, tzinfo=timezone.utc)  # 10:00 on 27 July, local
PHOTO, AFTER = "a" * 64, "b" * 64
POLICY = Policy((2, 0), 3, 7, ZONE)
SYSTEM = system_actor()


def local(*args) -> datetime:
    return datetime(*args, tzinfo=ZONE)


def ev(kind, base_version, n, actor="u1", **payload):
    at = T0 + timedelta(minutes=n)
    return Event(id=f"e{n}", item_id="item-1", kind=kind, actor_id=actor, at=at, base_version=base_version,
                 payload=frozen_payload(payload), server_at=at)


def assigned_item(deadline="2026-07-31"):
    """An item assigned on 27 July with its deadline at the end of 31 July (local): a month's last day."""
    state = apply(None, ev("reported", 0, 0, category="site_sewage", photos=[PHOTO],
                           location={"lat": 30.27, "lon": 120.15}), ZONE)
    return apply(state, ev("assigned", 1, 1, office="construction", leader="陈处长", deadline=deadline), ZONE)


def names(state, now):
    return [step.name for step in due_steps(state, now, POLICY)]


def record(state, now, n=100):
    """What the sweep does: every due step, as the server's events."""
    for i, step in enumerate(due_steps(state, now, POLICY)):
        payload = payload_of(state, step, now, ZONE, top_leader="王书记")
        state = apply(state, ev(step.kind, state.version, n + i, actor=SYSTEM.id, **payload), ZONE)
    return state


@pytest.mark.parametrize(("now", "due"), [
    (local(2026, 7, 28, 23, 59, 59), []),  # three days before the deadline's day
    (local(2026, 7, 29, 0, 0, 0), ["2d"]),  # two days before, from its first instant
    (local(2026, 7, 31, 0, 0, 0), ["due"]),  # the day itself: the 2-day reminder is stale, not sent
    (local(2026, 7, 31, 23, 59, 59), ["due"]),  # the deadline's last second is not late yet
    (local(2026, 8, 1, 0, 0, 0), ["overdue"]),  # across the month's end
    (local(2026, 8, 3, 23, 59, 59), ["overdue"]),  # three days late is not "more than three"
    (local(2026, 8, 4, 0, 0, 0), ["overdue", "supervised"]),
    (local(2026, 8, 7, 23, 59, 59), ["overdue", "supervised"]),
    (local(2026, 8, 8, 0, 0, 0), ["overdue", "supervised", "escalated"]),  # first seen a week late: both steps
])
def test_the_steps_due_at_each_boundary_of_a_deadline_at_a_months_end(now, due):
    assert names(assigned_item(), now) == due


def test_each_step_is_recorded_once_and_the_level_follows():
    state = assigned_item()
    for day, expected, level in [((2026, 7, 29, 9), ["2d"], 0), ((2026, 7, 31, 9), ["due"], 0),
                                 ((2026, 8, 1, 9), ["overdue"], 0), ((2026, 8, 4, 9), ["supervised"], 1),
                                 ((2026, 8, 8, 9), ["escalated"], 2)]:
        now = local(*day)
        assert names(state, now) == expected
        version = state.version
        state = record(state, now, n=day[2] * 10)
        assert names(state, now) == [] and names(state, now + timedelta(hours=12)) == []  # not repeated
        assert (state.supervision, state.version) == (level, version)  # no change of version
    assert state.reminded == ("2d", "due", "overdue", "supervised", "escalated")
    assert state.status == "assigned"


def test_a_fix_takes_the_item_off_the_list_a_rejection_puts_it_back_a_verification_ends_it():
    state = record(assigned_item(), local(2026, 8, 5, 9))
    assert state.supervision == 1
    fixed = apply(state, ev("fix_submitted", state.version, 200, photos=[AFTER]), ZONE)
    assert fixed.supervision == 0 and names(fixed, local(2026, 8, 9)) == []  # not at the office
    back = apply(fixed, ev("rejected", fixed.version, 201, reason="不彻底"), ZONE)
    assert back.supervision == 1  # the same deadline: its steps stand, none repeated
    assert names(back, local(2026, 8, 6)) == [] and names(back, local(2026, 8, 9)) == ["escalated"]
    fixed = apply(back, ev("fix_submitted", back.version, 202, photos=[AFTER]), ZONE)
    verified = apply(fixed, ev("verified", fixed.version, 203), ZONE)
    assert verified.supervision == 0 and names(verified, local(2026, 9, 1)) == []


@pytest.mark.parametrize(("kind", "payload"), [
    ("assigned", {"office": "landscaping", "leader": "李科长", "deadline": "2026-08-12"}),
    ("extension_granted", {"until": "2026-08-12"}),
])
def test_a_new_deadline_ends_the_supervision_and_starts_a_fresh_ladder(kind, payload):
    state = record(assigned_item(), local(2026, 8, 9, 9))
    assert state.supervision == 2
    if kind == "extension_granted":
        state = apply(state, ev("extension_requested", state.version, 300, until="2026-08-12", reason="等苗木"), ZONE)
    after = apply(state, ev(kind, state.version, 301, **payload), ZONE)
    assert (after.supervision, after.reminded) == (0, ())
    assert names(after, local(2026, 8, 9, 10)) == []
    assert names(after, local(2026, 8, 10, 0)) == ["2d"]  # the new deadline's own reminders
    assert names(after, local(2026, 8, 16, 0)) == ["overdue", "supervised"]


def test_event_ids_name_the_item_the_step_and_the_deadline():
    deadline = local(2026, 7, 31, 23, 59, 59)
    assert event_id("item-1", "due", deadline) == event_id("item-1", "due", deadline.astimezone(timezone.utc))
    assert len({event_id("item-1", "due", deadline), event_id("item-2", "due", deadline),
                event_id("item-1", "overdue", deadline),
                event_id("item-1", "due", deadline + timedelta(days=1)),
                event_id("item-1", "due", deadline, key="the server's secret")}) == 5


def test_payloads_name_the_leader_at_each_level():
    state = assigned_item()
    now = local(2026, 8, 9, 9)
    supervised, escalated = [s for s in due_steps(state, now, POLICY) if s.kind != Kind.REMINDED]
    assert payload_of(state, supervised, now, ZONE, "王书记") == {
        "deadline": "2026-07-31T15:59:59+00:00", "office": "construction", "leader": "陈处长", "days_overdue": 9}
    assert payload_of(state, escalated, now, ZONE, "王书记")["leader"] == "王书记"
    assert "leader" not in payload_of(state, escalated, now, ZONE, None)  # the campaign names nobody
    assert days_overdue(state.deadline, local(2026, 7, 31, 23), ZONE) == 0


def test_calendar_days_hold_in_a_zone_with_summer_time():
    zone = ZoneInfo("America/New_York")
    policy = Policy((2, 0), 3, 7, zone)
    state = apply(None, ev("reported", 0, 0, category="site_sewage", photos=[PHOTO],
                           location={"lat": 30.27, "lon": 120.15}), zone)
    state = apply(state, ev("assigned", 1, 1, office="construction", leader="陈处长", deadline="2026-11-01"), zone)
    # summer time ends on 1 November: three calendar days later is still the end of a local day
    assert [s.name for s in due_steps(state, datetime(2026, 11, 4, 23, 59, 59, tzinfo=zone), policy)] == ["overdue"]
    assert [s.name for s in due_steps(state, datetime(2026, 11, 5, 0, 0, 0, tzinfo=zone), policy)] == [
        "overdue", "supervised"]


def test_nothing_is_due_without_the_office_holding_a_deadline():
    state = apply(None, ev("reported", 0, 0, category="site_sewage", photos=[PHOTO],
                           location={"lat": 30.27, "lon": 120.15}), ZONE)
    assert due_steps(state, local(2027, 1, 1), POLICY) == []


def test_policy_is_checked_and_parsed():
    assert Policy.parse("0, 2,2", 3, 7).remind_before_days == (2, 0)
    assert Policy.parse("", 3, 7).remind_before_days == ()
    for bad in [("x", 3, 7), ("2,0", 7, 7), ("100", 3, 7)]:
        with pytest.raises(ValueError):
            Policy.parse(*bad)


def test_only_the_server_makes_these_kinds_and_no_screen_offers_them():
    state = assigned_item()
    assert STEP_KINDS == {Kind.REMINDED, Kind.SUPERVISED, Kind.ESCALATED}
    for role in PEOPLE:
        actor = Actor(id="p", role=role, office="construction")
        for kind in STEP_KINDS:
            assert not may(actor, kind, state)
        assert not set(next_moves(actor, state)) & STEP_KINDS
    step = due_steps(state, local(2026, 8, 4, 9), POLICY)[-1]
    payload = payload_of(state, step, local(2026, 8, 4, 9), ZONE, None)
    admin = Actor(id="u1", role=Role.ADMIN)
    with pytest.raises(Forbidden):
        decide(admin, state, ev(step.kind, state.version, 50, **payload), Known(), ZONE)
    assert decide(SYSTEM, state, ev(step.kind, state.version, 50, actor=SYSTEM.id, **payload), Known(),
                  ZONE).supervision == 1
    assert not may(SYSTEM, "assigned", state)  # and the server makes nothing else
    with pytest.raises(ValueError):
        person_role_of("system")


def test_the_supervision_list_orders_by_level_then_lateness():
    first = record(assigned_item(), local(2026, 8, 9))
    second = record(assigned_item("2026-08-01"), local(2026, 8, 6))
    rows = supervision_list([second, first, assigned_item()], local(2026, 8, 9), ZONE, {"construction": "王书记"})
    assert [(r.level, r.leader, r.days_overdue) for r in rows] == [(2, "王书记", 9), (1, "陈处长", 8)]
