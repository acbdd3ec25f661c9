"""The findings over HTTP: the import (admins only, hostile files refused with 4xx and nothing written), its
mapping round, the template, and the re-check pack by role."""

import io
import json

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.factories import login, person
from tests.services.findings_helpers import ROWS, filled, workbook

XLSX = {"Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@pytest.fixture
def people(ctx):
    return {"admin": person(ctx, "guanli", "admin"), "supervisor": person(ctx, "dudao", "supervisor"),
            "staff": person(ctx, "jianzhu", "office_staff", "construction"),
            "inspector": person(ctx, "xuncha", "inspector")}


def upload(http, who: str, data: bytes, **params):
    return http.post("/api/findings/import", content=data, params=params, headers={**login(http, who), **XLSX})


def numbers(http) -> list:
    response = http.get("/api/reports/recheck.xlsx", headers=login(http, "guanli"))
    assert response.status_code == 200, response.text
    return [r[0] for r in list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))[1:]]


def test_an_admin_imports_the_list_then_a_second_time_nothing_new(http, people):
    response = upload(http, "guanli", filled(ROWS))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "imported" and body["imported"] == ["JP-1", "JP-2", "JP-10"] and body["unknown"] == []
    items = http.get("/api/items", params={"check_type": "technical"}, headers=login(http, "dudao")).json()
    assert sorted(i["finding_number"] for i in items["items"]) == ["JP-1", "JP-10", "JP-2"]
    again = upload(http, "guanli", filled(ROWS)).json()
    assert again["status"] == "nothing_new" and again["already"] == ["JP-1", "JP-2", "JP-10"]
    assert numbers(http) == ["JP-1", "JP-2", "JP-10"]


def test_unknown_values_come_back_and_the_mapping_imports(http, people):
    rows = [["JP-1", "甲", "问题一", "", "建管处"]]
    first = upload(http, "guanli", filled(rows)).json()
    assert first["status"] == "needs_mapping"
    assert first["unknown"] == [{"column": "category", "value": "", "rows": [2]},
                                {"column": "office", "value": "建管处", "rows": [2]}]
    assert numbers(http) == []
    mapping = json.dumps({"category": {"": "site_garbage"}, "office": {"建管处": "construction"}}, ensure_ascii=False)
    done = upload(http, "guanli", filled(rows), mapping=mapping).json()
    assert done["status"] == "imported" and numbers(http) == ["JP-1"]


@pytest.mark.parametrize("who", ["dudao", "jianzhu", "xuncha"])
def test_only_admins_import(http, people, who):
    response = upload(http, who, filled(ROWS))
    assert response.status_code == 403 and response.json()["error"]["code"] == "findings.admin_only"
    assert numbers(http) == []


def test_hostile_files_are_refused_with_a_4xx_and_nothing_written(http, people):
    cases = [
        (b"GIF89a not a workbook", 422, "import.not_xlsx"),
        (b"PK\x03\x04garbage", 422, "import.not_xlsx"),
        (b"", 422, "import.not_xlsx"),
        (workbook([["地点", "问题"], ["甲", "乙"]]), 422, "import.missing_columns"),
        (filled([["JP-1", "甲", "=cmd|' /C calc'!A0", "loose_soil", ""]]), 422, "import.rows_refused"),
        (filled([["JP-1", "甲", "问题", "loose_soil", ""], ["JP-1", "乙", "问题", "loose_soil", ""]]), 422,
         "import.rows_refused"),
    ]
    for data, status, code in cases:
        response = upload(http, "guanli", data)
        assert (response.status_code, response.json()["error"]["code"]) == (status, code), response.text
    refused = upload(http, "guanli", filled([["JP-1", "甲", "=1+1", "loose_soil", ""]])).json()["error"]
    assert refused["details"]["rows"] == [{"row": 2, "column": "problem", "problem": "formula", "value": "=1+1"}]
    assert "第 2 行" in refused["message"]
    assert numbers(http) == []


def test_a_body_past_ten_megabytes_is_refused_before_it_is_read(http, people):
    response = upload(http, "guanli", b"\0" * (10 * 1024 * 1024 + 10))
    assert response.status_code == 413 and response.json()["error"]["code"] == "request.too_large"


@pytest.mark.parametrize("mapping", ["not json", '{"office": "construction"}', '{"office": {"x": "mars"}}',
                                     '{"site": {"x": "y"}}'])
def test_a_bad_mapping_is_a_422(http, people, mapping):
    response = upload(http, "guanli", filled([["JP-1", "甲", "问题", "", "x"]]), mapping=mapping)
    assert response.status_code == 422, response.text
    assert numbers(http) == []


def test_the_template_downloads_in_the_requests_language(http, people):
    response = http.get("/api/findings/template.xlsx", headers={**login(http, "dudao"), "Accept-Language": "en"})
    assert response.status_code == 200 and "findings-template.xlsx" in response.headers["content-disposition"]
    header = [c.value for c in load_workbook(io.BytesIO(response.content)).worksheets[0][1]]
    assert header == ["Number", "Place", "Problem", "Category", "Office"]
    assert http.get("/api/findings/template.xlsx").status_code == 401


def test_the_recheck_pack_by_role(http, people):
    upload(http, "guanli", filled(ROWS))
    pdf = http.get("/api/reports/recheck.pdf", headers=login(http, "dudao"))
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["x-item-count"] == "3"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert all(number in text for number, *_ in ROWS)
    own = http.get("/api/reports/recheck.xlsx", params={"office": "landscaping"}, headers=login(http, "jianzhu"))
    assert own.status_code == 403  # office staff: their own office only
    mine = http.get("/api/reports/recheck.xlsx", headers=login(http, "jianzhu"))
    assert mine.status_code == 200 and mine.headers["x-item-count"] == "1"
    assert http.get("/api/reports/recheck.pdf", headers=login(http, "xuncha")).status_code == 403
    assert http.get("/api/reports/recheck.pdf", params={"office": "mars"},
                    headers=login(http, "dudao")).status_code == 422
    assert http.get("/api/reports/recheck.pdf").status_code == 401
