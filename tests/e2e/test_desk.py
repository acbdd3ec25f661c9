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

Real server process with the demo data, real Chromium. The server's clock is
driven (``INSPECTOR_CLOCK_START``): the first flow runs on the 1st of a month
(the demo items are all from the month before), the second on 1 January (they
are from last year's December), so neither depends on today's date. Screenshots
of every desk screen go to test-artifacts/<run>/<test>/.
"""

import calendar
import hashlib
import re
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.e2e.conftest import PHONE, TEXT_JS, Phone, photo_jpeg

pytestmark = pytest.mark.e2e
DESK = {"width": 1440, "height": 900}
GPS = {"latitude": 30.2741, "longitude": 120.1551}
FONT_ERROR_WORDS = ("font", "Font", "NotoSansSC")
ZONE = ZoneInfo("Asia/Shanghai")
FIRST_OF_A_MONTH = datetime(2026, 12, 1, 9, 30, tzinfo=ZONE)
NEW_YEARS_DAY = datetime(2027, 1, 1, 10, 0, tzinfo=ZONE)


def api_login(url: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=30)
    token = client.post("/api/auth/token", json={"username": username, "password": "cw-demo-2026"}).json()
    client.headers["Authorization"] = f"Bearer {token['access_token']}"
    return client


def push(server, client: httpx.Client, item: dict, kind: str, payload: dict) -> dict:
    answer = client.post("/api/sync/push", json={"device_id": "e2e", "events": [{
        "id": str(uuid.uuid4()), "item_id": item["id"], "kind": kind, "at": server.now().isoformat(),
        "base_version": item["version"], "payload": payload}]}).json()
    assert answer["results"][0]["status"] == "accepted", answer
    return answer


def far_fix(server) -> dict:
    """The construction office submits a fix whose after-photo was taken ~200 m from the problem."""
    staff = api_login(server.url, "jianzhu")
    item = staff.get("/api/items", params={"office": "construction", "status": "rectifying"}).json()["items"][0]
    photo = photo_jpeg(5)
    sha = hashlib.sha256(photo).hexdigest()
    assert staff.put(f"/api/photos/{sha}", content=photo).status_code in (200, 201)
    where = {"lat": item["location"]["lat"] + 0.0018, "lon": item["location"]["lon"], "source": "gps",
             "accuracy_m": 10}
    push(server, staff, item, "fix_submitted", {"photos": [sha], "note": "已清理", "location": where})
    return staff.get(f"/api/items/{item['id']}").json()


def board(url: str, month: str) -> dict:
    return api_login(url, "dudao").get("/api/scores", params={"month": month}).json()


def office_row(scores: dict, office: str) -> dict:
    return next(o for o in scores["offices"] if o["office"] == office)


def month_of(item: dict) -> str:
    """The local month an item counts in on the scoreboard: the month it was (last) assigned."""
    assigned = max(datetime.fromisoformat(e["server_at"]) for e in item["events"]
                   if e["kind"] in ("assigned", "rebounded", "reopened"))
    return assigned.astimezone(ZONE).strftime("%Y-%m")


def previous_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:])
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


def as_of_words(scores: dict) -> str:
    """The scoreboard's "overdue as of" line for this board, as the desk words it."""
    return f"逾期按 {datetime.fromisoformat(scores['as_of']).astimezone(ZONE):%Y-%m-%d %H:%M} 计"


AS_OF = re.compile(r"逾期按 (\d{4}-\d\d-\d\d \d\d:\d\d) 计")
COUNT = re.compile(r"查看这 \d+ 项\s+(\d+)")


def shown_counts(text: str, office_name: str) -> list[int]:
    """The office's first four numbers in the table (派遣数, 办结数, 按期办结数, 延期数) as the screen reads them."""
    start = text.find(office_name)
    return [int(n) for n in COUNT.findall(text[start:])[:4]] if start >= 0 else []


def api_counts(scores: dict, office: str) -> list[int]:
    measures = office_row(scores, office)["measures"]
    return [measures[m]["value"] for m in ("assigned", "closed", "closed_on_time", "extended")]


class Desk(Phone):
    """The desk in Chromium: rail buttons, queue tabs and rows by their semantics identifiers, keys."""

    def login(self, username: str) -> None:
        super().login(username, until="快捷键")  # the desk opens on Review

    def replace(self, label: str, text: str) -> None:
        self.fill(label, text, replace=True)

    def queue(self, name: str, until: str) -> None:
        """A queue tab, tapped again until ``until`` shows (its list is in)."""
        self.click_until(self.page.locator(f"[flt-semantics-identifier='queue-{name}']"), until,
                         f"queue {name}: {until!r}")

    def row(self, number: str):
        return self.page.locator(f"[flt-semantics-identifier='row-{number}']")

    def download(self, button: str, tries: int = 3):
        """The file a tap on ``button`` downloads; tapped again if no download starts (the tap was lost).
        The desk greys the buttons while a file is being made, so a second tap cannot make a second file."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        for attempt in range(tries):
            try:
                with self.page.expect_download(timeout=30_000) as info:
                    self.tap(button)
                return info.value
            except PlaywrightTimeout:
                if attempt == tries - 1:
                    raise AssertionError(f"{button} started no download; screen says: {self.text()[:2000]}") from None

    def key(self, key: str) -> None:
        self.page.keyboard.press(key)

    def shown_month(self) -> tuple[str, str]:
        """The month Scores shows and its "as of" words: a past month is judged at its end (the next month's
        first 00:00), the current month at the time now."""
        words = self.wait_screen(lambda t: AS_OF.search(t), "the scoreboard's as-of line")
        found = AS_OF.search(words)
        at = datetime.strptime(found.group(1), "%Y-%m-%d %H:%M")
        month = at.strftime("%Y-%m") if (at.day, at.hour, at.minute) != (1, 0, 0) else previous_month(
            at.strftime("%Y-%m"))
        return month, found.group(0)

    def scores_month(self, server, month: str) -> dict:
        """Scores at ``month`` (stepping with 上个月 / 下个月 from wherever it is), once the screen shows its
        board; returns the API's board of that month, which the screen then agrees with."""
        self.rail("月考")
        self.wait_text("得分 =")
        for _ in range(24):
            shown, words = self.shown_month()
            if shown == month:
                return board(server.url, month)
            self.tap_icon("上个月" if shown > month else "下个月")
            self.wait_no_text(words)
        raise AssertionError(f"Scores never reached {month}")

    def wait_counts(self, scores: dict, office: str) -> None:
        """Until the screen's numbers of ``office`` are the API's."""
        from inspector.i18n import t

        name = t(f"office.{office}", "zh-CN")
        expected = api_counts(scores, office)
        self.wait_screen(lambda text: shown_counts(text, name) == expected,
                         f"{name} showing {expected}")


def open_desk(browser, artifacts, url: str, name: str, username: str) -> Desk:
    context = browser.new_context(viewport=DESK, locale="zh-CN", accept_downloads=True)
    desk = Desk(context.new_page(), artifacts, name)
    desk.open(url)
    desk.login(username)
    return desk


def test_supervisor_reviews_at_the_desk(server_process, browser, artifacts):
    server = server_process(ui=True, extra=("--demo",), clock_start=FIRST_OF_A_MONTH).start(timeout=120)
    current = f"{server.now().astimezone(ZONE):%Y-%m}"
    far = far_fix(server)
    boss = api_login(server.url, "dudao")
    # the fix V will verify: the first waiting one once the far one is sent back
    target = next(i for i in boss.get("/api/items", params={"status": "fix_submitted", "sort": "updated_at"})
                  .json()["items"] if i["id"] != far["id"])
    target = boss.get(f"/api/items/{target['id']}").json()
    month = month_of(target)
    assert month == previous_month(current)  # 1st of the month: the demo's work is all last month's
    before = board(server.url, month)

    desk = open_desk(browser, artifacts, server.url, "supervisor", "dudao")
    desk.wait_text("待派遣")
    # the rail and every queue tab (their counts come in one by one)
    desk.wait_screen(lambda t: all(w in t for w in ("审核", "地图", "月考", "报告", "设置", "待核查", "逾期", "延期申请",
                                                   "争议")), "the rail and the queue tabs")
    desk.shot("review-dispatch")
    assert desk.scores_month(server, month) == before
    desk.wait_counts(before, target["office"])
    desk.shot("scores-before")
    desk.rail("审核")

    # Overdue items: one click on the red tab
    overdue = boss.get("/api/items", params={"overdue": "true", "page_size": 1}).json()["total"]
    assert overdue > 0
    desk.wait_screen(lambda t: f"逾期 {overdue}" in t.replace("\n", " "), f"逾期 {overdue} on its tab")
    desk.until_taken(desk.page.locator("[flt-semantics-identifier='queue-overdue']").click,
                     f"() => /逾期 \\d+ 天/.test(({TEXT_JS})())", what="an overdue row (逾期 N 天)")
    desk.shot("review-overdue")

    # Filter: the fixes waiting for verification, searched by number; open the one taken far away
    waiting = boss.get("/api/items", params={"status": "fix_submitted", "page_size": 1}).json()["total"]
    desk.queue("verify", until=f"共 {waiting} 项")
    desk.fill("编号、描述、领导", far["number"])
    desk.until_taken(lambda: desk.page.keyboard.press("Enter"), f"w => ({TEXT_JS})().includes(w)", "第 1–1 项，共 1 项",
                     "the search for the far fix")
    desk.click_until(desk.row(far["number"]), "超过 50 米")
    desk.wait_text("整改后照片 · 拍摄人")
    desk.shot("item-far-after-photo")

    # Reject it from the keyboard, with a reason
    # pressed again if the pane was not ready for it: letters do nothing while the dialog is open
    desk.until_taken(lambda: desk.key("r"), f"w => ({TEXT_JS})().includes(w)", "退回重改 · " + far["number"],
                     "the reject dialog")
    desk.replace("原因", "整改后照片不是同一地点，请在原位置重新拍摄")
    desk.shot("reject-dialog")
    desk.confirm("退回重改", "退回重改 · " + far["number"], f"已退回重改：{far['number']}")
    rejected = boss.get(f"/api/items/{far['id']}").json()
    assert rejected["status"] == "rectifying" and rejected["rework_count"] == far["rework_count"] + 1
    assert rejected["last_reason"] == "整改后照片不是同一地点，请在原位置重新拍摄"

    # Verify another with V (the filter cleared; the first fix in the queue is in front)
    desk.tap("清除筛选", until=f"共 {waiting - 1} 项", again=True)
    first = boss.get("/api/items", params={"status": "fix_submitted", "sort": "updated_at"}).json()["items"][0]
    assert first["id"] == target["id"]
    desk.until_taken(desk.row(target["number"]).click, f"n => ({TEXT_JS})().split(n).length > 2", target["number"],
                     f"{target['number']} open")  # in its row and in the detail
    desk.key("v")
    desk.wait_text(f"已核查通过：{target['number']}")
    desk.shot("review-after-verify")
    assert boss.get(f"/api/items/{target['id']}").json()["status"] == "verified"

    # The scoreboard of the item's month moved: the API's figures, and the screen shows them
    after = board(server.url, month)
    assert api_counts(after, target["office"])[1] == api_counts(before, target["office"])[1] + 1  # 办结数
    assert desk.scores_month(server, month) == after
    desk.wait_counts(after, target["office"])
    desk.shot("scores-after")

    # Map: markers on a plain background (no tiles on these machines)
    desk.rail("地图")
    desk.wait_screen(lambda t: re.search(r"地图上 \d+ 项（共 \d+ 项", t), "地图上 N 项（共 M 项")
    desk.shot("map-without-tiles")

    # Reports: last month's summary (today is the 1st) downloads as CSV in the browser; 信息报送 for today
    desk.rail("报告")
    desk.wait_text(f"{server.now().astimezone(ZONE):%Y-%m-%d} 报送情况")  # 信息报送 for the server's today
    days = f"{month.replace('-', '')}01-{month.replace('-', '')}{calendar.monthrange(*map(int, month.split('-')))[1]}"
    # the day fields' words are not in the accessibility tree: the file tells whether 上月 was taken, and a
    # tap lost to a rebuild is done again (choosing the period twice is choosing it)
    for _ in range(3):
        desk.tap("上月")
        download = desk.download("下载 CSV")
        if download.suggested_filename == f"summary-all-{days}.csv":
            break
    path = download.path()
    assert download.suggested_filename == f"summary-all-{days}.csv"  # the whole of last month
    data = open(path, "rb").read()
    assert data.startswith(b"\xef\xbb\xbf") and far["number"].encode() in data
    desk.wait_text("已生成 summary-")
    desk.wait_button("下载 CSV")  # the buttons are back
    desk.shot("reports")

    desk.rail("设置")
    desk.wait_text("只有管理员可以修改这里的内容")
    desk.shot("admin-as-supervisor")

    # The phone layout and back
    desk.tap("手机版", until="桌面版", again=True)
    desk.shot("phone-layout")
    desk.tap("桌面版", until="快捷键", again=True)

    assert desk.font_statuses and set(desk.font_statuses) <= {200, 304}, desk.font_statuses
    assert not [e for e in desk.console_errors if any(w in e for w in FONT_ERROR_WORDS)], desk.console_errors


def choose_disagree(phone: Phone) -> None:
    """不一致, tapped until the form asks for its reason (choosing it twice is choosing it)."""
    phone.until_taken(phone.button("不一致").click, phone.page.get_by_role("textbox", name="不一致的理由（写明现场情况）"),
                      what="不一致 chosen")


def record_disagreement(phone: Phone, item_id: str, note: str) -> bytes:
    """The deputy's spot-check screens on the phone layout (built by the phone app's engineer)."""
    phone.click_until(phone.scroll_to(f"[flt-semantics-identifier='sample-{item_id}']"), "盲查")
    phone.wait_text("提交复核结论后显示")  # the item has loaded: its buttons will not be rebuilt under the tap
    phone.tap("抽查复核", until="请到现场拍照", again=True)
    photo = photo_jpeg(8)
    phone.pick_photo("拍照 / 选照片", photo)
    phone.wait_text("同一地点")
    phone.wheel(600, below="不一致")
    choose_disagree(phone)
    phone.fill("不一致的理由（写明现场情况）", note)
    phone.wheel(800, below="保存复核结论")
    phone.shot("finding-form")
    phone.click_until(phone.button("保存复核结论"), "您的复核结论：不一致")  # saving twice is refused (busy)
    return photo


def test_spot_check_disagreement_reaches_the_desk_and_the_scoreboard(server_process, browser, artifacts):
    server = server_process(ui=True, extra=("--demo",), clock_start=NEW_YEARS_DAY).start(timeout=120)
    current = f"{server.now().astimezone(ZONE):%Y-%m}"
    boss = api_login(server.url, "dudao")
    # more verdicts to check: the construction office's waiting fixes are verified
    for item in boss.get("/api/items", params={"status": "fix_submitted", "office": "construction"}).json()["items"]:
        push(server, boss, item, "verified", {})

    # The admin draws a sample for the deputy on the desk; the seed is on screen
    admin = open_desk(browser, artifacts, server.url, "admin", "admin")
    admin.rail("设置")
    admin.wait_text("抽查样本")
    admin.replace("数量", "3")
    admin.fill("随机种子（可不填）", "20260715")
    admin.tap("抽取", until="种子 20260715")
    admin.shot("admin-sample-drawn")
    sample = api_login(server.url, "renda").get("/api/spot-samples").json()[0]  # newest; the demo drew one
    assert sample["seed"] == "20260715" and sample["item_ids"]
    item_id = sample["item_ids"][0]
    month = month_of(boss.get(f"/api/items/{item_id}").json())  # the item counts in that month
    assert month == previous_month(current) == "2026-12"  # 1 January: the demo's work is last year's
    before = office_row(board(server.url, month), "construction")["measures"]["spot_agreement"]

    supervisor = open_desk(browser, artifacts, server.url, "supervisor", "dudao")
    supervisor.wait_text("争议 0")

    # The deputy, on the phone layout, disagrees with the verdict
    context = browser.new_context(viewport=PHONE, geolocation=GPS, permissions=["geolocation"], locale="zh-CN")
    phone = Phone(context.new_page(), artifacts, "renda")
    phone.open(server.url)
    phone.login("renda", until="我的抽查样本")
    phone.shot("sample")
    record_disagreement(phone, item_id, "沉淀池仍在溢流，整改不到位")
    phone.shot("finding-saved")

    # The supervisor finds it under 争议, with the finding
    supervisor.rail("地图")  # coming back to Review reads the queues again
    supervisor.rail("审核")
    supervisor.queue("disputed", until="抽查意见（有异议）")
    supervisor.wait_text("沉淀池仍在溢流，整改不到位")
    supervisor.shot("review-disputed")

    # ... and the month's spot-check agreement rate changed on the board (last year's December)
    after_board = board(server.url, month)
    after = office_row(after_board, "construction")["measures"]["spot_agreement"]
    assert after["value"] != before["value"] and after["denominator"]["value"] == before["denominator"]["value"] + 1
    assert supervisor.scores_month(server, month) == after_board
    supervisor.wait_text("抽查一致率")
    supervisor.wait_text(f"{after['value'] * 100:.0f}%")
    supervisor.shot("scores-agreement")

    # Reopen: the deputy was right
    supervisor.rail("审核")
    supervisor.queue("disputed", until="抽查意见（有异议）")
    supervisor.tap("重新整改", until="重新整改 · ", again=True)
    supervisor.replace("原因", "抽查意见属实")
    supervisor.shot("reopen-dialog")
    supervisor.confirm("重新整改", "重新整改 · ", "已重新整改")
    reopened = boss.get(f"/api/items/{item_id}").json()
    assert reopened["status"] == "assigned" and reopened["disputed"] is False
    supervisor.shot("after-reopen")
