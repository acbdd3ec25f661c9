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

    def __init__(self, data: Path, database_url: str, root: Path = ROOT):
        """``root``: the project tree whose ``inspector`` package serves (another checkout: a baseline)."""
        env = dict(os.environ, DATABASE_URL=database_url, PYTHONUNBUFFERED="1")
        # --port 0: the child binds a free port and names it, so no other process can take it in between.
        self.log = data.parent / f"{data.name}-server.log"
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "inspector", "serve", "--data", str(data), "--port", "0", "--no-ui",
                 "--log-level", "warning"], env=env, cwd=root, stdout=out, stderr=subprocess.STDOUT)
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


# --- load.py's helpers: field photos, events, logins, a server's memory ---------------------------

def field_photo(width: int = 2048, height: int = 1536) -> bytes:
    """A phone-sized JPEG (3 MP, a few hundred KB): a gradient with grain, so it compresses like a photo."""
    import io

    from PIL import Image, ImageChops

    gradient = Image.linear_gradient("L").resize((width, height))
    grain = Image.effect_noise((width, height), 24)
    picture = Image.merge("RGB", (gradient, ImageChops.add(gradient, grain, 2, 0), grain))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=85)
    return out.getvalue()


def unique_photo(base: bytes, tag: str) -> tuple[bytes, str]:
    """``base`` with a JPEG comment segment naming ``tag`` after its start marker: new bytes and a new
    hash for every upload (the server ingests each as a new photo) at no cost to the client."""
    import hashlib

    text = tag.encode()
    data = base[:2] + b"\xff\xfe" + (len(text) + 2).to_bytes(2, "big") + text + base[2:]
    return data, hashlib.sha256(data).hexdigest()


def reported_event(sha: str, n: int = 0) -> dict:
    """A new item's ``reported`` event with one photo, as a field client pushes it."""
    import uuid
    from datetime import datetime, timezone

    return {"id": str(uuid.uuid4()), "item_id": str(uuid.uuid4()), "kind": "reported",
            "at": datetime(2026, 7, 15, 9, 0, tzinfo=timezone.utc).isoformat(), "base_version": 0,
            "payload": {"category": "site_sewage",
                        "location": {"lat": 30.27 + (n % 1000) * 1e-5, "lon": 120.15, "accuracy_m": 8,
                                     "source": "gps"},
                        "severity": "normal", "check_type": "supervisor", "description": f"基准 {n}",
                        "photos": [sha]}}


def bearer(url: str, username: str, password: str) -> dict:
    """The Authorization header of a fresh login."""
    response = httpx.post(url + "/api/auth/token", json={"username": username, "password": password}, timeout=120)
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def memory_mb(pid: int) -> tuple[float, float]:
    """A process's resident memory now and at its peak, in MB (Linux /proc; psutil elsewhere, peak = now)."""
    status = Path(f"/proc/{pid}/status")
    if status.exists():
        fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024
    try:
        import psutil  # lazy: optional, only where /proc is missing
    except ImportError:
        return float("nan"), float("nan")
    rss = psutil.Process(pid).memory_info().rss / 2**20
    return rss, rss


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far (Linux /proc; NaN elsewhere): a figure a
    busy machine does not distort the way it distorts wall-clock ones."""
    stat = Path(f"/proc/{pid}/stat")
    if not stat.exists():
        return float("nan")
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
