"""Visit schedules: due dates on local days across month and year ends, coverage windows. Pure, no IO."""

from datetime import date

import pytest

from inspector.domain.schedules import (DEFAULT_VISIT_EVERY, MAX_EVERY_DAYS, checked_frequencies, coverage,
                                        frequencies, next_due, visit_every_of, windows)

SITE_TYPES = ("construction_site", "green_belt", "community", "office_area")
CHECK_TYPES = ("self", "cross", "supervisor", "spot", "technical")


@pytest.mark.parametrize("last, every, due", [
    (date(2026, 7, 28), 7, date(2026, 8, 4)),  # across a month's end
    (date(2026, 12, 27), 14, date(2027, 1, 10)),  # across a year's end
    (date(2028, 2, 25), 7, date(2028, 3, 3)),  # a leap February has 29 days
    (date(2027, 2, 25), 7, date(2027, 3, 4)),  # a common one 28
    (date(2028, 1, 31), 30, date(2028, 3, 1)),
])
def test_a_site_is_due_every_days_after_its_last_visit(last, every, due):
    assert next_due("s", "self", every, last, start=date(2026, 1, 1)).due == due


def test_a_site_never_visited_is_due_every_days_after_the_start():
    entry = next_due("s", "supervisor", 14, None, start=date(2026, 7, 1))
    assert entry.due == date(2026, 7, 15) and entry.last_visit is None and entry.every_days == 14


def test_a_site_is_overdue_the_day_after_its_due_day():
    entry = next_due("s", "self", 7, date(2026, 7, 28), start=date(2026, 7, 1))
    assert not entry.overdue_on(date(2026, 8, 3)) and entry.days_overdue(date(2026, 8, 3)) == 0
    assert not entry.overdue_on(date(2026, 8, 4)) and entry.days_overdue(date(2026, 8, 4)) == 0
    assert entry.overdue_on(date(2026, 8, 5)) and entry.days_overdue(date(2026, 8, 5)) == 1
    assert entry.days_overdue(date(2026, 9, 1)) == 28


@pytest.mark.parametrize("first, last, count, tail", [
    (date(2026, 7, 1), date(2026, 7, 31), 5, (date(2026, 7, 29), date(2026, 7, 31))),  # 31 days
    (date(2026, 6, 1), date(2026, 6, 30), 5, (date(2026, 6, 29), date(2026, 6, 30))),  # 30 days
    (date(2027, 2, 1), date(2027, 2, 28), 4, (date(2027, 2, 22), date(2027, 2, 28))),  # 28: four whole weeks
    (date(2028, 2, 1), date(2028, 2, 29), 5, (date(2028, 2, 29), date(2028, 2, 29))),  # 29: a one-day window
])
def test_a_month_is_cut_into_weekly_windows_the_last_maybe_shorter(first, last, count, tail):
    spans = windows(first, last, 7)
    assert len(spans) == count and spans[0] == (first, date(first.year, first.month, 7)) and spans[-1] == tail
    assert all((b - a).days == 6 for a, b in spans[:-1])
    assert all(after[0] == before[1].replace(day=before[1].day + 1) for before, after in zip(spans, spans[1:]))


def test_windows_refuse_fewer_than_one_day():
    with pytest.raises(ValueError):
        windows(date(2026, 7, 1), date(2026, 7, 31), 0)


def test_coverage_counts_the_windows_that_hold_a_visit():
    july = (date(2026, 7, 1), date(2026, 7, 31))
    visits = [date(2026, 7, 2), date(2026, 7, 3), date(2026, 7, 30), date(2026, 8, 1), date(2026, 6, 30)]
    weekly = coverage("s", "self", 7, *july, visits)
    assert (weekly.due, weekly.covered) == (5, 2)  # two in the first week count once; August's is not July's
    fortnightly = coverage("s", "supervisor", 14, *july, visits)
    assert (fortnightly.due, fortnightly.covered) == (3, 2)  # 1-14, 15-28, 29-31
    assert coverage("s", "self", 7, *july, []).covered == 0


def test_the_defaults_are_the_contract_and_an_empty_campaign_value_means_them():
    assert DEFAULT_VISIT_EVERY == {
        "construction_site": {"self": 7, "supervisor": 14}, "green_belt": {"self": 7, "supervisor": 14},
        "community": {"self": 7, "supervisor": 30}, "office_area": {"self": 14, "supervisor": 30}}
    assert visit_every_of({}) == visit_every_of(None) == DEFAULT_VISIT_EVERY
    mine = {"community": {"self": 3}}
    assert visit_every_of(mine) == mine  # a campaign's value replaces the defaults whole
    assert frequencies(visit_every_of(mine), "construction_site") == {}
    assert frequencies(visit_every_of(None), "office_area") == {"self": 14, "supervisor": 30}


def test_frequencies_leave_out_what_is_not_whole_days_in_range():
    raw = {"community": {"self": 7, "cross": 0, "supervisor": 400, "spot": True, "technical": "7"}}
    assert frequencies(raw, "community") == {"self": 7}
    assert frequencies({"community": [7]}, "community") == {} and frequencies([], "community") == {}


def test_checked_frequencies_keeps_a_good_grid():
    raw = {"construction_site": {"self": 7, "supervisor": 14}, "community": {"self": MAX_EVERY_DAYS}}
    assert checked_frequencies(raw, SITE_TYPES, CHECK_TYPES) == raw
    assert checked_frequencies({}, SITE_TYPES, CHECK_TYPES) == {}


@pytest.mark.parametrize("raw, words", [
    ([["community", 7]], "must map"),
    ({"stadium": {"self": 7}}, "'stadium' is not a site type"),
    ({"community": 7}, "community: give check types"),
    ({"community": {"weekly": 7}}, "'weekly' is not a check type"),
    ({"community": {"self": 0}}, "whole number"),
    ({"community": {"self": MAX_EVERY_DAYS + 1}}, "whole number"),
    ({"community": {"self": 7.5}}, "whole number"),
    ({"community": {"self": True}}, "whole number"),
    ({"community": {"self": "7"}}, "whole number"),
])
def test_checked_frequencies_names_the_first_problem(raw, words):
    with pytest.raises(ValueError, match=words):
        checked_frequencies(raw, SITE_TYPES, CHECK_TYPES)
