"""``GET /api/items`` with filters on 100,000 items and 500,000 events: p50 and p95 over HTTP.

    uv run python benchmarks/items.py [--items 100000] [--requests 100] [--postgres]

The rows are bulk-inserted (five events an item) so that building the
database takes seconds; the queries then go through the real server. The
baseline is ``GET /api/health`` on the same server in the same run: the
cost of HTTP and auth-free routing, which the list latency is set against.
"""

import argparse
import random
import time
import uuid
from datetime import datetime, timedelta, timezone

import httpx

from common import Server, data_dir, percentile, postgres_url, summary  # noqa: I001

from inspector.domain import catalog
from inspector.domain.items import STATUSES
from inspector.services import auth
from inspector.services.context import bootstrap
from inspector.settings import Settings
from inspector.store.models import EventRow, Item

START = datetime(2026, 6, 1, tzinfo=timezone.utc)
KINDS = ["reported", "assigned", "acknowledged", "fix_submitted", "verified"]


def build(database_url: str, n_items: int, folder) -> None:
    ctx = bootstrap(Settings(data_dir=folder, database_url=database_url))
    auth.add_user(ctx, "boss", "bench-pass-2026", "supervisor")
    auth.add_user(ctx, "staff", "bench-pass-2026", "office_staff", "construction")
    rng = random.Random(1)
    offices = [o.code for o in catalog.OFFICES]
    cats = catalog.CATEGORIES
    started = time.perf_counter()
    seq = 0
    with ctx.engine.begin() as connection:
        for block in range(0, n_items, 5000):
            items, events = [], []
            for i in range(block, min(block + 5000, n_items)):
                cat = rng.choice(cats)
                reported_at = START + timedelta(minutes=rng.randrange(0, 60 * 24 * 150))
                item_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                status = rng.choice(STATUSES)
                items.append({
                    "id": item_id, "number": f"2026-{i:07d}", "version": 5, "status": status, "category": cat.code,
                    "office_code": rng.choice(offices), "site_id": None, "severity": "normal",
                    "check_type": rng.choice(catalog.CHECK_TYPES), "description": f"问题描述 {i} 工地污水",
                    "lat": 30.2 + rng.random() / 10, "lon": 120.1 + rng.random() / 10, "accuracy_m": 8,
                    "location_source": "gps", "reported_by": "someone", "reported_at": reported_at,
                    "updated_at": reported_at, "photos": ["a" * 64], "fix_photos": [], "leader": "陈处长",
                    "deadline": reported_at + timedelta(days=cat.deadline_days), "rework_count": rng.random() < 0.1,
                    "rebound_count": rng.random() < 0.05, "last_seq": seq + 5,
                })
                for k, kind in enumerate(KINDS):
                    seq += 1
                    events.append({"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "item_id": item_id,
                                   "kind": kind, "actor_id": "someone", "at": reported_at, "server_at": reported_at,
                                   "base_version": k, "payload": {"note": "bench"}})
            connection.execute(Item.__table__.insert(), items)
            connection.execute(EventRow.__table__.insert(), events)
    print(f"built {n_items} items / {seq} events in {time.perf_counter() - started:.1f} s")
    ctx.engine.dispose()


QUERIES = [
    ("all, newest first", "boss", {}),
    ("status=fix_submitted", "boss", {"status": "fix_submitted"}),
    ("office+status+category", "boss", {"office": "construction", "status": "assigned", "category": "site_sewage"}),
    ("overdue", "boss", {"overdue": "true"}),
    ("date range", "boss", {"from": "2026-07-01", "to": "2026-07-15"}),
    ("text search", "boss", {"q": "0012345"}),
    ("page 50, by deadline", "boss", {"page": 50, "sort": "deadline"}),
    ("office staff, own office", "staff", {}),
]


def measure(url: str, requests: int) -> dict[str, list[float]]:
    results = {}
    with httpx.Client(base_url=url, timeout=60) as http:
        tokens = {}
        for user in ("boss", "staff"):
            body = http.post("/api/auth/token", json={"username": user, "password": "bench-pass-2026"}).json()
            tokens[user] = {"Authorization": f"Bearer {body['access_token']}"}
        for _ in range(10):
            http.get("/api/health")
        timings = []
        for _ in range(requests):
            t = time.perf_counter()
            http.get("/api/health").raise_for_status()
            timings.append((time.perf_counter() - t) * 1000)
        results["baseline: /api/health"] = timings
        for name, user, params in QUERIES:
            timings = []
            for _ in range(requests):
                t = time.perf_counter()
                response = http.get("/api/items", params=params, headers=tokens[user])
                response.raise_for_status()
                timings.append((time.perf_counter() - t) * 1000)
            results[name] = timings
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    targets = [("SQLite", lambda: f"sqlite:///{data_dir('items') / 'bench.db'}")]
    if args.postgres:
        targets.append(("PostgreSQL", lambda: postgres_url("insp_bench_items")))
    for name, make_url in targets:
        url = make_url()
        if not url:
            continue
        folder = data_dir("items-data")
        build(url, args.items, folder)
        with Server(folder, url) as server:
            results = measure(server.url, args.requests)
        print(f"{name}: GET /api/items, {args.items} items, {args.requests} requests each")
        for label, timings in results.items():
            print(f"  {label:<28} {summary(timings)}")
        all_list = [t for label, ts in results.items() if not label.startswith("baseline") for t in ts]
        base = percentile(results["baseline: /api/health"], 50)
        print(f"items {name}: p50 {percentile(all_list, 50):.1f} ms, p95 {percentile(all_list, 95):.1f} ms "
              f"over all filters; health p50 {base:.1f} ms; list/health p50 ratio "
              f"{percentile(all_list, 50) / base:.1f}")


if __name__ == "__main__":
    main()
