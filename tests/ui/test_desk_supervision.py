"""The desk's 督办 section lists the items the sweep put under supervision, with each office's counts; a
number opens the item in Review, whose timeline says each step in words."""

import flet as ft

from inspector.services import supervision
from tests.ui.conftest import run_async
from tests.ui.desk_helpers import DeskUI


@run_async
async def test_the_supervision_list_counts_per_office_and_opens_an_item(ctx, clock):
    clock.advance(days=10)  # the demo's open items are days late by now
    result = supervision.sweep(ctx)
    assert result.recorded and result.refused == ()
    ui = await DeskUI(ctx).start("dudao")
    await ui.rail("supervision")
    view = ui.shell.views["supervision"]
    board = view.board
    assert board.rows and all(r.level in (1, 2) and r.days_overdue > 3 for r in board.rows)
    words = "\n".join(ui.texts())
    assert "督办清单" in words and "各单位督办情况" in words and "督办" in ui.texts()
    for office, (one, two) in board.counts.items():
        assert f"督办 {one} · 升级 {two}" in words
    first = board.rows[0]
    assert f"{first.days_overdue} 天" in words
    await ui.click(ui.find(ft.Container, data=first.item.id))
    assert ui.shell.section == "review"
    timeline = "\n".join(ui.texts())
    assert "列入督办" in timeline or "升级督办" in timeline
    # the list reads afresh each time it is shown: the sweep runs in the background
    clock.advance(days=1)
    supervision.sweep(ctx)
    await ui.rail("supervision")
    assert view.board.now == ctx.now()


@run_async
async def test_the_office_hears_of_its_supervised_items_and_reads_each_step_in_the_timeline(ctx, clock):
    from tests.ui.conftest import UI  # lazy: the phone harness, for this test only
    from inspector.ui.views.notices import NoticesView  # lazy: as above

    clock.advance(days=10)
    supervision.sweep(ctx)
    ui = await UI(ctx).start("jianzhu")
    await ui.click(ui.app.header.bell)
    view = ui.app.stack[-1]
    assert isinstance(view, NoticesView)
    kinds = [n.kind for n in view.notices]
    assert kinds[0] in ("supervision_escalated", "supervision"), kinds  # the most pressing first
    assert any("督办" in line for line in ui.texts())
    await ui.click(view.rows[0])
    timeline = ui.texts()
    assert any(line.startswith("逾期 ") and ("列入督办" in line or "升级督办" in line) for line in timeline), timeline
    assert "系统 System" in "\n".join(timeline)
