"""Oversight on the field client: look-backs due, notices, the campaign and rebound payloads from the
local copy; a look-back recorded offline and synced; a spot checker blind until their finding is
accepted, then the whole item fetched."""

import httpx
import pytest

from inspector.errors import ServerUnreachable
from inspector.services import auth, campaigns, events, oversight
from inspector.services.workspace import ServerWorkspace
from inspector.store.engine import read_session
from inspector.store.models import User
from inspector.store.queries import ItemFilter
from inspector.store.field import state as keys
from tests.factories import event, person, reported, stored_photo
from tests.sync.conftest import PASSWORD, _snapshot, photo_of

SITE = (30.2741, 120.1551)


class Switch(httpx.BaseTransport):
    """Real HTTP while ``online``; no connection at all while not (the phone at a site with no signal)."""

    def __init__(self):
        self.inner, self.online = httpx.HTTPTransport(), True

    def handle_request(self, request):
        if not self.online:
            raise httpx.ConnectError("network is unreachable", request=request)
        return self.inner.handle_request(request)

    def close(self):
        self.inner.close()


def _verified(ctx, boss, staff, seed: int, look_back_days: int = 1, rebounds: int = 0) -> str:
    """An item of the construction office, fixed and verified (after ``rebounds`` rebounds)."""
    first = reported(photo=stored_photo(ctx, boss, seed))
    events.record_one(ctx, boss, first)
    version = 1
    events.record_one(ctx, boss, event(first.item_id, "assigned", version, office="construction", leader="陈处长",
                                       deadline="2026-07-18"))
    version += 1
    for n in range(rebounds + 1):
        if n:
            events.record_one(ctx, boss, event(first.item_id, "rebounded", version, leader="陈处长",
                                               deadline="2026-07-25", photos=[stored_photo(ctx, boss, seed + 10 + n)]))
            version += 1
        events.record_one(ctx, staff, event(first.item_id, "acknowledged", version))
        events.record_one(ctx, staff, event(first.item_id, "fix_submitted", version + 1,
                                            photos=[stored_photo(ctx, staff, seed + 1 + n)]))
        events.record_one(ctx, boss, event(first.item_id, "verified", version + 2, look_back_days=look_back_days))
        version += 3
    return first.item_id


def test_look_back_due_offline_recorded_and_synced(ctx, clock, live, phones):
    boss = person(ctx, "boss", "supervisor")
    staff = person(ctx, "chen", "office_staff", "construction")
    admin = person(ctx, "guanli", "admin")
    person(ctx, "li", "inspector")
    campaigns.update_campaign(ctx, admin, {"top_leaders": {"construction": "黄局长"}})
    near = _verified(ctx, boss, staff, 10)
    twice = _verified(ctx, boss, staff, 20, rebounds=1)
    # not due for a month (seeds apart from the others': the same bytes would be one photo, the first uploader's)
    later = _verified(ctx, boss, staff, 40, look_back_days=30)
    switch = Switch()
    phone = phones(live.url, clock=clock, transport=switch)
    ws = phone.login("li", PASSWORD)
    assert phone.sync_once().ok
    clock.advance(days=1, hours=2)  # both look-backs of one day are now overdue

    due = ws.look_backs_due(*SITE)
    assert {item.id for item, _ in due} == {near, twice} and later not in [i.id for i, _ in due]
    distances = [d for _, d in due]
    assert distances == sorted(distances) and all(d is not None and d < 5 for d in distances)
    server_due = ServerWorkspace(ctx, ws.actor).look_backs_due(*SITE)
    assert sorted(i.id for i, _ in server_due) == sorted(i.id for i, _ in due)
    assert {n.kind for n in ws.notices()} == {"look_back_due"}
    assert {n.item_id for n in ws.notices()} == {near, twice}
    assert ws.campaign()["current_phase"] == "rectification"

    # The rebound payload is the server's: the second rebound goes to the top leader kept from the sync.
    state = ws.item(twice).item
    assert ws.rebound_payload(state, ["a" * 64]) == oversight.rebound_payload(ctx, state, ["a" * 64])
    assert ws.rebound_payload(state, ["a" * 64])["leader"] == "黄局长"

    switch.online = False  # at the site, no signal
    photo = photo_of(ws, 5)
    closed = ws.record("look_back_passed", near, ws.item(near).item.version, {"photos": [photo], "note": "保持良好"})
    assert closed.status == "closed" and ws.sync_status().pending == 1
    assert [i.id for i, _ in ws.look_backs_due(*SITE)] == [twice]
    assert isinstance(phone.sync_once().error, ServerUnreachable)
    assert ws.campaign()["current_phase"] == "rectification"  # kept from the last round

    switch.online = True
    report = phone.sync_once()
    assert report.ok and report.pushed == 1 and report.photos_uploaded == 1
    server = ServerWorkspace(ctx, boss).item(near)
    assert server.item.status == "closed" and server.timeline[-1].payload["note"] == "保持良好"
    assert _snapshot(phone.store.engine, [near]) == _snapshot(ctx.engine, [near])


