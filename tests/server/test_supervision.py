"""督办 over real HTTP: nobody pushes the server's steps; the steps show in the item and the notices;
the server's lifespan runs the sweep and stops it."""

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from inspector.domain.supervision import SYSTEM_USER_ID
from inspector.server.app import create_app
from inspector.services import supervision
from inspector.services.context import bootstrap
from inspector.store.engine import read_session
from inspector.store.models import EventRow
from tests.factories import event, person, reported
from tests.server.test_api import login, push, upload

ZONE = ZoneInfo("Asia/Shanghai")
STEPS = {
    "reminded": {"step": "due", "deadline": "2026-07-10T15:59:59+00:00"},
    "supervised": {"deadline": "2026-07-10T15:59:59+00:00", "office": "construction", "leader": "陈处长",
                   "days_overdue": 4},
    "escalated": {"deadline": "2026-07-10T15:59:59+00:00", "office": "construction", "days_overdue": 8},
}


@pytest.fixture
def overdue(ctx, http):
    """An item assigned to construction, due at the end of 10 July; the clock reads 15 July."""
    person(ctx, "dudao", "supervisor")
    person(ctx, "admin", "admin")
    person(ctx, "jianzhu", "office_staff", "construction")
    person(ctx, "jianzhu-lead", "office_leader", "construction")
    boss = login(http, "dudao")
    first = reported(photo=upload(http, boss))
    second = event(first.item_id, "assigned", 1, office="construction", leader="陈处长", deadline="2026-07-10")
    assert [r["status"] for r in push(http, boss, first, second)] == ["accepted", "accepted"]
    return first.item_id


def system_events(ctx) -> list[str]:
    with read_session(ctx.engine) as session:
        return list(session.exec(select(EventRow.kind).where(EventRow.actor_id == SYSTEM_USER_ID)).all())


@pytest.mark.parametrize("who", ["dudao", "admin", "jianzhu", "jianzhu-lead"])
@pytest.mark.parametrize("kind", sorted(STEPS))
def test_no_person_may_push_a_reminder_or_a_supervision_step(ctx, http, overdue, who, kind):
    headers = login(http, who)
    [result] = push(http, headers, event(overdue, kind, 2, **STEPS[kind]), lang="zh-CN")
    assert result["status"] == "rejected" and result["seq"] is None
    reason = result["reason"]
    assert reason["code"] == "event.server_only" and reason["details"]["kind"] == kind
    assert "系统" in reason["message"] and "{" not in reason["message"]
    assert system_events(ctx) == []
    with read_session(ctx.engine) as session:
        assert not session.exec(select(EventRow).where(EventRow.kind == kind)).all()


def test_the_system_account_cannot_log_in(ctx, http, overdue):
    supervision.sweep(ctx)
    response = http.post("/api/auth/token", json={"username": "system", "password": "x" * 12})
    assert response.status_code == 401


def test_the_steps_show_in_the_item_and_the_offices_notices(ctx, http, overdue):
    result = supervision.sweep(ctx)  # 15 July: five days late
    assert result.steps == {"overdue": 1, "supervised": 1}
    staff = login(http, "jianzhu-lead")
    detail = http.get(f"/api/items/{overdue}", headers=staff).json()
    steps = [e for e in detail["events"] if e["actor"] == SYSTEM_USER_ID]
    assert [(e["kind"], e["actor_name"]) for e in steps] == [("reminded", "系统 System"), ("supervised", "系统 System")]
    assert steps[1]["payload"]["leader"] == "陈处长" and (detail["version"], detail["supervision"]) == (2, 1)
    notices = http.get("/api/notifications", headers={**staff, "Accept-Language": "zh-CN"}).json()["notices"]
    assert notices[0]["kind"] == "supervision" and "列入督办" in notices[0]["message"]
    pulled = http.get("/api/sync/pull", params={"after": 0}, headers=staff).json()
    assert {e["kind"] for e in pulled["events"]} >= {"reminded", "supervised"}  # the phone gets them too


def test_the_servers_lifespan_sweeps_in_the_background_and_stops_with_it(settings, clock, tmp_path):
    ctx = bootstrap(settings.model_copy(update={"supervision_interval_s": 0.05}), clock=clock)
    boss = person(ctx, "dudao", "supervisor")
    from inspector.services import events, photos  # lazy: only this test records through the services
    from tests.factories import jpeg, sha

    data = jpeg(1)
    photos.put_photo(ctx, boss, sha(data), data)
    first = reported(photo=sha(data))
    events.record_one(ctx, boss, first)
    events.record_one(ctx, boss, event(first.item_id, "assigned", 1, office="construction", leader="陈处长",
                                       deadline="2026-07-10"))
    app = create_app(ctx, with_ui=False)

    async def run() -> int:
        async with app.router.lifespan_context(app):
            supervisor = app.state.supervisor
            for _ in range(2000):  # wait on the condition: two sweeps done, not on a clock
                if supervisor.runs >= 2:
                    break
                await asyncio.sleep(0.01)
            runs = supervisor.runs
        assert supervisor.task is None  # stopped with the app
        return runs

    assert asyncio.run(run()) >= 2
    assert sorted(system_events(ctx)) == ["reminded", "supervised"]  # twice swept, once recorded
    ctx.engine.dispose()
