"""The desk's checklist editor (设置 → 检查表) in the UI harness: edit, reorder, star, add, remove, save as a
new version, open an old one read-only, a conflict that keeps the edit, and a supervisor who only reads."""

import flet as ft

from inspector.domain.checklists import point_dict
from inspector.services import checklists
from tests.ui.conftest import run_async
from tests.ui.desk_helpers import DeskUI, actor


async def editor(ctx, who="admin"):
    ui = await DeskUI(ctx).start(who)
    await ui.rail("admin")
    return ui, ui.shell.views["admin"].checklists_panel


def words_field(ui, index: int, key: str) -> ft.TextField:
    return ui.find(ft.TextField, data=(index, key))


@run_async
async def test_admin_edits_reorders_stars_adds_and_saves_version_2_and_opens_version_1(ctx):
    ui, panel = await editor(ctx)
    v1 = checklists.current(ctx, "construction_site")
    assert panel.site_type == "construction_site"
    text = "\n".join(ui.texts())
    assert "第 1 版" in text and "施工现场连续设置围挡，高度不低于1.8米，主要路段不低于2.0米，围挡完好整洁" in [
        c.value for c in ui.all(ft.TextField)]
    await ui.type(words_field(ui, 0, "zh"), "围挡高度不低于2.5米")
    await ui.click(ui.find(ft.IconButton, data=("down", 0)))  # the hoarding point goes second
    await ui.click(ui.find(ft.IconButton, data=("remove", len(v1.points) - 1)))  # the health board goes
    board = ui.find(ft.Switch, data=("star", 2))
    board.value = True
    await ui.fire(board, "change")
    await ui.click(panel.add_button)
    new = len(v1.points) - 1
    await ui.type(words_field(ui, new, "zh"), "夜间不施工扰民")
    await ui.type(words_field(ui, new, "en"), "No noisy work at night")
    await ui.select(ui.find(ft.Dropdown, data=new), "site_garbage")
    await ui.click(panel.save_button)

    v2 = checklists.current(ctx, "construction_site")
    assert v2.version == 2 and "已保存为第 2 版" in ui.texts() and "第 2 版" in ui.texts()
    codes = [p.code for p in v2.points]
    assert codes[:2] == ["cs_wheel_washing", "cs_hoarding"] and "cs_health_board" not in codes
    assert v2.points[1].text["zh-CN"] == "围挡高度不低于2.5米" and v2.points[2].starred
    assert point_dict(v2.points[-1]) == {"code": codes[-1], "category": "site_garbage", "starred": False,
                                         "text": {"zh-CN": "夜间不施工扰民", "en": "No noisy work at night"}}
    assert checklists.version(ctx, v1.id) == v1  # version 1 stays as it was

    assert [v.version for v in panel.history] == [2, 1]
    await ui.click(ui.find(ft.Container, data=v1.id))  # open version 1 from the history
    assert panel.viewing == v1 and "正在查看第 1 版（只读）" in ui.texts()
    assert not ui.all(ft.TextField, lambda c: c.data == (0, "zh"))  # read-only: no fields
    assert any("★ 施工现场连续设置围挡" in words for words in ui.texts())
    await ui.click(ui.find(ft.TextButton, "回到当前版本"))
    assert panel.viewing is None and words_field(ui, 1, "zh").value == "围挡高度不低于2.5米"


@run_async
async def test_saving_unchanged_points_stores_no_version(ctx):
    ui, panel = await editor(ctx)
    await ui.click(panel.save_button)
    assert "没有改动，未保存新版本" in ui.texts()
    assert [v.version for v in checklists.history(ctx, "construction_site")] == [1]


@run_async
async def test_a_bad_edit_is_said_and_nothing_saved(ctx):
    ui, panel = await editor(ctx)
    await ui.type(words_field(ui, 0, "zh"), "")
    await ui.type(words_field(ui, 0, "en"), "")
    await ui.click(panel.save_button)
    words, error = ui.shell.views["admin"].messages["checklists"]
    assert error and "point 1 has no words" in words
    assert checklists.current(ctx, "construction_site").version == 1


@run_async
async def test_another_admin_saved_first_the_edit_stays_and_the_next_save_goes_on_top(ctx):
    ui, panel = await editor(ctx)
    await ui.type(words_field(ui, 0, "zh"), "我的修改")
    v1 = checklists.current(ctx, "construction_site")
    checklists.save(ctx, actor(ctx, "admin"), "construction_site", [point_dict(p) for p in v1.points[:3]],
                    base_version=1)  # meanwhile, in another browser
    await ui.click(panel.save_button)
    words, error = ui.shell.views["admin"].messages["checklists"]
    assert error and "第 2 版" in words and checklists.current(ctx, "construction_site").version == 2
    assert words_field(ui, 0, "zh").value == "我的修改"  # nothing typed is lost
    await ui.click(panel.save_button)
    v3 = checklists.current(ctx, "construction_site")
    assert v3.version == 3 and v3.points[0].text["zh-CN"] == "我的修改" and len(v3.points) == len(v1.points)


@run_async
async def test_switching_site_type_and_english(ctx):
    ui, panel = await editor(ctx)
    await ui.select(panel.type_picker, "office_area")
    assert panel.site_type == "office_area"
    assert words_field(ui, 2, "zh").value.startswith("室内全面禁烟") and ui.find(ft.Switch, data=("star", 2)).value
    await ui.click(ui.shell.lang_button)
    panel = ui.shell.views["admin"].checklists_panel
    assert "Version 1" in ui.texts() and "Save as a new version" in ui.texts()
    assert "Problem category of a failure" in ui.texts()


@run_async
async def test_a_supervisor_reads_the_checklists_but_cannot_change_them(ctx):
    ui, panel = await editor(ctx, "dudao")
    assert "只有管理员可以修改这里的内容" in ui.texts()
    assert panel.save_button.disabled and panel.add_button.disabled and words_field(ui, 0, "zh").disabled
    assert ui.find(ft.IconButton, data=("remove", 0)).disabled
