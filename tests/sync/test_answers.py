"""A server answer that is not what its route promises becomes a typed error, never a KeyError."""

import httpx
import pytest

from inspector.errors import ServerAnswerUnreadable
from inspector.store.field import state as keys
from inspector.sync.client import ApiClient
from inspector.sync.engine import SyncEngine
from inspector.sync.local import LocalStore
from inspector.sync.wire import PushRequest
from tests.sync.conftest import FAST

CAPTIVE_PORTAL = b"<html><body>Log in to the hotel wifi</body></html>"


def _answers(request: httpx.Request) -> httpx.Response:
    """A server (or something in the way) that answers 200 with the wrong body."""
    if request.url.path == "/api/sync/pull":
        return httpx.Response(200, json={"events": [{"id": "e1"}], "next_after": 1, "has_more": False})
    if request.url.path == "/api/sync/push":
        return httpx.Response(200, json={"results": "all fine"})
    if request.url.path in ("/api/campaign", "/api/catalog", "/api/notifications"):
        return httpx.Response(200, json={"unexpected": True})  # JSON, an object, but not the route's shape
    if request.url.path == "/api/look-backs":
        return httpx.Response(200, json=[{"id": "i1"}])
    return httpx.Response(200, content=CAPTIVE_PORTAL)


def test_each_route_reads_its_answer_into_its_wire_model_or_says_it_cannot():
    with ApiClient("http://server", token="t", transport=httpx.MockTransport(_answers)) as api:
        calls = [lambda: api.pull(0), api.sites, api.me, api.campaign, api.catalogue, api.notifications,
                 api.look_backs, api.delegations,
                 lambda: api.push(PushRequest(device_id="dev-1", events=[])), lambda: api.item("i1")]
        for call in calls:
            with pytest.raises(ServerAnswerUnreadable) as caught:
                call()
            assert caught.value.code == "sync.bad_answer"


def test_a_round_meeting_an_unreadable_answer_stops_with_it_and_says_so(tmp_path):
    store = LocalStore(tmp_path / "phone")
    try:
        store.set(**{keys.TOKEN: "t"})
        with ApiClient("http://server", token="t", lang="en", transport=httpx.MockTransport(_answers)) as api:
            report = SyncEngine(store, api, backoff=FAST).run_round()
        assert isinstance(report.error, ServerAnswerUnreadable)
        assert store.get(keys.LAST_ERROR_CODE) == "sync.bad_answer"
        assert store.get(keys.LAST_ERROR) == "The server's answer could not be read; will retry later"
        assert store.cursor() == 0  # nothing half-read was kept
    finally:
        store.close()
