"""The site register over HTTP: admins write, everyone else reads and is told why not; hostile bodies get a 4xx."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from inspector.domain.roles import Role
from inspector.services.site_import import XLSX_TYPE
from tests.factories import login, person

PARK = {"name": "人民公园", "kind": "green_belt", "office_code": "landscaping", "lat": 30.2741, "lon": 120.1551,
        "address": "解放路 1 号", "contact": "刘工"}


@pytest.fixture
def people(ctx, http):
    person(ctx, "admin1", Role.ADMIN)
    person(ctx, "dudao", Role.SUPERVISOR)
    person(ctx, "xuncha", Role.INSPECTOR)
    person(ctx, "yuanlin", Role.OFFICE_STAFF, "landscaping")
    return {name: login(http, name) for name in ("admin1", "dudao", "xuncha", "yuanlin")}


def book(*rows, head=("场所名称", "类型", "责任单位", "纬度", "经度")) -> bytes:
    workbook = Workbook()
    workbook.active.append(list(head))
    for row in rows:
        workbook.active.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def post_xlsx(http, headers, data: bytes, **more):
    return http.post("/api/sites/import", content=data, headers={**headers, "Content-Type": XLSX_TYPE, **more})


def test_an_admin_registers_edits_retires_and_everyone_lists_the_active_sites(http, people):
    made = http.post("/api/sites", json=PARK, headers=people["admin1"])
    assert made.status_code == 201, made.text
    site = made.json()
    assert site["address"] == "解放路 1 号" and site["active"] is True
    for who in ("dudao", "xuncha", "yuanlin"):
        listed = http.get("/api/sites", headers=people[who]).json()["sites"]
        assert [(s["name"], s["contact"]) for s in listed] == [("人民公园", "刘工")]
    edited = http.patch(f"/api/sites/{site['id']}", json={"lat": 30.28, "address": ""}, headers=people["admin1"])
    assert edited.status_code == 200 and edited.json()["lat"] == 30.28 and edited.json()["address"] == ""
    retired = http.patch(f"/api/sites/{site['id']}", json={"active": False}, headers=people["admin1"])
    assert retired.json()["active"] is False and retired.json()["lat"] == 30.28
    assert http.get("/api/sites", headers=people["xuncha"]).json()["sites"] == []
    assert http.patch(f"/api/sites/{site['id']}", json={"active": True},
                      headers=people["admin1"]).json()["active"] is True


@pytest.mark.parametrize("who", ["dudao", "xuncha", "yuanlin"])
def test_others_are_refused_every_write_with_a_reason(http, people, who):
    site = http.post("/api/sites", json=PARK, headers=people["admin1"]).json()
    lang = {"Accept-Language": "en"}
    answers = [
        http.post("/api/sites", json={**PARK, "name": "新公园"}, headers={**people[who], **lang}),
        http.patch(f"/api/sites/{site['id']}", json={"active": False}, headers={**people[who], **lang}),
        http.post("/api/site-types", json={"code": "market", "names": {"zh-CN": "市场", "en": "Market"}},
                  headers={**people[who], **lang}),
        post_xlsx(http, {**people[who], **lang}, book(["A工地", "construction_site", "construction", 30, 120])),
    ]
    for answer in answers:
        assert answer.status_code == 403, answer.text
        assert answer.json()["error"]["code"] == "sites.admin_only"
        assert "Only admins" in answer.json()["error"]["message"]
    assert len(http.get("/api/sites", headers=people[who]).json()["sites"]) == 1
    assert http.get("/api/sites/template.xlsx", headers=people[who]).status_code == 200  # reading is open
    assert http.get("/api/site-types", headers=people[who]).status_code == 200


def test_nobody_logged_out_reads_or_writes(http, people):
    for answer in (http.get("/api/site-types"), http.get("/api/sites/qr.pdf"), http.post("/api/sites", json=PARK),
                   http.get("/api/sites/template.xlsx"), http.post("/api/sites/import", content=b"x")):
        assert answer.status_code == 401


def test_site_types_are_listed_named_and_added(http, people):
    shipped = http.get("/api/site-types", headers=people["xuncha"]).json()["site_types"]
    assert [(t["code"], t["names"]["zh-CN"], t["shipped"]) for t in shipped][0] == ("construction_site", "建筑工地",
                                                                                     True)
    added = http.post("/api/site-types", json={"code": "market", "names": {"zh-CN": "农贸市场", "en": "Wet market"}},
                      headers=people["admin1"])
    assert added.status_code == 201
    assert added.json()["site_types"][-1] == {"code": "market", "names": {"zh-CN": "农贸市场", "en": "Wet market"},
                                              "shipped": False}
    again = http.post("/api/site-types", json={"code": "market", "names": {"zh-CN": "市场", "en": "Market"}},
                      headers=people["admin1"])
    assert again.status_code == 409 and again.json()["error"]["code"] == "sites.type_exists"
    bad = http.post("/api/site-types", json={"code": "Market!", "names": {"zh-CN": "市场", "en": "M"}},
                    headers=people["admin1"])
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "sites.type_code_invalid"
    assert http.post("/api/sites", json={**PARK, "kind": "market"}, headers=people["admin1"]).status_code == 201


@pytest.mark.parametrize("body, code", [
    ({**PARK, "name": "人民\u0000公园"}, "text.control_characters"),
    ({**PARK, "contact": "刘工\u001b[2J"}, "text.control_characters"),
    ({**PARK, "kind": "casino"}, "catalog.unknown_site_type"),
    ({**PARK, "office_code": "police"}, "catalog.unknown_office"),
    ({**PARK, "lat": 91}, "request.invalid"),
    ({**PARK, "name": "   "}, "sites.field_missing"),
    ({**PARK, "name": "园" * 201}, "request.invalid"),
    ({**PARK, "id": "my-own-id"}, "request.invalid"),
    ({**PARK, "active": False}, "request.invalid"),
])
def test_hostile_site_bodies_are_refused(http, people, body, code):
    answer = http.post("/api/sites", json=body, headers=people["admin1"])
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["code"] == code
    assert http.get("/api/sites", headers=people["admin1"]).json()["sites"] == []


def test_other_ids_and_names_are_refused(http, people):
    site = http.post("/api/sites", json=PARK, headers=people["admin1"]).json()
    assert http.post("/api/sites", json=PARK, headers=people["admin1"]).status_code == 409
    for site_id in ("no-such-site", "x" * 40):
        assert http.patch(f"/api/sites/{site_id}", json={"lat": 30}, headers=people["admin1"]).status_code == 404
    assert http.patch("/api/sites/" + "x" * 41, json={"lat": 30}, headers=people["admin1"]).status_code == 422
    assert http.patch("/api/sites/a%00b", json={"lat": 30}, headers=people["admin1"]).status_code == 422
    other = http.post("/api/sites", json={**PARK, "name": "西湖"}, headers=people["admin1"]).json()
    taken = http.patch(f"/api/sites/{other['id']}", json={"name": "人民公园"}, headers=people["admin1"])
    assert taken.status_code == 409 and taken.json()["error"]["code"] == "sites.name_taken"
    assert http.get("/api/sites", headers=people["admin1"]).json()["sites"][0]["id"] == site["id"]


def test_the_template_downloads_and_imports_back(http, people):
    template = http.get("/api/sites/template.xlsx", headers=people["admin1"])
    assert template.headers["content-type"] == XLSX_TYPE
    assert "sites-template.xlsx" in template.headers["content-disposition"]
    done = post_xlsx(http, people["admin1"], template.content)
    assert done.status_code == 200 and done.json() == {"added": ["示例：滨江花园三期工地"], "updated": []}
    exported = http.get("/api/sites/export.xlsx", headers=people["admin1"])
    assert load_workbook(io.BytesIO(exported.content)).worksheets[0]["A2"].value == "示例：滨江花园三期工地"
    assert post_xlsx(http, people["admin1"], exported.content).json()["updated"] == ["示例：滨江花园三期工地"]


def test_hostile_workbooks_get_a_4xx_and_change_nothing(http, people):
    admin = {**people["admin1"], "Accept-Language": "en"}
    not_xlsx = post_xlsx(http, admin, b"<html>hello</html>")
    assert not_xlsx.status_code == 422 and not_xlsx.json()["error"]["code"] == "sites.import_not_xlsx"
    huge = post_xlsx(http, admin, b"PK" + b"\x00" * (10 * 1024 * 1024))
    assert huge.status_code == 413 and huge.json()["error"]["code"] == "request.too_large"

    def chunks():  # no Content-Length: the cap counts what streams in
        for _ in range(11):
            yield b"\x00" * (1024 * 1024)
    streamed = http.post("/api/sites/import", content=chunks(), headers={**admin, "Content-Type": XLSX_TYPE})
    assert streamed.status_code == 413
    formula = post_xlsx(http, admin, book(["好工地", "construction_site", "construction", 30, 120],
                                          ['=HYPERLINK("http://evil.example","点我")', "construction_site",
                                           "construction", 30, 120],
                                          ["坏工地\x9b", "construction_site", "construction", 30, 120]))
    assert formula.status_code == 422
    error = formula.json()["error"]
    assert error["code"] == "sites.import_rows_invalid" and "nothing was imported" in error["message"]
    assert [(r["row"], r["code"]) for r in error["details"]["rows"]] == [(3, "sites.import.formula"),
                                                                         (4, "text.control_characters")]
    assert "formula" in error["details"]["rows"][0]["message"]
    assert http.get("/api/sites", headers=admin).json()["sites"] == []


def test_the_qr_sheet_links_to_the_public_address(http, people, live):
    http.post("/api/sites", json=PARK, headers=people["admin1"])
    sheet = http.get("/api/sites/qr.pdf", headers=people["yuanlin"])
    assert sheet.status_code == 200 and sheet.content.startswith(b"%PDF")
    assert sheet.headers["content-type"] == "application/pdf"
    from pypdf import PdfReader  # lazy: only this test reads a PDF back

    page = PdfReader(io.BytesIO(sheet.content)).pages[0]
    links = [a.get_object()["/A"]["/URI"] for a in page["/Annots"]]
    site_id = http.get("/api/sites", headers=people["admin1"]).json()["sites"][0]["id"]
    assert links == [f"{live.url}/visit/{site_id}"]
    assert "人民公园" in page.extract_text()
    one_office = http.get("/api/sites/qr.pdf", params={"office": "construction"}, headers=people["admin1"])
    assert "/Annots" not in PdfReader(io.BytesIO(one_office.content)).pages[0]
    unknown = http.get("/api/sites/qr.pdf", params={"office": "police"}, headers=people["admin1"])
    assert unknown.status_code == 422 and unknown.json()["error"]["code"] == "catalog.unknown_office"
