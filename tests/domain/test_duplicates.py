"""Duplicates and rebounds found while reporting, evidence added, and the rule of a merge (issue 12, part B)."""

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from itertools import count
from zoneinfo import ZoneInfo

import pytest

from inspector.domain.decision import Known, decide, next_moves
from inspector.domain.duplicates import Offer, candidates, check_merge, search_box
from inspector.domain.events import Event, frozen_payload
from inspector.domain.items import apply
from inspector.domain.lifecycle import Kind, Status
from inspector.domain.permissions import Actor
from inspector.domain.roles import Role
from inspector.domain.scoring import ScoreFormula, month_period, office_score
from inspector.errors import (
    InvalidTransition,
    ItemNotFound,
    MergeChain,
    MergeIntoDuplicate,
    MergeIntoItself,
    MergeTargetNotFound,
    MergeTargetNotOpen,
)
from inspector.geo.distance import Point, distance_m

T0 = datetime(2026, 7, 15, 1, 0, tzinfo=timezone.utc)
PHOTO, NEW = "a" * 64, "b" * 64
HERE = Point(30.2741, 120.1551)
METRE_LAT = 1 / 111_195  # about one metre of latitude here
INSPECTOR = Actor(id="walker", role=Role.INSPECTOR)
OTHER_INSPECTOR = Actor(id="other", role=Role.INSPECTOR)
STAFF = Actor(id="staff", role=Role.OFFICE_STAFF, office="construction")
SUPERVISOR = Actor(id="boss", role=Role.SUPERVISOR)
_ids = count()


def ev(item_id, kind, state, actor=SUPERVISOR, at=T0, **payload):
    n = next(_ids)
    return Event(id=f"e{n}", item_id=item_id, kind=kind, actor_id=actor.id, at=at + timedelta(minutes=n),
                 base_version=0 if state is None else state.version, payload=frozen_payload(payload),
                 server_at=at + timedelta(minutes=n))


def item(item_id, *kinds, metres_north=0.0, category="site_sewage", by=INSPECTOR):
    location = {"lat": HERE.lat + metres_north * METRE_LAT, "lon": HERE.lon, "accuracy_m": 8, "source": "gps"}
    state = apply(None, ev(item_id, "reported", None, by, category=category, location=location, photos=[PHOTO]))
    payloads = {"assigned": {"office": "construction", "leader": "陈处长", "deadline": "2026-07-18"},
                "fix_submitted": {"photos": [PHOTO]}, "verified": {}, "look_back_passed": {"photos": [PHOTO]},
                "dismissed": {"reason": "不属实"}, "acknowledged": {}}
    for kind in kinds:
        state = apply(state, ev(item_id, kind, state, **payloads[kind]))
    return replace(state, number=f"2026-0715-{item_id}")


# --- candidates -------------------------------------------------------------------------------------
def test_open_items_near_are_duplicates_and_fixed_ones_at_the_spot_rebounds_nearest_first():
    near_open = item("001", metres_north=30)
    nearer_done = item("002", "assigned", "fix_submitted", "verified", metres_north=10)
    closed = item("003", "assigned", "fix_submitted", "verified", "look_back_passed", metres_north=20)
    found = candidates(INSPECTOR, HERE, "site_sewage", [near_open, nearer_done, closed])

    assert [(c.item.id, c.offer, c.kind) for c in found] == [
        ("002", Offer.REBOUND, Kind.REBOUNDED), ("003", Offer.REBOUND, Kind.REBOUNDED),
        ("001", Offer.DUPLICATE, Kind.EVIDENCE_ADDED)]
    assert found[0].distance_m == pytest.approx(10, abs=0.2)


