"""The decision on a visit: its score, who may make which check where, and a report naming a visit."""

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from inspector.domain.checklists import Checklist, checked_points
from inspector.domain.events import Event, frozen_payload
from inspector.domain.items import apply
from inspector.domain.permissions import Actor, Scope
from inspector.domain.roles import Role
from inspector.domain.visits import (
    VISITED,
    VisitedSite,
    can_see_visit,
    check_visit_report,
    decide_visit,
    link_item,
)
from inspector.errors import (
    ChecklistOfOtherSiteType,
    ControlCharacters,
    Forbidden,
    InvalidPayload,
    OutsideScope,
    PayloadTooLong,
    SelfCheckOtherOffice,
    UnknownChecklist,
    UnknownPayloadField,
    UnknownSite,
    VisitExists,
    VisitPointNotFailed,
    VisitReportMismatch,
)
from tests.factories import LOCATION, POINTS

T0 = datetime(2026, 7, 15, 1, 0, tzinfo=timezone.utc)
CHECKLIST = Checklist(id="cl-1", site_type="construction_site", version=3, points=checked_points(POINTS))
SITE = VisitedSite(id="site-1", site_type="construction_site", office="construction")
OTHER_SITE = VisitedSite(id="site-2", site_type="construction_site", office="landscaping")
INSPECTOR = Actor(id="walker", role=Role.INSPECTOR)
SUPERVISOR = Actor(id="boss", role=Role.SUPERVISOR)
STAFF = Actor(id="staff", role=Role.OFFICE_STAFF, office="construction")
LEADER = Actor(id="chief", role=Role.OFFICE_LEADER, office="construction")
CHECKER = Actor(id="deputy", role=Role.SPOT_CHECKER, scopes=(Scope(offices=frozenset({"construction"})),))
ALL_PASS = {"hoarding": "pass", "wheel_wash": "pass", "garbage": "pass", "canteen": "pass"}


def visited(results=None, check_type="supervisor", site=SITE.id, checklist=CHECKLIST.id, **more) -> Event:
    payload = {"site": site, "checklist": checklist, "check_type": check_type,
               "results": dict(ALL_PASS if results is None else results), "location": dict(LOCATION), **more}
    return Event(id="e-visit", item_id="visit-1", kind=VISITED, actor_id="x", at=T0 - timedelta(minutes=5),
                 base_version=0, payload=frozen_payload(payload), server_at=T0)


def decided(actor=SUPERVISOR, site=SITE, checklist=CHECKLIST, **event):
    return decide_visit(actor, None, visited(**event), checklist, site)


# --- the score ----------------------------------------------------------------------------
def test_all_passed_scores_every_point_and_passes():
    visit = decided()
    assert (visit.met, visit.applicable, visit.starred_failed, visit.passed, visit.ratio) == (4, 4, 0, True, 1.0)
    assert (visit.site_type, visit.office, visit.checklist_version, visit.visited_by) == \
        ("construction_site", "construction", 3, "boss")
    assert visit.server_at == T0 and visit.at == T0 - timedelta(minutes=5)  # the server's time counts
    assert (visit.lat, visit.lon) == (LOCATION["lat"], LOCATION["lon"])


def test_a_starred_failure_fails_the_visit_whatever_the_ratio():
    visit = decided(results={**ALL_PASS, "wheel_wash": "fail"})
    assert (visit.met, visit.applicable, visit.starred_failed, visit.passed) == (3, 4, 1, False)
    assert visit.ratio == 0.75 and visit.failed == ("wheel_wash",)


def test_a_plain_failure_lowers_the_score_but_passes():
    visit = decided(results={**ALL_PASS, "garbage": "fail"})
    assert (visit.met, visit.applicable, visit.starred_failed, visit.passed) == (3, 4, 0, True)


