"""The one decision and the list of next moves: they agree everywhere, and the registry is whole."""

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from itertools import count

import pytest

from inspector.domain.decision import Known, decide, moves_on, next_moves
from inspector.domain.events import Event, frozen_payload
from inspector.domain.items import apply
from inspector.domain.lifecycle import (KINDS, MERGING_KINDS, RULES, STEP_KINDS, Kind, Needs, Status, Surface,
                                        offered_on)
from inspector.domain.oversight import PhotoUse
from inspector.domain.permissions import Actor, Scope
from inspector.domain.roles import Role
from inspector.errors import (
    InspectorError,
    InvalidTransition,
    ItemNotFound,
    OutsideScope,
    PhotoMissing,
    PhotoNotCitable,
    PhotoNotOwn,
    UnknownSite,
)
from tests.domain.test_payloads import GOOD

T0 = datetime(2026, 7, 15, 1, 0, tzinfo=timezone.utc)
PHOTO = "a" * 64  # the photo every payload of GOOD cites
REPORTER = Actor(id="reporter", role=Role.INSPECTOR)
SUPERVISOR = Actor(id="boss", role=Role.SUPERVISOR)
CHECKER = Actor(id="deputy", role=Role.SPOT_CHECKER, scopes=(Scope(offices=frozenset({"construction"})),))
ACTORS = [
    REPORTER,
    Actor(id="walker", role=Role.INSPECTOR),
    Actor(id="staff", role=Role.OFFICE_STAFF, office="construction"),
    Actor(id="chief", role=Role.OFFICE_LEADER, office="construction"),
    Actor(id="other", role=Role.OFFICE_STAFF, office="landscaping"),
    SUPERVISOR,
    Actor(id="root", role=Role.ADMIN),
    CHECKER,
    Actor(id="far", role=Role.SPOT_CHECKER, scopes=(Scope(offices=frozenset({"landscaping"})),)),
]
_ids = count()


def event(kind, state, actor=SUPERVISOR, **payload):
    n = next(_ids)
    return Event(id=f"e{n}", item_id="item-1", kind=kind, actor_id=actor.id, at=T0 + timedelta(minutes=n),
                 base_version=0 if state is None else state.version,
                 payload=frozen_payload(payload or GOOD[kind]), server_at=T0 + timedelta(minutes=n))


def report(**changes):
    payload = {**GOOD["reported"], "office": "construction", "site": None, "round": None, **changes}
    return apply(None, event("reported", None, REPORTER, **{k: v for k, v in payload.items() if v is not None}))


def walk(*kinds):
    state = report()
    for kind in kinds:
        state = apply(state, event(kind, state))
    return state


STATES = {
    "reported": walk(),
    "assigned": walk("assigned"),
    "rectifying": walk("assigned", "acknowledged"),
    "extension asked": walk("assigned", "extension_requested"),
    "returned": walk("assigned", "returned"),
    "fix submitted": walk("assigned", "fix_submitted"),
    "verified": walk("assigned", "fix_submitted", "verified"),
    "verified, disputed": walk("assigned", "fix_submitted", "verified", "spot_checked"),
    "closed": walk("assigned", "fix_submitted", "verified", "look_back_passed"),
    "closed, disputed": walk("assigned", "fix_submitted", "verified", "look_back_passed", "spot_checked"),
    "dismissed": walk("dismissed"),
    "merged": walk("assigned", "merged"),  # B: a duplicate of another item
}


def accepted(actor, state, kind) -> bool:
    try:
        decide(actor, state, event(kind, state, actor), Known(photos={PHOTO: actor.id}))
    except InspectorError:
        return False
    return True


@pytest.mark.parametrize("name", sorted(STATES))
@pytest.mark.parametrize("actor", ACTORS, ids=lambda a: f"{a.role}:{a.id}")
def test_next_moves_lists_exactly_what_decide_accepts(name, actor):
    state = STATES[name]
    expected = tuple(kind for kind in Kind if kind != Kind.REPORTED and accepted(actor, state, kind))
    assert next_moves(actor, state) == expected


def test_the_walk_reaches_every_status():
    assert {state.status for state in STATES.values()} == set(Status)


