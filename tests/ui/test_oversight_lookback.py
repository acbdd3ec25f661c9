"""Inspector's look-backs (回头看): due ones nearest first with distance and relative due words; the
look-back form: the fix holds (closed), or it rebounded (leader and deadline from rebound_payload, the
deadline only shorter, the second rebound escalated to the office's top leader with a warning)."""

from datetime import datetime, time, timedelta

import flet as ft

from inspector.services import campaigns, events
from inspector.services.workspace import ServerWorkspace
from inspector.store.queries import ItemFilter
from inspector.ui.device import Fix
from inspector.ui.views.checks import deadline_choices
from inspector.ui.views.lookback import LookBackSection
from tests.factories import new_id
from tests.ui.conftest import UI, FakeDevices, run_async
from tests.ui.oversight_helpers import actor_of, open_item
from tests.ui.photos import jpeg

HERE = Fix(30.2741, 120.1551, 8.0)


async def todo(ui):
    await ui.goto("todo")
    # 待办 also holds "开始检查" and the visits due (views.visit, views.todo_due): the look-backs' section
    return next(s for s in ui.app.views["todo"].sections if isinstance(s, LookBackSection))


@run_async
async def test_look_backs_due_nearest_first_with_distance_and_days(ctx, clock):
    clock.advance(days=20)  # all three verified demo items come due
    ui = await UI(ctx, FakeDevices(HERE)).start("xuncha")
    section = await todo(ui)
    now = ui.app.now()
    assert len(section.rows) >= 3
    assert all(i.status == "verified" and i.look_back_due <= now + timedelta(days=2) for i in section.items)
    distances = [d for _, d in section.rows]
    assert distances == sorted(distances)
    assert "由近及远 · 本机定位 ±8 m" in ui.text()
    first = section.cards[0]
    words = ui.texts(first.root)
    metres = distances[0]
    assert f"{round(metres / 10) * 10:.0f} m" in words or f"{metres / 1000:.1f} km" in words
    overdue = [c for c in section.cards if c.item.look_back_due < now - timedelta(days=1)]
    assert overdue and any(w.startswith("回头看：逾期") for w in ui.texts(overdue[0].root))


@run_async
async def test_without_gps_look_backs_come_most_overdue_first(ctx, clock):
    clock.advance(days=20)
    ui = await UI(ctx, FakeDevices(None)).start("xuncha")
    section = await todo(ui)
    dues = [i.look_back_due for i in section.items]
    assert dues and dues == sorted(dues)
    assert all(d is None for _, d in section.rows)
    assert "未能定位：按到期时间排序" in ui.text()


@run_async
async def test_look_back_holds_with_photo_and_note_closes_the_item(ctx, clock):
    clock.advance(days=20)
    ui = await UI(ctx, FakeDevices(HERE)).start("xuncha")
    section = await todo(ui)
    card = section.cards[0]
    await ui.click(card.root)
    view = ui.app.stack[-1]
    assert list(view.action_buttons) == ["look_back_passed"]
    assert view.action_buttons["look_back_passed"].content == "回头看"
    await ui.click(view.action_buttons["look_back_passed"])
    assert view.form == "look_back" and view.check_form.verdict == "holds"
    ui.devices.pickers["item"].queued = [jpeg(40)]
    await ui.click(ui.find(ft.FilledTonalButton))
    await ui.type(ui.find(ft.TextField, label="说明（可不填）"), "围挡完好，路面干净")
    await ui.click(ui.find(ft.FilledButton, "保存回头看"))
    assert ui.last_snack() == "回头看已保存：整改保持"
    assert view.item.status == "closed"
    entry = view.data.timeline[-1]
    assert entry.kind == "look_back_passed" and entry.payload["note"] == "围挡完好，路面干净"
    await ui.click(ui.page.appbar.leading)  # back: the list no longer has it
    shown = next(s for s in ui.app.views["todo"].sections if isinstance(s, LookBackSection))
    assert card.item.id not in [i.id for i in shown.items]


