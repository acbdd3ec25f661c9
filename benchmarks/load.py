"""Load on real servers: N field clients, the morning login rush, two servers on one PostgreSQL.

    uv run python benchmarks/load.py [--seconds 20] [--clients 1,10,50] [--rush 50] [--waves 3]
                                     [--only field,rush,servers] [--postgres | --database-url URL]

Every run starts ``inspector serve --no-ui`` as a child process over a fresh
data folder and database (SQLite under the folder; with ``--postgres`` a
database made for the run on ``INSPECTOR_BENCH_DATABASE_URL``, else
``INSPECTOR_TEST_DATABASE_URL``, else ``postgresql+psycopg://postgres@127.0.0.1:5432/test``).
Each figure is printed beside a baseline measured in the same run:

- field: N clients (threads), each logged in as its own inspector, loop on
  photo PUT (a new 3 MP JPEG each time) + push of the ``reported`` event that
  uses it + pull after its own cursor. Reports/s, push p50/p95, pull p95,
  5xx, and lost events (every accepted id looked up in a supervisor's full
  pull, each exactly once). Baselines: 1 client (latency), 10 clients (the
  throughput that 50 must not fall below).
- rush: ``--rush`` correct logins at once (a barrier), then a push each, in
  ``--waves`` waves, while one client that is already logged in pushes one
  event at a time. Baseline: that pusher alone, just before. Login p95, the
  pusher's worst stall (the target is < 300 ms), 5xx, the server's resident
  memory at its peak against before the rush.
- servers (PostgreSQL only): 20 clients pushing one event per request to one
  server, then split over two servers on the same database (each with its own
  data folder): events/s and the ratio. When ``benchmarks/push_rate.py`` (the
  write path's benchmark) offers ``push_rate``, its runs are used instead.
"""

import argparse
import itertools
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from common import (  # noqa: I001
    Server, bearer, cpu_seconds, data_dir, field_photo, memory_mb, percentile, postgres_url, reported_event, unique_photo)

from inspector.services import auth
from inspector.services.context import bootstrap
from inspector.settings import Settings

PASSWORD = "bench-pass-2026"


# --- set-up ---------------------------------------------------------------------------------------

def database_for(backend: str, label: str, args) -> str | None:
    """A fresh, empty database of ``backend`` for one run."""
    if backend == "sqlite":
        return f"sqlite:///{data_dir(f'{label}-db') / 'bench.db'}"
    if args.database_url:
        os.environ["INSPECTOR_BENCH_DATABASE_URL"] = args.database_url
    elif "INSPECTOR_BENCH_DATABASE_URL" not in os.environ and os.environ.get("INSPECTOR_TEST_DATABASE_URL"):
        os.environ["INSPECTOR_BENCH_DATABASE_URL"] = os.environ["INSPECTOR_TEST_DATABASE_URL"]
    return postgres_url(f"insp_bench_load_{label}")


def prepare(database_url: str, label: str, inspectors: list[str]) -> Path:
    """A data folder over ``database_url`` with the named inspectors and a supervisor ``desk``
    (production argon2id cost: the rush logs in against real hashes)."""
    folder = data_dir(label)
    ctx = bootstrap(Settings(data_dir=folder, database_url=database_url))
    for name in inspectors:
        auth.add_user(ctx, name, PASSWORD, "inspector")
    auth.add_user(ctx, "desk", PASSWORD, "supervisor")
    ctx.engine.dispose()
    return folder


@dataclass
class Tally:
    """What the clients of one run saw, added to under a lock."""

    push: list[float] = field(default_factory=list)
    pull: list[float] = field(default_factory=list)
    put: list[float] = field(default_factory=list)
    login: list[float] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    codes: dict[int, int] = field(default_factory=dict)
    errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def code(self, status: int) -> None:
        with self.lock:
            self.codes[status] = self.codes.get(status, 0) + 1

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.codes.items() if status >= 500)


def timed(tally: Tally, into: list[float], call) -> httpx.Response | None:
    """``call()`` timed into ``into`` (ms); its status counted, a transport error counted too."""
    start = time.perf_counter()
    try:
        response = call()
    except httpx.TransportError:
        with tally.lock:
            tally.errors += 1
        return None
    elapsed = (time.perf_counter() - start) * 1000
    with tally.lock:
        into.append(elapsed)
    tally.code(response.status_code)
    return response


def push_one(http: httpx.Client, headers: dict, tally: Tally, sha: str, n: int) -> None:
    event = reported_event(sha, n)
    response = timed(tally, tally.push, lambda: http.post(
        "/api/sync/push", json={"device_id": "bench", "events": [event]}, headers=headers))
    if response is not None and response.status_code == 200 and response.json()["results"][0]["status"] == "accepted":
        with tally.lock:
            tally.accepted.append(event["id"])


