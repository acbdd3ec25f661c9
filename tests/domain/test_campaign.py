"""Campaign rules: phases, validation, look-back days and top leaders. Pure, no IO."""

from dataclasses import replace
from datetime import date

import pytest

from inspector.domain import catalog
from inspector.domain.campaign import (
    Campaign,
    Phase,
    current_phase,
    default_campaign,
    look_back_days_for,
    phases_data,
    phases_from,
    problems,
    top_leader_for,
    validate,
)
from inspector.errors import InvalidRequest

SUMMER = default_campaign(date(2026, 7, 15))


def test_the_default_campaign_spreads_the_three_phases_over_the_summer_of_the_year():
    assert SUMMER.name == "夏季集中大整治"
    assert [(p.code, p.starts, p.ends) for p in SUMMER.phases] == [
        ("publicity", date(2026, 7, 1), date(2026, 7, 10)),
        ("rectification", date(2026, 7, 11), date(2026, 8, 10)),
        ("summary", date(2026, 8, 11), date(2026, 8, 31)),
    ]
    assert set(SUMMER.offices) == catalog.OFFICE_CODES and len(SUMMER.categories) == len(catalog.CATEGORIES)
    assert problems(SUMMER) == []
    assert default_campaign(date(2031, 1, 3)).phases[0].starts == date(2031, 7, 1)


@pytest.mark.parametrize("day,phase", [
    (date(2026, 6, 30), None),
    (date(2026, 7, 1), "publicity"),
    (date(2026, 7, 10), "publicity"),
    (date(2026, 7, 11), "rectification"),
    (date(2026, 8, 10), "rectification"),
    (date(2026, 8, 11), "summary"),
    (date(2026, 8, 31), "summary"),
    (date(2026, 9, 1), None),
])
def test_current_phase_is_the_one_holding_the_local_day_ends_inclusive(day, phase):
    assert current_phase(SUMMER, day) == phase


def test_no_phase_between_phases_for_an_inactive_campaign_or_none():
    gappy = replace(SUMMER, phases=(Phase("publicity", date(2026, 7, 1), date(2026, 7, 5)),
                                    Phase("rectification", date(2026, 7, 10), date(2026, 7, 20))))
    assert current_phase(gappy, date(2026, 7, 7)) is None
    assert current_phase(replace(SUMMER, active=False), date(2026, 7, 15)) is None
    assert current_phase(None, date(2026, 7, 15)) is None


@pytest.mark.parametrize("change,words", [
    ({"phases": (Phase("rectification", date(2026, 7, 11), date(2026, 7, 20)),
                 Phase("summary", date(2026, 7, 20), date(2026, 7, 31)))}, "before rectification ends"),
    ({"phases": (Phase("summary", date(2026, 7, 1), date(2026, 7, 5)),
                 Phase("publicity", date(2026, 7, 6), date(2026, 7, 9)))}, "cannot come after"),
    ({"phases": (Phase("publicity", date(2026, 7, 10), date(2026, 7, 1)),)}, "ends (2026-07-01) before"),
    ({"phases": (Phase("party", date(2026, 7, 1), date(2026, 7, 2)),)}, "unknown phase"),
    ({"phases": (Phase("publicity", date(2026, 7, 1), date(2026, 7, 2)),
                 Phase("publicity", date(2026, 7, 3), date(2026, 7, 4)))}, "listed twice"),
    ({"phases": ()}, "at least one phase"),
    ({"offices": ("construction", "police")}, "unknown office 'police'"),
    ({"offices": ()}, "at least one office"),
    ({"categories": ("site_sewage", "litter")}, "unknown category 'litter'"),
    ({"look_back_days": {"site_sewage": 0}}, "from 1 to 365"),
    ({"look_back_days": {"site_sewage": "7"}}, "from 1 to 365"),
    ({"look_back_days": {"nonsense": 7}}, "unknown category"),
    ({"top_leaders": {"construction": "  "}}, "must be a name"),
    ({"top_leaders": {"mars": "周局长"}}, "unknown office"),
    ({"name": " "}, "name must not be empty"),
])
def test_validation_names_each_problem(change, words):
    bad = replace(SUMMER, **change)
    found = problems(bad)
    assert any(words in p for p in found), found
    with pytest.raises(InvalidRequest) as raised:
        validate(bad)
    assert words in raised.value.details["problem"]


def test_a_valid_campaign_passes_validation_unchanged():
    good = replace(SUMMER, look_back_days={"site_sewage": 10}, top_leaders={"construction": "周局长"})
    assert validate(good) is good


def test_look_back_days_come_from_the_campaign_else_the_catalogue():
    custom = replace(SUMMER, look_back_days={"site_sewage": 10})
    assert look_back_days_for(custom, "site_sewage") == 10
    assert look_back_days_for(custom, "mosquito_breeding") == 7  # the catalogue's
    assert look_back_days_for(None, "missing_trees") == 30
    assert look_back_days_for(SUMMER, "site_sewage") == catalog.category("site_sewage").look_back_days


def test_top_leader_is_named_per_office():
    named = replace(SUMMER, top_leaders={"construction": " 周局长 "})
    assert top_leader_for(named, "construction") == "周局长"
    assert top_leader_for(named, "landscaping") is None
    assert top_leader_for(None, "construction") is None


def test_phases_round_trip_through_json_and_bad_ones_are_refused():
    assert phases_from(phases_data(SUMMER.phases)) == SUMMER.phases
    with pytest.raises(InvalidRequest):
        phases_from([{"code": "publicity", "starts": "July 1st", "ends": "2026-07-10"}])
    with pytest.raises(InvalidRequest):
        phases_from([{"code": "publicity"}])
    with pytest.raises(InvalidRequest):
        phases_from("publicity")


def test_campaign_defaults_cover_the_whole_catalogue():
    c = Campaign(name="x", phases=SUMMER.phases)
    assert set(c.offices) == catalog.OFFICE_CODES and validate(c) is c
