"""Visits on the scoreboard: windows due and covered, the average visit score, worked out by hand.

July 2026, Asia/Shanghai. Weekly windows: 1-7, 8-14, 15-21, 22-28, 29-31 (five);
fortnightly: 1-14, 15-28, 29-31 (three); every 30 days: 1-30, 31 (two).
"""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from pydantic import TypeAdapter

from inspector.domain.schedules import coverage as schedule_coverage
from inspector.domain.scoring import (Facts, Scoreboard, ScoreFormula, SiteSchedule, VisitFact, build_scoreboard,
                                      month_period, month_visits)
from inspector.domain.scoring.coverage import due_windows, for_office, missed
from inspector.domain.scoring.exam import Amendment, AmendmentKind, amended_board, for_offices

ZONE = ZoneInfo("Asia/Shanghai")
JULY = month_period("2026-07", ZONE)
AUGUST_2 = datetime(2026, 8, 2, 2, 0, tzinfo=timezone.utc)

SITE_A = SiteSchedule("a", "城东工地", "construction", {"self": 7, "supervisor": 14})
SITE_B = SiteSchedule("b", "幸福小区", "construction", {"self": 7, "supervisor": 30})  # never visited
SITE_G = SiteSchedule("g", "滨江绿带", "landscaping", {"self": 7, "supervisor": 14})  # never visited


def visit(id_, site, day, check_type="self", met=8, applicable=10, passed=True, office="construction") -> VisitFact:
    return VisitFact(id_, office, site, site.upper(), date(2026, 7, day), check_type, met, applicable, passed)


VISITS = [
    visit("v1", "a", 3, met=8, applicable=10),  # self, window 1-7
    visit("v2", "a", 5, met=10, applicable=10),  # self, window 1-7 again: one window, two visits
    visit("v3", "a", 30, met=5, applicable=10, passed=False),  # self, the short window 29-31; a starred failure
    visit("v4", "a", 20, check_type="supervisor", met=0, applicable=0, passed=False),  # nothing applied
]


def month(visits=VISITS, starts=None, today=None, offices=("construction", "landscaping")):
    return month_visits([SITE_A, SITE_B, SITE_G], visits, list(offices), JULY.first_day, JULY.last_day,
                        starts, today)


def test_a_whole_month_counts_every_window_of_every_scheduled_check_type():
    figures = month().figures["construction"]
    # A: self 5 windows (1-7 and 29-31 covered), supervisor 3 (15-28 covered); B: self 5, supervisor 2, none covered
    assert (figures.coverage.numerator.value, figures.coverage.denominator.value) == (3, 15)
    assert figures.coverage.value == pytest.approx(0.2)
    assert figures.coverage.numerator.ids == ("v1", "v3", "v4")  # the first visit of each covered window


def test_the_count_is_the_schedules_rule_window_by_window():
    windows = due_windows([SITE_A, SITE_B], VISITS, JULY.first_day, JULY.last_day)
    for site in ("a", "b"):
        for check_type, every in {"a": SITE_A, "b": SITE_B}[site].every.items():
            mine = [w for w in windows if w.site == site and w.check_type == check_type]
            days = [v.day for v in VISITS if v.site == site and v.check_type == check_type]
            by_rule = schedule_coverage(site, check_type, every, JULY.first_day, JULY.last_day, days)
            assert (len(mine), sum(w.covered for w in mine)) == (by_rule.due, by_rule.covered)


def test_the_short_window_at_the_months_end_is_due_and_listed_when_missed():
    windows = month().windows
    short = [w for w in windows if w.site == "b" and w.check_type == "self" and w.first == date(2026, 7, 29)]
    assert [(w.first, w.last, w.covered) for w in short] == [(date(2026, 7, 29), date(2026, 7, 31), False)]
    monthly = [(w.first.day, w.last.day) for w in windows if w.site == "b" and w.check_type == "supervisor"]
    assert monthly == [(1, 30), (31, 31)]
    assert sum(1 for w in missed(windows) if w.office == "construction") == 12


def test_the_visit_score_leaves_out_visits_where_nothing_applied_and_counts_failed_visits():
    figures = month().figures["construction"]
    assert figures.visit_score.value == pytest.approx((0.8 + 1.0 + 0.5) / 3)
    assert figures.visit_score.ids == ("v1", "v2", "v3")  # v4 had no point applicable
    assert figures.visits.ids == ("v1", "v2", "v3", "v4")
    assert figures.failed.ids == ("v3", "v4")


def test_an_office_without_visits_has_its_windows_missed_and_no_visit_score():
    figures = month().figures["landscaping"]
    assert (figures.coverage.numerator.value, figures.coverage.denominator.value) == (0, 8)
    assert figures.visit_score.value is None and figures.visits.value == 0
    visits, windows = for_office(month(), "landscaping")
    assert visits == () and {w.site for w in windows} == {"g"} and not any(w.covered for w in windows)


