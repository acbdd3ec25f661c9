"""A visit or report naming a cross-inspection round is held to it: the round's check type, inspected office,
days and team (``domain.rounds.check_round``, called by ``decide_visit`` and the server's report check)."""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from inspector.domain.permissions import Actor
from inspector.domain.roles import Role
from inspector.domain.rounds import CrossRound, check_round
from inspector.domain.visits import VisitedSite, decide_visit
from inspector.errors import NotInRound, RoundNotCross, RoundNotRunning, RoundOtherOffice, UnknownRound
from tests.domain.test_visits import CHECKLIST, visited

ZONE = ZoneInfo("Asia/Shanghai")
ROUND = CrossRound(id="r-1", inspecting_office="landscaping", inspected_office="construction",
                   starts=date(2026, 7, 13), ends=date(2026, 7, 17))
TEAM = Actor(id="gardener", role=Role.OFFICE_STAFF, office="landscaping")
OUTSIDER = Actor(id="dealer", role=Role.OFFICE_STAFF, office="real_estate")
INSPECTOR = Actor(id="walker", role=Role.INSPECTOR)
# 2026-07-13 00:30 in Shanghai is still 07-12 in UTC: the round's first local day.
FIRST_MORNING = datetime(2026, 7, 12, 16, 30, tzinfo=timezone.utc)
LAST_NIGHT = datetime(2026, 7, 17, 15, 59, tzinfo=timezone.utc)  # 23:59 on 07-17 in Shanghai
AFTER = datetime(2026, 7, 17, 16, 0, tzinfo=timezone.utc)  # 00:00 on 07-18 in Shanghai


def claim(actor=TEAM, round_id="r-1", found=ROUND, check_type="cross", office="construction", at=FIRST_MORNING):
    check_round(actor, round_id, found, check_type, office, at, ZONE)


@pytest.mark.parametrize("actor", [TEAM, INSPECTOR, Actor(id="boss", role=Role.SUPERVISOR)])
@pytest.mark.parametrize("at", [FIRST_MORNING, LAST_NIGHT])
def test_the_team_and_the_bureau_claim_the_round_on_its_days(actor, at):
    claim(actor=actor, at=at)  # nothing raised


def test_no_round_named_nothing_to_check():
    claim(round_id=None, found=None, check_type="self", office="landscaping", actor=OUTSIDER)


@pytest.mark.parametrize("change, error, details", [
    ({"found": None}, UnknownRound, {"round": "r-1"}),
    ({"check_type": "self"}, RoundNotCross, {"round": "r-1"}),
    ({"office": "landscaping"}, RoundOtherOffice, {"office": "construction"}),
    ({"actor": OUTSIDER}, NotInRound, {"office": "landscaping"}),
    ({"at": AFTER}, RoundNotRunning, {"starts": "2026-07-13", "ends": "2026-07-17", "day": "2026-07-18"}),
    ({"at": datetime(2026, 7, 12, 15, 59, tzinfo=timezone.utc)}, RoundNotRunning, {"day": "2026-07-12"}),
])
def test_a_claim_that_does_not_fit_the_round_is_refused_with_its_reason(change, error, details):
    with pytest.raises(error) as raised:
        claim(**change)
    assert details.items() <= raised.value.details.items()


def test_a_visit_naming_a_round_is_held_to_it():
    site = VisitedSite(id="site-1", site_type="construction_site", office="construction")
    event = visited(check_type="cross", round="r-1")  # received 2026-07-15, inside the round
    assert decide_visit(TEAM, None, event, CHECKLIST, site, ROUND, ZONE).round_id == "r-1"
    with pytest.raises(NotInRound):
        decide_visit(OUTSIDER, None, event, CHECKLIST, site, ROUND, ZONE)
    with pytest.raises(UnknownRound):
        decide_visit(TEAM, None, event, CHECKLIST, site, None, ZONE)
    landscaped = VisitedSite(id="site-2", site_type="construction_site", office="landscaping")
    with pytest.raises(RoundOtherOffice):
        decide_visit(INSPECTOR, None, visited(check_type="cross", round="r-1", site="site-2"), CHECKLIST,
                     landscaped, ROUND, ZONE)
