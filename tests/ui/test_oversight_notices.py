"""The app bar's bell (notice count) and phase chip; the notices in words, each opening its item."""

from datetime import timedelta

import flet as ft

from inspector.domain.oversight import whole_days
from inspector.services import campaigns
from inspector.ui.views.notices import NoticesView
from tests.ui.conftest import UI, run_async
from tests.ui.oversight_helpers import actor_of


def chip_words(ui) -> str | None:
    chip = ui.app.header.chip
    return chip.content.value if chip.visible and ui.on_screen(chip) else None


@run_async
async def test_bell_counts_the_office_notices_and_the_phase_chip_shows(ctx):
    ui = await UI(ctx).start("jianzhu")
    expected = len(ui.app.ws.notices())
    assert expected > 0
    bell = ui.app.header.bell
    assert ui.on_screen(bell) and bell.badge.label == str(expected)
    assert bell.tooltip == f"通知（{expected} 条）"
    assert chip_words(ui) == "集中整治阶段"


@run_async
async def test_bell_lists_notices_in_words_and_each_opens_its_item(ctx):
    ui = await UI(ctx).start("jianzhu")
    await ui.click(ui.app.header.bell)
    view = ui.app.stack[-1]
    assert isinstance(view, NoticesView) and ui.page.appbar.title.value == "通知"
    kinds = [n.kind for n in view.notices]
    assert "overdue" in kinds and "assigned_to_office" in kinds
    overdue = next(n for n in view.notices if n.kind == "overdue")
    days = -whole_days(overdue.at, ui.app.now())  # the first day late counts as one
    text = ui.text()
    assert "已逾期" in text and "新派遣" in text
    assert any(line.startswith(overdue.number) and f"已逾期 {days} 天" in line for line in ui.texts()), ui.texts()
    assert any("已派遣到本单位，请签收" in line for line in ui.texts())

    row = view.rows[kinds.index("overdue")]
    await ui.click(row)
    item_view = ui.app.stack[-1]
    assert item_view.item_id == overdue.item_id and item_view.item.overdue(ui.app.now())
    await ui.click(ui.page.appbar.leading)  # back to the notices
    assert ui.app.stack[-1] is view
    await ui.click(ui.page.appbar.leading)  # back to the tab, the bell still counting
    assert not ui.app.stack and ui.on_screen(ui.app.header.bell)


@run_async
async def test_inspector_is_told_of_look_backs_due_and_rejected_fix_words(ctx, clock):
    clock.advance(days=20)
    ui = await UI(ctx).start("xuncha")
    await ui.click(ui.app.header.bell)
    view = ui.app.stack[-1]
    assert view.notices and {n.kind for n in view.notices} == {"look_back_due"}
    assert any("回头看已逾期" in line for line in ui.texts())


@run_async
async def test_office_is_told_of_a_fix_sent_back_with_the_reason(ctx):
    ui = await UI(ctx).start("jianzhu")
    await ui.click(ui.app.header.bell)
    rejected = [n for n in ui.app.stack[-1].notices if n.kind == "fix_rejected"]
    assert rejected and rejected[0].reason
    assert any(f"整改被退回（{rejected[0].reason}）" in line for line in ui.texts())


@run_async
async def test_spot_checker_has_no_notices_and_no_badge(ctx):
    ui = await UI(ctx).start("renda")
    assert ui.app.header.count == 0 and ui.app.header.bell.badge is None
    await ui.click(ui.app.header.bell)
    assert "暂时没有需要处理的通知" in ui.text()


@run_async
async def test_no_phase_chip_outside_the_campaign_phases(ctx, clock):
    phases = [{"code": "publicity", "starts": "2026-07-01", "ends": "2026-07-10"},
              {"code": "rectification", "starts": "2026-07-11", "ends": "2026-08-10"},
              {"code": "summary", "starts": "2026-08-11", "ends": "2026-08-31"}]
    campaigns.update_campaign(ctx, actor_of(ctx, "admin"), {"phases": phases})
    ui = await UI(ctx).start("jianzhu")  # July 15
    assert chip_words(ui) == "集中整治阶段"
    clock.advance(days=60)  # mid-September: after the summary phase
    await ui.goto("mine")
    assert chip_words(ui) is None
    clock.current -= timedelta(days=25)  # August 19: the summary phase
    await ui.goto("todo")
    assert chip_words(ui) == "总结提高阶段"


@run_async
async def test_chip_and_bell_follow_the_language(ctx):
    ui = await UI(ctx).start("jianzhu")
    await ui.goto("me")
    await ui.segment(ui.find(ft.SegmentedButton), "en")
    assert chip_words(ui) == "Rectification"  # the short name: the app-bar title keeps its room
    assert ui.app.header.bell.tooltip.startswith("Notices (")
