"""The desk's links between a visit and its items (issue 11): the review pane's "来自检查" fact opens the
visit's summary, whose other items open in Review; the scoreboard's visit lists show each visit's items,
each opening in Review."""

import flet as ft

from inspector.services import events, visit_links
from tests.factories import checklist_row, registered_site, reported, stored_photo, visit_event
from tests.ui.conftest import run_async
from tests.ui.desk_helpers import DeskUI, desk_walk
from tests.ui.oversight_helpers import actor_of

RESULTS = {"hoarding": "pass", "wheel_wash": "fail", "garbage": "fail", "canteen": "pass"}
CATEGORIES = {"wheel_wash": "vehicle_washing", "garbage": "site_garbage"}


def failed_visit(ctx, name: str = "城北工地"):
    """A supervisor's visit of a new construction site with two failed points, each reported: the visit's id
    and its items' ids by check point."""
    boss = actor_of(ctx, "dudao")
    site = registered_site(ctx, name)
    visit = visit_event(site, checklist_row(ctx), RESULTS)
    reports = {code: reported(photo=stored_photo(ctx, boss, 70 + n), category=category, office="construction",
                              site=site, check_type="supervisor", visit=visit.item_id, check_point=code)
               for n, (code, category) in enumerate(CATEGORIES.items())}
    outcomes = events.push(ctx, boss, [visit, *reports.values()])
    assert [o.status for o in outcomes] == ["accepted"] * 3, [o.error for o in outcomes]
    return visit.item_id, {code: r.item_id for code, r in reports.items()}


def in_dialog(dialog, data):
    """The links in ``dialog`` whose data is ``data`` (an item's id)."""
    return [c for c in desk_walk(dialog) if isinstance(c, ft.Container) and c.data == data and c.on_click]


@run_async
async def test_the_visit_fact_opens_the_visit_and_its_other_item_in_review(ctx):
    visit_id, items = failed_visit(ctx)
    ui = await DeskUI(ctx).start("dudao")
    await ui.shell.open_item(items["wheel_wash"])
    pane = ui.review.pane
    assert pane.item_id == items["wheel_wash"]
    [fact] = ui.all(ft.Container, lambda c: c.data == (visit_id, items["wheel_wash"]))
    assert any("来自检查 城北工地" in w for w in ui.texts(fact))
    await ui.click(fact)
    summary = pane.visit_summary
    assert ui.shell.dialog is summary.dialog and summary.shown.visit.id == visit_id
    assert summary.linked == (items["garbage"],)  # the item on the screen is not offered again
    shown = "\n".join(ui.texts(summary.dialog))
    assert all(w in shown for w in ("检查：城北工地", "上级督查", "2/4", "不合格", "带*项不合格 1 项", "此次检查的其他问题（1）",
                                    "工地垃圾"))
    [other] = in_dialog(summary.dialog, items["garbage"])
    await ui.click(other)
    assert ui.shell.dialog is None and ui.shell.section == "review" and pane.item_id == items["garbage"]

    ui.app.lang = "en"
    await ui.shell.open_item(items["wheel_wash"])
    await ui.click(ui.all(ft.Container, lambda c: c.data == (visit_id, items["wheel_wash"]))[0])
    shown = "\n".join(ui.texts(pane.visit_summary.dialog))
    assert "Visit: 城北工地" in shown and "The visit's other items (1)" in shown and "Checked by" in shown


@run_async
async def test_a_plain_item_has_no_visit_link_and_a_hidden_visit_is_not_found(ctx):
    visit_id, items = failed_visit(ctx, "城南工地")
    summary = visit_links.summary(ctx, actor_of(ctx, "dudao"), visit_id)
    assert [i.id for i in summary.items] == [items["wheel_wash"], items["garbage"]]
    assert visit_links.summaries(ctx, actor_of(ctx, "yuanlin"), [visit_id]) == {}  # another office's visit
    ui = await DeskUI(ctx).start("dudao")
    plain = next(i for i in ui.review.rows if i.visit_id is None)
    await ui.shell.open_item(plain.id)
    assert not ui.all(ft.Container, lambda c: isinstance(c.data, tuple) and len(c.data) == 2 and c.data[1] == plain.id)


@run_async
async def test_the_scoreboard_lists_each_visits_items_and_opens_them_in_review(ctx):
    visit_id, items = failed_visit(ctx)
    ui = await DeskUI(ctx).start("dudao")
    await ui.rail("scores")
    view = ui.shell.views["scores"]
    [failed] = ui.all(ft.Container, lambda c: isinstance(c.data, tuple) and len(c.data) == 4
                      and "建管处 · 不合格检查" in c.data[0])
    await ui.click(failed)
    columns = view.visits
    assert visit_id in columns.listed
    assert [i.id for i in columns.items[visit_id]] == [items["wheel_wash"], items["garbage"]]
    shown = "\n".join(ui.texts(columns.dialog))
    assert "问题：" in shown and "车辆冲洗未落实" in shown and "工地垃圾乱丢弃" in shown
    [link] = in_dialog(columns.dialog, items["garbage"])
    await ui.click(link)
    assert ui.shell.dialog is None and ui.shell.section == "review" and ui.review.pane.item_id == items["garbage"]
