"""Scores and summaries over a real database: an office sees only its own figures; deciders see all."""

import pytest

from inspector.domain.figures import readable_offices
from inspector.domain.permissions import Actor
from inspector.domain.roles import Role
from inspector.errors import Forbidden, UnknownOffice
from inspector.reports import summary
from inspector.services import events, scores
from tests.factories import event, person, reported, stored_photo


@pytest.fixture
def offices(ctx):
    """A supervisor, staff of two offices, and one item assigned to each office."""
    boss = person(ctx, "dudao", Role.SUPERVISOR)
    staff = {"construction": person(ctx, "jianzhu", Role.OFFICE_STAFF, "construction"),
             "landscaping": person(ctx, "yuanlin", Role.OFFICE_STAFF, "landscaping")}
    photo = stored_photo(ctx, boss, seed=1)
    ids = {}
    for office, category in (("construction", "site_sewage"), ("landscaping", "loose_soil")):
        first = reported(photo=photo, category=category)
        events.record_one(ctx, boss, first)
        events.record_one(ctx, boss, event(first.item_id, "assigned", 1, office=office, leader="陈处长",
                                           deadline="2026-07-20"))
        ids[office] = first.item_id
    return boss, staff, ids


def test_an_office_sees_only_its_own_scores(ctx, offices):
    boss, staff, ids = offices
    view = scores.scoreboard(ctx, staff["construction"], "2026-07")
    assert [row.office for row in view.board.offices] == ["construction"]
    assert view.board.office("construction").assigned.ids == (ids["construction"],)
    assert view.board.overall.assigned.ids == (ids["construction"],)  # no other office's item in the sums
    with pytest.raises(Forbidden):
        scores.scoreboard(ctx, staff["construction"], "2026-07", office="landscaping")
    everyone = scores.scoreboard(ctx, boss, "2026-07").board
    assert everyone.overall.assigned.ids == tuple(sorted(ids.values()))


def test_an_office_summary_holds_only_its_own_items(ctx, offices):
    boss, staff, ids = offices
    own = summary.gather(ctx, staff["landscaping"])
    assert own.office == "landscaping" and own.offices == ["landscaping"]
    assert [line.id for line in own.items] == [ids["landscaping"]]
    assert sorted(line.id for line in summary.gather(ctx, boss).items) == sorted(ids.values())
    with pytest.raises(Forbidden):
        summary.gather(ctx, staff["landscaping"], office="construction")


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.SPOT_CHECKER])
def test_people_of_no_office_read_no_figures(ctx, offices, role):
    outsider = person(ctx, "waibu", role)
    with pytest.raises(Forbidden):
        scores.scoreboard(ctx, outsider, "2026-07")
    with pytest.raises(Forbidden):
        summary.gather(ctx, outsider)


def test_the_one_rule_of_whose_figures_one_reads():
    staff = Actor(id="s", role=Role.OFFICE_LEADER, office="construction")
    boss = Actor(id="b", role=Role.SUPERVISOR)
    assert readable_offices(staff) == readable_offices(staff, "construction") == ["construction"]
    assert readable_offices(boss, "landscaping") == ["landscaping"]
    assert "landscaping" in readable_offices(boss) and len(readable_offices(boss)) > 1
    with pytest.raises(Forbidden) as refused:
        readable_offices(staff, "landscaping", action="info.read")
    assert refused.value.details["action"] == "info.read"
    with pytest.raises(UnknownOffice):
        readable_offices(boss, "police")
