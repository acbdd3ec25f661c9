"""Visits in the summary: per office and per site in the PDF, one row per visit in the XLSX's 检查 sheet."""

import io
from datetime import date, datetime, timezone

from openpyxl import load_workbook
from pypdf import PdfReader

from inspector.domain.roles import Role
from inspector.reports import summary
from inspector.reports.pdf import write_pdf
from inspector.reports.sheets import write_xlsx
from tests.factories import person, registered_site, visit_row


def utc(month: int, day: int, hour: int = 2) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=timezone.utc)


def july(ctx, clock):
    clock.current = utc(8, 2)
    a = registered_site(ctx, "城东工地")
    registered_site(ctx, "滨江绿带", kind="green_belt", office="landscaping")
    ids = [visit_row(ctx, a, "self", utc(7, 3), met=8, applicable=10),
           visit_row(ctx, a, "supervisor", utc(7, 16), met=3, applicable=4, passed=False, starred_failed=1)]
    return ids


def gathered(ctx, clock, who=("dudao", Role.SUPERVISOR, None), lang="zh-CN"):
    july(ctx, clock)
    actor = person(ctx, who[0], who[1], who[2])
    return summary.gather(ctx, actor, first_day=date(2026, 7, 1), last_day=date(2026, 7, 31), lang=lang)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_summary_counts_visits_per_office_and_per_site(ctx, clock):
    s = gathered(ctx, clock)
    lines = {line.office: line for line in summary.office_visits(s)}
    construction = lines["construction"]
    # 城东工地: self weeks 1-7 .. 29-31 (5, one covered), supervisor 1-14, 15-28, 29-31 (3, one covered)
    assert (construction.visits, construction.covered, construction.due, construction.failed) == (2, 2, 8, 1)
    assert construction.visit_score == (0.8 + 0.75) / 2
    assert (lines["landscaping"].visits, lines["landscaping"].due) == (0, 8)
    assert (lines[""].covered, lines[""].due) == (2, 16)
    sites = {line.name: line for line in summary.site_visits(s)}
    assert sites["城东工地"].visits == 2 and sites["城东工地"].last_visit == date(2026, 7, 16)
    assert sites["滨江绿带"].visits == 0 and sites["滨江绿带"].last_visit is None


def test_the_pdf_prints_the_visit_figures(ctx, clock):
    text = pdf_text(write_pdf(gathered(ctx, clock)))
    assert "三、巡检情况" in text and "各单位巡检" in text and "各场所巡检" in text
    assert "25.0%" in text  # 建管处: 2 of 8 windows
    assert "77.5%" in text  # (80% + 75%) / 2
    assert "城东工地" in text and "2026-07-16" in text and "滨江绿带" in text
    english = pdf_text(write_pdf(gathered(ctx, clock, ("boss", Role.SUPERVISOR, None), lang="en")))
    assert "3. Site visits" in english and "Visits by site" in english


def test_the_xlsx_has_a_visits_sheet_with_one_row_per_visit(ctx, clock):
    book = load_workbook(io.BytesIO(write_xlsx(gathered(ctx, clock))), read_only=True)
    assert book.sheetnames[-1] == "检查"
    rows = [list(r) for r in book["检查"].iter_rows(values_only=True)]
    assert rows[0] == ["检查日期", "场所", "责任单位", "检查类型", "合格项", "适用项", "得分率", "是否合格"]
    assert [(r[0].date(), r[1], r[3], r[4], r[5], r[7]) for r in rows[1:]] == [
        (date(2026, 7, 3), "城东工地", "自查", 8, 10, "是"), (date(2026, 7, 16), "城东工地", "上级督查", 3, 4, "否")]
    scores = [c for r in book.worksheets[1].iter_rows(values_only=True) for c in r if c is not None]
    assert "巡检覆盖率" in scores and 0.25 in scores


def test_an_office_summary_lists_only_its_own_visits(ctx, clock):
    s = gathered(ctx, clock, ("yuanlin", Role.OFFICE_STAFF, "landscaping"))
    assert s.scores.board.visits == ()
    assert [line.name for line in summary.site_visits(s)] == ["滨江绿带"]
