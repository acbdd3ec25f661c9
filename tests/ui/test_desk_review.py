"""The desk's Review screen in the UI harness: layout choice, queues, filters, sorting, paging, keys, language."""

from datetime import date

import flet as ft

from inspector.services.desk import Filters
from inspector.ui.desk import LAYOUT_KEY, TOGGLE
from inspector.ui.device import LANG_KEY
from tests.ui.conftest import FakePrefs, run_async
from tests.ui.date_helpers import pick_day
from tests.ui.desk_helpers import DeskUI, desk_of


def words(ui) -> str:
    return "\n".join(ui.texts())


def numbers(review) -> list[str]:
    return [i.number for i in review.rows]


@run_async
async def test_supervisor_on_a_wide_window_gets_the_desk_and_can_switch_to_the_phone_and_back(ctx):
    ui = await DeskUI(ctx).start("dudao")
    assert ui.shell is not None and ui.page.navigation_bar is None
    rail = [d.label for d in ui.shell.rail.destinations]
    assert rail == ["审核", "地图", "退回", "督办", "巡检覆盖", "月考", "报告", "技术评估", "场所", "设置"]
    await ui.click(ui.shell.phone_button)
    assert ui.app.desk is None and ui.page.navigation_bar is ui.app.nav  # the phone's four tabs
    assert await ui.app.prefs.get(LAYOUT_KEY) == "phone"
    toggle = ui.find(ft.TextButton, data=TOGGLE)
    assert toggle.content == "桌面版"
    await ui.click(toggle)
    assert ui.app.desk is not None and ui.page.navigation_bar is None
    assert await ui.app.prefs.get(LAYOUT_KEY) == "desk"


@run_async
async def test_narrow_window_and_office_staff_get_the_phone(ctx):
    narrow = await DeskUI(ctx, width=800).start("dudao")
    assert narrow.app.desk is None and narrow.page.navigation_bar is narrow.app.nav
    assert narrow.find(ft.TextButton, data=TOGGLE)  # may still switch to the desk
    staff = await DeskUI(ctx).start("jianzhu")
    assert staff.app.desk is None
    assert not staff.all(ft.TextButton, lambda c: c.data == TOGGLE)
    chosen = DeskUI(ctx, width=800)
    chosen.app.prefs = FakePrefs({LAYOUT_KEY: "desk"})
    await chosen.start("admin")
    assert chosen.app.desk is not None  # a choice made earlier on this device wins over the width


@run_async
async def test_queues_show_their_counts_and_the_overdue_tab_lists_only_overdue_items(ctx):
    ui = await DeskUI(ctx).start("dudao")
    review = ui.review
    counts = desk_of(ctx, "dudao").counts()
    assert review.counts == counts and counts["overdue"] > 0
    assert review.queue == "dispatch" and all(i.status == "reported" for i in review.rows)
    await ui.click(review.tab_controls["overdue"])
    now = ctx.now()
    assert review.queue == "overdue" and len(review.rows) == counts["overdue"]
    assert all(i.overdue(now) for i in review.rows)
    assert "逾期" in words(ui) and any(w.startswith("逾期 ") and w.endswith(" 天") for w in ui.texts())
    # the most overdue first
    deadlines = [i.deadline for i in review.rows]
    assert deadlines == sorted(deadlines)


@run_async
async def test_first_row_is_selected_and_keys_move_through_the_queue_unless_typing(ctx):
    ui = await DeskUI(ctx).start("dudao")
    review = ui.review
    await ui.click(review.tab_controls["all"])
    ids = [i.id for i in review.rows]
    assert review.selected_id == ids[0] and review.pane.data.item.id == ids[0]
    await ui.key("Arrow Down")
    await ui.key("Arrow Down")
    assert review.selected_id == ids[2] and review.pane.item.id == ids[2]
    await ui.key("Arrow Up")
    assert review.selected_id == ids[1]
    await ui.fire(review.search, "focus")  # typing in the search box: letters and arrows are text
    await ui.key("Arrow Down")
    await ui.key("R")
    assert review.selected_id == ids[1] and ui.shell.dialog is None
    await ui.fire(review.search, "blur")
    await ui.key("J")
    assert review.selected_id == ids[2]
    await ui.fire(review.search, "focus")
    await ui.click(review.row_controls[ids[4]])  # a tap on a row takes the keys back from the search box
    assert not ui.shell.focused
    await ui.key("Arrow Down")
    assert review.selected_id == ids[5]


