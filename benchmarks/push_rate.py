"""Single pushes: N clients, each pushing one event per request, to one or two servers on one database.

    uv run python benchmarks/push_rate.py [--clients 20] [--events 30] [--postgres] [--two-servers] [--profile]
        [--baseline-tree DIR [--rounds 3]]

Each client is a thread with its own HTTP connection and login; it pushes
``--events`` ``reported`` events (each a new item citing the client's own
photo), one per request, as fast as answers come. The run prints events/s,
latency percentiles, 5xx and lost events (the pushed ids compared with what
the pull feed gives a supervisor), each beside its baseline measured in the
same run: one client alone (the cost of a push with no contention), and for
``--two-servers`` the same clients on one server. Each run also says the CPU
per accepted event of the servers, of the clients (the threads of this
process: they share the cores) and of the local PostgreSQL's processes (those
alive at both ends of the run; NaN when none is local). ``--baseline-tree
DIR`` runs the 20-client measure on a server started from another checkout
(an older commit, e.g. ``git worktree add DIR <commit>``) and on this one,
alternating, ``--rounds`` times: old and new under the same load. ``--profile``
also times one push's parts in this process (token check, parsing, the
transaction, decide, projection, commit) and prints the heaviest functions.

The functions ``push_rate`` and ``profile_push`` are importable
(``benchmarks/load.py`` uses them); each makes its own data folder and
returns its figures as a dict.
"""

import argparse
import cProfile
import hashlib
import io
import os
import pstats
import threading
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

import httpx
from PIL import Image

from common import ROOT, Server, data_dir, percentile, postgres_url  # noqa: I001

from inspector.server.shapes import push_out
from inspector.services import auth, events, photos
from inspector.services.context import bootstrap
from inspector.sync.wire import PushRequest
from inspector.settings import Settings
from inspector.store.engine import read_session
from inspector.store.models import User

PASSWORD = "bench-pass-2026"


def _photo(seed: int) -> tuple[bytes, str]:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (seed % 256, (seed * 7) % 256, 60)).save(out, "JPEG")
    return out.getvalue(), hashlib.sha256(out.getvalue()).hexdigest()


def report(sha: str, n: int = 0) -> dict:
    """One ``reported`` event of a new item citing the photo ``sha``, as a client sends it."""
    return {"id": str(uuid.uuid4()), "item_id": str(uuid.uuid4()), "kind": "reported",
            "at": datetime(2026, 7, 15, 9, 0, tzinfo=timezone.utc).isoformat(), "base_version": 0,
            "payload": {"category": "site_sewage",
                        "location": {"lat": 30.27 + n * 1e-6, "lon": 120.15, "accuracy_m": 8, "source": "gps"},
                        "severity": "normal", "check_type": "supervisor", "description": f"基准 {n}",
                        "photos": [sha]}}


def prepare(database_url: str, clients: int) -> tuple[Path, list[str]]:
    """A data folder over ``database_url`` with ``clients`` inspectors (each with a stored photo) and
    a supervisor ``boss`` who sees everything; the photos' hashes, one per client."""
    folder = data_dir("push-rate")
    ctx = bootstrap(Settings(data_dir=folder, database_url=database_url))
    auth.add_user(ctx, "boss", PASSWORD, "supervisor")
    shas = []
    for n in range(clients):
        user = auth.add_user(ctx, f"push{n}", PASSWORD, "inspector")
        data, sha = _photo(n)
        with read_session(ctx.engine) as session:
            actor = auth.actor_of(session, session.get(User, user.id))
        photos.put_photo(ctx, actor, sha, data)
        shas.append(sha)
    ctx.engine.dispose()
    return folder, shas


