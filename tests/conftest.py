"""Fixtures shared by every layer's tests: a real database, a context, a live HTTP server.

The database is a SQLite file under the test's tmp_path, or, when
``INSPECTOR_TEST_DATABASE_URL`` names a PostgreSQL server, a database of its
own made for the test and dropped after it. Servers started here are stopped
here, by their own handle or process id.
"""

import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy import create_engine, text

from inspector.services.context import bootstrap
from inspector.settings import Settings

PG_URL = os.environ.get("INSPECTOR_TEST_DATABASE_URL")
ROOT = Path(__file__).resolve().parents[1]


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime):
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta) -> datetime:
        self.current += timedelta(**delta)
        return self.current


@pytest.fixture(autouse=True)
def cheap_passwords(request, monkeypatch):
    """Hash at argon2id's lowest cost: tests make and log in many people. A test marked
    ``real_password_cost`` keeps the production cost (tests/server/test_api.py checks it)."""
    if request.node.get_closest_marker("real_password_cost") is None:
        from argon2 import PasswordHasher

        from inspector.services import auth

        monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def database_url(tmp_path):
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'inspector.db'}"
        return
    name = f"insp_{uuid.uuid4().hex[:16]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def settings(tmp_path, database_url) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=database_url)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 7, 15, 1, 30, tzinfo=timezone.utc))


@pytest.fixture
def ctx(settings, clock):
    context = bootstrap(settings, clock=clock)
    yield context
    context.engine.dispose()


class LiveServer:
    """A uvicorn server on a free loopback port, in a thread of this process."""

    def __init__(self, app):
        self.config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(self.config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> "LiveServer":
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("server did not start")
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def live(ctx):
    """The API of ``ctx`` served over real HTTP on loopback."""
    from inspector.server.app import create_app

    server = LiveServer(create_app(ctx, with_ui=False)).start()
    yield server
    server.stop()


@pytest.fixture
def http(live):
    with httpx.Client(base_url=live.url, timeout=30) as client:
        yield client


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """``inspector serve`` as a child process, so a test can SIGKILL and restart it."""

    def __init__(self, data_dir: Path, database_url: str, port: int | None = None, ui: bool = False,
                 extra: tuple[str, ...] = ()):
        self.data_dir, self.database_url = data_dir, database_url
        self.port = port or free_port()
        self.ui, self.extra = ui, extra
        self.process: subprocess.Popen | None = None
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> "ServerProcess":
        env = dict(os.environ, DATABASE_URL=self.database_url, PYTHONUNBUFFERED="1")
        args = [sys.executable, "-m", "inspector", "serve", "--data", str(self.data_dir), "--port", str(self.port),
                "--log-level", "warning", *self.extra]
        if not self.ui:
            args.append("--no-ui")
        self.log = open(self.data_dir.parent / f"server-{self.port}.log", "ab")
        self.process = subprocess.Popen(args, env=env, stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}")
            try:
                if httpx.get(self.url + "/api/health", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("server did not answer in time")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        if getattr(self, "log", None):
            self.log.close()

    stop = kill


@pytest.fixture
def server_process(tmp_path, database_url):
    """A factory of server processes; every one it made is killed at the end."""
    made: list[ServerProcess] = []

    def make(**kwargs) -> ServerProcess:
        data = tmp_path / "server-data"
        data.mkdir(exist_ok=True)
        proc = ServerProcess(data, database_url, **kwargs)
        made.append(proc)
        return proc

    yield make
    for proc in made:
        proc.kill()
