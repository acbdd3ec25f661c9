"""Bytes a phone fetches for the web client: a cold load and a warm one, before and after compression.

    uv run python benchmarks/static.py [--no-browser]

Two apps over one data folder, side by side in this process: "before" serves
Flet's static files as Flet does (uncompressed, Starlette's ETag, no
Cache-Control), "after" as the server does now (``inspector.server.static``).
The files are the ones Debian's Chromium asks for when it opens the page
(recorded through Playwright; ``--no-browser`` or no Chromium: Flutter's
skwasm start-up set, listed below). Each is then fetched with httpx:

- cold: no cache. "br" is what a browser asks over HTTPS (``gzip, deflate, br``),
  "gzip" what it asks over plain HTTP (browsers offer brotli on HTTPS only);
- warm: the browser has the cold load cached. Immutable files are not asked
  for at all; the rest revalidate with ``If-None-Match`` (a 304 each).

Bytes are body bytes as sent plus the response's header bytes. The "after"
figures are measured once the best copies exist (the first phone gets the
quick ones; their sizes are printed too).
"""

import argparse
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import uvicorn
from common import ROOT  # noqa: F401,I001  (puts the repo on sys.path)
from starlette.routing import Mount

from inspector.server.app import create_app
from inspector.server.static import IMMUTABLE, CompressedStatic
from inspector.services.context import bootstrap
from inspector.settings import Settings

CHROMIUM = "/usr/bin/chromium"
# What Chromium (wasm GC, skwasm renderer) fetches to open the page, when it cannot be recorded.
# (Recorded on 2026-12-02: the login screen's characters come in 7 of the engine's Noto Sans SC slices.)
SC_SLICE = ("/assets/fonts/notosanssc/v37/"
            "k3kCo84MPvpLmixcA63oeAL7Iqp5IZJF9bmaG9_FnYkldv7JjxkkgFsFSSOPMOkySAZ73y9ViAt3acb8NexQ2w.{}.woff2")
START_UP = ["/", "/python.js", "/icons/loading-animation.png", "/flutter_bootstrap.js", "/canvaskit/skwasm.wasm",
            "/canvaskit/skwasm.js", "/main.dart.mjs", "/favicon.png", "/main.dart.wasm", "/assets/FontManifest.json",
            "/assets/fonts/MaterialIcons-Regular.otf", "/assets/packages/cupertino_icons/assets/CupertinoIcons.ttf",
            "/assets/fonts/roboto.woff2", "/fonts/NotoSansSC-Subset.woff2",
            *(SC_SLICE.format(n) for n in (108, 114, 115, 116, 117, 118, 119))]
ACCEPT = {"br": "gzip, deflate, br", "gzip": "gzip, deflate", "none": "identity"}


class Served:
    """One app on a loopback port, in a thread (with its lifespan, the page's websocket works)."""

    def __init__(self, app, lifespan: str = "off"):
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan=lifespan)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        while not self.server.started:
            time.sleep(0.05)
        self.url = f"http://127.0.0.1:{self.server.servers[0].sockets[0].getsockname()[1]}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def static_mount(app) -> Mount:
    """The Mount inside the UI sub-app that serves Flet's static files."""
    ui = next(route.app for route in app.routes if isinstance(route, Mount) and route.path == "")
    return next(route for route in ui.routes if isinstance(route, Mount) and isinstance(route.app, CompressedStatic))


