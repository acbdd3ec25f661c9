"""The HTTP client against the real server: each route, and each kind of failure as its typed error."""

import socket

import pytest

from inspector.errors import (
    InvalidCredentials,
    ItemNotFound,
    NotAuthenticated,
    PhotoHashMismatch,
    ServerUnreachable,
    TokenExpired,
)
from inspector.sync.client import ApiClient
from inspector.sync.wire import PushRequest
from tests.factories import jpeg, person, reported, sha, wire
from tests.sync.conftest import PASSWORD


def test_routes_round_trip(ctx, live):
    person(ctx, "boss", "supervisor")
    with ApiClient(live.url, lang="en") as api:
        assert api.health()
        token = api.login("boss", PASSWORD, "dev-1")
        assert token.user.role == "supervisor" and api.token == token.access_token
        assert {o.code for o in api.catalogue().offices} >= {"construction", "landscaping"}
        assert api.sites() == []
        data = jpeg(1)
        assert not api.has_photo(sha(data))
        facts = api.put_photo(sha(data), data)
        assert facts.sha256 == sha(data) and api.put_photo(sha(data), data) == facts
        assert api.has_photo(sha(data))
        first = reported(photo=sha(data))
        [result] = api.push(PushRequest(device_id="dev-1", events=[wire(first)])).results
        assert result.status == "accepted"
        page = api.pull(0, 10)
        assert [e.id for e in page.events] == [first.id] and not page.has_more
        assert api.item(first.item_id).events[0].number
        assert api.photo(sha(data), "original") == data
        with pytest.raises(ItemNotFound):
            api.item(reported().item_id)
        with pytest.raises(PhotoHashMismatch):
            api.put_photo("0" * 64, data)
        api.logout()
        assert api.token is None


def test_auth_failures(ctx, clock, live):
    person(ctx, "boss", "supervisor")
    with ApiClient(live.url) as api:
        with pytest.raises(InvalidCredentials):
            api.login("boss", "wrong-password")
        with pytest.raises(NotAuthenticated):
            api.sites()
        api.login("boss", PASSWORD)
        clock.advance(days=31)
        with pytest.raises(TokenExpired):
            api.pull(0)
        with pytest.raises(TokenExpired):  # HEAD has no body: the client asks why
            api.has_photo("0" * 64)


def test_no_server_and_a_silent_server_are_unreachable():
    with ApiClient("http://127.0.0.1:9") as api, pytest.raises(ServerUnreachable):
        api.pull(0)
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        with ApiClient(f"http://127.0.0.1:{port}", token="t", timeout=0.3) as api:
            with pytest.raises(ServerUnreachable):
                api.pull(0)
            assert not api.health()
