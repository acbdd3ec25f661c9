"""Working without the server: saved locally, listed with a provisional state, sent when it is back."""

import hashlib
import threading

import httpx
import pytest
from sqlmodel import select

from inspector.errors import PhotoMissing, ServerUnreachable, StaleVersion
from inspector.store.engine import read_session
from inspector.store.models import EventRow, Item, Photo
from inspector.store.queries import ItemFilter
from inspector.sync.client import ApiClient
from tests.conftest import until
from tests.factories import jpeg, person, sha
from tests.sync.conftest import PASSWORD, _snapshot, photo_of, report_payload, server_event_count


def test_report_offline_then_sync_when_the_server_is_back(ctx, server_process, phones):
    person(ctx, "li", "inspector")
    server = server_process().start()
    phone = phones(server.url)
    ws = phone.login("li", PASSWORD)
    server.kill()

    data = jpeg(1)
    photo = ws.add_photo(data)
    assert photo.sha256 == sha(data) and photo.uploaded_by == ws.actor.id
    state = ws.record("reported", None, 0, report_payload(photo.sha256))

    # Saved here: in the outbox and listed, with no server number yet.
    assert ws.sync_status().pending == 1
    listed = ws.list_items(ItemFilter()).items
    assert [i.id for i in listed] == [state.id]
    assert listed[0].number is None and listed[0].status == "reported" and listed[0].last_seq is None
    view = ws.item(state.id)
    assert [(e.kind, e.pending) for e in view.timeline] == [("reported", True)]
    assert ws.photo(photo.sha256, "thumb")  # the photo is on the device, offline

    report = phone.sync_once()
    assert isinstance(report.error, ServerUnreachable) and report.waiting == 1
    status = ws.sync_status()
    assert not status.online and status.pending == 1 and "服务器无法连接" in status.last_error

    server.start()
    report = phone.sync_once()
    assert report.ok, report
    assert (report.pushed, report.rejected, report.waiting, report.photos_uploaded) == (1, 0, 0, 1)

    # The server has the same photo bytes and the event; the phone has the server's number.
    with read_session(ctx.engine) as session:
        assert session.get(Photo, photo.sha256) is not None
        server_item = session.get(Item, state.id)
        assert server_item.number and server_item.version == 1
    with ApiClient(server.url, token=phone.store.get("token")) as api:
        assert hashlib.sha256(api.photo(photo.sha256, "original")).hexdigest() == photo.sha256
    local = ws.list_items(ItemFilter()).items[0]
    assert local.number == server_item.number and local.last_seq is not None
    assert [(e.kind, e.pending) for e in ws.item(state.id).timeline] == [("reported", False)]
    status = ws.sync_status()
    assert status.online and status.pending == 0 and status.last_error is None and status.last_sync_at
    assert phone.store.outbox() == []
    assert server_event_count(ctx) == 1


def test_second_offline_change_builds_on_the_first(ctx, live, phones):
    person(ctx, "boss", "supervisor")
    phone = phones(live.url)
    ws = phone.login("boss", PASSWORD)
    photo = photo_of(ws, 2)
    # No round runs in this test: to the phone the server might as well be away.
    first = ws.record("reported", None, 0, report_payload(photo))
    assigned = ws.record("assigned", first.id, first.version,
                         {"office": "construction", "leader": "陈处长", "deadline": "2026-07-18"})
    assert (first.version, assigned.version, assigned.status) == (1, 2, "assigned")
    commented = ws.record("commented", first.id, 0, {"text": "请尽快"})  # merges whatever the version
    assert commented.version == 2 and commented.comment_count == 1
    with pytest.raises(StaleVersion):
        ws.record("dismissed", first.id, 1, {"reason": "重复"})
    entries = phone.store.outbox(first.id)
    assert [(e.kind, e.base_version) for e in entries] == [("reported", 0), ("assigned", 1), ("commented", 0)]
    before = _snapshot(phone.store.engine)
    phone.store.reproject_all()  # the local row is exactly the projection of the outbox
    assert _snapshot(phone.store.engine) == before

    report = phone.sync_once()
    assert report.ok and (report.pushed, report.rejected, report.waiting) == (3, 0, 0)
    with read_session(ctx.engine) as session:
        server_item = session.get(Item, first.id)
    local = ws.item(first.id).item
    assert (local.status, local.version, local.comment_count, local.number) == \
           (server_item.status, server_item.version, server_item.comment_count, server_item.number)


