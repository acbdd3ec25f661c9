"""The supervisor's desk end to end, on the server's web UI at 1440x900.

1. A supervisor logs in, finds the overdue items, filters, opens an item whose
   after-photo was taken 200 m away (the warning shows), rejects it with a
   reason from the keyboard, verifies another with V, and sees the monthly
   scoreboard change; the map shows markers without any tiles; a report
   downloads; the phone layout is one click away and back.
2. Oversight: the admin draws a spot-check sample on the desk; the deputy
   (renda) records a disagreement on the phone layout's spot-check screens;
   the supervisor finds it under 争议, sees the spot-check agreement rate of
   the month change on the scoreboard, and reopens the item.

Real server process with the demo data, real Chromium. Screenshots of every
desk screen go to test-artifacts/<run>/<test>/.
"""

import hashlib
import re
import uuid
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.e2e.conftest import PHONE, Phone, photo_jpeg

pytestmark = pytest.mark.e2e
DESK = {"width": 1440, "height": 900}
GPS = {"latitude": 30.2741, "longitude": 120.1551}
FONT_ERROR_WORDS = ("font", "Font", "NotoSansSC")


def api_login(url: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=30)
    token = client.post("/api/auth/token", json={"username": username, "password": "demo1234"}).json()
    client.headers["Authorization"] = f"Bearer {token['access_token']}"
    return client


def push(client: httpx.Client, item: dict, kind: str, payload: dict) -> dict:
    answer = client.post("/api/sync/push", json={"device_id": "e2e", "events": [{
        "id": str(uuid.uuid4()), "item_id": item["id"], "kind": kind, "at": datetime.now(timezone.utc).isoformat(),
        "base_version": item["version"], "payload": payload}]}).json()
    assert answer["results"][0]["status"] == "accepted", answer
    return answer


def far_fix(url: str) -> dict:
    """The construction office submits a fix whose after-photo was taken ~200 m from the problem."""
    staff = api_login(url, "jianzhu")
    item = staff.get("/api/items", params={"office": "construction", "status": "rectifying"}).json()["items"][0]
    photo = photo_jpeg(5)
    sha = hashlib.sha256(photo).hexdigest()
    assert staff.put(f"/api/photos/{sha}", content=photo).status_code in (200, 201)
    where = {"lat": item["location"]["lat"] + 0.0018, "lon": item["location"]["lon"], "source": "gps",
             "accuracy_m": 10}
    push(staff, item, "fix_submitted", {"photos": [sha], "note": "已清理", "location": where})
    return staff.get(f"/api/items/{item['id']}").json()


def board(url: str, month: str) -> dict:
    return api_login(url, "dudao").get("/api/scores", params={"month": month}).json()


def office_row(scores: dict, office: str) -> dict:
    return next(o for o in scores["offices"] if o["office"] == office)


