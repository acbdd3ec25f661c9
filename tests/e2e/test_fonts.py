"""Rare characters render in Chromium, from fonts Inspector serves itself: names typed on the login
screen (喆 堃 垚 犇 昇 from the engine's Noto Sans SC slices, 𠮷 from a Noto Sans JP slice cut on
demand, Extension A 㐀 from the rare-character font the session registers once 㐀 reaches the server,
😀 from an emoji slice) each draw a glyph of their own, not the box a character without any font gets
(U+E000, private use); every font request the page makes is answered 200/304 from Inspector, none
fails and none leaves for another host; a cold load of the login screen never asks for the
rare-character font (issue 14: ``inspector.ui.rare_font``); and the login screen's characters come from
the slices the page preloads, none fetched after the form is laid out.
Real server process with the demo data, Debian's Chromium at 412x915.
"""

import io
import time
from urllib.parse import urlsplit

import pytest
from PIL import Image, ImageChops

from tests.e2e.conftest import PHONE, Phone

pytestmark = pytest.mark.e2e
SAMPLES = ["喆", "堃", "垚", "犇", "昇", "㐀", "𠮷", "😀"]
RARE = "㐀"  # the first sample only the rare-character font draws
RARE_FONT = "NotoSansSC-Subset"  # its file (inspector.ui.theme.FONT_FILE)
NO_FONT = "\ue000"  # no font has it: drawn as a box (.notdef)
FONT_FILE = (".woff2", ".ttf", ".otf")
DRAWN = 30  # pixels a glyph's crop differs from the box's by, at least
TWO_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"


class FontTraffic:
    """The page's font requests: in flight, answered (status by URL), failed; and any other host asked."""

    def __init__(self, page, origin: str):
        self.pending: set[str] = set()
        self.statuses: dict[str, int] = {}
        self.failed: list[str] = []
        self.foreign: list[str] = []
        self.refused: set[str] = set()  # by the Content-Security-Policy: never fetched (see test_csp)
        self.asked: list[str] = []  # every URL the page asked for, in order

        def started(request):
            self.asked.append(request.url)
            if urlsplit(request.url).netloc != urlsplit(origin).netloc and request.url.startswith("http"):
                self.foreign.append(request.url)
            if request.url.endswith(FONT_FILE):
                self.pending.add(request.url)

        def answered(response):
            if response.url.endswith(FONT_FILE):
                self.statuses[response.url] = response.status

        def ended(request, failed=False):
            self.pending.discard(request.url)
            if failed and "csp" in (request.failure or "").lower():
                self.refused.add(request.url)
            if failed and request.url.endswith(FONT_FILE):
                self.failed.append(f"{request.url}: {request.failure}")

        page.on("request", started)
        page.on("response", answered)
        page.on("requestfinished", ended)
        page.on("requestfailed", lambda r: ended(r, failed=True))


def settled_crop(phone: Phone, traffic: FontTraffic, box: dict, unlike: Image.Image | None = None,
                 timeout: float = 60) -> Image.Image:
    """The screen inside ``box`` once no font is loading and three looks two frames apart agree; with
    ``unlike``, once it also differs from that crop. The engine draws a missing glyph as a box first and
    asks for a fallback font a little later, so a box can sit still for a few frames before its font is
    even requested; if the font never comes the deadline fails the test with both crops saved."""
    deadline = time.monotonic() + timeout
    looks: list[bytes] = []
    while True:
        phone.page.evaluate(TWO_FRAMES)
        shot = phone.page.screenshot(clip=box)
        looks = [*looks[-2:], shot] if not traffic.pending else []
        if len(looks) == 3 and len(set(looks)) == 1:
            crop = Image.open(io.BytesIO(shot)).convert("L")
            if unlike is None or differing_pixels(crop, unlike) > DRAWN:
                return crop
        if time.monotonic() > deadline:
            phone.shot("unsettled")
            raise AssertionError(f"the field never settled on a glyph; fonts still loading: {sorted(traffic.pending)}")


def differing_pixels(a: Image.Image, b: Image.Image) -> int:
    return ImageChops.difference(a, b).point(lambda v: 255 if v > 64 else 0).histogram()[255]


def test_rare_names_render_from_fonts_inspector_serves(server_process, browser, artifacts):
    server = server_process(ui=True, extra=("--demo",)).start(timeout=120)
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    traffic = FontTraffic(page, server.url)
    phone = Phone(page, artifacts, "font")
    phone.open(server.url)
    phone.wait_text("登录")

    field = page.get_by_role("textbox", name="用户名")
    crops = {}
    for text in [NO_FONT, *SAMPLES]:
        if text == RARE:  # nothing shown or typed so far needed the rare-character font
            assert not [url for url in traffic.asked if RARE_FONT in url], traffic.asked
        phone.fill("用户名", text, replace=True)
        page.keyboard.press("Tab")  # the caret leaves the field: it would blink into the crops
        crops[text] = settled_crop(phone, traffic, phone.box(field), unlike=crops.get(NO_FONT))
    phone.fill("用户名", "".join(SAMPLES), replace=True)
    page.keyboard.press("Tab")
    settled_crop(phone, traffic, phone.box(field))
    phone.shot("names")

    box = crops[NO_FONT]
    drawn = {text: differing_pixels(crops[text], box) for text in SAMPLES}
    assert all(count > DRAWN for count in drawn.values()), drawn  # each differs from the box
    distinct = {crops[text].tobytes() for text in SAMPLES}
    assert len(distinct) == len(SAMPLES)  # and from each other
    fetched_elsewhere = [url for url in traffic.foreign if url not in traffic.refused]
    assert traffic.failed == [] and fetched_elsewhere == [], (traffic.failed, fetched_elsewhere)
    assert traffic.statuses and set(traffic.statuses.values()) <= {200, 304}, traffic.statuses
    slices = [url for url in traffic.statuses if "/assets/fonts/notosanssc/" in url]
    assert slices, traffic.statuses  # the rare hanzi came from the engine's slices, served here
    # and Extension A from the rare-character font, registered once 㐀 was typed, fetched once
    assert len([url for url in traffic.asked if RARE_FONT in url]) == 1, traffic.asked
    assert not any("KaTeX" in url for url in traffic.statuses)


