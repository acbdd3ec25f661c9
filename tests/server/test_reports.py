"""Campaign summaries (PDF, XLSX, CSV) over HTTP and from the command line; information reporting."""

import csv
import io
import os
import subprocess
import sys
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlmodel import select

from inspector.i18n import t
from inspector.services import demo
from inspector.store.engine import read_session
from inspector.store.models import Item
from tests.conftest import ROOT
from tests.factories import person, stored_photo
from tests.server.test_scores import july, login, people  # noqa: F401 (fixtures)

HEADERS_ZH = ["编号", "问题类别", "责任单位", "工地 / 地点", "状态", "上报时间", "整改期限", "责任领导", "整改提交时间",
              "核查通过时间", "返工次数", "反弹次数", "是否逾期", "纬度", "经度", "问题描述"]


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def numbers_of(ctx, office=None):
    with read_session(ctx.engine) as session:
        rows = session.exec(select(Item.number, Item.office_code)).all()
    return sorted(n for n, o in rows if office is None or o == office)


def xlsx_rows(data: bytes) -> list[list]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    sheet = book.worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def get(http, path, headers, **params):
    return http.get(path, params=params, headers=headers)


def test_pdf_summary_of_an_office_has_its_chinese_name_count_and_photo_pairs(ctx, http, people, july):
    headers = login(http, "dudao")
    response = get(http, "/api/reports/summary.pdf", headers, office="construction", to="2026-07-31")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert "attachment" in response.headers["content-disposition"]
    text = pdf_text(response.content)
    # Construction has items 1 and 2 (reported 07-15): the count, by hand, is 2.
    assert "建筑工程管理处" in text and "园林管理处" not in text
    assert "问题总数：2 件" in text and response.headers["x-item-count"] == "2"
    assert "100 × (0.4 × 按期办结率 + 0.2 × (1 − 返工率)" in text.replace("\n", "")
    # Item 1 was verified: its before/after pair is printed (two images).
    images = [image for page in PdfReader(io.BytesIO(response.content)).pages for image in page.images]
    assert len(images) == 2


def test_pdf_of_all_offices_counts_them_all(ctx, http, people, july):
    response = get(http, "/api/reports/summary.pdf", login(http, "dudao"), **{"from": "2026-07-01", "to": "2026-07-31"})
    text = pdf_text(response.content)
    assert "全部责任单位" in text and "问题总数：3 件" in text
    english = http.get("/api/reports/summary.pdf", params={"from": "2026-07-01", "to": "2026-07-31"},
                       headers={**login(http, "dudao"), "Accept-Language": "en"})
    assert "Items: 3" in pdf_text(english.content)


