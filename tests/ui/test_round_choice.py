"""A cross check on the phone names the cross-inspection round that fits (issue 11): on the visit and the
report screens one fitting round is named and shown, and the server takes the visit, its failed point's
report and a report naming it; several are a dropdown; none fitting, the check names none (a free cross check)."""

from datetime import date

import flet as ft
from sqlmodel import select

from inspector.domain.visits import VISITED
from inspector.services import campaigns
from inspector.store.engine import read_session
from inspector.store.models import EventRow
from inspector.ui.views.visit import FINISH, WALK, VisitView, open_visit
from tests.ui.conftest import UI, FakeDevices, run_async
from tests.ui.oversight_helpers import actor_of
from tests.ui.photos import jpeg
from tests.ui.test_report import HERE, add_photos, report_view

NAMED = "第一轮交叉检查 · 园林管理处查建筑工程管理处"  # the demo clock's day, 2026-07-15, is in it


def first_round(ctx, name="第一轮交叉检查", inspecting="landscaping", inspected="construction",
                starts=date(2026, 7, 13), ends=date(2026, 7, 17)):
    return campaigns.create_round(ctx, actor_of(ctx, "dudao"), name, inspecting, inspected, starts, ends)


def events_of_kind(ctx, kind: str) -> list[EventRow]:
    with read_session(ctx.engine) as session:
        return list(session.exec(select(EventRow).where(EventRow.kind == kind).order_by(EventRow.seq)).all())


@run_async
async def test_a_cross_visit_names_the_one_fitting_round_and_the_server_takes_it(ctx):
    made = first_round(ctx)
    first_round(ctx, "以后的轮次", starts=date(2026, 7, 20), ends=date(2026, 7, 24))  # not running today
    ui = await UI(ctx, FakeDevices(HERE)).start("yuanlin")  # 园林处's staff: the round's team
    site = next(s for s in ui.app.sites if s.name == "滨江花园三期工地")  # 建管处's site
    await open_visit(ui.app, site.id)
    view = ui.app.stack[-1]
    assert isinstance(view, VisitView) and view.stage == WALK and view.draft.check_type == "self"
    assert view.draft.round_id is None and NAMED not in ui.text()

    await ui.select(view.check_type_dropdown, "cross")
    assert view.draft.round_id == made.id and NAMED in ui.text()  # one fits: named, no choice to make
    assert ui.app.ws.visits.draft().round_id == made.id  # kept with the draft

    points = view.checklist.points
    for p in points:
        await ui.click(ui.find(ft.Button, data=f"{p.code}:pass"))
    await ui.click(ui.find(ft.Button, data=f"{points[0].code}:fail"))
    ui.devices.pickers[f"visit:{points[0].code}"].queued = [jpeg(61)]
    await ui.click(ui.find(ft.FilledTonalButton, data=points[0].code))
    await ui.click(view.finish_button)
    assert view.stage == FINISH and f"交叉检查轮次：{NAMED}" in ui.text()

    before = len(events_of_kind(ctx, "reported"))
    await ui.click(view.submit_button)
    assert "检查已保存，生成 1 个问题" in ui.snacks()
    [visit] = [e for e in events_of_kind(ctx, VISITED) if e.item_id == view.draft.id]
    assert (visit.payload["check_type"], visit.payload["round"]) == ("cross", made.id)
    [report] = events_of_kind(ctx, "reported")[before:]
    assert (report.payload["visit"], report.payload["round"]) == (visit.item_id, made.id)


@run_async
async def test_a_cross_visit_with_no_round_fitting_names_none(ctx):
    first_round(ctx, inspecting="real_estate")  # another team's round: 园林处's people are not of it
    ui = await UI(ctx, FakeDevices(HERE)).start("yuanlin")
    site = next(s for s in ui.app.sites if s.name == "滨江花园三期工地")
    await open_visit(ui.app, site.id, "cross")
    view = ui.app.stack[-1]
    assert view.draft.check_type == "cross" and view.draft.round_id is None
    assert "今天没有可归入的交叉检查轮次，按自由互查记录" in ui.text()
    points = view.checklist.points
    for p in points:
        await ui.click(ui.find(ft.Button, data=f"{p.code}:pass"))
    await ui.click(view.finish_button)
    await ui.click(view.submit_button)
    [visit] = [e for e in events_of_kind(ctx, VISITED) if e.item_id == view.draft.id]
    assert visit.payload["check_type"] == "cross" and "round" not in visit.payload


@run_async
async def test_a_cross_report_names_the_round_that_fits_and_none_when_none_does(ctx):
    made = first_round(ctx)
    ui = await UI(ctx, FakeDevices(HERE)).start("yuanlin")
    await ui.goto("report")  # an office's people start on 待办
    view = await report_view(ui)
    await add_photos(ui, view, jpeg(62))
    await ui.click(view.tiles["site_sewage"])  # 建管处's
    assert view.office == "construction" and view.round_id is None  # a self check names no round
    await ui.select(view.check_type_dropdown, "cross")
    assert view.round_id == made.id and NAMED in ui.text()
    assert view.payload()["round"] == made.id
    await ui.click(view.save_button)
    [saved] = [e for e in events_of_kind(ctx, "reported") if e.payload.get("round") == made.id]
    assert saved.payload["check_type"] == "cross" and saved.payload["office"] == "construction"

    # The next one is of 房管处's work: the round inspects 建管处, so it names none and is still taken.
    await add_photos(ui, view, jpeg(63))
    await ui.click(view.tiles["site_sewage"])
    await ui.select(view.check_type_dropdown, "cross")
    await ui.select(view.office_dropdown, "real_estate")
    assert view.round_id is None and "round" not in view.payload()
    assert "今天没有可归入的交叉检查轮次，按自由互查记录" in ui.text() and NAMED not in ui.text()
    before = len(events_of_kind(ctx, "reported"))
    await ui.click(view.save_button)
    [free] = events_of_kind(ctx, "reported")[before:]
    assert (free.payload["check_type"], free.payload["office"]) == ("cross", "real_estate")
    assert "round" not in free.payload


@run_async
async def test_several_fitting_rounds_are_a_dropdown_for_the_bureaus_people(ctx):
    made = first_round(ctx)
    other = first_round(ctx, "房管处交叉检查", inspecting="real_estate")
    ui = await UI(ctx, FakeDevices(HERE)).start("xuncha")  # an inspector walks with any team
    view = await report_view(ui)
    await add_photos(ui, view, jpeg(64))
    await ui.click(view.tiles["site_sewage"])
    await ui.select(view.check_type_dropdown, "cross")
    offered = {o.key for o in view.round_dropdown.options}
    assert offered == {made.id, other.id} and view.round_id in offered
    await ui.select(view.round_dropdown, other.id)
    assert view.payload()["round"] == other.id
    await ui.click(view.save_button)
    assert [e for e in events_of_kind(ctx, "reported") if e.payload.get("round") == other.id]
