"""Issue 13's dates and defaults on the phone and the desk, and the list thumbnails.

Each person lands on the tab where their work is; an extension is never
proposed, nor granted, to a day gone by; renda has a sample on first login;
two cards showing one photo both get its thumbnail. The clock is the test's
(``clock`` fixture, 2026-07-15 09:30 in Asia/Shanghai), moved by hand.
"""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import flet as ft
import pytest

from inspector.domain.roles import PEOPLE, Role
from inspector.errors import ExtensionDatePassed
from inspector.services import events
from inspector.store.queries import ItemFilter
from inspector.ui.date_field import from_wire
from inspector.ui.tabs import NAVIGATION, navigation_for
from inspector.ui.views.item import EXTENSION_DAYS, extension_default
from tests.factories import reported, stored_photo
from tests.ui.conftest import UI, run_async
from tests.ui.date_helpers import pick_day
from tests.ui.desk_helpers import DeskUI, desk_of
from tests.ui.oversight_helpers import actor_of

ZONE = ZoneInfo("Asia/Shanghai")
UNTIL = "延期至"


def first(ui, **filters):
    return ui.app.ws.list_items(ItemFilter(**filters), 1, 50).items[0]


def local_day(ctx) -> date:
    return ctx.now().astimezone(ZONE).date()


# --- where each one lands --------------------------------------------------------------------------
def test_every_role_has_its_tabs_and_a_landing_tab_among_them():
    assert set(NAVIGATION) == set(PEOPLE)  # the server's own system role never logs in
    for role in (Role.OFFICE_STAFF, Role.OFFICE_LEADER):
        assert navigation_for(role).landing.name == "todo"
    assert navigation_for(Role.SPOT_CHECKER).landing.name == "spot"
    assert navigation_for(Role.INSPECTOR).landing.name == "report"


@run_async
async def test_office_staff_land_on_todo_spot_checkers_on_spot_inspectors_on_report(ctx):
    for username, landing, title in (("jianzhu", "todo", "待办"), ("jianzhu_lead", "todo", "待办"),
                                     ("renda", "spot", "我的抽查样本"), ("xuncha", "report", "上报")):
        ui = await UI(ctx).start(username)
        assert ui.app.tabs[ui.app.tab].name == landing, username
        assert ui.app.nav.selected_index == ui.app.tab
        assert title in ui.page.appbar.title.value, (username, ui.page.appbar.title.value)


@run_async
async def test_renda_has_a_drawn_sample_on_first_login(ctx):
    ui = await UI(ctx).start("renda")
    view = ui.app.views["spot"]
    assert view.samples and view.cards  # the demo drew him one
    assert "还没有为您抽取样本" not in ui.text()


# --- the phone's extension form -----------------------------------------------------------------------
def test_the_extension_default_is_never_a_day_gone_by():
    now = datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)  # 10:00 on 1 December in Shanghai
    ahead = datetime(2026, 12, 5, 15, 59, 59, tzinfo=timezone.utc)  # the end of 5 December there
    passed = datetime(2026, 11, 15, 15, 59, 59, tzinfo=timezone.utc)
    assert extension_default(ahead, now, ZONE) == date(2026, 12, 5) + timedelta(days=EXTENSION_DAYS)
    assert extension_default(passed, now, ZONE) == date(2026, 12, 1) + timedelta(days=EXTENSION_DAYS)
    assert extension_default(None, now, ZONE) == date(2026, 12, 1) + timedelta(days=EXTENSION_DAYS)


@run_async
async def test_an_overdue_items_extension_form_proposes_a_day_after_today(ctx, clock):
    ui = await UI(ctx).start("jianzhu")
    item = first(ui, office="construction", status="rectifying", extension_pending=False)
    clock.current = item.deadline + timedelta(days=10)  # long overdue
    await ui.app.open_item(item.id)
    view = ui.app.stack[-1]
    await ui.click(view.action_buttons["extension_requested"])
    proposed = date.fromisoformat(view.values["until"])  # the field shows it in words: 2026年…月…日
    assert proposed == local_day(ctx) + timedelta(days=EXTENSION_DAYS) > item.deadline.astimezone(ZONE).date()


@run_async
async def test_a_request_for_a_day_gone_by_is_refused_in_words(ctx):
    ui = await UI(ctx).start("jianzhu")
    item = first(ui, office="construction", status="rectifying", extension_pending=False)
    await ui.app.open_item(item.id)
    view = ui.app.stack[-1]
    await ui.click(view.action_buttons["extension_requested"])
    picker = await pick_day(ui, ui.find(ft.TextField, label=UNTIL), local_day(ctx))
    # The picker offers no day gone by (the decision's rule, ui.date_field.earliest_extension_day) ...
    assert from_wire(picker.first_date) == local_day(ctx)
    yesterday = local_day(ctx) - timedelta(days=1)
    view.values["until"] = yesterday.isoformat()  # ... and should one arrive anyway, the decision refuses it in words
    await ui.type(ui.find(ft.TextField, label="延期原因"), "等材料")
    await ui.click(ui.find(ft.FilledButton, "申请延期"))
    assert ui.last_snack() and yesterday.isoformat() in ui.last_snack() and "已过" in ui.last_snack()
    assert not ui.app.ws.item(item.id).item.extension_pending


# --- the desk's grant -----------------------------------------------------------------------------------
@run_async
async def test_the_desk_offers_no_grant_to_a_day_gone_by_and_says_so(ctx, clock):
    ui = await DeskUI(ctx).start("dudao")
    review = ui.review
    await ui.click(review.tab_controls["extension"])
    pane = review.pane
    asked = pane.item
    assert pane.buttons["extension_granted"].content.startswith("同意延期至 ")  # the demo asks for days ahead
    clock.current = asked.extension_until + timedelta(days=2)  # the day asked for is over
    await pane.load(asked.id)
    assert "extension_granted" not in pane.buttons and "extension_refused" in pane.buttons
    day = asked.extension_until.astimezone(ZONE).strftime("%m-%d")
    assert pane.passed_note is not None and ui.on_screen(pane.passed_note)
    assert day in pane.passed_note.value and "已过" in pane.passed_note.value
    assert not any(w.startswith("同意延期至") for w in ui.texts())
    desk = desk_of(ctx, "dudao")
    with pytest.raises(ExtensionDatePassed):  # the decision refuses it too, in the one place
        desk.grant_extension(desk.item(asked.id).item)


# --- thumbnails --------------------------------------------------------------------------------------------
@run_async
async def test_two_cards_showing_one_photo_both_get_the_thumbnail(ctx):
    xuncha = actor_of(ctx, "xuncha")
    photo = stored_photo(ctx, xuncha, seed=1313)
    twins = []
    for _ in range(2):  # two reports citing one photo: two cards, one hash
        report = reported(photo=photo)
        events.record_one(ctx, xuncha, report)
        twins.append(report.item_id)
    ui = await UI(ctx).start("xuncha")
    await ui.goto("mine")
    cards = [c for s in ui.app.views["mine"].sections for c in s.cards if c.item.id in twins]
    assert len(cards) == 2 and {c.photo for c in cards} == {photo}
    assert all(ui.on_screen(c.root) for c in cards)
    assert all(isinstance(c.thumb.content, ft.Image) for c in cards)
