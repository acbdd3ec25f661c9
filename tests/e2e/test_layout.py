"""Every main screen in both languages at 360x800 and 1440x900: a screenshot each, and no text overflowing.

Screens: login; the inspector's phone tabs (上报, 我的, 我) and an item's detail; the office user's
tabs (待办, 我); the desk (审核, 月考, 设置) for the supervisor and the admin. Phone screens are taken at
both sizes (the phone layout is what inspectors and office staff get on any window); the desk only
exists on a wide window, so it is taken at 1440x900 only. Screenshots go to the test's tmp dir, and
to ``$INSPECTOR_LAYOUT_SHOTS`` (a folder) when that is set, named ``<lang>-<width>-<screen>.png``.

The check reads Flutter's semantics tree (each ``flt-semantics`` node, and the ``<h1>``..``<h6>`` it
uses for headings, is absolutely placed over the canvas with its render object's rectangle) once the
rectangles are the same in two animation frames running, and again after the screenshot:

- every labelled node on screen vertically lies inside the viewport horizontally (a title, a badge,
  a button cut at the screen's edge), and inside its nearest ancestor that has a rectangle (1.5 px
  tolerance for sub-pixel rounding);
- a plain text node less than two lines of the smallest text size (``theme.DENSE_XS``) tall holds one
  line, so its font size is its height / 1.448 (Noto Sans SC's ascent + descent): its words are
  measured with the bundled font at that size in regular weight (bold is wider, so this can only
  underestimate); needing over 110 % of its width means it is cut or ellipsized ("Report ···");
- a taller node holding a single Latin word (letters only) is either one line of a large size (then
  its words measured at height / 1.448 take about its width) or the word split over k >= 2 lines
  (then they take k times its width): over 1.5 times is a word broken mid-word ("agreemen t");
- two plain text nodes must not overlap by more than 3 px both ways (a label drawn over a value).

Limits: a text field's label and hint are the field's accessible name, not a node with a rectangle of
their own, so a clipped hint or a floating label overlapping its value is only seen in the screenshots
(look at them: ``INSPECTOR_LAYOUT_SHOTS=/tmp/shots uv run pytest tests/e2e/test_layout.py``); a
multi-line text's lines are not measured one by one; chart axis labels (inside a node tagged
``chart``) sit in boxes taller than their text and are skipped; words drawn on the canvas without a
semantics node (map labels, the watermark) are not checked; nodes scrolled out of view vertically
are skipped (scrolling is not overflow), so a screen is checked as far as its first 800/900 px.
"""

import os
import re
import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from inspector.i18n import t
from inspector.ui import theme
from tests.e2e.conftest import Phone

