"""A deputy's spot check end to end, on the server's web UI at a phone's size.

renda (人大代表, delegated the construction office) logs in, sees the sample the
admin drew for him as blind cards (construction office only, no after-photo, no
verdict), opens one, records a disagreeing finding with a photo, and then sees
the whole item. Through the HTTP API: the item is disputed and /api/reviews lists
it with his finding. Screenshots go to test-artifacts/<run>/<test>/.
"""

import hashlib
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.e2e.conftest import PHONE, Phone, photo_jpeg
from tests.e2e.test_desk import choose_disagree

pytestmark = pytest.mark.e2e
GPS = {"latitude": 30.2741, "longitude": 120.1551, "accuracy": 8}
OTHER_OFFICES = ("园林管理处", "房地产管理处", "其他各单位")
VERDICT_WORDS = ("已核查", "已办结", "整改到位", "核查通过")
FONT_ERROR_WORDS = ("font", "Font", "NotoSansSC")
ZONE = ZoneInfo("Asia/Shanghai")
FIRST_OF_A_MONTH = datetime(2026, 12, 1, 9, 30, tzinfo=ZONE)  # the server's clock (INSPECTOR_CLOCK_START)


def api_login(url: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=30)
    token = client.post("/api/auth/token", json={"username": username, "password": "cw-demo-2026"}).json()
    client.headers["Authorization"] = f"Bearer {token['access_token']}"
    return client


def prepare(server) -> list[str]:
    """The campaign in its rectification phase today; more construction fixes verified; a draw for renda."""
    admin, boss = api_login(server.url, "admin"), api_login(server.url, "dudao")
    today = server.now().astimezone(ZONE).date()
    phases = [{"code": "publicity", "starts": str(today - timedelta(days=20)), "ends": str(today - timedelta(days=11))},
              {"code": "rectification", "starts": str(today - timedelta(days=10)), "ends": str(today + timedelta(days=20))},
              {"code": "summary", "starts": str(today + timedelta(days=21)), "ends": str(today + timedelta(days=40))}]
    assert admin.put("/api/campaign", json={"phases": phases}).status_code == 200
    waiting = boss.get("/api/items", params={"status": "fix_submitted", "office": "construction",
                                             "page_size": 50}).json()["items"]
    events = [{"id": str(uuid.uuid4()), "item_id": i["id"], "kind": "verified",
               "at": server.now().isoformat(), "base_version": i["version"], "payload": {}}
              for i in waiting]
    results = boss.post("/api/sync/push", json={"device_id": "e2e-supervisor", "events": events}).json()["results"]
    assert all(r["status"] == "accepted" for r in results), results
    renda = next(d["user_id"] for d in admin.get("/api/delegations").json())
    sample = admin.post("/api/spot-samples", json={"user_id": renda, "size": 4, "seed": 11}).json()
    assert sample["item_ids"], sample
    return sample["item_ids"]


def tap_target(phone: Phone, locator, at_least: float = 48) -> tuple[float, float]:
    """The element's size, read in one go once it is attached (Flutter may rebuild it between two reads).

    Flutter clips a semantics box to the scrolling area, so a button partly under a pinned bar
    measures short: the page is scrolled a step at a time (down, then up) until the whole box shows
    or the steps run out, and the largest box seen is the answer."""
    best = (0.0, 0.0)
    for step in (0, 120, 120, 120, -480, -120, -120):
        if step:
            phone.page.mouse.move(PHONE["width"] / 2, PHONE["height"] / 2)
            phone.page.mouse.wheel(0, step)
            phone.settled(locator)
        width, height = locator.evaluate("e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; }")
        best = max(best, (width, height), key=lambda size: size[1])
        if height >= at_least:
            break
    return best


