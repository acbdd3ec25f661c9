"""An inspector reporting next to an open item sees it offered and adds the photo to it (issue 12, part B).

The server's web UI at a phone's size (412x915) in Chromium, with the GPS faked 12 m from an
open item the inspector reported earlier (through the API). Choosing the same category offers
it as "可能重复" with its before-photo and distance; one tap on "加到此问题" adds the new photo
to it as evidence instead of a new item; the item's timeline shows it. Then the same in
English. Screenshots go to test-artifacts/<run>/<test>/ and /tmp/shots/dup-*.png.
"""

import hashlib
import shutil
import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.e2e.conftest import PHONE, TEXT_JS, Phone, photo_jpeg

pytestmark = pytest.mark.e2e
ZONE = ZoneInfo("Asia/Shanghai")
MORNING = datetime(2026, 12, 2, 9, 30, tzinfo=ZONE)  # the server's clock (INSPECTOR_CLOCK_START)
ITEM_AT = {"lat": 30.2790, "lon": 120.1610, "accuracy_m": 6, "source": "gps"}  # away from the demo's items
GPS = {"latitude": 30.27911, "longitude": 120.1610, "accuracy": 8}  # 12 m north of it
SHOTS = Path("/tmp/shots")


def api_login(url: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=30)
    token = client.post("/api/auth/token", json={"username": username, "password": "cw-demo-2026"}).json()
    client.headers["Authorization"] = f"Bearer {token['access_token']}"
    return client


def open_item_of(server) -> dict:
    """xuncha's own open report of garbage on a site, through the API."""
    api = api_login(server.url, "xuncha")
    data = photo_jpeg(3)
    sha = hashlib.sha256(data).hexdigest()
    assert api.put(f"/api/photos/{sha}", content=data).status_code in (200, 201)
    item_id = str(uuid.uuid4())
    answer = api.post("/api/sync/push", json={"device_id": "e2e", "events": [{
        "id": str(uuid.uuid4()), "item_id": item_id, "kind": "reported", "at": server.now().isoformat(),
        "base_version": 0, "payload": {"category": "site_garbage", "location": ITEM_AT, "photos": [sha],
                                       "description": "东门外建筑垃圾"}}]}).json()
    assert answer["results"][0]["status"] == "accepted", answer
    return api.get(f"/api/items/{item_id}").json()


def shot(phone: Phone, label: str) -> None:
    path = phone.shot(label)
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SHOTS / f"dup-{label}.png")


def offered_and_added(phone: Phone, lang: str, item: dict, seed: int) -> None:
    words = {"zh": ("拍照 / 选照片", "已选 1 张照片", "工地垃圾乱丢弃", "可能重复", "加到此问题",
                    f"照片已加到 {item['number']}（补充证据）"),
             "en": ("Take / choose photos", "Photos: 1", "Garbage dumped on site", "Possible duplicate",
                    "Add to this item", f"Photos added to {item['number']} as evidence")}[lang]
    button, chosen, category, offer, add, done = words
    phone.pick_photo(button, photo_jpeg(seed))
    phone.wait_text(chosen)
    phone.wait_text("±8 m · GPS")
    phone.until_taken(lambda: phone.tap(category), f"words => ({TEXT_JS})().includes(words)", offer,
                      f"{offer} offered")
    phone.wait_text(item["number"])
    phone.wheel(500, below=add)
    phone.wait_text("相距 12 米" if lang == "zh" else "12 m away")
    shot(phone, f"{lang}-offered")
    # one tap (a second could add the photo twice); the button stands still in view, so none is lost
    phone.tap(add, until=done, timeout=60)
    # the form is emptied after the words come: it is empty again, no new item was made
    phone.wait_no_text(chosen)
    shot(phone, f"{lang}-added")


def test_an_inspector_reporting_next_to_an_open_item_adds_the_photo_to_it(server_process, browser, artifacts):
    server = server_process(ui=True, extra=("--demo",), clock_start=MORNING).start(timeout=120)
    item = open_item_of(server)
    api = api_login(server.url, "xuncha")
    mine_before = api.get("/api/items", params={"page_size": 500}).json()["total"]

    context = browser.new_context(viewport=PHONE, geolocation=GPS, permissions=["geolocation"], locale="zh-CN")
    phone = Phone(context.new_page(), artifacts, "xuncha")
    phone.open(server.url)
    phone.login("xuncha", until="拍照 / 选照片")
    offered_and_added(phone, "zh", item, 5)

    detail = api.get(f"/api/items/{item['id']}").json()
    assert [e["kind"] for e in detail["events"]] == ["reported", "evidence_added"]
    assert detail["evidence_count"] == 1 and detail["status"] == "reported"
    assert api.get("/api/items", params={"page_size": 500}).json()["total"] == mine_before

    phone.tab("我的")
    card = phone.scroll_to(f"[flt-semantics-identifier='item-{item['id']}']")
    phone.until_taken(card.click, f"words => ({TEXT_JS})().includes(words)", "新增照片 1 张",
                      "the evidence in the timeline")
    shot(phone, "zh-timeline")

    phone.tab("我")
    phone.tap("English", until="Language", again=True)
    phone.tab("Report")
    offered_and_added(phone, "en", item, 6)
    assert api.get(f"/api/items/{item['id']}").json()["evidence_count"] == 2
    phone.tab("Mine")
    card = phone.scroll_to(f"[flt-semantics-identifier='item-{item['id']}']")
    phone.until_taken(card.click, f"words => ({TEXT_JS})().includes(words)", "1 new photo(s)",
                      "the evidence in the timeline")
    shot(phone, "en-timeline")
    assert not [m for m in phone.console_errors if "NotoSansSC" in m], phone.console_errors
