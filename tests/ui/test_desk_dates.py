"""The desk's Scores and Reports at the edges of the calendar: the 1st of a month, 31 December, 1 January.

Each test fills an empty database with the demo data at its clock (the demo's
items are 3 to 20 days old), so on the 1st the work is all last month's and on
1 January last year's. Asia/Shanghai is UTC+8: just after local midnight the UTC
date is still yesterday's, which is where a date taken in the wrong zone shows.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import flet as ft
import pytest

from inspector.services import demo, scores
from inspector.services.context import bootstrap
from inspector.settings import Settings
from tests.conftest import Clock, fresh_database
from tests.ui.conftest import run_async
from tests.ui.desk_helpers import DeskUI, actor

ZONE = ZoneInfo("Asia/Shanghai")
# (clock, this month, last month, last month's first and last day)
EDGES = {
    "first-of-a-month": (datetime(2026, 12, 1, 0, 30, tzinfo=ZONE), "2026-12", "2026-11",
                         date(2026, 11, 1), date(2026, 11, 30)),
    "31-december": (datetime(2026, 12, 31, 23, 30, tzinfo=ZONE), "2026-12", "2026-11",
                    date(2026, 11, 1), date(2026, 11, 30)),
    "1-january": (datetime(2027, 1, 1, 0, 30, tzinfo=ZONE), "2027-01", "2026-12",
                  date(2026, 12, 1), date(2026, 12, 31)),
}


@pytest.fixture(params=list(EDGES), ids=list(EDGES))
def edge(request):
    return EDGES[request.param]


@pytest.fixture
def database_url(tmp_path):
    """An empty database (not the UI tests' copy of July's demo): each test fills it at its own clock."""
    with fresh_database(tmp_path, "edge") as url:
        yield url


@pytest.fixture
def ctx(settings, edge):
    context = bootstrap(settings, clock=Clock(edge[0]))
    demo.fill_if_empty(context)
    yield context
    context.engine.dispose()


def reported_in(ctx) -> dict[str, str]:
    """Each demo item's number -> the local month it was reported in."""
    from sqlmodel import select

    from inspector.store.engine import read_session
    from inspector.store.models import Item

    with read_session(ctx.engine) as session:
        return {i.number: f"{i.reported_at.astimezone(ZONE):%Y-%m}" for i in session.exec(select(Item)).all()}


def demo_months(ctx) -> set[str]:
    return set(reported_in(ctx).values())


@run_async
async def test_scores_step_between_this_month_and_last_month(ctx, edge):
    clock, this_month, last_month, _, _ = edge
    ui = await DeskUI(ctx).start("dudao")
    await ui.rail("scores")
    view = ui.shell.views["scores"]
    opens = last_month if clock.day <= 5 else this_month  # a month's first days open on the one just ended
    assert view.month == opens and view.view.board.period.label == opens
    if opens == last_month:
        await ui.click(ui.find(ft.IconButton, data=-1))  # ▶ to this month
        assert view.month == this_month and view.view.board.period.label == this_month
    # newest first (a campaign running into next year adds its months in front), none skipped or repeated
    assert view.months == sorted(set(view.months), reverse=True)
    assert view.months[view.months.index(this_month) + 1] == last_month
    await ui.click(ui.find(ft.IconButton, data=1))  # ◀ one month older
    assert view.month == last_month and view.view.board.period.label == last_month
    expected = scores.scoreboard(ctx, actor(ctx, "dudao"), last_month).board
    assert view.view.board.overall.assigned.value == expected.overall.assigned.value
    if clock.day == 1:  # the demo's work is all last month's: the board it counts on is one step back
        assert demo_months(ctx) == {last_month}
        assert expected.overall.assigned.value > 0
    await ui.click(ui.find(ft.IconButton, data=-1))  # ▶ back to this month
    assert view.month == this_month


@run_async
async def test_reports_default_to_this_month_and_last_month_is_the_whole_month_before(ctx, edge):
    clock, _, _, first, last = edge
    today = clock.date()
    ui = await DeskUI(ctx).start("dudao")
    await ui.rail("reports")
    view = ui.shell.views["reports"]
    assert (view.values["from"], view.values["to"]) == (today.replace(day=1).isoformat(), today.isoformat())
    assert view.values["day"] == today.isoformat()
    assert f"{today.isoformat()} 报送情况" in "\n".join(ui.texts())  # 信息报送 for the local today

    await ui.click(ui.find(ft.OutlinedButton, "上月"))
    assert (view.values["from"], view.values["to"]) == (first.isoformat(), last.isoformat())
    await ui.click(view.download_buttons["csv"])
    name, data = ui.saver.saved[-1]
    assert name == f"summary-all-{first:%Y%m%d}-{last:%Y%m%d}.csv"
    listed = data.decode("utf-8-sig")
    then = [n for n, m in reported_in(ctx).items() if m == f"{first:%Y-%m}"]
    assert all(n in listed for n in then)  # every item reported last month is in its summary
    assert bool(then) == (clock.day == 1)  # on the 1st that is all the demo's work
    assert not [n for n, m in reported_in(ctx).items() if m != f"{first:%Y-%m}" and n in listed]

    await ui.click(ui.find(ft.OutlinedButton, "本月"))
    assert (view.values["from"], view.values["to"]) == (today.replace(day=1).isoformat(), today.isoformat())


@run_async
async def test_the_info_board_steps_across_the_year(ctx, edge):
    clock, _, _, _, _ = edge
    ui = await DeskUI(ctx).start("dudao")
    await ui.rail("reports")
    view = ui.shell.views["reports"]
    await ui.click(ui.find(ft.IconButton, data=-1))  # ◀ the day before
    yesterday = clock.date() - timedelta(days=1)
    assert view.values["day"] == yesterday.isoformat()
    assert f"{yesterday.isoformat()} 报送情况" in "\n".join(ui.texts())
