"""The desk's Scores (月考) screen: month switch, formula in sight, every number opens the items behind it."""

from datetime import datetime, timezone

import flet as ft
from sqlmodel import delete, select

from inspector.services import scores
from inspector.store.engine import read_session, write_session
from inspector.store.models import Site, VisitRow
from tests.factories import visit_row
from tests.ui.conftest import run_async
from tests.ui.desk_helpers import DeskUI, actor, desk_of


def link_with(ui, title_part: str):
    """The link whose target title contains ``title_part``."""
    found = ui.all(ft.Container, lambda c: isinstance(c.data, tuple) and len(c.data) == 2
                   and isinstance(c.data[0], str) and title_part in c.data[0])
    assert found, f"no link to {title_part!r}"
    return found[0]


@run_async
async def test_the_month_board_shows_the_formula_and_switches_months(ctx):
    ui = await DeskUI(ctx).start("dudao")
    await ui.rail("scores")
    view = ui.shell.views["scores"]
    assert view.month == "2026-07" and view.view.board.period.label == "2026-07"
    text = "\n".join(ui.texts())
    assert "得分 =" in text and "100 × (0.4 × 按期办结率" in text
    assert "按期办结：已核查通过" in text  # the rule, in words, next to the numbers
    assert "本月上报问题：按单位和状态" in text and "每周趋势" in text
    await ui.select(view.month_picker, "2026-06")
    assert view.month == "2026-06" and view.view.board.period.label == "2026-06"
    await ui.click(ui.find(ft.IconButton, data=-1))  # ▶ the newer month
    assert view.month == "2026-07"
    expected = scores.scoreboard(ctx, actor(ctx, "dudao"), "2026-07").board
    shown = [c.content.value for c in ui.all(ft.Container, lambda c: isinstance(c.data, tuple)
                                             and len(c.data) == 2 and "得分" in str(c.data[0]))]
    assert f"{expected.office('construction').score:.1f}" in shown


@run_async
async def test_a_number_opens_review_with_exactly_the_items_behind_it(ctx):
    ui = await DeskUI(ctx).start("dudao")
    await ui.rail("scores")
    view = ui.shell.views["scores"]
    row = view.view.board.office("construction")
    assert row.overdue.value > 0
    await ui.click(link_with(ui, "建管处 · 逾期数"))
    review = ui.review
    assert ui.shell.section == "review" and review.queue == "ids"
    assert {i.id for i in review.rows} == set(row.overdue.ids)
    assert review.total == len(row.overdue.ids)
    assert "2026-07 建管处 · 逾期数" in "\n".join(ui.texts())
    await ui.click(review.tab_controls["overdue"])  # the list closes by choosing a queue
    assert review.queue == "overdue" and not review.ids


@run_async
async def test_a_rates_halves_open_its_numerator_and_denominator(ctx):
    ui = await DeskUI(ctx).start("dudao")
    await ui.rail("scores")
    row = ui.shell.views["scores"].view.board.office("construction")
    await ui.click(link_with(ui, "建管处 · 按期办结率 · 分母"))
    assert {i.id for i in ui.review.rows} == set(row.on_time_rate.denominator.ids)
    await ui.rail("scores")
    await ui.click(link_with(ui, "建管处 · 按期办结率 · 分子"))
    assert {i.id for i in ui.review.rows} == set(row.on_time_rate.numerator.ids)


@run_async
async def test_a_verification_made_on_the_desk_moves_the_board(ctx):
    ui = await DeskUI(ctx).start("dudao")
    await ui.rail("scores")
    before = ui.shell.views["scores"].view.board.office("construction")
    await ui.rail("review")
    review = ui.review
    await ui.click(review.tab_controls["verify"])
    await ui.select(review.office_filter, "construction")
    await ui.key("V")
    await ui.rail("scores")
    after = ui.shell.views["scores"].view.board.office("construction")
    assert after.closed.value == before.closed.value + 1


