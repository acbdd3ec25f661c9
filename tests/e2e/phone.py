"""The phone (or desk) page in Chromium, driven through Flutter's accessibility tree: every step waits
for a condition, and the steps a rebuild may swallow are done again (``Phone``)."""

import re
import time
from pathlib import Path

PHONE = {"width": 412, "height": 915}
BOTTOM_BAR = 80  # the phone layout's navigation bar covers the bottom of the page
APP_BAR = 64  # and its app bar the top


TEXT_JS = """() => {
    const h = document.querySelector('flt-semantics-host');
    if (!h) return '';
    const labels = [...h.querySelectorAll('[aria-label]')].map(e => e.getAttribute('aria-label'));
    return h.innerText + '\\n' + labels.join('\\n');
}"""
TWO_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"
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
        # the CJK fonts Inspector serves: the engine's slices (the rare-character font only on a screen needing it)
        page.on("response", lambda r: self.font_statuses.append(r.status)
                if "/assets/fonts/noto" in r.url or "NotoSansSC-Subset" in r.url else None)
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
        self.click_until(self.button(name, exact), until, f"{until!r} after tapping {name}", max(timeout, 60))

    def click_until(self, locator, words: str, what: str = "", timeout: float = 60) -> None:
        """Click ``locator`` until ``words`` are on the screen (``until_taken``: only for harmless acts). The
        first click waits for the control to be drawn; a later one gives up soon if it has gone."""
        clicks = []

        def click() -> None:
            clicks.append(1)
            locator.click(timeout=(timeout if len(clicks) == 1 else 5) * 1000)

        self.until_taken(click, f"words => ({TEXT_JS})().includes(words)", words,
                         what or f"{words!r} after a click", timeout)

    def confirm(self, name: str, title: str, until: str, timeout: float = 60) -> None:
        """Tap the open dialog's button ``name`` until ``until`` shows. Tapped again only while the dialog
        (its ``title``) is still open: its submit is guarded by a busy flag, and once it has closed the
        same name may be a button of the screen under it, which must not be tapped."""
        button = self.page.get_by_role("button", name=name, exact=True).last
        clicks = []

        def click() -> None:
            clicks.append(1)
            if len(clicks) == 1 or title in self.text():
                button.click(timeout=(timeout if len(clicks) == 1 else 5) * 1000)

        self.until_taken(click, f"words => ({TEXT_JS})().includes(words)", until, f"{until!r} after {name}", timeout)

    def until_taken(self, act, js, arg=None, what: str = "", timeout: float = 60, wait: float = 8) -> None:
        """Do ``act()`` until ``js(arg)`` holds (``js`` a page function, or a locator: until it is attached):
        a tap that lands while Flet rebuilds the screen is lost (its control is gone), so one that shows no
        effect within ``wait`` seconds is done again. A later act that cannot be done (its control went away,
        as when the first one was taken after all) only waits on. Only for acts that are harmless twice
        (opening, choosing, or guarded by the app's busy flag)."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        deadline = time.monotonic() + timeout
        first = True
        while True:
            try:
                act()
            except PlaywrightTimeout:
                if first:
                    raise
            first = False
            try:
                if isinstance(js, str):
                    self.page.wait_for_function(js, arg=arg, timeout=wait * 1000)
                else:
                    js.first.wait_for(state="attached", timeout=wait * 1000)
                return
            except PlaywrightTimeout:
                if time.monotonic() > deadline:
                    raise AssertionError(f"{what or js} did not happen on {self.name}; "
                                         f"screen says: {self.text()[:4000]}") from None

    def choose(self, locator, timeout: float = 60, wait: float = 8) -> None:
        """Tap a choice whose chosen state is only drawn (a colour: no state in the accessibility tree)
        until its picture changes and holds: a tap that lands on the choice just before the form is built
        again is lost, so one that changes nothing within ``wait`` seconds is done again (choosing twice
        is choosing). The pointer rests on it first, so a hover highlight is in both pictures."""
        from playwright.sync_api import Error as PlaywrightError  # lazy: optional, the browser fixture skips

        def picture() -> bytes | None:
            try:
                return locator.screenshot(timeout=wait * 1000)
            except PlaywrightError:  # its node was replaced while the shot was taken: look again
                return None

        deadline = time.monotonic() + timeout
        locator.hover()
        before = picture()
        while before is None and time.monotonic() < deadline:
            before = picture()
        if before is None:
            raise AssertionError(f"{locator} on {self.name} never held still for a picture")
        while True:
            locator.click()
            last, end = None, time.monotonic() + wait
            while time.monotonic() < end:
                self.page.evaluate(TWO_FRAMES)
                now = picture()
                if now is not None and now != before and now == last:
                    return
                last = now
            if time.monotonic() > deadline:
                raise AssertionError(f"{locator} on {self.name} never showed chosen; screen says: {self.text()[:2000]}")

    def tap_icon(self, label: str, timeout: float = 30) -> None:
        """Tap an icon button by its tooltip (Flutter puts the label on a wrapper around the button)."""
        self.page.get_by_label(label, exact=True).first.click(timeout=timeout * 1000)

    def tab(self, name: str, timeout: float = 60) -> None:
        """A bottom-navigation destination (role "tab"), tapped until it is the selected one (asked of the
        tree each time: the node tapped may be rebuilt, and a tap during a rebuild lost)."""
        selected = self.page.get_by_role("tab", name=name, exact=True, selected=True)
        self.until_taken(self.page.get_by_role("tab", name=name, exact=True).first.click, selected,
                         what=f"tab {name} selected", timeout=timeout)

    def rail(self, name: str, timeout: float = 60) -> None:
        """A desk rail destination, tapped until it is the current one."""
        button = self.page.get_by_role("button", name=re.compile(rf"^{re.escape(name)}\s+Tab"))
        self.until_taken(button.first.click, button.and_(self.page.locator("[aria-current='true']")),
                         what=f"rail {name} current", timeout=timeout)

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

    def pick_photo(self, button, data: bytes, name: str = "photo.jpg", timeout: float = 60) -> None:
        """Tap ``button`` (a button's name, or a locator) and give its file chooser the photo; tapped again
        if no chooser opens (the tap was lost to a rebuild): a chooser opened twice is given the photo once."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        control = self.button(button) if isinstance(button, str) else button
        deadline = time.monotonic() + timeout
        while True:
            try:
                with self.page.expect_file_chooser(timeout=15_000) as chooser:
                    control.click(timeout=max(1, deadline - time.monotonic()) * 1000)
                break
            except PlaywrightTimeout:
                if time.monotonic() > deadline:
                    raise AssertionError(f"{button} on {self.name} opened no file chooser; "
                                         f"screen says: {self.text()[:2000]}") from None
        chooser.value.set_files({"name": name, "mimeType": "image/jpeg", "buffer": data})

    def login(self, username: str, until: str, password: str = "cw-demo-2026", timeout: float = 90,
              lang: str = "zh-CN") -> None:
        """Log in on the login screen in ``lang`` and wait for ``until``. While the login screen stays, the
        fields are typed again and the tap repeated: on a loaded machine the app may take the tap before it
        has the words typed. While 登录 is greyed the server is still checking the password: only waited on."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        from inspector.i18n import t  # lazy: the catalogue is read once a test logs in

        submit = t("ui.login.submit", lang)
        self.wait_text(submit, timeout)
        deadline = time.monotonic() + timeout
        while True:
            button = self.button(submit)
            try:
                if button.count() and button.is_enabled():
                    self.fill(t("ui.login.username", lang), username, replace=True, timeout=20)
                    self.fill(t("ui.login.password", lang), password, replace=True, timeout=20)
                    button.click(timeout=10_000)
            except (PlaywrightTimeout, AssertionError):
                pass  # the login screen went on meanwhile (in, or checking): the words decide
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
