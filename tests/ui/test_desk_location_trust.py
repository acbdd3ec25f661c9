"""The desk's evidence panel doubts a position: accuracy of exactly 0, and a reporter's coordinates repeated."""

import uuid

import flet as ft

from inspector.services import events
from inspector.services.desk import Filters
from inspector.store import users
from inspector.store.engine import read_session
from inspector.ui.desk import detail_facts
from tests.factories import stored_photo
from tests.ui.conftest import walk
from tests.ui.desk_helpers import desk_of


def panel_words(ctx, item_id: str, lang: str) -> list[str]:
    data = desk_of(ctx, "dudao").item(item_id)
    card = detail_facts.evidence(data, lang, ctx.settings.zone, ctx.settings.same_spot_m,
                                  ctx.settings.location_accuracy_m)
    return [c.value for c in walk(card) if isinstance(c, ft.Text) and isinstance(c.value, str)]


def test_a_zero_accuracy_at_a_point_reported_on_another_day_is_flagged_in_both_languages(ctx):
    desk = desk_of(ctx, "dudao")
    old = desk.queue("all", Filters()).items[0]
    with read_session(ctx.engine) as session:
        reporter = users.actor(session, old.reported_by)
    photo = stored_photo(ctx, reporter, 93)
    spot = {"lat": old.location.lat, "lon": old.location.lon, "accuracy_m": 0, "source": "gps"}
    new = str(uuid.uuid4())
    out = events.push(ctx, reporter, [events.EventIn(
        id=str(uuid.uuid4()), item_id=new, kind="reported", at=ctx.now(), base_version=0,
        payload={"category": old.category, "location": spot, "photos": [photo], "check_type": old.check_type})])[0]
    assert out.status == "accepted", out.error
    old_day = old.reported_at.astimezone(ctx.settings.zone).date().isoformat()

    zh = panel_words(ctx, new, "zh_CN")
    assert "照片证据 · 1 处需要留意" in zh
    assert "定位精度恰为 0 米：真实定位不会如此（疑似虚拟定位）" in zh
    assert any(old_day in w and "同一坐标" in w for w in zh), zh
    en = panel_words(ctx, new, "en")
    assert any("exactly 0 m" in w for w in en) and any(old_day in w and "last digit" in w for w in en), en
