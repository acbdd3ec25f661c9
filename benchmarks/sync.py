"""Push and pull of 10,000 events over HTTP on loopback, against inserting the same rows directly.

    uv run python benchmarks/sync.py [--events 10000] [--batch 200] [--postgres]

Push: 10,000 `reported` events (each a new item with one photo) in batches, as
a field client sends them. Pull: the same events paged back. Baseline: the
same event and item rows inserted into a fresh database of the same kind
with SQLAlchemy core, batch by batch, one transaction a batch.
"""

import argparse
import hashlib
import io
import time
import uuid
from datetime import datetime, timezone

import httpx
from PIL import Image

from common import Server, data_dir, postgres_url  # noqa: I001

from inspector.services import auth
from inspector.services.context import bootstrap
from inspector.settings import Settings
from inspector.store.engine import write_session
from inspector.store.models import EventRow, Item


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (120, 90, 60)).save(out, "JPEG")
    return out.getvalue()


def events(n: int, sha: str) -> list[dict]:
    at = datetime(2026, 7, 15, 9, 0, tzinfo=timezone.utc).isoformat()
    return [
        {"id": str(uuid.uuid4()), "item_id": str(uuid.uuid4()), "kind": "reported", "at": at, "base_version": 0,
         "payload": {"category": "site_sewage", "location": {"lat": 30.27 + i * 1e-6, "lon": 120.15, "accuracy_m": 8,
                                                             "source": "gps"},
                     "severity": "normal", "check_type": "supervisor", "description": f"问题 {i}", "photos": [sha]}}
        for i in range(n)
    ]


def prepare(database_url: str, label: str):
    folder = data_dir(label)
    ctx = bootstrap(Settings(data_dir=folder, database_url=database_url))
    auth.add_user(ctx, "bench", "bench-pass-2026", "inspector")
    return folder, ctx


def over_http(database_url: str, n: int, batch: int) -> tuple[float, float]:
    folder, ctx = prepare(database_url, "http")
    data = photo()
    sha = hashlib.sha256(data).hexdigest()
    evs = events(n, sha)
    with Server(folder, database_url) as server, httpx.Client(base_url=server.url, timeout=120) as http:
        token = http.post("/api/auth/token", json={"username": "bench", "password": "bench-pass-2026"}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        http.put(f"/api/photos/{sha}", content=data, headers=headers).raise_for_status()
        start = time.perf_counter()
        for i in range(0, n, batch):
            results = http.post("/api/sync/push", json={"device_id": "bench", "events": evs[i:i + batch]},
                                headers=headers).json()["results"]
            assert all(r["status"] == "accepted" for r in results), results[:2]
        push_s = time.perf_counter() - start
        start = time.perf_counter()
        after, pulled = 0, 0
        while True:
            page = http.get("/api/sync/pull", params={"after": after, "limit": 1000}, headers=headers).json()
            pulled += len(page["events"])
            after = page["next_after"]
            if not page["has_more"]:
                break
        pull_s = time.perf_counter() - start
        assert pulled == n, pulled
    ctx.engine.dispose()
    return n / push_s, n / pull_s


def direct(database_url: str, n: int, batch: int) -> float:
    """The same rows (event + projected item) inserted with SQLAlchemy core, one transaction a batch."""
    _, ctx = prepare(database_url, "direct")
    sha = "a" * 64
    evs = events(n, sha)
    now = datetime.now(timezone.utc)
    start = time.perf_counter()
    for i in range(0, n, batch):
        chunk = evs[i:i + batch]
        with write_session(ctx.engine) as session:
            session.execute(Item.__table__.insert(), [
                {"id": e["item_id"], "number": f"B-{i + k:07d}", "version": 1, "status": "reported",
                 "category": "site_sewage", "office_code": "construction", "severity": "normal",
                 "check_type": "supervisor", "description": e["payload"]["description"],
                 "lat": e["payload"]["location"]["lat"], "lon": 120.15, "accuracy_m": 8, "location_source": "gps",
                 "reported_by": "bench", "reported_at": now, "updated_at": now, "photos": [sha], "fix_photos": []}
                for k, e in enumerate(chunk)])
            session.execute(EventRow.__table__.insert(), [
                {"id": e["id"], "item_id": e["item_id"], "kind": "reported", "actor_id": "bench", "at": now,
                 "server_at": now, "base_version": 0, "payload": e["payload"]} for e in chunk])
    elapsed = time.perf_counter() - start
    ctx.engine.dispose()
    return n / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--postgres", action="store_true", help="also run on PostgreSQL")
    args = parser.parse_args()
    targets = [("SQLite", lambda label: f"sqlite:///{data_dir(label) / 'bench.db'}")]
    if args.postgres:
        targets.append(("PostgreSQL", lambda label: postgres_url(f"insp_bench_{label}")))
    for name, url_for in targets:
        http_url, direct_url = url_for("sync_http"), url_for("sync_direct")
        if not http_url:
            continue
        push_rate, pull_rate = over_http(http_url, args.events, args.batch)
        direct_rate = direct(direct_url, args.events, args.batch)
        print(f"{name}: {args.events} events, batches of {args.batch}")
        print(f"  push over HTTP   {push_rate:9.0f} events/s")
        print(f"  pull over HTTP   {pull_rate:9.0f} events/s")
        print(f"  direct insert    {direct_rate:9.0f} events/s")
        print(f"sync {name}: push {push_rate:.0f}/s, pull {pull_rate:.0f}/s, direct {direct_rate:.0f}/s, "
              f"push/direct {push_rate / direct_rate:.2f}")


if __name__ == "__main__":
    main()
