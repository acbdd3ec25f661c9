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

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
PHONE = {"width": 412, "height": 915}
BOTTOM_BAR = 80  # the phone layout's navigation bar covers the bottom of the page
APP_BAR = 64  # and its app bar the top


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


TEXT_JS = """() => {
    const h = document.querySelector('flt-semantics-host');
    if (!h) return '';
    const labels = [...h.querySelectorAll('[aria-label]')].map(e => e.getAttribute('aria-label'));
    return h.innerText + '\\n' + labels.join('\\n');
}"""
# the app has drawn something a person can read or tap (semantics are on and the first frame is in)
RENDERED_JS = """() => {
    const h = document.querySelector('flt-semantics-host');
    return !!h && !!h.querySelector('[role], [aria-label], input');
}"""


class Phone:
    """A Flutter web page driven through its accessibility tree.

    Nothing here sleeps: every step waits for a condition (words on the screen, a button, the
    focused field, a selected destination) with a deadline, and says what the screen showed
    when the deadline passed. Steps that may be lost on a loaded machine (enabling semantics,
    typing into a field just focused) are checked and done again.
    """

    def __init__(self, page, artifacts: Path, name: str):
        self.page, self.artifacts, self.name = page, artifacts, name
        self.console_errors: list[str] = []
        self.shots = 0
        self.font_statuses: list[int] = []
        page.on("response", lambda r: self.font_statuses.append(r.status) if "NotoSansSC-Subset" in r.url else None)
        page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)

    def open(self, url: str, timeout: float = 120) -> "Phone":
        """Load the app, then turn Flutter's semantics on (tapping its placeholder until the tree appears)."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        deadline = time.monotonic() + timeout
        self.page.goto(url, timeout=timeout * 1000)
        self.page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=timeout * 1000)
        try:  # the bundled CJK font (3 MB) should be in before the first screenshot
            self.page.wait_for_load_state("networkidle", timeout=30_000)
        except PlaywrightTimeout:
            pass  # a slow machine: the font checks at the end of each test decide
        while True:
            # a tap before the engine listens is lost: tap again until the semantics tree is there
            self.page.evaluate("() => document.querySelector('flt-semantics-placeholder')?.click()")
            try:
                self.page.wait_for_function(RENDERED_JS, timeout=5_000)
                return self
            except PlaywrightTimeout:
                if time.monotonic() > deadline:
                    raise AssertionError(f"{self.name}: the app did not render at {url}") from None

    def text(self, timeout: float = 60) -> str:
        """What the accessibility tree says: visible text and the labels Flutter merges into aria-label.

        Read through ``wait_for_function`` because its timeout is kept by Playwright, outside the page:
        a renderer that stops answering (see docs/architecture.md on the frozen sessions) fails the test
        after ``timeout`` seconds instead of hanging the run.
        """
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            answer = self.page.wait_for_function(f"() => ({{text: ({TEXT_JS})()}})", timeout=timeout * 1000)
            return answer.json_value()["text"]
        except PlaywrightTimeout:
            raise AssertionError(f"the page of {self.name} stopped answering for {timeout:.0f} s") from None

    def wait_until(self, js: str, arg=None, timeout: float = 30, what: str = "") -> None:
        """Wait until the page function ``js(arg)`` is true; fail with what the screen says."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            self.page.wait_for_function(js, arg=arg, timeout=timeout * 1000)
        except PlaywrightTimeout:
            raise AssertionError(f"{what or js} did not happen on {self.name} in {timeout:.0f} s; "
                                 f"screen says: {self.text()[:4000]}") from None

    def wait_text(self, words: str, timeout: float = 30) -> None:
        self.wait_until(f"words => ({TEXT_JS})().includes(words)", words, timeout, f"{words!r} appearing")

    def wait_no_text(self, words: str, timeout: float = 30) -> None:
        self.wait_until(f"words => !({TEXT_JS})().includes(words)", words, timeout, f"{words!r} going away")

    def wait_screen(self, ok, what: str, timeout: float = 30) -> str:
        """Wait until ``ok(screen text)`` holds, re-reading whenever the screen changes; returns that text."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        deadline = time.monotonic() + timeout
        while True:
            text = self.text()
            if ok(text):
                return text
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{what} did not happen on {self.name}; screen says: {text[:1500]}")
            try:
                self.page.wait_for_function(f"old => ({TEXT_JS})() !== old", arg=text, timeout=left * 1000)
            except PlaywrightTimeout:
                pass  # read once more, then fail with what the screen says

    def button(self, name: str, exact: bool = True):
        return self.page.get_by_role("button", name=name, exact=exact).first

    def wait_button(self, name: str, exact: bool = True, timeout: float = 30):
        """The button, once it is on the screen."""
        button = self.button(name, exact)
        button.wait_for(state="visible", timeout=timeout * 1000)
        return button

    def tap(self, name: str, exact: bool = True, until: str | None = None, timeout: float = 30,
            again: bool = False) -> None:
        """Tap a button (Playwright waits for it to be there and still); with ``until``, wait for those words.
        ``again``: tap again while the words do not come (see ``until_taken``)."""
        if not again:
            self.wait_button(name, exact, timeout).click()
            if until is not None:
                self.wait_text(until, timeout)
            return
        self.until_taken(lambda: self.wait_button(name, exact, timeout).click(),
                         f"words => ({TEXT_JS})().includes(words)", until, f"{until!r} after tapping {name}",
                         timeout=max(timeout, 60))

    def until_taken(self, act, js: str, arg=None, what: str = "", timeout: float = 60, wait: float = 8) -> None:
        """Do ``act()`` until ``js(arg)`` holds: a tap that lands while Flet rebuilds the screen is lost
        (its control is gone), so one that shows no effect within ``wait`` seconds is done again.
        Only for acts that are harmless twice (opening, choosing, or guarded by the app's busy flag)."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        deadline = time.monotonic() + timeout
        while True:
            act()
            try:
                self.page.wait_for_function(js, arg=arg, timeout=wait * 1000)
                return
            except PlaywrightTimeout:
                if time.monotonic() > deadline:
                    raise AssertionError(f"{what or js} did not happen on {self.name}; "
                                         f"screen says: {self.text()[:4000]}") from None

    def tap_icon(self, label: str, timeout: float = 30) -> None:
        """Tap an icon button by its tooltip (Flutter puts the label on a wrapper around the button)."""
        self.page.get_by_label(label, exact=True).first.click(timeout=timeout * 1000)

    def tab(self, name: str, timeout: float = 30) -> None:
        """A bottom-navigation destination (role "tab"), tapped until it is the selected one."""
        tab = self.page.get_by_role("tab", name=name, exact=True)
        tab.click(timeout=timeout * 1000)
        self.wait_until("e => e.getAttribute('aria-selected') === 'true'", tab.element_handle(), timeout,
                        f"tab {name} selected")

    def scroll_to(self, selector: str, tries: int = 20):
        """Scroll the list under the finger until ``selector`` is rendered (lists build rows lazily)."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        self.page.mouse.move(PHONE["width"] / 2, PHONE["height"] / 2)
        found = self.page.locator(selector).first
        for _ in range(tries):
            try:
                found.wait_for(state="attached", timeout=1_500)
                return found
            except PlaywrightTimeout:
                self.page.mouse.wheel(0, 500)
        raise AssertionError(f"{selector} not found on {self.name}")

    def wheel(self, dy: int, below: str | None = None, timeout: float = 30) -> None:
        """Scroll the page under the finger by ``dy``; with ``below``, on until that button stands whole
        between the top and the bottom bar, and has stopped moving."""
        self.page.mouse.move(PHONE["width"] / 2, PHONE["height"] / 2)
        self.page.mouse.wheel(0, dy)
        if below is None:
            return
        deadline = time.monotonic() + timeout
        while True:
            button = self.wait_button(below, timeout=timeout)
            self.settled(button)
            top, bottom = button.evaluate("e => { const r = e.getBoundingClientRect(); return [r.top, r.bottom]; }")
            if top >= APP_BAR and bottom <= PHONE["height"] - BOTTOM_BAR:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"{below} on {self.name} stays out of view ({top:.0f}-{bottom:.0f})")
            self.page.mouse.wheel(0, 120 if bottom > PHONE["height"] - BOTTOM_BAR else -120)

    def box(self, locator, timeout: float = 30) -> dict:
        """``locator``'s rectangle once it has one: Flutter rebuilds its semantics nodes, so an element
        seen visible a moment ago may be detached and replaced when its box is asked for."""
        deadline = time.monotonic() + timeout
        while True:
            locator.wait_for(state="visible", timeout=max(1, deadline - time.monotonic()) * 1000)
            rect = locator.bounding_box()
            if rect:
                return rect
            if time.monotonic() > deadline:
                raise AssertionError(f"{locator} on {self.name} never kept a box for {timeout:.0f} s")

    def settled(self, locator) -> None:
        """Until ``locator``'s box is the same in two frames running."""
        locator.evaluate("""e => new Promise(done => {
            let last = null;
            const tick = () => {
                const r = e.getBoundingClientRect(), now = [r.x, r.y, r.width, r.height].join();
                if (now === last) done(true); else { last = now; requestAnimationFrame(tick); }
            };
            requestAnimationFrame(tick);
        })""")

    def fill(self, label: str, text: str, replace: bool = False, timeout: float = 30) -> None:
        """Type into the field labelled ``label``; clicked again if the click did not focus it (a banner
        coming or going moves the form under the pointer), typed again if keys went elsewhere."""
        box = self.page.get_by_role("textbox", name=label)
        deadline = time.monotonic() + timeout
        has_keyboard = "() => ['INPUT', 'TEXTAREA'].includes(document.activeElement?.tagName)"
        while True:
            box.click(timeout=timeout * 1000)
            # a text input has the keyboard (Flutter may move focus to an <input> of its own)
            try:
                self.wait_until(has_keyboard, None, 5, f"{label} focused")
            except AssertionError:
                if time.monotonic() > deadline:
                    raise
                continue
            typed = "() => document.activeElement?.value ?? ''"  # the <input> that has the keyboard
            expected = text if replace else self.page.evaluate(typed) + text
            if replace:
                self.page.keyboard.press("Control+A")
            self.page.keyboard.type(text)
            if self.page.evaluate(typed) == expected:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"{label} on {self.name} holds {self.page.evaluate(typed)!r}, not {expected!r}")
            replace = True  # start over from an empty field

    def pick_photo(self, button: str, data: bytes, name: str = "photo.jpg") -> None:
        with self.page.expect_file_chooser() as chooser:
            self.wait_button(button).click()
        chooser.value.set_files({"name": name, "mimeType": "image/jpeg", "buffer": data})

    def login(self, username: str, until: str, password: str = "cw-demo-2026", timeout: float = 90) -> None:
        """Log in and wait for ``until``. While the login screen stays, the fields are typed again and the
        tap repeated: on a loaded machine the app may take the tap before it has the words typed."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        self.wait_text("登录", timeout)
        deadline = time.monotonic() + timeout
        while True:
            button = self.button("登录")
            if button.count() and button.is_enabled():  # greyed: the server is still checking the password
                self.fill("用户名", username, replace=True)
                self.fill("密码", password, replace=True)
                button.click()
            try:
                self.page.wait_for_function(f"words => ({TEXT_JS})().includes(words)", arg=until, timeout=20_000)
                return
            except PlaywrightTimeout:
                if time.monotonic() > deadline:
                    raise AssertionError(f"{username} did not get in on {self.name}; screen says: "
                                         f"{self.text()[:1500]}") from None

    def shot(self, label: str) -> Path:
        self.shots += 1
        path = self.artifacts / f"{self.name}-{self.shots:02d}-{label}.png"
        self.page.screenshot(path=str(path))
        return path
