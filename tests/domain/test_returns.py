"""Returns (退回/申辩), their answers (reassign, insist) and lead/supporting offices: each rule of
``inspector.domain.lifecycle``'s docstring, and the return rates of ``inspector.domain.returns``."""

from datetime import date, datetime, timedelta, timezone

import pytest

from inspector.domain.decision import Known, decide, next_moves
from inspector.domain.events import Event, default_deadline, frozen_payload, parse_deadline
from inspector.domain.items import apply
from inspector.domain.lifecycle import Kind, PhotoRole, photo_role
from inspector.domain.permissions import Actor, can_see, may
from inspector.domain.returns import return_rates
from inspector.domain.roles import Role
from inspector.domain.scoring import month_period
from inspector.domain.events import DEFAULT_ZONE
from inspector.errors import Forbidden, InvalidPayload, InvalidTransition, ItemNotFound, PayloadTooLong

T0 = datetime(2026, 7, 15, 1, 0, tzinfo=timezone.utc)
PHOTO, RETURN_PHOTO = "a" * 64, "c" * 64
SUPERVISOR = Actor(id="sup", role=Role.SUPERVISOR)
BUILDER = Actor(id="jz", role=Role.OFFICE_STAFF, office="construction")
BUILD_LEAD = Actor(id="jzl", role=Role.OFFICE_LEADER, office="construction")
GARDENER = Actor(id="yl", role=Role.OFFICE_STAFF, office="landscaping")
ESTATE = Actor(id="fc", role=Role.OFFICE_STAFF, office="real_estate")
INSPECTOR = Actor(id="xc", role=Role.INSPECTOR)
KNOWN = Known(photos={PHOTO: "xc", RETURN_PHOTO: "jz"})


class Log:
    """One item's events decided one after another, the clock driven by hours after ``T0``."""

    def __init__(self, item_id: str = "item-1", category: str = "site_sewage"):
        self.item_id, self.n, self.events = item_id, 0, []
        self.state = None
        self.record(INSPECTOR, "reported", category=category, photos=[PHOTO],
                    location={"lat": 30.27, "lon": 120.15, "accuracy_m": 8, "source": "gps"})

    def event(self, actor: Actor, kind: str, hours: float | None = None, **payload) -> Event:
        self.n += 1
        at = T0 + timedelta(hours=self.n if hours is None else hours)
        return Event(id=f"{self.item_id}-{self.n}", item_id=self.item_id, kind=kind, actor_id=actor.id, at=at,
                     base_version=self.state.version if self.state else 0, payload=frozen_payload(payload),
                     server_at=at, seq=self.n)

    def record(self, actor: Actor, kind: str, hours: float | None = None, **payload):
        event = self.event(actor, kind, hours, **payload)
        self.state = decide(actor, self.state, event, KNOWN)
        self.events.append(event)
        return self.state


def assigned(log: Log, office: str = "construction", deadline: str = "2026-07-18", **extra) -> Log:
    log.record(SUPERVISOR, "assigned", office=office, leader="陈处长", deadline=deadline, **extra)
    return log


def returned(log: Log, actor: Actor = BUILDER, **extra) -> Log:
    payload = {"reason_code": "not_our_area", "reason": "这段路归园林处管"} | extra
    log.record(actor, "returned", **payload)
    return log


# --- returning -----------------------------------------------------------------------------------
def test_the_lead_office_returns_with_a_reason_and_the_return_waits():
    log = returned(assigned(Log()), suggested_office="landscaping", photos=[RETURN_PHOTO])
    s = log.state
    assert s.return_pending and s.return_code == "not_our_area" and s.return_office == "landscaping"
    assert s.return_reason == "这段路归园林处管" and s.return_count == 1
    assert photo_role("returned") == PhotoRole.RETURN


def test_the_office_leader_may_return_too_and_after_acknowledging():
    log = assigned(Log())
    log.record(BUILDER, "acknowledged")
    assert returned(log, BUILD_LEAD).state.return_pending and log.state.status == "rectifying"


def test_a_return_does_not_stop_the_clock():
    log = assigned(Log())
    before = log.state
    after = returned(log).state
    assert (after.status, after.deadline, after.assigned_at) == (before.status, before.deadline, before.assigned_at)
    late = before.deadline + timedelta(days=3)
    assert after.overdue(late) and after.days_left(late) == before.days_left(late)


