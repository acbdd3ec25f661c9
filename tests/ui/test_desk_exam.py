"""The desk's 月考 tab publishes a month that has ended (after a confirm), shows it as published, amends an
office's score with a reason in a dialog, lists the amendment beside the figure, and downloads the 通报."""

import io

import flet as ft
from pypdf import PdfReader

from inspector.services import scores
from tests.ui.conftest import run_async
from tests.ui.desk_helpers import DeskUI, actor


@run_async
async def test_publish_a_month_then_amend_an_office_and_download_the_bulletin(ctx):
    ui = await DeskUI(ctx).start("dudao")
    await ui.rail("scores")
    view = ui.shell.views["scores"]
    panel = view.exam
    # the month still running (the demo clock stands on 2026-07-15) cannot be published yet
    assert view.month == "2026-07" and panel.publish_button.disabled
    assert panel.publish_button.tooltip == "2026-07 尚未结束，月末之后才能发布"
    await ui.select(view.month_picker, "2026-06")
    assert not panel.publish_button.disabled
    await ui.click(panel.publish_button)
    form = panel.dialog
    assert ui.shell.dialog is form.dialog and "之后的变动不再影响" in "\n".join(ui.texts())
    await ui.click(form.confirm_button)
    assert ui.shell.dialog is None and ui.last_snack() == "2026-06 月考已发布"
    assert view.view.publication is not None and ui.on_screen(panel.badge)
    assert panel.badge.content.value.startswith("已发布 2026-07-15") and "王督查" in panel.badge.content.value
    published = view.view.board.office("construction").score
    # amend: a score without a reason stays in the dialog with the words why
    await ui.click(ui.find(ft.IconButton, data="construction"))
    form = panel.dialog
    await ui.type(form.controls["score"], "66.5")
    await ui.click(form.confirm_button)
    assert form.error.visible and form.error.value == "请填写修正理由（不超过 500 个字）"
    await ui.type(form.controls["reason"], "复核后调整：两项问题属市政管辖")
    await ui.click(form.confirm_button)
    assert ui.shell.dialog is None and ui.last_snack().startswith("已修正：改分")
    row = view.view.board.office("construction")
    assert row.score == 66.5 and view.view.published_score("construction") == published
    text = "\n".join(ui.texts())
    assert f"{published:.1f}" in text and "66.5" in text and "修正记录" in text
    assert "复核后调整：两项问题属市政管辖" in text
    assert scores.scoreboard(ctx, actor(ctx, "dudao"), "2026-06").board.office("construction").score == 66.5
    # the bulletin of the published month
    await ui.click(panel.bulletin_button)
    name, data = ui.saver.saved[-1]
    assert name == "bulletin-2026-06.pdf" and data.startswith(b"%PDF")
    flat = "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert "创卫巡查月考通报" in flat and "2026年6月" in flat and "复核后调整" in flat