@run_async
async def test_rebound_fills_leader_and_allows_only_a_shorter_deadline(ctx, clock):
    clock.advance(days=20)
    ui = await UI(ctx, FakeDevices(HERE)).start("xuncha")
    section = await todo(ui)
    item = next(i for i in section.items if i.rebound_count == 0)
    view = await open_item(ui, item)
    await ui.click(view.action_buttons["look_back_passed"])
    form = view.check_form
    await ui.click(form.verdict_control.segments["rebounded"])
    assert "第 " not in ui.text()  # a first rebound: no escalation warning
    leader = ui.find(ft.TextField, label="责任领导")
    assert leader.value == item.leader
    default = form.default_days()
    assert [int(v) for v in form.days_control.segments] == deadline_choices(default)
    assert max(deadline_choices(default)) == default and f"{default} 天（默认）" in ui.text()
    await ui.click(ui.find(ft.FilledButton, "保存回头看"))
    assert ui.last_snack() == "请先拍回头看的照片"
    ui.devices.pickers["item"].queued = [jpeg(41)]
    await ui.click(ui.find(ft.FilledTonalButton))
    await ui.click(form.days_control.segments["1"])
    await ui.click(ui.find(ft.FilledButton, "保存回头看"))
    state = view.item
    assert state.status == "assigned" and state.rebound_count == 1 and state.leader == item.leader
    zone = ctx.settings.zone
    tomorrow = ui.app.now().astimezone(zone).date() + timedelta(days=1)
    assert state.deadline == datetime.combine(tomorrow, time(23, 59, 59), zone)
    assert view.data.timeline[-1].kind == "rebounded"


@run_async
async def test_rebound_form_keeps_the_deadline_no_longer_than_the_default():
    assert deadline_choices(15) == [1, 3, 7, 15]
    assert deadline_choices(3) == [1, 3]
    assert deadline_choices(1) == [1]
    assert deadline_choices(0) == [1]


def _verify_again(ctx, item_id: str) -> None:
    """The office fixes a rebounded demo item and the supervisor verifies it again."""
    staff, boss = actor_of(ctx, "jianzhu"), actor_of(ctx, "dudao")
    ws = ServerWorkspace(ctx, staff)
    photo = ws.add_photo(jpeg(42)).sha256
    version = ws.item(item_id).item.version
    for actor, kind, payload in ((staff, "acknowledged", {}), (staff, "fix_submitted", {"photos": [photo]}),
                                 (boss, "verified", {"look_back_days": 1})):
        ev = events.EventIn(id=new_id(), item_id=item_id, kind=kind, at=ctx.now(), base_version=version,
                            payload=payload)
        events.record_one(ctx, actor, ev, device_id="test")
        version += 1


@run_async
async def test_second_rebound_goes_to_the_top_leader_with_a_warning(ctx, clock):
    campaigns.update_campaign(ctx, actor_of(ctx, "admin"), {"top_leaders": {"construction": "黄局长"}})
    boss = ServerWorkspace(ctx, actor_of(ctx, "dudao"))
    rebounded = next(i for i in boss.list_items(ItemFilter(rebound=True), 1, 100).items
                     if i.office == "construction")
    _verify_again(ctx, rebounded.id)
    clock.advance(days=1, hours=1)  # its look-back is due
    ui = await UI(ctx, FakeDevices(HERE)).start("xuncha")
    section = await todo(ui)
    assert rebounded.id in [i.id for i in section.items]
    view = await open_item(ui, next(i for i in section.items if i.id == rebounded.id))
    await ui.click(view.action_buttons["look_back_passed"])
    await ui.click(view.check_form.verdict_control.segments["rebounded"])
    assert "第 2 次反弹：升级由单位主要领导 黄局长 督办" in ui.text()
    assert ui.find(ft.TextField, label="责任领导").value == "黄局长"
    ui.devices.pickers["item"].queued = [jpeg(43)]
    await ui.click(ui.find(ft.FilledTonalButton))
    await ui.click(ui.find(ft.FilledButton, "保存回头看"))
    assert view.item.rebound_count == 2 and view.item.leader == "黄局长" and view.item.escalated