class Desk(Phone):
    """The desk in Chromium: rail buttons, queue tabs and rows by their semantics identifiers, keys."""

    def login(self, username: str) -> None:
        self.wait_text("登录")
        self.fill("用户名", username)
        self.fill("密码", "demo1234")
        self.tap("登录")
        self.wait_text("快捷键", timeout=40)  # the desk opens on Review

    def replace(self, label: str, text: str) -> None:
        box = self.page.get_by_role("textbox", name=label)
        box.click()
        self.page.keyboard.press("Control+A")
        self.page.keyboard.type(text)

    def rail(self, name: str) -> None:
        self.page.get_by_role("button", name=re.compile(rf"^{name}\s+Tab")).first.click()
        self.page.wait_for_timeout(1200)

    def queue(self, name: str) -> None:
        self.page.locator(f"[flt-semantics-identifier='queue-{name}']").click()
        self.page.wait_for_timeout(1200)

    def row(self, number: str):
        return self.page.locator(f"[flt-semantics-identifier='row-{number}']")

    def key(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.page.wait_for_timeout(1200)

    def scores_text(self) -> str:
        self.rail("月考")
        self.wait_text("得分 =")
        self.page.wait_for_timeout(800)
        text = self.text()
        return text[text.index("得分 ="):]


def open_desk(browser, artifacts, url: str, name: str, username: str) -> Desk:
    context = browser.new_context(viewport=DESK, locale="zh-CN", accept_downloads=True)
    desk = Desk(context.new_page(), artifacts, name)
    desk.open(url)
    desk.login(username)
    return desk


def test_supervisor_reviews_at_the_desk(server_process, browser, artifacts):
    server = server_process(ui=True, extra=("--demo",)).start(timeout=120)
    far = far_fix(server.url)
    boss = api_login(server.url, "dudao")
    month = datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")
    before = board(server.url, month)

    desk = open_desk(browser, artifacts, server.url, "supervisor", "dudao")
    desk.wait_text("待派遣")
    desk.shot("review-dispatch")
    text = desk.text()
    assert all(w in text for w in ("审核", "地图", "月考", "报告", "设置", "待核查", "逾期", "延期申请", "争议"))
    scores_before = desk.scores_text()
    desk.shot("scores-before")
    desk.rail("审核")

    # Overdue items: one click on the red tab
    overdue = boss.get("/api/items", params={"overdue": "true", "page_size": 1}).json()["total"]
    assert overdue > 0 and f"逾期 {overdue}" in desk.text().replace("\n", " ")
    desk.queue("overdue")
    desk.wait_text("逾期 ")
    assert re.search(r"逾期 \d+ 天", desk.text())
    desk.shot("review-overdue")

    # Filter: the fixes waiting for verification, searched by number; open the one taken far away
    desk.queue("verify")
    desk.fill("编号、描述、领导", far["number"])
    desk.page.keyboard.press("Enter")
    desk.page.wait_for_timeout(1500)
    desk.wait_text("第 1–1 项，共 1 项")
    desk.row(far["number"]).click()
    desk.page.wait_for_timeout(1500)
    desk.wait_text("超过 50 米")
    desk.wait_text("整改后照片 · 拍摄人")
    desk.page.wait_for_timeout(1500)  # the photos come after the words
    desk.shot("item-far-after-photo")

    # Reject it from the keyboard, with a reason
    desk.key("r")
    desk.wait_text("退回重改 · " + far["number"])
    desk.fill("原因", "整改后照片不是同一地点，请在原位置重新拍摄")
    desk.shot("reject-dialog")
    desk.page.get_by_role("button", name="退回重改", exact=True).last.click()
    desk.wait_text(f"已退回重改：{far['number']}")
    rejected = boss.get(f"/api/items/{far['id']}").json()
    assert rejected["status"] == "rectifying" and rejected["rework_count"] == far["rework_count"] + 1
    assert rejected["last_reason"] == "整改后照片不是同一地点，请在原位置重新拍摄"

    # Verify another with V (the filter cleared; the first fix in the queue is in front)
    desk.tap("清除筛选")
    desk.page.wait_for_timeout(1500)
    waiting = boss.get("/api/items", params={"status": "fix_submitted", "sort": "updated_at"}).json()["items"]
    target = waiting[0]
    desk.row(target["number"]).click()
    desk.page.wait_for_timeout(1500)
    desk.key("v")
    desk.wait_text(f"已核查通过：{target['number']}")
    desk.shot("review-after-verify")
    assert boss.get(f"/api/items/{target['id']}").json()["status"] == "verified"

    # The scoreboard moved: the API's figures and what the screen says
    after = board(server.url, month)
    assert after != before
    scores_after = desk.scores_text()
    assert scores_after != scores_before
    desk.shot("scores-after")

    # Map: markers on a plain background (no tiles on these machines)
    desk.rail("地图")
    desk.wait_text("地图上 ")
    desk.page.wait_for_timeout(2500)
    assert re.search(r"地图上 \d+ 项（共 \d+ 项", desk.text())
    desk.shot("map-without-tiles")

    # Reports: the CSV downloads in the browser; 信息报送 for today
    desk.rail("报告")
    desk.wait_text("信息报送")
    with desk.page.expect_download(timeout=60_000) as download:
        desk.tap("下载 CSV")
    path = download.value.path()
    assert download.value.suggested_filename.endswith(".csv")
    data = open(path, "rb").read()
    assert data.startswith(b"\xef\xbb\xbf") and far["number"].encode() in data
    desk.wait_text("已生成 summary-")
    desk.wait_text("下载 CSV")  # the buttons are back
    desk.shot("reports")

    desk.rail("设置")
    desk.wait_text("只有管理员可以修改这里的内容")
    desk.shot("admin-as-supervisor")

    # The phone layout and back
    desk.tap("手机版")
    desk.wait_text("桌面版")
    desk.shot("phone-layout")
    desk.tap("桌面版")
    desk.wait_text("快捷键")

    assert desk.font_statuses and set(desk.font_statuses) <= {200, 304}, desk.font_statuses
    assert not [e for e in desk.console_errors if any(w in e for w in FONT_ERROR_WORDS)], desk.console_errors


def record_disagreement(phone: Phone, item_id: str, note: str) -> bytes:
    """The deputy's spot-check screens on the phone layout (built by the phone app's engineer)."""
    phone.scroll_to(f"[flt-semantics-identifier='sample-{item_id}']").click()
    phone.wait_text("盲查")
    phone.wait_text("提交复核结论后显示")  # the item has loaded: its buttons will not be rebuilt under the tap
    phone.tap("抽查复核")
    phone.wait_text("请到现场拍照")
    photo = photo_jpeg(8)
    phone.pick_photo("拍照 / 选照片", photo)
    phone.wait_text("同一地点")
    phone.page.mouse.move(PHONE["width"] / 2, PHONE["height"] / 2)
    phone.page.mouse.wheel(0, 600)
    phone.page.wait_for_timeout(600)
    phone.button("不一致").click()
    phone.page.wait_for_timeout(600)
    phone.fill("不一致的理由（写明现场情况）", note)
    phone.page.mouse.wheel(0, 800)
    phone.page.wait_for_timeout(800)
    phone.shot("finding-form")
    phone.button("保存复核结论").click()
    phone.wait_text("您的复核结论：不一致", timeout=40)
    return photo


def test_spot_check_disagreement_reaches_the_desk_and_the_scoreboard(server_process, browser, artifacts):
    server = server_process(ui=True, extra=("--demo",)).start(timeout=120)
    boss = api_login(server.url, "dudao")
    # more verdicts to check: the construction office's waiting fixes are verified
    for item in boss.get("/api/items", params={"status": "fix_submitted", "office": "construction"}).json()["items"]:
        push(boss, item, "verified", {})

    # The admin draws a sample for the deputy on the desk; the seed is on screen
    admin = open_desk(browser, artifacts, server.url, "admin", "admin")
    admin.rail("设置")
    admin.wait_text("抽查样本")
    admin.replace("数量", "3")
    admin.fill("随机种子（可不填）", "20260715")
    admin.tap("抽取")
    admin.wait_text("种子 20260715")
    admin.page.wait_for_timeout(1000)
    admin.shot("admin-sample-drawn")
    [sample] = api_login(server.url, "renda").get("/api/spot-samples").json()
    assert sample["seed"] == "20260715" and sample["item_ids"]
    item_id = sample["item_ids"][0]
    item = boss.get(f"/api/items/{item_id}").json()
    assigned = max(datetime.fromisoformat(e["server_at"]) for e in item["events"]
                   if e["kind"] in ("assigned", "rebounded", "reopened"))
    month = assigned.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")  # the item counts in that month
    before = office_row(board(server.url, month), "construction")["measures"]["spot_agreement"]

    supervisor = open_desk(browser, artifacts, server.url, "supervisor", "dudao")
    supervisor.wait_text("争议 0")

    # The deputy, on the phone layout, disagrees with the verdict
    context = browser.new_context(viewport=PHONE, geolocation=GPS, permissions=["geolocation"], locale="zh-CN")
    phone = Phone(context.new_page(), artifacts, "renda")
    phone.open(server.url)
    phone.wait_text("登录")
    phone.fill("用户名", "renda")
    phone.fill("密码", "demo1234")
    phone.tap("登录")
    phone.wait_text("我的抽查样本", timeout=40)
    phone.shot("sample")
    record_disagreement(phone, item_id, "沉淀池仍在溢流，整改不到位")
    phone.shot("finding-saved")

    # The supervisor finds it under 争议, with the finding
    supervisor.rail("地图")  # coming back to Review reads the queues again
    supervisor.rail("审核")
    supervisor.queue("disputed")
    supervisor.wait_text("抽查意见（有异议）")
    supervisor.wait_text("沉淀池仍在溢流，整改不到位")
    supervisor.page.wait_for_timeout(1500)
    supervisor.shot("review-disputed")

    # ... and the month's spot-check agreement rate changed on the board
    after = office_row(board(server.url, month), "construction")["measures"]["spot_agreement"]
    assert after["value"] != before["value"] and after["denominator"]["value"] == before["denominator"]["value"] + 1
    supervisor.rail("月考")
    supervisor.wait_text("抽查一致率")
    for _ in range(12):  # back to the month the item was assigned in
        if f"{month}" in supervisor.text():
            break
        supervisor.page.get_by_role("button", name="上个月").click()
        supervisor.page.wait_for_timeout(1200)
    rate = after["value"]
    supervisor.wait_text(f"{rate * 100:.0f}%")
    supervisor.shot("scores-agreement")

    # Reopen: the deputy was right
    supervisor.rail("审核")
    supervisor.queue("disputed")
    supervisor.wait_text("抽查意见（有异议）")
    supervisor.tap("重新整改")
    supervisor.fill("原因", "抽查意见属实")
    supervisor.shot("reopen-dialog")
    supervisor.page.get_by_role("button", name="重新整改").last.click()
    supervisor.wait_text("已重新整改")
    reopened = boss.get(f"/api/items/{item_id}").json()
    assert reopened["status"] == "assigned" and reopened["disputed"] is False
    supervisor.shot("after-reopen")