def test_xlsx_holds_one_row_per_item_with_its_facts(ctx, http, people, july):
    response = get(http, "/api/reports/summary.xlsx", login(http, "dudao"), to="2026-07-31")
    assert response.status_code == 200
    rows = xlsx_rows(response.content)
    assert rows[0] == HEADERS_ZH
    assert sorted(r[0] for r in rows[1:]) == numbers_of(ctx)
    by_office = {r[2] for r in rows[1:]}
    assert by_office == {"建筑工程管理处", "园林管理处"}
    overdue = [r for r in rows[1:] if r[12] == "是"]
    assert len(overdue) == 1 and overdue[0][1] == "工地垃圾乱丢弃" and overdue[0][7] == "陈处长"
    landscaping = next(r for r in rows[1:] if r[2] == "园林管理处")
    assert landscaping[4] == "已核查" and landscaping[10] == 1 and landscaping[11] == 0
    assert landscaping[6].strftime("%Y-%m-%d %H:%M") == "2026-07-20 23:59"  # local end of the deadline day
    scores_sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[1]
    cells = [c for row in scores_sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "建筑工程管理处" in cells and 80.0 in cells


def test_csv_round_trips_to_the_same_rows_as_the_xlsx(ctx, http, people, july):
    headers = login(http, "dudao")
    raw = get(http, "/api/reports/summary.csv", headers, to="2026-07-31").content
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel then reads UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    sheet = xlsx_rows(get(http, "/api/reports/summary.xlsx", headers, to="2026-07-31").content)
    assert rows[0] == HEADERS_ZH and len(rows) == len(sheet) == 4

    def text(value):
        if value is None:
            return ""
        return value.strftime("%Y-%m-%d %H:%M") if hasattr(value, "strftime") else str(value)

    assert rows[1:] == [[text(v) for v in row] for row in sheet[1:]]


def test_office_staff_get_their_own_office_only(ctx, http, people, july):
    headers = login(http, "jianzhu")
    rows = xlsx_rows(get(http, "/api/reports/summary.xlsx", headers, to="2026-07-31").content)
    assert {r[2] for r in rows[1:]} == {"建筑工程管理处"} and len(rows) == 3
    for fmt in ("pdf", "xlsx", "csv"):
        refused = get(http, f"/api/reports/summary.{fmt}", headers, office="landscaping")
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "auth.forbidden"


@pytest.mark.parametrize("username", ["renda", "xuncha"])
def test_spot_checkers_and_inspectors_get_no_reports(http, people, july, username):
    response = get(http, "/api/reports/summary.csv", login(http, username))
    assert response.status_code == 403


def test_a_period_that_ends_before_it_starts_is_422(http, people, july):
    response = get(http, "/api/reports/summary.csv", login(http, "dudao"), **{"from": "2026-07-10", "to": "2026-07-01"})
    assert response.status_code == 422 and response.json()["error"]["code"] == "request.invalid"


def test_the_cli_writes_every_format_from_a_demo_database(ctx, settings, database_url, tmp_path):
    demo.fill_if_empty(ctx)
    # The demo's clock is the test's (2026-07-15): its items are reported 06-25 .. 07-15.
    env = dict(os.environ, DATABASE_URL=database_url, LANG="zh_CN.UTF-8", PYTHONUNBUFFERED="1")
    total = len(numbers_of(ctx))
    construction = numbers_of(ctx, "construction")
    outputs = {}
    for fmt, office in (("pdf", "construction"), ("xlsx", None), ("csv", None)):
        out = tmp_path / "out" / f"summary.{fmt}"
        args = [sys.executable, "-m", "inspector", "report", "--data", str(settings.data_dir), "--format", fmt,
                "--out", str(out), "--from", "2026-06-01", "--to", "2026-07-31"]
        if office:
            args += ["--office", office]
        done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, done.stderr
        count = len(construction) if office else total
        assert str(out.resolve()) in done.stdout and f"{count} 件问题" in done.stdout, done.stdout
        outputs[fmt] = out.read_bytes()
    text = pdf_text(outputs["pdf"])
    assert "建筑工程管理处" in text and f"问题总数：{len(construction)} 件" in text
    assert sorted(r[0] for r in xlsx_rows(outputs["xlsx"])[1:]) == numbers_of(ctx)
    csv_rows = list(csv.reader(io.StringIO(outputs["csv"].decode("utf-8-sig"))))
    assert len(csv_rows) == total + 1 and sorted(r[0] for r in csv_rows[1:]) == numbers_of(ctx)

    refused = subprocess.run([sys.executable, "-m", "inspector", "report", "--data", str(settings.data_dir),
                              "--format", "csv", "--out", str(tmp_path / "x.csv"), "--office", "nowhere"],
                             env=env, cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert refused.returncode == 2 and "catalog.unknown_office" in refused.stderr


# --- information reporting (信息报送) ------------------------------------------------------------
def test_offices_name_a_reporter_who_files_notes_and_the_bureau_sees_who_has_not(ctx, http, clock, people):
    person(ctx, "jianzhu_b", "office_staff", "construction")
    sup, leader = login(http, "dudao"), login(http, "jianzhu_lead")
    # An office leader names the reporter of their own office, not of another.
    named = http.put("/api/info/reporters/construction", json={"username": "jianzhu"}, headers=leader)
    assert named.status_code == 200, named.text
    assert named.json()["reporter"]["username"] == "jianzhu"
    assert http.put("/api/info/reporters/landscaping", json={"username": "yuanlin"},
                    headers=leader).status_code == 403
    assert http.put("/api/info/reporters/landscaping", json={"username": "jianzhu_b"},
                    headers=sup).status_code == 422  # not staff of landscaping
    assert http.put("/api/info/reporters/landscaping", json={"username": "yuanlin"}, headers=sup).status_code == 200

    # Only the named reporter files; a colleague is refused.
    reporter = login(http, "jianzhu")
    photo = stored_photo(ctx, people["staff"], 9)
    note = http.post("/api/info/notes", json={"text": "今日完成滨江工地污水整改 3 处", "photos": [photo]},
                     headers=reporter)
    assert note.status_code == 201, note.text
    assert note.json()["day"] == "2026-07-15" and note.json()["office"] == "construction"
    assert http.post("/api/info/notes", json={"text": "x"}, headers=login(http, "jianzhu_b")).status_code == 403
    assert http.post("/api/info/notes", json={"text": "x"}, headers=sup).status_code == 403
    assert http.post("/api/info/notes", json={"text": "明天的", "day": "2026-07-16"},
                     headers=reporter).status_code == 422
    missing = http.post("/api/info/notes", json={"text": "照片", "photos": ["f" * 64]}, headers=reporter)
    assert missing.status_code == 422 and missing.json()["error"]["code"] == "photo.missing"
    assert http.post("/api/info/notes", json={"text": "补报", "day": "2026-07-14"}, headers=reporter).status_code == 201

    # The bureau's board for 07-15: construction has reported; the other three have not.
    board = http.get("/api/info/board", params={"day": "2026-07-15"}, headers=sup).json()
    assert (board["reported"], board["missing"]) == (1, 3)
    rows = {row["office"]: row for row in board["offices"]}
    assert rows["construction"]["reported"] and rows["construction"]["notes"][0]["photos"] == [photo]
    assert not rows["landscaping"]["reported"] and rows["landscaping"]["reporter"]["username"] == "yuanlin"
    assert rows["real_estate"]["reporter"] is None
    assert board["summary"] == t("info.board", day="2026-07-15", done=1, missing=3)

    # Notes over a span; office staff see their own office only; others are refused.
    notes = http.get("/api/info/notes", params={"from": "2026-07-01", "to": "2026-07-31"}, headers=sup).json()
    assert [n["day"] for n in notes["notes"]] == ["2026-07-14", "2026-07-15"]
    other = login(http, "yuanlin")
    assert [r["office"] for r in http.get("/api/info/board", headers=other).json()["offices"]] == ["landscaping"]
    assert http.get("/api/info/notes", params={"office": "construction"}, headers=other).status_code == 403
    assert [r["office"] for r in http.get("/api/info/reporters", headers=other).json()] == ["landscaping"]
    for username in ("renda", "xuncha"):
        assert http.get("/api/info/board", headers=login(http, username)).status_code == 403

    # Naming another reporter hands the pen over.
    assert http.put("/api/info/reporters/construction", json={"username": "jianzhu_b"},
                    headers=sup).status_code == 200
    assert http.post("/api/info/notes", json={"text": "x"}, headers=reporter).status_code == 403
    assert http.post("/api/info/notes", json={"text": "新报送员"},
                     headers=login(http, "jianzhu_b")).status_code == 201
    assert date.fromisoformat(board["day"]) == date(2026, 7, 15)
