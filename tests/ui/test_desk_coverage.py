"""The desk's 巡检覆盖: counts, the sites due and overdue, filters, "14 天内未检查" in one click, the map's
colours; the campaign card's frequency grid. On the demo data: some sites visited, the rest overdue."""

import flet as ft

from inspector.services import campaigns
from tests.ui.conftest import run_async
from tests.ui.desk_helpers import DeskUI


def rows(view):
    return [(view.board.sites[e.site_id].name, e.check_type) for e in view.rows]


def site_of(view, name: str) -> str:
    return next(s for s, site in view.board.sites.items() if site.name == name)


@run_async
async def test_coverage_counts_lists_and_maps_the_sites_due_and_overdue(ctx):
    ui = await DeskUI(ctx).start("dudao")
    await ui.rail("coverage")
    view = ui.shell.views["coverage"]
    board = view.board
    assert board.counts() == {"due_today": 3, "overdue": 6, "visited": 3}
    words = "\n".join(ui.texts())
    assert "巡检覆盖" in words and "14 天内检查过的场所（共 7 个）" in words and "应检和逾期的场所（5 个）" in words
    shown = rows(view)
    assert shown[0][0] in ("翠苑小区", "城东新城安置房工地", "人民公园") and ("解放路绿化带", "self") in shown
    assert ("滨江花园三期工地", "self") not in shown  # visited two days ago: covered
    assert "23 天" in words and "从未检查" in words and "建管处" in "\n".join(ui.texts(view.list_column))
    # the map: red overdue, amber due today, green covered
    by_name = {board.sites[s].name: state for s, state in view.states.items()}
    assert by_name["滨江花园三期工地"] == "covered" and by_name["解放路绿化带"] == "due" and by_name["人民公园"] == "overdue" and by_name["阳光小区"] == "covered"
    assert len(ui.all(ft.Container, lambda c: c.data in board.sites)) == 7  # one marker per site

    await ui.select(view.office_choice, "landscaping")
    assert {name for name, _ in rows(view)} == {"解放路绿化带", "人民公园"}
    assert set(view.states) == {s for s, site in board.sites.items() if site.office_code == "landscaping"}
    await ui.select(view.check_choice, "supervisor")
    assert rows(view) == [("人民公园", "supervisor")]

    await ui.select(view.office_choice, "_all")
    await ui.select(view.check_choice, "_all")
    await ui.click(view.unseen_chip)  # "which sites has nobody looked at this fortnight?": one click
    assert view.unseen_only and {name for name, _ in rows(view)} == {"城东新城安置房工地", "人民公园", "翠苑小区",
                                                                     "住建局办公区"}
    assert "14 天内无人检查的场所（4 个）" in ui.texts()
    assert {board.sites[s].name for s in view.states} == {"城东新城安置房工地", "人民公园", "翠苑小区", "住建局办公区"}


@run_async
async def test_the_covered_chip_lists_the_covered_checks_with_their_last_visit(ctx):
    ui = await DeskUI(ctx).start("dudao")
    await ui.rail("coverage")
    view = ui.shell.views["coverage"]
    assert ("滨江花园三期工地", "supervisor") not in rows(view)
    await ui.click(view.covered_chip)
    assert view.with_covered and len(rows(view)) == len(view.board.entries)
    due = [(view.board.sites[e.site_id].name, e.check_type) for e in view.board.due()]
    assert rows(view)[:len(due)] == due  # the due and overdue first, then the covered
    [row] = [r for r in ui.all(ft.Semantics) if r.identifier == f"coverage-{site_of(view, '滨江花园三期工地')}-supervisor"]
    words = ui.texts(row)
    assert "已覆盖" in words and "2026年7月12日" in words and "应检、逾期和已覆盖的场所（7 个）" in ui.texts()
    await ui.click(view.unseen_chip)  # the two chips take turns
    assert view.unseen_only and not view.with_covered


@run_async
async def test_coverage_reads_in_english(ctx):
    ui = await DeskUI(ctx).start("admin")
    await ui.rail("coverage")
    await ui.click(ui.shell.lang_button)
    words = "\n".join(ui.texts())
    assert "Coverage" in words and "Sites due and overdue (5)" in words and "23 d" in words
    assert "sites visited in 14 days (of 7)" in words and "Never" in words
    assert "Construction site" in words and "建筑工地" not in words  # the site types' names too


@run_async
async def test_the_campaign_card_edits_the_visit_frequencies(ctx):
    ui = await DeskUI(ctx).start("admin")
    await ui.rail("admin")
    admin = ui.shell.views["admin"]
    panel = admin.campaign_panel
    assert panel.values["every.construction_site.self"] == "7" and panel.values["every.community.supervisor"] == "30"
    assert panel.changes()["visit_every"] == {}  # the grid as shipped: stored empty, following the defaults
    panel.values["every.construction_site.self"] = "3"
    panel.values["every.office_area.supervisor"] = ""
    await panel.save()
    saved = campaigns.active(ctx).visit_every
    assert saved["construction_site"] == {"self": 3, "supervisor": 14} and saved["office_area"] == {"self": 14}
    panel.values["every.construction_site.self"] = "zero"
    await panel.save()
    assert campaigns.active(ctx).visit_every == saved  # refused with words, nothing changed
    panel.values["every.construction_site.self"] = "0"
    await panel.save()
    assert campaigns.active(ctx).visit_every == saved
    assert any("visit_every" in w or "天数" in w or "1 to" in w or "whole number" in w for w in ui.texts() + ui.snacks())
