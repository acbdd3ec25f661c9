"""The phone's 待办 "待检查": the visits due for the person, nearest first with distance (by due day without
a fix), how late, the last visit; "检查" opens the visit of that site as that check. On the demo data."""

from inspector.ui.device import Fix
from inspector.ui.views.todo_due import DueSection
from inspector.ui.views.visit import VisitView
from tests.ui.conftest import UI, FakeDevices, run_async

HERE = Fix(30.2741, 120.1551, 8.0)


async def due_section(ui) -> DueSection:
    await ui.goto("todo")
    return next(s for s in ui.app.views["todo"].sections if isinstance(s, DueSection))


@run_async
async def test_an_inspector_sees_the_supervisor_checks_due_nearest_first_and_opens_one(ctx):
    ui = await UI(ctx, FakeDevices(HERE)).start("xuncha")
    section = await due_section(ui)
    names = [r.site.name for r in section.rows]
    assert sorted(names) == sorted(["人民公园", "城东新城安置房工地", "住建局办公区", "翠苑小区"])
    assert {r.due.check_type for r in section.rows} == {"supervisor"}
    distances = [r.distance_m for r in section.rows]
    assert distances == sorted(distances) and names[0] == "住建局办公区"  # 50 m from the centre
    words = ui.text()
    assert "待检查（4）" in words and "逾期 16 天" in words and "今天应检" in words and "尚未检查过" in words
    assert "上次检查：2026年6月25日" in words  # 城东新城安置房工地's supervisor visit, 20 days ago
    first = section.rows[0]
    await ui.click(section.buttons[0])
    opened = ui.app.stack[-1]
    assert isinstance(opened, VisitView)
    assert (opened.wanted_site, opened.wanted_type) == (first.due.site_id, "supervisor")


@run_async
async def test_office_staff_see_their_self_checks_by_due_day_without_a_fix_in_english(ctx):
    ui = await UI(ctx, FakeDevices(None)).start("yuanlin")
    section = await due_section(ui)
    assert [(r.site.name, r.due.check_type, r.days_overdue, r.distance_m) for r in section.rows] == \
        [("人民公园", "self", 23, None), ("解放路绿化带", "self", 0, None)]
    assert "未能定位：按应检日期排序" in ui.text()
    await ui.app.set_lang("en")
    section = await due_section(ui)
    words = ui.text()
    assert "Visits due (2)" in words and "23 d overdue" in words and "Due today" in words
    assert "No GPS fix: ordered by due date" in words and "Self-inspection" in words


@run_async
async def test_a_spot_checker_has_no_visits_due(ctx):
    ui = await UI(ctx, FakeDevices(HERE)).start("renda")
    await ui.goto("todo") if "todo" in [t.name for t in ui.app.tabs] else None
    view = ui.app.views.get("todo")
    assert view is None or not any(isinstance(s, DueSection) for s in view.sections)


@run_async
async def test_a_site_gone_overdue_is_a_notice_that_opens_its_visit(ctx):
    from inspector.ui.views.notices import NoticesView  # lazy: the notice list, for this test only

    ui = await UI(ctx, FakeDevices(HERE)).start("yuanlin")
    await ui.click(ui.app.header.bell)
    view = ui.app.stack[-1]
    assert isinstance(view, NoticesView)
    late = [n for n in view.notices if n.kind == "site_overdue"]
    assert [(n.site_name, n.check_type) for n in late] == [("人民公园", "self")]
    assert "场所 人民公园 自查已逾期 23 天" in ui.text()
    await ui.click(view.rows[view.notices.index(late[0])])
    opened = ui.app.stack[-1]
    assert isinstance(opened, VisitView) and (opened.wanted_site, opened.wanted_type) == (late[0].site_id, "self")
