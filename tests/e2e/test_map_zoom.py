"""The desk map (1440x900) and the full-screen photo (412x915 on the phone layout, 1440x900 on the desk), in
Chinese and in English: a screenshot of each, and the same checks in both languages.

- map: the count line ("地图上 N 项（共 M 项…" / "N on the map (M in all…") is on the screen;
- zoom: the photo's dialog covers the whole viewport (its semantics rectangle, labelled with
  ``ui.item.zoom``, is the page's size), its hint is shown and the close button stands in the top right
  corner; Esc closes it;
- every screen: no text overflows its box nor leaves the screen (``test_layout.overflows``).

Real server process with the demo data (its clock driven: the 1st of a month), Debian's Chromium.
Screenshots go to test-artifacts/<run>/<test>/, named ``<lang>-<where>-NN-<screen>.png``.
"""

import re
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from inspector.i18n import t
from tests.e2e.conftest import PHONE, TEXT_JS, Phone
from tests.e2e.test_fonts import TWO_FRAMES
from tests.e2e.test_layout import RECTS_JS, log_in, overflows

pytestmark = pytest.mark.e2e
DESK = {"width": 1440, "height": 900}
FIRST_OF_A_MONTH = datetime(2026, 12, 1, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
LANGS = ("zh-CN", "en")
SLACK = 2  # px: the dialog's rectangle against the viewport
# The largest node labelled ``label`` and the close button's rectangle, as the semantics tree has them.
ZOOM_RECTS_JS = """([label, close]) => {
    const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
    const area = r => (r[2] - r[0]) * (r[3] - r[1]);
    const own = e => e.getAttribute('aria-label') || [...e.childNodes].filter(n => n.nodeType === 3)
        .map(n => n.textContent).join('') || (e.querySelector(':scope > span')?.textContent ?? '');
    const nodes = [...document.querySelectorAll('flt-semantics-host flt-semantics')];
    const labelled = words => nodes.filter(e => own(e).includes(words)).map(box)
        .filter(r => area(r) > 0).sort((a, b) => area(a) - area(b));
    const dialog = labelled(label).pop();  // the largest: the dialog over the page
    const button = labelled(close)[0];  // the smallest: the button itself
    return {dialog: dialog || null, close: button || null};
}"""


def open_in(browser, artifacts, url: str, lang: str, size: dict, where: str) -> Phone:
    """The login screen at ``size``, switched to ``lang`` (the browser's language stays Chinese)."""
    context = browser.new_context(viewport=size, locale="zh-CN")
    phone = Phone(context.new_page(), artifacts, f"{lang}-{where}")
    phone.open(url)
    phone.wait_text("登录")
    if lang == "en":
        phone.tap("English", until=t("ui.login.submit", "en"), again=True)
    return phone


FRAMES_JS = "n => new Promise(done => { const tick = () => --n > 0 ? requestAnimationFrame(tick) : done(true); tick(); })"


def settled_shot(phone: Phone, screen: str, timeout: float = 60) -> None:
    """The screenshot once three looks two frames apart agree (a loaded machine paints late: a shot taken
    as soon as the semantics tree has the words may still show the screen before)."""
    deadline = time.monotonic() + timeout
    looks: list[bytes] = []
    phone.page.evaluate(FRAMES_JS, 30)  # past a dialog's entrance (Flutter's run 150-300 ms)
    while True:
        phone.page.evaluate(TWO_FRAMES)
        looks = [*looks[-2:], phone.page.screenshot()]
        if len(looks) == 3 and len(set(looks)) == 1 or time.monotonic() > deadline:
            break
    phone.shot(screen)


def no_overflow(phone: Phone, screen: str) -> list[str]:
    size = phone.page.viewport_size
    return [f"{phone.name} {screen}: {p}" for p in overflows(phone.page.evaluate(RECTS_JS), size["width"], size["height"])]


def count_pattern(lang: str) -> re.Pattern:
    """The map's count line in ``lang``, its numbers as ``\\d+``."""
    words = re.escape(t("desk.map.count", lang, shown="NUMBER", total="NUMBER", limit="NUMBER"))
    return re.compile(words.replace("NUMBER", r"\d+"))


# The smallest node whose label holds ``label``: Flutter merges the photo's tooltip with the sides' titles
# ("点击放大 整改前 整改后 …") into one node over both sides, the before photo filling its left half.
PHOTOS_JS = """label => {
    const own = e => e.getAttribute('aria-label') || [...e.childNodes].filter(n => n.nodeType === 3)
        .map(n => n.textContent).join('') || (e.querySelector(':scope > span')?.textContent ?? '');
    const nodes = [...document.querySelectorAll('flt-semantics-host flt-semantics')]
        .filter(e => own(e).includes(label)).map(e => e.getBoundingClientRect())
        .filter(r => r.width > 0 && r.height > 0).sort((a, b) => a.width * a.height - b.width * b.height);
    return nodes.length ? [nodes[0].left, nodes[0].top, nodes[0].width, nodes[0].height] : null;
}"""
HAS_PHOTO_JS = f"l => !!({PHOTOS_JS})(l)"


def tap_photo(phone: Phone, label: str) -> None:
    left, top, width, height = phone.page.evaluate(PHOTOS_JS, label)
    phone.page.mouse.click(left + width / 4, top + height / 2)


def zoom_open(phone: Phone, lang: str) -> list[str]:
    """Tap the photo, check the full-screen dialog, take its screenshot, close it with Esc."""
    label, hint = t("ui.item.zoom", lang), t("desk.pane.zoom_hint", lang)
    phone.until_taken(lambda: tap_photo(phone, label), f"w => ({TEXT_JS})().includes(w)", hint,
                      f"{hint!r} after tapping the photo")
    size = phone.page.viewport_size
    phone.wait_until(f"""args => {{ const r = ({ZOOM_RECTS_JS})(args).dialog;
        return !!r && r[2] - r[0] >= {size['width'] - SLACK} && r[3] - r[1] >= {size['height'] - SLACK}; }}""",
                     [label, t("ui.close", lang)], what="the photo filling the page")
    rects = phone.page.evaluate(ZOOM_RECTS_JS, [label, t("ui.close", lang)])
    left, top, right, bottom = rects["dialog"]
    assert left <= SLACK and top <= SLACK and right >= size["width"] - SLACK and bottom >= size["height"] - SLACK, rects
    assert rects["close"], rects
    close_left, close_top, close_right, close_bottom = rects["close"]
    assert close_left > size["width"] / 2 and close_bottom < size["height"] / 4 and close_right <= size["width"], rects
    problems = no_overflow(phone, "zoom")
    settled_shot(phone, "zoom")
    # Esc again while the dialog is still open (a key may land while the page has no focus): from the
    # second press on, the keyboard is first put on the close button (the tooltip labels the node around
    # it), as a click would. After it the test leaves the page; no screen of Inspector's has an Esc of its own.
    close = phone.page.locator(f"flt-semantics[aria-label='{t('ui.close', lang)}'] [role=button]").last
    presses = []

    def press_esc() -> None:
        if presses:
            close.focus(timeout=5000)
        presses.append(1)
        phone.page.keyboard.press("Escape")

    phone.until_taken(press_esc, f"w => !({TEXT_JS})().includes(w)", hint, f"{hint!r} going away after Esc")
    return problems


@pytest.mark.parametrize("lang", LANGS)
def test_the_desk_map_and_the_zoomed_photo_in_each_language(server_process, browser, artifacts, lang):
    server = server_process(ui=True, extra=("--demo",), clock_start=FIRST_OF_A_MONTH).start(timeout=120)
    problems = []

    desk = open_in(browser, artifacts, server.url, lang, DESK, "desk")
    log_in(desk, lang, "dudao", until=t("desk.nav.review", lang))
    desk.rail(t("desk.nav.map", lang))
    desk.wait_screen(lambda text: count_pattern(lang).search(text.replace("\n", " ")), f"the map's count in {lang}")
    problems += no_overflow(desk, "map")
    settled_shot(desk, "map")

    desk.rail(t("desk.nav.review", lang))
    row = desk.page.locator("[flt-semantics-identifier^='row-']").first
    desk.until_taken(row.click, HAS_PHOTO_JS,
                     t("ui.item.zoom", lang), "an item with a photo open")
    problems += zoom_open(desk, lang)
    desk.page.context.close()

    phone = open_in(browser, artifacts, server.url, lang, PHONE, "phone")
    log_in(phone, lang, "jianzhu", until=t("ui.nav.todo", lang))  # office staff land on 待办
    card = phone.scroll_to("[flt-semantics-identifier^='item-']")
    phone.until_taken(card.click, HAS_PHOTO_JS,
                      t("ui.item.zoom", lang), "an item with a photo open")
    problems += zoom_open(phone, lang)
    phone.page.context.close()

    assert not problems, "\n".join(problems)
    assert not [e for e in desk.console_errors + phone.console_errors if "font" in e.lower()]
