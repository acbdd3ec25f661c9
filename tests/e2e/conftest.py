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

from tests.conftest import ROOT, wait_for_port
# the page helpers, where the tests import them from
from tests.e2e.phone import APP_BAR, BOTTOM_BAR, PHONE, RENDERED_JS, TEXT_JS, TWO_FRAMES, Phone  # noqa: F401

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


class FieldProcess:
    """``inspector field`` as a child process with its own data folder, on the port it bound (``--port 0``).

    ``clock_start`` drives its clock (``INSPECTOR_CLOCK_START``), e.g. ``server.now()`` so the
    phone's clock agrees with the server it talks to.
    """

    def __init__(self, server_url: str, data_dir: Path, clock_start: datetime | None = None):
        self.server_url, self.data_dir, self.clock_start = server_url, data_dir, clock_start
        self.port: int | None = None
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> "FieldProcess":
        deadline = time.monotonic() + timeout
        self.data_dir.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("INSPECTOR_") and k != "DATABASE_URL"}
        env["PYTHONUNBUFFERED"] = "1"
        if self.clock_start is not None:
            env["INSPECTOR_CLOCK_START"] = self.clock_start.isoformat()
        path = self.data_dir.parent / f"{self.data_dir.name}.log"
        self.log = open(path, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "inspector", "field", "--server", self.server_url, "--data", str(self.data_dir),
             "--port", str(self.port or 0)], env=env, stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT)
        self.port = self.port or wait_for_port(self.process, path, deadline, "field client")
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

    def make(server_url: str, clock_start: datetime | None = None) -> FieldProcess:
        proc = FieldProcess(server_url, tmp_path / f"field-data-{len(made)}", clock_start)
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
