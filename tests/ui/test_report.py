"""Report: photo, location (GPS, EXIF, typed), category -> office, save -> one `reported` event, reset, draft."""

import asyncio
import hashlib
import json

from inspector.services.workspace import ServerWorkspace
from inspector.store.queries import ItemFilter
from inspector.ui.device import Fix
from tests.ui.conftest import UI, FakeDevices, FakePrefs, run_async
from tests.ui.photos import jpeg

HERE = Fix(30.2741, 120.1551, 8.0)  # the demo centre: 住建局办公区 is ~50 m away


async def report_view(ui):
    view = ui.app.views["report"]
    if view._locate_task is not None:
        await view._locate_task
    return view


async def add_photos(ui, view, *photos: bytes):
    ui.devices.pickers["report"].queued = list(photos)
    await ui.click(view.photo_button)


def my_items(ui) -> list:
    ws: ServerWorkspace = ui.app.ws
    page = ws.list_items(ItemFilter(sort="-reported_at"), 1, 200)
    return [i for i in page.items if i.reported_by == ws.actor.id]


@run_async
async def test_photo_category_save_records_one_report_and_resets(ctx):
    ui = await UI(ctx, FakeDevices(HERE)).start("xuncha")
    view = await report_view(ui)
    before = len(my_items(ui))
    assert view.location == {"lat": 30.2741, "lon": 120.1551, "accuracy_m": 8.0, "source": "gps"}
    assert "±8 m · GPS" in ui.text()

    photo = jpeg(1)
    await add_photos(ui, view, photo)
    assert [p.sha256 for p in view.photos] == [hashlib.sha256(photo).hexdigest()]
    assert "已选 1 张照片" in ui.text()
    office_site = next(s for s in ui.app.sites if s.name == "住建局办公区")
    assert view.site_id == office_site.id  # the nearest registered site, suggested
    assert "最近：住建局办公区" in ui.text()

    # tap 1: the category tile; the office follows from it
    await ui.click(view.tiles["loose_soil"])
    assert view.category == "loose_soil" and view.office == "landscaping"
    assert view.office_dropdown.value == "landscaping"
    # tap 2: save
    await ui.click(view.save_button)

    items = my_items(ui)
    assert len(items) == before + 1, ui.snacks()
    item = items[0]
    assert item.category == "loose_soil" and item.office == "landscaping" and item.status == "reported"
    assert item.photos == (hashlib.sha256(photo).hexdigest(),)
    assert (item.location.lat, item.location.lon, item.location.accuracy_m, item.location.source) == \
        (30.2741, 120.1551, 8.0, "gps")
    assert item.site_id == office_site.id and item.check_type == "supervisor" and item.severity == "normal"
    assert ui.last_snack() == f"已保存，编号 {item.number}"
    # an empty form, ready for the next problem
    assert view.photos == [] and view.category is None and view.office is None and view.description == ""
    assert view.office_dropdown.value is None and "已选" not in ui.text()


@run_async
async def test_office_severity_description_can_be_changed(ctx):
    ui = await UI(ctx, FakeDevices(HERE)).start("xuncha")
    view = await report_view(ui)
    await add_photos(ui, view, jpeg(2), jpeg(3))
    await ui.click(view.tiles["site_sewage"])
    assert view.office == "construction"
    await ui.select(view.office_dropdown, "real_estate")
    await ui.segment(view.severity_control, "serious")
    await ui.type(view.description_field, "食堂污水直排雨水井")
    await ui.click(view.save_button)
    item = my_items(ui)[0]
    assert (item.office, item.severity, item.description, len(item.photos)) == \
        ("real_estate", "serious", "食堂污水直排雨水井", 2)


@run_async
async def test_save_without_photo_or_category_says_what_is_missing(ctx):
    ui = await UI(ctx, FakeDevices(HERE)).start("xuncha")
    view = await report_view(ui)
    before = len(my_items(ui))
    await ui.click(view.save_button)  # said over 保存, not on it, and not in a snackbar (inspector.ui.messages)
    assert view.save_problem.visible and view.save_problem.value == "请先拍照或选择照片"
    await add_photos(ui, view, jpeg(4))
    await ui.click(view.save_button)
    assert view.save_problem.visible and view.save_problem.value == "请选择问题类别"
    assert len(my_items(ui)) == before


