"""Spot checker (renda, delegated the construction office) on the phone: the sample as blind cards, the
blind item, the finding (一致 / 不一致) and then the whole item; reports fixed to 抽查; the offices' record;
never a button that changes an item's status."""

import flet as ft

from inspector.domain.roles import Role
from inspector.services import demo, oversight
from inspector.services.workspace import ServerWorkspace
from inspector.store.queries import ItemFilter
from inspector.ui.device import Fix
from inspector.ui.views.item import allowed_actions
from tests.factories import person
from tests.ui.conftest import UI, FakeDevices, run_async
from tests.ui.oversight_helpers import actor_of, open_item, renda_sample
from tests.ui.photos import jpeg

HERE = Fix(30.2741, 120.1551, 8.0)
STATUS_WORDS = ("已核查", "已办结", "整改中", "已派遣", "待核查", "已上报")


@run_async
async def test_sample_shows_blind_cards_of_the_delegated_office_only(ctx):
    sample = renda_sample(ctx)  # the demo draws renda a sample: he has work on first login
    ui = await UI(ctx, FakeDevices(HERE)).start("renda")
    assert ui.app.tab == 0 and ui.page.appbar.title.value == "我的抽查样本"
    view = ui.app.views["spot"]
    [shown] = view.samples
    assert [e.item_id for e in shown.entries] == sample.item_ids and len(view.cards) == len(sample.item_ids) > 0
    for card in view.cards:
        item = card.entry.item
        assert item.office == "construction" and item.fix_photos == () and item.leader is None
        words = ui.texts(card.root)
        assert "待复核" in words and "建筑工程管理处" in words
        assert any("°N" in w for w in words)  # the position
        assert not [w for w in words if w in STATUS_WORDS]  # no status, no verdict
    assert f"已复核 0/{len(sample.item_ids)}" in ui.text()


@run_async
async def test_blind_item_then_disagreeing_finding_then_the_whole_item(ctx):
    renda_sample(ctx)
    ui = await UI(ctx, FakeDevices(HERE)).start("renda")
    card = ui.app.views["spot"].cards[0]
    await ui.click(card.root)
    view = ui.app.stack[-1]
    assert view.data.blind and view.item.fix_photos == ()
    text = ui.text()
    assert "盲查" in text and "提交复核结论后显示" in text
    assert not [w for w in ui.texts() if w in STATUS_WORDS]
    assert list(view.action_buttons) == ["spot_checked"]  # a finding, never a status change

    await ui.click(view.action_buttons["spot_checked"])
    form = view.check_form
    assert form.verdict is None  # nothing chosen for them
    await ui.click(ui.find(ft.FilledButton, "保存复核结论"))
    assert ui.last_snack() == "请先拍现场照片"
    ui.devices.pickers["item"].queued = [jpeg(60)]
    await ui.click(ui.find(ft.FilledTonalButton))
    await ui.click(ui.find(ft.FilledButton, "保存复核结论"))
    assert ui.last_snack() == "请选择复核结论：一致或不一致"
    await ui.click(form.verdict_control.segments["disagree"])
    await ui.type(ui.find(ft.TextField, label="不一致的理由（写明现场情况）"), "现场仍有污水外溢")
    await ui.click(ui.find(ft.FilledButton, "保存复核结论"))
    assert ui.last_snack() == "复核结论已保存"

    assert not view.data.blind and view.form is None
    assert view.item.fix_photos  # the office's after-photos, now shown
    text = ui.text()
    assert "您的复核结论：不一致" in text and "现场仍有污水外溢" in text
    assert view.action_buttons == {}
    boss = ServerWorkspace(ctx, actor_of(ctx, "dudao"))
    assert boss.item(view.item_id).item.disputed
    assert any(n.kind == "spot_disagreement" and n.item_id == view.item_id for n in boss.notices())

    await ui.click(ui.page.appbar.leading)  # back to the sample: checked
    again = next(c for c in ui.app.views["spot"].cards if c.entry.item_id == view.item_id)
    assert again.entry.checked and "已复核" in ui.texts(again.root)


@run_async
async def test_agreeing_finding_is_recorded_and_not_disputed(ctx):
    renda_sample(ctx)
    ui = await UI(ctx, FakeDevices(HERE)).start("renda")
    item_id = ui.app.views["spot"].cards[0].entry.item_id
    view = await open_item(ui, item_id)
    await ui.click(view.action_buttons["spot_checked"])
    ui.devices.pickers["item"].queued = [jpeg(61)]
    await ui.click(ui.find(ft.FilledTonalButton))
    await ui.click(view.check_form.verdict_control.segments["agree"])
    await ui.click(ui.find(ft.FilledButton, "保存复核结论"))
    assert "您的复核结论：一致" in ui.text()
    assert view.item.spot_agree == 1 and not view.item.disputed
    finding = view.data.timeline[-1]
    assert finding.kind == "spot_checked" and finding.payload["verdict"] == "agree"
    assert finding.payload["location"]["source"] == "gps"


@run_async
async def test_spot_checker_never_gets_a_status_button(ctx):
    renda_sample(ctx)
    ui = await UI(ctx, FakeDevices(HERE)).start("renda")
    actor = ui.app.ws.actor
    everything = ui.app.ws.list_items(ItemFilter(), 1, 200).items
    assert everything and {i.office for i in everything} == {"construction"}
    statuses = {i.status: i for i in everything}
    assert set(statuses) >= {"reported", "assigned", "rectifying", "fix_submitted", "verified"}
    assert all(allowed_actions(actor, i) == [] for i in everything)
    for item in statuses.values():
        view = await open_item(ui, item)
        assert set(view.action_buttons) <= {"spot_checked"}
        await ui.click(ui.page.appbar.leading)


@run_async
async def test_spot_checker_reports_new_problems_as_spot_checks(ctx):
    ui = await UI(ctx, FakeDevices(HERE)).start("renda")
    await ui.goto("report")
    view = ui.app.views["report"]
    if view._locate_task is not None:
        await view._locate_task
    assert view.check_types == ["spot"] and view.check_type == "spot"
    assert "检查方式" not in ui.text()  # one choice: no dropdown
    ui.devices.pickers["report"].queued = [jpeg(62)]
    await ui.click(view.photo_button)
    await ui.click(view.tiles["site_sewage"])
    await ui.click(view.save_button)
    mine = ServerWorkspace(ctx, actor_of(ctx, "renda")).list_items(ItemFilter(reported_by=ui.app.ws.actor.id))
    assert [i.check_type for i in mine.items] == ["spot"], ui.snacks()


@run_async
async def test_offices_tab_shows_the_delegated_office_record(ctx):
    ui = await UI(ctx).start("renda")
    await ui.goto("offices")
    view = ui.app.views["offices"]
    [record] = view.records
    assert record.office == "construction" and record.overdue > 0
    text = ui.text()
    assert "建筑工程管理处" in text and "逾期" in text and "退回重改" in text and "抽查异议" in text
    assert "需要重点督查" in text
    assert ui.page.appbar.title.value == "受托督查的单位"


@run_async
async def test_no_sample_yet_says_so(ctx):
    checker = person(ctx, "zhengxie", Role.SPOT_CHECKER, password=demo.PASSWORD)  # delegated, nothing drawn
    oversight.delegate(ctx, actor_of(ctx, "admin"), checker.id, offices=["landscaping"])
    ui = await UI(ctx).start("zhengxie")
    assert ui.app.tab == 0 and "还没有为您抽取样本" in ui.text()
