"""A normal push alone and while 32 wrong logins hash in parallel, at the production argon2id cost.

    uv run python benchmarks/logins.py [--storm 32] [--waves 5] [--postgres]

Before logins hashed outside transactions, the 32 hashes held the database's
write lock one after another and a push waited for all of them (seconds for a
push that takes milliseconds). Now a push competes with them for the CPU only.
Each wave sends ``--storm`` wrong logins at once, for distinct unknown names
(each is hashed: no name reaches its throttle) from its own loopback address
(127.0.0.2, .3, ...; so no address reaches its throttle either), while one
client pushes one event at a time; it prints push latency alone, under the
storm, and their ratio.
"""

import argparse
import hashlib
import io
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

import httpx
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from common import Server, percentile  # noqa: E402
from inspector.services import auth  # noqa: E402
from inspector.services.context import bootstrap  # noqa: E402
from inspector.settings import Settings  # noqa: E402

PASSWORD = "bench-pass-2026"


def photo() -> tuple[bytes, str]:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (120, 90, 60)).save(out, "JPEG")
    return out.getvalue(), hashlib.sha256(out.getvalue()).hexdigest()


def one_event(sha: str) -> dict:
    return {"id": str(uuid.uuid4()), "item_id": str(uuid.uuid4()), "kind": "reported",
            "at": datetime(2026, 7, 15, 9, 0, tzinfo=timezone.utc).isoformat(), "base_version": 0,
            "payload": {"category": "site_sewage", "location": {"lat": 30.27, "lon": 120.15, "accuracy_m": 8,
                                                                "source": "gps"},
                        "severity": "normal", "check_type": "supervisor", "description": "基准", "photos": [sha]}}


def push_ms(http: httpx.Client, headers: dict, sha: str) -> float:
    start = time.perf_counter()
    response = http.post("/api/sync/push", json={"device_id": "bench", "events": [one_event(sha)]}, headers=headers)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200 and response.json()["results"][0]["status"] == "accepted", response.text
    return elapsed


def storm(url: str, size: int, wave: int, codes: list[int]) -> list[threading.Thread]:
    """``size`` wrong logins at once from 127.0.0.<wave + 2>, each on its own connection."""
    address = f"127.0.0.{wave + 2}"

    def guess(n: int) -> None:
        with httpx.Client(base_url=url, timeout=120, transport=httpx.HTTPTransport(local_address=address)) as c:
            codes.append(c.post("/api/auth/token", json={"username": f"nobody-{wave}-{n}",
                                                          "password": "wrong-guess-1"}).status_code)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(size)]
    for thread in threads:
        thread.start()
    return threads


def measure(database_url: str, size: int, waves: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="inspector-bench-logins-"))
    ctx = bootstrap(Settings(data_dir=folder, database_url=database_url))
    auth.add_user(ctx, "bench", PASSWORD, "inspector")
    ctx.engine.dispose()
    data, sha = photo()
    server = Server(folder, database_url)
    url = server.url
    try:
        with httpx.Client(base_url=url, timeout=120) as http:
            token = http.post("/api/auth/token", json={"username": "bench", "password": PASSWORD}).json()
            headers = {"Authorization": f"Bearer {token['access_token']}"}
            http.put(f"/api/photos/{sha}", content=data, headers=headers).raise_for_status()
            for _ in range(5):  # warm up
                push_ms(http, headers, sha)
            alone = [push_ms(http, headers, sha) for _ in range(30)]
            stormy: list[float] = []
            codes: list[int] = []
            storm_s: list[float] = []
            for wave in range(waves):
                start = time.perf_counter()
                threads = storm(url, size, wave, codes)
                while any(t.is_alive() for t in threads):
                    stormy.append(push_ms(http, headers, sha))
                for thread in threads:
                    thread.join()
                storm_s.append(time.perf_counter() - start)
    finally:
        server.stop()
    for label, values in (("push alone", alone), ("push during storm", stormy)):
        print(f"  {label:18}  p50 {percentile(values, 50):7.1f} ms   p95 {percentile(values, 95):7.1f} ms   "
              f"max {max(values):7.1f} ms   (n={len(values)})")
    base = percentile(alone, 50)
    print(f"  ratio to p50 alone  p50 {percentile(stormy, 50) / base:7.1f} x    p95 {percentile(stormy, 95) / base:7.1f} x"
          f"    max {max(stormy) / base:7.1f} x")
    print(f"  storm: {waves} waves of {size} wrong logins, {statistics.median(storm_s):.2f} s a wave; "
          f"answers {sorted(set(codes))} ({len(codes)})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--storm", type=int, default=32, help="wrong logins sent at once")
    parser.add_argument("--waves", type=int, default=5)
    parser.add_argument("--postgres", action="store_true", help="also run on PostgreSQL")
    args = parser.parse_args()
    slots = getattr(getattr(auth, "HASH_SLOTS", None), "size", "unbounded")
    print(f"hash slots: {slots}, argon2id {auth._hasher.memory_cost // 1024} MiB t={auth._hasher.time_cost}, "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("SQLite")
    measure(f"sqlite:///{Path(tempfile.mkdtemp(prefix='inspector-bench-logins-db-')) / 'bench.db'}",
            args.storm, args.waves)
    if args.postgres:
        base = os.environ.get("INSPECTOR_BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
        from sqlalchemy import create_engine, text

        name = "insp_bench_logins"
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        print("PostgreSQL")
        measure(base.rsplit("/", 1)[0] + f"/{name}", args.storm, args.waves)


if __name__ == "__main__":
    main()
