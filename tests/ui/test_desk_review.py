"""The desk's Review screen in the UI harness: layout choice, queues, selection, keys, decisions, batch assign."""

from datetime import timedelta

import flet as ft

from inspector.domain import catalog
from inspector.services.desk import Filters
from inspector.ui.desk import LAYOUT_KEY, TOGGLE
from tests.ui.conftest import FakePrefs, run_async
from tests.ui.desk_helpers import DeskUI, desk_of, disagree


def words(ui) -> str:
    return "\n".join(ui.texts())


def numbers(review) -> list[str]:
    return [i.number for i in review.rows]


@run_async
async def test_supervisor_on_a_wide_window_gets_the_desk_and_can_switch_to_the_phone_and_back(ctx):
    ui = await DeskUI(ctx).start("dudao")
    assert ui.shell is not None and ui.page.navigation_bar is None
    rail = [d.label for d in ui.shell.rail.destinations]
    assert rail == ["审核", "地图", "月考", "报告", "设置"]
    await ui.click(ui.shell.phone_button)
    assert ui.app.desk is None and ui.page.navigation_bar is ui.app.nav  # the phone's four tabs
    assert await ui.app.prefs.get(LAYOUT_KEY) == "phone"
    toggle = ui.find(ft.TextButton, data=TOGGLE)
    assert toggle.content == "桌面版"
    await ui.click(toggle)
    assert ui.app.desk is not None and ui.page.navigation_bar is None
    assert await ui.app.prefs.get(LAYOUT_KEY) == "desk"


@run_async
async def test_narrow_window_and_office_staff_get_the_phone(ctx):
    narrow = await DeskUI(ctx, width=800).start("dudao")
    assert narrow.app.desk is None and narrow.page.navigation_bar is narrow.app.nav
    assert narrow.find(ft.TextButton, data=TOGGLE)  # may still switch to the desk
    staff = await DeskUI(ctx).start("jianzhu")
    assert staff.app.desk is None
    assert not staff.all(ft.TextButton, lambda c: c.data == TOGGLE)
    chosen = DeskUI(ctx, width=800)
    chosen.app.prefs = FakePrefs({LAYOUT_KEY: "desk"})
    await chosen.start("admin")
    assert chosen.app.desk is not None  # a choice made earlier on this device wins over the width


@run_async
async def test_queues_show_their_counts_and_the_overdue_tab_lists_only_overdue_items(ctx):
    ui = await DeskUI(ctx).start("dudao")
    review = ui.review
    counts = desk_of(ctx, "dudao").counts()
    assert review.counts == counts and counts["overdue"] > 0
    assert review.queue == "dispatch" and all(i.status == "reported" for i in review.rows)
    await ui.click(review.tab_controls["overdue"])
    now = ctx.now()
    assert review.queue == "overdue" and len(review.rows) == counts["overdue"]
    assert all(i.overdue(now) for i in review.rows)
    assert "逾期" in words(ui) and any(w.startswith("逾期 ") and w.endswith(" 天") for w in ui.texts())
    # the most overdue first
    deadlines = [i.deadline for i in review.rows]
    assert deadlines == sorted(deadlines)


@run_async
async def test_first_row_is_selected_and_keys_move_through_the_queue_unless_typing(ctx):
    ui = await DeskUI(ctx).start("dudao")
    review = ui.review
    await ui.click(review.tab_controls["all"])
    ids = [i.id for i in review.rows]
    assert review.selected_id == ids[0] and review.pane.data.item.id == ids[0]
    await ui.key("Arrow Down")
    await ui.key("Arrow Down")
    assert review.selected_id == ids[2] and review.pane.item.id == ids[2]
    await ui.key("Arrow Up")
    assert review.selected_id == ids[1]
    await ui.fire(review.search, "focus")  # typing in the search box: letters and arrows are text
    await ui.key("Arrow Down")
    await ui.key("R")
    assert review.selected_id == ids[1] and ui.shell.dialog is None
    await ui.fire(review.search, "blur")
    await ui.key("J")
    assert review.selected_id == ids[2]
    await ui.fire(review.search, "focus")
    await ui.click(review.row_controls[ids[4]])  # a tap on a row takes the keys back from the search box
    assert not ui.shell.focused
    await ui.key("Arrow Down")
    assert review.selected_id == ids[5]


