"""Pushing again is harmless: twice, after a lost answer, or a round cut anywhere."""

import httpx

from inspector.sync.client import ApiClient
from inspector.sync.local import envelope
from inspector.sync.wire import PushRequest
from tests.factories import event, person, reported, stored_photo, wire
from tests.sync.conftest import (
    PASSWORD,
    _snapshot,
    assert_matches_server,
    photo_of,
    report_payload,
    server_event_count,
    server_event_ids,
)

ASSIGN = {"office": "construction", "leader": "陈处长", "deadline": "2026-07-18"}


class LoseAnswers(httpx.BaseTransport):
    """Delivers requests to the real server, then loses the answer of the chosen ones."""

    def __init__(self, lose):
        self.inner = httpx.HTTPTransport()
        self.lose = lose  # (method, path) -> how many answers still to lose
        self.lost: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        key = (request.method, request.url.path.rsplit("/", 1)[0] if request.method == "PUT" else request.url.path)
        if self.lose.get(key, 0) > 0:
            response.read()  # the server did all its work and answered...
            response.close()
            self.lose[key] -= 1
            self.lost.append(f"{request.method} {request.url.path}")
            raise httpx.ReadError("connection reset before the answer arrived", request=request)  # ...in vain
        return response

    def close(self) -> None:
        self.inner.close()


def test_the_same_push_twice_is_stored_once_and_answered_alike(ctx, live):
    boss = person(ctx, "boss", "supervisor")
    photo = stored_photo(ctx, boss, 1)
    first_report = reported(photo=photo)
    batch = [wire(first_report),
             wire(event(first_report.item_id, "assigned", 1, **ASSIGN)),
             wire(event(first_report.item_id, "dismissed", 1, reason="重复"))]  # stale after the assignment
    with ApiClient(live.url) as api:
        api.login("boss", PASSWORD, "dev-1")
        first = api.push(PushRequest(device_id="dev-1", events=batch)).results
        second = api.push(PushRequest(device_id="dev-1", events=batch)).results
    assert [r.status for r in first] == ["accepted", "accepted", "rejected"]
    assert [r.status for r in second] == ["duplicate", "duplicate", "rejected"]
    assert [r.seq for r in second] == [r.seq for r in first]
    assert first[2].reason == second[2].reason and first[2].reason.code == "item.stale"
    assert sorted(server_event_ids(ctx)) == sorted(e["id"] for e in batch[:2])


def test_a_push_whose_answer_was_lost_is_resent_without_duplicates(ctx, live, phones):
    person(ctx, "boss", "supervisor")
    phone = phones(live.url)
    ws = phone.login("boss", PASSWORD)
    item = ws.record("reported", None, 0, report_payload(photo_of(ws, 1)))
    ws.record("assigned", item.id, item.version, ASSIGN)
    ws.record("commented", item.id, 0, {"text": "请尽快"})
    entries = phone.store.pending()

    # The push reaches the server; its answer never reaches the phone (we drop it).
    with ApiClient(live.url, token=phone.store.get("token")) as api:
        for sha in {s for e in entries for s in (e.payload.get("photos") or ())}:
            api.put_photo(sha, phone.store.original(sha))
        dropped = api.push(PushRequest(device_id=phone.store.device_id(), events=[envelope(e) for e in entries]))
    assert [r.status for r in dropped.results] == ["accepted"] * 3
    assert len(phone.store.pending()) == 3  # the phone knows nothing of it

    report = phone.sync_once()
    assert report.ok and (report.pushed, report.rejected, report.waiting) == (3, 0, 0)
    assert server_event_count(ctx) == 3
    assert sorted(server_event_ids(ctx)) == sorted(e.id for e in entries)
    assert_matches_server(ctx, phone)


def test_lost_answers_inside_a_round_are_retried_without_duplicates(ctx, live, phones):
    person(ctx, "boss", "supervisor")
    transport = LoseAnswers({("POST", "/api/sync/push"): 2, ("PUT", "/api/photos"): 1})
    phone = phones(live.url, transport=transport, batch=2)
    ws = phone.login("boss", PASSWORD)
    ids = []
    for n in range(5):
        ids.append(ws.record_event("reported", None, 0, report_payload(photo_of(ws, 10 + n))).event_id)

    report = phone.sync_once()
    assert len(transport.lost) == 3, transport.lost
    assert report.ok, report
    assert (report.pushed, report.waiting) == (5, 0)
    assert sorted(server_event_ids(ctx)) == sorted(ids)
    assert_matches_server(ctx, phone)


def test_a_round_run_twice_changes_nothing(ctx, live, phones):
    person(ctx, "boss", "supervisor")
    phone = phones(live.url)
    ws = phone.login("boss", PASSWORD)
    item = ws.record("reported", None, 0, report_payload(photo_of(ws, 1)))
    ws.record("assigned", item.id, item.version, ASSIGN)
    assert phone.sync_once().ok
    before = _snapshot(phone.store.engine)
    again = phone.sync_once()
    assert again.ok and (again.pushed, again.pulled, again.waiting) == (0, 0, 0)
    assert _snapshot(phone.store.engine) == before
    assert server_event_count(ctx) == 2


def test_a_round_cut_between_push_and_pull_ends_exact(ctx, live, phones):
    person(ctx, "boss", "supervisor")
    transport = LoseAnswers({("GET", "/api/sync/pull"): 99})  # pulls never arrive
    phone = phones(live.url, transport=transport)
    ws = phone.login("boss", PASSWORD)
    item = ws.record("reported", None, 0, report_payload(photo_of(ws, 1)))
    ws.record("commented", item.id, 0, {"text": "补充说明"})

    cut = phone.sync_once()
    assert cut.pushed == 2 and cut.error is not None and cut.waiting == 0
    # Accepted, not yet pulled: the phone shows the change as confirmed, but without the server's number.
    local = ws.item(item.id)
    assert [(e.kind, e.pending) for e in local.timeline] == [("reported", False), ("commented", False)]
    assert phone.store.cursor() == 0

    transport.lose.clear()
    done = phone.sync_once()
    assert done.ok and done.pushed == 0
    assert ws.item(item.id).item.number is not None
    assert_matches_server(ctx, phone)