def lost_events(url: str, accepted: list[str]) -> tuple[int, int]:
    """(accepted events missing from a supervisor's full pull, events seen more than once there)."""
    headers = bearer(url, "desk", PASSWORD)
    seen: list[str] = []
    after = 0
    with httpx.Client(base_url=url, timeout=120, headers=headers) as http:
        while True:
            page = http.get("/api/sync/pull", params={"after": after, "limit": 1000}).json()
            seen += [e["id"] for e in page["events"]]
            after = page["next_after"]
            if not page["has_more"]:
                break
    return len(set(accepted) - set(seen)), len(seen) - len(set(seen))


# --- N field clients ------------------------------------------------------------------------------

def field_run(database_url: str, clients: int, seconds: float, base_photo: bytes) -> dict:
    """``clients`` field clients looping photo PUT + push + pull for ``seconds``; their figures."""
    names = [f"field-{i}" for i in range(clients)]
    folder = prepare(database_url, f"field{clients}", names)
    tally = Tally()
    load = os.getloadavg()[0]  # the machine may be busy with more than this run: say so
    with Server(folder, database_url) as server:
        logins = [bearer(server.url, name, PASSWORD) for name in names]
        start_line = threading.Barrier(clients + 1)
        stop_at = [0.0]

        def client(i: int) -> None:
            cursor = 0
            with httpx.Client(base_url=server.url, timeout=120) as http:
                for n in itertools.count():
                    if n == 1:
                        start_line.wait()  # one warm-up round each, then the measured window
                    if n > 1 and time.monotonic() >= stop_at[0]:
                        return
                    data, sha = unique_photo(base_photo, f"{i}-{n}-{time.time_ns()}")
                    measured = tally if n else Tally()
                    timed(measured, measured.put, lambda: http.put(f"/api/photos/{sha}", content=data,
                                                                   headers=logins[i]))
                    push_one(http, logins[i], measured, sha, n)
                    while True:
                        response = timed(measured, measured.pull, lambda: http.get(
                            "/api/sync/pull", params={"after": cursor, "limit": 500}, headers=logins[i]))
                        if response is None or response.status_code != 200:
                            break
                        page = response.json()
                        cursor = page["next_after"]
                        if not page["has_more"]:
                            break
                    if not n:
                        with tally.lock:  # warm-up events must reach the feed too
                            tally.accepted += measured.accepted

        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        for thread in threads:
            thread.start()
        start_line.wait()
        began, cpu = time.monotonic(), cpu_seconds(server.process.pid)
        stop_at[0] = began + seconds
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - began
        cpu = cpu_seconds(server.process.pid) - cpu
        missing, twice = lost_events(server.url, tally.accepted)
    return {"clients": clients, "reports_s": len(tally.push) / elapsed, "push_p50": percentile(tally.push, 50),
            "push_p95": percentile(tally.push, 95), "put_p95": percentile(tally.put, 95),
            "pull_p95": percentile(tally.pull, 95), "5xx": tally.server_errors, "transport": tally.errors,
            "lost": missing, "twice": twice, "pushed": len(tally.accepted), "load": load,
            "cpu_ms": cpu * 1000 / max(1, len(tally.push))}


# --- the morning rush -----------------------------------------------------------------------------

def rush_run(database_url: str, size: int, waves: int, base_photo: bytes) -> dict:
    """``waves`` waves of ``size`` logins at once (then a push each) while a steady client pushes."""
    names = [f"rush-{i}" for i in range(size)]
    folder = prepare(database_url, "rush", ["steady", *names])
    tally, rushing = Tally(), Tally()
    with Server(folder, database_url) as server:
        steady = bearer(server.url, "steady", PASSWORD)
        data, sha = unique_photo(base_photo, "rush")
        httpx.put(f"{server.url}/api/photos/{sha}", content=data, headers=steady, timeout=120).raise_for_status()
        counter = itertools.count()
        with httpx.Client(base_url=server.url, timeout=120) as http:
            for _ in range(10):
                push_one(http, steady, Tally(), sha, next(counter))
            alone = Tally()
            for _ in range(60):
                push_one(http, steady, alone, sha, next(counter))
            before = memory_mb(server.process.pid)
            peak = [before[0]]
            for _wave in range(waves):
                gate = threading.Barrier(size)

                def arrive(name: str) -> None:
                    with httpx.Client(base_url=server.url, timeout=120) as own:
                        gate.wait()
                        response = timed(rushing, rushing.login, lambda: own.post(
                            "/api/auth/token", json={"username": name, "password": PASSWORD}))
                        if response is not None and response.status_code == 200:
                            headers = {"Authorization": f"Bearer {response.json()['access_token']}"}
                            push_one(own, headers, rushing, sha, next(counter))

                threads = [threading.Thread(target=arrive, args=(name,)) for name in names]
                for thread in threads:
                    thread.start()
                while any(thread.is_alive() for thread in threads):
                    push_one(http, steady, tally, sha, next(counter))
                    peak[0] = max(peak[0], memory_mb(server.process.pid)[0])
                for thread in threads:
                    thread.join()
        after = memory_mb(server.process.pid)
        missing, twice = lost_events(server.url, alone.accepted + tally.accepted + rushing.accepted)
    return {"alone_p95": percentile(alone.push, 95), "alone_max": max(alone.push),
            "during_p95": percentile(tally.push, 95), "during_max": max(tally.push), "during_n": len(tally.push),
            "login_p50": percentile(rushing.login, 50), "login_p95": percentile(rushing.login, 95),
            "logins": len(rushing.login), "5xx": tally.server_errors + rushing.server_errors,
            "transport": tally.errors + rushing.errors, "codes": sorted(set(tally.codes) | set(rushing.codes)),
            "rss_before": before[0], "rss_peak": max(peak[0], after[1]), "lost": missing, "twice": twice}