@pytest.mark.parametrize("actor", [GARDENER, INSPECTOR, SUPERVISOR])
def test_only_the_lead_office_returns(actor):
    log = assigned(Log())
    with pytest.raises((Forbidden, ItemNotFound)):
        returned(log, actor)


def test_one_return_at_a_time():
    log = returned(assigned(Log()))
    with pytest.raises(InvalidTransition):
        returned(log)
    assert Kind.RETURNED not in next_moves(BUILDER, log.state)


@pytest.mark.parametrize("status_steps", [(), ("fix",)])
def test_a_return_only_while_the_office_holds_the_item(status_steps):
    log = Log()
    if status_steps:
        assigned(log)
        log.record(BUILDER, "fix_submitted", photos=[RETURN_PHOTO])
    with pytest.raises((InvalidTransition, ItemNotFound)):
        returned(log)


@pytest.mark.parametrize("payload, error", [
    ({"reason_code": "too_busy", "reason": "x"}, InvalidPayload),
    ({"reason_code": "not_a_problem"}, InvalidPayload),
    ({"reason_code": "not_a_problem", "reason": "   "}, InvalidPayload),
    ({"reason_code": "not_a_problem", "reason": "x" * 2001}, PayloadTooLong),
    ({"reason_code": "not_a_problem", "reason": "x", "suggested_office": "police"}, InvalidPayload),
    ({"reason_code": "not_a_problem", "reason": "x", "photos": []}, InvalidPayload),
])
def test_a_return_needs_a_known_reason_code_and_bounded_words(payload, error):
    log = assigned(Log())
    with pytest.raises(error):
        log.record(BUILDER, "returned", **payload)


def test_a_fix_submitted_while_a_return_waits_withdraws_it():
    log = returned(assigned(Log()))
    assert not log.record(BUILDER, "fix_submitted", photos=[RETURN_PHOTO]).return_pending


def test_a_dismissal_answers_a_return_of_a_non_problem():
    log = returned(assigned(Log()), reason_code="not_a_problem")
    s = log.record(SUPERVISOR, "dismissed", reason="不属实")
    assert s.status == "dismissed" and not s.return_pending


# --- answering: reassign ---------------------------------------------------------------------------
def test_reassigning_needs_a_pending_return_and_a_decider():
    log = assigned(Log())
    with pytest.raises(InvalidTransition):
        log.record(SUPERVISOR, "reassigned", office="landscaping")
    returned(log)
    with pytest.raises((Forbidden, ItemNotFound)):
        log.record(BUILD_LEAD, "reassigned", office="landscaping")
    assert {Kind.REASSIGNED, Kind.RETURN_INSISTED} <= set(next_moves(SUPERVISOR, log.state))


def test_while_a_return_waits_a_plain_assignment_is_refused():
    log = returned(assigned(Log()))
    with pytest.raises(InvalidTransition):
        assigned(log, "landscaping")
    assert Kind.ASSIGNED not in next_moves(SUPERVISOR, log.state)


def test_a_reassignment_without_a_deadline_restarts_from_the_categorys_default_at_its_time():
    log = returned(assigned(Log(category="loose_soil"), "landscaping"), GARDENER)
    at_hours = 40
    s = log.record(SUPERVISOR, "reassigned", hours=at_hours, office="construction")
    when = T0 + timedelta(hours=at_hours)
    assert s.deadline == default_deadline("loose_soil", when, DEFAULT_ZONE)
    # 40 h after T0 is 07-17 01:00 in Shanghai (07-16 in UTC): 5 days after the local day of the event
    assert s.deadline.astimezone(DEFAULT_ZONE).date() == date(2026, 7, 22)
    assert (s.status, s.office, s.assigned_at, s.leader) == ("assigned", "construction", when, None)
    assert not s.return_pending and s.return_count == 1


def test_a_reassignment_with_a_deadline_and_leader_takes_them():
    log = returned(assigned(Log()))
    s = log.record(SUPERVISOR, "reassigned", office="landscaping", deadline="2026-07-30", leader="王处长")
    assert s.deadline == parse_deadline("2026-07-30") and s.leader == "王处长" and s.office == "landscaping"


