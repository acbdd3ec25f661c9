"""Publishing a month's 月考 over a real database: the record stays put while the live figures move,
amendments show beside the figure, and the refusals (open month, twice, not a decider)."""

import threading

import pytest

from inspector.errors import (AmendmentItemInvalid, AmendmentReasonMissing, AmendmentScoreInvalid, ExamDecidersOnly,
                              MonthAlreadyPublished, MonthNotEnded, MonthNotPublished)
from inspector.services import exam, scores
from inspector.store.engine import read_session
from inspector.store.models import Item
from tests.conftest import PG_URL
from tests.exam_month import after_july, july, people  # noqa: F401 - fixtures

pytestmark = pytest.mark.usefixtures("after_july")


def test_publishing_freezes_the_month_and_later_events_move_only_the_live_figures(ctx, clock, people, july):
    sup = people["supervisor"]
    before = scores.scoreboard(ctx, sup, "2026-07").board
    assert scores.scoreboard(ctx, sup, "2026-07").publication is None
    found = exam.publish(ctx, sup, "2026-07")
    assert found.publication.by == sup.id and found.publication.by_name == "dudao"
    assert found.publication.at == clock()
    assert found.original.offices == before.offices and found.original.overall == before.overall
    # item two is fixed late and verified, item one rebounds: the live July changes, the record does not
    clock.advance(hours=1)
    july["two"].send(people["staff"], "fix_submitted", photos=[july["after"]])
    july["two"].send(sup, "verified", hours=1)
    july["one"].send(sup, "rebounded", hours=1, photos=[july["after"]], leader="陈处长", deadline="2026-08-20")
    live = scores.scoreboard(ctx, sup, "2026-07", live=True).board.office("construction")
    assert live.closed.ids == live.assigned.ids == (july["two"].id,)  # one moved to August with its rebound
    shown = scores.scoreboard(ctx, sup, "2026-07")
    assert shown.publication is not None
    row = shown.board.office("construction")
    assert row == before.office("construction")
    assert row.closed.ids == (july["one"].id,) and row.overdue.ids == (july["two"].id,) and row.score == 75.0
    assert shown.board.office("landscaping").score == 87.5


def test_an_amendment_shows_beside_the_figure_with_its_reason(ctx, people, july):
    sup = people["supervisor"]
    exam.publish(ctx, sup, "2026-07")
    step = exam.amend(ctx, sup, "2026-07", "construction", "exclude", " 该问题属市政管辖，错派 ",
                      item=july["two"].id)
    assert (step.before, step.after) == (75.0, 100.0) and step.amendment.reason == "该问题属市政管辖，错派"
    view = scores.scoreboard(ctx, sup, "2026-07")
    assert view.board.office("construction").score == 100.0 and view.published_score("construction") == 75.0
    assert view.board.office("construction").rank == 1 and view.board.office("landscaping").rank == 2
    [shown] = view.office_steps("construction")
    assert shown.amendment.by_name == "dudao" and shown.amendment.item_id == july["two"].id
    set_by_hand = exam.amend(ctx, people["admin"], "2026-07", "landscaping", "score", "抽查补录", score=90)
    assert (set_by_hand.before, set_by_hand.after) == (87.5, 90.0)
    assert [s.amendment.office for s in exam.amendments(ctx, sup, "2026-07")] == ["construction", "landscaping"]
    # the office reads its own row and its own amendments only
    own = scores.scoreboard(ctx, people["staff"], "2026-07")
    assert [r.office for r in own.board.offices] == ["construction"] and len(own.steps) == 1
    assert [s.amendment.office for s in exam.amendments(ctx, people["leader"], "2026-07")] == ["construction"]


def test_an_item_is_named_by_its_number_and_must_be_the_offices(ctx, people, july):
    sup = people["supervisor"]
    exam.publish(ctx, sup, "2026-07")
    number = _number(ctx, july["two"].id)
    exam.amend(ctx, sup, "2026-07", "construction", "exclude", "错派", item=number)
    with pytest.raises(AmendmentItemInvalid):  # already out
        exam.amend(ctx, sup, "2026-07", "construction", "exclude", "错派", item=number)
    with pytest.raises(AmendmentItemInvalid):  # another office's item
        exam.amend(ctx, sup, "2026-07", "construction", "exclude", "错派", item=july["three"].id)
    with pytest.raises(AmendmentItemInvalid):
        exam.amend(ctx, sup, "2026-07", "construction", "include", "误操作", item=july["one"].id)
    back = exam.amend(ctx, sup, "2026-07", "construction", "include", "误操作", item=number)
    assert back.after == 75.0


def _number(ctx, item_id):
    with read_session(ctx.engine) as session:
        return session.get(Item, item_id).number


def test_refusals_say_why(ctx, clock, people, july):
    sup = people["supervisor"]
    with pytest.raises(MonthNotEnded) as open_month:
        exam.publish(ctx, sup, "2026-08")
    assert open_month.value.details == {"month": "2026-08", "ends": "2026-08-31"}
    with pytest.raises(MonthNotEnded):
        exam.publish(ctx, sup, "2027-01")
    for who in ("staff", "leader", "inspector"):
        with pytest.raises(ExamDecidersOnly):
            exam.publish(ctx, people[who], "2026-07")
    with pytest.raises(MonthNotPublished):
        exam.amend(ctx, sup, "2026-07", "construction", "score", "理由", score=50)
    exam.publish(ctx, sup, "2026-07")
    with pytest.raises(MonthAlreadyPublished) as twice:
        exam.publish(ctx, people["admin"], "2026-07")
    assert twice.value.details["by"] == "dudao"
    with pytest.raises(AmendmentReasonMissing):
        exam.amend(ctx, sup, "2026-07", "construction", "score", "  ", score=50)
    with pytest.raises(AmendmentScoreInvalid):
        exam.amend(ctx, sup, "2026-07", "construction", "score", "理由", score=101)
    with pytest.raises(ExamDecidersOnly):
        exam.amend(ctx, people["leader"], "2026-07", "construction", "score", "理由", score=100)
    assert exam.amendments(ctx, sup, "2026-07") == []


def test_a_month_ends_at_local_midnight(ctx, clock, people, july):
    clock.current = clock.current.replace(month=7, day=31, hour=15, minute=59)  # 23:59 in Shanghai
    with pytest.raises(MonthNotEnded):
        exam.publish(ctx, people["supervisor"], "2026-07")
    clock.advance(minutes=1)
    assert exam.publish(ctx, people["supervisor"], "2026-07").publication.month == "2026-07"


def test_of_concurrent_publishes_exactly_one_wins(ctx, people, july):
    results: list[object] = []
    start = threading.Barrier(4)

    def publish(actor):
        start.wait()
        try:
            results.append(exam.publish(ctx, actor, "2026-07"))
        except MonthAlreadyPublished as error:
            results.append(error)

    threads = [threading.Thread(target=publish, args=(people[who],))
               for who in ("supervisor", "admin", "supervisor", "admin")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    won = [r for r in results if isinstance(r, exam.Published)]
    assert len(results) == 4 and len(won) == 1, (PG_URL, results)
    assert len(exam.publications(ctx, people["supervisor"])) == 1