def test_not_applicable_points_count_for_nothing():
    visit = decided(results={**ALL_PASS, "canteen": "na", "garbage": "fail"})
    assert (visit.met, visit.applicable, visit.ratio) == (2, 3, 2 / 3)
    nothing = decided(results={code: "na" for code in ALL_PASS})
    assert (nothing.applicable, nothing.ratio, nothing.passed) == (0, None, False)


def test_the_results_must_be_the_whole_checklist():
    missing = dict(ALL_PASS)
    del missing["canteen"]
    with pytest.raises(InvalidPayload, match="canteen"):
        decided(results=missing)
    with pytest.raises(InvalidPayload, match="toilets"):
        decided(results={**ALL_PASS, "toilets": "pass"})


# --- the payload, through the same check every event's payload gets ------------------------------
@pytest.mark.parametrize("change, error", [
    ({"results": {**ALL_PASS, "garbage": "maybe"}}, InvalidPayload),
    ({"results": {"Bad Code": "pass"}}, InvalidPayload),
    ({"results": {f"p{n}": "pass" for n in range(10_000)}}, PayloadTooLong),
    ({"results": {}}, InvalidPayload),
    ({"check_type": "sometimes"}, InvalidPayload),
    ({"site": "a\x00b"}, ControlCharacters),
    ({"weather": "fine"}, UnknownPayloadField),
])
def test_a_bad_payload_is_refused_before_anything_is_looked_up(change, error):
    payload = {"site": SITE.id, "checklist": CHECKLIST.id, "check_type": "supervisor", "results": ALL_PASS}
    event = replace(visited(), payload=frozen_payload({**payload, **change}))
    with pytest.raises(error):
        decide_visit(SUPERVISOR, None, event, None, None)  # nothing known: the payload is refused first


# --- what the visit names --------------------------------------------------------------------
def test_an_unknown_site_or_checklist_is_refused():
    with pytest.raises(UnknownSite):
        decided(site=None)
    with pytest.raises(UnknownChecklist):
        decided(checklist=None)


def test_a_checklist_of_another_site_type_is_refused():
    park = replace(CHECKLIST, site_type="green_belt")
    with pytest.raises(ChecklistOfOtherSiteType):
        decided(checklist=park)


def test_a_visit_id_taken_already_is_a_conflict():
    first = decided()
    with pytest.raises(VisitExists):
        decide_visit(SUPERVISOR, first, visited(), CHECKLIST, SITE)


# --- who may make which check where ---------------------------------------------------------
@pytest.mark.parametrize("actor, check_type, site, allowed", [
    (INSPECTOR, "supervisor", SITE, True),
    (INSPECTOR, "spot", SITE, False),
    (INSPECTOR, "technical", SITE, False),
    (SUPERVISOR, "supervisor", OTHER_SITE, True),
    (STAFF, "self", SITE, True),
    (LEADER, "self", SITE, True),
    (STAFF, "self", OTHER_SITE, False),  # a self check is of one's own office's sites
    (STAFF, "supervisor", SITE, False),  # an office makes self and cross checks only
    (STAFF, "cross", OTHER_SITE, True),  # a cross check is of another office's site (as for a report)
    (CHECKER, "spot", SITE, True),
    (CHECKER, "spot", OTHER_SITE, False),  # outside the delegated scope
    (CHECKER, "supervisor", SITE, False),
    (Actor(id="root", role=Role.ADMIN), "technical", SITE, True),
])
def test_who_may_make_which_check_where(actor, check_type, site, allowed):
    if allowed:
        assert decided(actor=actor, site=site, check_type=check_type).check_type == check_type
    else:
        with pytest.raises((Forbidden, SelfCheckOtherOffice, OutsideScope)):
            decided(actor=actor, site=site, check_type=check_type)


def test_the_refusals_say_why():
    with pytest.raises(SelfCheckOtherOffice):
        decided(actor=STAFF, site=OTHER_SITE, check_type="self")
    with pytest.raises(OutsideScope):
        decided(actor=CHECKER, site=OTHER_SITE, check_type="spot")


