"""While reporting: items on record here are offered (可能重复, 反弹) and one tap goes to them (issue 12, part B)."""

from inspector.domain.lifecycle import Kind
from inspector.services.workspace import ServerWorkspace
from inspector.store import users
from inspector.store.engine import read_session
from inspector.store.queries import ItemFilter
from inspector.ui.device import Fix
from tests.factories import person, reported
from tests.ui.conftest import UI, FakeDevices, run_async
from tests.ui.photos import jpeg
from tests.ui.test_report import add_photos, my_items, report_view

AWAY = Fix(30.4000, 120.4000, 6.0)  # far from the demo's items: only this test's are near
NEAR = Fix(30.40018, 120.4000, 6.0)  # 20 m north


async def report_here(ui, view, seed: int, category: str = "site_garbage"):
    await add_photos(ui, view, jpeg(seed))
    await ui.click(view.tiles[category])


@run_async
async def test_an_open_item_of_mine_nearby_is_offered_and_takes_the_photos_as_evidence(ctx):
    ui = await UI(ctx, FakeDevices(AWAY)).start("xuncha")
    view = await report_view(ui)
    await report_here(ui, view, 301)
    assert view.candidates.rows == []  # nothing here yet
    await ui.click(view.save_button)
    first = my_items(ui)[0]

    ui.devices.locator().fix = NEAR
    await view.locate()
    await report_here(ui, view, 302, "site_sewage")  # another category: not offered
    assert view.candidates.rows == []
    await ui.click(view.tiles["site_garbage"])
    [offered] = view.candidates.rows
    assert offered.item.id == first.id and 18 < offered.distance_m < 22
    assert "可能重复" in ui.text() and "加到此问题" in ui.text() and "相距 20 米" in ui.text()

    count = len(my_items(ui))
    await ui.click(view.candidates.buttons[first.id])
    assert len(my_items(ui)) == count  # no new item
    shown = ui.app.ws.item(first.id)
    assert shown.item.evidence_count == 1 and shown.item.status == "reported"
    assert [e.kind for e in shown.timeline][-1] == Kind.EVIDENCE_ADDED
    assert ui.last_snack() == f"照片已加到 {first.number}（补充证据）"
    assert view.photos == [] and view.category is None and view.candidates.rows == []


@run_async
async def test_a_fixed_item_at_the_spot_is_offered_as_a_rebound(ctx):
    ui = await UI(ctx, FakeDevices(AWAY)).start("xuncha")
    view = await report_view(ui)
    await report_here(ui, view, 311)
    await ui.click(view.save_button)
    item = my_items(ui)[0]
    boss = ServerWorkspace(ctx, _actor(ctx, "dudao"))
    item = boss.record("assigned", item.id, item.version, {"office": item.office, "leader": "陈处长",
                                                            "deadline": "2099-01-01"})
    staff = ServerWorkspace(ctx, _actor(ctx, "jianzhu"))
    photo = staff.add_photo(jpeg(312)).sha256
    item = staff.record("fix_submitted", item.id, item.version, {"photos": [photo]})
    item = boss.record("verified", item.id, item.version, {})

    ui.devices.locator().fix = NEAR
    await view.locate()
    await report_here(ui, view, 313)
    [offered] = view.candidates.rows
    assert offered.item.id == item.id and offered.offer == "rebound"
    assert "反弹" in ui.text() and "记为反弹" in ui.text()
    await ui.click(view.candidates.buttons[item.id])
    again = ui.app.ws.list_items(ItemFilter(ids=(item.id,)), 1, 1).items[0]
    assert again.status == "assigned" and again.rebound_count == 1 and again.leader == "陈处长"
    assert ui.last_snack() == f"已记为 {item.number} 反弹，重新交办给责任单位"


def _actor(ctx, username: str):
    with read_session(ctx.engine) as session:
        return users.actor_of(session, users.user_row(session, username))


@run_async
async def test_a_colleagues_open_item_nearby_is_offered_and_takes_my_photos_as_evidence(ctx):
    colleague = ServerWorkspace(ctx, person(ctx, "zhao_xuncha", "inspector"))
    photo = colleague.add_photo(jpeg(321)).sha256
    theirs = colleague.record("reported", None, 0, {
        **reported(photo=photo, category="site_garbage").payload,
        "location": {"lat": AWAY.lat, "lon": AWAY.lon, "accuracy_m": 6.0, "source": "gps"}})

    ui = await UI(ctx, FakeDevices(NEAR)).start("xuncha")
    view = await report_view(ui)
    await report_here(ui, view, 322)
    [offered] = view.candidates.rows
    assert offered.item.id == theirs.id and offered.offer == "duplicate" and 18 < offered.distance_m < 22
    assert "可能重复" in ui.text() and "加到此问题" in ui.text()
    count = len(my_items(ui))
    await ui.click(view.candidates.buttons[theirs.id])
    assert len(my_items(ui)) == count  # no new report of mine: the colleague's item took the photos
    shown = ui.app.ws.item(theirs.id)
    assert shown.item.evidence_count == 1 and shown.item.reported_by == colleague.actor.id
    added = shown.timeline[-1]
    assert added.kind == Kind.EVIDENCE_ADDED and added.actor_id == ui.app.ws.actor.id
    assert ui.last_snack() == f"照片已加到 {theirs.number}（补充证据）"
