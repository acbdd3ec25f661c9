"""Returns end to end: the construction office's staff return an item on the phone (412x915) with a
reason and a photo; the supervisor answers on the desk (1440x900) by reassigning it to the office the
return names, with a supporting office; the new lead office's staff find it in 待办, and the supporting
office's staff see it marked 配合.

Real server process with the demo data, real Chromium; the server's clock is driven
(``INSPECTOR_CLOCK_START``). Screenshots go to test-artifacts/<run>/<test>/ and, when
``INSPECTOR_SHOTS`` names a folder, there too as returns-*.png.
"""

import os
import shutil
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from inspector.domain.events import default_deadline
from tests.e2e.conftest import PHONE, TEXT_JS, Phone, photo_jpeg
from tests.e2e.test_desk import DESK, FIRST_OF_A_MONTH, ZONE, Desk, api_login

pytestmark = pytest.mark.e2e


def keep(shot: Path, name: str) -> None:
    """Copy a screenshot to ``INSPECTOR_SHOTS``/returns-<name>.png when that folder is asked for."""
    folder = os.environ.get("INSPECTOR_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(folder) / f"returns-{name}.png")


def assigned_to_construction(server) -> dict:
    """A fresh report assigned to the construction office (its staff return it)."""
    boss = api_login(server.url, "dudao")
    item = boss.get("/api/items", params={"status": "reported"}).json()["items"][0]
    deadline = (server.now().astimezone(ZONE) + timedelta(days=5)).date().isoformat()
    answer = boss.post("/api/sync/push", json={"device_id": "e2e", "events": [{
        "id": str(uuid.uuid4()), "item_id": item["id"], "kind": "assigned", "at": server.now().isoformat(),
        "base_version": item["version"],
        "payload": {"office": "construction", "leader": "陈处长", "deadline": deadline}}]}).json()
    assert answer["results"][0]["status"] == "accepted", answer
    return boss.get(f"/api/items/{item['id']}").json()


def phone_of(browser, artifacts, server, name: str, username: str, until: str) -> Phone:
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    phone = Phone(context.new_page(), artifacts, name)
    phone.open(server.url)
    phone.login(username, until=until)
    return phone


def open_card(phone: Phone, item_id: str, until: str) -> None:
    card = phone.scroll_to(f"[flt-semantics-identifier='item-{item_id}']")
    phone.until_taken(card.click, f"words => ({TEXT_JS})().includes(words)", until, f"{until!r} on the item")


DUMP_JS = """() => [...document.querySelectorAll('flt-semantics-host [role], flt-semantics-host input')]
    .map(e => `${e.tagName}:${e.getAttribute('role')}:${e.getAttribute('aria-label')}:${e.innerText?.slice(0, 40)}`)
    .join('\\n')"""


def choose(phone: Phone, above: str, option: str) -> None:
    """Pick ``option`` of the dropdown right under the text box ``above``. Flutter's DropdownMenu leaves
    no node of its own in the accessibility tree here, so it is tapped where it is drawn: 12 px under
    the box, 56 px high; its menu's entries are in the tree."""
    box = phone.page.get_by_role("textbox", name=above).first.bounding_box()
    phone.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] + 12 + 28)
    item = phone.page.get_by_role("menuitem", name=option).or_(phone.page.get_by_text(option, exact=True)).last
    try:
        item.wait_for(state="visible", timeout=20_000)
    except Exception as error:  # say what the screen holds instead
        phone.shot("no-menu")
        raise AssertionError(f"no {option!r} menu; the screen: {phone.page.evaluate(DUMP_JS)[:3000]}") from error
    item.click()