def test_deputy_spot_checks_blind_and_the_disagreement_reaches_review(server_process, browser, artifacts):
    server = server_process(ui=True, extra=("--demo",), clock_start=FIRST_OF_A_MONTH).start(timeout=120)
    drawn = prepare(server)
    renda_api = api_login(server.url, "renda")
    sample = renda_api.get("/api/spot-samples").json()[0]  # newest first: the demo drew renda one before
    assert sample["item_ids"] == drawn and {i["office"] for i in sample["items"]} == {"construction"}

    context = browser.new_context(viewport=PHONE, geolocation={k: GPS[k] for k in ("latitude", "longitude")},
                                  permissions=["geolocation"], locale="zh-CN")
    phone = Phone(context.new_page(), artifacts, "renda")
    phone.open(server.url)
    phone.login("renda", until="我的抽查样本")
    phone.wait_text(f"已复核 0/{len(drawn)}")
    phone.wait_text("集中整治阶段")
    phone.shot("sample")

    # The sample: the construction office's items only, blind (no status or verdict words).
    text = phone.wait_screen(lambda t: "建筑工程管理处" in t and "待复核" in t, "the sample's cards")
    assert not [w for w in OTHER_OFFICES if w in text], text
    assert not [w for w in VERDICT_WORDS if w in text], text
    from playwright.sync_api import expect  # lazy: without Playwright the browser fixture skips the test

    for name in ("抽查", "上报", "单位", "我"):
        expect(phone.page.get_by_role("tab", name=name, exact=True)).to_have_count(1, timeout=30_000)
    bell = phone.page.locator("[flt-semantics-identifier='notices-bell']")
    width, height = tap_target(phone, bell)
    assert width >= 48 and height >= 48, (width, height)

    item_id = drawn[0]
    full = api_login(server.url, "dudao").get(f"/api/items/{item_id}").json()
    assert full["fix_photos"], "the office's after-photo exists on the server"
    blind = renda_api.get(f"/api/items/{item_id}").json()
    assert blind["fix_photos"] == [] and blind["leader"] is None  # the API agrees: blind

    phone.click_until(phone.scroll_to(f"[flt-semantics-identifier='sample-{item_id}']"), "盲查")
    phone.wait_text("提交复核结论后显示")
    phone.shot("blind-item")
    assert not [w for w in VERDICT_WORDS if w in phone.text()]
    assert phone.page.get_by_role("button", name="提交整改").count() == 0
    assert phone.page.get_by_role("button", name="回头看").count() == 0

    phone.tap("抽查复核", until="请到现场拍照", again=True)
    spot_photo = photo_jpeg(7)
    phone.pick_photo("拍照 / 选照片", spot_photo)
    phone.wait_text("同一地点")  # the same-spot check ran on the new photo (device GPS)
    phone.wheel(600, below="不一致")  # the verdict and the save button into view, above the bottom bar
    disagree = phone.button("不一致")
    width, height = tap_target(phone, disagree)
    assert height >= 48, height
    choose_disagree(phone)
    phone.fill("不一致的理由（写明现场情况）", "现场仍有污水外溢")
    phone.wheel(800, below="保存复核结论")
    save = phone.button("保存复核结论")
    assert tap_target(phone, save)[1] >= 48
    phone.shot("finding-form")
    phone.click_until(save, "您的复核结论：不一致")  # saving twice is refused (busy)
    phone.wait_text("现场仍有污水外溢")
    phone.wait_text("整改后")
    phone.shot("whole-item")
    assert "提交复核结论后显示" not in phone.text()

    # Through the API: the item is disputed and waits in the supervisors' review list.
    boss = api_login(server.url, "dudao")
    item = boss.get(f"/api/items/{item_id}").json()
    assert item["disputed"] is True and item["spot_disagree"] == 1
    reviews = boss.get("/api/reviews").json()
    [review] = [r for r in reviews if r["id"] == item_id]
    [finding] = review["findings"]
    assert finding["verdict"] == "disagree" and finding["note"] == "现场仍有污水外溢"
    assert finding["photos"] == [hashlib.sha256(spot_photo).hexdigest()]
    assert renda_api.get(f"/api/items/{item_id}").json()["fix_photos"] == full["fix_photos"]

    phone.tab("抽查")
    phone.wait_text(f"已复核 1/{len(drawn)}")
    phone.tab("单位")
    phone.wait_text("抽查异议")
    text = phone.wait_screen(lambda t: "建筑工程管理处" in t, "the delegated office")
    phone.shot("offices")
    assert not [w for w in OTHER_OFFICES if w in text], text

    assert phone.font_statuses and set(phone.font_statuses) <= {200, 304}, phone.font_statuses
    assert not [e for e in phone.console_errors if any(w in e for w in FONT_ERROR_WORDS)], phone.console_errors
