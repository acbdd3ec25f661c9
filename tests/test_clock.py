"""INSPECTOR_CLOCK_START: a development and test clock that starts at a given instant and runs on."""

import time
from datetime import datetime, timedelta

import httpx
import pytest
from pydantic import ValidationError

from inspector.services.context import bootstrap, running_clock, utc_now
from inspector.settings import Settings

START = "2026-12-31T23:59:30+08:00"


def test_the_clock_starts_at_the_setting_and_runs_on(tmp_path, monkeypatch, database_url):
    monkeypatch.setenv("INSPECTOR_CLOCK_START", START)
    ctx = bootstrap(Settings(data_dir=tmp_path / "data", database_url=database_url))
    try:
        first = ctx.now()
        assert first.tzinfo is not None
        assert timedelta(0) <= first - datetime.fromisoformat(START) < timedelta(seconds=30)
        deadline = time.monotonic() + 5
        while ctx.now() == first:  # it runs on with real time
            assert time.monotonic() < deadline
        assert ctx.now() > first
    finally:
        ctx.engine.dispose()


def test_without_the_setting_the_wall_clock_reads_the_time(tmp_path, database_url):
    ctx = bootstrap(Settings(data_dir=tmp_path / "data", database_url=database_url))
    try:
        assert ctx.clock is utc_now
    finally:
        ctx.engine.dispose()


def test_running_clock_never_steps_back():
    clock = running_clock(datetime.fromisoformat(START))
    readings = [clock() for _ in range(1000)]
    assert readings == sorted(readings) and readings[0].utcoffset() == timedelta(0)


@pytest.mark.parametrize("environment", ["production", "staging"])
def test_the_setting_is_refused_outside_development(environment):
    with pytest.raises(ValidationError, match="INSPECTOR_CLOCK_START"):
        Settings(environment=environment, secret_key="s" * 40, clock_start=START)


def test_a_time_without_an_offset_is_refused():
    with pytest.raises(ValidationError, match="UTC offset"):
        Settings(clock_start="2026-12-01T09:30:00")


def test_serve_on_port_zero_names_the_port_it_bound_and_uses_the_clock(server_process):
    """``inspector serve --port 0`` (what ServerProcess starts): the port is the one named on the first line,
    and the demo data stands on the driven date."""
    start = datetime.fromisoformat(START)
    server = server_process(extra=("--demo",), clock_start=start).start(timeout=120)
    log = (server.data_dir.parent / f"server-{server.port}.log").read_text()
    assert f"Inspector 创卫巡查: http://127.0.0.1:{server.port}/" in log
    token = httpx.post(server.url + "/api/auth/token", json={"username": "dudao", "password": "cw-demo-2026"}).json()
    items = httpx.get(server.url + "/api/items", params={"page_size": 200},
                      headers={"Authorization": f"Bearer {token['access_token']}"}).json()["items"]
    reported = [datetime.fromisoformat(i["reported_at"]) for i in items]
    assert reported and all(start - timedelta(days=30) < r <= start + timedelta(minutes=5) for r in reported)