def test_a_cold_load_of_the_login_screen_asks_for_no_rare_character_font(server_process, browser, artifacts):
    """Issue 14: the rare-character font (1.5 MB) comes only with a text that needs it; the login screen
    has none. Read once the screen is drawn, its slices are in and the network has been quiet: a page
    that registered the font at start asks for it with the page's first patch, before its slices."""
    server = server_process(ui=True, extra=("--demo",)).start(timeout=120)
    page = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
    traffic = FontTraffic(page, server.url)
    phone = Phone(page, artifacts, "cold")
    phone.open(server.url)
    phone.wait_text("登录")
    page.wait_for_load_state("networkidle")
    deadline = time.monotonic() + 60
    while traffic.pending or not any("/assets/fonts/notosanssc/" in url for url in traffic.statuses):
        assert time.monotonic() < deadline, f"the login screen's slices never came: {sorted(traffic.pending)}"
        page.evaluate(TWO_FRAMES)
    phone.shot("login")
    assert not [url for url in traffic.asked if RARE_FONT in url], traffic.asked
    assert traffic.failed == [] and set(traffic.statuses.values()) <= {200, 304}, traffic.statuses


def test_the_login_screen_draws_its_characters_from_the_slices_the_page_preloads(server_process, browser, artifacts):
    """Issue 13: the page preloads the login screen's slices (``inspector.ui.font_preload``), so on a slow
    network they come in with the engine's own files, not a round trip after the form is laid out. The
    page's routes play that network: a slice asked for before the engine's code arrived (a preload) is
    answered once that code is in; one the engine asks for itself later is held. Once the drawn form has
    settled it must already show every character (the same picture as after the held slices are let go),
    and the engine must have asked for no slice beyond the preloaded ones."""
    server = server_process(ui=True, extra=("--demo",)).start(timeout=120)
    page = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
    held: list = []  # (route, asked for before the engine's code arrived)
    preloaded: list[str] = []
    late: list[str] = []
    engine_in = []
    page.on("requestfinished", lambda r: engine_in.append(r.url) if r.url.endswith("main.dart.wasm") or
            r.url.endswith("main.dart.js") else None)

    def asked(route) -> None:
        (late if engine_in else preloaded).append(route.request.url)
        held.append((route, not engine_in))

    page.route("**/assets/fonts/notosanssc/**", asked)

    def release(everything: bool = False) -> None:
        for item in [h for h in held if everything or (h[1] and engine_in)]:
            held.remove(item)
            item[0].continue_()

    page.goto(server.url, wait_until="commit")
    deadline = time.monotonic() + 120
    submit = page.get_by_role("button", name="登录", exact=True)
    while True:
        assert time.monotonic() < deadline, "the login form was never drawn"
        release()
        page.evaluate("() => document.querySelector('flt-semantics-placeholder')?.click()")
        page.evaluate(TWO_FRAMES)
        box = submit.bounding_box() if submit.count() else None
        if box:
            shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
            red, _green, blue = shot.getpixel((int(box["x"] + 12), int(box["y"] + box["height"] / 2)))
            if blue > 150 and red < 100:
                break  # the button is painted (blue, not the page behind): the form is on the screen
    title = page.get_by_text("创卫巡查", exact=True).bounding_box()
    crop = (int(title["x"]), int(title["y"]), int(title["x"] + title["width"]), int(title["y"] + title["height"]))
    drawn = settled_screen(page, release)
    release(everything=True)
    page.wait_for_load_state("networkidle")
    final = settled_screen(page, release)
    drawn.save(artifacts / "preloads-only.png")
    final.save(artifacts / "settled.png")
    assert preloaded and late == [], (preloaded, late)
    assert differing_pixels(drawn.crop(crop).convert("L"), final.crop(crop).convert("L")) < DRAWN


def settled_screen(page, release) -> Image.Image:
    """The page once a second's frames have passed (the engine registers the slices it got and lays the
    text out again) and then two looks two frames apart agree; ``release`` lets go what may be let go."""
    page.evaluate("n => new Promise(done => { const tick = () => --n > 0 ? requestAnimationFrame(tick) : done(true); tick(); })",
                  60)
    last = None
    for _ in range(30):
        release()
        page.evaluate(TWO_FRAMES)
        again = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
        if last is not None and again.tobytes() == last.tobytes():
            break
        last = again
    return again