@run_async
async def test_clicking_a_row_opens_it_with_photos_evidence_timeline_and_its_decisions(ctx):
    ui = await DeskUI(ctx).start("dudao")
    review = ui.review
    await ui.click(review.tab_controls["verify"])
    second = review.rows[1]
    await ui.click(review.row_controls[second.id])
    pane = review.pane
    assert pane.item.id == second.id
    text = words(ui)
    for expected in ("整改前", "整改后", "照片证据", "整改后照片 · 拍摄人", "处理记录", "提交整改", "基本情况"):
        assert expected in text, expected
    assert list(pane.buttons) == ["verified", "rejected", "dismissed"]
    assert pane.buttons["verified"].content == "核查通过 (V)"
    assert f"{pane.item.photos[0]}:display" in ui.app.thumb_cache  # the watermarked display copy


@run_async
async def test_v_verifies_with_the_campaigns_look_back_days_and_moves_to_the_next_item(ctx):
    admin = desk_of(ctx, "admin")
    ui = await DeskUI(ctx).start("dudao")
    review = ui.review
    await ui.click(review.tab_controls["verify"])
    first, second = review.rows[0], review.rows[1]
    admin.save_campaign({"look_back_days": {first.category: 9}})
    before = review.counts["verify"]
    await ui.key("V")
    item = desk_of(ctx, "dudao").item(first.id).item
    assert item.status == "verified"
    assert item.look_back_due - item.verified_at == timedelta(days=9)
    assert ui.last_snack() == f"已核查通过：{first.number}"
    assert ui.shell.dialog is None
    assert review.counts["verify"] == before - 1 and first.id not in [i.id for i in review.rows]
    assert review.selected_id == second.id  # the next one is in front, ready for the next key


@run_async
async def test_r_asks_for_a_reason_and_the_rejection_counts_as_rework(ctx):
    ui = await DeskUI(ctx).start("dudao")
    review = ui.review
    await ui.click(review.tab_controls["verify"])
    target = review.rows[0]
    await ui.key("R")
    form = review.pane.form
    assert ui.shell.dialog is form.dialog and ui.on_screen(form.confirm_button)
    assert form.dialog.title.value == f"退回重改 · {target.number}" and form.confirm_button.content == "退回重改"
    await ui.key("V")  # a dialog is open: no shortcut fires under it
    assert desk_of(ctx, "dudao").item(target.id).item.status == "fix_submitted"
    await ui.click(form.confirm_button)
    assert form.error.visible and form.error.value == "请填写原因"
    await ui.click(ui.find(ft.OutlinedButton, "照片角度与原问题不一致"))  # a ready-made reason
    await ui.type(form.controls["reason"], "照片角度与原问题不一致，沉淀池未清理")
    await ui.click(form.confirm_button)
    item = desk_of(ctx, "dudao").item(target.id).item
    assert item.status == "rectifying" and item.rework_count == target.rework_count + 1
    assert item.last_reason == "照片角度与原问题不一致，沉淀池未清理"
    assert ui.shell.dialog is None and ui.last_snack() == f"已退回重改：{target.number}"


@run_async
async def test_a_decision_someone_else_made_first_is_refused_in_words_and_the_item_is_read_again(ctx):
    ui = await DeskUI(ctx).start("dudao")
    review = ui.review
    await ui.click(review.tab_controls["verify"])
    target = review.pane.item
    other = desk_of(ctx, "admin")
    other.reject(other.item(target.id).item, "另一位督查已退回")  # meanwhile, on another screen
    await ui.click(review.pane.buttons["verified"])
    assert "已被他人更新" in ui.last_snack() and "整改中" in ui.last_snack()
    pane = review.pane
    assert pane.item.id == target.id and pane.item.status == "rectifying"  # read again, still in front
    assert pane.notice and any("未能执行" in w for w in ui.texts())
    assert list(pane.buttons) == ["assigned", "dismissed"]


