"""The item state machine: each transition, refusals, and the projection property."""

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.domain.events import Event, frozen_payload, parse_deadline
from inspector.domain.decision import Known, decide
from inspector.domain.items import STATUSES, apply, project
from inspector.domain.permissions import Actor
from inspector.domain.roles import Role
from inspector.errors import InvalidPayload, InvalidTransition, ItemNotFound, StaleVersion, UnknownEventKind

T0 = datetime(2026, 7, 15, 1, 0, tzinfo=timezone.utc)
PHOTO = "a" * 64
AFTER = "b" * 64
ITEM = "item-1"
ADMIN = Actor(id="u1", role=Role.ADMIN)


def ev(kind, base_version, n=0, **payload):
    return Event(id=f"e{kind}{n}{base_version}", item_id=ITEM, kind=kind, actor_id="u1",
                 at=T0 + timedelta(hours=n), base_version=base_version, payload=frozen_payload(payload),
                 server_at=T0 + timedelta(hours=n))


REPORTED = ev("reported", 0, category="site_sewage",
              location={"lat": 30.27, "lon": 120.15, "accuracy_m": 8, "source": "gps"}, photos=[PHOTO])

# A payload that is valid for each kind, for generated sequences.
PAYLOADS = {
    "assigned": {"office": "construction", "leader": "陈处长", "deadline": "2026-07-18"},
    "acknowledged": {},
    "fix_submitted": {"photos": [AFTER]},
    "verified": {},
    "rejected": {"reason": "不彻底"},
    "extension_requested": {"until": "2026-07-25", "reason": "等苗木"},
    "extension_granted": {"until": "2026-07-25"},
    "extension_refused": {"reason": "不同意"},
    "dismissed": {"reason": "不属实"},
    "look_back_passed": {"photos": [AFTER]},
    "rebounded": {"photos": [AFTER], "leader": "周局长", "deadline": "2026-08-01"},
    "commented": {"text": "请尽快"},
    "spot_checked": {"verdict": "disagree", "photos": [AFTER]},
}


def run(*steps):
    state = apply(None, REPORTED)
    for n, (kind, payload) in enumerate(steps, start=1):
        state = apply(state, ev(kind, state.version, n, **payload))
    return state


def test_reported_creates_version_one_with_the_category_office():
    state = apply(None, REPORTED)
    assert (state.status, state.version, state.office, state.photos) == ("reported", 1, "construction", (PHOTO,))
    assert state.location.accuracy_m == 8 and state.location.source == "gps"


def test_full_happy_path_to_closed():
    state = run(("assigned", PAYLOADS["assigned"]), ("acknowledged", {}), ("fix_submitted", PAYLOADS["fix_submitted"]),
                ("verified", {}), ("look_back_passed", PAYLOADS["look_back_passed"]))
    assert state.status == "closed" and state.version == 6
    assert state.fix_photos == (AFTER,) and state.closed_at == T0 + timedelta(hours=5)


def test_deadline_given_as_date_means_end_of_local_day():
    state = run(("assigned", PAYLOADS["assigned"]))
    assert state.deadline == datetime(2026, 7, 18, 15, 59, 59, tzinfo=timezone.utc)
    assert state.leader == "陈处长" and state.status == "assigned"


def test_rejection_counts_a_rework_and_returns_to_the_office():
    state = run(("assigned", PAYLOADS["assigned"]), ("fix_submitted", PAYLOADS["fix_submitted"]),
                ("rejected", {"reason": "照片角度不一致"}))
    assert (state.status, state.rework_count, state.last_reason) == ("rectifying", 1, "照片角度不一致")


def test_rebound_reopens_flagged_with_new_leader_and_deadline_and_twice_escalates():
    steps = [("assigned", PAYLOADS["assigned"]), ("fix_submitted", PAYLOADS["fix_submitted"]), ("verified", {})]
    state = run(*steps, ("rebounded", PAYLOADS["rebounded"]))
    assert (state.status, state.rebound_count, state.leader) == ("assigned", 1, "周局长")
    assert state.rebounded and not state.escalated and state.fix_photos == ()
    state = run(*steps, ("rebounded", PAYLOADS["rebounded"]), ("fix_submitted", PAYLOADS["fix_submitted"]),
                ("verified", {}), ("rebounded", PAYLOADS["rebounded"]))
    assert state.rebound_count == 2 and state.escalated


