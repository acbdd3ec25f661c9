"""GET /api/scores over real HTTP: figures worked out by hand, the ids behind them, who may see what."""

import pytest

from inspector.services import auth, events, scores
from inspector.store.engine import read_session
from inspector.store.models import User
from tests.factories import LOCATION, new_id, person, stored_photo

PASSWORD = "secret-pw-123"


def login(http, username):
    response = http.post("/api/auth/token", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


class Case:
    """One item driven through the services with the test's clock."""

    def __init__(self, ctx, clock, actor, photo, office, category):
        self.ctx, self.clock, self.id, self.version, self.photo = ctx, clock, new_id(), 0, photo
        self.send(actor, "reported", category=category, office=office, location=dict(LOCATION),
                  check_type="supervisor", photos=[photo])

    def send(self, actor, kind, hours=0, **payload):
        self.clock.advance(hours=hours)
        event = events.EventIn(id=new_id(), item_id=self.id, kind=kind, at=self.clock(),
                               base_version=self.version, payload=payload)
        outcome = events.push(self.ctx, actor, [event])[0]
        assert outcome.status == "accepted", outcome.error
        if kind not in ("commented", "spot_checked"):
            self.version += 1
        return self


@pytest.fixture
def people(ctx):
    found = {
        "supervisor": person(ctx, "dudao", "supervisor"),
        "inspector": person(ctx, "xuncha", "inspector"),
        "staff": person(ctx, "jianzhu", "office_staff", "construction"),
        "leader": person(ctx, "jianzhu_lead", "office_leader", "construction"),
        "other_staff": person(ctx, "yuanlin", "office_staff", "landscaping"),
        "spot": person(ctx, "renda", "spot_checker"),
    }
    auth.delegate(ctx, found["spot"].id, offices=["construction"])
    with read_session(ctx.engine) as session:
        found["spot"] = auth.actor_of(session, session.get(User, found["spot"].id))
    return found


@pytest.fixture
def july(ctx, clock, people):
    """Three items in July 2026 (clock starts 07-15 09:30 local), then the clock stands at 07-20."""
    sup, staff, other = people["supervisor"], people["staff"], people["other_staff"]
    before = stored_photo(ctx, people["inspector"], 1)
    after = stored_photo(ctx, staff, 2)
    after_other = stored_photo(ctx, other, 3)
    # 1: construction, deadline 07-17, fixed 07-16, verified; a spot check agrees. On time.
    one = Case(ctx, clock, people["inspector"], before, "construction", "site_sewage")
    one.send(sup, "assigned", hours=1, office="construction", leader="陈处长", deadline="2026-07-17")
    one.send(staff, "fix_submitted", hours=24, photos=[after])
    one.send(sup, "verified", hours=2)
    spot = stored_photo(ctx, people["spot"], 4)  # a blind checker cites their own photo, not the office's
    one.send(people["spot"], "spot_checked", hours=1, verdict="agree", photos=[spot])
    # 2: construction, deadline 07-16, never fixed: overdue on 07-20.
    two = Case(ctx, clock, people["inspector"], before, "construction", "site_garbage")
    two.send(sup, "assigned", hours=1, office="construction", leader="陈处长", deadline="2026-07-16")
    # 3: landscaping, deadline 07-20, first fix rejected, second fix on time, verified.
    three = Case(ctx, clock, people["inspector"], before, "landscaping", "loose_soil")
    three.send(sup, "assigned", hours=1, office="landscaping", leader="吴科长", deadline="2026-07-20")
    three.send(other, "fix_submitted", hours=2, photos=[after_other])
    three.send(sup, "rejected", hours=1, reason="浮土未清")
    three.send(other, "fix_submitted", hours=20, photos=[after_other])
    three.send(sup, "verified", hours=1)
    clock.current = clock.current.replace(day=20)
    return {"one": one.id, "two": two.id, "three": three.id}


def measures(row):
    return row["measures"]


def test_the_month_by_hand_with_the_items_behind_every_number(http, people, july):
    headers = login(http, "dudao")
    response = http.get("/api/scores", params={"month": "2026-07"}, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["formula"]["text"] == "100 × (0.4 × 按期办结率 + 0.2 × (1 − 返工率) + 0.2 × (1 − 反弹率) + 0.2 × 抽查一致率)"
    rows = {row["office"]: row for row in body["offices"]}
    assert list(rows) == ["construction", "landscaping", "real_estate", "other_units"]

    c = measures(rows["construction"])
    # Assigned: 1 and 2; closed and on time: 1 -> 1/2. Fixes: 1's one, none rejected -> 0/1.
    # Verified: 1, none rebounded -> 0/1. Spot checks: 1 agree -> 1/1. Overdue on 07-20: 2 (deadline 07-16).
    assert set(c["assigned"]["ids"]) == {july["one"], july["two"]}
    assert c["on_time_rate"]["value"] == 0.5 and c["on_time_rate"]["numerator"]["ids"] == [july["one"]]
    assert c["rework_rate"]["value"] == 0.0 and c["rework_rate"]["denominator"]["value"] == 1
    assert c["rebound_rate"]["value"] == 0.0
    assert c["spot_agreement"]["value"] == 1.0
    assert c["overdue"] == {"value": 1, "ids": [july["two"]], "numerator": None, "denominator": None}
    # 100 x (0.4 x 0.5 + 0.2 x (1 - 0) + 0.2 x (1 - 0) + 0.2 x 1) = 80
    assert rows["construction"]["score"] == 80.0

    ls = measures(rows["landscaping"])
    # 3 alone: on time 1/1; fixes 2, one rejected -> 1/2; no rebound 0/1; no spot checks (null).
    assert ls["rework_rate"]["numerator"] == {"value": 1, "ids": [july["three"]]}
    assert ls["rework_rate"]["denominator"]["value"] == 2 and ls["spot_agreement"]["value"] is None
    # Spot's weight shared out: 100 x (0.5 x 1 + 0.25 x (1 - 0.5) + 0.25 x (1 - 0)) = 87.5
    assert rows["landscaping"]["score"] == 87.5
    assert rows["landscaping"]["formula"] == "100 × (0.5 × 按期办结率 + 0.25 × (1 − 返工率) + 0.25 × (1 − 反弹率))"
    assert [rows[o]["rank"] for o in rows] == [2, 1, None, None]
    assert body["overall"]["measures"]["assigned"]["value"] == 3

    # Charts: reported in July by status; the trend's week of 07-13..19 has the three reports.
    assert body["status_by_office"][0]["statuses"]["verified"]["ids"] == [july["one"]]
    week = next(w for w in body["weekly"] if w["week"] == "2026-W29")
    assert week["reported"]["value"] == 3 and week["closed"]["value"] == 2

    # Every number opens its items.
    for item_id in c["assigned"]["ids"] + ls["rework_rate"]["denominator"]["ids"]:
        assert http.get(f"/api/items/{item_id}", headers=headers).status_code == 200


def test_the_answer_speaks_the_requested_language(http, people, july):
    body = http.get("/api/scores", params={"month": "2026-07"},
                    headers={**login(http, "dudao"), "Accept-Language": "en"}).json()
    assert body["formula"]["text"].startswith("100 × (0.4 × on-time closure rate + 0.2 × (1 − rework rate)")
    assert body["offices"][0]["name"] == "Construction Engineering Management Office"


def test_office_staff_see_their_own_office_only(http, people, july):
    for username in ("jianzhu", "jianzhu_lead"):
        headers = login(http, username)
        body = http.get("/api/scores", params={"month": "2026-07"}, headers=headers).json()
        assert [row["office"] for row in body["offices"]] == ["construction"]
        assert july["three"] not in str(body)  # nothing of landscaping leaks, not even ids
        refused = http.get("/api/scores", params={"month": "2026-07", "office": "landscaping"}, headers=headers)
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "auth.forbidden"
    mine = http.get("/api/scores", params={"month": "2026-07", "office": "construction"},
                    headers=login(http, "jianzhu"))
    assert mine.status_code == 200


@pytest.mark.parametrize("username", ["renda", "xuncha"])
def test_spot_checkers_and_inspectors_are_refused(http, people, july, username):
    response = http.get("/api/scores", params={"month": "2026-07"}, headers=login(http, username))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "auth.forbidden"


def test_supervisors_may_narrow_to_one_office_and_bad_input_is_422(http, people, july):
    headers = login(http, "dudao")
    one = http.get("/api/scores", params={"month": "2026-07", "office": "landscaping"}, headers=headers).json()
    assert [row["office"] for row in one["offices"]] == ["landscaping"]
    assert http.get("/api/scores", params={"month": "2026-07"}).status_code == 401
    for params in ({"month": "2026-13"}, {"month": "July"}, {"month": "2026-07", "office": "nowhere"}):
        response = http.get("/api/scores", params=params, headers=headers)
        assert response.status_code == 422, params
        assert response.json()["error"]["code"] in ("request.invalid", "catalog.unknown_office")


def test_a_month_without_items_has_no_scores(http, people, july):
    body = http.get("/api/scores", params={"month": "2026-05"}, headers=login(http, "dudao")).json()
    assert all(row["score"] is None and row["rank"] is None for row in body["offices"])
    assert body["overall"]["measures"]["assigned"] == {"value": 0, "ids": [], "numerator": None,
                                                       "denominator": None}


def test_the_default_month_is_the_current_one(ctx, http, people, july):
    body = http.get("/api/scores", headers=login(http, "dudao")).json()
    assert body["month"] == scores.current_month(ctx) == "2026-07"


def test_the_routes_are_in_the_openapi_schema(http):
    paths = http.get("/openapi.json").json()["paths"]
    expected = {
        "/api/scores": {"get"}, "/api/reports/summary.pdf": {"get"}, "/api/reports/summary.xlsx": {"get"},
        "/api/reports/summary.csv": {"get"}, "/api/info/reporters": {"get"},
        "/api/info/reporters/{office}": {"put"}, "/api/info/notes": {"get", "post"}, "/api/info/board": {"get"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths[path]), path
    scores_schema = paths["/api/scores"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert scores_schema["$ref"].endswith("/ScoreboardOut")
    assert "application/pdf" in paths["/api/reports/summary.pdf"]["get"]["responses"]["200"]["content"]


@pytest.mark.parametrize("month", ["2026-06", "2026-07"])
def test_the_sql_load_misses_nothing_the_pure_board_counts(ctx, clock, month):
    """The hand-worked histories of tests/domain, stored as rows: the service's board is the pure one."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from inspector.domain.permissions import Actor
    from inspector.domain.scoring import build_scoreboard, month_period
    from inspector.store.convert import item_values
    from inspector.store.engine import write_session
    from inspector.store.models import Item
    from tests.domain.test_scoring import histories

    states = [h.state() for h in histories().values()]
    with write_session(ctx.engine) as session:
        for state in states:
            session.add(Item(**item_values(state)))
    clock.current = datetime(2026, 7, 31, 12, tzinfo=ZoneInfo("Asia/Shanghai"))
    view = scores.scoreboard(ctx, Actor(id="boss", role="supervisor"), month)
    pure = build_scoreboard(states, month_period(month, ctx.settings.zone), clock(), ctx.settings.zone)
    assert view.board == pure
    # June's end: J, L and the two of May settled only in July (M, N); now: E and J.
    assert set(view.board.overall.overdue.ids) == ({"J", "L", "M", "N"} if month == "2026-06" else {"E", "J"})