# --- two servers on one PostgreSQL ----------------------------------------------------------------

def push_rate(urls: list[str], headers: list[dict], clients: int, seconds: float, sha: str) -> dict:
    """``clients`` clients pushing one event per request, spread over ``urls``: events/s and p95."""
    tally = Tally()
    start_line = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def client(i: int) -> None:
        with httpx.Client(base_url=urls[i % len(urls)], timeout=120) as http:
            push_one(http, headers[i % len(urls)], Tally(), sha, i)
            start_line.wait()
            for n in itertools.count():
                if time.monotonic() >= stop_at[0]:
                    return
                push_one(http, headers[i % len(urls)], tally, sha, n)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    start_line.wait()
    began = time.monotonic()
    stop_at[0] = began + seconds
    for thread in threads:
        thread.join()
    return {"events_s": len(tally.push) / (time.monotonic() - began), "p95": percentile(tally.push, 95),
            "5xx": tally.server_errors, "accepted": tally.accepted}


def servers_run(make_url, clients: int, seconds: float, base_photo: bytes) -> dict:
    """One server, then two on the same database, under the same ``clients`` pushers.

    ``benchmarks/push_rate.py`` (the write path's own benchmark) is used when it offers
    ``push_rate``: a fresh database per run, 30 pushes per client; else this module's own run."""
    try:
        import push_rate as write_path  # lazy: the write path's benchmark, when present
    except ImportError:
        write_path = None
    if write_path is not None and hasattr(write_path, "push_rate"):
        runs = [write_path.push_rate(make_url(f"servers{n}"), servers=n, clients=clients) for n in (1, 2)]
        one, two = ({"events_s": r["events_per_s"], "p95": r["p95_ms"], "5xx": r["5xx"]} for r in runs)
        return {"one": one, "two": two, "lost": runs[0]["lost"] + runs[1]["lost"], "twice": 0,
                "by": "benchmarks/push_rate.py"}
    database_url = make_url("servers")
    first = prepare(database_url, "servers-a", ["pusher"])
    second = data_dir("servers-b")
    data, sha = unique_photo(base_photo, "servers")
    with Server(first, database_url) as one, Server(second, database_url) as two:
        heads = [bearer(one.url, "pusher", PASSWORD), bearer(two.url, "pusher", PASSWORD)]
        httpx.put(f"{one.url}/api/photos/{sha}", content=data, headers=heads[0], timeout=120).raise_for_status()
        alone = push_rate([one.url], heads[:1], clients, seconds, sha)
        both = push_rate([one.url, two.url], heads, clients, seconds, sha)
        missing, twice = lost_events(two.url, alone["accepted"] + both["accepted"])
    return {"one": alone, "two": both, "lost": missing, "twice": twice, "by": "benchmarks/load.py"}


# --- printing -------------------------------------------------------------------------------------

def line(label: str, figure: str, baseline: str = "", ratio: str = "") -> None:
    print(f"  {label:34} {figure:>16} {baseline:>22} {ratio:>8}")


