"""Which rounds a phone offers for a cross check (``domain.rounds.fitting_rounds``), and a visit draft naming
one: the visit and its failed points' reports carry it, a check of another type none (issue 11)."""

from datetime import date, datetime, timezone

import pytest

from inspector.domain.permissions import Actor
from inspector.domain.roles import Role
from inspector.domain.rounds import CrossRound, fitting_rounds
from inspector.domain.visit_drafts import VisitDraft, from_json, to_json, visit_events
from tests.domain.test_visits import CHECKLIST

GARDENERS = CrossRound(id="r-1", inspecting_office="landscaping", inspected_office="construction",
                       starts=date(2026, 7, 13), ends=date(2026, 7, 17))
BUILDERS = CrossRound(id="r-2", inspecting_office="construction", inspected_office="landscaping",
                      starts=date(2026, 7, 13), ends=date(2026, 7, 17))
LATER = CrossRound(id="r-3", inspecting_office="real_estate", inspected_office="construction",
                   starts=date(2026, 7, 18), ends=date(2026, 7, 20))
DEALERS = CrossRound(id="r-4", inspecting_office="real_estate", inspected_office="construction",
                     starts=date(2026, 7, 15), ends=date(2026, 7, 15))
ALL = [GARDENERS, BUILDERS, LATER, DEALERS]
GARDENER = Actor(id="gardener", role=Role.OFFICE_STAFF, office="landscaping")
DEALER = Actor(id="dealer", role=Role.OFFICE_LEADER, office="real_estate")
INSPECTOR = Actor(id="walker", role=Role.INSPECTOR)
DAY = date(2026, 7, 15)


@pytest.mark.parametrize("actor, office, day, fitting", [
    (GARDENER, "construction", DAY, ["r-1"]),  # the team's own round of that office
    (GARDENER, "landscaping", DAY, []),  # its own office is inspected by another team
    (DEALER, "construction", DAY, ["r-4"]),
    (DEALER, "construction", date(2026, 7, 19), ["r-3"]),
    (INSPECTOR, "construction", DAY, ["r-1", "r-4"]),  # the bureau walks with any team, in the given order
    (INSPECTOR, "construction", date(2026, 7, 12), []),  # before any round: a free cross check
    (INSPECTOR, "construction", date(2026, 7, 17), ["r-1"]),  # a round's last day is in it
    (INSPECTOR, "other_units", DAY, []),
])
def test_the_rounds_that_fit_are_those_the_claim_check_takes(actor, office, day, fitting):
    assert [r.id for r in fitting_rounds(actor, ALL, office, day)] == fitting


def draft(check_type: str, round_id: str | None) -> VisitDraft:
    codes = [p.code for p in CHECKLIST.points]
    walked = VisitDraft(id="visit-1", site_id="site-1", checklist_id=CHECKLIST.id, check_type=check_type,
                        started_at=datetime(2026, 7, 15, 2, tzinfo=timezone.utc), round_id=round_id)
    for code in codes:
        walked = walked.mark(code, "pass")
    return walked.mark(codes[0], "fail").with_photos(codes[0], ("a" * 64,))


def ids():
    counter = iter(range(100))
    return lambda: f"item-{next(counter)}"


def test_a_cross_visit_naming_a_round_and_its_reports_carry_it():
    visit, *reports = visit_events(draft("cross", "r-1"), CHECKLIST, "construction",
                                   {"lat": 30.0, "lon": 120.0}, "visited", ids())
    assert visit.payload["round"] == "r-1"
    assert reports and all(r.payload["round"] == "r-1" and r.payload["check_type"] == "cross" for r in reports)
    assert from_json(to_json(draft("cross", "r-1"))).round_id == "r-1"  # kept on the device with the draft


@pytest.mark.parametrize("check_type, round_id", [("cross", None), ("self", "r-1")])
def test_no_round_named_or_not_a_cross_check_no_round_is_sent(check_type, round_id):
    made = visit_events(draft(check_type, round_id), CHECKLIST, "construction", {"lat": 30.0, "lon": 120.0},
                        "visited", ids())
    assert all("round" not in m.payload for m in made)
    kept = to_json(draft(check_type, round_id))
    assert from_json({k: v for k, v in kept.items() if k != "round"}).round_id is None  # an older app's draft
