"""The desk's Admin (设置), Reports and Map screens in the UI harness."""

from datetime import date

import flet as ft

from inspector.services import campaigns, items, oversight
from inspector.store.queries import ItemFilter
from inspector.ui.desk.clusters import MapItem, cluster
from tests.ui.conftest import run_async
from tests.ui.date_helpers import pick_day
from tests.ui.desk_helpers import DeskUI, actor, desk_of


def chip(ui, label: str) -> ft.Chip:
    return next(c for c in ui.all(ft.Chip) if getattr(c.label, "value", None) == label)


async def pick(ui, control: ft.Chip) -> None:
    control.selected = True
    await ui.fire(control, "select")


@run_async
async def test_admin_delegates_a_scope_to_a_spot_checker(ctx):
    ui = await DeskUI(ctx).start("admin")
    await ui.rail("admin")
    view = ui.shell.views["admin"]
    panel = view.delegations_panel
    renda = actor(ctx, "renda")
    assert view.values["checker"] == renda.id and len(panel.delegations) == 1
    await pick(ui, chip(ui, "园林管理处"))
    await pick(ui, chip(ui, "住建局办公区"))
    await pick_day(ui, ui.find(ft.TextField, data="del_starts"), date(2026, 7, 1))
    await pick_day(ui, ui.find(ft.TextField, data="del_ends"), date(2026, 8, 31))
    await ui.click(panel.delegate_button)
    assert "已委托 周代表（人大）" in ui.texts()
    scopes = actor(ctx, "renda").scopes
    assert any(s.offices == frozenset({"landscaping"}) and len(s.sites) == 1 for s in scopes)
    assert len(panel.delegations) == 2
    await ui.click(ui.find(ft.TextButton, "撤回", data=panel.delegations[-1].id))
    assert len(oversight.list_delegations(ctx, actor(ctx, "admin"))) == 1


@run_async
async def test_a_delegation_needs_an_office_or_a_site(ctx):
    ui = await DeskUI(ctx).start("admin")
    await ui.rail("admin")
    view = ui.shell.views["admin"]
    await ui.click(view.delegations_panel.delegate_button)
    words, error = view.messages["delegations"]
    assert error and ("至少" in words or "office or site" in words), words


@run_async
async def test_admin_draws_a_sample_sees_its_seed_and_items_and_can_redo_the_draw(ctx):
    desk = desk_of(ctx, "dudao")  # the demo's sample holds renda's one candidate: verify more to draw from
    for item in items.list_items(ctx, desk.actor, ItemFilter(status="fix_submitted", office="construction"),
                                 1, 50).items:
        desk.verify(item)
    ui = await DeskUI(ctx).start("admin")
    await ui.rail("admin")
    view = ui.shell.views["admin"].samples_panel
    await ui.type(ui.find(ft.TextField, label="数量"), "2")
    await ui.type(ui.find(ft.TextField, label="随机种子（可不填）"), "20260715")
    await ui.click(view.draw_button)
    drawn = view.drawn
    assert drawn.sample.seed == "20260715" and len(drawn.items) == len(drawn.sample.item_ids) >= 1
    text = "\n".join(ui.texts())
    assert "20260715" in text and drawn.items[0].number in text
    again = oversight.draw(ctx, actor(ctx, "admin"), actor(ctx, "renda").id, 2, 20260715)
    assert not set(again.item_ids) & set(drawn.sample.item_ids)  # an item of an open sample is not drawn again
    await ui.click(ui.find(ft.TextButton, "重算核对", data=drawn.sample.id))
    assert view.checks[drawn.sample.id] is True and "结果与记录一致" in "\n".join(ui.texts())
    row = ui.find(ft.Container, data=drawn.items[0].id)
    await ui.click(row)  # a drawn item opens in Review
    assert ui.shell.section == "review" and ui.review.pane.item.id == drawn.items[0].id


@run_async
async def test_admin_edits_the_campaign_and_a_supervisor_only_reads_it(ctx):
    ui = await DeskUI(ctx).start("admin")
    await ui.rail("admin")
    view = ui.shell.views["admin"]
    await ui.type(ui.find(ft.TextField, label="活动名称"), "2026 夏季集中大整治")
    await ui.type(ui.find(ft.TextField, label="建管处"), "李局长")  # the short office name fits the field
    await ui.type(ui.find(ft.TextField, label="工地污水乱排放"), "10")
    await ui.click(view.campaign_panel.save_button)
    c = campaigns.active(ctx)
    assert c.name == "2026 夏季集中大整治" and c.top_leaders["construction"] == "李局长"
    assert c.look_back_days == {"site_sewage": 10}  # only where it differs from the catalogue
    assert ui.shell.subtitle.value.startswith("2026 夏季集中大整治")
    await pick_day(ui, ui.find(ft.TextField, data="phase.publicity.ends"), date(2026, 6, 1))  # ends before it starts
    await ui.click(view.campaign_panel.save_button)
    words, error = view.messages["campaign"]
    assert error and ui.last_snack() == words

    sup = await DeskUI(ctx).start("dudao")
    await sup.rail("admin")
    sview = sup.shell.views["admin"]
    assert sview.campaign_panel.save_button.disabled and sview.delegations_panel.delegate_button.disabled
    assert sview.samples_panel.draw_button.disabled
    assert "只有管理员可以修改这里的内容" in sup.texts()
    assert sview.delegations_panel.delegations is None  # supervisors may not list them; the screen says so