def _token(url: str, username: str) -> dict[str, str]:
    with httpx.Client(base_url=url, timeout=120) as http:
        response = http.post("/api/auth/token", json={"username": username, "password": PASSWORD})
        response.raise_for_status()
        return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _pulled_ids(url: str, expected: set[str], patience_s: float = 30) -> set[str]:
    """What the feed gives a supervisor, pulled until it holds ``expected`` (or ``patience_s`` passed:
    the feed may hold events back while a write transaction is open, never drop them)."""
    headers = _token(url, "boss")
    ids, after = set(), 0
    deadline = time.monotonic() + patience_s
    with httpx.Client(base_url=url, timeout=120) as http:
        while True:
            page = http.get("/api/sync/pull", params={"after": after, "limit": 1000}, headers=headers).json()
            ids |= {e["id"] for e in page["events"]}
            after = page["next_after"]
            if not page["has_more"] and (expected <= ids or time.monotonic() > deadline):
                return ids


def cpu_seconds(pid: int) -> float:
    """User + system CPU a process has used (Linux ``/proc``): a figure the machine's other load does
    not inflate the way it does wall time."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def database_cpu_seconds() -> float:
    """CPU used so far by the PostgreSQL processes this machine shows (NaN when none: a remote server,
    SQLite): the clients, the servers and the database share the cores."""
    total, seen = 0.0, False
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else ():
        try:
            if entry.name.isdigit() and (entry / "comm").read_text().startswith("postgres"):
                total, seen = total + cpu_seconds(int(entry.name)), True
        except OSError:  # the process ended while being read
            continue
    return total if seen else float("nan")


def drive(urls: list[str], shas: list[str], clients: int, per_client: int, pids: tuple[int, ...] = ()) -> dict:
    """``clients`` threads (client n on ``urls[n % len(urls)]``) each pushing ``per_client`` events,
    one per request, all starting at once; events/s, latencies, 5xx, and the accepted ids. With
    ``pids`` (the servers'), also their CPU seconds over the pushes alone (``server_cpu_s``: the
    clients' logins, argon2id hashes, come before the start and are not counted)."""
    headers = [_token(urls[n % len(urls)], f"push{n}") for n in range(clients)]
    start_line = threading.Barrier(clients + 1)
    latencies: list[float] = []
    accepted: list[str] = []
    errors = {"5xx": 0, "other": 0}
    lock = threading.Lock()

    def client(n: int) -> None:
        mine, my_ids, my_errors = [], [], {"5xx": 0, "other": 0}
        with httpx.Client(base_url=urls[n % len(urls)], timeout=120) as http:
            http.get("/api/health")  # the connection is open before the start
            start_line.wait()
            for k in range(per_client):
                body = {"device_id": f"bench-{n}", "events": [report(shas[n], k)]}
                began = time.perf_counter()
                response = http.post("/api/sync/push", json=body, headers=headers[n])
                mine.append((time.perf_counter() - began) * 1000)
                if response.status_code >= 500:
                    my_errors["5xx"] += 1
                elif response.status_code != 200 or response.json()["results"][0]["status"] != "accepted":
                    my_errors["other"] += 1
                else:
                    my_ids.append(body["events"][0]["id"])
        with lock:
            latencies.extend(mine)
            accepted.extend(my_ids)
            for key, value in my_errors.items():
                errors[key] += value

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    start_line.wait()
    began, cpu_before = time.perf_counter(), sum(cpu_seconds(pid) for pid in pids)
    clients_before, database_before = time.process_time(), database_cpu_seconds()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    cpu_used = sum(cpu_seconds(pid) for pid in pids) - cpu_before
    return {"events_per_s": len(accepted) / elapsed, "p50_ms": percentile(latencies, 50),
            "p95_ms": percentile(latencies, 95), "5xx": errors["5xx"], "refused": errors["other"],
            "accepted": accepted, "seconds": elapsed, "server_cpu_s": cpu_used,
            "client_cpu_s": time.process_time() - clients_before,
            "database_cpu_s": database_cpu_seconds() - database_before}


def push_rate(database_url: str, servers: int = 1, clients: int = 20, per_client: int = 30,
              root: Path = ROOT) -> dict:
    """One run on a fresh data folder: ``servers`` server processes on ``database_url`` (sharing the
    folder, as servers behind one proxy share a blob store), ``clients`` clients spread over them;
    ``root``: the project tree that serves (another checkout: a baseline). Adds ``lost``: accepted
    events the pull feed does not give, and CPU ms per accepted event of the servers, of the clients
    (this process) and of the local PostgreSQL."""
    folder, shas = prepare(database_url, clients)
    started = []
    try:
        for _ in range(servers):
            started.append(Server(folder, database_url, root))
        figures = drive([s.url for s in started], shas, clients, per_client,
                        tuple(s.process.pid for s in started))
        for part in ("server", "client", "database"):
            figures[f"{part}_cpu_ms_per_event"] = figures.pop(f"{part}_cpu_s") * 1000 / max(1, len(figures["accepted"]))
        accepted = set(figures.pop("accepted"))
        figures["lost"] = len(accepted - _pulled_ids(started[0].url, accepted))
    finally:
        for server in started:
            server.stop()
    figures.update(servers=servers, clients=clients)
    return figures


def profile_push(database_url: str, pushes: int = 200, top: int = 25) -> dict:
    """One client's pushes of one event each, through the app in this process (no HTTP), timed by
    part (token check, parsing, push transaction, answer) with cProfile over the whole; ms per push."""
    folder, shas = prepare(database_url, 1)
    ctx = bootstrap(Settings(data_dir=folder, database_url=database_url), migrate=False)
    with Server(folder, database_url) as server:
        token = _token(server.url, "push0")["Authorization"].split()[1]
    parts = {"token check": 0.0, "parse": 0.0, "push transaction": 0.0, "answer": 0.0}
    cpu = dict.fromkeys(parts, 0.0)
    profiler = cProfile.Profile()

    def once(k: int) -> None:
        raw = httpx.Request("POST", "http://x", json={"device_id": "p", "events": [report(shas[0], k)]}).read()
        marks = [(time.perf_counter(), time.thread_time())]
        actor, _ = auth.authenticate(ctx, token)
        marks.append((time.perf_counter(), time.thread_time()))
        body = PushRequest.model_validate_json(raw)
        batch = [events.EventIn(id=str(e.id), item_id=str(e.item_id), kind=e.kind, at=e.at,
                                base_version=e.base_version, payload=e.payload) for e in body.events]
        marks.append((time.perf_counter(), time.thread_time()))
        outcomes = events.push(ctx, actor, batch, body.device_id)
        marks.append((time.perf_counter(), time.thread_time()))
        push_out(outcomes, "zh_CN").model_dump_json()
        marks.append((time.perf_counter(), time.thread_time()))
        for name, (a, b) in zip(parts, zip(marks, marks[1:])):
            parts[name] += b[0] - a[0]
            cpu[name] += b[1] - a[1]

    for k in range(20):  # warm the caches and the pool
        once(k)
    parts, cpu = dict.fromkeys(parts, 0.0), dict.fromkeys(parts, 0.0)
    profiler.enable()
    for k in range(pushes):
        once(100 + k)
    profiler.disable()
    ctx.engine.dispose()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    per_push = {name: value * 1000 / pushes for name, value in parts.items()}
    cpu_push = {name: value * 1000 / pushes for name, value in cpu.items()}
    return {"parts_ms": per_push, "total_ms": sum(per_push.values()), "cpu_ms": cpu_push,
            "cpu_total_ms": sum(cpu_push.values()), "profile": out.getvalue()}


def profile_app(database_url: str, pushes: int = 200, top: int = 40) -> dict:
    """The whole app's path of one push (middleware, routing, token check, parsing, the transaction,
    the answer), without uvicorn's socket and HTTP parsing: requests go through ``httpx.ASGITransport``
    and the route's thread hop is made inline, so one cProfile sees it all. CPU ms per push, and the
    heaviest functions by their own time and by cumulative time."""
    import asyncio  # lazy: only this profile runs an event loop here

    import fastapi.routing  # lazy: patched for this profile only
    import starlette.concurrency  # lazy: patched for this profile only

    from inspector.server.app import create_app  # lazy: the app is built only for this profile

    async def inline(func, *args, **kwargs):
        return func(*args, **kwargs)

    fastapi.routing.run_in_threadpool = starlette.concurrency.run_in_threadpool = inline
    folder, shas = prepare(database_url, 1)
    ctx = bootstrap(Settings(data_dir=folder, database_url=database_url), migrate=False)
    app = create_app(ctx, with_ui=False)
    profiler = cProfile.Profile()

    async def run() -> float:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
            token = (await http.post("/api/auth/token", json={"username": "push0", "password": PASSWORD})).json()
            headers = {"Authorization": f"Bearer {token['access_token']}"}

            async def once(k: int) -> None:
                response = await http.post("/api/sync/push", headers=headers,
                                           json={"device_id": "p", "events": [report(shas[0], k)]})
                assert response.json()["results"][0]["status"] == "accepted", response.text

            for k in range(20):
                await once(k)
            began = time.thread_time()
            profiler.enable()
            for k in range(pushes):
                await once(100 + k)
            profiler.disable()
            return time.thread_time() - began

    cpu = asyncio.run(run())
    ctx.engine.dispose()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return {"cpu_ms_per_push": cpu * 1000 / pushes, "profile": out.getvalue()}


def _print_rate(label: str, figures: dict, baseline: float | None = None) -> None:
    ratio = f"   {figures['events_per_s'] / baseline:5.2f}x baseline" if baseline else ""
    print(f"  {label:<28} {figures['events_per_s']:7.1f} events/s   p50 {figures['p50_ms']:6.1f} ms   "
          f"p95 {figures['p95_ms']:6.1f} ms   5xx {figures['5xx']}   refused {figures['refused']}   "
          f"lost {figures['lost']}   CPU ms/event: server {figures['server_cpu_ms_per_event']:4.1f}, "
          f"clients {figures['client_cpu_ms_per_event']:4.1f}, PostgreSQL {figures['database_cpu_ms_per_event']:4.1f}"
          f"{ratio}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--events", type=int, default=30, help="events per client")
    parser.add_argument("--postgres", action="store_true", help="run on PostgreSQL (else SQLite)")
    parser.add_argument("--two-servers", action="store_true", help="also two servers on one PostgreSQL")
    parser.add_argument("--profile", action="store_true", help="also profile one push in this process")
    parser.add_argument("--baseline-tree", type=Path, help="another checkout of the project (an older commit): "
                        "its server and this one alternate, --rounds times, --clients clients on one server")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    def url(label: str) -> str:
        if args.postgres:
            found = postgres_url(f"insp_bench_{label}")
            if found:
                return found
        return f"sqlite:///{data_dir(label) / 'bench.db'}"

    engine = "PostgreSQL" if args.postgres else "SQLite"
    print(f"{engine}: {args.clients} clients x {args.events} events, one event per request")
    alone = push_rate(url("push_alone"), 1, 1, args.events * 2)
    _print_rate("1 client, 1 server", alone)
    one = push_rate(url("push_one"), 1, args.clients, args.events)
    _print_rate(f"{args.clients} clients, 1 server", one, alone["events_per_s"])
    if args.two_servers:
        two = push_rate(url("push_two"), 2, args.clients, args.events)
        _print_rate(f"{args.clients} clients, 2 servers", two, one["events_per_s"])
        print(f"push-rate {engine}: one server {one['events_per_s']:.0f}/s, two servers "
              f"{two['events_per_s']:.0f}/s ({two['events_per_s'] / one['events_per_s']:.2f}x)")
    if args.baseline_tree:
        for n in range(args.rounds):
            old = push_rate(url("push_old"), 1, args.clients, args.events, root=args.baseline_tree.resolve())
            _print_rate(f"round {n + 1}: baseline tree", old)
            new = push_rate(url("push_new"), 1, args.clients, args.events)
            _print_rate(f"round {n + 1}: this tree", new, old["events_per_s"])
    if args.profile:
        found = profile_push(url("push_profile"))
        print("one push in process, wall ms: " + ", ".join(f"{k} {v:.2f}" for k, v in found["parts_ms"].items())
              + f", total {found['total_ms']:.2f}")
        print("  of which this process's CPU, ms: " + ", ".join(f"{k} {v:.2f}" for k, v in found["cpu_ms"].items())
              + f", total {found['cpu_total_ms']:.2f}")
        print(found["profile"])


if __name__ == "__main__":
    main()
