"""The visit screen on the phone: pick a site, mark its points, a failure without a photo blocks, finish."""

import flet as ft
from sqlmodel import select

from inspector.domain.visits import VISITED
from inspector.services import sites
from inspector.store.engine import read_session
from inspector.store.models import EventRow, Item
from inspector.ui.device import Fix
from inspector.ui.views.visit import FINISH, SITE, WALK, VisitView, open_from_route
from tests.factories import checklist_row, person, registered_site
from tests.ui.conftest import UI, FakeDevices, run_async
from tests.ui.photos import jpeg

HERE = Fix(30.2741, 120.1551, 8.0)  # the demo centre: 住建局办公区 is ~50 m away


def visit_view(ui) -> VisitView:
    view = ui.app.stack[-1]
    assert isinstance(view, VisitView)
    return view


def site_named(ui, name: str):
    return next(s for s in ui.app.sites if s.name == name)


def verdict_button(ui, code: str, verdict: str):
    return ui.find(ft.Button, data=f"{code}:{verdict}")


def events_of_kind(ctx, kind: str) -> list[EventRow]:
    with read_session(ctx.engine) as session:
        return list(session.exec(select(EventRow).where(EventRow.kind == kind)).all())


@run_async
async def test_pick_a_site_mark_points_a_fail_without_photo_blocks_then_finish(ctx):
    ui = await UI(ctx, FakeDevices(HERE)).start("xuncha")
    await ui.goto("todo")
    await ui.click(ui.find(ft.FilledButton, text="开始检查"))
    view = visit_view(ui)
    assert view.stage == SITE
    # nearest first, with the distance
    assert view.site_rows and "住建局办公区" in ui.text()
    assert "米" in ui.text()
    # search by name
    await ui.type(view.search_field, "滨江")
    assert [r.content.data for r in view.site_rows] == [site_named(ui, "滨江花园三期工地").id]
    await ui.click(view.site_rows[0].content)
    assert view.stage == WALK and view.site.name == "滨江花园三期工地"
    points = view.checklist.points
    assert len(points) >= 8 and any(p.starred for p in points)
    assert f"已查 0/{len(points)}" in ui.text()
    assert ui.page.appbar.title.value == "滨江花园三期工地"

    starred = next(p for p in points if p.starred)
    plain = next(p for p in points if not p.starred)
    for p in points:
        await ui.click(verdict_button(ui, p.code, "pass"))
    await ui.click(verdict_button(ui, plain.code, "fail"))
    other = next(p for p in points if p not in (plain, starred))
    await ui.click(verdict_button(ui, other.code, "na"))
    assert f"已查 {len(points)}/{len(points)}" in ui.text()

    # a failed point without a photo blocks finishing, with the point's number said
    await ui.click(view.finish_button)
    assert view.stage == WALK
    number = points.index(plain) + 1
    assert view.finish_problem.visible and f"第 {number} 项不合格但没有照片" in view.finish_problem.value

    # its photo: the point's own picker, the tile shows, the block goes
    ui.devices.pickers[f"visit:{plain.code}"].queued = [jpeg(31)]
    await ui.click(ui.find(ft.FilledTonalButton, data=plain.code))
    assert len(view.draft.marks[plain.code].photos) == 1
    await ui.type(ui.find(ft.TextField, data=plain.code), "围挡破损")

    # the draft survives leaving the screen: back, then 开始检查 again resumes it
    await ui.click(ui.page.appbar.leading)
    await ui.click(ui.find(ft.FilledButton, text="开始检查"))
    view = visit_view(ui)
    await view.on_note_blur()
    assert view.stage == WALK and view.draft.marks[plain.code].verdict == "fail"

    # a starred failure fails the visit
    await ui.click(verdict_button(ui, starred.code, "fail"))
    ui.devices.pickers[f"visit:{starred.code}"].queued = [jpeg(32)]
    await ui.click(ui.find(ft.FilledTonalButton, data=starred.code))
    await ui.click(view.finish_button)
    assert view.stage == FINISH
    text = ui.text()
    applicable = len(points) - 1
    assert f"得分 {applicable - 2}/{applicable}" in text and "不通过" in text and "将生成 2 个问题" in text

    before = len(events_of_kind(ctx, "reported"))
    visit_id = view.draft.id
    await ui.click(view.submit_button)
    assert not ui.app.stack and ui.app.tabs[ui.app.tab].name == "todo"
    assert "检查已保存，生成 2 个问题" in ui.snacks()
    [visit] = [e for e in events_of_kind(ctx, VISITED) if e.item_id == visit_id]  # the demo has visits of its own
    assert visit.payload["site"] == view.site.id and visit.payload["check_type"] == "supervisor"
    assert visit.payload["results"][plain.code] == "fail" and len(visit.payload["results"]) == len(points)
    reports = events_of_kind(ctx, "reported")[before:]
    assert [r.payload["check_point"] for r in reports] == [p.code for p in points if p.code in (plain.code, starred.code)]
    with read_session(ctx.engine) as session:
        items = [session.get(Item, r.item_id) for r in reports]
    assert all(i.visit_id == visit.item_id and i.office_code == "construction" for i in items)
    assert {i.category for i in items} == {plain.category, starred.category}
    assert ui.app.ws.visits.draft() is None