def _refresh(ctx, actor):
    with read_session(ctx.engine) as session:
        return auth.actor_of(session, session.get(User, actor.id))


def test_spot_checker_is_blind_until_their_finding_is_accepted_then_gets_the_whole_item(ctx, live, phones):
    boss = person(ctx, "boss", "supervisor")
    staff = person(ctx, "chen", "office_staff", "construction")
    admin = person(ctx, "guanli", "admin")
    deputy = person(ctx, "daibiao", "spot_checker")
    auth.delegate(ctx, deputy.id, offices=["construction"])
    deputy = _refresh(ctx, deputy)
    item_id = _verified(ctx, boss, staff, 40, look_back_days=14)
    landscaping = reported(photo=stored_photo(ctx, boss, 45), category="loose_soil")  # not delegated
    events.record_one(ctx, boss, landscaping)
    sample = oversight.draw(ctx, admin, deputy.id, 5, seed=3)
    assert sample.item_ids == [item_id]
    switch = Switch()
    phone = phones(live.url, transport=switch)
    ws = phone.login("daibiao", PASSWORD)
    assert phone.sync_once().ok

    [kept] = ws.spot_samples()
    [entry] = kept.entries
    assert (entry.item_id, entry.checked) == (item_id, False)
    assert entry.item.fix_photos == () and entry.item.leader is None
    blind = ws.item(item_id)
    assert blind.blind and [e.kind for e in blind.timeline] == ["reported"]
    assert ws.list_items(ItemFilter()).total == 1  # the landscaping item is not theirs to see
    [record] = ws.office_records()
    assert record == oversight.office_record(ctx, deputy, "construction")
    assert ws.office_records_at() is not None

    switch.online = False  # the finding is made on site, offline
    photo = photo_of(ws, 7)
    ws.record("spot_checked", item_id, blind.item.version, {"verdict": "disagree", "photos": [photo],
                                                             "note": "现场仍有污水"})
    waiting = ws.item(item_id)
    assert not waiting.blind and waiting.item.fix_photos == ()  # checked here, the rest not here yet
    assert [(e.kind, e.pending) for e in waiting.timeline] == [("reported", False), ("spot_checked", True)]
    assert ws.spot_samples()[0].entries[0].checked

    switch.online = True
    report = phone.sync_once()
    assert report.ok and report.pushed == 1 and report.backfilled == 1
    whole = ws.item(item_id)
    server = ServerWorkspace(ctx, boss).item(item_id)
    assert not whole.blind and whole.item.fix_photos == server.item.fix_photos != ()
    assert whole.item.status == "verified" and whole.item.disputed and whole.item.spot_disagree == 1
    assert [e.kind for e in whole.timeline] == [e.kind for e in server.timeline]
    assert _snapshot(phone.store.engine, [item_id]) == _snapshot(ctx.engine, [item_id])
    assert phone.store.get(keys.UNBLIND) is None
    assert ws.spot_samples()[0].entries[0].checked
    assert phone.sync_once().backfilled == 0  # fetched once


@pytest.mark.parametrize("role", ["inspector", "office_staff"])
def test_notices_match_the_server(ctx, clock, live, phones, role):
    boss = person(ctx, "boss", "supervisor")
    staff = person(ctx, "chen", "office_staff", "construction")
    person(ctx, "li", "inspector")
    _verified(ctx, boss, staff, 50)
    assigned = reported(photo=stored_photo(ctx, boss, 55))
    events.record_one(ctx, boss, assigned)
    events.record_one(ctx, boss, event(assigned.item_id, "assigned", 1, office="construction", leader="陈处长",
                                       deadline="2026-07-16"))
    phone = phones(live.url, clock=clock)
    ws = phone.login("li" if role == "inspector" else "chen", PASSWORD)
    assert phone.sync_once().ok
    clock.advance(days=1, hours=2)
    server = ServerWorkspace(ctx, ws.actor).notices()
    assert server and ws.notices() == server
