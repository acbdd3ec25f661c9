"""The register as XLSX: the template round-trips, a broken file is refused whole with row numbers, rows update."""

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from inspector.domain.roles import Role
from inspector.errors import (
    SiteImportEmpty, SiteImportHeadersMissing, SiteImportNotXlsx, SiteImportRowsInvalid, SiteImportTooLarge,
    SiteImportTooManyRows, SitesAdminOnly,
)
from inspector.services import site_import, sites
from tests.factories import person

HEAD_ZH = ["场所名称", "类型", "责任单位", "纬度", "经度", "地址", "联系人"]
HEAD_EN = ["Name", "Type", "Office", "Latitude", "Longitude", "Address", "Contact"]


def book(rows, head=HEAD_ZH) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(head)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def admin(ctx):
    return person(ctx, "admin1", Role.ADMIN)


def listed(ctx):
    return [(s.name, s.kind, s.office_code, s.lat, s.lon, s.address, s.contact) for s in sites.list_sites(ctx)]


def test_the_template_has_headers_an_example_and_the_codes(ctx):
    workbook = load_workbook(io.BytesIO(site_import.template(ctx)))
    register, codes = workbook.worksheets
    assert [c.value for c in register[1]] == HEAD_ZH
    assert register.max_row == 2 and register["B2"].value == "建筑工地"
    listed_codes = {row[1] for row in codes.iter_rows(min_row=2, values_only=True)}
    assert {"construction_site", "green_belt", "community", "office_area", "construction", "landscaping"} <= \
        listed_codes


def test_template_filled_imports_and_exports_back_equal(ctx, admin):
    workbook = load_workbook(io.BytesIO(site_import.template(ctx)))
    sheet = workbook.worksheets[0]
    sheet.delete_rows(2)
    sheet.append(["人民公园", "公园绿地", "园林管理处", 30.2701, 120.1489, "", None])  # names, Chinese
    sheet.append(["阳光小区", "community", "real_estate", "30.2811", "120.1602", "阳光路 1 号", "李主任"])  # codes
    sheet.append(["住建局大院", "Office compound", "All other units", 30.2745, 120.1555, None, "=A1 不是公式"])
    sheet["G4"].data_type = "s"  # text that looks like a formula is text
    out = io.BytesIO()
    workbook.save(out)
    result = site_import.import_sites(ctx, admin, out.getvalue(), "zh-CN")
    assert sorted(result.added) == ["人民公园", "住建局大院", "阳光小区"] and result.updated == ()
    before = listed(ctx)
    assert ("阳光小区", "community", "real_estate", 30.2811, 120.1602, "阳光路 1 号", "李主任") in before
    assert ("住建局大院", "office_area", "other_units", 30.2745, 120.1555, "", "=A1 不是公式") in before
    again = site_import.import_sites(ctx, admin, site_import.export(ctx), "zh-CN")
    assert again.added == () and sorted(again.updated) == sorted(result.added)
    assert listed(ctx) == before
    exported = load_workbook(io.BytesIO(site_import.export(ctx))).worksheets[0]
    assert [c.value for c in exported[1]] == HEAD_ZH and exported.max_row == 4


def test_english_headers_in_another_order_are_taken(ctx, admin):
    data = book([[120.15, 30.27, "A工地", "Construction site", "construction"]],
                head=["Longitude", "Latitude", "Name", "Type", "Office"])
    site_import.import_sites(ctx, admin, data, "en")
    assert listed(ctx) == [("A工地", "construction_site", "construction", 30.27, 120.15, "", "")]