def test_reopening_answers_a_dispute_only():
    verified = STATES["verified"]
    with pytest.raises(InvalidTransition):
        decide(SUPERVISOR, verified, event("reopened", verified), Known())
    assert Kind.REOPENED not in next_moves(SUPERVISOR, verified)
    disputed = STATES["verified, disputed"]
    assert decide(SUPERVISOR, disputed, event("reopened", disputed), Known()).status == Status.ASSIGNED


def test_one_extension_request_at_a_time():
    asked = STATES["extension asked"]
    staff = ACTORS[2]
    with pytest.raises(InvalidTransition):
        decide(staff, asked, event("extension_requested", asked, staff), Known())
    assert moves_on(staff, asked, Surface.PHONE) == (Kind.ACKNOWLEDGED, Kind.FIX_SUBMITTED, Kind.RETURNED)
    assert moves_on(SUPERVISOR, asked, Surface.DESK) == (
        Kind.ASSIGNED, Kind.EXTENSION_GRANTED, Kind.EXTENSION_REFUSED, Kind.DISMISSED, Kind.MERGED)


def test_an_item_one_may_not_see_answers_as_missing_whatever_the_kind():
    other = ACTORS[4]
    for kind in KINDS - {Kind.REPORTED}:
        with pytest.raises(ItemNotFound):
            decide(other, STATES["assigned"], event(kind, STATES["assigned"], other), Known(photos={PHOTO: other.id}))


def test_photos_must_be_stored_and_citable():
    state = STATES["verified"]
    with pytest.raises(PhotoMissing):
        decide(REPORTER, state, event("look_back_passed", state, REPORTER), Known())
    # inspectors see every open item now: a dismissed one of someone else's is still out of their sight
    uses = {PHOTO: [PhotoUse(STATES["dismissed"], "reported", "someone", False)]}
    with pytest.raises(PhotoNotCitable) as refused:  # someone else's photo on an item the inspector may not see
        decide(ACTORS[1], state, event("look_back_passed", state, ACTORS[1]),
               Known(photos={PHOTO: "someone"}, photo_uses=uses))
    assert type(refused.value) is PhotoNotCitable
    # The field client does not check citations (photo_uses None): the server does on push.
    assert decide(ACTORS[1], state, event("look_back_passed", state, ACTORS[1]),
                  Known(photos={PHOTO: "someone"})).status == Status.CLOSED


def elsewhere(state):
    """``state`` as another item (every ``event`` here is on ``item-1``)."""
    return replace(state, id="item-2")


def test_a_photo_seen_on_a_colleagues_open_item_is_not_citable_as_ones_own():
    colleague, walker = REPORTER, ACTORS[1]
    theirs = {PHOTO: [PhotoUse(elsewhere(STATES["assigned"]), "reported", colleague.id, False)]}
    known = Known(photos={PHOTO: colleague.id}, photo_uses=theirs)
    # my new report naming a colleague's before-photo: seen (an open item), yet not mine to cite
    payload = {**GOOD["reported"], "office": "construction"}
    payload.pop("round")
    with pytest.raises(PhotoNotOwn) as refused:
        decide(walker, None, event("reported", None, walker, **payload), known)
    assert refused.value.code == "photo.not_own" and refused.value.status == 403
    # nor as evidence on another open item
    target = STATES["rectifying"]
    with pytest.raises(PhotoNotOwn):
        decide(walker, target, event("evidence_added", target, walker), known)
    # a supervisor, who sees every photo, does not move a photo from one item to another either
    with pytest.raises(PhotoNotOwn):
        decide(SUPERVISOR, target, event("evidence_added", target, SUPERVISOR), known)
    # my own fresh photo is fine anywhere I may add evidence
    fresh = decide(walker, target, event("evidence_added", target, walker), Known(photos={PHOTO: walker.id},
                                                                                  photo_uses={}))
    assert fresh.evidence_count == target.evidence_count + 1


