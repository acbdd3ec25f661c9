"""The supervisor's desk (``inspector.services.desk``) over a real database: who may be delegated, names,
the review queues and their filters, one item as the desk shows it."""

from dataclasses import replace
from datetime import date, datetime, timezone

import pytest

from inspector.domain.roles import Role
from inspector.errors import InvalidRequest
from inspector.services import auth, events, oversight
from inspector.services.desk import IDS_MAX, Desk, Filters
from inspector.store import sites
from inspector.store.engine import read_session, write_session
from inspector.store.models import User
from inspector.store.public import PersonPublic, PhotoPublic, SitePublic
from tests.factories import LOCATION, event, person, reported, stored_photo

PASSWORD = "secret-pw-123"


def send(ctx, who, kind: str, item, **payload):
    """``who`` records ``kind`` on ``item`` (as last seen) now; the item after it."""
    [outcome] = events.push(ctx, who, [replace(event(item.id, kind, item.version, **payload), at=ctx.now())])
    assert outcome.status == "accepted", outcome.error
    return outcome.item


def report(ctx, who, seed: int, **payload) -> str:
    """``who`` reports an item now (the context's clock) with a photo of their own; its id."""
    sent = replace(reported(photo=stored_photo(ctx, who, seed), **payload), at=ctx.now())
    [outcome] = events.push(ctx, who, [sent], device_id="test")
    assert outcome.status == "accepted", outcome.error
    return sent.item_id


# --- people ---------------------------------------------------------------------------
def test_checkers_are_the_enabled_spot_checkers_by_username_without_their_password_hash(ctx):
    boss = person(ctx, "guanli", Role.ADMIN)
    zhou = auth.add_user(ctx, "zhou", PASSWORD, Role.SPOT_CHECKER, display_name="周代表")
    auth.add_user(ctx, "an", PASSWORD, Role.SPOT_CHECKER)
    gone = auth.add_user(ctx, "bai", PASSWORD, Role.SPOT_CHECKER)
    person(ctx, "xuncha", Role.INSPECTOR)
    auth.disable_user(ctx, gone.id)

    checkers = Desk(ctx, boss).checkers()

    assert [c.username for c in checkers] == ["an", "zhou"]  # no disabled account, no other role
    assert all(type(c) is PersonPublic for c in checkers)
    assert all("password_hash" not in c.model_dump() and not hasattr(c, "password_hash") for c in checkers)
    assert checkers[1].id == zhou.id and checkers[1].name == "周代表"


def test_user_names_are_display_names_and_unknown_ids_are_left_out(ctx):
    boss = person(ctx, "dudao", Role.SUPERVISOR)
    li = auth.add_user(ctx, "li", PASSWORD, Role.INSPECTOR, display_name="李巡查")
    wang = auth.add_user(ctx, "wang", PASSWORD, Role.INSPECTOR)
    desk = Desk(ctx, boss)
    assert desk.user_names([li.id, wang.id, "no-such-user", ""]) == {li.id: "李巡查", wang.id: "wang"}
    assert desk.user_names([]) == {}


# --- queues ---------------------------------------------------------------------------
def test_a_queue_lists_its_own_items_longest_waiting_first_and_the_filters_narrow_it(ctx, clock):
    inspector = person(ctx, "xuncha", Role.INSPECTOR)
    desk = Desk(ctx, person(ctx, "dudao", Role.SUPERVISOR))
    first = report(ctx, inspector, 1, description="围挡破损")
    clock.advance(minutes=5)
    second = report(ctx, inspector, 2, description="污水外溢", category="green_cleaning")
    clock.advance(minutes=5)
    third = report(ctx, inspector, 3, description="工地扬尘")

    assert [i.id for i in desk.queue("dispatch").items] == [first, second, third]
    assert [i.id for i in desk.queue("all").items] == [third, second, first]  # newest first
    assert [i.id for i in desk.queue("dispatch", Filters(q="  污水 ")).items] == [second]
    assert [i.id for i in desk.queue("dispatch", Filters(category="green_cleaning")).items] == [second]

    item = desk.item(first).item
    desk.assign(item, "construction", "张科长", date(2026, 7, 30))
    assert [i.id for i in desk.queue("dispatch").items] == [second, third]
    assert desk.counts()["dispatch"] == 2 and desk.counts()["all"] == 3


def test_report_dates_are_the_campaigns_local_days_the_last_one_included(ctx, clock):
    inspector = person(ctx, "xuncha", Role.INSPECTOR)
    desk = Desk(ctx, person(ctx, "dudao", Role.SUPERVISOR))
    clock.current = datetime(2026, 7, 15, 15, 30, tzinfo=timezone.utc)  # 23:30 on the 15th in Shanghai
    late = report(ctx, inspector, 1)
    clock.current = datetime(2026, 7, 15, 16, 30, tzinfo=timezone.utc)  # 00:30 on the 16th in Shanghai
    early = report(ctx, inspector, 2)

    def listed(**days) -> list[str]:
        return [i.id for i in desk.queue("all", Filters(**days)).items]

    assert listed(reported_from=date(2026, 7, 15), reported_to=date(2026, 7, 15)) == [late]
    assert listed(reported_from=date(2026, 7, 16)) == [early]
    assert listed(reported_to=date(2026, 7, 16)) == [early, late]