@run_async
async def test_filters_and_search_narrow_the_table(ctx):
    ui = await DeskUI(ctx).start("dudao")
    review = ui.review
    await ui.click(review.tab_controls["all"])
    everyone = review.total
    await ui.select(review.office_filter, "construction")
    assert review.rows and all(i.office == "construction" for i in review.rows) and review.total < everyone
    assert review.counts == desk_of(ctx, "dudao").counts(Filters(office="construction"))
    number = review.rows[0].number
    await ui.type(review.search, number)
    await ui.fire(review.search, "submit")
    assert numbers(review) == [number]
    await ui.click(review.clear_button)
    assert review.total == everyone
    await ui.click(review.more_button)
    await pick_day(ui, review.from_field, date(2099, 1, 1))  # picked, never typed: nothing reported since
    assert review.total == 0 and review.from_field.value == "2099年1月1日"
    clear = review.from_field.suffix.controls[0]  # the field's own clear button (fields are walked, not their suffix)
    await ui.session.dispatch_event(clear._i, "click", None)
    assert review.total == everyone
    review.rebound_box.selected = True
    await ui.fire(review.rebound_box, "select")
    assert review.rows and all(i.rebound_count > 0 for i in review.rows)


@run_async
async def test_clicking_headers_sorts_by_that_column_both_ways(ctx):
    ui = await DeskUI(ctx).start("dudao")
    review = ui.review
    await ui.click(review.tab_controls["all"])
    header = ui.find(ft.Container, data="number")
    await ui.click(header)
    assert numbers(review) == sorted(numbers(review))
    await ui.click(ui.find(ft.Container, data="number"))
    assert numbers(review) == sorted(numbers(review), reverse=True)
    assert review.current_sort() == "-number"


@run_async
async def test_pages_come_from_the_database_and_arrows_cross_page_ends(ctx, monkeypatch):
    from inspector.ui.desk import review as review_module

    monkeypatch.setattr(review_module, "PAGE_SIZE", 10)
    ui = await DeskUI(ctx).start("dudao")
    review = ui.review
    await ui.click(review.tab_controls["all"])
    assert len(review.rows) == 10 and review.total == 38  # the demo's 36, and its 2 returned items
    assert "第 1–10 项，共 38 项" in words(ui)
    last_of_first = review.rows[-1].id
    await ui.click(review.row_controls[last_of_first])
    await ui.key("Arrow Down")
    assert review.page_no == 2 and review.selected_id == review.rows[0].id
    await ui.key("Arrow Up")
    assert review.page_no == 1 and review.selected_id == last_of_first
    await ui.click(review.next_button)
    await ui.click(review.next_button)
    await ui.click(review.next_button)
    assert review.page_no == 4 and len(review.rows) == 8 and review.next_button.disabled


@run_async
async def test_the_desk_speaks_english_after_one_click_and_remembers_it(ctx):

    ui = await DeskUI(ctx).start("dudao")
    await ui.click(ui.shell.lang_button)
    assert [d.label for d in ui.shell.rail.destinations] == [
        "Review", "Map", "Returns", "Oversight", "Coverage", "Scores", "Reports", "Findings", "Sites", "Admin"]
    text = words(ui)
    assert "To assign" in text and "Overdue" in text and "Keys: ↑ ↓ move · V verify · R reject" in text
    assert await ui.app.prefs.get(LANG_KEY) == "en"
    await ui.rail("scores")
    assert "Score =" in words(ui) and "on-time closure rate" in words(ui)


@run_async
async def test_logging_out_of_the_desk_returns_to_the_login_and_silences_the_keys(ctx):
    ui = await DeskUI(ctx).start("dudao")
    shell = ui.shell
    await ui.click(shell.logout_button)
    assert ui.app.ws is None and ui.app.login_view is not None
    assert ui.page.on_keyboard_event is None and shell.closed
