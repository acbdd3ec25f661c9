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

The rare-character font (``theme.FONT_FILE``) is not part of a cold load: a page registers it
once it has a text that needs it (``inspector.ui.rare_font``); its bytes are printed beside the
cold loads, as the cost a screen with such a character adds (and what every cold load carried
before issue 14's lazy font).

Then Chromium itself loads the "after" server cold (a fresh profile) and warm
(the same profile again) over plain HTTP and over HTTPS (a self-signed
certificate: Chromium then asks for brotli on its own), and the bytes it counts
on the wire for each same-origin response are printed by file and in all.
"""

import argparse
import socket
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
from inspector.ui.iconfont import IconFont
from inspector.ui.theme import FONT_FILE

CHROMIUM = "/usr/bin/chromium"
# What Chromium (wasm GC, skwasm renderer) fetches to open the page, when it cannot be recorded.
# (Recorded on 2026-12-02: the login screen's characters come in 7 of the engine's Noto Sans SC slices;
# the Material icons are Inspector's cut, inspector.ui.iconfont, and the Cupertino ones are not loaded;
# the rare-character font, RARE_FONT, only once a screen shows one of its characters.)
SC_SLICE = ("/assets/fonts/notosanssc/v37/"
            "k3kCo84MPvpLmixcA63oeAL7Iqp5IZJF9bmaG9_FnYkldv7JjxkkgFsFSSOPMOkySAZ73y9ViAt3acb8NexQ2w.{}.woff2")
START_UP = ["/", "/python.js", "/icons/loading-animation.png", "/flutter_bootstrap.js", "/canvaskit/skwasm.wasm",
            "/canvaskit/skwasm.js", "/main.dart.mjs", "/favicon.png", "/main.dart.wasm", "/assets/FontManifest.json",
            f"/assets/{IconFont(Path(tempfile.gettempdir())).asset}", "/assets/fonts/roboto.woff2",
            *(SC_SLICE.format(n) for n in (108, 114, 115, 116, 117, 118, 119))]
RARE_FONT = "/" + FONT_FILE
ACCEPT = {"br": "gzip, deflate, br", "gzip": "gzip, deflate", "none": "identity"}
# Loopback is a secure origin to Chromium (it asks for brotli there and the page is cross-origin
# isolated, so the engine takes skwasm); on a plain-HTTP network address it asks for gzip only and,
# not isolated, takes the single-threaded skwasm_heavy instead.
NOT_ISOLATED = {"/canvaskit/skwasm.wasm": "/canvaskit/skwasm_heavy.wasm", "/canvaskit/skwasm.js": "/canvaskit/skwasm_heavy.js"}


class Served:
    """One app on a loopback port, in a thread (with its lifespan, the page's websocket works)."""

    def __init__(self, app, lifespan: str = "off", host: str = "127.0.0.1", **tls):
        config = uvicorn.Config(app, host=host, port=0, log_level="warning", lifespan=lifespan, **tls)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        while not self.server.started:
            time.sleep(0.05)
        self.url = f"http://{host}:{self.server.servers[0].sockets[0].getsockname()[1]}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def static_holder(app):
    """What holds the ``CompressedStatic`` serving Flet's static files in ``app``'s UI (as its ``app``):
    the UI's Mount, or the page's font-preloading wrapper inside it."""
    ui = next(route.app for route in app.routes if isinstance(route, Mount) and route.path == "")
    for route in ui.routes:
        if isinstance(route, Mount):
            for holder in (route, getattr(route, "app", None)):
                if isinstance(getattr(holder, "app", None), CompressedStatic):
                    return holder
    raise LookupError("no CompressedStatic in the UI's routes")


def settle(page, url: str, same_origin: list[str]) -> None:
    """Open ``url`` in ``page`` and wait until the login screen is drawn and the network is quiet: the
    page's fonts come after the websocket's first message, the engine's slices after the first text, so
    quiet means nothing in flight for 3 s once a slice was asked for (or 120 s went by). Fills
    ``same_origin`` with the URLs of the GETs to ``url``'s origin, in order."""
    pending: set[str] = set()
    last = [time.monotonic()]

    def started(request) -> None:
        last[0] = time.monotonic()
        pending.add(request.url)
        if request.method == "GET" and request.url.startswith(url):
            same_origin.append(request.url)

    page.on("request", started)
    page.on("requestfinished", lambda r: pending.discard(r.url))
    page.on("requestfailed", lambda r: pending.discard(r.url))
    page.goto(url + "/")
    page.wait_for_selector("flt-glass-pane, flutter-view", state="attached", timeout=300_000)
    page.wait_for_load_state("networkidle", timeout=300_000)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (pending or time.monotonic() - last[0] < 3
                                           or not any("/notosanssc/" in u for u in same_origin)):
        page.wait_for_timeout(250)


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
        settle(browser.new_page(viewport={"width": 412, "height": 915}), url, seen)
        browser.close()
    paths = [urlsplit(u).path or "/" for u in seen]
    return [p for i, p in enumerate(paths) if p not in paths[:i] and p != "/ws"]


def chromium_load(browser, url: str) -> tuple[dict[str, tuple[int, str]], int]:
    """What Chromium itself transfers opening ``url`` cold, in a fresh profile, then warm, opening it
    again in the same profile: ({path: (bytes, Content-Encoding)} of the cold load, warm bytes). Bytes
    are Chromium's own count of each same-origin response on the wire (headers and encoded body,
    ``encodedDataLength``; the websocket left out)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout  # lazy: optional, as in recorded_paths

    context = browser.new_context(viewport={"width": 412, "height": 915}, ignore_https_errors=True)
    loads = []
    for _visit in ("cold", "warm"):
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        urls, encodings, sizes = {}, {}, {}

        def received(event, urls=urls, encodings=encodings) -> None:
            urls[event["requestId"]] = event["response"]["url"]
            headers = {k.lower(): v for k, v in event["response"]["headers"].items()}
            encodings[event["requestId"]] = headers.get("content-encoding", "-")

        cdp.on("Network.responseReceived", received)
        cdp.on("Network.loadingFinished", lambda e, sizes=sizes: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
        try:
            settle(page, url, [])
        except PlaywrightTimeout:  # a loaded machine: say so, keep the other figures
            print(f"Chromium did not draw {url} in time; its figures are partial")
        page.wait_for_timeout(500)  # the last loadingFinished events
        by_path: dict[str, tuple[int, str]] = {}
        for request, address in urls.items():
            if address.startswith(url) and request in sizes:
                path = urlsplit(address).path or "/"
                size, _enc = by_path.get(path, (0, ""))
                by_path[path] = (size + int(sizes[request]), encodings[request])
        loads.append(by_path)
        page.close()
    context.close()
    return loads[0], sum(size for size, _enc in loads[1].values())


def outward_address() -> str | None:
    """This machine's address on its network: Chromium counts loopback as a secure origin and asks it
    for brotli even over plain HTTP, so the plain-HTTP load goes to this address instead."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))  # no packet leaves: this only picks the interface
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if address.startswith("127.") else address


def chromium_figures(app, folder: Path) -> dict[str, tuple[dict[str, tuple[int, str]], int]] | None:
    """Cold and warm loads as Chromium transfers them from ``app``, over plain HTTP (on this machine's
    network address) and over HTTPS (a self-signed certificate), once its best copies exist; None
    without a browser. Flet's session manager is the one another server's lifespan started."""
    try:
        from playwright.sync_api import sync_playwright  # optional: a benchmark may run without it
    except ImportError:
        return None
    if not Path(CHROMIUM).exists():
        return None
    from inspector.server.tls import make_self_signed  # lazy: only this part serves HTTPS

    cert, key = folder / "cert.pem", folder / "key.pem"
    make_self_signed(cert, key, "127.0.0.1")
    secure = Served(app, ssl_certfile=str(cert), ssl_keyfile=str(key))
    address = outward_address()
    plain = Served(app, host=address) if address else None
    secure.url = secure.url.replace("http://", "https://")
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            figures = {"HTTPS": chromium_load(browser, secure.url)}
            if plain is not None:
                figures["HTTP"] = chromium_load(browser, plain.url)
            browser.close()
    finally:
        secure.stop()
        if plain is not None:
            plain.stop()
    return figures


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
    holder = static_holder(before_app)
    holder.app = holder.app.files  # "before": Flet's own static files
    after, before = Served(after_app), Served(before_app, lifespan="on")
    try:
        paths = None if args.no_browser else recorded_paths(before.url)
        source = "recorded from Chromium" if paths else "built-in start-up list"
        paths = paths or START_UP
        with httpx.Client(base_url=before.url, timeout=120) as b, httpx.Client(base_url=after.url, timeout=120) as a:
            base_cold, base_warm, base_files = loads(b, paths, ACCEPT["none"])
            quick_cold, _w, _f = loads(a, paths, ACCEPT["br"])
            network = [NOT_ISOLATED.get(path, path) for path in paths]
            loads(a, network, ACCEPT["gzip"])
            static_holder(after_app).app.cache.wait_for_best()
            rows = {name: loads(a, paths, accept) for name, accept in ACCEPT.items()}
            rows["network"] = loads(a, network, ACCEPT["gzip"])
            rare = {name: fetch(a, RARE_FONT, **{"Accept-Encoding": ACCEPT[name]})[1] for name in ("br", "gzip")}
        figures = None if args.no_browser else chromium_figures(after_app, folder)
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
                        ("network", "after, plain HTTP, not isolated"), ("none", "after, no compression asked")):
        cold, warm, _files = rows[name]
        print(f"{label:34}{cold / mb:11.2f} MB{warm / 1e3:11.1f} kB")
    print(f"{'first phone, quick brotli copies':34}{quick_cold / mb:11.2f} MB")
    in_cold = RARE_FONT in paths
    print(f"rare-character font {RARE_FONT}: br {rare['br'] / 1e3:.1f} kB, gzip {rare['gzip'] / 1e3:.1f} kB, "
          f"{'IN the cold load' if in_cold else 'not in the cold load'}; a cold load that carried it: "
          f"HTTPS {(rows['br'][0] + (0 if in_cold else rare['br'])) / mb:.2f} MB, plain HTTP not isolated "
          f"{(rows['network'][0] + (0 if in_cold else rare['gzip'])) / mb:.2f} MB")
    if figures:
        print("\nAs Chromium transfers them (its encodedDataLength: headers and body), cold by file:")
        https, http = figures["HTTPS"][0], figures.get("HTTP", ({}, 0))[0]
        for path in dict.fromkeys([*https, *http]):
            (bs, be), (gs, ge) = https.get(path, (0, "")), http.get(path, (0, ""))
            print(f"  {path:48} HTTPS {bs / 1e3:9.1f} kB {be:5}  HTTP {gs / 1e3:9.1f} kB {ge:5}")
        for name, (cold, warm) in figures.items():
            total = sum(size for size, _enc in cold.values())
            eager = rare["br" if name == "HTTPS" else "gzip"] if RARE_FONT not in cold else 0
            print(f"{'Chromium over ' + name:34}{total / mb:11.2f} MB{warm / 1e3:11.1f} kB"
                  f"   (with the rare font eager, as before: {(total + eager) / mb:.2f} MB)")
        print("(over HTTPS Chromium caches nothing from a self-signed certificate: its warm figure is a"
              " second cold load; the httpx rows above give the warm one)")


if __name__ == "__main__":
    main()