pytestmark = pytest.mark.e2e
PHONE = {"width": 360, "height": 800}
DESK = {"width": 1440, "height": 900}
FIRST_OF_A_MONTH = datetime(2026, 12, 1, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
LANGS = ("zh-CN", "en")

# Rectangles of every labelled node (flt-semantics, and the <h1>..<h6> Flutter uses for headings), the
# words each carries, and the width those words take on one line at the size the node's height implies
# (the bundled font, regular weight: bold is wider, so this can only underestimate). Read once the
# rectangles are the same in two animation frames running.
RECTS_JS = """async () => {
    if (!document.fonts.check('16px LayoutMeasure')) {
        const face = new FontFace('LayoutMeasure', 'url(/fonts/NotoSansSC-Subset.woff2)');
        document.fonts.add(await face.load());
    }
    const ctx = document.createElement('canvas').getContext('2d');
    const NODES = 'flt-semantics, h1, h2, h3, h4, h5, h6';
    const read = () => {
        const h = document.querySelector('flt-semantics-host');
        if (!h) return [];
        return [...h.querySelectorAll(NODES)].map(e => {
            const r = e.getBoundingClientRect();
            const own = [...e.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('');
            const span = e.querySelector(':scope > span');
            const label = (e.getAttribute('aria-label') || own || (span ? span.textContent : '')).trim();
            let parent = e.parentElement;
            while (parent && parent !== h) {
                const p = parent.getBoundingClientRect();
                if (p.width > 0 && p.height > 0) break;
                parent = parent.parentElement;
            }
            const p = parent && parent !== h ? parent.getBoundingClientRect() : null;
            ctx.font = `${r.height / LINE}px LayoutMeasure`;
            const chart = !!e.closest("[flt-semantics-identifier='chart']");
            return {label, chart, role: e.getAttribute('role') || (/^H\\d$/.test(e.tagName) ? 'heading' : ''),
                    leaf: !e.querySelector(NODES), r: [r.left, r.top, r.right, r.bottom],
                    p: p ? [p.left, p.top, p.right, p.bottom] : null,
                    natural: label.includes('\\n') ? 0 : ctx.measureText(label).width};
        });
    };
    return await new Promise(done => {
        let last = null, frames = 0;
        const tick = () => {
            const now = JSON.stringify(read());
            if (now === last || ++frames > 240) done(JSON.parse(now)); else { last = now; requestAnimationFrame(tick); }
        };
        requestAnimationFrame(tick);
    });
}""".replace("LINE", "1.448")  # Noto Sans SC's line: ascent + descent = 1.448 em
FONT_IN_JS = """() => performance.getEntriesByType('resource')
    .some(e => e.name.includes('/assets/fonts/notosanssc/') && e.responseEnd > 0)"""  # the slices (issue 14)
WIDTHS_JS = """() => JSON.stringify([...document.querySelectorAll('flt-semantics-host flt-semantics, flt-semantics-host h2')]
    .map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; }))"""
WORD = re.compile(r"^[A-Za-z]{4,}$")
LINE = theme.DENSE_XS * 1.448
SLACK = 1.5  # px: sub-pixel rounding of the semantics rectangles


def overflows(nodes: list[dict], width: int, height: int) -> list[str]:
    """What the screen's rectangles say is wrong (see the module docstring); [] when nothing."""
    found = []
    labelled = [n for n in nodes if n["label"] and n["r"][2] > n["r"][0] and n["r"][3] > n["r"][1]]
    shown = [n for n in labelled if n["r"][3] > 0 and n["r"][1] < height]
    for n in shown:
        left, top, right, bottom = n["r"]
        if left < -SLACK or right > width + SLACK:
            found.append(f"{n['label']!r} leaves the screen ({left:.0f}..{right:.0f} of {width})")
        elif n["p"] and (left < n["p"][0] - SLACK or right > n["p"][2] + SLACK):
            found.append(f"{n['label']!r} leaves its box ({left:.0f}..{right:.0f} in {n['p'][0]:.0f}..{n['p'][2]:.0f})")
    texts = [n for n in shown if n["leaf"] and n["role"] in ("", "text", "heading") and not n["chart"]]
    line = LINE  # the smallest text's line: a box under two of them holds one line
    for n in texts:
        tall, wide = n["r"][3] - n["r"][1], n["r"][2] - n["r"][0]
        if tall >= 2 * line:
            # one word: on one line of a large size it needs about its width at height / 1.448; split
            # over k lines of a smaller size it needs k times that (at least twice the box's width)
            if WORD.match(n["label"]) and n["natural"] > 1.5 * wide + 2:
                found.append(f"{n['label']!r} is broken mid-word ({wide:.0f}x{tall:.0f} px, a line is {line:.0f})")
            continue
        if n["natural"] > wide * 1.1 + 2:
            found.append(f"{n['label']!r} is cut: needs ~{n['natural']:.0f} px on its line, has {wide:.0f}")
    for a_index, a in enumerate(texts):
        for b in texts[a_index + 1:]:
            dx = min(a["r"][2], b["r"][2]) - max(a["r"][0], b["r"][0])
            dy = min(a["r"][3], b["r"][3]) - max(a["r"][1], b["r"][1])
            if dx > 3 and dy > 3:
                found.append(f"{a['label']!r} and {b['label']!r} overlap ({dx:.0f}x{dy:.0f} px)")
    return found


class Screens:
    """Takes the screenshots and gathers what overflows, for one browser and one server."""

    def __init__(self, browser, url: str, folder: Path):
        self.browser, self.url, self.folder = browser, url, folder
        self.keep = Path(os.environ["INSPECTOR_LAYOUT_SHOTS"]) if os.environ.get("INSPECTOR_LAYOUT_SHOTS") else None
        if self.keep:
            self.keep.mkdir(parents=True, exist_ok=True)
        self.problems: list[str] = []
        self.taken: list[str] = []

    def page(self, lang: str, size: dict, name: str) -> Phone:
        context = self.browser.new_context(viewport=size, locale="zh-CN")
        phone = Phone(context.new_page(), self.folder, name)
        phone.open(self.url)
        phone.wait_text("登录")
        phone.wait_until(FONT_IN_JS, timeout=60, what="the bundled CJK font arriving")
        if lang == "en":
            phone.tap("English", until=t("ui.login.submit", "en"), again=True)
        return phone

    def login(self, phone: Phone, lang: str, username: str, until: str) -> None:
        log_in(phone, lang, username, until)

    def check(self, phone: Phone, lang: str, screen: str) -> None:
        size = phone.page.viewport_size
        name = f"{lang}-{size['width']}-{screen}.png"
        path = self.folder / name
        nodes = phone.page.evaluate(RECTS_JS)
        for _ in range(5):  # the screenshot shows what was checked: the rectangles the same after it
            phone.page.screenshot(path=str(path))
            again = phone.page.evaluate(RECTS_JS)
            if again == nodes:
                break
            nodes = again
        self.taken.append(name)
        found = overflows(nodes, size["width"], size["height"])
        if found:  # a layout still settling (the CJK font arriving re-lays the text): only what stays counts
            from playwright.sync_api import TimeoutError as PlaywrightTimeout

            try:
                phone.page.wait_for_function(f"old => ({WIDTHS_JS})() !== old", arg=phone.page.evaluate(WIDTHS_JS),
                                             timeout=10_000)
                found = overflows(phone.page.evaluate(RECTS_JS), size["width"], size["height"])
                phone.page.screenshot(path=str(path))
            except PlaywrightTimeout:
                pass  # nothing moved in 10 s: the faults are the screen's
        if self.keep:
            shutil.copy(path, self.keep / name)
        self.problems += [f"{name}: {p}" for p in found]

    def both(self, phone: Phone, lang: str, screen: str, ready: str) -> None:
        """The screen at 360x800, then at 1440x900 (Flutter lays it out again), then back."""
        for size in (PHONE, DESK):
            phone.page.set_viewport_size(size)
            wait_ready(phone, ready)
            self.check(phone, lang, screen)
        phone.page.set_viewport_size(PHONE)


def wait_ready(phone: Phone, ready: str) -> None:
    """Words on the screen, or with ``css:`` a node (a card: the list is in), and no spinner left."""
    if ready.startswith("css:"):
        phone.page.locator(ready[4:]).first.wait_for(state="attached", timeout=60_000)
    else:
        phone.wait_text(ready, timeout=60)
    phone.wait_until("() => !document.querySelector('flt-semantics-host [role=progressbar]')", timeout=60,
                     what="the spinners going")


READY = {"mine": "css:[flt-semantics-identifier^='item-']", "todo": "css:[flt-semantics-identifier^='item-']",
         "me": "ui.me.role", "report": "ui.title.report"}
# words that come with the section's data (Scores shows its formula before the board is in)
DESK_READY = {"review": ["desk.review.keys"], "scores": ["desk.scores.formula", "desk.scores.weekly"],
              "admin": ["desk.admin.name", "desk.admin.samples"]}


def phone_tabs(screens: Screens, lang: str, username: str, tabs: list[str], detail: bool) -> None:
    phone = screens.page(lang, PHONE, f"{lang}-{username}")
    if username == "xuncha":
        screens.both(phone, lang, "login", t("ui.login.submit", lang))
    landing = t(f"ui.nav.{tabs[0]}", lang)
    screens.login(phone, lang, username, landing)
    for tab in tabs:
        phone.tab(t(f"ui.nav.{tab}", lang))
        ready = READY[tab]
        screens.both(phone, lang, f"{username}-{tab}", ready if ready.startswith("css:") else t(ready, lang))
        if detail and tab == tabs[-1]:
            card = phone.scroll_to("[flt-semantics-identifier^='item-']")
            phone.until_taken(card.click, "() => !document.querySelector(\"[flt-semantics-identifier^='item-']\")",
                              what="the item's detail opening")
            screens.both(phone, lang, f"{username}-item", t("ui.item.timeline", lang))
    phone.page.context.close()


def desk_sections(screens: Screens, lang: str, username: str, sections: list[str]) -> None:
    phone = screens.page(lang, DESK, f"{lang}-{username}-desk")
    screens.login(phone, lang, username, t("desk.nav.review", lang))
    for section in sections:
        phone.rail(t(f"desk.nav.{section}", lang))
        for key in DESK_READY[section]:
            wait_ready(phone, t(key, lang))
        screens.check(phone, lang, f"{username}-{section}")
    phone.page.context.close()


def test_no_text_overflows_on_any_screen(server_process, browser, tmp_path):
    server = server_process(ui=True, extra=("--demo",), clock_start=FIRST_OF_A_MONTH).start(timeout=120)
    screens = Screens(browser, server.url, tmp_path)
    for lang in LANGS:
        phone_tabs(screens, lang, "xuncha", ["report", "me", "mine"], detail=True)  # the detail last: no way back needed
        phone_tabs(screens, lang, "jianzhu", ["todo", "me"], detail=False)
        desk_sections(screens, lang, "dudao", ["review", "scores"])
        desk_sections(screens, lang, "admin", ["admin"])
    assert len(screens.taken) >= 2 * (2 * 7 + 3), screens.taken
    assert not screens.problems, "\n".join(screens.problems)


def node(label: str, r: list[float], p: list[float] | None = None, natural: float = 0, role: str = "") -> dict:
    return {"label": label, "r": r, "p": p or [0, 0, 360, 800], "natural": natural, "role": role, "leaf": True,
            "chart": False}


def test_the_check_finds_what_it_claims_to():
    """Without a browser: rectangles as the page reports them, one fault each (the numbers seen on the
    unfixed screens: "My reports" given 43 px of the 70 it needs at 360 px, the bell past the edge)."""
    line = 23  # a 16 px line
    assert overflows([node("My reports", [16, 16, 59, 16 + line], natural=70, role="heading")], 360, 800)
    assert not overflows([node("My reports", [16, 16, 90, 16 + line], natural=70, role="heading")], 360, 800)
    assert overflows([node("Notices (17)", [308, 4, 366, 52])], 360, 800)  # leaves the screen
    assert overflows([node("Overdue", [10, 10, 120, 30], p=[0, 0, 100, 40], natural=60)], 360, 800)  # its box
    # "agreemen t": one word, two lines tall, narrower than the word at the smallest size
    assert overflows([node("agreement", [0, 0, 52, 2 * line], natural=2 * 58)], 360, 800)
    assert not overflows([node("Inspector", [0, 0, 130, 40], natural=128)], 360, 800)  # one line, 28 px
    assert not overflows([node("spot-check agreement", [0, 0, 60, 3 * line], natural=3 * 150)], 360, 800)
    assert overflows([node("Look-back days", [0, 0, 120, line], natural=100),
                      node("14", [100, 5, 130, 5 + line], natural=16)], 360, 800)  # overlapping
    assert not overflows([node("Scrolled away", [0, 900, 500, 930], natural=90)], 360, 800)


def log_in(phone: Phone, lang: str, username: str, until: str) -> None:
    """Log in in either language (``Phone.login``: typed and tapped again while the login screen stays)."""
    phone.login(username, until, lang=lang)
