"""GET /api/visits/due, the campaign's frequencies and the overdue notices over real HTTP."""

from datetime import datetime, timezone

from tests.factories import login, person, registered_site, visit_row

UTC = timezone.utc


def test_the_due_list_is_the_callers_part_in_the_contracts_shape(ctx, http):
    person(ctx, "dudao", "supervisor")
    person(ctx, "jianzhu", "office_staff", "construction")
    person(ctx, "daibiao", "spot_checker")
    yard = registered_site(ctx, "滨江工地")
    home = registered_site(ctx, "阳光小区", kind="community", office="real_estate")
    visit_row(ctx, yard, "self", datetime(2026, 7, 10, 17, 0, tzinfo=UTC))  # 11 July local
    answer = http.get("/api/visits/due", headers=login(http, "jianzhu"))
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"due": []}  # the yard's self check is due on 18 July
    board = http.get("/api/visits/due", headers=login(http, "dudao")).json()["due"]
    assert board[0] == {"site": home, "check_type": "self", "every_days": 7, "last_visit": None,
                        "due": "2026-07-08", "days_overdue": 7}
    assert [(d["site"], d["check_type"], d["days_overdue"]) for d in board[1:]] == \
        [(yard, "supervisor", 0)]  # fortnightly from 1 July: due today; the community's monthly one is not
    assert http.get("/api/visits/due", headers=login(http, "daibiao")).json() == {"due": []}
    assert http.get("/api/visits/due").status_code == 401
    assert http.get("/api/visits/due", params={"x": "\u0000"}, headers=login(http, "dudao")).status_code == 422


def test_an_admin_sets_the_frequencies_and_a_bad_grid_is_a_400(ctx, http):
    person(ctx, "guanli", "admin")
    person(ctx, "dudao", "supervisor")
    registered_site(ctx, "滨江工地")
    admin, boss = login(http, "guanli"), login(http, "dudao")
    shown = http.get("/api/campaign", headers=boss).json()
    assert shown["visit_every"] == {} and shown["visit_every_in_force"]["construction_site"] == \
        {"self": 7, "supervisor": 14}
    changed = http.put("/api/campaign", json={"visit_every": {"construction_site": {"supervisor": 3}}},
                       headers=admin)
    assert changed.status_code == 200, changed.text
    assert changed.json()["visit_every_in_force"] == {"construction_site": {"supervisor": 3}}
    assert [(d["check_type"], d["due"]) for d in http.get("/api/visits/due", headers=boss).json()["due"]] == \
        [("supervisor", "2026-07-04")]
    for bad in ({"stadium": {"self": 7}}, {"construction_site": {"self": 0}},
                {"construction_site": {"weekly": 7}}, {"construction_site": {"self": "\u0000"}},
                {f"t{i}": {"self": 7} for i in range(101)}):
        refused = http.put("/api/campaign", json={"visit_every": bad}, headers=admin)
        assert refused.status_code in (400, 422), refused.text
        assert "error" in refused.json()
    assert http.put("/api/campaign", json={"visit_every": {}}, headers=boss).status_code == 403


def test_a_site_gone_overdue_is_in_its_offices_notifications(ctx, http, clock):
    person(ctx, "fangguan", "office_staff", "real_estate")
    home = registered_site(ctx, "阳光小区", kind="community", office="real_estate")
    clock.current = datetime(2026, 7, 11, 4, 0, tzinfo=UTC)
    answer = http.get("/api/notifications", headers={**login(http, "fangguan"), "Accept-Language": "zh-CN"})
    assert answer.status_code == 200, answer.text
    overdue = [n for n in answer.json()["notices"] if n["kind"] == "site_overdue"]
    assert [(n["site"], n["check_type"], n["item_id"], n["message"]) for n in overdue] == \
        [(home, "self", "", "场所 阳光小区 自查已逾期 3 天")]
    english = http.get("/api/notifications", headers={**login(http, "fangguan"), "Accept-Language": "en"}).json()
    assert [n["message"] for n in english["notices"] if n["kind"] == "site_overdue"] == \
        ["Site 阳光小区: Self-inspection overdue by 3 days"]
