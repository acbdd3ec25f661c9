"""The monthly exam: a fixed history of events, projected, scored, and checked against sums done by hand.

All times below are local (Asia/Shanghai, UTC+8). July 2026 starts on a
Wednesday: ISO weeks W27 (Jun 29-Jul 5), W28 (6-12), W29 (13-19), W30 (20-26),
W31 (27-Aug 2).
"""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from inspector.domain.events import Event, frozen_payload
from inspector.domain.items import project
from inspector.domain.scoring import (
    ALL,
    ScoreFormula,
    as_of,
    build_scoreboard,
    days_period,
    month_period,
    office_score,
)

ZONE = ZoneInfo("Asia/Shanghai")
PHOTO, AFTER = "a" * 64, "b" * 64
LOCATION = {"lat": 30.27, "lon": 120.15, "accuracy_m": 8, "source": "gps"}
NOW = datetime(2026, 7, 31, 12, 0, tzinfo=ZONE)
LABELS = {"on_time_rate": "按期办结率", "rework_rate": "返工率", "rebound_rate": "反弹率",
          "spot_agreement": "抽查一致率"}


def local(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=ZONE)


class History:
    """Events of one item, with server times and versions filled in."""

    def __init__(self, item_id: str, office: str, reported: datetime, category: str = "site_sewage"):
        self.item_id, self.version, self.events = item_id, 0, []
        self.add("reported", reported, category=category, office=office, location=LOCATION, photos=[PHOTO])

    def add(self, kind: str, when: datetime, **payload) -> "History":
        self.events.append(Event(
            id=f"{self.item_id}-{len(self.events)}", item_id=self.item_id, kind=kind, actor_id="u",
            at=when, server_at=when, base_version=self.version, payload=frozen_payload(payload)))
        if kind not in ("commented", "spot_checked"):
            self.version += 1
        return self

    def assign(self, when: datetime, deadline: str, office: str = "construction") -> "History":
        return self.add("assigned", when, office=office, leader="陈处长", deadline=deadline)

    def fix(self, when: datetime) -> "History":
        return self.add("fix_submitted", when, photos=[AFTER])

    def state(self):
        return project(self.events, ZONE)


