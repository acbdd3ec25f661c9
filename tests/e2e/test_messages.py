"""A confirmation never covers the buttons it is about (issue 13): Chromium at 412x915, the server's web UI.

The message after 保存 is a banner in the shell's column (``inspector.ui.messages``): its rectangle, from
Flutter's semantics tree, lies above the screen's bottom bar, and 保存 can be tapped again at once.
"""

import pytest

from tests.e2e.conftest import PHONE, TEXT_JS, Phone, photo_jpeg
from tests.e2e.test_field_offline import GPS, NEW_YEARS_EVE

pytestmark = pytest.mark.e2e


def overlaps(a: dict, b: dict) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


# Every frame from the save on, the saved message's rectangle and 保存's, once both are on the screen and
# the same in two frames running (the message goes after a few seconds, and 保存 is drawn again a moment
# after it comes: on a loaded machine reading them one after the other may find one of them gone).
RECORD_JS = """() => {
    window.__pairs = [];
    let last = null;
    const rect = e => {
        if (!e) return null;
        const r = e.getBoundingClientRect();
        return r.width > 0 && r.height > 0 ? {x: r.x, y: r.y, width: r.width, height: r.height} : null;
    };
    const save = () => [...document.querySelectorAll('flt-semantics-host [role=button]')]
        .find(e => (e.getAttribute('aria-label') || e.innerText || '').trim() === '保存');
    const tick = () => {
        const node = document.querySelector("[flt-semantics-identifier='message']");
        const m = rect(node), s = rect(save());
        const saved = m && (node.getAttribute('aria-label') || node.innerText).includes('已保存');
        const now = saved && s ? JSON.stringify([m, s]) : null;
        if (now && now === last) window.__pairs.push(JSON.parse(now));
        last = now;
        requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
}"""


def test_the_saved_message_does_not_cover_save(server_process, browser, artifacts):
    server = server_process(ui=True, extra=("--demo",), clock_start=NEW_YEARS_EVE).start(timeout=120)
    context = browser.new_context(viewport=PHONE, geolocation=GPS, permissions=["geolocation"], locale="zh-CN")
    phone = Phone(context.new_page(), artifacts, "phone").open(server.url)
    phone.login("xuncha", until="拍照 / 选照片")
    phone.pick_photo("拍照 / 选照片", photo_jpeg(7))
    phone.wait_text("已选 1 张照片")

    def choose_and_save() -> None:
        if "已选 1 张照片" in phone.text():  # a rebuild may swallow a tap: both again while the photo is there
            phone.tap("工地保洁不到位", exact=False)
            phone.tap("保存")

    phone.page.evaluate(RECORD_JS)
    phone.until_taken(choose_and_save, f"words => ({TEXT_JS})().includes(words)", "已保存，编号",
                      "the report saved")
    phone.wait_until("() => window.__pairs.length > 0", what="the message and 保存 on the screen together")
    phone.page.screenshot(path=str(artifacts / "msg-saved-zh.png"))
    pairs = phone.page.evaluate("() => window.__pairs")
    for box, save in pairs:
        assert not overlaps(box, save), (box, save)
        assert box["y"] + box["height"] <= save["y"]  # above the bottom bar, in its own room
    context.close()