def test_the_radius_is_inclusive_and_measured_on_the_ellipsoid():
    inside, outside = item("in", metres_north=45), item("out", metres_north=55)
    assert [c.item.id for c in candidates(INSPECTOR, HERE, "site_sewage", [inside, outside], radius_m=50)] == ["in"]
    exactly = distance_m(HERE, Point(inside.location.lat, inside.location.lon))  # geodesic, as the rule measures
    assert exactly == pytest.approx(45, abs=0.5)
    assert [c.item.id for c in candidates(INSPECTOR, HERE, "site_sewage", [inside], radius_m=exactly)] == ["in"]
    assert candidates(INSPECTOR, HERE, "site_sewage", [inside], radius_m=exactly - 0.01) == []
    # a fixed item is a rebound within the same-spot limit, whatever the duplicate radius
    done = item("done", "assigned", "fix_submitted", "verified", metres_north=45)
    assert candidates(INSPECTOR, HERE, "site_sewage", [done], radius_m=100, same_spot_m=40) == []
    assert len(candidates(INSPECTOR, HERE, "site_sewage", [done], radius_m=10, same_spot_m=50)) == 1


def test_another_category_or_an_item_gone_from_the_record_is_no_candidate():
    other_category = item("001", metres_north=5, category="site_garbage")
    dismissed = item("002", "dismissed", metres_north=5)
    assert candidates(SUPERVISOR, HERE, "site_sewage", [other_category, dismissed]) == []
    assert [c.item.id for c in candidates(SUPERVISOR, HERE, "site_garbage", [other_category])] == ["001"]


def test_only_what_one_sees_and_may_act_on_is_offered():
    mine = item("001", metres_north=5, by=INSPECTOR)
    theirs = item("002", metres_north=5, by=OTHER_INSPECTOR)
    done = item("003", "assigned", "fix_submitted", "verified", metres_north=5, by=OTHER_INSPECTOR)
    gone = item("004", "dismissed", metres_north=5, by=OTHER_INSPECTOR)
    # an inspector sees every open item, a colleague's too, and the fixed ones; not another's dismissed one
    assert [c.item.id for c in candidates(INSPECTOR, HERE, "site_sewage", [mine, theirs, done, gone])] == [
        "001", "002", "003"]
    assert [c.offer for c in candidates(INSPECTOR, HERE, "site_sewage", [theirs, done])] == [
        Offer.DUPLICATE, Offer.REBOUND]
    # office staff may add evidence to their office's open items but not record a rebound (a look-back's role)
    assert [c.item.id for c in candidates(STAFF, HERE, "site_sewage", [mine, theirs, done])] == ["001", "002"]


def test_the_count_is_bounded_and_ties_go_by_id():
    many = [item(f"{n:03d}", metres_north=5) for n in range(9)]
    found = candidates(SUPERVISOR, HERE, "site_sewage", reversed(many), limit=3)
    assert [c.item.id for c in found] == ["000", "001", "002"]


def test_the_search_box_holds_the_whole_circle():
    lat_min, lat_max, lon_min, lon_max = search_box(HERE, 50)
    for bearing_point in (Point(HERE.lat + 50 * METRE_LAT, HERE.lon), Point(HERE.lat - 50 * METRE_LAT, HERE.lon)):
        assert lat_min <= bearing_point.lat <= lat_max
    east = Point(HERE.lat, lon_max)
    assert distance_m(HERE, east) > 50 and distance_m(HERE, Point(HERE.lat, lon_min)) > 50


# --- evidence added ----------------------------------------------------------------------------------
def test_evidence_merges_whatever_the_version_on_open_items_only():
    open_item = item("001", "assigned")
    stale = replace(ev("001", "evidence_added", open_item, INSPECTOR, photos=[NEW]), base_version=0)
    after = decide(INSPECTOR, open_item, stale, Known(photos={NEW: INSPECTOR.id}))
    assert (after.version, after.status, after.evidence_count) == (open_item.version, "assigned", 1)
    closed = item("002", "assigned", "fix_submitted", "verified", "look_back_passed", by=INSPECTOR)
    with pytest.raises(InvalidTransition):
        decide(INSPECTOR, closed, ev("002", "evidence_added", closed, INSPECTOR, photos=[NEW]),
               Known(photos={NEW: INSPECTOR.id}))
    # another inspector sees someone else's open report and adds their own photos to it
    theirs = decide(OTHER_INSPECTOR, open_item, ev("001", "evidence_added", open_item, OTHER_INSPECTOR, photos=[NEW]),
                    Known(photos={NEW: OTHER_INSPECTOR.id}))
    assert theirs.evidence_count == 1
    # ... but not to a dismissed one of someone else's: it answers as missing
    gone = item("003", "dismissed", by=INSPECTOR)
    with pytest.raises(ItemNotFound):
        decide(OTHER_INSPECTOR, gone, ev("003", "evidence_added", gone, OTHER_INSPECTOR, photos=[NEW]),
               Known(photos={NEW: OTHER_INSPECTOR.id}))