def test_the_same_items_photo_may_be_cited_again_where_the_lifecycle_allows():
    colleague, staff = REPORTER, ACTORS[2]
    target = STATES["rectifying"]
    # the item's own before-photo: the office re-cites it in its return
    own_use = {PHOTO: [PhotoUse(target, "reported", colleague.id, False)]}
    known = Known(photos={PHOTO: colleague.id}, photo_uses=own_use)
    assert decide(staff, target, event("returned", target, staff,
                                       **{**GOOD["returned"], "photos": [PHOTO]}), known).return_pending
    # evidence is fresh photos (the registry's ``own_photos``): not the item's own again, not even by a supervisor
    assert {kind for kind, rule in RULES.items() if rule.own_photos} == {Kind.REPORTED, Kind.EVIDENCE_ADDED}
    for actor in (staff, SUPERVISOR):
        with pytest.raises(PhotoNotOwn):
            decide(actor, target, event("evidence_added", target, actor), known)
    # a look-back points at the office's after-photo of the same item, whoever makes it
    verified = STATES["verified"]
    after = Known(photos={PHOTO: staff.id}, photo_uses={PHOTO: [PhotoUse(verified, "fix_submitted", staff.id,
                                                                          False)]})
    for actor in (ACTORS[1], SUPERVISOR):
        assert decide(actor, verified, event("look_back_passed", verified, actor), after).status == Status.CLOSED
    # ... but only where the lifecycle takes the kind: re-citing is no way past the state machine
    closed = replace(verified, status=Status.CLOSED)
    with pytest.raises(InvalidTransition):
        decide(SUPERVISOR, closed, event("look_back_passed", closed, SUPERVISOR),
               Known(photos={PHOTO: staff.id}, photo_uses={PHOTO: [PhotoUse(closed, "fix_submitted", staff.id,
                                                                             False)]}))
    # another office's person does not see the item, so not its photo: refused as not citable, not "not own"
    other = ACTORS[4]
    with pytest.raises(PhotoNotCitable) as refused:
        decide(other, None, event("reported", None, other, **{**GOOD["reported"], "check_type": "self",
                                                              "office": "landscaping"}), known)
    assert type(refused.value) is PhotoNotCitable


def test_a_new_report_binds_only_a_known_site_and_a_delegated_scope():
    payload = {**GOOD["reported"], "office": "construction", "check_type": "spot"}
    payload.pop("round")
    new = event("reported", None, CHECKER, **payload)
    with pytest.raises(UnknownSite):
        decide(CHECKER, None, new, Known(photos={PHOTO: CHECKER.id}, sites={"elsewhere"}))
    assert decide(CHECKER, None, new, Known(photos={PHOTO: CHECKER.id}, sites=None)).site_id == "site-1"
    far = ACTORS[-1]
    with pytest.raises(OutsideScope):
        decide(far, None, event("reported", None, far, **payload), Known(photos={PHOTO: far.id}))


def test_the_registry_is_whole_and_consistent():
    assert set(RULES) == set(Kind) == KINDS
    assert MERGING_KINDS == {Kind.COMMENTED, Kind.SPOT_CHECKED, Kind.EVIDENCE_ADDED} | STEP_KINDS
    for kind, rule in RULES.items():
        assert ("photos" in rule.schema.model_fields) == (rule.photos is not None), kind
        assert rule.leads_to is None or rule.changes_state, kind
        # an admin may make any kind but the server's own 督办 steps (D), which only the server makes
        assert (Role.ADMIN in rule.makers) == (kind not in STEP_KINDS), kind
        assert (rule.makers == {Role.SYSTEM}) == (kind in STEP_KINDS), kind
    assert offered_on(Surface.DESK) == (Kind.ASSIGNED, Kind.VERIFIED, Kind.REJECTED, Kind.EXTENSION_GRANTED,
                                        Kind.EXTENSION_REFUSED, Kind.REASSIGNED, Kind.RETURN_INSISTED,
                                        Kind.REOPENED, Kind.DISPUTE_DISMISSED,
                                        Kind.DISMISSED, Kind.MERGED)
    assert set(offered_on(Surface.DESK)).isdisjoint(offered_on(Surface.PHONE))
    assert {rule.needs for rule in RULES.values()} - {None} == set(Needs)
