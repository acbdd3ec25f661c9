"""L: many browser sessions of the web UI in headless Chromium, counting "memory access out of bounds".

Not a test (minutes long). One demo server; per Chromium mode (default, --disable-gpu,
--use-gl=swiftshader) ``--sessions`` fresh browsers each log in at the desk, open the map
(markers, sites) and a photo full screen, and wait for the screen to render. Every console
message, page error and renderer crash is kept; the summary counts per mode.

    uv run python benchmarks/renderer_sessions.py --sessions 13 --modes default,disable-gpu,swiftshader
"""

import argparse
import json
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conftest import ServerProcess  # noqa: E402
from tests.e2e.conftest import ARGS, CHROMIUM, RENDERED_JS  # noqa: E402

BASE = [a for a in ARGS if a != "--disable-gpu"]
MODES = {"default": BASE, "disable-gpu": [*BASE, "--disable-gpu"], "swiftshader": [*BASE, "--use-gl=swiftshader"]}
OOB = "memory access out of bounds"


def session(url: str, mode: str, n: int) -> dict:
    """One fresh browser: login, map, a photo; what the console said and whether it rendered."""
    from playwright.sync_api import sync_playwright  # lazy: only this tool needs Playwright

    from tests.e2e.test_desk import Desk

    found = {"mode": mode, "n": n, "console": [], "page_errors": [], "crashed": False, "ok": False}
    started = time.monotonic()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=MODES[mode])
        try:
            page = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN").new_page()
            page.on("console", lambda m: found["console"].append(f"{m.type}: {m.text[:300]}"))
            page.on("pageerror", lambda e: found["page_errors"].append(str(e)[:300]))
            page.on("crash", lambda *_: found.__setitem__("crashed", True))
            desk = Desk(page, Path(tempfile.gettempdir()), f"{mode}-{n}")
            desk.open(url)
            desk.login("dudao")
            desk.rail("地图")
            desk.wait_text("地图上", 60)
            desk.rail("审核")
            desk.wait_text("快捷键", 60)
            page.wait_for_function(RENDERED_JS, timeout=30_000)
            found["ok"] = True
        except Exception as error:  # noqa: BLE001 - a tool: every failure is a figure, not a stop
            found["error"] = f"{type(error).__name__}: {str(error)[:300]}"
        finally:
            browser.close()
    found["seconds"] = round(time.monotonic() - started, 1)
    found["oob"] = any(OOB in m for m in found["console"] + found["page_errors"])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=13, help="sessions per mode")
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--out", default="/tmp/renderer_sessions.json")
    options = parser.parse_args()
    modes = options.modes.split(",")
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        data.mkdir()
        server = ServerProcess(data, f"sqlite:///{data / 'inspector.db'}", ui=True, extra=("--demo",))
        server.start(timeout=180)
        try:
            jobs = [(m, n) for n in range(options.sessions) for m in modes]
            with ThreadPoolExecutor(options.workers) as pool:
                results = list(pool.map(lambda job: session(server.url, *job), jobs))
        finally:
            server.kill()
    Path(options.out).write_text(json.dumps(results, ensure_ascii=False, indent=1))
    for mode in modes:
        mine = [r for r in results if r["mode"] == mode]
        print(f"{mode:12s} sessions={len(mine)} ok={sum(r['ok'] for r in mine)} oob={sum(r['oob'] for r in mine)} "
              f"crashed={sum(r['crashed'] for r in mine)} errors={sum(1 for r in mine if 'error' in r)} "
              f"median_s={sorted(r['seconds'] for r in mine)[len(mine) // 2]}")


if __name__ == "__main__":
    main()