@pytest.mark.parametrize("kinds", [(), ("assigned",), ("assigned", "acknowledged"), ("assigned", "fix_submitted")],
                         ids=["reported", "assigned", "rectifying", "fix_submitted"])
def test_on_a_colleagues_open_item_an_inspector_may_comment_and_add_evidence_and_nothing_else(kinds):
    theirs = item("001", *kinds, by=INSPECTOR)
    assert theirs.status in {"reported", "assigned", "rectifying", "fix_submitted"}
    assert next_moves(OTHER_INSPECTOR, theirs) == (Kind.COMMENTED, Kind.EVIDENCE_ADDED)


# --- merges ------------------------------------------------------------------------------------------
def merge(state, into, known_items, duplicated=frozenset(), actor=SUPERVISOR):
    return decide(actor, state, ev(state.id, "merged", state, actor, into=into, reason="同一处"),
                  Known(items=known_items, duplicated=duplicated))


def test_a_merge_makes_a_duplicate_that_leaves_every_open_list():
    dup, target = item("001", "assigned"), item("002", "assigned")
    merged = merge(dup, "002", {"002": target})
    assert (merged.status, merged.merged_into, merged.last_reason) == (Status.MERGED, "002", "同一处")
    assert merged.closed_at is not None and merged.photos == (PHOTO,)  # its photos stay
    assert next_moves(SUPERVISOR, merged) == (Kind.COMMENTED,)  # nothing more happens to a duplicate
    assert Kind.MERGED not in next_moves(STAFF, target)  # deciders only


def test_a_merge_into_a_done_item_is_fine_but_not_into_a_dismissed_one():
    dup = item("001")
    done = item("002", "assigned", "fix_submitted", "verified")
    assert merge(dup, "002", {"002": done}).status == Status.MERGED
    with pytest.raises(MergeTargetNotOpen):
        merge(dup, "003", {"003": item("003", "dismissed")})


def test_merges_into_itself_an_unknown_item_a_duplicate_or_as_a_chain_are_refused():
    dup, target = item("001"), item("002")
    with pytest.raises(MergeIntoItself):
        merge(dup, "001", {"001": dup})
    with pytest.raises(MergeTargetNotFound):
        merge(dup, "nope", {})
    already = merge(item("003"), "002", {"002": target})
    with pytest.raises(MergeIntoDuplicate):
        merge(dup, "003", {"003": already})
    with pytest.raises(MergeChain):  # 002 took 003 in: merged itself, 003 would point at a duplicate
        merge(target, "001", {"001": dup}, duplicated={"002"})


def test_an_office_may_not_see_the_target_and_then_it_is_not_found():
    with pytest.raises(MergeTargetNotFound):
        check_merge(STAFF, replace(item("001"), merged_into="002"),
                    {"002": replace(item("002"), office="landscaping")}, set())


def test_the_field_client_leaves_the_target_to_the_server():
    dup = item("001")
    assert merge(dup, "elsewhere", None, None).merged_into == "elsewhere"  # items unknown here: not checked
    with pytest.raises(MergeIntoItself):  # but never into itself
        merge(dup, "001", None, None)


def test_duplicates_leave_the_scoreboard():
    period = month_period("2026-07", ZoneInfo("Asia/Shanghai"))
    kept = item("001", "assigned", "fix_submitted", "verified")
    dup = merge(item("002", "assigned"), "001", {"001": kept})
    row = office_score("construction", [kept, dup], period, T0 + timedelta(days=30), ScoreFormula.parse(""))
    assert row.assigned.ids == ("001",) and row.overdue.ids == ()