@run_async
async def test_a_qr_link_opens_the_sites_visit_after_login(ctx):
    ui = UI(ctx, FakeDevices(HERE))
    await ui.app.start()
    ui.page.route = "/visit/unknown"  # a link to a site not registered: said on the site list
    await ui.app.login("xuncha", "cw-demo-2026")
    view = visit_view(ui)
    assert view.stage == SITE and "unknown" in (view.message or "")
    site = site_named(ui, "阳光小区")
    await ui.click(ui.page.appbar.leading)
    assert await open_from_route(ui.app, f"/visit/{site.id}")
    view = visit_view(ui)
    assert view.stage == WALK and view.site.id == site.id
    assert view.checklist.site_type == "community"


@run_async
async def test_an_added_site_type_is_shown_by_its_name_in_both_languages(ctx):
    admin = person(ctx, "types-admin", "admin")
    sites.add_site_type(ctx, admin, "wet_market", {"zh-CN": "农贸市场", "en": "Wet market"})
    sites.add_site_type(ctx, admin, "hospital", {"zh-CN": "医疗机构", "en": "Hospital"})
    market = registered_site(ctx, "试点农贸市场", kind="wet_market", lat=30.2745, lon=120.1555)
    clinic = registered_site(ctx, "试点社区医院", kind="hospital", lat=30.2746, lon=120.1556)
    checklist_row(ctx, "wet_market")  # the hospital has no checklist yet
    ui = await UI(ctx, FakeDevices(HERE)).start("xuncha")
    await ui.goto("todo")
    await ui.click(ui.find(ft.FilledButton, text="开始检查"))
    view = visit_view(ui)
    await ui.type(view.search_field, "试点")
    assert "农贸市场 · 建筑工程管理处" in ui.text() and "wet_market" not in ui.text()
    assert "建筑工地" not in ui.text()  # no shipped type's words for an added one

    # Its visit: the walk names the type, in either language.
    await ui.click(ui.find(ft.Container, data=market))
    assert view.stage == WALK and "农贸市场 · 建筑工程管理处" in ui.text()
    await ui.app.set_lang("en")
    assert "Wet market · " in ui.text() and "wet_market" not in ui.text()

    # A type with no checklist yet says so by its name, not its code; the list names both types.
    await view.start(clinic)
    assert view.stage == SITE and '"Hospital"' in (view.message or "") and '"hospital"' not in view.message
    assert "Hospital · " in ui.text() and "Wet market · " in ui.text()
