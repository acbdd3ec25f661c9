"""Inspector's cut of the Material icon font draws the icons as Flet's whole font does (issue 14): the
login screen and an inspector's bottom navigation, once with the served cut and once with Flet's
``MaterialIcons-Regular.otf`` handed to the page in its place (Playwright's routing), settle to the
same pixels, and differ from a page whose icon font has no glyphs at all (so the comparison can
fail); the page never asks for Flet's icon font or the Cupertino one. Real server process with the
demo data, Debian's Chromium at 412x915.
"""

import io
import re
import time

import pytest
from fontTools import subset
from PIL import ImageChops
from fontTools.ttLib import TTFont

from inspector.ui.iconfont import SOURCE
from tests.e2e.conftest import BOTTOM_BAR, PHONE, Phone
from tests.e2e.test_fonts import FontTraffic, differing_pixels, settled_crop

pytestmark = pytest.mark.e2e
CUT = re.compile(r".*/assets/fonts/MaterialIcons-[0-9a-f]{16}\.woff2$")
LOGIN = {"x": 0, "y": 0, "width": PHONE["width"], "height": PHONE["height"]}
NAVIGATION = {"x": 0, "y": PHONE["height"] - BOTTOM_BAR, "width": PHONE["width"], "height": BOTTOM_BAR}


def no_glyphs() -> bytes:
    """Flet's icon font with only its .notdef: every icon drawn as a box."""
    font = TTFont(SOURCE)
    options = subset.Options()
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[0x20])
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def drawn_crop(phone: Phone, traffic: FontTraffic, box: dict, timeout: float = 60):
    """``settled_crop`` once the screen is drawn there: the first frames of a cold load are blank or
    Flet's "Working..." (a few dark pixels; the login form's button and the navigation's icons and labels
    are over 1 % of their boxes), and the semantics tree can hold the words before they are painted."""
    deadline = time.monotonic() + timeout
    while True:
        crop = settled_crop(phone, traffic, box)
        dark = sum(crop.histogram()[:100])
        if dark > crop.width * crop.height // 100 or time.monotonic() > deadline:
            return crop


def caret_only(a, b) -> bool:
    """Whether all that differs is one thin upright line: the focused username field's blinking caret
    (2 px wide), never an icon (24 px)."""
    box = ImageChops.difference(a, b).point(lambda v: 255 if v > 64 else 0).getbbox()
    return box is not None and box[2] - box[0] <= 3


def screens(browser, url: str, artifacts, name: str, font: bytes | None):
    """(login screen, bottom navigation once logged in as the inspector, every URL the page asked for),
    with the icon font replaced by ``font`` when given."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    if font is not None:
        page.route(CUT, lambda route: route.fulfill(body=font, content_type="font/otf"))
    traffic = FontTraffic(page, url)
    phone = Phone(page, artifacts, name)
    phone.open(url)
    phone.wait_text("登录")
    login = drawn_crop(phone, traffic, LOGIN)
    login.save(artifacts / f"{name}-login.png")
    phone.login("xuncha", until="拍照 / 选照片")
    navigation = drawn_crop(phone, traffic, NAVIGATION)
    navigation.save(artifacts / f"{name}-navigation.png")
    phone.shot("home")
    context.close()
    return login, navigation, asked


def test_the_cut_draws_the_icons_as_flets_whole_font(server_process, browser, artifacts):
    server = server_process(ui=True, extra=("--demo",)).start(timeout=120)
    cut_login, cut_navigation, asked = screens(browser, server.url, artifacts, "cut", None)
    full_login, full_navigation, _ = screens(browser, server.url, artifacts, "flet", SOURCE.read_bytes())
    assert differing_pixels(cut_login, full_login) < 10 or caret_only(cut_login, full_login)
    assert differing_pixels(cut_navigation, full_navigation) < 10
    _, boxes, _ = screens(browser, server.url, artifacts, "boxes", no_glyphs())
    assert differing_pixels(cut_navigation, boxes) > 50  # the navigation's icons are drawn from that font
    assert any(CUT.match(url) for url in asked)
    assert not [url for url in asked if "MaterialIcons-Regular" in url or "CupertinoIcons" in url]
