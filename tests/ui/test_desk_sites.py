"""The desk's 场所 section in the UI harness: search, add and edit, retire and restore, types, import, downloads."""

import io

import flet as ft
from openpyxl import Workbook, load_workbook

from inspector.services import sites
from tests.ui.conftest import run_async
from tests.ui.desk_helpers import DeskUI


def workbook(*rows) -> bytes:
    book = Workbook()
    book.active.append(["场所名称", "类型", "责任单位", "纬度", "经度", "地址", "联系人"])
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def open_sites(ctx, who: str = "admin") -> tuple[DeskUI, object]:
    ui = await DeskUI(ctx).start(who)
    await ui.rail("sites")
    return ui, ui.shell.views["sites"]


def names_listed(ui, view) -> list[str]:
    return [s.name for s in view.visible_sites()]


@run_async
async def test_the_register_lists_the_demo_sites_and_searches_them(ctx):
    ui, view = await open_sites(ctx)
    text = "\n".join(ui.texts())
    assert "人民公园" in text and "人民路 1 号" in text and "公园绿地" in text and "在册" in text
    await ui.type(ui.find(ft.TextField, label="搜索名称、地址、联系人"), "物业")
    assert names_listed(ui, view) == ["翠苑小区", "阳光小区"]
    assert "人民公园" not in "\n".join(ui.texts())
    await ui.select(ui.find(ft.Dropdown, label="责任单位"), "landscaping")
    assert names_listed(ui, view) == []
    assert "没有符合条件的场所" in ui.texts()


@run_async
async def test_an_admin_adds_edits_retires_and_restores_a_site(ctx):
    ui, view = await open_sites(ctx)
    await ui.click(view.add_button)
    dialog = ui.shell.dialog
    assert dialog is not None
    fields = view.form.controls
    await ui.type(fields["name"], "西湖文化广场")
    await ui.select(fields["kind"], "green_belt")
    await ui.select(fields["office_code"], "landscaping")
    await ui.type(fields["lat"], "北纬30")
    await ui.type(fields["lon"], "120.1651")
    confirm = view.form.confirm_button
    await ui.click(confirm)
    assert ui.shell.dialog is dialog and any("纬度" in w and "-90" in w for w in ui.texts())  # said inside, kept open
    await ui.type(fields["lat"], "30.2841")
    await ui.click(confirm)
    assert ui.shell.dialog is None and "已保存“西湖文化广场”" in ui.texts()
    made = next(s for s in sites.list_sites(ctx) if s.name == "西湖文化广场")
    assert (made.kind, made.office_code, made.lat) == ("green_belt", "landscaping", 30.2841)

    await ui.click(ui.find(ft.TextButton, "编辑", data=made.id))
    assert view.form.values["name"] == "西湖文化广场" and view.form.values["lat"] == "30.284100"
    await ui.type(view.form.controls["address"], "西湖大道 2 号")
    await ui.click(view.form.confirm_button)
    assert sites.site(ctx, made.id).address == "西湖大道 2 号"

    await ui.click(ui.find(ft.TextButton, "停用", data=made.id))
    assert not sites.site(ctx, made.id).active and "西湖文化广场" not in names_listed(ui, view)
    retired = ui.find(ft.Checkbox, label="显示已停用")
    retired.value = True
    await ui.fire(retired, "change")
    await ui.click(ui.find(ft.TextButton, "恢复", data=made.id))
    assert sites.site(ctx, made.id).active


@run_async
async def test_an_admin_adds_a_type_that_the_site_dialog_then_offers(ctx):
    ui, view = await open_sites(ctx)
    await ui.click(view.type_button)
    for data, words in (("code", "market"), ("zh", "农贸市场"), ("en", "Wet market")):
        await ui.type(view.form.controls[data], words)
    await ui.click(view.form.confirm_button)
    assert "已新增类型“农贸市场”" in ui.texts()
    await ui.click(view.add_button)
    kinds = view.form.controls["kind"]
    assert ("market", "农贸市场") in [(o.key, o.text) for o in kinds.options]


@run_async
async def test_a_bad_import_lists_its_rows_and_a_good_one_lands(ctx):
    ui, view = await open_sites(ctx)
    before = [s.name for s in sites.list_sites(ctx)]
    await view.import_file(workbook(["新工地", "construction_site", "construction", 30.27, 120.15],
                                    [None, "construction_site", "construction", 30.27, 120.15],
                                    ["坏坐标", "construction_site", "construction", 30.27, "东经"]))
    text = "\n".join(ui.texts())
    assert "导入未完成" in text and "第 3 行 · 场所名称：请填写“名称”" in text and "第 4 行 · 经度" in text
    assert [s.name for s in sites.list_sites(ctx)] == before
    await view.import_file(workbook(["新工地", "建筑工地", "建筑工程管理处", 30.27, 120.15, "新路 1 号", "赵工"]))
    assert "导入完成：新增 1 个，更新 0 个" in ui.texts() and not view.problems
    assert "新工地" in names_listed(ui, view)


@run_async
async def test_downloads_the_template_the_register_and_the_qr_sheet(ctx):
    ui, view = await open_sites(ctx, "dudao")  # a supervisor reads and downloads, and may not change
    assert view.add_button.disabled and view.import_button.disabled and view.type_button.disabled
    assert "只有管理员可以修改场所名录，您可以查看" in ui.texts()
    await ui.click(view.template_button)
    await ui.click(view.export_button)
    await ui.select(ui.find(ft.Dropdown, label="责任单位"), "real_estate")
    await ui.click(view.qr_button)
    saved = dict(ui.saver.saved)
    assert set(saved) == {"sites-template.xlsx", "sites.xlsx", "site-qr-real_estate.pdf"}
    register = load_workbook(io.BytesIO(saved["sites.xlsx"])).worksheets[0]
    assert register.max_row == 1 + len(sites.list_sites(ctx))
    assert saved["site-qr-real_estate.pdf"].startswith(b"%PDF")


@run_async
async def test_the_section_speaks_english(ctx):
    ui, view = await open_sites(ctx)
    await ui.click(ui.shell.lang_button)
    text = "\n".join(ui.texts())
    assert "Add site" in text and "Park or green belt" in text and "Import XLSX" in text and "QR sheet" in text
