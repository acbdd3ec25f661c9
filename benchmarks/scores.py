"""The monthly scoreboard and the supervisor's queue on 100,000 items: p50 and p95 in ms.

    uv run python benchmarks/scores.py [--items 100000] [--runs 30] [--queue-runs 100] [--sqlite-only]

Builds a database of items spread over twelve months (2025-08 .. 2026-07),
the four offices (through the categories' default offices) and every status,
with timestamps that hang together (assigned after reported, fixed after
assigned, some late, some extended, reworked, rebounded, spot-checked, a
backlog of overdue and of unverified items). Rows go in with SQLAlchemy core
in blocks; the scoreboard reads only ``items``, so no events are written.

Then, in process (no HTTP), for SQLite and - when it answers - PostgreSQL
(``INSPECTOR_BENCH_DATABASE_URL``, default postgres@127.0.0.1:5432, in a
database of its own that is dropped afterwards):

- ``services.scores.scoreboard`` for the current month (2026-07, overdue
  judged now) and a past month (2026-03, judged at its end), all offices;
- the queue: ``store.queries.list_items`` with status=fix_submitted,
  office=construction, sorted by deadline, page 1 and page 50 (20 a page).
"""

import argparse
import os
import random
import time
import uuid
from datetime import datetime, timedelta, timezone
from datetime import time as clock_time
from zoneinfo import ZoneInfo

from common import data_dir, percentile, postgres_url  # noqa: I001
from sqlalchemy import create_engine, text

from inspector.domain import catalog
from inspector.domain.permissions import Actor
from inspector.services import scores
from inspector.services.context import bootstrap
from inspector.settings import Settings
from inspector.store import queries
from inspector.store.engine import read_session
from inspector.store.models import Item

ZONE = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 7, 20, 10, 0, tzinfo=ZONE).astimezone(timezone.utc)
FIRST = datetime(2025, 8, 1, tzinfo=ZONE).astimezone(timezone.utc)
SUPERVISOR = Actor(id="bench-supervisor", role="supervisor")
BLOCK = 5000


def end_of_day(when: datetime, days: int) -> datetime:
    local = when.astimezone(ZONE).date() + timedelta(days=days)
    return datetime.combine(local, clock_time(23, 59, 59), ZONE).astimezone(timezone.utc)


def one_item(i: int, rng: random.Random) -> dict:
    """An item whose facts hang together, as the state machine would have left it at NOW."""
    cat = rng.choice(catalog.CATEGORIES)
    office = cat.default_office if rng.random() < 0.92 else rng.choice(catalog.OFFICES).code
    span = (NOW - FIRST).total_seconds()
    reported = FIRST + timedelta(seconds=rng.random() * span)
    row = {
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "number": f"B-{i:07d}", "version": 1,
        "status": "reported", "category": cat.code, "office_code": office, "site_id": None,
        "severity": rng.choice(catalog.SEVERITIES), "check_type": rng.choice(catalog.CHECK_TYPES),
        "description": f"问题 {i}", "lat": 30.2 + rng.random() / 10, "lon": 120.1 + rng.random() / 10,
        "accuracy_m": 8.0, "location_source": "gps", "reported_by": "bench", "reported_at": reported,
        "updated_at": reported, "photos": ["a" * 64], "fix_photos": [], "leader": None, "deadline": None,
        "assigned_at": None, "fix_submitted_at": None, "verified_at": None, "closed_at": None,
        "look_back_due": None, "extension_until": None, "extension_reason": None, "extensions_granted": 0,
        "rework_count": 0, "rebound_count": 0, "last_reason": None, "spot_agree": 0, "spot_disagree": 0,
        "disputed": False, "comment_count": 0, "last_seq": None,
    }
    assigned = reported + timedelta(hours=rng.uniform(0.5, 48))
    if assigned > NOW:
        return row
    if rng.random() < 0.03:  # dismissed at assignment time
        row.update(status="dismissed", closed_at=assigned, last_reason="不属实", updated_at=assigned)
        return row
    if rng.random() < 0.04:  # rebounded once: the row holds the latest assignment
        row["rebound_count"] = 1
    deadline = end_of_day(assigned, cat.deadline_days)
    row.update(status="assigned", leader="陈处长", assigned_at=assigned, deadline=deadline, updated_at=assigned)
    if rng.random() < 0.08:
        deadline = deadline + timedelta(days=5)
        row.update(deadline=deadline, extensions_granted=1)
    if rng.random() < 0.02:  # the backlog: never fixed
        row["status"] = "rectifying"
        return row
    late = rng.random() < 0.2
    days = cat.deadline_days * (rng.uniform(1.0, 2.5) if late else rng.uniform(0.1, 0.95))
    fixed = assigned + timedelta(days=days)
    if fixed > NOW:
        row["status"] = rng.choice(["assigned", "rectifying"])
        return row
    rework = 1 if rng.random() < 0.12 else 0
    row.update(status="fix_submitted", fix_submitted_at=fixed, fix_photos=["b" * 64], rework_count=rework,
               updated_at=fixed)
    if rng.random() < 0.03:  # the other backlog: waiting for verification
        return row
    verified = fixed + timedelta(hours=rng.uniform(2, 72))
    if verified > NOW:
        return row
    row.update(status="verified", verified_at=verified, updated_at=verified,
               look_back_due=verified + timedelta(days=cat.look_back_days))
    if rng.random() < 0.1:
        agree = rng.random() < 0.85
        row.update(spot_agree=int(agree), spot_disagree=int(not agree), disputed=not agree)
    closed = verified + timedelta(days=cat.look_back_days)
    if closed < NOW and rng.random() < 0.7:
        row.update(status="closed", closed_at=closed, look_back_due=None, updated_at=closed)
    return row


