"""End-to-end helpers: Debian's Chromium through Playwright, a phone viewport, the field client process."""

import io
import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, free_port

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
PHONE = {"width": 412, "height": 915}


class FieldProcess:
    """``inspector field`` as a child process with its own data folder and port."""

    def __init__(self, server_url: str, data_dir: Path):
        self.server_url, self.data_dir = server_url, data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> "FieldProcess":
        self.data_dir.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("INSPECTOR_") and k != "DATABASE_URL"}
        env["PYTHONUNBUFFERED"] = "1"
        self.log = open(self.data_dir.parent / f"field-{self.port}.log", "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "inspector", "field", "--server", self.server_url, "--data", str(self.data_dir),
             "--port", str(self.port)], env=env, stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"field client exited with {self.process.returncode}")
            try:
                if httpx.get(self.url + "/", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.2)
        raise RuntimeError("field client did not answer in time")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        if getattr(self, "log", None):
            self.log.close()


@pytest.fixture
def field_process(tmp_path):
    made: list[FieldProcess] = []

    def make(server_url: str) -> FieldProcess:
        proc = FieldProcess(server_url, tmp_path / f"field-data-{len(made)}")
        made.append(proc)
        return proc

    yield make
    for proc in made:
        proc.kill()


@pytest.fixture
def artifacts(request) -> Path:
    """test-artifacts/<run>/<test>/ under the repo root, for screenshots."""
    run = os.environ.get("INSPECTOR_ARTIFACTS_RUN") or datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = ROOT / "test-artifacts" / run / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        if os.environ.get("INSPECTOR_REQUIRE_E2E"):
            pytest.fail("Debian's chromium is not installed, and INSPECTOR_REQUIRE_E2E is set")
        pytest.skip("Debian's chromium is not installed")
    with playwright.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


def photo_jpeg(seed: int) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (800, 600), (90 + seed * 20 % 120, 110, 80))
    draw = ImageDraw.Draw(image)
    draw.ellipse((200 + seed * 10, 250, 520, 420), fill=(60, 50 + seed * 30 % 150, 40))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


class Phone:
    """A Flutter web page driven through its accessibility tree."""

    def __init__(self, page, artifacts: Path, name: str):
        self.page, self.artifacts, self.name = page, artifacts, name
        self.console_errors: list[str] = []
        self.shots = 0
        self.font_statuses: list[int] = []
        page.on("response", lambda r: self.font_statuses.append(r.status) if "NotoSansSC-Subset" in r.url else None)
        page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)

    def open(self, url: str) -> "Phone":
        self.page.goto(url)
        placeholder = self.page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=60_000)
        try:  # the bundled CJK font (3 MB) must be in before the first screenshot
            self.page.wait_for_load_state("networkidle", timeout=30_000)
        except Exception:  # noqa: BLE001 - a slow machine: the font check in the test still decides
            pass
        self.page.wait_for_timeout(1000)
        placeholder.evaluate("e => e.click()")
        self.page.wait_for_timeout(800)
        return self

    def text(self) -> str:
        """What the accessibility tree says: visible text and the labels Flutter merges into aria-label."""
        return self.page.evaluate("""() => {
            const h = document.querySelector('flt-semantics-host');
            if (!h) return '';
            const labels = [...h.querySelectorAll('[aria-label]')].map(e => e.getAttribute('aria-label'));
            return h.innerText + '\\n' + labels.join('\\n');
        }""")

    def wait_text(self, words: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if words in self.text():
                return
            self.page.wait_for_timeout(250)
        raise AssertionError(f"{words!r} did not appear on {self.name}; screen says: {self.text()[:1500]}")

    def button(self, name: str, exact: bool = True):
        return self.page.get_by_role("button", name=name, exact=exact).first

    def tap(self, name: str, exact: bool = True) -> None:
        self.button(name, exact).click()
        self.page.wait_for_timeout(600)

    def tab(self, name: str) -> None:
        """A bottom-navigation destination (role "tab")."""
        self.page.get_by_role("tab", name=name, exact=True).click()
        self.page.wait_for_timeout(800)

    def scroll_to(self, selector: str, tries: int = 20):
        """Scroll the list under the finger until ``selector`` is rendered (lists build rows lazily)."""
        self.page.mouse.move(PHONE["width"] / 2, PHONE["height"] / 2)
        for _ in range(tries):
            found = self.page.locator(selector)
            if found.count():
                return found.first
            self.page.mouse.wheel(0, 500)
            self.page.wait_for_timeout(400)
        raise AssertionError(f"{selector} not found on {self.name}")

    def fill(self, label: str, text: str) -> None:
        box = self.page.get_by_role("textbox", name=label)
        box.click()
        self.page.keyboard.type(text)

    def pick_photo(self, button: str, data: bytes, name: str = "photo.jpg") -> None:
        with self.page.expect_file_chooser() as chooser:
            self.button(button).click()
        chooser.value.set_files({"name": name, "mimeType": "image/jpeg", "buffer": data})
        self.page.wait_for_timeout(800)

    def shot(self, label: str) -> Path:
        self.shots += 1
        path = self.artifacts / f"{self.name}-{self.shots:02d}-{label}.png"
        self.page.screenshot(path=str(path))
        return path