def test_a_queue_keeps_its_own_condition_and_an_unknown_queue_is_refused(ctx):
    desk = Desk(ctx, person(ctx, "dudao", Role.SUPERVISOR))
    narrowed = desk.item_filter("overdue", Filters(overdue=False, office="construction", q="  扬尘 "))
    assert (narrowed.overdue, narrowed.office, narrowed.q, narrowed.sort) == (True, "construction", "扬尘", "deadline")
    assert desk.item_filter("verify", Filters(status="reported")).statuses == ("fix_submitted",)
    assert desk.item_filter("ids").ids == ("-",)  # no ids: nothing, never every item
    assert len(desk.item_filter("ids", ids=[str(n) for n in range(IDS_MAX + 5)]).ids) == IDS_MAX
    with pytest.raises(InvalidRequest):
        desk.item_filter("everything")


def test_office_staff_get_only_their_office_through_the_same_queue(ctx):
    inspector = person(ctx, "xuncha", Role.INSPECTOR)
    boss = Desk(ctx, person(ctx, "dudao", Role.SUPERVISOR))
    ours, theirs = report(ctx, inspector, 1), report(ctx, inspector, 2)
    boss.assign(boss.item(ours).item, "construction", "张科长", date(2026, 7, 30))
    boss.assign(boss.item(theirs).item, "landscaping", "王科长", date(2026, 7, 30))
    staff = Desk(ctx, person(ctx, "jianzhu", Role.OFFICE_STAFF, office="construction"))
    assert [i.id for i in staff.queue("all").items] == [ours]


# --- one item -------------------------------------------------------------------------
def test_an_item_comes_with_its_site_name_public_photo_facts_and_the_decisions_open_now(ctx):
    with write_session(ctx.engine) as session:
        sites.add_site(session, SitePublic(id="site-1", name="滨江工地", kind="construction",
                                           office_code="construction", lat=LOCATION["lat"], lon=LOCATION["lon"]))
    inspector = person(ctx, "xuncha", Role.INSPECTOR)
    desk = Desk(ctx, person(ctx, "dudao", Role.SUPERVISOR))
    item_id = report(ctx, inspector, 1, site="site-1")

    shown = desk.item(item_id)

    assert shown.site_name == "滨江工地" and shown.reporter_name == "xuncha"
    assert [e.kind for e in shown.timeline] == ["reported"]
    assert all(type(p) is PhotoPublic for p in shown.photos.values()) and len(shown.photos) == 1
    assert shown.decisions == ["assigned", "dismissed", "merged"]
    [sha] = shown.photos
    assert desk.photo(sha, "thumb")[:2] == b"\xff\xd8"  # a JPEG


def test_only_a_supervisors_decision_is_recorded_from_the_desk(ctx):
    inspector = person(ctx, "xuncha", Role.INSPECTOR)
    desk = Desk(ctx, person(ctx, "dudao", Role.SUPERVISOR))
    item = desk.item(report(ctx, inspector, 1)).item
    with pytest.raises(InvalidRequest):
        desk.decide("commented", item, {"text": "看过了"})
    [done] = desk.assign_many([item], None, " 张科长 ", None)
    assert done.ok and desk.item(item.id).item.leader == "张科长"


def test_a_spot_checkers_disagreement_is_an_open_finding_until_the_verdict_is_kept(ctx):
    inspector = person(ctx, "xuncha", Role.INSPECTOR)
    staff = person(ctx, "jianzhu", Role.OFFICE_STAFF, office="construction")
    admin = person(ctx, "guanli", Role.ADMIN)
    desk = Desk(ctx, person(ctx, "dudao", Role.SUPERVISOR))
    checker = auth.add_user(ctx, "renda", PASSWORD, Role.SPOT_CHECKER, display_name="人大代表")
    oversight.delegate(ctx, admin, checker.id, offices=["construction"])
    with read_session(ctx.engine) as session:
        renda = auth.actor_of(session, session.get(User, checker.id))
    item = desk.item(report(ctx, inspector, 1)).item
    item = desk.assign(item, "construction", "张科长", date(2026, 7, 30))
    item = send(ctx, staff, "acknowledged", item)
    item = send(ctx, staff, "fix_submitted", item, photos=[stored_photo(ctx, staff, 2)])
    item = desk.verify(item)
    assert desk.item(item.id).findings == []

    send(ctx, renda, "spot_checked", item, verdict="disagree", note="仍有污水", photos=[stored_photo(ctx, renda, 3)])
    shown = desk.item(item.id)
    assert [(f.actor_name, f.note) for f in shown.findings] == [("人大代表", "仍有污水")]
    assert {"reopened", "dispute_dismissed"} <= set(shown.decisions)

    desk.keep_verdict(shown.item, "复核无误")
    settled = desk.item(item.id)
    assert settled.findings == [] and not settled.item.disputed
