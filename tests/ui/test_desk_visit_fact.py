"""The desk's facts of an item that is a visit's failed point name the visit: its site, day and score."""

import flet as ft

from inspector.services import events
from inspector.ui.desk import detail_facts
from tests.factories import checklist_row, registered_site, reported, stored_photo, visit_event
from tests.ui.conftest import walk
from tests.ui.desk_helpers import desk_of
from tests.ui.oversight_helpers import actor_of


def facts_words(ctx, item_id: str, lang: str) -> list[str]:
    desk = desk_of(ctx, "dudao")
    card = detail_facts.facts(desk.item(item_id), lang, ctx.settings.zone, ctx.now())
    return [c.value for c in walk(card) if isinstance(c, ft.Text) and isinstance(c.value, str)]


def test_an_item_from_a_visit_names_the_visit_and_its_score_in_both_languages(ctx):
    boss = actor_of(ctx, "dudao")
    site = registered_site(ctx, "城北工地")
    results = {"hoarding": "pass", "wheel_wash": "fail", "garbage": "pass", "canteen": "pass"}
    visit = visit_event(site, checklist_row(ctx), results)
    report = reported(photo=stored_photo(ctx, boss, 61), category="vehicle_washing", office="construction",
                      site=site, check_type="supervisor", visit=visit.item_id, check_point="wheel_wash")
    plain = reported(photo=stored_photo(ctx, boss, 62))
    outcomes = events.push(ctx, boss, [visit, report, plain])
    assert [o.status for o in outcomes] == ["accepted"] * 3, [o.error for o in outcomes]
    day = ctx.now().astimezone(ctx.settings.zone).date().isoformat()
    assert f"来自检查 城北工地 {day} 得分 3/4" in facts_words(ctx, report.item_id, "zh-CN")
    assert f"From the visit of 城北工地 on {day}: score 3/4" in facts_words(ctx, report.item_id, "en")
    assert not any("来自检查" in w for w in facts_words(ctx, plain.item_id, "zh-CN"))
