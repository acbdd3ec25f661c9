"""Publishing, amending and the bulletin (通报) over real HTTP: the record and its amendments in the answer,
refusals with their reasons (403, 409, 422), hostile month strings answered 4xx, the PDF's text."""

import io

import pytest
from pypdf import PdfReader

from inspector.services import exam
from tests.exam_month import after_july, july, people  # noqa: F401 - fixtures
from tests.factories import login

pytestmark = pytest.mark.usefixtures("after_july")


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()["error"]
    assert body["code"] == code and body["message"], body
    return body


def test_publish_then_the_board_is_the_record_with_its_amendments(http, ctx, people, july):
    headers = login(http, "dudao")
    published = http.post("/api/scores/2026-07/publish", headers=headers)
    assert published.status_code == 201, published.text
    body = published.json()
    assert body["live"] is False and body["published"]["by_name"] == "dudao"
    assert body["published"]["text"].startswith("已发布 2026-08-02 10:30") and "dudao" in body["published"]["text"]
    # an event after publishing: the record stays, the live figures move
    july["two"].send(people["staff"], "fix_submitted", photos=[july["after"]])
    july["two"].send(people["supervisor"], "verified", hours=1)
    record = http.get("/api/scores", params={"month": "2026-07"}, headers=headers).json()
    live = http.get("/api/scores", params={"month": "2026-07", "live": "true"}, headers=headers).json()
    rows = {r["office"]: r for r in record["offices"]}
    assert rows["construction"]["measures"]["closed"]["value"] == 1 and rows["construction"]["score"] == 75.0
    assert {r["office"]: r for r in live["offices"]}["construction"]["measures"]["closed"]["value"] == 2
    assert live["live"] is True and live["published"] is None
    # an amendment, shown beside the figure
    made = http.post("/api/scores/2026-07/amendments", headers=headers,
                     json={"office": "construction", "kind": "score", "score": 82.5, "reason": "抽查结果补录"})
    assert made.status_code == 201, made.text
    assert made.json()["before"] == 75.0 and made.json()["after"] == 82.5
    again = http.get("/api/scores", params={"month": "2026-07"}, headers=headers).json()
    row = {r["office"]: r for r in again["offices"]}["construction"]
    assert (row["published_score"], row["score"], row["amended"]) == (75.0, 82.5, True)
    assert [a["reason"] for a in again["amendments"]] == ["抽查结果补录"]
    listed = http.get("/api/scores/2026-07/amendments", headers=headers).json()
    assert listed[0]["by_name"] == "dudao" and listed[0]["kind"] == "score"
    months = http.get("/api/scores/published", headers=headers).json()
    assert [m["month"] for m in months] == ["2026-07"]
    # the office reads its own row of the record
    own = http.get("/api/scores", params={"month": "2026-07"}, headers=login(http, "jianzhu")).json()
    assert [r["office"] for r in own["offices"]] == ["construction"] and own["offices"][0]["score"] == 82.5


def test_refusals_carry_their_reasons(http, people, july):
    boss, staff = login(http, "dudao"), login(http, "jianzhu")
    body = error(http.post("/api/scores/2026-08/publish", headers=boss), 409, "exam.month_not_ended")
    assert "2026-08-31" in body["message"]
    error(http.post("/api/scores/2026-07/publish", headers=staff), 403, "exam.deciders_only")
    error(http.post("/api/scores/2026-07/amendments", headers=boss,
                    json={"office": "construction", "kind": "score", "score": 1, "reason": "x"}),
          409, "exam.not_published")
    error(http.get("/api/scores/2026-07/bulletin.pdf", headers=boss), 409, "exam.not_published")
    assert http.post("/api/scores/2026-07/publish", headers=boss).status_code == 201
    body = error(http.post("/api/scores/2026-07/publish", headers=login(http, "guanli")), 409,
                 "exam.already_published")
    assert "dudao" in body["message"]
    amend = "/api/scores/2026-07/amendments"
    error(http.post(amend, headers=boss, json={"office": "construction", "kind": "score", "score": 90,
                                               "reason": "  "}), 422, "exam.reason_required")
    error(http.post(amend, headers=boss, json={"office": "construction", "kind": "score", "score": 1e9,
                                               "reason": "r"}), 422, "exam.score_invalid")
    error(http.post(amend, headers=boss, json={"office": "construction", "kind": "exclude", "item": "nope",
                                               "reason": "r"}), 422, "exam.item_invalid")
    error(http.post(amend, headers=boss, json={"office": "police", "kind": "score", "score": 1, "reason": "r"}),
          422, "catalog.unknown_office")
    error(http.post(amend, headers=boss, json={"office": "construction", "kind": "delete", "reason": "r"}),
          422, "request.invalid")
    error(http.post(amend, headers=boss, json={"office": "construction", "kind": "score", "reason": "r",
                                               "extra": 1}), 422, "request.invalid")
    error(http.post(amend, headers=staff, json={"office": "construction", "kind": "score", "score": 100,
                                                "reason": "r"}), 403, "exam.deciders_only")
    error(http.get("/api/scores/2026-07/bulletin.pdf", headers=staff), 403, "exam.deciders_only")
    error(http.get("/api/scores/2026-07/amendments", headers=login(http, "xuncha")), 403, "auth.forbidden")


@pytest.mark.parametrize("month", ["2026-13", "2026-7", "1999-12", "2026-07'--", "２０２６-07", "2026-07%00",
                                   "%2e%2e", "2026-07 ", "x" * 300])
def test_hostile_month_strings_are_4xx_never_5xx(http, people, july, month):
    headers = login(http, "dudao")
    for method, path in (("POST", f"/api/scores/{month}/publish"), ("GET", f"/api/scores/{month}/bulletin.pdf"),
                         ("GET", f"/api/scores/{month}/amendments")):
        response = http.request(method, path, headers=headers)
        assert 400 <= response.status_code < 500, (path, response.status_code, response.text)
    assert 400 <= http.get("/api/scores", params={"month": month}, headers=headers).status_code < 500


def test_the_bulletin_holds_the_ranking_the_last_place_the_formula_and_the_amendment(http, ctx, people, july):
    boss = login(http, "dudao")
    assert http.post("/api/scores/2026-07/publish", headers=boss).status_code == 201
    exam.amend(ctx, people["supervisor"], "2026-07", "landscaping", "score", "抽查补录", score=90)
    response = http.get("/api/scores/2026-07/bulletin.pdf", headers=boss)
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and "bulletin-2026-07.pdf" in response.headers["content-disposition"]
    text = pdf_text(response.content)
    flat = "".join(text.split())
    assert "创卫巡查月考通报" in flat and "2026年7月" in flat and "发布人：dudao" in flat
    # ranking: landscaping (90, amended from 87.5) first, construction (75) second and last: 末位
    assert flat.index("园林管理处") < flat.index("建筑工程管理处") and "末位" in flat
    assert "已修正，原87.5分" in flat and "抽查补录" in flat
    assert "100×(0.5×50.0%+0.25×(1−0.0%)+0.25×(1−0.0%))=75.0" in flat  # construction's formula with its numbers
    assert "月末已逾期" in flat  # item two, the worst item, with its photo
    assert len(PdfReader(io.BytesIO(response.content)).pages[-1].images) >= 1