def test_a_photo_must_be_on_the_device_before_an_event_names_it(ctx, live, phones):
    person(ctx, "li", "inspector")
    ws = phones(live.url).login("li", PASSWORD)
    with pytest.raises(PhotoMissing):
        ws.record("reported", None, 0, report_payload("ab" * 32))
    assert ws.sync_status().pending == 0


def test_photos_of_others_are_fetched_once_then_served_offline(ctx, live, phones):
    person(ctx, "li", "inspector")
    person(ctx, "boss", "supervisor")
    reporter = phones(live.url, "reporter").login("li", PASSWORD)
    photo = photo_of(reporter, 3)
    reporter.record("reported", None, 0, report_payload(photo))
    assert reporter.sync_now().pending == 0

    boss_phone = phones(live.url, "boss")
    boss = boss_phone.login("boss", PASSWORD)
    boss_phone.sync_once()
    first = boss.photo(photo, "thumb")
    live.stop()  # offline from here on
    assert boss.photo(photo, "thumb") == first
    with pytest.raises(ServerUnreachable):
        boss.photo(photo, "display")  # never fetched: cannot be shown offline


class HeldPushes(httpx.BaseTransport):
    """Real HTTP, but every push waits at the door until ``release`` is set; ``at_door`` tells one came."""

    def __init__(self):
        self.inner = httpx.HTTPTransport()
        self.at_door, self.release = threading.Event(), threading.Event()

    def handle_request(self, request):
        if request.url.path == "/api/sync/push":
            self.at_door.set()
            assert self.release.wait(120), "the test never let the push through"
        return self.inner.handle_request(request)

    def close(self):
        self.inner.close()


def test_auto_sync_sends_a_record_soon_after_it_is_saved(ctx, live, phones):
    person(ctx, "li", "inspector")
    door = HeldPushes()
    phone = phones(live.url, interval=3600, transport=door)  # only the record's trigger can start a round
    ws = phone.login("li", PASSWORD)
    phone.start_auto_sync()
    assert until(lambda: phone.auto.rounds > 0), "the round the login asked for never ran"
    photo = photo_of(ws, 4)
    recorded: list = []
    recorder = threading.Thread(target=lambda: recorded.append(
        ws.record("reported", None, 0, report_payload(photo))), daemon=True)
    recorder.start()
    assert door.at_door.wait(60), "the record started no round"  # its push is held at the door...
    recorder.join(60)
    assert recorded, "recording waited for the network"  # ...and the record is saved all the same
    [state] = recorded
    door.release.set()
    assert until(lambda: ws.sync_status().pending == 0), ws.sync_status()
    phone.stop_auto_sync()
    assert not phone.auto.running
    with read_session(ctx.engine) as session:
        assert session.exec(select(EventRow).where(EventRow.item_id == state.id)).one().kind == "reported"


def test_an_event_whose_photo_is_lost_waits_with_its_item_and_others_go_up(ctx, live, phones):
    from inspector.photos.blobs import blob_key

    person(ctx, "li", "inspector")
    phone = phones(live.url)
    ws = phone.login("li", PASSWORD)
    lost, kept = photo_of(ws, 1), photo_of(ws, 2)
    a = ws.record_event("reported", None, 0, report_payload(lost))
    a_note = ws.record_event("commented", a.item_id, 0, {"text": "补充"})
    b = ws.record_event("reported", None, 0, report_payload(kept))
    phone.store.blobs.path_for(blob_key(lost, "original")).unlink()  # the phone's storage lost it

    report = phone.sync_once()
    assert (report.pushed, report.rejected, report.waiting) == (1, 0, 2)
    assert server_event_count(ctx) == 1
    waiting = {e.id: e for e in phone.store.pending()}
    assert set(waiting) == {a.event_id, a_note.event_id}  # held back, not refused for good
    assert waiting[a.event_id].reason_code == "photo.missing" and lost in waiting[a.event_id].reason_message
    assert ws.item(b.item_id).item.number is not None

    ws.add_photo(jpeg(1))  # taken again from the gallery: the same bytes, the same hash
    report = phone.sync_once()
    assert report.ok and (report.pushed, report.waiting) == (2, 0)
    assert server_event_count(ctx) == 3
