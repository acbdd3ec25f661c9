"""The desk merges two items: "合并到…", the duplicate's banner, the target's duplicates and their photos."""

import flet as ft

from inspector.services import events
from tests.factories import reported, stored_photo
from tests.ui.conftest import run_async
from tests.ui.desk_helpers import DeskUI, actor, desk_of

AWAY = {"lat": 30.4100, "lon": 120.4100, "accuracy_m": 6, "source": "gps"}
NEAR = {"lat": 30.41012, "lon": 120.4100, "accuracy_m": 6, "source": "gps"}  # 13 m north


def report_at(ctx, where: dict, seed: int, description: str):
    walker = actor(ctx, "xuncha")
    photo = stored_photo(ctx, walker, seed)
    [out] = events.push(ctx, walker, [reported(photo=photo, category="site_garbage", location=dict(where),
                                               description=description)])
    assert out.status == "accepted", out.error
    return out.item


@run_async
async def test_a_duplicate_is_merged_into_a_nearby_item_and_each_shows_the_other(ctx):
    first = report_at(ctx, AWAY, 401, "东门垃圾堆")
    second = report_at(ctx, NEAR, 402, "东门又见垃圾")
    ui = await DeskUI(ctx).start("dudao")
    review = ui.review
    await review.open_item(second.id)
    pane = review.pane
    await ui.click(pane.buttons["merged"])
    form = pane.form
    nearby = form.controls["nearby"]
    assert [o.key for o in nearby.options] == [first.id]  # the open item of the same category, 13 m away
    await ui.click(form.confirm_button)
    assert form.error.value == "请填写或选择要合并到的问题"  # nothing chosen yet
    await ui.type(form.controls["number"], "2099-0101-999")
    await ui.click(form.confirm_button)
    assert form.error.value == "找不到编号为 2099-0101-999 的问题"
    await ui.type(form.controls["number"], first.number)
    await ui.click(form.confirm_button)

    merged = desk_of(ctx, "dudao").item(second.id).item
    assert (merged.status, merged.merged_into) == ("merged", first.id)
    await review.open_item(second.id)
    assert f"本问题是 {first.number} 的重复上报，已合并" in ui.texts()
    assert "merged" not in pane.buttons  # a duplicate is merged once
    opener = ui.find(ft.OutlinedButton, data=first.id)  # 打开 <number>
    await ui.click(opener)
    assert pane.item.id == first.id
    assert "重复上报（1）" in ui.texts() and f"来自重复问题 {second.number}" in ui.texts()
    assert second.photos[0] in ui.app.thumb_cache  # the duplicate's photo, shown on the target


@run_async
async def test_a_merge_into_a_duplicate_is_refused_in_words(ctx):
    first = report_at(ctx, AWAY, 411, "一")
    second = report_at(ctx, NEAR, 412, "二")
    third = report_at(ctx, NEAR, 413, "三")
    boss = desk_of(ctx, "dudao")
    boss.decide("merged", second, {"into": first.id})
    ui = await DeskUI(ctx).start("dudao")
    pane = ui.review.pane
    await ui.review.open_item(third.id)
    await ui.click(pane.buttons["merged"])
    await ui.type(pane.form.controls["number"], second.number)
    await ui.click(pane.form.confirm_button)
    assert f"{second.number} 本身已合并到其他问题，请直接合并到那一项" in pane.notice
    assert boss.item(third.id).item.status == "reported"
