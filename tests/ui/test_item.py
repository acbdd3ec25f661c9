"""Item screen: facts and timeline, the actions each role may take, and what they record."""

import hashlib
from datetime import date

import flet as ft

from inspector.store.queries import ItemFilter
from inspector.ui.device import Fix
from inspector.ui.views.item import allowed_actions
from tests.ui.conftest import UI, FakeDevices, run_async
from tests.ui.date_helpers import pick_day
from tests.ui.photos import jpeg


def spot_words(ui) -> str:
    return next(t for t in ui.texts() if "同一地点" in t)


def first(ui, **filters):
    return ui.app.ws.list_items(ItemFilter(**filters), 1, 50).items[0]


async def open_item(ui, item):
    await ui.app.open_item(item.id)
    return ui.app.stack[-1]


@run_async
async def test_office_staff_sees_acknowledge_fix_extension_and_acknowledges(ctx):
    ui = await UI(ctx).start("jianzhu")
    # not the demo's item whose return waits for the supervisor (one return at a time)
    item = next(i for i in ui.app.ws.list_items(ItemFilter(office="construction", status="assigned"), 1, 50).items
                if not i.return_pending)
    view = await open_item(ui, item)
    assert list(view.action_buttons) == ["acknowledged", "fix_submitted", "extension_requested", "returned"]
    text = ui.text()
    assert "已派遣" in text and "建筑工程管理处" in text and "处理记录" in text and "整改前" in text
    assert ui.page.appbar.title.value == item.number
    await ui.click(view.action_buttons["acknowledged"])
    assert ui.last_snack() == "已签收"
    assert view.item.status == "rectifying" and view.item.version == item.version + 1
    assert "acknowledged" not in view.action_buttons


@run_async
async def test_inspector_and_spot_checker_get_no_office_actions(ctx):
    ui = await UI(ctx).start("xuncha")
    item = first(ui, office="construction", status="assigned")
    view = await open_item(ui, item)
    assert view.action_buttons == {}
    verified = first(ui, status="verified")
    assert allowed_actions(ui.app.ws.actor, verified) == ["look_back_passed"]
    other = await UI(ctx).start("jianzhu")
    assert allowed_actions(other.app.ws.actor, verified) == []


@run_async
async def test_submit_fix_with_after_photo_and_same_spot_check(ctx):
    ui = await UI(ctx, FakeDevices(fix=None)).start("jianzhu")
    item = first(ui, office="construction", status="rectifying")
    view = await open_item(ui, item)
    await ui.click(view.action_buttons["fix_submitted"])
    assert view.form == "fix" and "请在同一位置、同一角度拍摄整改后的照片" in ui.text()
    assert "无法核对是否同一地点" in spot_words(ui)
    await ui.click(ui.find(ft.FilledButton, "提交整改"))
    assert ui.last_snack() == "请先拍整改后的照片"

    far = (item.location.lat + 0.0018, item.location.lon)  # ~200 m north
    after = jpeg(21, gps=far)
    ui.devices.pickers["item"].queued = [after]
    await ui.click(ui.find(ft.FilledTonalButton))
    assert "超过 50 米" in spot_words(ui) and "照片位置" in spot_words(ui)
    await ui.type(ui.find(ft.TextField, label="说明（可不填）"), "已清理并加装沉淀池")
    await ui.click(ui.find(ft.FilledButton, "提交整改"))
    assert view.form is None
    assert view.item.status == "fix_submitted"
    assert view.item.fix_photos == (hashlib.sha256(after).hexdigest(),)
    entry = view.data.timeline[-1]
    assert entry.kind == "fix_submitted" and entry.payload["note"] == "已清理并加装沉淀池"
    assert entry.payload["location"]["source"] == "exif"


@run_async
async def test_fix_uses_device_gps_when_photo_has_none(ctx):
    ui = await UI(ctx, FakeDevices(fix=None)).start("jianzhu")
    item = first(ui, office="construction", status="rectifying")
    ui.devices._locator.fix = Fix(item.location.lat, item.location.lon + 0.0001, 5.0)  # ~10 m away
    view = await open_item(ui, item)
    await ui.click(view.action_buttons["fix_submitted"])
    ui.devices.pickers["item"].queued = [jpeg(22)]
    await ui.click(ui.find(ft.FilledTonalButton))
    assert "是同一地点" in spot_words(ui) and "GPS" in spot_words(ui)


@run_async
async def test_request_extension_needs_date_and_reason(ctx):
    ui = await UI(ctx).start("jianzhu")
    item = first(ui, office="construction", status="rectifying", extension_pending=False)
    view = await open_item(ui, item)
    await ui.click(view.action_buttons["extension_requested"])
    await pick_day(ui, ui.find(ft.TextField, label="延期至"), date(2026, 7, 30))  # picked, never typed
    assert ui.find(ft.TextField, label="延期至").value == "2026年7月30日"
    await ui.click(ui.find(ft.FilledButton, "申请延期"))
    assert ui.last_snack() == "请填写原因"
    await ui.type(ui.find(ft.TextField, label="延期原因"), "雨季停工，需延后三天")
    await ui.click(ui.find(ft.FilledButton, "申请延期"))
    assert view.item.extension_pending and view.item.extension_reason == "雨季停工，需延后三天"
    assert "延期申请中" in ui.text() and "extension_requested" not in view.action_buttons


@run_async
async def test_inspector_look_back_holds_needs_a_photo_then_closes(ctx):
    ui = await UI(ctx).start("xuncha")
    item = first(ui, status="verified")
    view = await open_item(ui, item)
    await ui.click(view.action_buttons["look_back_passed"])
    await ui.click(ui.find(ft.FilledButton, "保存回头看"))
    assert ui.last_snack() == "请先拍回头看的照片"
    ui.devices.pickers["item"].queued = [jpeg(23)]
    await ui.click(ui.find(ft.FilledTonalButton))
    await ui.click(ui.find(ft.FilledButton, "保存回头看"))
    assert view.item.status == "closed"


@run_async
async def test_rejected_item_shows_reason_in_timeline(ctx):
    ui = await UI(ctx).start("dudao")
    item = next(i for i in ui.app.ws.list_items(ItemFilter(), 1, 200).items if i.rework_count)
    view = await open_item(ui, item)
    text = ui.text()
    assert "退回重改" in text
    assert item.last_reason and item.last_reason in text


@run_async
async def test_stale_version_is_refused_in_words(ctx):
    ui = await UI(ctx).start("jianzhu")
    item = first(ui, office="construction", status="assigned")
    view = await open_item(ui, item)
    other = await UI(ctx).start("jianzhu")  # the same item acknowledged on another phone first
    other_view = await open_item(other, item)
    await other.click(other_view.action_buttons["acknowledged"])
    await ui.click(view.action_buttons["acknowledged"])
    assert "状态" in ui.last_snack()  # "...已被他人更新（当前状态：整改中）..." or "不能执行"


@run_async
async def test_back_returns_to_the_tab(ctx):
    ui = await UI(ctx).start("jianzhu")
    assert ui.app.tab == 2  # office staff land on 待办
    section = next(s for s in ui.app.views["todo"].sections if getattr(s, "cards", None))  # the first item list
    card = section.cards[0]
    await ui.click(card.root)
    assert ui.app.stack and ui.app.stack[-1].item_id == card.item.id
    await ui.click(ui.page.appbar.leading)
    assert not ui.app.stack and ui.app.tab == 2
