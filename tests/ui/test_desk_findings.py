"""The desk's 技术评估 section in the UI harness: upload the findings list, see bad rows, map unknown values in
the dialog, follow the findings, download the template and the re-check pack; both languages."""

from types import SimpleNamespace

import flet as ft

from inspector.services import findings
from tests.services.findings_helpers import ROWS, filled
from tests.ui.conftest import run_async
from tests.ui.desk_helpers import DeskUI, actor


class FakeFilePicker:
    """What the browser's file dialog gives: the chosen file with its bytes."""

    def __init__(self, data: bytes):
        self.data, self.asked = data, []

    async def pick_files(self, **options):
        self.asked.append(options)
        return [SimpleNamespace(name="findings.xlsx", bytes=self.data)]


async def opened(ctx, username: str = "admin"):
    ui = await DeskUI(ctx).start(username)
    await ui.rail("findings")
    return ui, ui.shell.views["findings"]


@run_async
async def test_an_admin_uploads_the_list_and_sees_the_findings_with_their_numbers(ctx):
    ui, view = await opened(ctx)
    assert "导入反馈问题清单" in ui.texts() and "尚未导入反馈问题。" in ui.texts()
    view.picker = FakeFilePicker(filled(ROWS))
    await ui.click(view.choose_button)
    assert view.picker.asked == [{"allowed_extensions": ["xlsx"], "with_data": True}]
    texts = ui.texts()
    assert "已导入 3 个问题（0 个此前已导入）" in texts and "反馈问题（3）" in texts
    assert [item.finding_number for item in view.items] == ["JP-1", "JP-2", "JP-10"]
    assert {"JP-1", "JP-2", "JP-10"} <= set(texts)
    assert "建筑工程管理处" in texts and "园林管理处" in texts
    await ui.click(view.choose_button)  # the same file again
    assert "没有新内容：文件中的 3 个问题此前均已导入" in ui.texts()


@run_async
async def test_a_broken_file_lists_its_bad_rows_and_imports_nothing(ctx):
    ui, view = await opened(ctx)
    view.picker = FakeFilePicker(filled([["", "甲", "没有编号", "loose_soil", ""], ["JP-2", "乙", "=1+1", "", ""]]))
    await ui.click(view.choose_button)
    texts = ui.texts()
    assert "文件被拒绝，未导入任何内容。请改正以下各行后重新上传：" in texts
    assert "第 2 行 · 编号：为空" in texts and "第 3 行 · 问题：是公式，请直接填写文字 (=1+1)" in texts
    assert findings.listed(ctx, actor(ctx, "admin")) == []


@run_async
async def test_unknown_values_are_mapped_in_the_dialog_then_imported(ctx):
    ui, view = await opened(ctx)
    view.picker = FakeFilePicker(filled([["JP-1", "甲", "问题一", "", "建管处"]]))
    await ui.click(view.choose_button)
    dialog = ui.dialog()
    assert dialog is not None and findings.listed(ctx, actor(ctx, "admin")) == []
    words = ui.texts(dialog)
    assert "类别 · （空白）" in words and "责任单位 · 建管处" in words
    choose = {c.data: c for c in ui.all(ft.Dropdown) if c.data in (("category", ""), ("office", "建管处"))}
    assert len(choose) == 2
    await ui.click(ui.find(ft.FilledButton, "按此对应导入"))  # nothing chosen yet: it says so, the dialog stays
    assert ui.dialog() is dialog and "请先为每个值选择代码" in ui.texts(dialog)
    await ui.select(choose["category", ""], "site_garbage")
    await ui.select(choose["office", "建管处"], "construction")
    await ui.click(ui.find(ft.FilledButton, "按此对应导入"))
    assert ui.dialog() is None and "已导入 1 个问题（0 个此前已导入）" in ui.texts()
    [item] = findings.listed(ctx, actor(ctx, "admin"))
    assert (item.finding_number, item.category, item.office) == ("JP-1", "site_garbage", "construction")


@run_async
async def test_the_template_and_the_recheck_pack_download(ctx):
    ui, view = await opened(ctx)
    findings.import_findings(ctx, actor(ctx, "admin"), filled(ROWS))
    await view.load()
    await ui.click(view.template_button)
    await ui.select(view.office_choice, "landscaping")
    await ui.click(view.pack_buttons["pdf"])
    await ui.click(view.pack_buttons["xlsx"])
    names = [name for name, _ in ui.saver.saved]
    assert names[0] == "findings-template.xlsx"
    assert names[1].startswith("recheck-landscaping-") and names[1].endswith(".pdf") and names[2].endswith(".xlsx")
    assert ui.saver.saved[1][1].startswith(b"%PDF") and "JP-2" in ui.texts() and "JP-1" not in ui.texts()


@run_async
async def test_a_supervisor_follows_the_findings_but_does_not_import_and_english_reads(ctx):
    findings.import_findings(ctx, actor(ctx, "admin"), filled(ROWS))
    ui, view = await opened(ctx, "dudao")
    assert view.choose_button.disabled and "只有管理员可以导入反馈问题。" in ui.texts()
    assert "JP-10" in ui.texts()
    await ui.click(ui.shell.lang_button)
    texts = ui.texts()
    assert "Technical assessment findings" in texts and "Findings (3)" in texts and "Re-check pack PDF" in texts
    assert "Only an administrator imports findings." in texts