def test_extension_granted_moves_the_deadline_and_counts():
    state = run(("assigned", PAYLOADS["assigned"]), ("extension_requested", PAYLOADS["extension_requested"]))
    assert state.extension_pending
    granted = apply(state, ev("extension_granted", state.version, 9, until="2026-07-25"))
    assert granted.deadline == parse_deadline("2026-07-25") and not granted.extension_pending
    assert granted.extensions_granted == 1


def test_extension_decision_without_request_is_refused():
    state = run(("assigned", PAYLOADS["assigned"]))
    with pytest.raises(InvalidTransition):
        apply(state, ev("extension_granted", state.version, 5, until="2026-07-25"))


def test_verify_before_fix_is_refused_with_the_current_status():
    state = run(("assigned", PAYLOADS["assigned"]))
    with pytest.raises(InvalidTransition) as raised:
        apply(state, ev("verified", state.version, 3))
    assert raised.value.details["status"] == "assigned"


def test_stale_version_is_refused_but_comments_merge_whatever_the_version():
    state = run(("assigned", PAYLOADS["assigned"]))
    with pytest.raises(StaleVersion):
        apply(state, ev("acknowledged", 1, 3))
    commented = apply(state, ev("commented", 0, 4, text="注意安全"))
    assert commented.comment_count == 1 and commented.version == state.version


def test_spot_check_disagreement_marks_the_item_disputed():
    state = run(("assigned", PAYLOADS["assigned"]), ("fix_submitted", PAYLOADS["fix_submitted"]), ("verified", {}))
    state = apply(state, ev("spot_checked", 0, 7, verdict="disagree", photos=[AFTER]))
    assert state.disputed and state.spot_disagree == 1 and state.status == "verified"


def test_overdue_and_days_left_use_the_time_given():
    state = run(("assigned", PAYLOADS["assigned"]))
    assert not state.overdue(state.deadline) and state.overdue(state.deadline + timedelta(seconds=1))
    assert state.days_left(state.deadline - timedelta(days=2, hours=1)) == 2
    assert state.days_left(state.deadline + timedelta(days=3, hours=1)) == -4


@pytest.mark.parametrize("kind,payload,error", [
    ("reported", {"category": "nope", "location": {"lat": 1, "lon": 2}, "photos": [PHOTO]}, InvalidPayload),
    ("reported", {"category": "site_sewage", "location": {"lat": 100, "lon": 2}, "photos": [PHOTO]}, InvalidPayload),
    ("reported", {"category": "site_sewage", "location": {"lat": 1, "lon": 2}, "photos": []}, InvalidPayload),
    ("reported", {"category": "site_sewage", "location": {"lat": 1, "lon": 2}, "photos": ["x.jpg"]}, InvalidPayload),
    ("assigned", {"office": "mars", "leader": "x", "deadline": "2026-07-18"}, InvalidPayload),
    ("assigned", {"office": "construction", "leader": "x", "deadline": "soon"}, InvalidPayload),
    ("rejected", {"reason": "  "}, InvalidPayload),
    ("spot_checked", {"verdict": "maybe", "photos": [PHOTO]}, InvalidPayload),
    ("teleported", {}, UnknownEventKind),
])
def test_bad_payloads_are_refused(kind, payload, error):
    state = None if kind == "reported" else apply(None, REPORTED)
    with pytest.raises(error):
        decide(ADMIN, state, ev(kind, 0 if state is None else state.version, **payload), Known(photos={PHOTO: "u"}))


def test_event_on_missing_item_is_refused():
    with pytest.raises(ItemNotFound):
        apply(None, ev("acknowledged", 1))


kinds = st.sampled_from(sorted(PAYLOADS))
versions = st.one_of(st.just(None), st.integers(min_value=0, max_value=8))  # None: the current version


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(kinds, versions), max_size=25))
def test_one_by_one_equals_all_at_once_and_refusals_change_nothing(steps):
    state = apply(None, REPORTED)
    accepted = [REPORTED]
    for n, (kind, version) in enumerate(steps, start=1):
        event = ev(kind, state.version if version is None else version, n, **PAYLOADS[kind])
        before = state
        try:
            state = apply(state, event)
        except (InvalidTransition, StaleVersion) as refusal:
            assert state == before  # nothing changed
            assert refusal.code in ("item.invalid_transition", "item.stale")
            continue
        accepted.append(event)
        assert state.status in STATUSES
        assert state.version == before.version + (kind not in ("commented", "spot_checked"))
    assert project(accepted) == state


def test_states_are_values():
    state = apply(None, REPORTED)
    assert replace(state) == state and hash(state.location)
