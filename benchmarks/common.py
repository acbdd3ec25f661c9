"""Shared set-up for the benchmarks: a data folder, a server process, timing helpers."""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import wait_for_port  # noqa: E402


def data_dir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"inspector-bench-{prefix}-"))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def summary(values: list[float]) -> str:
    return (f"p50 {percentile(values, 50):7.1f} ms   p95 {percentile(values, 95):7.1f} ms   "
            f"mean {statistics.fmean(values):7.1f} ms")


class Server:
    """``inspector serve --no-ui`` over a prepared data folder, stopped by its own pid."""

    def __init__(self, data: Path, database_url: str):
        env = dict(os.environ, DATABASE_URL=database_url, PYTHONUNBUFFERED="1")
        # --port 0: the child binds a free port and names it, so no other process can take it in between.
        self.log = data.parent / f"{data.name}-server.log"
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "inspector", "serve", "--data", str(data), "--port", "0", "--no-ui",
                 "--log-level", "warning"], env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        try:
            self.port = wait_for_port(self.process, self.log, deadline, "server")
        except RuntimeError:
            self.stop()
            raise
        self.url = f"http://127.0.0.1:{self.port}"
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/api/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def postgres_url(name: str) -> str | None:
    """A fresh PostgreSQL database for a benchmark, when a server answers (else None)."""
    base = os.environ.get("INSPECTOR_BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    from sqlalchemy import create_engine, text

    try:
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # no server: the benchmark runs on SQLite only
        print(f"(PostgreSQL not reachable: {type(error).__name__})")
        return None
    return base.rsplit("/", 1)[0] + f"/{name}"
