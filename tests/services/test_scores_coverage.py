"""Coverage and visit scores on the scoreboard over a real database; a published month keeps its figures.

July 2026 in Asia/Shanghai; the shipped frequencies (construction sites self 7 / supervisor 14 days,
compounds self 7 / supervisor 30, green belts self 7 / supervisor 14).
"""

from datetime import datetime, timezone

import pytest

from inspector.domain.roles import Role
from inspector.domain.scoring.coverage import missed
from inspector.services import exam, scores
from tests.factories import person, registered_site, visit_row


def utc(month: int, day: int, hour: int = 2, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=timezone.utc)


@pytest.fixture
def month(ctx, clock):
    """Three active sites and a retired one, and the visits of July (and either side of it)."""
    clock.current = utc(8, 2)  # July is over: every window of it is due
    a = registered_site(ctx, "城东工地")
    b = registered_site(ctx, "幸福小区", kind="community")
    g = registered_site(ctx, "滨江绿带", kind="green_belt", office="landscaping")
    registered_site(ctx, "旧工地", active=False)  # off the register: nothing due
    v = {
        # 1 July 00:30 local is still 30 June in UTC: a visit of July
        "first": visit_row(ctx, a, "self", utc(6, 30, 16, 30), met=8, applicable=10),
        "late": visit_row(ctx, a, "self", utc(7, 30), met=5, applicable=10, passed=False, starred_failed=1),
        "nothing": visit_row(ctx, a, "supervisor", utc(7, 20), met=0, applicable=0, passed=False),
        "cross": visit_row(ctx, b, "cross", utc(7, 9), met=9, applicable=10),  # not scheduled: scored, covers none
    }
    visit_row(ctx, a, "self", utc(6, 29))  # June
    visit_row(ctx, a, "self", utc(7, 31, 16, 30))  # 1 August 00:30 local: August
    return {"a": a, "b": b, "g": g}, v


def test_the_scoreboard_shows_coverage_and_the_visit_score_with_the_visits_behind_them(ctx, month):
    sites, v = month
    boss = person(ctx, "dudao", Role.SUPERVISOR)
    board = scores.scoreboard(ctx, boss, "2026-07").board
    row = board.office("construction").visiting
    # A: self 5 windows (1-7 and 29-31 covered), supervisor 3 (15-28 covered); B: self 5, supervisor 2 (30-day)
    assert (row.coverage.numerator.value, row.coverage.denominator.value) == (3, 15)
    assert set(row.coverage.numerator.ids) == {v["first"], v["late"], v["nothing"]}
    assert set(row.visits.ids) == {v["first"], v["late"], v["nothing"], v["cross"]}
    assert set(row.visit_score.ids) == {v["first"], v["late"], v["cross"]}  # nothing applied: left out
    assert row.visit_score.value == pytest.approx((0.8 + 0.5 + 0.9) / 3)
    assert set(row.failed.ids) == {v["late"], v["nothing"]}
    # the drill-down: exactly these visits, with their days; the windows missed name site and days
    shown = {x.id: x for x in board.visits if x.office == "construction"}
    assert set(shown) == set(row.visits.ids)
    assert shown[v["first"]].day.isoformat() == "2026-07-01" and shown[v["first"]].site_name == "城东工地"
    gaps = missed(w for w in board.windows if w.office == "construction")
    assert len(gaps) == 12 and {w.site_name for w in gaps} == {"城东工地", "幸福小区"}
    green = board.office("landscaping").visiting
    assert (green.coverage.numerator.value, green.coverage.denominator.value, green.visits.value) == (0, 8, 0)
    assert board.office("construction").score is None  # the shipped formula does not weigh coverage


def test_an_office_sees_only_its_own_visits_and_windows(ctx, month):
    staff = person(ctx, "yuanlin", Role.OFFICE_STAFF, "landscaping")
    board = scores.scoreboard(ctx, staff, "2026-07").board
    assert [r.office for r in board.offices] == ["landscaping"]
    assert board.visits == () and {w.office for w in board.windows} == {"landscaping"}
    assert board.overall.visiting.coverage.denominator.value == 8


def test_a_weighed_coverage_enters_the_score(ctx, month):
    ctx.settings.score_weights = "on_time_rate=0.5, coverage=0.5"
    boss = person(ctx, "dudao", Role.SUPERVISOR)
    row = scores.scoreboard(ctx, boss, "2026-07").board.office("construction")
    assert row.score == pytest.approx(100 * 3 / 15)  # no items: coverage alone, its weight shared out to it
    view = scores.scoreboard(ctx, boss, "2026-07", lang="en")
    assert "coverage" in view.formula_text


def test_a_published_month_keeps_its_coverage_after_more_visits(ctx, month):
    sites, v = month
    boss = person(ctx, "dudao", Role.SUPERVISOR)
    exam.publish(ctx, boss, "2026-07")
    more = visit_row(ctx, sites["b"], "self", utc(7, 10))  # arrives after publishing, dated in July
    frozen = scores.scoreboard(ctx, boss, "2026-07").board
    assert frozen.office("construction").visiting.coverage.numerator.value == 3
    assert more not in {x.id for x in frozen.visits}
    live = scores.scoreboard(ctx, boss, "2026-07", live=True).board
    assert live.office("construction").visiting.coverage.numerator.value == 4
    assert more in {x.id for x in live.visits}


def test_a_running_month_counts_only_windows_ended_or_covered(ctx, clock, month):
    sites, v = month
    clock.current = utc(7, 12)  # 12 July local: self 1-7 ended; 8-14 open; supervisor windows open
    boss = person(ctx, "dudao", Role.SUPERVISOR)
    row = scores.scoreboard(ctx, boss, "2026-07").board.office("construction").visiting
    # A self 1-7 covered; B self 1-7 missed; A supervisor 1-14 and B supervisor 1-30 still open
    assert (row.coverage.numerator.value, row.coverage.denominator.value) == (1, 2)
