"""Importing the technical assessment's findings: the template round trip, all-or-nothing refusals, unknown
values mapped, a second import adding nothing, and the re-check workbook listing the same numbers."""

import io
import zipfile

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from inspector.domain import catalog
from inspector.domain.findings import ids_of
from inspector.errors import (BodyTooLarge, FindingsAdminOnly, ImportMappingInvalid, ImportMissingColumns,
                              ImportNotXlsx, ImportRowsRefused, ImportTooManyRows)
from inspector.reports import render_recheck
from inspector.services import findings
from inspector.store import sites as site_store
from inspector.store.engine import read_session, write_session
from inspector.store.models import EventRow, Item
from inspector.store.public import SitePublic
from tests.factories import person
from tests.services.findings_helpers import ROWS, filled, workbook


@pytest.fixture
def admin(ctx):
    return person(ctx, "guanli", "admin")


def stored(ctx) -> dict[str, Item]:
    with read_session(ctx.engine) as session:
        return {row.finding_number: row for row in session.exec(select(Item)).all()}


def event_count(ctx) -> int:
    with read_session(ctx.engine) as session:
        return len(session.exec(select(EventRow.id)).all())


def test_the_filled_template_imports_as_technical_items_that_keep_their_numbers(ctx, admin):
    result = findings.import_findings(ctx, admin, filled(ROWS))
    assert result.status == "imported" and result.imported == ["JP-1", "JP-2", "JP-10"] and result.rows == 3
    items = stored(ctx)
    assert sorted(items) == ["JP-1", "JP-10", "JP-2"]
    one, two, ten = items["JP-1"], items["JP-2"], items["JP-10"]
    assert {i.check_type for i in items.values()} == {"technical"} and {i.reported_by for i in items.values()} == {
        admin.id}
    assert (one.category, one.office_code) == ("site_garbage", "construction")  # by Chinese names
    assert (two.category, two.office_code) == ("loose_soil", "landscaping")  # a code; blank office: the default
    assert (ten.category, ten.office_code) == ("community_sanitation", "real_estate")  # an English name, a code
    assert one.description == "工地出入口垃圾堆放\n地点：华家池路工地" and one.photos == []
    assert (one.lat, one.lon, one.location_source) == (*catalog.MAP_CENTRE, "manual")  # no such site: the city
    assert one.id == ids_of("JP-1")[0]
    # the re-check workbook lists the same numbers, in their order
    rendered = render_recheck(ctx, admin, "xlsx")
    rows = list(load_workbook(io.BytesIO(rendered.data)).worksheets[0].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["JP-1", "JP-2", "JP-10"] and rendered.item_count == 3
    assert rows[1][1] == one.description and rows[1][9] == one.number


def test_english_headers_and_a_title_row_above_them_are_read(ctx, admin):
    data = workbook([["2026年技术评估反馈问题清单"], ["Problem", "Number", "Place", "Office", "Category"],
                     ["Garbage at the gate", "E-1", "Gate", "Construction", "site_garbage"]])
    assert findings.import_findings(ctx, admin, data).imported == ["E-1"]
    assert stored(ctx)["E-1"].description == "Garbage at the gate\n地点：Gate"


def test_a_place_naming_a_registered_site_puts_the_finding_there(ctx, admin):
    with write_session(ctx.engine) as session:
        site_store.add_site(session, SitePublic(id="site-hjc", name="华家池路工地", kind="construction_site",
                                                office_code="construction", lat=30.29, lon=120.2))
    findings.import_findings(ctx, admin, filled(ROWS[:1]))
    one = stored(ctx)["JP-1"]
    assert (one.site_id, one.lat, one.lon) == ("site-hjc", 30.29, 120.2)


def test_importing_the_same_file_again_adds_nothing_and_says_so(ctx, admin):
    data = filled(ROWS)
    findings.import_findings(ctx, admin, data)
    before = event_count(ctx)
    again = findings.import_findings(ctx, admin, data)
    assert again.status == "nothing_new" and again.imported == [] and again.already == ["JP-1", "JP-2", "JP-10"]
    assert event_count(ctx) == before
    # a later list with one new finding adds that one only
    more = findings.import_findings(ctx, admin, filled([*ROWS, ["JP-11", "别处", "新问题", "loose_soil", ""]]))
    assert more.imported == ["JP-11"] and len(more.already) == 3 and event_count(ctx) == before + 1


def test_a_broken_file_is_refused_whole_with_every_bad_row_and_nothing_written(ctx, admin):
    findings.import_findings(ctx, admin, filled(ROWS[:1]))
    before = event_count(ctx)
    rows = [["JP-20", "甲", "好的一行", "loose_soil", ""],
            ["", "乙", "没有编号", "loose_soil", ""],
            ["JP-21", "丙", "", "loose_soil", ""],
            ["JP-20", "丁", "编号重复", "loose_soil", ""],
            ["JP-1", "戊", "已导入过的编号换了问题", "loose_soil", ""],
            ["JP-22", "己", '=HYPERLINK("http://evil","点我")', "loose_soil", ""],
            ["JP-23", "庚", "终端\x9b转义", "loose_soil", ""]]
    with pytest.raises(ImportRowsRefused) as refused:
        findings.import_findings(ctx, admin, filled(rows))
    got = [(r["row"], r["column"], r["problem"]) for r in refused.value.details["rows"]]
    assert got == [(3, "number", "missing"), (4, "problem", "missing"), (5, "number", "duplicate_number"),
                   (6, "number", "number_taken"), (7, "problem", "formula"), (8, "problem", "control_characters")]
    assert refused.value.details["count"] == 6 and refused.value.details["first"] == 3
    assert event_count(ctx) == before and "JP-20" not in stored(ctx)


def test_unknown_offices_and_categories_are_listed_then_imported_once_mapped(ctx, admin):
    rows = [["JP-1", "甲", "问题一", "", "建管处"], ["JP-2", "乙", "问题二", "工地垃圾", "建管处"],
            ["JP-3", "丙", "问题三", "loose_soil", ""]]
    first = findings.import_findings(ctx, admin, filled(rows))
    assert first.status == "needs_mapping" and first.imported == []
    assert [u.as_dict() for u in first.unknown] == [
        {"column": "category", "value": "", "rows": [2]}, {"column": "category", "value": "工地垃圾", "rows": [3]},
        {"column": "office", "value": "建管处", "rows": [2, 3]}]
    assert stored(ctx) == {}  # nothing written meanwhile
    with pytest.raises(ImportMappingInvalid):
        findings.import_findings(ctx, admin, filled(rows), {"office": {"建管处": "mars"}})
    mapping = {"category": {"": "site_garbage", "工地垃圾": "site_garbage"}, "office": {"建管处": "construction"}}
    done = findings.import_findings(ctx, admin, filled(rows), mapping)
    assert done.status == "imported" and done.imported == ["JP-1", "JP-2", "JP-3"]
    items = stored(ctx)
    assert (items["JP-1"].category, items["JP-1"].office_code) == ("site_garbage", "construction")
    assert items["JP-3"].office_code == "landscaping"


@pytest.mark.parametrize("data,error", [
    (b"not a workbook at all", ImportNotXlsx),
    (b"PK\x03\x04" + b"\x00" * 100, ImportNotXlsx),
    (b"x" * (10 * 1024 * 1024 + 1), BodyTooLarge),
])
def test_files_that_are_no_workbook_or_too_big_are_refused(ctx, admin, data, error):
    with pytest.raises(error):
        findings.import_findings(ctx, admin, data)


def test_a_zip_that_is_no_workbook_is_refused(ctx, admin):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(ImportNotXlsx):
        findings.import_findings(ctx, admin, out.getvalue())


def test_missing_columns_and_too_many_rows_are_refused(ctx, admin):
    with pytest.raises(ImportMissingColumns) as missing:
        findings.import_findings(ctx, admin, workbook([["地点", "问题"], ["甲", "问题"]]))
    assert missing.value.details["columns"] == "编号"
    rows = [[f"N-{n}", "甲", "问题"] for n in range(5001)]
    with pytest.raises(ImportTooManyRows):
        findings.import_findings(ctx, admin, workbook([["编号", "地点", "问题"], *rows]))
    assert stored(ctx) == {}


def test_only_an_admin_imports(ctx):
    supervisor = person(ctx, "dudao", "supervisor")
    with pytest.raises(FindingsAdminOnly):
        findings.import_findings(ctx, supervisor, filled(ROWS))
    assert stored(ctx) == {}


def test_the_template_has_both_languages_headers_and_a_codes_sheet():
    zh = load_workbook(io.BytesIO(findings.template("zh-CN")))
    en = load_workbook(io.BytesIO(findings.template("en")))
    assert [c.value for c in zh.worksheets[0][1]] == ["编号", "地点", "问题", "类别", "责任单位"]
    assert [c.value for c in en.worksheets[0][1]] == ["Number", "Place", "Problem", "Category", "Office"]
    codes = {row[1] for row in zh.worksheets[1].iter_rows(values_only=True)}
    assert {c.code for c in catalog.CATEGORIES} | {o.code for o in catalog.OFFICES} <= codes