def test_windows_start_on_the_campaigns_first_day_when_it_is_later():
    windows = month(starts=date(2026, 7, 11)).windows
    assert [(w.first.day, w.last.day) for w in windows if w.site == "b" and w.check_type == "self"] == \
        [(11, 17), (18, 24), (25, 31)]
    assert month(starts=date(2026, 8, 1)).windows == ()  # the campaign starts after the month
    assert month(starts=date(2026, 8, 1)).figures["construction"].coverage.value is None


def test_a_running_month_counts_windows_ended_or_already_covered():
    windows = month(today=date(2026, 7, 20)).windows
    a = sorted((w.check_type, w.first.day, w.covered) for w in windows if w.site == "a")
    # self: 1-7 covered, 8-14 missed, 15-21 open and empty (not yet due); supervisor: 1-14 missed, 15-28 covered
    assert a == [("self", 1, True), ("self", 8, False), ("supervisor", 1, False), ("supervisor", 15, True)]


def test_coverage_is_a_measure_the_formula_may_weigh_and_the_shipped_one_does_not():
    items = [Facts("c1", "construction", "verified", datetime(2026, 7, 1, tzinfo=timezone.utc),
                   datetime(2026, 7, 2, tzinfo=timezone.utc), datetime(2026, 7, 10, tzinfo=timezone.utc),
                   datetime(2026, 7, 8, tzinfo=timezone.utc), datetime(2026, 7, 9, tzinfo=timezone.utc), None,
                   0, 0, 0, 0, 0)]
    plain = build_scoreboard(items, JULY, AUGUST_2, ZONE, offices=["construction"])
    shipped = build_scoreboard(items, JULY, AUGUST_2, ZONE, offices=["construction"], visiting=month())
    assert shipped.office("construction").score == plain.office("construction").score == 100.0
    assert shipped.office("construction").coverage.value == pytest.approx(0.2)
    weighed = ScoreFormula.parse("on_time_rate=0.5, coverage=0.5")
    row = build_scoreboard(items, JULY, AUGUST_2, ZONE, weighed, ["construction"], month()).office("construction")
    assert row.score == pytest.approx(100 * (0.5 * 1.0 + 0.5 * 0.2))
    # nothing due: coverage has no value and its weight goes to the measures that have one
    alone = build_scoreboard(items, JULY, AUGUST_2, ZONE, weighed, ["construction"]).office("construction")
    assert alone.score == 100.0 and dict(alone.weights) == {"on_time_rate": 1.0}


def test_the_all_offices_row_adds_the_offices_up():
    board = build_scoreboard([], JULY, AUGUST_2, ZONE, offices=["construction", "landscaping"], visiting=month())
    overall = board.overall.visiting
    assert (overall.coverage.numerator.value, overall.coverage.denominator.value) == (3, 23)
    assert overall.visit_score.value == pytest.approx((0.8 + 1.0 + 0.5) / 3)
    assert overall.failed.value == 2


def test_a_published_board_keeps_its_visits_through_json_and_amendments():
    facts = [Facts("c1", "construction", "assigned", datetime(2026, 7, 1, tzinfo=timezone.utc),
                   datetime(2026, 7, 2, tzinfo=timezone.utc), datetime(2026, 7, 10, tzinfo=timezone.utc),
                   None, None, None, 0, 0, 0, 0, 0)]
    weighed = ScoreFormula.parse("on_time_rate=0.5, coverage=0.5")
    board = build_scoreboard(facts, JULY, AUGUST_2, ZONE, weighed, ["construction", "landscaping"], month())
    adapter = TypeAdapter(Scoreboard)
    again = adapter.validate_python(adapter.dump_python(board, mode="json"))
    assert again == board
    cut = Amendment("a1", "2026-07", "construction", AmendmentKind.EXCLUDE, "误派", "u", "督导", AUGUST_2,
                    item_id="c1")
    row = amended_board(again, facts, [cut]).board.office("construction")
    assert row.coverage.value == pytest.approx(0.2) and row.score == pytest.approx(20.0)  # coverage alone now
    mine = for_offices(again, facts, ["landscaping"], ZONE)
    assert mine.visits == () and {w.office for w in mine.windows} == {"landscaping"}


def test_a_board_published_before_visits_were_scored_still_reads():
    board = build_scoreboard([], JULY, AUGUST_2, ZONE, offices=["construction"])
    old = TypeAdapter(Scoreboard).dump_python(board, mode="json")
    for row in (*old["offices"], old["overall"]):
        del row["visiting"]
    del old["visits"], old["windows"]
    read = TypeAdapter(Scoreboard).validate_python(old)
    assert read.office("construction").coverage.value is None and read.windows == ()