@run_async
async def test_batch_assign_several_items_at_once_with_category_deadlines(ctx):
    ui = await DeskUI(ctx).start("dudao")
    review = ui.review
    targets = review.rows[:2]
    for item in targets:
        box = ui.find(ft.Checkbox, data=item.id)
        box.value = True
        await ui.fire(box, "change")
    assert "已选 2 项" in words(ui)
    await ui.click(review.batch_button)
    form = review.batch_dialog
    await ui.click(form.confirm_button)
    assert form.error.value == "请填写责任领导"
    await ui.type(form.controls["leader"], "陈处长")
    await ui.click(form.confirm_button)
    assert ui.last_snack() == "已派遣 2 项"
    desk = desk_of(ctx, "dudao")
    for item in targets:
        now = desk.item(item.id).item
        assert now.status == "assigned" and now.leader == "陈处长" and now.office == item.office
        days = catalog.category(item.category).deadline_days
        assert now.deadline.astimezone(desk.zone).date() == desk.today() + timedelta(days=days)
    assert not review.checked and all(i.id not in [t.id for t in targets] for i in review.rows)


@run_async
async def test_assign_form_defaults_the_deadline_from_the_category(ctx):
    ui = await DeskUI(ctx).start("dudao")
    pane = ui.review.pane
    item = pane.item
    await ui.click(pane.buttons["assigned"])
    form = pane.form
    days = catalog.category(item.category).deadline_days
    expected = (ctx.now().astimezone(ctx.settings.zone).date() + timedelta(days=days)).isoformat()
    assert form.controls["deadline"].value == expected and form.controls["office"].value == item.office
    await ui.type(form.controls["leader"], "吴科长")
    await ui.select(form.controls["office"], "landscaping")
    await ui.click(form.confirm_button)
    now = desk_of(ctx, "dudao").item(item.id).item
    assert now.status == "assigned" and now.office == "landscaping" and now.leader == "吴科长"


@run_async
async def test_filters_and_search_narrow_the_table(ctx):
    ui = await DeskUI(ctx).start("dudao")
    review = ui.review
    await ui.click(review.tab_controls["all"])
    everyone = review.total
    await ui.select(review.office_filter, "construction")
    assert review.rows and all(i.office == "construction" for i in review.rows) and review.total < everyone
    assert review.counts == desk_of(ctx, "dudao").counts(Filters(office="construction"))
    number = review.rows[0].number
    await ui.type(review.search, number)
    await ui.fire(review.search, "submit")
    assert numbers(review) == [number]
    await ui.click(review.clear_button)
    assert review.total == everyone
    await ui.click(review.more_button)
    await ui.type(review.from_field, "7月1日")
    await ui.fire(review.from_field, "submit")
    assert ui.last_snack() == "日期格式应为 2026-07-20"
    await ui.type(review.from_field, "")
    review.rebound_box.selected = True
    await ui.fire(review.rebound_box, "select")
    assert review.rows and all(i.rebound_count > 0 for i in review.rows)


@run_async
async def test_clicking_headers_sorts_by_that_column_both_ways(ctx):
    ui = await DeskUI(ctx).start("dudao")
    review = ui.review
    await ui.click(review.tab_controls["all"])
    header = ui.find(ft.Container, data="number")
    await ui.click(header)
    assert numbers(review) == sorted(numbers(review))
    await ui.click(ui.find(ft.Container, data="number"))
    assert numbers(review) == sorted(numbers(review), reverse=True)
    assert review.current_sort() == "-number"


@run_async
async def test_pages_come_from_the_database_and_arrows_cross_page_ends(ctx, monkeypatch):
    from inspector.ui.desk import review as review_module

    monkeypatch.setattr(review_module, "PAGE_SIZE", 10)
    ui = await DeskUI(ctx).start("dudao")
    review = ui.review
    await ui.click(review.tab_controls["all"])
    assert len(review.rows) == 10 and review.total == 36
    assert "第 1–10 项，共 36 项" in words(ui)
    last_of_first = review.rows[-1].id
    await ui.click(review.row_controls[last_of_first])
    await ui.key("Arrow Down")
    assert review.page_no == 2 and review.selected_id == review.rows[0].id
    await ui.key("Arrow Up")
    assert review.page_no == 1 and review.selected_id == last_of_first
    await ui.click(review.next_button)
    await ui.click(review.next_button)
    await ui.click(review.next_button)
    assert review.page_no == 4 and len(review.rows) == 6 and review.next_button.disabled


