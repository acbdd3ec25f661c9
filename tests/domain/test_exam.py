"""The published monthly exam's rules, on plain values: when a month has ended, amendments in order,
末位 with ties, the worst items."""

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from inspector.domain.scoring import Facts, build_scoreboard, month_period
from inspector.domain.scoring.exam import (Amendment, AmendmentKind, amended_board, check_reason, check_score,
                                           excluded_now, for_offices, last_places, month_ended, worst_items)

ZONE = ZoneInfo("Asia/Shanghai")
JULY = month_period("2026-07", ZONE)
AUGUST_2 = datetime(2026, 8, 2, 2, 0, tzinfo=timezone.utc)


def day(d: int, hour: int = 2) -> datetime:
    return datetime(2026, 7, d, hour, tzinfo=timezone.utc)


def fact(id_, office, status="verified", deadline=10, fixed=8, rework=0, rebound=0, extended=0) -> Facts:
    return Facts(id_, office, status, day(1), day(2), day(deadline), None if fixed is None else day(fixed),
                 day(fixed + 1) if status == "verified" and fixed else None, None, extended, rework, rebound, 0, 0)


FACTS = [
    fact("c1", "construction"),  # on time
    fact("c2", "construction", status="assigned", deadline=20, fixed=None),  # overdue 11 days at month end
    fact("l1", "landscaping", rework=1),  # on time, one fix rejected
    fact("r1", "real_estate", fixed=12),  # late
    fact("o1", "other_units"),
]


def board():
    return build_scoreboard(FACTS, JULY, AUGUST_2, ZONE)


def amendment(n, office, kind, score=None, item=None) -> Amendment:
    return Amendment(id=f"a{n}", month="2026-07", office=office, kind=kind, reason="理由", by="u", by_name="督导",
                     at=AUGUST_2 + timedelta(minutes=n), score=score, item_id=item)


def test_a_month_has_ended_at_midnight_local_time_after_its_last_day():
    end = datetime(2026, 7, 31, 16, 0, tzinfo=timezone.utc)  # 2026-08-01 00:00 in Shanghai
    assert not month_ended(JULY, end - timedelta(microseconds=1))
    assert month_ended(JULY, end)


def test_without_amendments_the_published_board_is_returned_as_it_is():
    published = board()
    assert amended_board(published, FACTS, []).board is published


def test_amendments_apply_in_order_and_an_exclusion_after_a_hand_set_score_works_it_out_again():
    published = board()
    c = published.office("construction")
    assert c.on_time_rate.value == 0.5 and c.overdue.ids == ("c2",)
    steps = [amendment(1, "construction", AmendmentKind.SCORE, score=95.0),
             amendment(2, "construction", AmendmentKind.EXCLUDE, item="c2"),
             amendment(3, "landscaping", AmendmentKind.SCORE, score=50.0)]
    amended = amended_board(published, FACTS, steps)
    assert [(s.before, s.after) for s in amended.steps] == [(c.score, 95.0), (95.0, 100.0),
                                                            (published.office("landscaping").score, 50.0)]
    row = amended.board.office("construction")
    assert row.assigned.ids == ("c1",) and row.overdue.value == 0 and row.score == 100.0
    assert amended.excluded == {"c2"}
    # construction 100 and other_units 100 share the first place; landscaping set to 50 ties real_estate's 50
    assert {r.office: r.rank for r in amended.board.offices} == {"construction": 1, "other_units": 1,
                                                                 "landscaping": 3, "real_estate": 3}
    assert amended.board.overall.assigned.value == published.overall.assigned.value - 1
    # putting the item back gives the published row again
    back = amended_board(published, FACTS, steps[1:2] + [amendment(4, "construction", AmendmentKind.INCLUDE,
                                                                   item="c2")])
    assert back.board.office("construction") == c and back.excluded == frozenset()
    assert excluded_now(steps, "construction") == {"c2"} and excluded_now(steps, "landscaping") == frozenset()


def test_last_places_flags_the_lowest_ties_included_and_never_a_lone_office():
    rows = board().offices
    ranks = {r.office: r.rank for r in rows}
    lowest = max(ranks.values())
    assert last_places(rows, 1) == {o for o, r in ranks.items() if r == lowest}
    tied = [replace(r, rank=1 if r.office == "construction" else 2) for r in rows]
    assert last_places(tied, 1) == {"landscaping", "real_estate", "other_units"}
    assert last_places(rows[:1], 1) == frozenset() and last_places(rows, 0) == frozenset()
    assert last_places([replace(r, rank=None) for r in rows], 1) == frozenset()


def test_the_worst_items_are_overdue_first_then_rebounds_then_reworks_and_leave_excluded_out():
    facts = FACTS + [fact("c3", "construction", rebound=2), fact("l2", "landscaping", status="assigned",
                                                                  deadline=29, fixed=None)]
    published = build_scoreboard(facts, JULY, AUGUST_2, ZONE)
    worst = worst_items(published, facts, [], 10)
    assert [w.id for w in worst] == ["c2", "l2", "c3", "l1"]
    assert worst[0].overdue_days > worst[1].overdue_days > 0 and worst[2].rebounds == 2
    assert [w.id for w in worst_items(published, facts, ["c2"], 2)] == ["l2", "c3"]


def test_an_offices_own_view_keeps_the_published_rank_and_sums_its_own_rows():
    published = board()
    mine = for_offices(published, FACTS, ["construction"], ZONE)
    assert [r.office for r in mine.offices] == ["construction"]
    assert mine.offices[0].rank == published.office("construction").rank
    assert mine.overall.assigned.ids == ("c1", "c2") and set(mine.status_by_office) == {"construction"}


@pytest.mark.parametrize("reason", ["", "   ", None, "x" * 501])
def test_an_amendment_says_why_in_at_most_500_characters(reason):
    with pytest.raises(ValueError):
        check_reason(reason)
    assert check_reason("  错派  ") == "错派"


@pytest.mark.parametrize("score", [-1, 100.5, float("nan"), float("inf"), None, True])
def test_a_hand_set_score_lies_between_0_and_the_base(score):
    with pytest.raises(ValueError):
        check_score(score, 100.0)
    assert check_score(0, 100.0) == 0.0 and check_score(100, 100.0) == 100.0