def build(database_url: str, n_items: int) -> object:
    folder = data_dir("scores")
    ctx = bootstrap(Settings(data_dir=folder, database_url=database_url), clock=lambda: NOW)
    rng = random.Random(20260720)
    started = time.perf_counter()
    with ctx.engine.begin() as connection:
        for block in range(0, n_items, BLOCK):
            rows = [one_item(i, rng) for i in range(block, min(block + BLOCK, n_items))]
            connection.execute(Item.__table__.insert(), rows)
    with ctx.engine.begin() as connection:
        if ctx.engine.dialect.name == "sqlite":
            connection.execute(text("ANALYZE"))
        else:
            connection.execute(text("ANALYZE items"))
    print(f"  built {n_items:,} items in {time.perf_counter() - started:.1f} s")
    return ctx


def timed(fn, runs: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def measure(ctx, runs: int, queue_runs: int) -> dict[str, tuple[list[float], str]]:
    results = {}
    for month in ("2026-07", "2026-03"):
        view = scores.scoreboard(ctx, SUPERVISOR, month)
        note = f"{view.board.overall.assigned.value:,} assigned, {view.board.overall.overdue.value:,} overdue"
        results[f"scoreboard {month}, all offices"] = (timed(lambda m=month: scores.scoreboard(ctx, SUPERVISOR, m),
                                                              runs), note)
    queue = queries.ItemFilter(status="fix_submitted", office="construction", sort="deadline")
    with read_session(ctx.engine) as session:
        total = queries.list_items(session, SUPERVISOR, queue, NOW, 1, 20)[1]
    for page in (1, 50):
        def run(p=page):
            with read_session(ctx.engine) as session:
                return queries.list_items(session, SUPERVISOR, queue, NOW, p, 20)[0]
        shown = len(run())
        results[f"queue fix_submitted+office, p{page}"] = (timed(run, queue_runs),
                                                            f"{total:,} in the queue, {shown} on the page")
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30, help="scoreboard repetitions")
    parser.add_argument("--queue-runs", type=int, default=100)
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    targets = [("SQLite", lambda: f"sqlite:///{data_dir('scores-db') / 'bench.db'}")]
    if not args.sqlite_only:
        targets.append(("PostgreSQL", lambda: postgres_url("insp_bench_scores")))
    table = []
    for engine_name, make_url in targets:
        url = make_url()
        if not url:
            continue
        print(f"{engine_name}:")
        ctx = build(url, args.items)
        for label, (timings, note) in measure(ctx, args.runs, args.queue_runs).items():
            table.append((engine_name, label, percentile(timings, 50), percentile(timings, 95), note))
        ctx.engine.dispose()
        if engine_name == "PostgreSQL":
            base = os.environ.get("INSPECTOR_BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
            admin = create_engine(base, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text('DROP DATABASE IF EXISTS "insp_bench_scores" WITH (FORCE)'))
            admin.dispose()
    print()
    print(f"{'engine':<11}{'measure':<38}{'p50 ms':>9}{'p95 ms':>9}   data")
    for engine_name, label, p50, p95, note in table:
        print(f"{engine_name:<11}{label:<38}{p50:>9.1f}{p95:>9.1f}   {note}")
    def pick(prefix):
        return ", ".join(f"{e} {p50:.0f}/{p95:.0f} ms" for e, label, p50, p95, _ in table if label.startswith(prefix))

    print(f"scores: {args.items:,} items | scoreboard 2026-07 p50/p95: {pick('scoreboard 2026-07')}"
          f" | 2026-03: {pick('scoreboard 2026-03')} | queue page 1: {pick('queue fix_submitted+office, p1')}"
          f" | page 50: {pick('queue fix_submitted+office, p50')}")


if __name__ == "__main__":
    main()