def histories() -> dict[str, History]:
    h = {}
    # A: on time; one spot check that agrees.
    h["A"] = (History("A", "construction", local(7, 1, 9)).assign(local(7, 1), "2026-07-05")
              .fix(local(7, 3)).add("verified", local(7, 4))
              .add("spot_checked", local(7, 6), verdict="agree", photos=[AFTER]))
    # B: extended to 07-10, fixed 07-08 (inside the new deadline), verified: closed but NOT on time.
    h["B"] = (History("B", "construction", local(7, 2, 9)).assign(local(7, 2), "2026-07-04")
              .add("extension_requested", local(7, 3), until="2026-07-10", reason="等材料")
              .add("extension_granted", local(7, 3, 12), until="2026-07-10")
              .fix(local(7, 8)).add("verified", local(7, 9)))
    # C: first fix rejected, second fix on time; one spot check that disagrees.
    h["C"] = (History("C", "construction", local(7, 3, 9)).assign(local(7, 3), "2026-07-10")
              .fix(local(7, 5)).add("rejected", local(7, 6), reason="不彻底")
              .fix(local(7, 7)).add("verified", local(7, 8))
              .add("spot_checked", local(7, 9), verdict="disagree", photos=[AFTER]))
    # D: fixed and verified in June, rebounded 07-10 (re-assigned, deadline 07-13), fixed again, verified.
    h["D"] = (History("D", "construction", local(6, 20, 9)).assign(local(6, 20), "2026-06-25")
              .fix(local(6, 22)).add("verified", local(6, 23))
              .add("rebounded", local(7, 10), photos=[AFTER], leader="周局长", deadline="2026-07-13")
              .fix(local(7, 12)).add("verified", local(7, 13)))
    # E: assigned 07-20, deadline 07-22, acknowledged and never fixed: overdue on 07-31.
    h["E"] = (History("E", "construction", local(7, 20, 9)).assign(local(7, 20), "2026-07-22")
              .add("acknowledged", local(7, 20, 11)))
    # F: fixed a day after the deadline, verified: closed, late.
    h["F"] = (History("F", "construction", local(7, 14, 9)).assign(local(7, 14), "2026-07-15")
              .fix(local(7, 17)).add("verified", local(7, 18)))
    # G: assigned, then dismissed: not a task of the office, out of the cohort.
    h["G"] = (History("G", "construction", local(7, 5, 9)).assign(local(7, 5), "2026-07-08")
              .add("dismissed", local(7, 6), reason="不属实"))
    # H: reported, never assigned.
    h["H"] = History("H", "construction", local(7, 25, 9))
    # I: fix submitted on time, waiting for verification.
    h["I"] = (History("I", "construction", local(7, 21, 9)).assign(local(7, 21), "2026-07-30")
              .fix(local(7, 25)))
    # J: June backlog, deadline 06-15, still being fixed: overdue, but of June's cohort.
    h["J"] = (History("J", "construction", local(6, 10, 9)).assign(local(6, 10), "2026-06-15")
              .add("acknowledged", local(6, 11)))
    # L: assigned in June (deadline 06-28), fixed 07-02, verified 07-03.
    h["L"] = (History("L", "construction", local(6, 25, 9)).assign(local(6, 25), "2026-06-28")
              .fix(local(7, 2)).add("verified", local(7, 3)))
    # M: assigned in May (deadline 05-25), fixed only on 07-01, not yet verified.
    h["M"] = (History("M", "construction", local(5, 20, 9)).assign(local(5, 20), "2026-05-25")
              .fix(local(7, 1)))
    # N: assigned in May (deadline 05-28), dismissed on 07-02.
    h["N"] = (History("N", "construction", local(5, 21, 9)).assign(local(5, 21), "2026-05-28")
              .add("dismissed", local(7, 2), reason="不属实"))
    # K: landscaping, on time, nothing else.
    h["K"] = (History("K", "landscaping", local(7, 2, 9)).assign(local(7, 2), "2026-07-04", office="landscaping")
              .fix(local(7, 3)).add("verified", local(7, 4)))
    return h


@pytest.fixture(scope="module")
def states():
    return [history.state() for history in histories().values()]


@pytest.fixture(scope="module")
def july(states):
    return build_scoreboard(states, month_period("2026-07", ZONE), NOW, ZONE)


def ids(count):
    return set(count.ids)


def test_the_histories_project_to_the_states_the_cases_need(states):
    by_id = {s.id: s for s in states}
    assert by_id["B"].extensions_granted == 1 and by_id["C"].rework_count == 1
    assert by_id["D"].rebound_count == 1 and by_id["D"].assigned_at == local(7, 10)
    assert by_id["E"].status == "rectifying" and by_id["G"].status == "dismissed"
    assert by_id["A"].spot_agree == 1 and by_id["C"].spot_disagree == 1