def test_a_broken_file_is_refused_whole_with_each_row_and_reason(ctx, admin):
    sites.register(ctx, admin, {"name": "人民公园", "kind": "green_belt", "office_code": "landscaping",
                                "lat": 30.27, "lon": 120.14})
    before = listed(ctx)
    data = book([
        ["好工地", "construction_site", "construction", 30.1, 120.1],  # row 2: good
        [None, "construction_site", "construction", 30.1, 120.1],  # 3: no name
        ["市场", "market", "construction", 30.1, 120.1],  # 4: unknown type
        ["B工地", "construction_site", "police", 30.1, 120.1],  # 5: unknown office
        ["C工地", "construction_site", "construction", "北纬30", 120.1],  # 6: not a number
        ["D工地", "construction_site", "construction", 30.1, 200],  # 7: out of range
        ["好工地", "construction_site", "construction", 30.2, 120.2],  # 8: same name as row 2
        ["人民公园", "community", "real_estate", 30.2, 120.2],  # 9: registered under another type
        ['=HYPERLINK("http://evil","点我")', "construction_site", "construction", 30.1, 120.1],  # 10: formula
        ["E工地\x9b31m", "construction_site", "construction", 30.1, 120.1],  # 11: control characters
    ])
    with pytest.raises(SiteImportRowsInvalid) as refused:
        site_import.import_sites(ctx, admin, data, "zh-CN")
    problems = {(p["row"], p["column"], p["code"]) for p in refused.value.details["rows"]}
    assert problems == {
        (3, "name", "sites.field_missing"), (4, "type", "catalog.unknown_site_type"),
        (5, "office", "catalog.unknown_office"), (6, "lat", "sites.bad_coordinate"),
        (7, "lon", "sites.bad_coordinate"), (8, "name", "sites.import.duplicate"),
        (9, "name", "sites.import.name_taken"), (10, "name", "sites.import.formula"),
        (11, "name", "text.control_characters"),
    }
    assert refused.value.details["count"] == 9
    words = {p["row"]: p["message"] for p in refused.value.details["rows"]}
    assert "第 2 行" in words[8] and "公园绿地" in words[9]
    assert listed(ctx) == before  # nothing written, not even row 2


def test_a_row_naming_a_site_of_the_register_updates_it_and_restores_it(ctx, admin):
    park = sites.register(ctx, admin, {"name": "人民公园", "kind": "green_belt", "office_code": "landscaping",
                                       "lat": 30.27, "lon": 120.14})
    sites.set_active(ctx, admin, park.id, False)
    result = site_import.import_sites(ctx, admin, book([["人民公园", "green_belt", "landscaping", 30.28, 120.15,
                                                         "公园路", "张"]]), "zh-CN")
    assert result.updated == ("人民公园",) and result.added == ()
    now = sites.site(ctx, park.id)
    assert (now.lat, now.lon, now.address, now.contact, now.active) == (30.28, 120.15, "公园路", "张", True)


@pytest.mark.parametrize("data", [b"", b"name,type\n", b"PK\x03\x04 broken", b"\x00" * 1000])
def test_what_is_not_an_xlsx_is_refused(ctx, admin, data):
    with pytest.raises(SiteImportNotXlsx):
        site_import.import_sites(ctx, admin, data, "zh-CN")


def test_a_zip_that_is_no_workbook_is_refused(ctx, admin):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as packed:
        packed.writestr("hello.txt", "hi")
    with pytest.raises(SiteImportNotXlsx):
        site_import.import_sites(ctx, admin, out.getvalue(), "zh-CN")


def test_size_rows_and_headers_have_their_limits(ctx, admin, monkeypatch):
    with pytest.raises(SiteImportTooLarge):
        site_import.import_sites(ctx, admin, b"x" * (site_import.MAX_BYTES + 1), "zh-CN")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as packed:  # 60 MB of zeros, a few KB packed
        packed.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    with pytest.raises(SiteImportTooLarge):
        site_import.import_sites(ctx, admin, out.getvalue(), "zh-CN")
    monkeypatch.setattr(site_import, "MAX_ROWS", 3)
    with pytest.raises(SiteImportTooManyRows):
        site_import.import_sites(ctx, admin, book([[f"工地{i}", "construction_site", "construction", 30, 120]
                                                   for i in range(4)]), "zh-CN")
    with pytest.raises(SiteImportHeadersMissing) as refused:
        site_import.import_sites(ctx, admin, book([["A", "construction_site"]], head=["场所名称", "类型"]), "zh-CN")
    assert "纬度" in refused.value.details["missing"]
    with pytest.raises(SiteImportEmpty):
        site_import.import_sites(ctx, admin, book([]), "zh-CN")
    assert listed(ctx) == []


def test_only_admins_import(ctx):
    supervisor = person(ctx, "dudao", Role.SUPERVISOR)
    with pytest.raises(SitesAdminOnly):
        site_import.import_sites(ctx, supervisor, book([["A", "construction_site", "construction", 30, 120]]),
                                 "zh-CN")
    assert listed(ctx) == []