@run_async
async def test_a_supervisor_adds_a_cross_inspection_round(ctx):
    ui = await DeskUI(ctx).start("dudao")
    await ui.rail("admin")
    view = ui.shell.views["admin"]
    await ui.type(ui.find(ft.TextField, label="轮次名称"), "七月第三周交叉检查")
    await ui.select(ui.find(ft.Dropdown, label="检查单位"), "landscaping")
    await ui.select(ui.find(ft.Dropdown, label="被检查单位"), "construction")
    await pick_day(ui, ui.find(ft.TextField, data="round_starts"), date(2026, 7, 20))
    await pick_day(ui, ui.find(ft.TextField, data="round_ends"), date(2026, 7, 25))
    await ui.click(view.rounds_panel.round_button)
    rounds = campaigns.list_rounds(ctx, actor(ctx, "dudao"))
    assert [r.name for r in rounds] == ["七月第三周交叉检查"]
    assert "园林处 检查 建管处" in ui.texts()


@run_async
async def test_reports_download_the_summary_and_show_who_reported_today(ctx):
    ui = await DeskUI(ctx).start("dudao")
    await ui.rail("reports")
    view = ui.shell.views["reports"]
    await ui.click(ui.find(ft.OutlinedButton, "整个活动"))
    phases = campaigns.active(ctx).phases
    first, last = min(p.starts for p in phases), max(p.ends for p in phases)
    assert view.values["from"] == first.isoformat() and view.values["to"] == last.isoformat()
    await ui.select(view.office_choice, "construction")
    await ui.click(view.download_buttons["csv"])
    name, data = ui.saver.saved[-1]
    assert name == f"summary-construction-{first:%Y%m%d}-{last:%Y%m%d}.csv" and data.startswith(b"\xef\xbb\xbf")
    assert f"已生成 {name}" in ui.last_snack() and not view.download_buttons["csv"].disabled
    await ui.click(view.download_buttons["pdf"])
    assert ui.saver.saved[-1][1].startswith(b"%PDF")
    text = "\n".join(ui.texts())
    assert "2026-07-15 报送情况：0 个单位已报送，4 个未报送" in text and text.count("未报送") >= 4


@run_async
async def test_the_map_shows_every_item_clustered_and_a_marker_opens_it(ctx):
    ui = await DeskUI(ctx).start("dudao")
    await ui.rail("map")
    view = ui.shell.views["map"]
    assert view.total == 38 and len(view.points) == 38  # the demo's 36, and its 2 returned items
    assert sum(c.size for c in view.clusters) == 38
    assert len(view.markers.markers) == len(view.clusters)
    layers = view.map.layers
    assert layers[0].url_template == ctx.settings.tile_url and layers[-1] is view.markers
    view.zoom = 19  # close in: one marker per item
    view.place_markers()
    single = next(c for c in view.clusters if c.size == 1)
    marker = next(m for m in view.markers.markers if m.content.data == single.ids)
    ui.shell.views["map"].refresh_markers()
    await ui.click(marker.content)
    assert ui.shell.section == "review" and ui.review.pane.item.id == single.ids[0]


@run_async
async def test_the_map_draws_gcj02_when_the_tiles_want_it(ctx):
    from inspector.geo.gcj02 import wgs84_to_gcj02

    ctx.settings.tile_gcj02 = True
    ui = await DeskUI(ctx).start("dudao")
    await ui.rail("map")
    view = ui.shell.views["map"]
    stored = desk_of(ctx, "dudao").map_points().points
    by_id = {p.id: p for p in view.points}
    for p in stored[:5]:
        assert (by_id[p.id].lat, by_id[p.id].lon) == wgs84_to_gcj02(p.lat, p.lon)
        assert by_id[p.id].lat != p.lat


def test_clusters_thin_dense_points_and_keep_every_item():
    points = [MapItem(f"i{n}", 30.27 + (n % 50) * 1e-4, 120.15 + (n // 50) * 1e-4, "assigned", n % 7 == 0)
              for n in range(2000)]
    close = cluster(points, 19)
    far = cluster(points, 12)
    assert sum(c.size for c in close) == sum(c.size for c in far) == 2000
    assert len(far) < 10 <= len(close) <= 300
    assert all(c.overdue == sum(1 for i in c.items if i.overdue) for c in far)
    one = cluster([MapItem("a", 30.0, 120.0, "reported", True)], 15)[0]
    assert one.status == "overdue" and one.size == 1
    mixed = cluster([MapItem("a", 30.0, 120.0, "verified"), MapItem("b", 30.0, 120.0, "verified"),
                     MapItem("c", 30.0, 120.0, "reported", True)], 15)[0]
    assert mixed.main_status == "verified" and mixed.overdue == 1