def test_construction_in_july_by_hand(july):
    row = july.office("construction")
    # Cohort = assigned in July, dismissed excepted: A B C D(rebound 07-10) E F I = 7.
    # Not: G (dismissed), H (never assigned), J and L (assigned in June).
    assert ids(row.assigned) == {"A", "B", "C", "D", "E", "F", "I"} and row.assigned.value == 7
    # Closed (verified or closed): A B C D F = 5; E is rectifying, I awaits verification.
    assert ids(row.closed) == {"A", "B", "C", "D", "F"}
    # On time: A (fix 07-03 <= 07-05), C (07-07 <= 07-10), D (07-12 <= 07-13).
    # Not B: extended, though fixed before its new deadline. Not F: fixed 07-17 > 07-15.
    assert ids(row.closed_on_time) == {"A", "C", "D"}
    assert ids(row.extended) == {"B"}
    # On-time closure rate = 3 / 7.
    assert row.on_time_rate.value == pytest.approx(3 / 7)
    assert ids(row.on_time_rate.denominator) == ids(row.assigned)
    # Fixes submitted: A 1, B 1, C 2 (one rejected), D 2 (verified in June, undone by the rebound, then
    # again), E 0, F 1, I 1 = 8; rejected fixes: C's 1. Rework rate = 1 / 8.
    assert (row.rework_rate.numerator.value, row.rework_rate.denominator.value) == (1, 8)
    assert ids(row.rework_rate.numerator) == {"C"}
    assert ids(row.rework_rate.denominator) == {"A", "B", "C", "D", "F", "I"}
    assert row.rework_rate.value == 0.125
    # Ever verified: A B C D F = 5; rebounded: D. Rebound rate = 1 / 5.
    assert ids(row.rebound_rate.denominator) == {"A", "B", "C", "D", "F"}
    assert ids(row.rebound_rate.numerator) == {"D"} and row.rebound_rate.value == 0.2
    # Overdue at now (07-31 12:00): E (deadline 07-22) and June's J (06-15), a stock of any month.
    assert ids(row.overdue) == {"E", "J"} and row.overdue.value == 2
    # Days from assignment to the accepted fix, closed items: A 2, B 6, C 4 (07-03 -> 07-07),
    # D 2 (07-10 -> 07-12), F 3 -> 17 / 5 = 3.4.
    assert row.avg_days_to_fix.value == pytest.approx(3.4)
    assert set(row.avg_days_to_fix.ids) == {"A", "B", "C", "D", "F"}
    # Spot checks: A agree, C disagree -> 1 / 2.
    assert row.spot_agreement.value == 0.5 and ids(row.spot_agreement.denominator) == {"A", "C"}
    # 100 x (0.4 x 3/7 + 0.2 x (1 - 0.125) + 0.2 x (1 - 0.2) + 0.2 x 0.5)
    # = 100 x (0.171428... + 0.175 + 0.16 + 0.1) = 60.642857...
    assert row.score == pytest.approx(60.642857, abs=1e-6)
    assert row.weights == july.formula.weights


def test_a_measure_without_data_gives_its_weight_to_the_others(july):
    row = july.office("landscaping")
    # K alone: on time 1/1, rework 0/1, rebound 0/1, no spot checks (None).
    assert row.spot_agreement.value is None
    # Spot's 0.2 is shared in proportion: 0.4/0.8 = 0.5, 0.2/0.8 = 0.25, 0.25.
    assert dict(row.weights) == pytest.approx({"on_time_rate": 0.5, "rework_rate": 0.25, "rebound_rate": 0.25})
    # 100 x (0.5 x 1 + 0.25 x (1 - 0) + 0.25 x (1 - 0)) = 100.
    assert row.score == pytest.approx(100.0)
    assert july.formula.text(LABELS, row.weights) == "100 × (0.5 × 按期办结率 + 0.25 × (1 − 返工率) + 0.25 × (1 − 反弹率))"


def test_offices_without_items_have_no_score_and_the_rest_are_ranked(july):
    assert [(r.office, r.rank) for r in july.offices] == [
        ("construction", 2), ("landscaping", 1), ("real_estate", None), ("other_units", None)]
    empty = july.office("real_estate")
    assert empty.score is None and empty.on_time_rate.value is None and empty.weights == ()


def test_the_all_offices_row_adds_the_offices_up(july):
    overall = july.overall
    assert overall.office == ALL
    # Construction's 7 and landscaping's K; on time A C D K = 4 of 8.
    assert overall.assigned.value == 8 and overall.on_time_rate.value == 0.5
    assert ids(overall.overdue) == {"E", "J"}


def test_the_all_offices_row_is_what_scoring_all_items_at_once_gives(states, july):
    period = month_period("2026-07", ZONE)
    at_once = office_score(ALL, states, period, as_of(period, NOW), july.formula)
    assert at_once == july.overall


