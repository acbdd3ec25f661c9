"""Oversight rules: look-back and rebound through the state machine, sampling, blinding, notices,
office records. Pure: no IO, no clock."""

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.domain.events import Event, frozen_payload
from inspector.domain.items import apply
from inspector.domain.lifecycle import validate_payload
from inspector.domain.oversight import (
    Notice,
    blinded,
    draw_sample,
    is_blind,
    notices,
    office_record,
    shown_to_blind,
    whole_days,
)
from inspector.domain.permissions import Actor, Scope
from inspector.errors import InvalidPayload, InvalidTransition

T0 = datetime(2026, 7, 15, 1, 0, tzinfo=timezone.utc)
BEFORE, AFTER = "a" * 64, "b" * 64


def ev(item, kind, base_version, hours=0, actor="u1", **payload):
    return Event(id=f"{item}-{kind}-{base_version}-{hours}", item_id=item, kind=kind, actor_id=actor,
                 at=T0 + timedelta(hours=hours), base_version=base_version, payload=frozen_payload(payload),
                 server_at=T0 + timedelta(hours=hours))


def reported(item="i1", category="site_sewage", office=None, actor="reporter", number="2026-0715-001"):
    payload = {"category": category, "location": {"lat": 30.27, "lon": 120.15}, "photos": [BEFORE]}
    if office:
        payload["office"] = office
    event = replace(ev(item, "reported", 0, actor=actor, **payload), number=number)
    return apply(None, event)


def step(state, kind, hours, actor="u1", **payload):
    return apply(state, ev(state.id, kind, state.version, hours, actor, **payload))


ASSIGN = {"office": "construction", "leader": "陈处长", "deadline": "2026-07-18"}
REBOUND = {"photos": [AFTER], "leader": "周局长", "deadline": "2026-08-01"}


def verified(category="site_sewage", **verify):
    state = step(reported(category=category), "assigned", 1, **ASSIGN)
    state = step(state, "fix_submitted", 2, photos=[AFTER])
    return step(state, "verified", 3, **verify)


# --- look-back and rebound rules ------------------------------------------------------------------
def test_verified_sets_the_look_back_from_the_events_days():
    state = verified(look_back_days=5)
    assert state.look_back_due == T0 + timedelta(hours=3, days=5)


@pytest.mark.parametrize("category,days", [("site_sewage", 14), ("mosquito_breeding", 7), ("missing_trees", 30)])
def test_verified_without_days_takes_the_catalogues(category, days):
    assert verified(category=category).look_back_due == T0 + timedelta(hours=3, days=days)


@pytest.mark.parametrize("days", [0, 366, "7", True, 2.5])
def test_look_back_days_must_be_whole_days_from_1_to_365(days):
    with pytest.raises(InvalidPayload):
        validate_payload("verified", {"look_back_days": days})


def test_look_back_passed_closes_and_clears_the_due_date():
    state = step(verified(), "look_back_passed", 4, photos=[AFTER])
    assert state.status == "closed" and state.look_back_due is None and state.closed_at == T0 + timedelta(hours=4)


def test_a_rebound_reopens_the_item_flagged_with_a_new_leader_and_deadline():
    state = step(verified(), "rebounded", 4, **REBOUND)
    assert (state.status, state.rebound_count, state.leader) == ("assigned", 1, "周局长")
    assert state.rebounded and not state.escalated
    assert state.look_back_due is None and state.verified_at is None and state.fix_photos == ()


def test_a_second_rebound_escalates_even_after_closing():
    state = step(verified(), "rebounded", 4, **REBOUND)
    state = step(state, "fix_submitted", 5, photos=[AFTER])
    state = step(state, "verified", 6)
    state = step(state, "look_back_passed", 7, photos=[AFTER])
    state = step(state, "rebounded", 8, **{**REBOUND, "leader": "王局长"})
    assert state.rebound_count == 2 and state.escalated and state.leader == "王局长"