@run_async
async def test_remove_photo_from_strip(ctx):
    ui = await UI(ctx, FakeDevices(HERE)).start("xuncha")
    view = await report_view(ui)
    await add_photos(ui, view, jpeg(5), jpeg(6))
    assert len(view.photos) == 2
    remove = view.strip.controls[0].controls[1].content
    await ui.click(remove)
    assert [p.sha256 for p in view.photos] == [hashlib.sha256(jpeg(6)).hexdigest()]


@run_async
async def test_no_gps_falls_back_to_photo_exif_position(ctx):
    ui = await UI(ctx, FakeDevices(fix=None)).start("xuncha")
    view = await report_view(ui)
    assert view.location is None and view.manual  # no GPS: typed coordinates offered
    await add_photos(ui, view, jpeg(7, gps=(30.2779, 120.1520)))
    assert view.location["source"] == "exif"
    assert abs(view.location["lat"] - 30.2779) < 1e-4 and abs(view.location["lon"] - 120.1520) < 1e-4
    assert "照片位置" in ui.text()
    await ui.click(view.tiles["site_garbage"])
    await ui.click(view.save_button)
    assert my_items(ui)[0].location.source == "exif"


@run_async
async def test_no_gps_no_exif_typed_coordinates(ctx):
    ui = await UI(ctx, FakeDevices(fix=None)).start("xuncha")
    view = await report_view(ui)
    await add_photos(ui, view, jpeg(8))
    assert view.location is None
    await ui.click(view.tiles["road_mud"])
    await ui.click(view.save_button)
    assert view.save_problem.value == "还没有位置：请重新定位或手动输入坐标"
    await ui.type(view.lat_field, "91")
    await ui.type(view.lon_field, "120.15")
    await ui.click(view.save_button)
    assert view.coordinate_line.visible and view.coordinate_line.value == "坐标无效：纬度 -90~90，经度 -180~180"
    await ui.type(view.lat_field, "30.2702")
    await ui.click(view.save_button)
    item = my_items(ui)[0]
    assert (item.location.lat, item.location.source, item.category) == (30.2702, "manual", "road_mud")


@run_async
async def test_draft_survives_tab_switch_and_reload(ctx):
    prefs = FakePrefs()
    ui = await UI(ctx, FakeDevices(HERE, prefs=prefs)).start("xuncha")
    view = await report_view(ui)
    await add_photos(ui, view, jpeg(9))
    await ui.click(view.tiles["mosquito_breeding"])
    await ui.goto("mine")
    await ui.goto("report")
    assert ui.app.views["report"] is view and view.category == "mosquito_breeding" and len(view.photos) == 1
    draft = json.loads(next(v for k, v in prefs.values.items() if k.startswith("inspector.draft.")))
    assert draft["category"] == "mosquito_breeding"

    again = await UI(ctx, FakeDevices(HERE, prefs=prefs)).start()  # page reloaded: logged in from the token
    restored = await report_view(again)
    assert restored.category == "mosquito_breeding" and len(restored.photos) == 1
    assert restored.thumbs[restored.photos[0].sha256]  # the thumbnail is back
    await again.click(restored.save_button)
    assert not any(k.startswith("inspector.draft.") for k in prefs.values)  # saved: no draft left


@run_async
async def test_office_staff_report_self_check_only(ctx):
    ui = await UI(ctx, FakeDevices(HERE)).start("jianzhu")
    await ui.goto("report")  # office staff land on 待办
    view = await report_view(ui)
    assert view.check_types == ["self", "cross"] and view.check_type == "self"
    await add_photos(ui, view, jpeg(10))
    await ui.click(view.tiles["site_cleaning"])
    await ui.select(view.check_type_dropdown, "cross")
    await ui.click(view.save_button)
    assert my_items(ui)[0].check_type == "cross"


@run_async
async def test_unsupported_file_is_refused_in_words(ctx):
    ui = await UI(ctx, FakeDevices(HERE)).start("xuncha")
    view = await report_view(ui)
    await add_photos(ui, view, b"GIF89a not a photo")
    assert view.photos == []
    assert ui.last_snack() and "照片" in ui.last_snack()
