"""The desk's Review decisions in the UI harness: the item pane, verify, reject, refusals, batch assign,
disputes, extensions, zoom."""

from datetime import timedelta

import flet as ft

from inspector.domain import catalog
from inspector.services.desk import Filters
from tests.ui.conftest import run_async
from tests.ui.desk_helpers import DeskUI, desk_of, disagree


def words(ui) -> str:
    return "\n".join(ui.texts())


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
    assert list(pane.buttons) == ["verified", "rejected", "dismissed", "merged"]
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
    assert list(pane.buttons) == ["assigned", "dismissed", "merged"]


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
    await ui.click(review.batch.button)
    form = review.batch.dialog
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
    assert form.values["deadline"] == expected and form.controls["office"].value == item.office
    await ui.type(form.controls["leader"], "吴科长")
    await ui.select(form.controls["office"], "landscaping")
    await ui.click(form.confirm_button)
    now = desk_of(ctx, "dudao").item(item.id).item
    assert now.status == "assigned" and now.office == "landscaping" and now.leader == "吴科长"


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
    assert list(pane.buttons) == ["reopened", "dispute_dismissed", "merged"]
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
    viewer = dialog.content.controls[0]  # L: full screen (inspector.ui.zoom)
    assert isinstance(viewer, ft.InteractiveViewer) and viewer.content.src == ui.app.thumb_cache[
        f"{pane.item.photos[0]}:display"]
    await ui.key("V")  # no decision under an open photo
    assert desk_of(ctx, "dudao").item(pane.item.id).item.status == "reported"
    await ui.click(ui.all(ft.IconButton, lambda c: c.key == "zoom-close")[0])
    assert ui.shell.dialog is None



@run_async
async def test_evidence_warns_of_clocks_that_disagree_and_an_after_photo_taken_elsewhere(ctx):
    import uuid
    from datetime import timedelta

    from inspector.services import events
    from tests.factories import stored_photo
    from tests.ui.desk_helpers import actor

    staff = actor(ctx, "jianzhu")
    desk = desk_of(ctx, "dudao")
    item = desk.queue("all", Filters(office="construction", status="rectifying")).items[0]
    photo = stored_photo(ctx, staff, 91)
    far = {"lat": item.location.lat + 0.002, "lon": item.location.lon, "source": "gps"}  # ~220 m north
    made = ctx.now() - timedelta(hours=3)  # the phone's clock: three hours before the server heard of it
    out = events.push(ctx, staff, [events.EventIn(id=str(uuid.uuid4()), item_id=item.id, kind="fix_submitted",
                                                  at=made, base_version=item.version,
                                                  payload={"photos": [photo], "location": far})])[0]
    assert out.status == "accepted", out.error
    ui = await DeskUI(ctx).start("dudao")
    review = ui.review
    await ui.click(review.tab_controls["verify"])
    await ui.click(review.row_controls[item.id])
    texts = ui.texts()
    assert "照片证据 · 1 处需要留意" in texts
    assert "时间不一致：手机与服务器相差 180 分钟" in texts
    assert any(w.startswith("距问题位置 22") and "超过 50 米：可能不是同一地点（GPS）" in w for w in texts), texts
    assert any(w.startswith("提交整改") for w in texts) and any("手机时间" in w for w in texts)