def test_a_disagreeing_spot_check_disputes_and_a_reopening_sends_it_back():
    state = step(verified(), "spot_checked", 4, actor="deputy", verdict="disagree", photos=[AFTER])
    assert state.disputed and state.status == "verified" and state.version == 4
    reopened = step(state, "reopened", 5, reason="抽查属实", leader="周局长", deadline="2026-07-25")
    assert (reopened.status, reopened.disputed, reopened.leader, reopened.last_reason) == (
        "assigned", False, "周局长", "抽查属实")
    assert reopened.fix_photos == () and reopened.look_back_due is None


def test_dismissing_a_dispute_keeps_the_verdict_and_needs_a_dispute():
    state = step(verified(), "spot_checked", 4, actor="deputy", verdict="disagree", photos=[AFTER])
    kept = step(state, "dispute_dismissed", 5, reason="已复核，整改到位")
    assert (kept.status, kept.disputed, kept.look_back_due) == ("verified", False, state.look_back_due)
    with pytest.raises(InvalidTransition):
        step(kept, "dispute_dismissed", 6, reason="again")


def test_an_agreeing_spot_check_disputes_nothing():
    state = step(verified(), "spot_checked", 4, actor="deputy", verdict="agree", photos=[AFTER])
    assert not state.disputed and state.spot_agree == 1


# --- sampling ----------------------------------------------------------------------------------------
IDS = [f"item-{n:03d}" for n in range(40)]


def test_the_same_seed_and_candidates_give_the_same_sample_whatever_their_order():
    first = draw_sample(IDS, 5, 42)
    assert draw_sample(list(reversed(IDS)), 5, 42) == first
    assert draw_sample(IDS + IDS[:3], 5, 42) == first  # repeats do not change the pool
    assert len(set(first)) == 5 and set(first) <= set(IDS)
    assert draw_sample(IDS, 5, 43) != first  # another seed, (here) another sample


def test_the_sample_is_the_documented_formula():
    import random

    assert draw_sample(IDS, 7, 2**62 + 5) == random.Random(2**62 + 5).sample(sorted(IDS), 7)


def test_every_candidate_can_be_drawn_and_nothing_else():
    seen = set()
    for seed in range(300):
        sample = draw_sample(IDS, 3, seed)
        assert set(sample) <= set(IDS) and len(set(sample)) == len(sample) == 3
        seen.update(sample)
    assert seen == set(IDS)


def test_a_sample_larger_than_the_pool_takes_it_all_and_an_empty_pool_gives_nothing():
    assert sorted(draw_sample(IDS[:4], 10, 1)) == IDS[:4]
    assert draw_sample([], 5, 1) == []
    assert draw_sample(IDS, 0, 1) == []
    with pytest.raises(ValueError):
        draw_sample(IDS, -1, 1)


@settings(max_examples=200, deadline=None)
@given(st.sets(st.text(min_size=1, max_size=8), max_size=30), st.integers(0, 40), st.integers(0, 2**63 - 1))
def test_sampling_properties(ids, size, seed):
    sample = draw_sample(ids, size, seed)
    assert len(sample) == min(size, len(ids)) and len(set(sample)) == len(sample)
    assert set(sample) <= ids
    assert draw_sample(sorted(ids, reverse=True), size, seed) == sample


# --- blind re-inspection ----------------------------------------------------------------------------------
CHECKER = Actor(id="deputy", role="spot_checker", scopes=(Scope(offices=frozenset({"construction"})),))


def test_a_spot_checker_sees_blind_until_they_check_except_their_own_reports():
    item = verified()
    assert is_blind(CHECKER, item, checked_by_actor=False)
    assert not is_blind(CHECKER, item, checked_by_actor=True)
    assert not is_blind(CHECKER, replace(item, reported_by="deputy"), checked_by_actor=False)
    assert not is_blind(Actor(id="s", role="supervisor"), item, checked_by_actor=False)


