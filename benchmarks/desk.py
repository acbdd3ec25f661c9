"""What the supervisor's desk asks for, on 100,000 items: queue pages, tab counts, map points, one item.

    uv run python benchmarks/desk.py [--items 100000] [--repeats 20]

The database is built like ``benchmarks/items.py`` (bulk-inserted rows); the
calls go through ``inspector.services.desk.Desk`` in this process, as the web
UI makes them (each off the event loop, one at a time per person).
"""

import argparse
import time

from common import data_dir, percentile  # noqa: I001
from items import build

from inspector.services import auth
from inspector.services.context import bootstrap
from inspector.services.desk import QUEUES, Desk, Filters
from inspector.settings import Settings


def timed(fn, repeats: int) -> tuple[float, float]:
    timings = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - t) * 1000)
    return percentile(timings, 50), percentile(timings, 95)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    folder = data_dir("desk")
    url = f"sqlite:///{folder / 'bench.db'}"
    build(url, args.items, folder)
    ctx = bootstrap(Settings(data_dir=folder, database_url=url))
    token, _, _ = auth.login(ctx, "boss", "bench-pass-2026")
    actor, _ = auth.authenticate(ctx, token)
    desk = Desk(ctx, actor)
    first = desk.queue("all").items[0]
    calls = {f"queue {q}, page 1": (lambda q=q: desk.queue(q)) for q in QUEUES}
    calls.update({
        "queue all, page 200 by number": lambda: desk.queue("all", sort="number", page=200),
        "queue all, office + category": lambda: desk.queue("all", Filters(office="construction",
                                                                          category="site_sewage")),
        "queue all, text search": lambda: desk.queue("all", Filters(q="0012345")),
        "tab counts (6 queues)": lambda: desk.counts(),
        "map points (first 2,000)": lambda: desk.map_points(),
        "one item with evidence": lambda: desk.item(first.id),
        "ids queue (2,000 ids)": lambda: desk.queue("ids", ids=[p.id for p in desk.map_points().points]),
    })
    print(f"Desk on {args.items} items (SQLite), {args.repeats} calls each:")
    for name, fn in calls.items():
        p50, p95 = timed(fn, args.repeats)
        print(f"  {name:<34} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
    ctx.engine.dispose()


if __name__ == "__main__":
    main()
