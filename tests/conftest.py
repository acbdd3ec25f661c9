"""Fixtures shared by every layer's tests: a real database, a context, a live HTTP server.

The database is a SQLite file under the test's tmp_path, or, when
``INSPECTOR_TEST_DATABASE_URL`` names a PostgreSQL server, a database of its
own made for the test and dropped after it. Servers started here are stopped
here, by their own handle or process id.
"""

import os
import re
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
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


@contextmanager
def fresh_database(tmp_path: Path, name: str = "inspector"):
    """The URL of an empty database: a SQLite file under ``tmp_path``, or a PostgreSQL database of its own."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path / f'{name}.db'}"
        return
    db = f"insp_{uuid.uuid4().hex[:16]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{db}"'))
    url = PG_URL.rsplit("/", 1)[0] + f"/{db}"
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def database_url(tmp_path):
    with fresh_database(tmp_path) as url:
        yield url


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


ANNOUNCED_PORT = re.compile(rb"Inspector .*?https?://[^\s/]+:(\d+)/")


def until(condition, timeout: float = 60) -> bool:
    """Whether ``condition()`` came true within ``timeout`` seconds, checked every few milliseconds: a
    deadline for a loaded machine, never a fixed wait."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def wait_for_port(process: subprocess.Popen, log: Path, deadline: float, what: str) -> int:
    """The port a child started with ``--port 0`` names on its first line (it bound it before saying so)."""
    while time.monotonic() < deadline:
        found = ANNOUNCED_PORT.search(log.read_bytes()) if log.exists() else None
        if found:
            return int(found.group(1))
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}: {log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not name its port in time")


def running_start(start: datetime | None, first_launch: float | None) -> str | None:
    """``INSPECTOR_CLOCK_START`` for a (re)launch: ``start`` moved on by the time since the first launch,
    so a restarted child's clock carries on instead of stepping back."""
    if start is None:
        return None
    elapsed = 0.0 if first_launch is None else time.monotonic() - first_launch
    return (start + timedelta(seconds=elapsed)).isoformat()


class ServerProcess:
    """``inspector serve`` as a child process, so a test can SIGKILL and restart it.

    The first start binds port 0 and reads the port the child announces (no free-port guess
    that another process could take in between); a restart binds that same port again, as a
    phone that knows the server's address needs. ``clock_start`` drives the child's clock
    (``INSPECTOR_CLOCK_START``); ``now()`` is the test's reading of it.
    """

    def __init__(self, data_dir: Path, database_url: str, port: int | None = None, ui: bool = False,
                 extra: tuple[str, ...] = (), clock_start: datetime | None = None):
        self.data_dir, self.database_url = data_dir, database_url
        self.port = port
        self.ui, self.extra = ui, extra
        self.clock_start, self.first_launch = clock_start, None
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        assert self.port, "the server has not started yet"
        return f"http://127.0.0.1:{self.port}"

    def now(self) -> datetime:
        """The child's clock (within the start-up time): the driven one, or the wall clock."""
        if self.clock_start is None:
            return datetime.now(timezone.utc)
        return datetime.fromisoformat(running_start(self.clock_start, self.first_launch)).astimezone(timezone.utc)

    def start(self, timeout: float = 60) -> "ServerProcess":
        deadline = time.monotonic() + timeout
        # The smallest copies of the web client take a minute of CPU per data folder: tests that start
        # servers keep the quick ones (tests/server/test_static.py checks both).
        env = dict(os.environ, DATABASE_URL=self.database_url, PYTHONUNBUFFERED="1",
                   INSPECTOR_STATIC_BEST_COMPRESSION="false")
        env.pop("INSPECTOR_CLOCK_START", None)
        if self.clock_start is not None:
            env["INSPECTOR_CLOCK_START"] = running_start(self.clock_start, self.first_launch)
        if self.first_launch is None:
            self.first_launch = time.monotonic()
        args = [sys.executable, "-m", "inspector", "serve", "--data", str(self.data_dir), "--port", str(self.port or 0),
                "--log-level", "warning", *self.extra]
        if not self.ui:
            args.append("--no-ui")
        path = self.data_dir.parent / (f"server-{self.port}.log" if self.port else f"server-{uuid.uuid4().hex}.log")
        self.log = open(path, "ab")
        self.process = subprocess.Popen(args, env=env, stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT)
        if not self.port:
            self.port = wait_for_port(self.process, path, deadline, "server")
            path.rename(self.data_dir.parent / f"server-{self.port}.log")  # the child writes on into it
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