def test_the_blind_view_keeps_status_and_report_and_drops_the_verdicts_traces():
    item = replace(step(verified(), "spot_checked", 4, actor="other", verdict="disagree", photos=[AFTER]),
                   last_reason="x")
    blind = blinded(item)
    assert (blind.status, blind.photos, blind.location, blind.category) == (
        item.status, item.photos, item.location, item.category)
    assert blind.fix_photos == () and blind.leader is None and blind.last_reason is None
    assert (blind.disputed, blind.spot_agree, blind.spot_disagree) == (False, 0, 0)


def test_a_blind_viewer_gets_the_report_and_their_own_events_only():
    assert shown_to_blind("reported", "someone", CHECKER)
    assert shown_to_blind("commented", "deputy", CHECKER)
    assert not shown_to_blind("fix_submitted", "staff", CHECKER)
    assert not shown_to_blind("verified", "boss", CHECKER)
    assert not shown_to_blind("spot_checked", "another-deputy", CHECKER)


# --- notices ----------------------------------------------------------------------------------------------
STAFF = Actor(id="staff", role="office_staff", office="construction")
LEADER = Actor(id="leader", role="office_leader", office="construction")
OTHER_STAFF = Actor(id="other", role="office_staff", office="landscaping")
BOSS = Actor(id="boss", role="supervisor")
ADMIN = Actor(id="admin", role="admin")
INSPECTOR = Actor(id="insp", role="inspector")
NOW = datetime(2026, 7, 17, 2, 0, tzinfo=timezone.utc)  # deadline 2026-07-18 end of day Shanghai is 1.6 days on


def kinds(actor, items, now=NOW):
    return sorted({n.kind for n in notices(actor, items, now)})


def test_an_office_hears_of_new_assignments_and_close_deadlines():
    assigned = step(reported(), "assigned", 1, **ASSIGN)
    assert kinds(STAFF, [assigned]) == ["assigned_to_office", "deadline_soon"]
    assert kinds(STAFF, [assigned], now=T0) == ["assigned_to_office"]  # deadline 3+ days away
    assert kinds(OTHER_STAFF, [assigned]) == []
    assert kinds(INSPECTOR, [assigned]) == []


def test_soon_means_within_two_days():
    assigned = step(reported(), "assigned", 1, **ASSIGN)
    assert kinds(STAFF, [assigned], assigned.deadline - timedelta(days=2, minutes=1)) == ["assigned_to_office"]
    assert kinds(STAFF, [assigned], assigned.deadline - timedelta(days=2)) == ["assigned_to_office", "deadline_soon"]
    item = verified(look_back_days=10)
    assert kinds(INSPECTOR, [item], item.look_back_due - timedelta(days=2, minutes=1)) == []
    assert kinds(INSPECTOR, [item], item.look_back_due - timedelta(days=2)) == ["look_back_due"]


def test_overdue_goes_to_the_office_and_supervisors_not_to_others():
    acknowledged = step(step(reported(), "assigned", 1, **ASSIGN), "acknowledged", 2)
    late = NOW + timedelta(days=3)
    assert kinds(STAFF, [acknowledged], late) == ["overdue"]
    assert kinds(BOSS, [acknowledged], late) == ["overdue"]
    assert kinds(ADMIN, [acknowledged], late) == []
    assert kinds(BOSS, [acknowledged]) == []
    [notice] = notices(BOSS, [acknowledged], late)
    assert notice == Notice("overdue", acknowledged.id, "2026-0715-001", acknowledged.deadline)


def test_a_fix_sent_back_tells_the_office():
    state = step(step(reported(), "assigned", 1, **ASSIGN), "fix_submitted", 2, photos=[AFTER])
    state = step(state, "rejected", 3, reason="照片不清")
    assert "fix_rejected" in kinds(STAFF, [state], T0)


