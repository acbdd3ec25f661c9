"""Schemathesis over the OpenAPI schema, in process, against the real app over real HTTP.

Every operation is run with a supervisor's and an inspector's token over the demo data: the
examples, coverage (boundary values: 64-bit ends, calendar ends, wrong types) and fuzzing phases,
positive and negative data, a fixed seed, derandomized, no example database. No answer may be a
5xx, and answers must conform to the schema (status codes declared, bodies of the declared shape).
"""

import threading
from collections import Counter
from dataclasses import dataclass, field

import httpx
import pytest
import schemathesis
from schemathesis.engine import events as st_events
from schemathesis.engine import from_schema

from inspector.services import demo
from tests.conftest import LiveServer

SEED = 20261201
MAX_EXAMPLES = 6  # per operation and phase; the coverage phase adds its boundary cases on top
# Values the fuzzer mixes into parameters and bodies of their type, from what once gave 5xx:
# integers past 64 bits, the calendar's ends, LIKE wildcards, a NUL.
HOSTILE = {
    "integer": [2**63, 2**64 + 1, 10**20, -(2**63) - 1, 2**63 - 1],
    "string": ["0001-01-01", "9999-12-31", "0001-01", "9999-12", "99999999999999999999", "100%", "_", "a\x00b"],
}
# Workbooks uploaded as a whole body (the site register's and the findings' imports) are bytes to the fuzzer.
schemathesis.serializer.alias("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                              "application/octet-stream")
CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance",
          "response_schema_conformance")


@dataclass
class Tally:
    """What the server answered, counted at the server (not by the fuzzer)."""

    requests: int = 0
    statuses: Counter = field(default_factory=Counter)
    faults: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def counting(app, tally: Tally):
    """An ASGI wrapper around the app that counts every HTTP request and remembers each 5xx."""

    async def wrapped(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        where = f"{scope['method']} {scope['path']}?{scope.get('query_string', b'').decode('latin-1')}"

        async def record(message):
            if message["type"] == "http.response.start":
                with tally.lock:
                    tally.requests += 1
                    tally.statuses[message["status"]] += 1
                    if message["status"] >= 500:
                        tally.faults.append(f"{message['status']} {where}")
            await send(message)

        await app(scope, receive, record)

    return wrapped


@pytest.fixture
def demo_server(ctx):
    from inspector.server.app import create_app

    demo.fill_if_empty(ctx)
    tally = Tally()
    server = LiveServer(counting(create_app(ctx, with_ui=False), tally)).start()
    yield server, tally
    server.stop()


def token(base_url: str, username: str) -> str:
    response = httpx.post(f"{base_url}/api/auth/token", json={"username": username, "password": demo.PASSWORD})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def run_schemathesis(base_url: str, bearer: str, *, only_logout: bool) -> list[str]:
    """One bounded schemathesis run with ``bearer``; the failures it found, in words."""
    config = schemathesis.Config.from_dict({
        "seed": SEED,
        "workers": 1,
        "request-timeout": 120,  # a PDF report on a loaded 2-core machine is slow, not wrong
        "cache": {"enabled": False},
        "base-url": base_url,
        "headers": {"Authorization": f"Bearer {bearer}"},
        "dictionaries": {f"hostile-{kind}": {"values": values} for kind, values in HOSTILE.items()},
        "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none",
                       "no-shrink": True,
                       "dictionaries": {kind: {"dictionary": f"hostile-{kind}", "probability": 0.3}
                                        for kind in HOSTILE}},
        "phases": {"stateful": {"enabled": False}},
        "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
    })
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json", config=config)
    # Logging out revokes the token the run uses, so that operation goes last, on its own.
    schema = schema.include(path="/api/auth/logout") if only_logout else schema.exclude(path="/api/auth/logout")
    found = []
    for event in from_schema(schema).execute():
        if isinstance(event, st_events.ScenarioFinished):
            for case_id, checks in event.recorder.checks.items():
                for check in checks:
                    if check.failure_info is not None:
                        found.append(f"{event.recorder.label}: {check.name}: {check.failure_info.failure.title}"
                                     f" {check.failure_info.failure.message[:300]}")
        elif isinstance(event, st_events.NonFatalError):
            found.append(f"error: {event.label}: {event.info.title} {event.info.message[:300]}")
        elif isinstance(event, st_events.FatalError):
            found.append(f"fatal: {event.exception!r}")
    return found


def test_schemathesis_finds_no_server_error_with_either_token(demo_server):
    server, tally = demo_server
    tokens = {who: token(server.url, who) for who in ("dudao", "xuncha")}
    failures = []
    for who, bearer in tokens.items():
        failures += [f"{who}: {f}" for f in run_schemathesis(server.url, bearer, only_logout=False)]
    for who, bearer in tokens.items():
        failures += [f"{who}: {f}" for f in run_schemathesis(server.url, bearer, only_logout=True)]
    print(f"schemathesis: {tally.requests} requests, statuses {dict(sorted(tally.statuses.items()))}")
    assert tally.requests > 1000  # the run really ran, over every operation
    assert tally.faults == []
    assert failures == []