def recorded_paths(url: str) -> list[str] | None:
    """The same-origin GETs Chromium makes to open the page and draw the login screen, in order;
    None without a browser."""
    try:
        from playwright.sync_api import sync_playwright  # optional: a benchmark may run without it
    except ImportError:
        return None
    if not Path(CHROMIUM).exists():
        return None
    seen: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 412, "height": 915})
        pending: set[str] = set()
        last = [time.monotonic()]

        def started(request) -> None:
            last[0] = time.monotonic()
            pending.add(request.url)
            if request.method == "GET" and request.url.startswith(url):
                seen.append(request.url)

        page.on("request", started)
        page.on("requestfinished", lambda r: pending.discard(r.url))
        page.on("requestfailed", lambda r: pending.discard(r.url))
        page.goto(url + "/")
        page.wait_for_selector("flt-glass-pane, flutter-view", state="attached", timeout=120_000)
        page.wait_for_load_state("networkidle", timeout=120_000)
        # the page's fonts come after the websocket's first message, the engine's slices after the first
        # text: quiet means nothing in flight for 3 s once a slice was asked for (or 120 s went by)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and (pending or time.monotonic() - last[0] < 3
                                               or not any("/notosanssc/" in u for u in seen)):
            page.wait_for_timeout(250)
        browser.close()
    paths = [urlsplit(u).path or "/" for u in seen]
    return [p for i, p in enumerate(paths) if p not in paths[:i] and p != "/ws"]


def sent(response: httpx.Response, body: bytes) -> int:
    """Bytes of the answer on the wire: status line, headers, body."""
    return 17 + sum(len(k) + len(v) + 4 for k, v in response.headers.raw) + 2 + len(body)


def fetch(client: httpx.Client, path: str, **headers) -> tuple[httpx.Response, int]:
    with client.stream("GET", path, headers=headers) as response:
        return response, sent(response, b"".join(response.iter_raw()))


def loads(client: httpx.Client, paths: list[str], accept: str) -> tuple[int, int, dict[str, int]]:
    """(cold bytes, warm bytes, cold bytes by path) of loading ``paths`` with ``Accept-Encoding: accept``."""
    cold, warm, by_path = 0, 0, {}
    for path in paths:
        response, size = fetch(client, path, **{"Accept-Encoding": accept})
        cold += size
        by_path[path] = size
        if response.headers.get("cache-control") == IMMUTABLE:
            continue  # the browser does not ask again
        etag = response.headers.get("etag")
        _again, size = fetch(client, path, **{"Accept-Encoding": accept, **({"If-None-Match": etag} if etag else {})})
        warm += size
    return cold, warm, by_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-browser", action="store_true", help="use the built-in start-up list")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="inspector-bench-static-"))
    ctx = bootstrap(Settings(data_dir=folder / "data", database_url=f"sqlite:///{folder / 'inspector.db'}"))
    after_app, before_app = create_app(ctx), create_app(ctx)
    mount = static_mount(before_app)
    mount.app = mount.app.files  # "before": Flet's own static files
    after, before = Served(after_app), Served(before_app, lifespan="on")
    try:
        paths = None if args.no_browser else recorded_paths(before.url)
        source = "recorded from Chromium" if paths else "built-in start-up list"
        paths = paths or START_UP
        with httpx.Client(base_url=before.url, timeout=120) as b, httpx.Client(base_url=after.url, timeout=120) as a:
            base_cold, base_warm, base_files = loads(b, paths, ACCEPT["none"])
            quick_cold, _w, _f = loads(a, paths, ACCEPT["br"])
            static_mount(after_app).app.cache.wait_for_best()
            rows = {name: loads(a, paths, accept) for name, accept in ACCEPT.items()}
    finally:
        after.stop()
        before.stop()
    mb = 1e6
    print(f"{len(paths)} files ({source}):")
    for path in paths:
        print(f"  {path:48} {base_files[path] / 1e3:9.1f} kB -> br {rows['br'][2][path] / 1e3:9.1f} kB, "
              f"gzip {rows['gzip'][2][path] / 1e3:9.1f} kB")
    print(f"{'':34}{'cold load':>14}{'warm load':>14}")
    print(f"{'before (uncompressed, no Cache-Control)':34}{base_cold / mb:11.2f} MB{base_warm / 1e3:11.1f} kB")
    for name, label in (("br", "after, HTTPS (brotli)"), ("gzip", "after, plain HTTP (gzip)"),
                        ("none", "after, no compression asked")):
        cold, warm, _files = rows[name]
        print(f"{label:34}{cold / mb:11.2f} MB{warm / 1e3:11.1f} kB")
    print(f"{'first phone, quick brotli copies':34}{quick_cold / mb:11.2f} MB")


if __name__ == "__main__":
    main()