def test_the_formula_text_names_every_term():
    assert ScoreFormula().text(LABELS) == "100 × (0.4 × 按期办结率 + 0.2 × (1 − 返工率) + 0.2 × (1 − 反弹率) + 0.2 × 抽查一致率)"


def test_a_configured_formula_weighs_differently(states):
    formula = ScoreFormula.parse("on_time_rate=1")
    board = build_scoreboard(states, month_period("2026-07", ZONE), NOW, ZONE, formula=formula)
    assert board.office("construction").score == pytest.approx(100 * 3 / 7)
    with pytest.raises(ValueError):
        ScoreFormula.parse("speed=1")
    with pytest.raises(ValueError):
        ScoreFormula.parse("on_time_rate=-1")


def test_a_past_month_judges_overdue_at_its_end(states):
    june = build_scoreboard(states, month_period("2026-06", ZONE), NOW, ZONE)
    row = june.office("construction")
    assert june.as_of == datetime(2026, 7, 1, tzinfo=ZONE)
    # June's cohort: J and L; D moved to July with its rebound.
    assert ids(row.assigned) == {"J", "L"}
    # At June's end: J still open past 06-15; L past 06-28 and fixed only on 07-02; May's M fixed only
    # on 07-01 and N dismissed only on 07-02 (both were still with the office). D was verified (settled).
    assert ids(row.overdue) == {"J", "L", "M", "N"}
    # L closed late; J open: on time 0 / 2.
    assert row.on_time_rate.value == 0.0


def test_items_by_status_and_office_are_those_reported_in_the_month(july):
    construction = july.status_by_office["construction"]
    # Reported in July: A B C F verified, E rectifying, G dismissed, H reported, I fix_submitted.
    # D, J, L were reported in June.
    assert ids(construction["verified"]) == {"A", "B", "C", "F"}
    assert ids(construction["rectifying"]) == {"E"}
    assert ids(construction["dismissed"]) == {"G"}
    assert ids(construction["reported"]) == {"H"}
    assert ids(construction["fix_submitted"]) == {"I"}
    assert construction["closed"].value == 0 and construction["assigned"].value == 0
    assert ids(july.status_by_office["landscaping"]["verified"]) == {"K"}


def test_the_weekly_trend_counts_reported_and_closed_per_iso_week(july):
    trend = [(w.week, w.monday, w.reported.value, w.closed.value) for w in july.weekly]
    # Reported: W27 A B C G K (07-01..05) = 5, W29 F, W30 E H I.
    # Closed (verified in July): W27 A K (07-04), L (07-03) = 3; W28 B C; W29 D F.
    assert trend == [
        ("2026-W27", date(2026, 6, 29), 5, 3),
        ("2026-W28", date(2026, 7, 6), 0, 2),
        ("2026-W29", date(2026, 7, 13), 1, 2),
        ("2026-W30", date(2026, 7, 20), 3, 0),
        ("2026-W31", date(2026, 7, 27), 0, 0),
    ]
    assert set(july.weekly[0].closed.ids) == {"A", "K", "L"}


def test_an_office_board_holds_that_office_only(states):
    board = build_scoreboard(states, month_period("2026-07", ZONE), NOW, ZONE, offices=["landscaping"])
    assert [r.office for r in board.offices] == ["landscaping"]
    assert board.overall.assigned.value == 1 and list(board.status_by_office) == ["landscaping"]


def test_periods_are_local_days():
    july = month_period("2026-07", ZONE)
    assert july.start == datetime(2026, 6, 30, 16, tzinfo=timezone.utc)
    assert july.end - july.start == timedelta(days=31) and july.label == "2026-07"
    assert month_period("2026-12", ZONE).last_day == date(2026, 12, 31)
    assert days_period(date(2026, 7, 3), date(2026, 7, 9), ZONE).label == "2026-07-03..2026-07-09"
    for bad in ("2026-13", "2026/07", "July"):
        with pytest.raises(ValueError):
            month_period(bad, ZONE)