def test_office_returns_the_supervisor_reassigns_and_the_new_office_sees_it(server_process, browser, artifacts):
    server = server_process(ui=True, extra=("--demo",), clock_start=FIRST_OF_A_MONTH).start(timeout=120)
    item = assigned_to_construction(server)
    boss = api_login(server.url, "dudao")
    first_deadline = item["deadline"]

    # --- the construction office returns it on the phone ------------------------------------------
    phone = phone_of(browser, artifacts, server, "jianzhu", "jianzhu", until="待办")
    open_card(phone, item["id"], "退回申辩")
    phone.tap("退回申辩", until="不属于我单位职责", again=True)
    phone.tap("提交退回", until="请选择退回原因", again=True)  # nothing chosen yet: refused in words, nothing recorded
    phone.fill("说明理由（必填）", "该路段绿化带由园林处管养")
    phone.pick_photo("拍照 / 选照片", photo_jpeg(3))
    phone.wait_text("移除照片", timeout=120)  # the photo is on the form (its tile's remove button)
    # each choice builds the form again, which swallows a tap landing meanwhile: each is seen chosen first
    phone.choose(phone.page.get_by_text("不属于我单位职责", exact=True).first)
    phone.choose(phone.page.get_by_text("园林管理处", exact=True).first)
    keep(phone.shot("phone-form"), "phone-form-zh")
    phone.tap("提交退回", until="已退回，等待督查组答复", again=True, timeout=120)  # ignored while recording
    phone.wait_text("退回待答复")
    keep(phone.shot("phone-returned"), "phone-returned-zh")

    waiting = boss.get(f"/api/items/{item['id']}").json()
    assert waiting["return_pending"] and waiting["return_code"] == "not_our_area"
    assert waiting["return_office"] == "landscaping" and waiting["return_reason"] == "该路段绿化带由园林处管养"
    assert waiting["deadline"] == first_deadline and waiting["office"] == "construction"  # the clock runs on
    assert [e for e in waiting["events"] if e["kind"] == "returned"][0]["payload"]["photos"]

    # --- the supervisor reassigns it at the desk ------------------------------------------------------
    phone.page.context.close()  # one browser session at a time is what a loaded test machine serves well
    context = browser.new_context(viewport=DESK, locale="zh-CN")
    desk = Desk(context.new_page(), artifacts, "supervisor")
    desk.open(server.url)
    try:
        desk.login("dudao")
    except AssertionError:
        desk.shot("desk-login")
        raise
    except Exception:
        desk.shot("desk-login")
        raise
    desk.rail("退回")
    desk.wait_text("各单位退回率")
    desk.wait_text("待答复的退回（2）")
    desk.settled(desk.button("待答复的退回（2）"))
    keep(desk.shot("desk-rates"), "desk-rates-zh")
    desk.tap("待答复的退回（2）", until="共 2 项", again=True)
    desk.click_until(desk.row(item["number"]), "退回申辩 · 待答复")
    desk.wait_text("建议交由：园林管理处")
    keep(desk.shot("desk-queue"), "desk-queue-zh")
    desk.tap("同意退回 · 改派", until="配合单位", again=True)
    checked = desk.page.get_by_role("checkbox", name="房地产管理处", checked=True)
    # tapped again only while not checked (asked of the tree each time: the box may be rebuilt)
    desk.until_taken(lambda: None if checked.count() else desk.page.get_by_role("checkbox", name="房地产管理处").click(),
                     checked, what="房地产管理处 checked")
    desk.settled(checked)
    keep(desk.shot("desk-reassign-dialog"), "desk-reassign-zh")
    desk.confirm("同意退回 · 改派", "配合单位", f"已改派：{item['number']}")

    moved = boss.get(f"/api/items/{item['id']}").json()
    assert (moved["office"], moved["status"], moved["return_pending"]) == ("landscaping", "assigned", False)
    assert moved["supporting_offices"] == ["real_estate"]
    reassigned_at = [e for e in moved["events"] if e["kind"] == "reassigned"][0]["server_at"]
    expected = default_deadline(item["category"], datetime.fromisoformat(reassigned_at), ZONE)
    assert datetime.fromisoformat(moved["deadline"]) == expected  # a fresh deadline: the category's default

    # --- the new lead office sees it in 待办; the old one no longer does ---------------------------------
    yuanlin = phone_of(browser, artifacts, server, "yuanlin", "yuanlin", until="待办")
    open_card(yuanlin, item["id"], "签收")
    yuanlin.settled(yuanlin.button("签收"))
    keep(yuanlin.shot("new-office-item"), "phone-new-office-zh")
    assert api_login(server.url, "jianzhu").get(f"/api/items/{item['id']}").status_code == 404
    fangchan = api_login(server.url, "fangchan").get(f"/api/items/{item['id']}")
    assert fangchan.status_code == 200  # the supporting office sees it, and may not act for the lead

    # --- the same screens in English -----------------------------------------------------------------
    desk.tap("English", until="Returns", again=True)
    desk.wait_text("To assign")
    desk.settled(desk.page.locator("[flt-semantics-identifier='queue-returned']"))
    keep(desk.shot("desk-en"), "desk-review-en")
    desk.rail("Returns")
    desk.wait_text("Return rate by office")
    desk.settled(desk.page.get_by_text("Return rate by office").first)
    keep(desk.shot("desk-rates-en"), "desk-rates-en")
    yuanlin.tab("我")
    yuanlin.tap("English", until="Language", again=True)
    yuanlin.tab("Me")
    yuanlin.tab("To do")
    open_card(yuanlin, item["id"], "Acknowledge")
    yuanlin.settled(yuanlin.button("Acknowledge"))
    keep(yuanlin.shot("new-office-en"), "phone-new-office-en")
    yuanlin.tap("Return", until="Not our office's area", again=True)
    yuanlin.settled(yuanlin.button("Not our office's area"))
    keep(yuanlin.shot("phone-form-en"), "phone-form-en")
    for who in (desk, yuanlin):
        assert not [e for e in who.console_errors if "font" in e.lower()], who.console_errors
