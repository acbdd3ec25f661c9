"""The field app end to end: report offline on the field client, sync, office fixes on the server's web UI.

Real processes (``inspector serve --demo`` with its web UI, ``inspector field``),
real Chromium at a phone's size with a faked GPS position, real file choosers.
The server's clock is driven (``INSPECTOR_CLOCK_START``, 31 December in the
evening) and the field client's clock is started from it, so nothing depends on
today's date. Screenshots of each screen go to test-artifacts/<run>/<test>/.
"""

import hashlib
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.e2e.conftest import PHONE, TEXT_JS, Phone, photo_jpeg

pytestmark = pytest.mark.e2e
GPS = {"latitude": 30.27452, "longitude": 120.15561, "accuracy": 8}
FONT_ERROR_WORDS = ("font", "Font", "NotoSansSC")
ZONE = ZoneInfo("Asia/Shanghai")
NEW_YEARS_EVE = datetime(2026, 12, 31, 20, 0, tzinfo=ZONE)


def api_login(url: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=30)
    token = client.post("/api/auth/token", json={"username": username, "password": "cw-demo-2026"}).json()
    client.headers["Authorization"] = f"Bearer {token['access_token']}"
    return client


def login(phone: Phone, username: str) -> None:
    phone.login(username, until="拍照 / 选照片")


def report(phone: Phone, data: bytes, category: str) -> None:
    phone.pick_photo("拍照 / 选照片", data)
    phone.wait_text("已选 1 张照片")
    phone.wait_text("±8 m · GPS")

    def choose_and_save() -> None:
        # choosing rebuilds the form, which may swallow a tap on 保存 right after it: both are done
        # again while the form keeps its photo (the app ignores a second 保存 while saving)
        if "已选 1 张照片" in phone.text():
            phone.tap(category)
            phone.tap("保存")

    # saved: the words say so and the form is empty again (the words of a report before may still show)
    phone.until_taken(choose_and_save, f"words => {{ const t = ({TEXT_JS})(); return t.includes(words)"
                      " && !t.includes('已选 1 张照片'); }", "已保存在本机，联网后自动上传", "the report saved")


def test_report_offline_sync_then_office_fix_reaches_field(server_process, field_process, browser, artifacts):
    server = server_process(ui=True, extra=("--demo",), clock_start=NEW_YEARS_EVE).start(timeout=120)
    field = field_process(server.url, clock_start=server.now()).start()
    photos = [photo_jpeg(1), photo_jpeg(2)]
    shas = [hashlib.sha256(p).hexdigest() for p in photos]

    context = browser.new_context(viewport=PHONE, geolocation=GPS, permissions=["geolocation"], locale="zh-CN")
    phone = Phone(context.new_page(), artifacts, "field")
    phone.open(field.url)
    phone.shot("login")
    login(phone, "xuncha")  # logging in needs the server once
    phone.wait_text("在线", timeout=60)  # the first sync round after login says so
    phone.shot("report-online")

    server.kill()  # the site has no signal from here on
    report(phone, photos[0], "工地污水乱排放")
    phone.shot("report-saved-offline")
    report(phone, photos[1], "新栽树木过量浮土")
    phone.tab("我的")
    phone.wait_text("待编号")
    phone.shot("mine-offline")
    phone.tab("我")
    phone.tap("立即同步", until="离线", again=True)
    phone.wait_text("2 条待上传")
    phone.shot("me-offline-2-waiting")

    server.start(timeout=120)  # signal again
    phone.tap("立即同步", until="全部已上传", again=True, timeout=90)  # a second round is harmless
    phone.shot("me-synced")

    # the items, their photos (same bytes) and their locations are on the server
    inspector = api_login(server.url, "xuncha")
    mine = [i for i in inspector.get("/api/items", params={"page_size": 200}).json()["items"]
            if i["photos"] and i["photos"][0] in shas]
    assert sorted(i["photos"][0] for i in mine) == sorted(shas)
    for item in mine:
        original = inspector.get(f"/api/photos/{item['photos'][0]}", params={"variant": "original"}).content
        assert hashlib.sha256(original).hexdigest() == item["photos"][0]
        assert abs(item["location"]["lat"] - GPS["latitude"]) < 1e-4
        assert abs(item["location"]["lon"] - GPS["longitude"]) < 1e-4
        assert item["location"]["source"] == "gps" and item["location"]["accuracy_m"] == 8
        assert item["number"]
    sewage = next(i for i in mine if i["category"] == "site_sewage")
    assert sewage["office"] == "construction"

    # a supervisor assigns it (the desktop review screen is not part of the phone app)
    supervisor = api_login(server.url, "dudao")
    deadline = (server.now().astimezone(ZONE) + timedelta(days=3)).date().isoformat()  # 2027-01-03
    pushed = supervisor.post("/api/sync/push", json={"device_id": "e2e-supervisor", "events": [{
        "id": str(uuid.uuid4()), "item_id": sewage["id"], "kind": "assigned",
        "at": server.now().isoformat(), "base_version": sewage["version"],
        "payload": {"office": "construction", "leader": "陈处长", "deadline": deadline}}]}).json()
    assert pushed["results"][0]["status"] == "accepted", pushed

    # office staff, on the server's own web UI, submit the fix with an after-photo
    office_context = browser.new_context(viewport=PHONE, geolocation=GPS, permissions=["geolocation"])
    office = Phone(office_context.new_page(), artifacts, "office")
    office.open(server.url)
    office.login("jianzhu", until="已逾期")  # office staff land on 待办
    office.shot("todo")
    card = office.scroll_to(f"[flt-semantics-identifier='item-{sewage['id']}']")
    office.shot("todo-scrolled")
    office.click_until(card, "处理记录")
    office.wait_text("整改前")
    office.shot("item")
    office.tap("提交整改", until="请在同一位置、同一角度拍摄整改后的照片", again=True)
    after = photo_jpeg(3)
    office.pick_photo("拍整改后照片", after)
    office.wait_text("是同一地点")
    office.shot("fix-form")
    office.tap("提交整改", until="已提交整改", again=True)
    office.wait_text("待核查")
    office.shot("item-fix-submitted")
    fixed = inspector.get(f"/api/items/{sewage['id']}").json()
    assert fixed["status"] == "fix_submitted"
    assert fixed["fix_photos"] == [hashlib.sha256(after).hexdigest()]

    # the field client pulls it: a sync round, then 我的 (again if the tap was lost, or the round ended
    # after the list was read)
    def pull_and_look() -> None:
        phone.tab("我")
        phone.tap("立即同步")
        phone.tab("我的")

    phone.until_taken(pull_and_look, f"words => ({TEXT_JS})().includes(words)", "待核查", "the fix pulled",
                      timeout=120, wait=20)
    phone.shot("mine-after-pull")

    # Chinese rendered with the bundled font: no font request failed, the tree speaks Chinese
    for p in (phone, office):
        assert p.font_statuses and set(p.font_statuses) <= {200, 304}, p.font_statuses  # the font was served
        assert not [e for e in p.console_errors if any(w in e for w in FONT_ERROR_WORDS)], p.console_errors
    assert "上报" in phone.text() and "我的" in phone.text()
