"""A crowd of logins or photo uploads waits at its own gate (``inspector.server.threads``), holding no
thread: a push from a client already at work is answered while they wait.

The slow part (the hash, the photo's decoding) is held on an event by the test, so the crowd is
really in the server, and really waiting, when the push is sent; nothing here depends on timing.
Before the gates, the crowd took all 40 of the shared threads and the push waited behind it.
"""

import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from inspector.server.app import create_app
from inspector.server.threads import PHOTO_THREADS
from inspector.services import auth, photos

from tests.conftest import LiveServer
from tests.factories import jpeg, login, person, push, reported, sha, stored_photo

CROWD = 45  # more than the 40 threads FastAPI's plain routes share


class Held:
    """Wraps a service function: counts callers inside, holds them until ``release``."""

    def __init__(self, fn):
        self.fn, self.inside, self.most = fn, 0, 0
        self.changed = threading.Condition()
        self.release = threading.Event()

    def __call__(self, *args, **kwargs):
        with self.changed:
            self.inside += 1
            self.most = max(self.most, self.inside)
            self.changed.notify_all()
        try:
            assert self.release.wait(timeout=120), "the test never released the crowd"
            return self.fn(*args, **kwargs)
        finally:
            with self.changed:
                self.inside -= 1
                self.changed.notify_all()


class Arrivals:
    """An ASGI wrapper counting the requests whose path starts with ``prefix`` as they arrive."""

    def __init__(self, app, prefix: str, changed: threading.Condition):
        self.app, self.prefix, self.changed, self.count = app, prefix, changed, 0

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["path"].startswith(self.prefix):
            with self.changed:
                self.count += 1
                self.changed.notify_all()
        await self.app(scope, receive, send)


@pytest.fixture
def gated(ctx):
    """A live server whose arrivals at a path are counted: ``gated(prefix, held)`` -> (url, arrivals)."""
    servers = []

    def start(prefix: str, held: Held):
        arrivals = Arrivals(create_app(ctx, with_ui=False), prefix, held.changed)
        servers.append(LiveServer(arrivals).start())
        return servers[-1].url, arrivals

    yield start
    for server in servers:
        server.stop()


def crowd_then_push(url: str, held: Held, arrivals: Arrivals, gate: int, requests, headers: dict, photo: str):
    """Send the crowd, wait until all of it arrived and ``gate`` of it is held inside, push, release.
    Without the gate the push times out: the crowd holds every shared thread."""
    with ThreadPoolExecutor(CROWD) as pool:
        answers = [pool.submit(request) for request in requests]
        try:
            with held.changed:
                assert held.changed.wait_for(lambda: arrivals.count == CROWD and held.inside >= gate, timeout=60), (
                    arrivals.count, held.inside)
            with httpx.Client(base_url=url, timeout=20) as http:
                results = push(http, headers, reported(photo=photo))
            assert results[0]["status"] == "accepted"
            assert held.most <= gate, f"{held.most} of the crowd held threads at once"
        finally:
            held.release.set()
        return [answer.result().status_code for answer in answers]


def test_a_rush_of_logins_leaves_threads_for_a_push(gated, ctx, monkeypatch):
    steady = person(ctx, "steady", "inspector")
    photo = stored_photo(ctx, steady, seed=3)
    for n in range(CROWD):
        person(ctx, f"rush{n}", "inspector")
    held = Held(auth.login)
    url, arrivals = gated("/api/auth/token", held)
    with httpx.Client(base_url=url, timeout=30) as http:
        headers = login(http, "steady")  # already logged in when the rush comes
    with held.changed:  # that login came through the same door: only the crowd is counted
        arrivals.count = 0
    monkeypatch.setattr(auth, "login", held)

    def arrive(n: int):
        return lambda: httpx.post(f"{url}/api/auth/token", timeout=120,
                                  json={"username": f"rush{n}", "password": "secret-pw-123"})

    codes = crowd_then_push(url, held, arrivals, auth.HASH_SLOTS.size, [arrive(n) for n in range(CROWD)],
                            headers, photo)
    assert codes == [200] * CROWD


def test_a_crowd_of_photo_uploads_leaves_threads_for_a_push(gated, ctx, monkeypatch):
    steady = person(ctx, "steady", "inspector")
    photo = stored_photo(ctx, steady, seed=3)
    held = Held(photos.put_photo)
    url, arrivals = gated("/api/photos/", held)
    with httpx.Client(base_url=url, timeout=30) as http:
        headers = login(http, "steady")
    monkeypatch.setattr(photos, "put_photo", held)

    def upload(n: int):
        data = jpeg(100 + n, size=(64, 48))
        return lambda: httpx.put(f"{url}/api/photos/{sha(data)}", content=data, headers=headers, timeout=120)

    codes = crowd_then_push(url, held, arrivals, PHOTO_THREADS, [upload(n) for n in range(CROWD)], headers, photo)
    assert codes == [201] * CROWD


def test_hash_slots_follow_the_cores_and_the_memory():
    mib, gib = 1024**2, 1024**3
    assert auth._slot_count(2, 24 * gib, 64 * mib) == 1  # these machines: half of 2 cores
    assert auth._slot_count(16, 64 * gib, 64 * mib) == 4  # never more than four
    assert auth._slot_count(16, 2 * gib, 64 * mib) == 2  # a sixteenth of 2 GB holds two hashes
    assert auth._slot_count(1, 512 * mib, 64 * mib) == 1  # always at least one


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice is Linux's")
def test_hashes_run_on_threads_that_yield_the_cpu():
    seen = auth._HASHING.submit(lambda: os.getpriority(os.PRIO_PROCESS, threading.get_native_id())).result()
    assert seen == auth.HASH_NICE
    assert auth._check(auth._hash("a-long-password-1"), "a-long-password-1")
