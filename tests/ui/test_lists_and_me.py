"""Mine (paged), To do (per role), Me (language, sync, who I am), the sync bar."""

from datetime import timedelta

import flet as ft

from inspector.services.workspace import ServerWorkspace
from inspector.store.queries import ItemFilter
from tests.factories import person, reported
from inspector.ui.views.lists import ItemSection
from inspector.ui.views.lookback import LookBackSection
from tests.ui.conftest import UI, run_async
from tests.ui.photos import jpeg


@run_async
async def test_mine_pages_with_more_and_opens_an_item(ctx):
    # a colleague's open report: xuncha sees it (a duplicate candidate), but it is not among "mine"
    colleague = ServerWorkspace(ctx, person(ctx, "zhao_xuncha", "inspector"))
    theirs = colleague.record("reported", None, 0, reported(photo=colleague.add_photo(jpeg(401)).sha256).payload)
    ui = await UI(ctx).start("xuncha")  # the demo inspector reported all 38 demo items (36, and 2 returned)
    assert ui.app.ws.list_items(ItemFilter(ids=(theirs.id,))).total == 1
    await ui.goto("mine")
    section = ui.app.views["mine"].section
    assert len(section.items) == 20 and "我上报的问题" in ui.text()
    assert all(i.reported_by == ui.app.ws.actor.id for i in section.items)
    dates = [i.reported_at for i in section.items]
    assert dates == sorted(dates, reverse=True)
    await ui.click(ui.find(ft.OutlinedButton, "加载更多"))
    assert len(ui.app.views["mine"].section.items) == 38
    assert theirs.id not in {i.id for i in ui.app.views["mine"].section.items}
    assert not [b for b in ui.texts() if b == "加载更多"]
    overdue = next(c for c in ui.app.views["mine"].section.cards if c.item.overdue(ui.app.now()))
    assert any(t.startswith("逾期") for t in ui.texts(overdue.root))
    rebound = next(c for c in ui.app.views["mine"].section.cards if c.item.rebounded)
    assert rebound.root.border.top.color == "#C62828" and rebound.root.border.top.width == 2
    await ui.click(overdue.root)
    assert ui.app.stack and ui.app.stack[-1].item_id == overdue.item.id


@run_async
async def test_office_todo_lists_its_office_overdue_first(ctx):
    ui = await UI(ctx).start("jianzhu")
    await ui.goto("todo")
    # "开始检查" and the visits due stand above the item lists (``views.visit``, ``views.todo_due``)
    overdue, assigned, rectifying, supporting = [s for s in ui.app.views["todo"].sections
                                                 if isinstance(s, ItemSection)]
    now = ui.app.now()
    assert overdue.items and all(i.office == "construction" and i.overdue(now) for i in overdue.items)
    assert all(i.status == "assigned" and not i.overdue(now) for i in assigned.items)
    assert all(i.status == "rectifying" and not i.overdue(now) for i in rectifying.items)
    # the demo's reassigned item: landscaping leads, construction supports (配合)
    assert supporting.items and all("construction" in i.supporting_offices and i.office != "construction"
                                    for i in supporting.items)
    shown = ui.find(ft.ListView)  # the to-do list, top to bottom
    titles = [c.value for c in shown.controls if isinstance(c, ft.Text) and isinstance(c.value, str)]
    first = next(i for i, words in enumerate(titles) if words.startswith("已逾期（"))
    assert titles[first + 1].startswith("待签收（")


@run_async
async def test_inspector_todo_is_look_backs_due_nearest_first(ctx):
    ui = await UI(ctx).start("xuncha")
    await ui.goto("todo")
    [section] = [s for s in ui.app.views["todo"].sections if isinstance(s, LookBackSection)]
    assert section.items and all(i.status == "verified" for i in section.items)
    horizon = ui.app.now() + timedelta(days=2)
    assert all(i.look_back_due <= horizon for i in section.items)
    distances = [d for _, d in section.rows]
    assert distances == sorted(distances) and None not in distances
    assert any(t.startswith("回头看") for t in ui.texts())


@run_async
async def test_spot_checker_has_sample_report_offices_me_and_no_todo(ctx):
    ui = await UI(ctx).start("renda")
    assert [d.label for d in ui.page.navigation_bar.destinations] == ["抽查", "上报", "单位", "我"]
    assert "todo" not in ui.app.views and "mine" not in ui.app.views


@run_async
async def test_me_shows_who_and_language_switch_rerenders_everything(ctx):
    ui = await UI(ctx).start("jianzhu")
    await ui.goto("me")
    text = ui.text()
    assert "张工（建管处）" in text and "责任单位人员" in text and "建筑工程管理处" in text
    assert "网页版（直连服务器）" in text
    await ui.segment(ui.find(ft.SegmentedButton), "en")
    assert ui.app.lang == "en"
    text = ui.text()
    assert "Construction Engineering Management Office" in text and "Log out" in text
    assert [d.label for d in ui.page.navigation_bar.destinations] == ["Report", "Mine", "To do", "Me"]
    assert ui.page.appbar.actions[0].content.value == "Rectification"
    assert ui.page.appbar.title.value == "Me"
    await ui.goto("report")
    assert "Take / choose photos" in ui.text() and "Loose soil around new trees" in ui.text()
    await ui.goto("todo")
    assert any(t.startswith("Overdue (") for t in ui.texts())
    assert "Assigned" in ui.texts() and "assigned" not in ui.texts()  # a card's status chip starts with a capital
    assert not [t for t in ui.texts() if any("\u4e00" <= ch <= "\u9fff" for ch in t)
                and t not in ("中文",) and not t[:1].isdigit()
                and "（" not in t and "工地" not in t and "小区" not in t and "绿化" not in t and "办公" not in t
                and "公园" not in t], "untranslated words left"
    again = await UI(ctx, ui.devices).start()  # the choice is kept on the device
    assert again.app.lang == "en"


@run_async
async def test_sync_bar_and_sync_now_in_server_mode(ctx):
    ui = await UI(ctx).start("xuncha")
    assert ui.app.sync_bar.text.value == "在线"
    await ui.goto("me")
    await ui.click(ui.find(ft.OutlinedButton, "立即同步"))
    assert ui.last_snack() == "同步完成"