def report_field(runs: list[dict]) -> None:
    first = runs[0]
    ten = next((run for run in runs if run["clients"] == 10), first)
    line("field clients", "figure", "baseline", "ratio")
    for run in runs:
        n = run["clients"]
        line(f"{n:>3} clients reports/s", f"{run['reports_s']:.1f}", f"{ten['reports_s']:.1f} at {ten['clients']}",
             f"{run['reports_s'] / ten['reports_s']:.2f}x")
        line(f"{n:>3} clients push p50 / p95 ms", f"{run['push_p50']:.0f} / {run['push_p95']:.0f}",
             f"{first['push_p50']:.0f} / {first['push_p95']:.0f} at {first['clients']}",
             f"{run['push_p95'] / first['push_p95']:.1f}x")
        line(f"{n:>3} clients put p95 / pull p95 ms", f"{run['put_p95']:.0f} / {run['pull_p95']:.0f}",
             f"{first['put_p95']:.0f} / {first['pull_p95']:.0f} at {first['clients']}")
        line(f"{n:>3} clients server CPU ms a report", f"{run['cpu_ms']:.0f}", f"{ten['cpu_ms']:.0f} at {ten['clients']}",
             f"{run['cpu_ms'] / ten['cpu_ms']:.2f}x")
        line(f"{n:>3} clients 5xx, lost, twice", f"{run['5xx']}, {run['lost']}, {run['twice']}",
             f"of {run['pushed']} pushed", f"load {run['load']:.1f}")


def report_rush(run: dict, size: int, waves: int) -> None:
    line(f"rush: {waves} x {size} logins", "figure", "baseline (alone)", "ratio")
    line("steady pusher worst stall ms", f"{run['during_max']:.0f}", f"{run['alone_max']:.0f}",
         f"{run['during_max'] / run['alone_max']:.1f}x")
    line("steady pusher p95 ms", f"{run['during_p95']:.0f}", f"{run['alone_p95']:.0f}",
         f"{run['during_p95'] / run['alone_p95']:.1f}x")
    line("login p50 / p95 ms", f"{run['login_p50']:.0f} / {run['login_p95']:.0f}", f"({run['logins']} logins)")
    line("server RSS peak MB", f"{run['rss_peak']:.0f}", f"{run['rss_before']:.0f} before",
         f"{run['rss_peak'] / run['rss_before']:.1f}x")
    line("5xx, transport errors, lost, twice", f"{run['5xx']}, {run['transport']}, {run['lost']}, {run['twice']}",
         f"answers {run['codes']}")


def report_servers(run: dict, clients: int) -> None:
    one, two = run["one"], run["two"]
    line(f"servers: {clients} single-event pushers", "figure", "baseline (one)", "ratio")
    print(f"  (measured by {run['by']})")
    line("two servers events/s", f"{two['events_s']:.1f}", f"{one['events_s']:.1f}",
         f"{two['events_s'] / one['events_s']:.2f}x")
    line("push p95 ms", f"{two['p95']:.0f}", f"{one['p95']:.0f}", f"{two['p95'] / one['p95']:.1f}x")
    line("5xx, lost, twice", f"{one['5xx'] + two['5xx']}, {run['lost']}, {run['twice']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=20, help="measured window of each field and servers run")
    parser.add_argument("--clients", default="1,10,50", help="field client counts, comma separated")
    parser.add_argument("--rush", type=int, default=50, help="logins at once")
    parser.add_argument("--waves", type=int, default=3)
    parser.add_argument("--servers-clients", type=int, default=20)
    parser.add_argument("--only", default="field,rush,servers")
    parser.add_argument("--postgres", action="store_true", help="run on PostgreSQL instead of SQLite")
    parser.add_argument("--database-url", help="a PostgreSQL server URL where the run may create databases")
    args = parser.parse_args()
    backend = "postgres" if args.postgres or args.database_url else "sqlite"
    only = set(args.only.split(","))
    slots = getattr(getattr(auth, "HASH_SLOTS", None), "size", "unbounded")
    print(f"{backend}; hash slots {slots}, argon2id {auth._hasher.memory_cost // 1024} MiB t={auth._hasher.time_cost} "
          f"p={auth._hasher.parallelism}; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    base_photo = field_photo()
    print(f"photo: {len(base_photo) // 1024} KB JPEG, 2048x1536, a new one per upload")
    if "field" in only:
        runs = []
        for clients in (int(n) for n in args.clients.split(",")):
            url = database_for(backend, f"field{clients}", args)
            if url is None:
                sys.exit("no PostgreSQL")
            runs.append(field_run(url, clients, args.seconds, base_photo))
        report_field(runs)
    if "rush" in only:
        url = database_for(backend, "rush", args)
        report_rush(rush_run(url, args.rush, args.waves, base_photo), args.rush, args.waves)
    if "servers" in only and backend == "postgres":
        run = servers_run(lambda label: database_for(backend, label, args), args.servers_clients, args.seconds,
                          base_photo)
        report_servers(run, args.servers_clients)
    elif "servers" in only:
        print("  servers: PostgreSQL only (--postgres)")


if __name__ == "__main__":
    main()