@run_async
async def test_disputed_items_show_the_finding_and_can_be_reopened_or_kept(ctx):
    desk = desk_of(ctx, "dudao")
    done = [i for status in ("verified", "closed")
            for i in desk.queue("all", Filters(office="construction", status=status)).items]
    fixed = desk.queue("verify", Filters(office="construction")).items[0]
    done.append(desk.verify(fixed))  # a second verdict to dispute
    first = disagree(ctx, done[0], note="沉淀池仍在溢流")
    second = disagree(ctx, done[1], note="围挡外仍有泥浆", seed=78)
    ui = await DeskUI(ctx).start("dudao")
    review = ui.review
    assert review.counts["disputed"] == 2
    await ui.click(review.tab_controls["disputed"])
    await ui.click(review.row_controls[first.id])
    pane = review.pane
    assert "抽查意见（有异议）" in words(ui) and "沉淀池仍在溢流" in words(ui)
    assert list(pane.buttons) == ["reopened", "dispute_dismissed"]
    await ui.click(pane.buttons["reopened"])
    form = pane.form
    assert form.controls["leader"].value == first.leader  # the item's leader to start from
    await ui.type(form.controls["reason"], "抽查意见属实")
    await ui.click(form.confirm_button)
    now = desk.item(first.id).item
    assert now.status == "assigned" and not now.disputed and now.last_reason == "抽查意见属实"
    await ui.click(review.row_controls[second.id])
    await ui.click(pane.buttons["dispute_dismissed"])
    await ui.type(pane.form.controls["reason"], "现场为相邻工地的泥浆")
    await ui.click(pane.form.confirm_button)
    now = desk.item(second.id).item
    assert now.status == second.status and not now.disputed
    assert review.counts["disputed"] == 0


@run_async
async def test_extension_grant_and_refusal(ctx):
    ui = await DeskUI(ctx).start("dudao")
    review = ui.review
    await ui.click(review.tab_controls["extension"])
    first, second = review.rows[0], review.rows[1]
    pane = review.pane
    until = first.extension_until
    assert pane.buttons["extension_granted"].content.startswith("同意延期至 ")
    await ui.click(pane.buttons["extension_granted"])
    now = desk_of(ctx, "dudao").item(first.id).item
    assert now.deadline == until and now.extensions_granted == 1 and not now.extension_pending
    assert review.pane.item.id == second.id
    await ui.click(pane.buttons["extension_refused"])
    await ui.type(pane.form.controls["reason"], "苗木可先行调配")
    await ui.click(pane.form.confirm_button)
    now = desk_of(ctx, "dudao").item(second.id).item
    assert not now.extension_pending and now.last_reason == "苗木可先行调配"


@run_async
async def test_zoom_opens_the_display_copy_large(ctx):
    ui = await DeskUI(ctx).start("dudao")
    pane = ui.review.pane
    photo = next(c for c in ui.all(ft.Container, lambda c: c.data == pane.item.photos[0]))
    await ui.click(photo)
    dialog = ui.shell.dialog
    assert dialog is pane.zoom_dialog
    viewer = dialog.content.content
    assert isinstance(viewer, ft.InteractiveViewer) and viewer.content.src == ui.app.thumb_cache[
        f"{pane.item.photos[0]}:display"]
    await ui.key("V")  # no decision under an open photo
    assert desk_of(ctx, "dudao").item(pane.item.id).item.status == "reported"
    await ui.click(ui.find(ft.TextButton, "关闭"))
    assert ui.shell.dialog is None


@run_async
async def test_the_desk_speaks_english_after_one_click_and_remembers_it(ctx):
    from inspector.ui.app import LANG_KEY

    ui = await DeskUI(ctx).start("dudao")
    await ui.click(ui.shell.lang_button)
    assert [d.label for d in ui.shell.rail.destinations] == ["Review", "Map", "Scores", "Reports", "Admin"]
    text = words(ui)
    assert "To assign" in text and "Overdue" in text and "Keys: ↑ ↓ move · V verify · R reject" in text
    assert await ui.app.prefs.get(LANG_KEY) == "en"
    await ui.rail("scores")
    assert "Score =" in words(ui) and "on-time closure rate" in words(ui)


@run_async
async def test_logging_out_of_the_desk_returns_to_the_login_and_silences_the_keys(ctx):
    ui = await DeskUI(ctx).start("dudao")
    shell = ui.shell
    await ui.click(shell.logout_button)
    assert ui.app.ws is None and ui.app.login_view is not None
    assert ui.page.on_keyboard_event is None and shell.closed
