"""The authorization matrix: every role x action x own/other office, through the services."""

import pytest

from inspector.errors import Forbidden, InspectorError, ItemNotFound
from inspector.services import auth, events
from inspector.store.engine import read_session
from inspector.store.models import User
from tests.factories import event, person, reported, stored_photo

ROLES = {
    "inspector": ("inspector", None),
    "office_staff": ("office_staff", "construction"),
    "office_leader": ("office_leader", "construction"),
    "supervisor": ("supervisor", None),
    "spot_checker": ("spot_checker", None),
    "admin": ("admin", None),
}

# action -> the item status it is tried from and its payload
ACTIONS = {
    "assigned": ("reported", {"office": "construction", "leader": "陈", "deadline": "2026-07-20"}),
    "acknowledged": ("assigned", {}),
    "fix_submitted": ("assigned", "PHOTOS"),
    "extension_requested": ("assigned", {"until": "2026-07-30", "reason": "等苗木"}),
    "verified": ("fix_submitted", {}),
    "rejected": ("fix_submitted", {"reason": "不彻底"}),
    "dismissed": ("reported", {"reason": "不属实"}),
    "look_back_passed": ("verified", "PHOTOS"),
    "rebounded": ("verified", "REBOUND"),
    "commented": ("assigned", {"text": "请尽快"}),
    "spot_checked": ("verified", "SPOT"),
    "evidence_added": ("assigned", "FRESH"),  # the actor's own fresh photo on an open item
}

O, X, H = "allowed", "forbidden", "hidden"  # hidden: the item is not even visible
# Expected outcome per (role, action) on an item of the actor's own office, then another office's.
# Spot checkers are delegated the construction office only.
OWN = {
    # inspectors see every open item (a colleague's too: duplicates found while reporting) and may comment
    # on it and add their own photos to it; the office's and the deciders' kinds stay theirs
    "inspector": dict(assigned=X, acknowledged=X, fix_submitted=X, extension_requested=X, verified=X, rejected=X,
                      dismissed=X, look_back_passed=O, rebounded=O, commented=O, spot_checked=X, evidence_added=O),
    "office_staff": dict(assigned=X, acknowledged=O, fix_submitted=O, extension_requested=O, verified=X, rejected=X,
                         dismissed=X, look_back_passed=X, rebounded=X, commented=O, spot_checked=X,
                         evidence_added=O),
    "supervisor": dict(assigned=O, acknowledged=X, fix_submitted=X, extension_requested=X, verified=O, rejected=O,
                       dismissed=O, look_back_passed=O, rebounded=O, commented=O, spot_checked=X, evidence_added=O),
    "spot_checker": dict(assigned=X, acknowledged=X, fix_submitted=X, extension_requested=X, verified=X, rejected=X,
                         dismissed=X, look_back_passed=X, rebounded=X, commented=O, spot_checked=O,
                         evidence_added=O),
    "admin": {a: O for a in ACTIONS},
}
OWN["office_leader"] = OWN["office_staff"]
OTHER = {
    "inspector": OWN["inspector"],  # inspectors are not tied to an office
    "office_staff": {a: H for a in ACTIONS},
    "office_leader": {a: H for a in ACTIONS},
    "supervisor": OWN["supervisor"],
    "spot_checker": {a: H for a in ACTIONS},
    "admin": OWN["admin"],
}


@pytest.fixture
def world(ctx, clock):
    reporter = person(ctx, "reporter", "supervisor")
    photo = stored_photo(ctx, reporter, seed=1)
    actors = {}
    for name, (role, office) in ROLES.items():
        actor = person(ctx, name, role, office)
        if role == "spot_checker":
            auth.delegate(ctx, actor.id, offices=["construction"])
            with read_session(ctx.engine) as session:
                actor = auth.actor_of(session, session.get(User, actor.id))
        actors[name] = actor
    staff = {"construction": person(ctx, "c_staff", "office_staff", "construction"),
             "landscaping": person(ctx, "l_staff", "office_staff", "landscaping")}
    return reporter, photo, actors, staff


def item_in(ctx, world, office, status):
    """A fresh item of ``office`` brought to ``status`` by the right people."""
    reporter, photo, _, staff = world
    category = "site_sewage" if office == "construction" else "loose_soil"
    first = reported(photo=photo, category=category)
    steps = [first]
    item = first.item_id
    path = {"reported": [], "assigned": ["assigned"], "fix_submitted": ["assigned", "fix_submitted"],
            "verified": ["assigned", "fix_submitted", "verified"]}[status]
    version = 1
    for kind in path:
        payload = {"office": office, "leader": "陈", "deadline": "2026-07-20"} if kind == "assigned" else (
            {"photos": [photo]} if kind == "fix_submitted" else {})
        who = staff[office] if kind == "fix_submitted" else reporter
        steps.append((who, event(item, kind, version, **payload)))
        version += 1
    events.record_one(ctx, reporter, first)
    for who, e in steps[1:]:
        events.record_one(ctx, who, e)
    return item, version


def payload_for(spec, photo, fresh=None):
    if spec == "FRESH":
        return {"photos": [fresh]}
    if spec == "PHOTOS":
        return {"photos": [photo]}
    if spec == "REBOUND":
        return {"photos": [photo], "leader": "周局长", "deadline": "2026-08-01"}
    if spec == "SPOT":
        return {"verdict": "agree", "photos": [photo]}
    return spec


@pytest.mark.parametrize("role", sorted(ROLES))
def test_matrix(ctx, world, role):
    _, photo, actors, _ = world
    actor = actors[role]
    own_office = actor.office or "construction"
    other_office = "landscaping" if own_office == "construction" else "construction"
    fresh = stored_photo(ctx, actor, seed=3)
    problems = []
    for where, office, table in (("own", own_office, OWN), ("other", other_office, OTHER)):
        for action, (status, spec) in ACTIONS.items():
            item, version = item_in(ctx, world, office, status)
            try:
                events.record_one(ctx, actor, event(item, action, version, **payload_for(spec, photo, fresh)))
                got = O
            except Forbidden:
                got = X
            except ItemNotFound:
                got = H
            except InspectorError as error:
                got = error.code
            if got != table[role][action]:
                problems.append(f"{role} {action} on {where} office item: expected {table[role][action]}, got {got}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role,check_type,ok", [
    ("spot_checker", "spot", True), ("spot_checker", "supervisor", False),
    ("office_staff", "self", True), ("office_staff", "supervisor", False),
    ("inspector", "supervisor", True), ("inspector", "spot", False), ("supervisor", "cross", True),
])
def test_who_may_report_with_which_check_type(ctx, world, role, check_type, ok):
    _, _, actors, _ = world
    photo = stored_photo(ctx, actors[role], seed=2)  # one's own: an event may cite only photos one may see
    attempt = reported(photo=photo, check_type=check_type)
    if ok:
        assert events.record_one(ctx, actors[role], attempt).status == "accepted"
    else:
        with pytest.raises(Forbidden):
            events.record_one(ctx, actors[role], attempt)
