"""The pure parts of sync, with plain values: backoff, answers to a push, photos, backfill, projection."""

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import httpx
import pytest

from inspector.domain.events import Event, frozen_payload
from inspector.errors import (
    InspectorError,
    InvalidRequest,
    NotAuthenticated,
    ServerFault,
    StaleVersion,
    TokenExpired,
)
from inspector.store.field.outbox import OutboxPublic
from inspector.store.field.projection import project_local
from inspector.sync.client import error_of
from inspector.sync.engine import Backoff, broken_timelines, decide, hold_back, photos_to_send
from inspector.sync.local import Confirm, Refuse, Retry, plain_json
from inspector.sync.wire import PushResult

T0 = datetime(2026, 7, 15, 1, 0, tzinfo=timezone.utc)
A, B = "a" * 64, "b" * 64
REPORT = {"category": "site_sewage", "location": {"lat": 30.27, "lon": 120.15}, "photos": [A]}


def entry(n: int, **payload) -> OutboxPublic:
    return OutboxPublic(position=n, id=f"e{n}", item_id="i1", kind="commented", at=T0, base_version=0,
                       payload=payload)


def ev(n, kind, base_version, seq=None, **payload) -> Event:
    return Event(id=f"e{n}", item_id="i1", kind=kind, actor_id="u1", at=T0 + timedelta(minutes=n),
                 base_version=base_version, payload=frozen_payload(payload), seq=seq,
                 server_at=T0 + timedelta(minutes=n) if seq else None)


def test_backoff_grows_by_its_factor_up_to_the_cap_with_bounded_jitter():
    b = Backoff(base_s=0.5, factor=2, cap_s=3, max_tries=6)
    ceilings = []
    while not b.exhausted:
        ceilings.append(b.ceiling())
        for u in (0.0, 0.3, 0.999):
            assert b.ceiling() / 2 <= b.delay(u) <= b.ceiling()
        b = b.next()
    assert ceilings == [0.5, 1, 2, 3, 3, 3]
    assert b.tries == 6 and Backoff().tries == 0  # a value: next() makes a new one
    assert Backoff().delay(0.5) == Backoff().delay(0.5)  # pure: same draw, same delay


def test_answers_to_a_push_settle_entries_by_id():
    sent = [entry(1), entry(2), entry(3), entry(4), entry(5)]
    results = [PushResult.model_validate(r) for r in [  # not in the order sent, and one answer missing
        {"id": "e2", "status": "duplicate", "seq": 7},
        {"id": "e1", "status": "accepted", "seq": 9},
        {"id": "e3", "status": "rejected", "reason": {"code": "item.stale", "message": "已被他人更新"}},
        {"id": "e4", "status": "rejected", "reason": {"code": "photo.missing", "message": "照片尚未上传"}},
    ]]
    assert decide(sent, results) == [
        Confirm("e1", 9),
        Confirm("e2", 7),
        Refuse("e3", "item.stale", "已被他人更新"),
        Retry("e4", "photo.missing", "照片尚未上传"),  # the photo can still come: try again later
        Retry("e5", "sync.no_answer", ""),
    ]


def test_photos_to_send_each_once_in_outbox_order():
    assert photos_to_send([entry(1, photos=[B, A]), entry(2, text="x"), entry(3, photos=[A])]) == [B, A]


def test_an_event_waits_when_its_photo_cannot_go_up_and_so_do_later_ones_of_its_item():
    def e(n, item, *photos):
        return OutboxPublic(position=n, id=f"e{n}", item_id=item, kind="commented", at=T0, base_version=0,
                           payload={"photos": list(photos)} if photos else {})

    batch = [e(1, "i1", A), e(2, "i2", A, B), e(3, "i2"), e(4, "i3"), e(5, "i1"), e(6, "i4")]
    held_items = {"i4"}  # held in an earlier batch of the round
    send, held = hold_back(batch, missing_photos={B}, held_items=held_items)
    assert [x.id for x in send] == ["e1", "e4", "e5"]
    assert [x.id for x in held] == ["e2", "e3", "e6"]
    assert held_items == {"i2", "i4"}


def test_timelines_with_missing_events_are_found():
    assign = {"office": "construction", "leader": "陈", "deadline": "2026-07-18"}
    whole = [ev(1, "reported", 0, seq=1, **REPORT), ev(2, "assigned", 1, seq=4, **assign),
             ev(3, "commented", 0, seq=6, text="x"), ev(4, "acknowledged", 2, seq=9)]
    timelines = {
        "complete": whole,
        "no_start": whole[1:],  # became visible later
        "hole": [whole[0], whole[3]],  # out of sight for a while
        "merging_only": [whole[0], whole[2]],  # comments need no version: nothing missing that matters
    }
    assert broken_timelines(timelines) == ["no_start", "hole"]


def test_local_projection_skips_pending_changes_that_no_longer_apply():
    confirmed = [ev(1, "reported", 0, seq=1, **REPORT),
                 ev(2, "assigned", 1, seq=2, office="construction", leader="陈", deadline="2026-07-18")]
    pending = [ev(3, "dismissed", 1, reason="重复"),  # made from version 1: the assignment moved on
               ev(4, "commented", 0, text="请尽快"),
               ev(5, "acknowledged", 2)]
    state, skipped = project_local(confirmed, pending)
    assert skipped == ("e3",)
    assert (state.status, state.version, state.comment_count) == ("rectifying", 3, 1)
    # A gap in the confirmed timeline (start not fetched yet) gives no state rather than a wrong one.
    assert project_local(confirmed[1:], [])[0] is None


def test_payloads_travel_as_plain_json():
    assert plain_json({"until": date(2026, 7, 20), "photos": (A,), "at": T0}) == \
           {"until": "2026-07-20", "photos": [A], "at": "2026-07-15T01:00:00+00:00"}


def _response(status, body=None, content=None):
    request = httpx.Request("GET", "http://server/api/x")
    if body is not None:
        return httpx.Response(status, json=body, request=request)
    return httpx.Response(status, content=content or b"", request=request)


def _err(code, details=None):
    return {"error": {"code": code, "message": "words", "details": details or {}}}


@pytest.mark.parametrize("response, kind, code", [
    (_response(401, _err("auth.token_expired")), TokenExpired, "auth.token_expired"),
    (_response(401, _err("auth.unauthenticated")), NotAuthenticated, "auth.unauthenticated"),
    (_response(401), NotAuthenticated, "auth.unauthenticated"),
    (_response(500, _err("server.fault")), ServerFault, "sync.server_error"),
    (_response(502, content=b"<html>Bad Gateway</html>"), ServerFault, "sync.server_error"),
    (_response(409, _err("item.stale", {"status": "verified", "version": "5"})), StaleVersion, "item.stale"),
    (_response(422, _err("request.invalid", {"problems": []})), InvalidRequest, "request.invalid"),
    (_response(418, _err("teapot.unknown")), InspectorError, "inspector.error"),
])
def test_http_failures_become_typed_errors(response, kind, code):
    error = error_of(response)
    assert type(error) is kind and error.code == code
    assert error.http_status == response.status_code


def test_the_server_words_and_details_are_kept():
    error = error_of(_response(409, _err("item.stale", {"status": "verified"})))
    assert error.details == {"status": "verified"} and error.server_message == "words"


def test_replace_keeps_backoff_frozen():
    with pytest.raises(Exception):
        Backoff().tries = 3  # type: ignore[misc]
    assert replace(Backoff(), tries=2).ceiling() == 2.0
