"""Visits over real HTTP, on the real database (SQLite, and PostgreSQL when ``INSPECTOR_TEST_DATABASE_URL``
names one): pushed with their failed points' reports, listed and read by who may see them, and hostile
visits refused for that event alone, with a reason, never a 500."""

import pytest

from inspector.domain.roles import Role
from tests.factories import (
    checklist_row,
    login,
    new_id,
    person,
    push,
    registered_site,
    reported,
    stored_photo,
    visit_event,
    wire,
)

RESULTS = {"hoarding": "pass", "wheel_wash": "fail", "garbage": "pass", "canteen": "na"}


@pytest.fixture
def world(ctx):
    people = {
        "xc": person(ctx, "xc", Role.INSPECTOR),
        "xc2": person(ctx, "xc2", Role.INSPECTOR),
        "jz": person(ctx, "jz", Role.OFFICE_STAFF, "construction"),
        "yl": person(ctx, "yl", Role.OFFICE_STAFF, "landscaping"),
        "dd": person(ctx, "dd", Role.SUPERVISOR),
    }
    sites = {"ours": registered_site(ctx, "城南工地"),
             "park": registered_site(ctx, "滨江公园", kind="green_belt", office="landscaping")}
    return people, sites, checklist_row(ctx)


def visit_with_report(ctx, people, site, checklist):
    visit = visit_event(site, checklist, RESULTS)
    report = reported(photo=stored_photo(ctx, people["xc"]), category="vehicle_washing", office="construction",
                      site=site, check_type="supervisor", visit=visit.item_id, check_point="wheel_wash")
    return visit, report


def test_a_pushed_visit_is_listed_and_read_with_its_item(ctx, http, world):
    people, sites, checklist = world
    visit, report = visit_with_report(ctx, people, sites["ours"], checklist)
    answers = push(http, login(http, "xc"), visit, report)
    assert [a["status"] for a in answers] == ["accepted", "accepted"], answers
    shown = http.get(f"/api/visits/{visit.item_id}", headers=login(http, "xc"))
    assert shown.status_code == 200, shown.text
    body = shown.json()
    assert (body["site"], body["site_name"], body["office"], body["check_type"]) == \
        (sites["ours"], "城南工地", "construction", "supervisor")
    assert (body["met"], body["applicable"], body["starred_failed"], body["passed"]) == (2, 3, 1, False)
    assert body["ratio"] == pytest.approx(2 / 3) and body["items"] == [report.item_id]
    assert body["results"] == RESULTS and body["visitor_name"] == "xc"
    item = http.get(f"/api/items/{report.item_id}", headers=login(http, "dd")).json()
    assert (item["visit_id"], item["check_point"]) == (visit.item_id, "wheel_wash")
    listed = http.get("/api/visits", params={"site": sites["ours"]}, headers=login(http, "dd")).json()
    assert [v["id"] for v in listed["visits"]] == [visit.item_id] and listed["total"] == 1
    pulled = http.get("/api/sync/pull", headers=login(http, "xc")).json()
    assert "visited" not in {e["kind"] for e in pulled["events"]}


def test_who_sees_which_visits(ctx, http, world):
    people, sites, checklist = world
    visit, _ = visit_with_report(ctx, people, sites["ours"], checklist)
    assert push(http, login(http, "xc"), visit)[0]["status"] == "accepted"

    def listed(who, **params):
        response = http.get("/api/visits", params=params, headers=login(http, who))
        assert response.status_code == 200, response.text
        return [v["id"] for v in response.json()["visits"]]

    assert listed("dd") == listed("jz") == listed("xc") == [visit.item_id]
    assert listed("yl") == listed("xc2") == []  # another office's people, another inspector
    for who in ("yl", "xc2"):
        hidden = http.get(f"/api/visits/{visit.item_id}", headers=login(http, who))
        assert hidden.status_code == 404 and hidden.json()["error"]["code"] == "visit.not_found"
    assert listed("dd", office="landscaping") == []
    assert listed("dd", since="2026-07-15", until="2026-07-15") == [visit.item_id]  # the clock's local day
    assert listed("dd", since="2026-07-16") == [] and listed("dd", until="2026-07-14") == []
    assert http.get("/api/visits", params={"since": "yesterday"}, headers=login(http, "dd")).status_code == 422
    assert http.get("/api/visits", params={"site": "a\x00b"}, headers=login(http, "dd")).status_code == 422
    assert http.get("/api/visits").status_code == 401