@run_async
async def test_clicking_a_bar_lists_the_offices_items_of_the_month(ctx):
    import flet_charts as fch

    ui = await DeskUI(ctx).start("dudao")
    await ui.rail("scores")
    view = ui.shell.views["scores"]
    cells = view.view.board.status_by_office["landscaping"]
    await ui.fire(view.bar, "event", {"type": fch.ChartEventType.TAP_UP.value, "group_index": 1, "rod_index": 0,
                                      "stack_item_index": 0})
    assert {i.id for i in ui.review.rows} == {i for c in cells.values() for i in c.ids}
    desk = desk_of(ctx, "dudao")
    assert ui.review.total == len({i for c in cells.values() for i in c.ids}) and desk


def visit_link(ui, title_part: str):
    """The visits link (coverage, visit score, failed visits) whose title contains ``title_part``."""
    found = ui.all(ft.Container, lambda c: isinstance(c.data, tuple) and len(c.data) == 4
                   and title_part in c.data[0])
    assert found, f"no visits link to {title_part!r}"
    return found[0]


def demo_site(ctx, name: str) -> str:
    with read_session(ctx.engine) as session:
        return session.exec(select(Site.id).where(Site.name == name)).one()


@run_async
async def test_coverage_and_the_visit_score_open_exactly_the_visits_and_windows_behind_them(ctx):
    with write_session(ctx.engine) as session:  # the demo's own visits out: these two are all there is
        session.execute(delete(VisitRow))
    site = demo_site(ctx, "滨江花园三期工地")
    other = demo_site(ctx, "城东新城安置房工地")
    good = visit_row(ctx, site, "self", datetime(2026, 7, 3, 2, tzinfo=timezone.utc), met=8, applicable=10)
    bad = visit_row(ctx, other, "supervisor", datetime(2026, 7, 10, 2, tzinfo=timezone.utc), met=5, applicable=10,
                    passed=False, starred_failed=1)
    ui = await DeskUI(ctx).start("dudao")
    await ui.rail("scores")
    view = ui.shell.views["scores"]
    row = view.view.board.office("construction").visiting
    # 15 July: the weeks 1-7 and 8-14 and the fortnight 1-14 have ended, at two construction sites
    assert (row.coverage.numerator.value, row.coverage.denominator.value) == (2, 6)
    text = "\n".join(ui.texts())
    assert "巡检覆盖率" in text and "检查均分" in text and "33%" in text
    assert "不计入得分" in text  # the shipped formula gives coverage no weight, and says so
    await ui.click(visit_link(ui, "建管处 · 巡检覆盖率"))
    assert ui.shell.dialog is view.visits.dialog
    assert set(view.visits.listed) == {good, bad}
    assert sorted((w.site_name, w.check_type, w.first.day, w.last.day) for w in view.visits.missed) == [
        ("城东新城安置房工地", "self", 1, 7), ("城东新城安置房工地", "self", 8, 14),
        ("滨江花园三期工地", "self", 8, 14), ("滨江花园三期工地", "supervisor", 1, 14)]
    shown = "\n".join(ui.texts(view.visits.dialog))
    assert "2026-07-03" in shown and "8/10" in shown and "2026-07-08 – 2026-07-14" in shown
    await view.visits.close()
    assert ui.shell.dialog is None
    await ui.click(visit_link(ui, "建管处 · 不合格检查"))
    assert view.visits.listed == (bad,) and view.visits.missed == ()
    assert "5/10" in "\n".join(ui.texts(view.visits.dialog)) and "不合格" in "\n".join(ui.texts(view.visits.dialog))


@run_async
async def test_the_scoreboard_reads_in_english_with_its_visit_columns(ctx):
    ui = await DeskUI(ctx).start("dudao")
    ui.app.lang = "en"
    await ui.rail("scores")
    text = "\n".join(ui.texts())
    assert "、" not in text  # the offices a formula is adjusted for, listed with English commas
    assert "Visit coverage" in text and "On-time closure rate" in text and "Avg. visit score" in text and "Failed visits" in text
