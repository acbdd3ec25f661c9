"""In a month's first days the desk's scoreboard and GET /api/scores open on the month just ended (issue 12).

The clock is driven across a year end; Asia/Shanghai is UTC+8, so just after
local midnight on the 6th the UTC date is still the 5th.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from inspector.services import scores
from tests.conftest import Clock
from tests.ui.conftest import run_async
from tests.ui.desk_helpers import DeskUI

ZONE = ZoneInfo("Asia/Shanghai")
CASES = {
    "the-1st": (datetime(2027, 1, 1, 0, 30, tzinfo=ZONE), "2026-12"),
    "the-5th": (datetime(2027, 1, 5, 23, 30, tzinfo=ZONE), "2026-12"),
    "the-6th": (datetime(2027, 1, 6, 0, 30, tzinfo=ZONE), "2027-01"),
}


@pytest.fixture(params=list(CASES), ids=list(CASES))
def case(request):
    return CASES[request.param]


@pytest.fixture
def clock(case):
    return Clock(case[0])


@run_async
async def test_the_scoreboard_opens_on_last_month_in_the_first_five_days(ctx, case):
    _, opens = case
    assert scores.default_month(ctx) == opens  # GET /api/scores without a month
    ui = await DeskUI(ctx).start("dudao")
    await ui.rail("scores")
    view = ui.shell.views["scores"]
    assert view.month == opens and view.view.board.period.label == opens
    assert {"2027-01", "2026-12"} <= set(view.months)  # both reachable from there


def test_the_number_of_days_is_a_setting(ctx, case):
    moment, _ = case
    ctx.settings.scores_last_month_days = 0
    assert scores.default_month(ctx) == f"{moment:%Y-%m}"
