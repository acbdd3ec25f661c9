"""Oversight over real HTTP: campaign, rounds, look-backs, delegations, blind spot checks, sampling
audit, dispute reviews, office records and notices, with who may do what."""

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from inspector.domain.oversight import draw_sample
from inspector.services import auth, campaigns, events, items, oversight
from inspector.store.engine import read_session, write_session
from inspector.store.models import Site, SpotSample, User
from tests.factories import event, login, new_id, person, push, reported, stored_photo

HERE = {"lat": 30.2741, "lon": 120.1551}


def refresh(ctx, actor):
    with read_session(ctx.engine) as session:
        return auth.actor_of(session, session.get(User, actor.id))


class World:
    """People of every role; the deputy is delegated the construction office, the member landscaping."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.admin = person(ctx, "guanli", "admin")
        self.boss = person(ctx, "dudao", "supervisor")
        self.inspector = person(ctx, "xuncha", "inspector")
        self.staff = person(ctx, "jianzhu", "office_staff", "construction")
        self.leader = person(ctx, "jianzhu_lz", "office_leader", "construction")
        self.other = person(ctx, "yuanlin", "office_staff", "landscaping")
        self.deputy = person(ctx, "daibiao", "spot_checker")
        self.member = person(ctx, "weiyuan", "spot_checker")
        auth.delegate(ctx, self.deputy.id, offices=["construction"])
        auth.delegate(ctx, self.member.id, offices=["landscaping"])
        self.deputy, self.member = refresh(ctx, self.deputy), refresh(ctx, self.member)
        self.before = stored_photo(ctx, self.boss, seed=1)
        self.after = stored_photo(ctx, self.staff, seed=2)
        self.spot = stored_photo(ctx, self.deputy, seed=3)
        # Everyone cites photos they took (or may see): the other office's fix and the inspector's look-back.
        self.other_after = stored_photo(ctx, self.other, seed=4)
        self.look = stored_photo(ctx, self.inspector, seed=5)

    def item(self, office="construction", status="verified", lat=HERE["lat"], lon=HERE["lon"], reporter=None,
             look_back_days=None, check_type="supervisor"):
        """A fresh item of ``office`` brought to ``status``; returns its id."""
        category = "site_sewage" if office == "construction" else "loose_soil"
        staff = self.staff if office == "construction" else self.other
        first = reported(photo=self.before, category=category, check_type=check_type,
                         location={"lat": lat, "lon": lon, "accuracy_m": 5, "source": "gps"})
        events.record_one(self.ctx, reporter or self.boss, first)
        item, version = first.item_id, 1
        path = ["assigned", "fix_submitted", "verified", "look_back_passed"]
        wanted = {"reported": 0, "assigned": 1, "fix_submitted": 2, "verified": 3, "closed": 4}[status]
        for kind in path[:wanted]:
            payload = {
                "assigned": {"office": office, "leader": "陈处长", "deadline": "2026-07-20"},
                "fix_submitted": {"photos": [self.after if office == "construction" else self.other_after],
                                  "note": "已清理"},
                "verified": {"note": "整改到位", **({"look_back_days": look_back_days} if look_back_days else {})},
                "look_back_passed": {"photos": [self.after]},
            }[kind]
            who = staff if kind == "fix_submitted" else self.boss
            events.record_one(self.ctx, who, event(item, kind, version, **payload))
            version += 1
        return item

    def version(self, item_id):
        return items.get_item(self.ctx, self.boss, item_id).item.version


@pytest.fixture
def world(ctx):
    return World(ctx)


# --- campaign --------------------------------------------------------------------------------------
def test_first_read_makes_the_default_summer_campaign_and_keeps_it(http, world):
    headers = login(http, "xuncha")
    body = http.get("/api/campaign", headers=headers).json()
    assert body["name"] == "夏季集中大整治"
    assert [(p["code"], p["starts"], p["ends"]) for p in body["phases"]] == [
        ("publicity", "2026-07-01", "2026-07-10"), ("rectification", "2026-07-11", "2026-08-10"),
        ("summary", "2026-08-11", "2026-08-31")]
    assert body["current_phase"] == "rectification" and body["current_phase_name"] == "集中整治"
    assert body["look_back_days_in_force"]["mosquito_breeding"] == 7
    again = http.get("/api/campaign", headers={**headers, "Accept-Language": "en"}).json()
    assert again["id"] == body["id"] and again["current_phase_name"] == "Concentrated rectification"


def test_only_admins_change_the_campaign_and_only_the_fields_sent(http, world):
    change = {"top_leaders": {"construction": "周局长"}, "look_back_days": {"site_sewage": 5}}
    for who in ("dudao", "jianzhu", "daibiao"):
        response = http.put("/api/campaign", json=change, headers=login(http, who))
        assert response.status_code == 403 and response.json()["error"]["code"] == "auth.forbidden"
    admin = login(http, "guanli")
    body = http.put("/api/campaign", json=change, headers=admin).json()
    assert body["top_leaders"] == {"construction": "周局长"} and body["look_back_days_in_force"]["site_sewage"] == 5
    assert body["name"] == "夏季集中大整治" and len(body["phases"]) == 3 and body["updated_by"] == world.admin.id
    renamed = http.put("/api/campaign", json={"name": "秋季巩固"}, headers=admin).json()
    assert renamed["name"] == "秋季巩固" and renamed["top_leaders"] == {"construction": "周局长"}


@pytest.mark.parametrize("body", [
    {"phases": [{"code": "publicity", "starts": "2026-07-01", "ends": "2026-07-12"},
                {"code": "rectification", "starts": "2026-07-11", "ends": "2026-08-10"}]},
    {"phases": [{"code": "party", "starts": "2026-07-01", "ends": "2026-07-02"}]},
    {"offices": ["construction", "police"]},
    {"look_back_days": {"site_sewage": 0}},
    {"name": None},
    {"surprise": 1},
])
def test_a_bad_campaign_is_refused_and_changes_nothing(http, world, body):
    admin = login(http, "guanli")
    before = http.get("/api/campaign", headers=admin).json()
    response = http.put("/api/campaign", json=body, headers=admin)
    assert response.status_code == 422 and response.json()["error"]["code"] == "request.invalid"
    assert http.get("/api/campaign", headers=admin).json() == before


def test_verification_through_the_web_carries_the_campaigns_look_back_days(http, ctx, world):
    admin = world.admin
    campaigns.update_campaign(ctx, admin, {"look_back_days": {"site_sewage": 5}})
    assert campaigns.verify_payload(ctx, "site_sewage", " 整改到位 ") == {"look_back_days": 5, "note": "整改到位"}
    assert campaigns.verify_payload(ctx, "mosquito_breeding") == {"look_back_days": 7}
    item = world.item(status="fix_submitted")
    events.record_one(ctx, world.boss, event(item, "verified", 3, **campaigns.verify_payload(ctx, "site_sewage")))
    body = http.get(f"/api/items/{item}", headers=login(http, "dudao")).json()
    assert datetime.fromisoformat(body["look_back_due"]) == ctx.now() + timedelta(days=5)
    # later settings do not move it: the event carries the rule
    campaigns.update_campaign(ctx, admin, {"look_back_days": {"site_sewage": 20}})
    assert http.get(f"/api/items/{item}", headers=login(http, "dudao")).json()["look_back_due"] == body["look_back_due"]


# --- check rounds -----------------------------------------------------------------------------------
def test_supervisors_make_cross_inspection_rounds_everyone_reads_them(http, world):
    boss = login(http, "dudao")
    round_ = {"name": "第一轮交叉检查", "inspecting_office": "landscaping", "inspected_office": "construction",
              "starts": "2026-07-13", "ends": "2026-07-17"}
    created = http.post("/api/rounds", json=round_, headers=boss)
    assert created.status_code == 201, created.text
    assert created.json()["check_type"] == "cross" and created.json()["created_by"] == world.boss.id
    assert http.post("/api/rounds", json=round_, headers=login(http, "jianzhu")).status_code == 403
    assert http.post("/api/rounds", json={**round_, "inspected_office": "landscaping"},
                     headers=boss).status_code == 422
    assert http.post("/api/rounds", json={**round_, "ends": "2026-07-01"}, headers=boss).status_code == 422
    assert http.post("/api/rounds", json={**round_, "check_type": "spot"}, headers=boss).status_code == 422
    other = login(http, "yuanlin")
    assert [r["name"] for r in http.get("/api/rounds", headers=other).json()] == ["第一轮交叉检查"]
    assert http.get("/api/rounds", params={"office": "real_estate"}, headers=other).json() == []
    assert http.get("/api/rounds", params={"on": "2026-07-18"}, headers=other).json() == []
    assert len(http.get("/api/rounds", params={"on": "2026-07-15"}, headers=other).json()) == 1
    # a cross-inspection report names its round
    round_id = created.json()["id"]
    report = reported(photo=world.other_after, check_type="cross", round=round_id)
    [result] = push(http, other, report)
    assert result["status"] == "accepted", result


def test_a_report_naming_a_round_is_held_to_it(http, clock, world):
    boss, other, staff = login(http, "dudao"), login(http, "yuanlin"), login(http, "jianzhu")
    round_ = {"name": "园林查建设", "inspecting_office": "landscaping", "inspected_office": "construction",
              "starts": "2026-07-13", "ends": "2026-07-17"}
    round_id = http.post("/api/rounds", json=round_, headers=boss).json()["id"]
    attempts = [  # (who, report, the reason's code)
        (staff, reported(photo=world.after, check_type="cross", round=round_id), "round.not_member"),
        (other, reported(photo=world.other_after, category="loose_soil", check_type="cross", round=round_id),
         "round.other_office"),
        (other, reported(photo=world.other_after, category="loose_soil", check_type="self", round=round_id),
         "round.not_cross"),
        (other, reported(photo=world.other_after, check_type="cross", round=new_id()), "round.unknown"),
    ]
    for who, report, code in attempts:
        [result] = push(http, who, report)
        assert (result["status"], result["reason"]["code"]) == ("rejected", code), result
        assert result["reason"]["message"] and "{" not in result["reason"]["message"]
    clock.advance(days=3)  # 2026-07-18: the round is over
    other = login(http, "yuanlin")
    [late] = push(http, other, reported(photo=world.other_after, check_type="cross", round=round_id))
    assert late["reason"]["code"] == "round.not_running" and "2026-07-17" in late["reason"]["message"]
    [unbound] = push(http, other, reported(photo=world.other_after, check_type="cross"))  # no round: a free cross check
    assert unbound["status"] == "accepted", unbound


# --- look-backs --------------------------------------------------------------------------------------
def test_look_backs_due_nearest_first_within_the_window(http, ctx, clock, world):
    far = world.item(lat=30.30, lon=120.15, look_back_days=1)  # ~2.9 km north
    near = world.item(lat=30.2750, lon=120.1551, look_back_days=2)  # ~100 m
    later = world.item(lat=30.2741, lon=120.1552, look_back_days=20)  # ~10 m, but due in 20 days
    world.item(status="fix_submitted")  # not verified: no look-back
    inspector = login(http, "xuncha")
    due = http.get("/api/look-backs", params={**HERE}, headers=inspector).json()
    assert [i["id"] for i in due] == [near, far]
    assert 90 < due[0]["distance_m"] < 110 and 2800 < due[1]["distance_m"] < 3000
    assert (due[0]["look_back_days_left"], due[0]["look_back_overdue"]) == (2, False)
    wide = http.get("/api/look-backs", params={**HERE, "within_days": 30}, headers=inspector).json()
    assert [i["id"] for i in wide] == [later, near, far]
    clock.advance(days=1, hours=1)
    due = http.get("/api/look-backs", params={**HERE, "limit": 1}, headers=inspector).json()
    assert [i["id"] for i in due] == [near]
    no_point = http.get("/api/look-backs", headers=inspector).json()
    assert [i["id"] for i in no_point] == [far, near] and no_point[0]["look_back_overdue"]
    assert no_point[0]["distance_m"] is None and no_point[0]["look_back_days_left"] == -1
    assert http.get("/api/look-backs", params={**HERE}, headers=login(http, "yuanlin")).json() == []
    assert http.get("/api/look-backs", params={"lat": 91, "lon": 0}, headers=inspector).status_code == 422


# --- delegations ------------------------------------------------------------------------------------------
def test_admins_delegate_spot_checkers_and_take_it_back(http, ctx, world):
    admin = login(http, "guanli")
    item = world.item(office="landscaping")
    checker = person(ctx, "zhengxie", "spot_checker")
    headers = login(http, "zhengxie")
    assert http.get(f"/api/items/{item}", headers=headers).status_code == 404
    body = {"user_id": checker.id, "offices": ["landscaping"], "starts": "2026-07-01", "ends": "2026-07-31"}
    assert http.post("/api/delegations", json=body, headers=login(http, "dudao")).status_code == 403
    created = http.post("/api/delegations", json=body, headers=admin)
    assert created.status_code == 201, created.text
    d = created.json()
    assert d["offices"] == ["landscaping"] and d["starts"].startswith("2026-06-30T16:00:00")
    assert d["ends"].startswith("2026-07-31T15:59:59")
    assert http.get(f"/api/items/{item}", headers=headers).status_code == 200
    mine = http.get("/api/delegations", headers=headers).json()
    assert [x["id"] for x in mine] == [d["id"]]
    everyone = http.get("/api/delegations", headers=admin).json()
    assert {x["user_id"] for x in everyone} == {world.deputy.id, world.member.id, checker.id}
    assert http.get("/api/delegations", headers=login(http, "jianzhu")).status_code == 403
    assert http.delete(f"/api/delegations/{d['id']}", headers=headers).status_code == 403
    assert http.delete(f"/api/delegations/{d['id']}", headers=admin).status_code == 204
    assert http.delete(f"/api/delegations/{d['id']}", headers=admin).status_code == 404
    assert http.get(f"/api/items/{item}", headers=headers).status_code == 404


@pytest.mark.parametrize("change,code", [
    ({"user_id": "STAFF"}, "request.invalid"),
    ({"offices": ["mars"]}, "catalog.unknown_office"),
    ({"offices": [], "sites": []}, "request.invalid"),
    ({"offices": [], "sites": ["no-such-site"]}, "request.invalid"),
    ({"starts": "2026-08-01", "ends": "2026-07-01"}, "request.invalid"),
])
def test_a_bad_delegation_is_refused(http, world, change, code):
    body = {"user_id": world.deputy.id, "offices": ["landscaping"], **change}
    if body["user_id"] == "STAFF":
        body["user_id"] = world.staff.id
    response = http.post("/api/delegations", json=body, headers=login(http, "guanli"))
    assert response.status_code == 422 and response.json()["error"]["code"] == code


def test_a_site_delegation_covers_that_sites_items_only(http, ctx, world):
    with write_session(ctx.engine) as session:
        session.add(Site(id="site-1", name="滨江工地", kind="construction_site", office_code="construction",
                         lat=30.27, lon=120.15))
    checker = person(ctx, "site_checker", "spot_checker")
    on_site = reported(photo=world.before, site="site-1")
    events.record_one(ctx, world.boss, on_site)
    elsewhere = world.item(status="reported")
    created = http.post("/api/delegations", json={"user_id": checker.id, "sites": ["site-1"]},
                        headers=login(http, "guanli"))
    assert created.status_code == 201
    headers = login(http, "site_checker")
    listed = http.get("/api/items", headers=headers).json()
    assert [i["id"] for i in listed["items"]] == [on_site.item_id]
    assert http.get(f"/api/items/{elsewhere}", headers=headers).status_code == 404


# --- spot checkers outside their scope, and blind re-inspection ---------------------------------------------
def test_a_spot_checker_outside_the_scope_sees_nothing(http, world):
    item = world.item()  # construction; the member is delegated landscaping
    headers = login(http, "weiyuan")
    assert http.get("/api/items", headers=headers).json()["total"] == 0
    assert http.get(f"/api/items/{item}", headers=headers).status_code == 404
    assert http.get("/api/sync/pull", headers=headers).json()["events"] == []
    for photo in (world.before, world.after):
        assert http.get(f"/api/photos/{photo}", headers=headers).status_code == 404
    assert http.get("/api/look-backs", params=HERE, headers=headers).json() == []


def test_a_spot_checker_reinspects_blind_then_sees_everything(http, world):
    item = world.item()
    headers = login(http, "daibiao")
    blind = http.get(f"/api/items/{item}", headers=headers).json()
    assert blind["status"] == "verified" and blind["photos"] == [world.before]
    assert blind["fix_photos"] == [] and blind["leader"] is None and blind["last_reason"] is None
    assert [e["kind"] for e in blind["events"]] == ["reported"]
    assert [p["sha256"] for p in blind["photo_facts"]] == [world.before]
    assert "整改到位" not in str(blind)
    [listed] = http.get("/api/items", headers=headers).json()["items"]
    assert listed["id"] == item and listed["fix_photos"] == [] and listed["leader"] is None
    assert http.get(f"/api/photos/{world.after}", headers=headers).status_code == 404
    assert http.get(f"/api/photos/{world.before}", headers=headers).status_code == 200
    pulled = http.get("/api/sync/pull", headers=headers).json()["events"]
    assert [e["kind"] for e in pulled] == ["reported"]
    # the supervisor, meanwhile, sees it whole
    boss = http.get(f"/api/items/{item}", headers=login(http, "dudao")).json()
    assert boss["fix_photos"] == [world.after] and len(boss["events"]) == 4

    [result] = push(http, headers, event(item, "spot_checked", 0, verdict="agree", photos=[world.spot], note="属实"))
    assert result["status"] == "accepted"
    seen = http.get(f"/api/items/{item}", headers=headers).json()
    assert seen["fix_photos"] == [world.after] and seen["leader"] == "陈处长" and seen["spot_agree"] == 1
    assert [e["kind"] for e in seen["events"]] == ["reported", "assigned", "fix_submitted", "verified",
                                                   "spot_checked"]
    assert http.get("/api/items", headers=headers).json()["items"][0]["fix_photos"] == [world.after]
    assert http.get(f"/api/photos/{world.after}", headers=headers).status_code == 200
    pulled = http.get("/api/sync/pull", headers=headers).json()["events"]
    assert [e["kind"] for e in pulled] == ["reported", "assigned", "fix_submitted", "verified", "spot_checked"]


def test_one_spot_checkers_verdict_is_hidden_from_another_until_they_check(http, ctx, world):
    item = world.item()
    second = person(ctx, "daibiao2", "spot_checker")
    auth.delegate(ctx, second.id, offices=["construction"])
    push(http, login(http, "daibiao"), event(item, "spot_checked", 0, verdict="disagree", photos=[world.spot],
                                             note="污水仍在排放"))
    headers = login(http, "daibiao2")
    blind = http.get(f"/api/items/{item}", headers=headers).json()
    assert [e["kind"] for e in blind["events"]] == ["reported"]
    assert (blind["disputed"], blind["spot_disagree"]) == (False, 0)
    assert http.get(f"/api/photos/{world.spot}", headers=headers).status_code == 404
    assert [e["kind"] for e in http.get("/api/sync/pull", headers=headers).json()["events"]] == ["reported"]


def test_a_spot_checker_follows_their_own_reports_whole(http, ctx, world):
    headers = login(http, "daibiao")
    mine = reported(photo=world.spot, check_type="spot")
    [result] = push(http, headers, mine)
    assert result["status"] == "accepted"
    events.record_one(ctx, world.boss, event(mine.item_id, "assigned", 1, office="construction", leader="陈处长",
                                             deadline="2026-07-20"))
    body = http.get(f"/api/items/{mine.item_id}", headers=headers).json()
    assert body["check_type"] == "spot" and body["leader"] == "陈处长"
    assert [e["kind"] for e in body["events"]] == ["reported", "assigned"]
    assert [e["kind"] for e in http.get("/api/sync/pull", headers=headers).json()["events"]] == [
        "reported", "assigned"]


def test_spot_checkers_can_never_change_status(http, world):
    verified_item, disputed_item = world.item(), world.item()
    assigned_item = world.item(status="assigned")
    headers = login(http, "daibiao")
    push(http, headers, event(disputed_item, "spot_checked", 0, verdict="disagree", photos=[world.spot]))
    attempts = [
        event(verified_item, "look_back_passed", 4, photos=[world.spot]),
        event(verified_item, "rebounded", 4, photos=[world.spot], leader="x", deadline="2026-08-01"),
        event(disputed_item, "reopened", 4, reason="x", leader="x", deadline="2026-08-01"),
        event(disputed_item, "dispute_dismissed", 4, reason="x"),
        event(assigned_item, "acknowledged", 2),
        event(assigned_item, "fix_submitted", 2, photos=[world.spot]),
        event(assigned_item, "dismissed", 2, reason="x"),
        event(assigned_item, "assigned", 2, office="landscaping", leader="x", deadline="2026-08-01"),
        reported(photo=world.spot, check_type="supervisor"),
    ]
    results = push(http, headers, *attempts)
    assert [r["reason"]["code"] for r in results] == ["auth.forbidden"] * len(attempts)
    boss = login(http, "dudao")
    assert http.get(f"/api/items/{verified_item}", headers=boss).json()["status"] == "verified"
    assert http.get(f"/api/items/{assigned_item}", headers=boss).json()["status"] == "assigned"
    [ok] = push(http, headers, reported(photo=world.spot, check_type="spot"))
    assert ok["status"] == "accepted"


# --- disagreement, review and answer ---------------------------------------------------------------------------
def test_a_disagreement_goes_to_review_and_a_supervisor_reopens_it(http, world):
    item = world.item()
    deputy, boss = login(http, "daibiao"), login(http, "dudao")
    push(http, deputy, event(item, "spot_checked", 0, verdict="disagree", photos=[world.spot], note="污水仍在排放"))
    for who in ("daibiao", "jianzhu", "xuncha"):
        assert http.get("/api/reviews", headers=login(http, who)).status_code == 403
    [review] = http.get("/api/reviews", headers=boss).json()
    assert review["id"] == item and review["disputed"] and review["status"] == "verified"
    [finding] = review["findings"]
    assert (finding["verdict"], finding["note"], finding["photos"], finding["actor"]) == (
        "disagree", "污水仍在排放", [world.spot], world.deputy.id)
    assert finding["actor_name"] == "daibiao"
    kinds = [n["kind"] for n in http.get("/api/notifications", headers=boss).json()["notices"]]
    assert "spot_disagreement" in kinds
    [answer] = push(http, boss, event(item, "reopened", 4, reason="抽查属实，重新整改", leader="周局长",
                                      deadline="2026-07-25"))
    assert answer["status"] == "accepted", answer
    body = http.get(f"/api/items/{item}", headers=boss).json()
    assert (body["status"], body["disputed"], body["leader"]) == ("assigned", False, "周局长")
    assert http.get("/api/reviews", headers=boss).json() == []
    staff_kinds = [n["kind"] for n in http.get("/api/notifications", headers=login(http, "jianzhu")).json()["notices"]]
    assert "assigned_to_office" in staff_kinds


def test_a_supervisor_may_keep_the_verdict_instead(http, world):
    item = world.item(status="closed")
    push(http, login(http, "daibiao"), event(item, "spot_checked", 0, verdict="disagree", photos=[world.spot]))
    boss = login(http, "dudao")
    [answer] = push(http, boss, event(item, "dispute_dismissed", 5, reason="复核：整改到位"))
    assert answer["status"] == "accepted", answer
    body = http.get(f"/api/items/{item}", headers=boss).json()
    assert (body["status"], body["disputed"], body["last_reason"]) == ("closed", False, "复核：整改到位")
    assert http.get("/api/reviews", headers=boss).json() == []
    [again] = push(http, boss, event(item, "dispute_dismissed", 6, reason="again"))
    assert again["reason"]["code"] == "item.invalid_transition"
    # a new disagreement shows only the findings since the settlement
    push(http, login(http, "daibiao"), event(item, "spot_checked", 0, verdict="disagree", photos=[world.spot],
                                             note="又反弹"))
    [review] = http.get("/api/reviews", headers=boss).json()
    assert [f["note"] for f in review["findings"]] == ["又反弹"]


# --- sampling -----------------------------------------------------------------------------------------------------
def test_admins_draw_a_recorded_reproducible_sample_from_the_checkers_scope(http, ctx, world):
    in_scope = {world.item() for _ in range(4)} | {world.item(status="closed")}
    world.item(status="assigned")  # open: not a candidate
    world.item(office="landscaping")  # outside the scope
    events.record_one(ctx, world.deputy, reported(photo=world.spot, check_type="spot"))  # their own report
    admin = login(http, "guanli")
    body = {"user_id": world.deputy.id, "size": 3, "seed": 20260715}
    for who in ("dudao", "daibiao", "jianzhu"):
        assert http.post("/api/spot-samples", json=body, headers=login(http, who)).status_code == 403
    response = http.post("/api/spot-samples", json=body, headers=admin)
    assert response.status_code == 201, response.text
    sample = response.json()
    assert sample["seed"] == "20260715" and sample["size"] == 3 and sample["candidate_count"] == 5
    assert len(sample["item_ids"]) == 3 and set(sample["item_ids"]) <= in_scope
    assert sample["item_ids"] == draw_sample(in_scope, 3, 20260715)
    assert [i["id"] for i in sample["items"]] == sample["item_ids"] and not any(i["checked"] for i in sample["items"])
    repeat = http.post("/api/spot-samples", json=body, headers=admin).json()
    # the same seed again: the first sample is open, so its items are not candidates (issue 13)
    assert not set(repeat["item_ids"]) & set(sample["item_ids"]) and repeat["id"] != sample["id"]
    check = http.get(f"/api/spot-samples/{sample['id']}/verify", headers=admin).json()
    assert check["matches"] and check["recomputed"] == check["recorded"] == sample["item_ids"]
    assert sorted(check["candidate_ids"]) == sorted(in_scope) and "一致" in check["message"]
    random_seed = http.post("/api/spot-samples", json={"user_id": world.deputy.id, "size": 2}, headers=admin).json()
    assert random_seed["seed"].isdigit() and 0 <= int(random_seed["seed"]) < 2**63
    # the checker sees their own draws, and which items they have checked
    deputy = login(http, "daibiao")
    first = sample["item_ids"][0]
    push(http, deputy, event(first, "spot_checked", 0, verdict="agree", photos=[world.spot]))
    mine = http.get("/api/spot-samples", headers=deputy).json()
    assert len(mine) == 3 and {s["user_id"] for s in mine} == {world.deputy.id}
    drawn = next(s for s in mine if s["id"] == sample["id"])
    assert [i["checked"] for i in drawn["items"]] == [True, False, False]
    assert http.get(f"/api/spot-samples/{sample['id']}/verify", headers=deputy).json()["matches"]
    one = http.get(f"/api/spot-samples/{sample['id']}", headers=deputy).json()
    assert one["item_ids"] == sample["item_ids"] and one["items"][0]["checked"]
    member = login(http, "weiyuan")
    assert http.get("/api/spot-samples", headers=member).json() == []
    assert http.get(f"/api/spot-samples/{sample['id']}/verify", headers=member).status_code == 404
    assert http.get(f"/api/spot-samples/{sample['id']}", headers=member).status_code == 404
    assert http.get("/api/spot-samples", headers=login(http, "jianzhu")).status_code == 403


def test_a_tampered_sample_fails_its_audit(http, ctx, world):
    for _ in range(4):
        world.item()
    sample = oversight.draw(ctx, world.admin, world.deputy.id, 2, seed=99)
    with write_session(ctx.engine) as session:
        row = session.get(SpotSample, sample.id)
        pool = list(row.candidate_ids)
        row.item_ids = [i for i in pool if i not in row.item_ids][:2]
        session.add(row)
    check = http.get(f"/api/spot-samples/{sample.id}/verify", headers=login(http, "guanli")).json()
    assert not check["matches"] and check["recomputed"] == draw_sample(pool, 2, 99)
    assert "不一致" in check["message"]


@pytest.mark.parametrize("body,code", [
    ({"size": 0}, "request.invalid"),
    ({"size": 2, "seed": -1}, "request.invalid"),
    ({"size": 2, "user_id": "STAFF"}, "request.invalid"),
    ({"size": 2, "user_id": "UNDELEGATED"}, "request.invalid"),
])
def test_a_bad_draw_is_refused(http, ctx, world, body, code):
    undelegated = person(ctx, "nobody", "spot_checker")
    user = {"STAFF": world.staff.id, "UNDELEGATED": undelegated.id}.get(body.get("user_id"), world.deputy.id)
    response = http.post("/api/spot-samples", json={**body, "user_id": user}, headers=login(http, "guanli"))
    assert response.status_code == 422 and response.json()["error"]["code"] == code
    with read_session(ctx.engine) as session:
        assert session.exec(select(SpotSample)).all() == []


# --- office records ------------------------------------------------------------------------------------------
def test_the_office_record_counts_and_who_may_read_it(http, ctx, clock, world):
    world.item(status="assigned")
    world.item(status="closed")
    reworked = world.item(status="fix_submitted")
    events.record_one(ctx, world.boss, event(reworked, "rejected", 3, reason="不彻底"))
    disputed = world.item()
    events.record_one(ctx, world.deputy, event(disputed, "spot_checked", 0, verdict="disagree",
                                               photos=[world.spot]))
    world.item(office="landscaping", status="assigned")
    clock.advance(days=7)
    body = http.get("/api/offices/construction/record", headers=login(http, "dudao")).json()
    assert (body["items"], body["open"], body["overdue"], body["reworks"], body["disputed"]) == (4, 2, 2, 1, 1)
    assert (body["spot_agree"], body["spot_disagree"], body["rebounds"]) == (0, 1, 0)
    assert body["avg_days_to_fix"] == 0.0 and body["name"] == "建筑工程管理处" and body["labels"]["open"] == "未办结"
    for who, status in (("jianzhu", 200), ("daibiao", 200), ("guanli", 200), ("yuanlin", 403),
                        ("weiyuan", 403), ("xuncha", 403)):
        assert http.get("/api/offices/construction/record", headers=login(http, who)).status_code == status, who
    assert http.get("/api/offices/mars/record", headers=login(http, "dudao")).status_code == 422


# --- rebounds escalate ---------------------------------------------------------------------------------------
def test_the_second_rebound_goes_to_the_offices_top_leader(http, ctx, world):
    campaigns.update_campaign(ctx, world.admin, {"top_leaders": {"construction": "周局长"}})
    item = world.item()
    state = items.get_item(ctx, world.inspector, item).item
    first = oversight.rebound_payload(ctx, state, [world.look], "2026-07-25", note="又有污水")
    assert first == {"photos": [world.look], "leader": "陈处长", "deadline": "2026-07-25", "note": "又有污水"}
    inspector = login(http, "xuncha")
    [r] = push(http, inspector, event(item, "rebounded", 4, **first))
    assert r["status"] == "accepted"
    events.record_one(ctx, world.staff, event(item, "fix_submitted", 5, photos=[world.after]))
    events.record_one(ctx, world.boss, event(item, "verified", 6))
    state = items.get_item(ctx, world.inspector, item).item
    second = oversight.rebound_payload(ctx, state, [world.look])
    assert second["leader"] == "周局长" and "note" not in second
    assert second["deadline"].startswith("2026-07-18T15:59:59")  # the category's 3 days, end of local day
    [r] = push(http, inspector, event(item, "rebounded", 7, **second))
    assert r["status"] == "accepted"
    body = http.get(f"/api/items/{item}", headers=login(http, "dudao")).json()
    assert (body["rebound_count"], body["leader"]) == (2, "周局长")
    notices = http.get("/api/notifications", headers=login(http, "jianzhu_lz")).json()["notices"]
    assert "escalated" in [n["kind"] for n in notices]
    # no top leader named: the item's own leader stays
    other = world.item(office="landscaping")
    state = items.get_item(ctx, world.boss, other).item
    assert oversight.rebound_payload(ctx, replace(state, rebound_count=1), [world.look])["leader"] == "陈处长"


# --- notices ---------------------------------------------------------------------------------------------------
def test_notices_per_role_in_the_users_language(http, ctx, clock, world):
    assigned = world.item(status="assigned")
    world.item(look_back_days=1)
    staff = login(http, "jianzhu")
    body = http.get("/api/notifications", headers=staff).json()
    kinds = {n["kind"] for n in body["notices"]}
    assert kinds == {"assigned_to_office"} and body["total"] == 1
    [notice] = body["notices"]
    assert notice["item_id"] == assigned and notice["title"] == "新派遣"
    assert notice["number"] in notice["message"] and "工地污水乱排放" in notice["message"]
    english = http.get("/api/notifications", headers={**staff, "Accept-Language": "en"}).json()["notices"][0]
    assert english["title"] == "Newly assigned" and "please acknowledge" in english["message"]
    inspector = http.get("/api/notifications", headers=login(http, "xuncha")).json()["notices"]
    assert [n["kind"] for n in inspector] == ["look_back_due"] and "回头看还剩 1 天" in inspector[0]["message"]
    assert http.get("/api/notifications", headers=login(http, "yuanlin")).json() == {"notices": [], "total": 0}
    assert http.get("/api/notifications", headers=login(http, "daibiao")).json()["total"] == 0
    clock.advance(days=4)  # deadline 2026-07-20 end of day is 5.4 days after the start
    soon = http.get("/api/notifications", headers=staff).json()["notices"]
    assert {n["kind"] for n in soon} == {"assigned_to_office", "deadline_soon"}
    clock.advance(days=3)
    boss = http.get("/api/notifications", headers=login(http, "dudao")).json()["notices"]
    assert [n["kind"] for n in boss] == ["overdue"] and "已逾期 2 天" in boss[0]["message"]  # 1.4 days: the 2nd day late
    late = http.get("/api/notifications", headers=staff).json()["notices"]
    assert [n["kind"] for n in late] == ["overdue", "assigned_to_office"]
    assert http.get("/api/notifications", params={"limit": 1}, headers=staff).json()["total"] == 2


def test_fix_rejected_notice(http, ctx, world):
    item = world.item(status="fix_submitted")
    events.record_one(ctx, world.boss, event(item, "rejected", 3, reason="照片不清"))
    notices = http.get("/api/notifications", headers=login(http, "jianzhu")).json()["notices"]
    [rejected] = [n for n in notices if n["kind"] == "fix_rejected"]
    assert "照片不清" in rejected["message"]


# --- the contract ---------------------------------------------------------------------------------------------
def test_every_oversight_route_is_in_the_openapi_schema_and_needs_a_login(http):
    paths = http.get("/openapi.json").json()["paths"]
    expected = {
        "/api/campaign": {"get", "put"}, "/api/rounds": {"get", "post"}, "/api/look-backs": {"get"},
        "/api/delegations": {"get", "post"}, "/api/delegations/{delegation_id}": {"delete"},
        "/api/spot-samples": {"get", "post"}, "/api/spot-samples/{sample_id}": {"get"},
        "/api/spot-samples/{sample_id}/verify": {"get"}, "/api/reviews": {"get"},
        "/api/offices/{code}/record": {"get"}, "/api/notifications": {"get"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths[path]), path
        for method in methods:
            url = path.replace("{delegation_id}", new_id()).replace("{sample_id}", new_id()).replace("{code}", "x")
            assert http.request(method.upper(), url).status_code == 401, (method, path)