def test_a_reassignment_to_the_same_office_keeps_its_leader_and_may_add_supporting_offices():
    log = returned(assigned(Log(), deadline="2026-07-25"), reason_code="needs_another_office")
    s = log.record(SUPERVISOR, "reassigned", office="construction", supporting_offices=["landscaping", "construction",
                                                                                       "landscaping"])
    assert s.office == "construction" and s.leader == "陈处长" and s.supporting_offices == ("landscaping",)
    assert s.status == "assigned" and s.deadline == default_deadline("site_sewage", log.events[-1].when)


def test_a_reassignment_moves_the_item_to_the_new_office_only():
    log = returned(assigned(Log()))
    s = log.record(SUPERVISOR, "reassigned", office="landscaping")
    assert can_see(GARDENER, s) and not can_see(BUILDER, s)
    assert may(GARDENER, "acknowledged", s) and not may(BUILDER, "acknowledged", s)


# --- answering: insist ----------------------------------------------------------------------------
def test_an_insisted_return_keeps_the_first_deadline_and_needs_a_reason():
    log = assigned(Log())
    first = log.state.deadline
    returned(log)
    with pytest.raises(InvalidPayload):
        log.record(SUPERVISOR, "return_insisted")
    s = log.record(SUPERVISOR, "return_insisted", reason="属于你处职责")
    assert (s.deadline, s.office, s.status, s.last_reason) == (first, "construction", "assigned", "属于你处职责")
    assert not s.return_pending
    assert returned(log).state.return_count == 2  # may return again, one at a time


def test_insisting_needs_a_pending_return():
    log = assigned(Log())
    with pytest.raises(InvalidTransition):
        log.record(SUPERVISOR, "return_insisted", reason="x")


# --- lead and supporting offices ------------------------------------------------------------------
def test_supporting_offices_see_comment_but_do_not_act_for_the_lead():
    s = assigned(Log(), supporting_offices=["landscaping"]).state
    assert s.supporting_offices == ("landscaping",) and s.office == "construction"
    assert can_see(GARDENER, s) and not can_see(ESTATE, s)
    assert may(GARDENER, "commented", s)
    for kind in ("acknowledged", "fix_submitted", "extension_requested", "returned"):
        assert not may(GARDENER, kind, s), kind
        assert may(BUILDER, kind, s), kind


def test_an_assignment_without_supporting_offices_keeps_them_and_an_empty_list_clears_them():
    log = assigned(Log(), supporting_offices=["landscaping", "real_estate"])
    assert assigned(log).state.supporting_offices == ("landscaping", "real_estate")
    assert assigned(log, supporting_offices=[]).state.supporting_offices == ()


def test_supporting_offices_are_known_codes_and_bounded():
    log = Log()
    with pytest.raises(InvalidPayload):
        assigned(log, supporting_offices=["police"])
    with pytest.raises(PayloadTooLong):
        assigned(log, supporting_offices=["landscaping"] * 5)


# --- return rates ---------------------------------------------------------------------------------
def test_return_rates_count_the_months_assignments_and_which_of_them_came_back():
    july = month_period("2026-07", DEFAULT_ZONE)
    a = returned(assigned(Log("a")))  # construction, returned
    a.record(SUPERVISOR, "reassigned", office="landscaping")  # landscaping, kept
    b = assigned(Log("b", category="road_mud"))  # construction, kept
    c = assigned(Log("c"), "construction", hours=24 * 40)  # August: not July's
    returned(c)
    categories = {"a": "site_sewage", "b": "road_mud", "c": "site_sewage"}
    by_office, by_category = return_rates([*a.events, *b.events, *c.events], categories, july)
    assert (by_office["construction"].assigned, by_office["construction"].returned) == (2, 1)
    assert by_office["construction"].rate == 0.5
    assert (by_office["landscaping"].assigned, by_office["landscaping"].returned) == (1, 0)
    assert (by_category["site_sewage"].assigned, by_category["site_sewage"].returned) == (2, 1)
    assert by_category["road_mud"].rate == 0.0 and "real_estate" not in by_office


def test_a_return_counts_against_the_assignment_it_answers_even_in_the_next_month():
    july = month_period("2026-07", DEFAULT_ZONE)
    log = assigned(Log(), hours=24 * 15)  # 2026-07-30
    returned(log, hours=24 * 20)  # 2026-08-04
    by_office, _ = return_rates(log.events, {"item-1": "site_sewage"}, july)
    assert by_office["construction"].returned == 1
    assert month_period("2026-08", DEFAULT_ZONE).holds(log.events[-1].when)