def test_a_scope_past_its_end_covers_no_visit():
    ended = Actor(id="d2", role=Role.SPOT_CHECKER,
                  scopes=(Scope(offices=frozenset({"construction"}), ends=T0 - timedelta(days=1)),))
    with pytest.raises(OutsideScope):
        decided(actor=ended, check_type="spot")


def test_the_server_itself_makes_no_visits():
    with pytest.raises(Forbidden):
        decided(actor=Actor(id="sweep", role=Role.SYSTEM))


# --- reports naming a visit ------------------------------------------------------------------
def report_of(visit, actor=SUPERVISOR, **changes):
    payload = {"category": "vehicle_washing", "location": dict(LOCATION), "photos": ["a" * 64],
               "office": "construction", "site": SITE.id, "check_type": "supervisor", "visit": visit.id,
               "check_point": "wheel_wash", **changes}
    event = Event(id="e-report", item_id="item-1", kind="reported", actor_id=actor.id, at=T0, base_version=0,
                  payload=frozen_payload({k: v for k, v in payload.items() if v is not None}), server_at=T0)
    return apply(None, event)


def test_a_report_of_a_failed_point_fits_its_visit():
    visit = decided(results={**ALL_PASS, "wheel_wash": "fail"})
    report = report_of(visit)
    check_visit_report(visit, report, CHECKLIST)
    assert (report.visit_id, report.check_point) == (visit.id, "wheel_wash")
    linked = link_item(link_item(visit, report.id), report.id)
    assert linked.items == ("item-1",)  # once


def test_a_report_of_a_passed_or_unknown_point_is_refused():
    visit = decided(results={**ALL_PASS, "wheel_wash": "fail"})
    with pytest.raises(VisitPointNotFailed):
        check_visit_report(visit, report_of(visit, check_point="hoarding", category="site_cleaning"), CHECKLIST)
    with pytest.raises(VisitPointNotFailed):
        check_visit_report(visit, report_of(visit, check_point="toilets"), CHECKLIST)
    with pytest.raises(InvalidPayload):
        check_visit_report(visit, report_of(visit, check_point=None), CHECKLIST)


@pytest.mark.parametrize("changes, field", [
    ({"category": "site_sewage"}, "category"),
    ({"site": "site-2"}, "site"),
    ({"check_type": "cross"}, "check_type"),
    ({"office": "landscaping"}, "office"),
])
def test_a_report_that_differs_from_its_visit_is_refused(changes, field):
    visit = decided(results={**ALL_PASS, "wheel_wash": "fail"})
    with pytest.raises(VisitReportMismatch) as refused:
        check_visit_report(visit, report_of(visit, **changes), CHECKLIST)
    assert refused.value.details["field"] == field


def test_only_the_visitor_reports_the_visits_points():
    visit = decided(results={**ALL_PASS, "wheel_wash": "fail"})
    with pytest.raises(VisitReportMismatch) as refused:
        check_visit_report(visit, report_of(visit, actor=INSPECTOR), CHECKLIST)
    assert refused.value.details["field"] == "reported_by"


# --- who sees a visit ------------------------------------------------------------------------
def test_who_sees_a_visit():
    visit = decided(actor=INSPECTOR)
    assert can_see_visit(INSPECTOR, visit) and can_see_visit(SUPERVISOR, visit)
    assert can_see_visit(STAFF, visit) and can_see_visit(CHECKER, visit)
    assert not can_see_visit(Actor(id="walker2", role=Role.INSPECTOR), visit)
    assert not can_see_visit(Actor(id="o", role=Role.OFFICE_STAFF, office="landscaping"), visit)
    assert not can_see_visit(Actor(id="far", role=Role.SPOT_CHECKER,
                                   scopes=(Scope(offices=frozenset({"landscaping"})),)), visit)