def refusal(http, who, event) -> dict:
    [answer] = push(http, login(http, who), event)
    assert answer["status"] == "rejected", answer
    return answer["reason"]


@pytest.mark.parametrize("change, code", [
    ({"results": {f"p{n}": "pass" for n in range(10_000)}}, "event.too_long"),
    ({"results": {"hoarding\x00": "pass"}}, "event.invalid_payload"),
    ({"results": {**RESULTS, "hoarding": "pass\x00"}}, "text.control_characters"),
    ({"checklist": "a\x00b"}, "text.control_characters"),
    ({"checklist": new_id()}, "catalog.unknown_checklist"),
    ({"site": new_id()}, "catalog.unknown_site"),
    ({"results": {"hoarding": "pass"}}, "event.invalid_payload"),
    ({"check_type": "spot"}, "auth.forbidden"),
    ({"results": [1, 2]}, "event.wrong_type"),
])
def test_hostile_visits_are_refused_for_that_event_alone(ctx, http, world, change, code):
    people, sites, checklist = world
    good = visit_event(sites["ours"], checklist, RESULTS)
    bad = visit_event(sites["ours"], checklist, RESULTS)
    bad.payload.update(change)
    answers = push(http, login(http, "xc"), bad, good)
    assert [a["status"] for a in answers] == ["rejected", "accepted"], answers
    assert answers[0]["reason"]["code"] == code, answers[0]["reason"]
    assert answers[0]["reason"]["message"]
    again = push(http, login(http, "xc"), bad)[0]  # the refusal is kept: a retry gets the same answer
    assert again["reason"]["code"] == code


def test_an_office_may_not_self_check_another_offices_site(ctx, http, world):
    people, sites, checklist = world
    park_list = checklist_row(ctx, "green_belt")
    reason = refusal(http, "jz", visit_event(sites["park"], park_list, RESULTS, check_type="self"))
    assert reason["code"] == "auth.self_check_other_office"
    # the construction checklist on a park: not the park's type
    reason = refusal(http, "dd", visit_event(sites["park"], checklist, RESULTS))
    assert reason["code"] == "visit.checklist_other_type"
    own = visit_event(sites["ours"], checklist, RESULTS, check_type="self")
    assert push(http, login(http, "jz"), own)[0]["status"] == "accepted"


def test_a_visit_naming_a_cross_inspection_round_is_held_to_it(ctx, http, world):
    people, sites, checklist = world
    round_ = {"name": "园林查建设", "inspecting_office": "landscaping", "inspected_office": "construction",
              "starts": "2026-07-13", "ends": "2026-07-17"}
    round_id = http.post("/api/rounds", json=round_, headers=login(http, "dd")).json()["id"]
    assert refusal(http, "jz", visit_event(sites["ours"], checklist, RESULTS, check_type="cross",
                                           round=round_id))["code"] == "round.not_member"
    assert refusal(http, "yl", visit_event(sites["ours"], checklist, RESULTS, check_type="cross",
                                           round=new_id()))["code"] == "round.unknown"
    team = visit_event(sites["ours"], checklist, RESULTS, check_type="cross", round=round_id)
    assert push(http, login(http, "yl"), team)[0]["status"] == "accepted"
    listed = http.get("/api/visits", params={"site": sites["ours"]}, headers=login(http, "dd")).json()["visits"]
    assert [v["round"] for v in listed] == [round_id]


def test_a_hostile_envelope_for_a_visit_gets_a_4xx(ctx, http, world):
    people, sites, checklist = world
    envelope = wire(visit_event(sites["ours"], checklist, RESULTS))
    huge = {**envelope, "payload": {**envelope["payload"], "results": {f"p{n}": "x" * 50 for n in range(10_000)}}}
    response = http.post("/api/sync/push", json={"device_id": "dev", "events": [huge]}, headers=login(http, "xc"))
    assert 200 <= response.status_code < 500 and response.status_code != 500
    if response.status_code == 200:
        assert response.json()["results"][0]["status"] == "rejected"
    assert http.get("/api/visits/" + "x" * 65, headers=login(http, "xc")).status_code == 422


def test_a_nul_in_the_ids_a_report_names_is_refused_not_a_fault(ctx, http, world):
    people, sites, checklist = world
    photo = stored_photo(ctx, people["xc"])
    for named in ({"site": "a\x00b"}, {"visit": "a\x00b", "check_point": "wheel_wash"}):
        reason = refusal(http, "xc", reported(photo=photo, **named))  # PostgreSQL cannot compare text with a NUL
        assert reason["code"] == "text.control_characters", reason
