"""The evidence's doubts about a position, over the store: accuracy, and one person's coordinates repeated."""

from dataclasses import replace
from datetime import date, datetime, timezone

import pytest

from inspector.domain.roles import Role
from inspector.services import events, items
from inspector.services.evidence import item_evidence
from inspector.store.engine import read_session
from inspector.store.evidence import reports_at
from tests.factories import LOCATION, person, reported, stored_photo

SPOT = (LOCATION["lat"], LOCATION["lon"])


def report(ctx, actor, seed: int, at: datetime, **location):
    """``actor`` reports a new item at ``at`` (device time) from ``LOCATION`` changed by ``location``."""
    photo = stored_photo(ctx, actor, seed=seed)
    e = replace(reported(photo=photo, location={**LOCATION, **location}), at=at)
    events.record_one(ctx, actor, e)
    return e.item_id


@pytest.fixture
def reports(ctx):
    """One inspector at the very same point on 10 and 15 July (local), once nearby; another person there too."""
    inspector = person(ctx, "xuncha", Role.INSPECTOR)
    other = person(ctx, "dudao", Role.SUPERVISOR)
    earlier = report(ctx, inspector, 1, datetime(2026, 7, 10, 2, 0, tzinfo=timezone.utc))
    nearby = report(ctx, inspector, 2, datetime(2026, 7, 12, 2, 0, tzinfo=timezone.utc), lat=SPOT[0] + 0.000001)
    by_other = report(ctx, other, 3, datetime(2026, 7, 11, 2, 0, tzinfo=timezone.utc))
    today = report(ctx, inspector, 4, datetime(2026, 7, 15, 1, 0, tzinfo=timezone.utc), accuracy_m=0)
    return inspector, other, {"earlier": earlier, "nearby": nearby, "by_other": by_other, "today": today}


def test_the_store_finds_one_persons_reports_at_exactly_a_point(ctx, reports):
    inspector, other, ids = reports
    with read_session(ctx.engine) as session:
        found = reports_at(session, inspector.id, [SPOT], except_item=ids["today"])
        assert [e.item_id for e in found] == [ids["earlier"]]
        assert [e.item_id for e in reports_at(session, inspector.id, [SPOT])] == [ids["earlier"], ids["today"]]
        assert [e.item_id for e in reports_at(session, other.id, [SPOT])] == [ids["by_other"]]
        assert reports_at(session, inspector.id, []) == []


def test_the_evidence_flags_a_zero_accuracy_and_a_point_repeated_on_another_day(ctx, reports):
    inspector, _, ids = reports
    detail = items.get_item(ctx, inspector, ids["today"])
    evidence = item_evidence(ctx, detail.item, detail.events, {p.sha256: p for p in detail.photos}, detail.actors)

    (before,) = evidence
    assert before.accuracy_m == 0
    assert before.location_flags == ("zero_accuracy", "repeated_spot")
    assert before.repeated_on == (date(2026, 7, 10),)


def test_a_good_fix_at_a_new_point_is_not_doubted(ctx, reports):
    inspector, _, ids = reports
    detail = items.get_item(ctx, inspector, ids["nearby"])
    (before,) = item_evidence(ctx, detail.item, detail.events, {p.sha256: p for p in detail.photos}, detail.actors)

    assert before.accuracy_m == LOCATION["accuracy_m"]
    assert before.location_flags == () and before.repeated_on == ()


def test_a_poor_accuracy_is_flagged_against_the_setting(ctx, reports):
    inspector, _, ids = reports
    poor = report(ctx, inspector, 5, datetime(2026, 7, 15, 1, 0, tzinfo=timezone.utc), lat=30.3, accuracy_m=80)
    detail = items.get_item(ctx, inspector, poor)
    shown = {p.sha256: p for p in detail.photos}

    (before,) = item_evidence(ctx, detail.item, detail.events, shown, detail.actors)
    assert before.location_flags == ("poor_accuracy",)
    ctx.settings.location_accuracy_m = 100
    (before,) = item_evidence(ctx, detail.item, detail.events, shown, detail.actors)
    assert before.location_flags == ()
