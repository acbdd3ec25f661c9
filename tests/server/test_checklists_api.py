"""Checklists over real HTTP: the current ones, any version, history, an admin's save, and hostile bodies."""

import pytest

from inspector.domain.checklists import MAX_POINTS
from inspector.domain.roles import Role
from inspector.domain.standard import SHIPPED
from tests.factories import login, person


@pytest.fixture
def people(ctx):
    person(ctx, "guanli", Role.ADMIN)
    person(ctx, "dudao", Role.SUPERVISOR)
    person(ctx, "xuncha", Role.INSPECTOR)
    person(ctx, "jianzhu", Role.OFFICE_STAFF, "construction")


def current(http, who="xuncha") -> dict[str, dict]:
    response = http.get("/api/checklists", headers=login(http, who))
    assert response.status_code == 200, response.text
    return {c["site_type"]: c for c in response.json()["checklists"]}


def put(http, site_type: str, body, who="guanli", lang="zh-CN"):
    return http.put(f"/api/checklists/{site_type}", json=body,
                    headers={**login(http, who), "Accept-Language": lang})


def error_of(response) -> dict:
    return response.json()["error"]


def test_everyone_logged_in_reads_the_current_checklists(http, people):
    for who in ("xuncha", "jianzhu", "dudao"):
        lists = current(http, who)
        assert set(lists) == set(SHIPPED)
    site = current(http)["construction_site"]
    assert site["version"] == 1 and set(site) == {"id", "site_type", "version", "points"}
    first = site["points"][0]
    assert first["code"] == "cs_hoarding" and first["starred"] is True and first["category"] == "site_cleaning"
    assert "1.8米" in first["text"]["zh-CN"] and "1.8 m" in first["text"]["en"]
    assert http.get("/api/checklists").status_code == 401


def test_an_admin_saves_a_version_and_the_old_one_stays_readable(http, people):
    v1 = current(http)["construction_site"]
    points = v1["points"][1:] + [{"code": "cs_noise", "category": "site_cleaning",
                                  "text": {"zh-CN": "夜间不施工扰民", "en": "No noisy work at night"}}]
    response = put(http, "construction_site", {"points": points, "base_version": 1})
    assert response.status_code == 200, response.text
    v2 = response.json()
    assert v2["version"] == 2 and v2["new"] is True and v2["points"][-1]["starred"] is False
    assert current(http)["construction_site"]["id"] == v2["id"]
    old = http.get(f"/api/checklists/{v1['id']}", headers=login(http, "xuncha"))
    assert old.status_code == 200 and old.json() == v1
    history = http.get("/api/checklists/history", params={"site_type": "construction_site"},
                       headers=login(http, "dudao")).json()["versions"]
    assert [(v["version"], v["points"]) for v in history] == [(2, len(points)), (1, len(v1["points"]))]
    again = put(http, "construction_site", {"points": points, "base_version": 2})
    assert again.status_code == 200 and again.json()["new"] is False and again.json()["version"] == 2


def test_a_save_from_a_version_no_longer_current_is_a_409_with_words(http, people):
    v1 = current(http)["green_belt"]
    assert put(http, "green_belt", {"points": v1["points"][:3], "base_version": 1}).status_code == 200
    late = put(http, "green_belt", {"points": v1["points"][:4], "base_version": 1}, lang="en")
    assert late.status_code == 409
    assert error_of(late)["code"] == "checklist.conflict" and "version 2" in error_of(late)["message"]
    assert len(current(http)["green_belt"]["points"]) == 3


@pytest.mark.parametrize("who", ["dudao", "xuncha", "jianzhu"])
def test_only_an_admin_saves(http, people, who):
    v1 = current(http)["community"]
    response = put(http, "community", {"points": v1["points"][:2]}, who=who)
    assert response.status_code == 403 and error_of(response)["code"] == "auth.forbidden"
    assert current(http)["community"]["version"] == 1


def test_unknown_version_and_unknown_site_type(http, people):
    missing = http.get("/api/checklists/0190aaaa-0000-7000-8000-000000000000", headers=login(http, "xuncha"))
    assert missing.status_code == 404 and error_of(missing)["code"] == "checklist.not_found"
    points = current(http)["community"]["points"]
    unknown = put(http, "market", {"points": points})
    assert unknown.status_code == 422 and error_of(unknown)["code"] == "catalog.unknown_site_type"
    assert http.get("/api/checklists/history", params={"site_type": "market"},
                    headers=login(http, "xuncha")).json() == {"versions": []}


def point(**change) -> dict:
    return {"code": "p1", "category": "site_sewage", "text": {"zh-CN": "无污水流出"}, **change}


@pytest.mark.parametrize("body, code, words", [
    ({"points": []}, "event.invalid_payload", "at least one point"),
    ({"points": [point(), point()]}, "event.invalid_payload", "used twice"),
    ({"points": [point(category="made_up")]}, "event.invalid_payload", "not a problem category"),
    ({"points": [point(code="DROP TABLE")]}, "event.invalid_payload", "lower-case"),
    ({"points": [point(text={"zh-CN": "无\x00污水"})]}, "event.invalid_payload", "control character"),
    ({"points": [point(text={"en": "escape \x1b[31m"})]}, "event.invalid_payload", "control character"),
    ({"points": [point(text={"zh-CN": "字" * 301})]}, "request.invalid", "text"),
    ({"points": [point(text={"zh-CN": "a", "en": "b", "fr": "c"})]}, "request.invalid", "text"),
    ({"points": [point(code="x" * 61)]}, "request.invalid", "code"),
    ({"points": [point(starred="yes")]}, "request.invalid", "starred"),
    ({"points": [point(extra=1)]}, "request.invalid", "extra"),
    ({"points": [point(code=f"p{n}") for n in range(MAX_POINTS + 1)]}, "request.invalid", "points"),
    ({"points": [point()], "base_version": -1}, "request.invalid", "base_version"),
    ({"points": "all of them"}, "request.invalid", "points"),
    ({}, "request.invalid", "points"),
    ([1, 2], "request.invalid", ""),
])
def test_hostile_bodies_are_refused_with_a_reason(http, people, body, code, words):
    response = put(http, "construction_site", body, lang="en")
    assert 400 <= response.status_code < 500, response.text
    assert error_of(response)["code"] == code and words in response.text
    assert current(http)["construction_site"]["version"] == 1


def test_hostile_paths_and_bodies_that_are_not_json(http, people):
    headers = login(http, "guanli")
    assert http.put("/api/checklists/construction_site", content=b"\xff\xfe{", headers={
        **headers, "Content-Type": "application/json"}).status_code in (400, 422)
    assert http.put("/api/checklists/" + "x" * 41, json={"points": [point()]}, headers=headers).status_code == 422
    assert http.put("/api/checklists/bad%00type", json={"points": [point()]}, headers=headers).status_code == 422
    assert http.get("/api/checklists/" + "9" * 37, headers=headers).status_code == 422
    assert http.get("/api/checklists/history", headers=headers).status_code == 422
    huge = http.put("/api/checklists/construction_site", content=b"[" + b"0," * 200_000 + b"0]",
                    headers={**headers, "Content-Type": "application/json"})
    assert huge.status_code == 413