def test_inspectors_hear_of_look_backs_due_within_two_days_or_overdue():
    item = verified(look_back_days=3)  # due T0 + 3h + 3 days
    assert kinds(INSPECTOR, [item], T0) == []
    assert kinds(INSPECTOR, [item], T0 + timedelta(days=1, hours=4)) == ["look_back_due"]
    assert kinds(INSPECTOR, [item], T0 + timedelta(days=9)) == ["look_back_due"]
    assert kinds(STAFF, [item], T0 + timedelta(days=2)) == []


def test_disagreements_go_to_supervisors_and_admins():
    disputed = step(verified(), "spot_checked", 4, actor="deputy", verdict="disagree", photos=[AFTER])
    assert kinds(BOSS, [disputed]) == ["spot_disagreement"]
    assert kinds(ADMIN, [disputed]) == ["spot_disagreement"]
    assert kinds(STAFF, [disputed]) == []
    assert kinds(CHECKER, [disputed]) == []


def test_escalated_items_go_to_the_office_leader_while_open():
    state = step(verified(), "rebounded", 4, **REBOUND)
    state = step(state, "fix_submitted", 5, photos=[AFTER])
    state = step(state, "verified", 6)
    state = step(state, "rebounded", 7, **REBOUND)
    assert "escalated" in kinds(LEADER, [state], T0)
    assert "escalated" not in kinds(STAFF, [state], T0)
    state = step(step(state, "fix_submitted", 8, photos=[AFTER]), "verified", 9)
    assert "escalated" not in kinds(LEADER, [state], T0)


def test_notices_only_about_items_one_may_see_most_pressing_first():
    late = step(step(reported(item="late", number="n-1"), "assigned", 1, **ASSIGN), "acknowledged", 2)
    fresh = step(reported(item="fresh", number="n-2"), "assigned", 1,
                 **{**ASSIGN, "deadline": "2026-07-30"})
    found = notices(STAFF, [fresh, late], NOW + timedelta(days=2))
    assert [n.kind for n in found] == ["overdue", "assigned_to_office"]
    hidden = replace(late, office="landscaping")
    assert notices(STAFF, [hidden], NOW + timedelta(days=2)) == []


def test_whole_days_count_down_then_up():
    assert whole_days(NOW + timedelta(days=2, hours=1), NOW) == 2
    assert whole_days(NOW + timedelta(hours=1), NOW) == 0
    assert whole_days(NOW - timedelta(hours=1), NOW) == -1
    assert whole_days(NOW - timedelta(days=3, hours=1), NOW) == -4


# --- an office's record ------------------------------------------------------------------------------------
def test_office_record_counts():
    open_late = step(step(reported(item="a"), "assigned", 1, **ASSIGN), "acknowledged", 2)
    reworked = step(step(step(reported(item="b"), "assigned", 1, **ASSIGN), "fix_submitted", 25, photos=[AFTER]),
                    "rejected", 26, reason="不彻底")
    fixed = step(step(step(reported(item="c"), "assigned", 1, **ASSIGN), "fix_submitted", 49, photos=[AFTER]),
                 "verified", 50)
    disputed = step(fixed, "spot_checked", 51, actor="deputy", verdict="disagree", photos=[AFTER])
    bounced = step(replace(fixed, id="d"), "rebounded", 60, **REBOUND)
    agreed = step(replace(fixed, id="e"), "spot_checked", 61, actor="deputy", verdict="agree", photos=[AFTER])
    record = office_record("construction", [open_late, reworked, disputed, bounced, agreed], NOW + timedelta(days=3))
    assert record.items == 5
    assert record.open == 3  # open_late, reworked, bounced
    assert record.overdue == 2  # open_late and reworked (rectifying) past 07-18; bounced due 08-01
    assert record.avg_days_to_fix == 2.0  # disputed and agreed: fixed 48h after assignment
    assert (record.reworks, record.rebounds, record.rebounded_items, record.escalated) == (1, 1, 1, 0)
    assert (record.disputed, record.spot_agree, record.spot_disagree) == (1, 1, 1)
    empty = office_record("landscaping", [], NOW)
    assert empty.items == 0 and empty.avg_days_to_fix is None
