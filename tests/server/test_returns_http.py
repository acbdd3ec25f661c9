"""Returns and supporting offices over real HTTP, on the real database (SQLite, and PostgreSQL when
``INSPECTOR_TEST_DATABASE_URL`` names one): who may return, reassign and insist, what each office
then sees (lists, detail, pull feed, the SQL filter against ``permissions.can_see``), hostile payloads,
the month's return rates and supporting share, and the projection rebuilt from the log."""

from datetime import datetime

import pytest
from sqlmodel import select

from inspector.domain.events import default_deadline
from inspector.domain.items import project
from inspector.domain.permissions import can_see
from inspector.services import returns
from inspector.services.auth import actor_of
from inspector.store import queries
from inspector.store.convert import event_of, item_state
from inspector.store.engine import read_session
from inspector.store.models import EventRow, Item, User
from tests.factories import event, login, person, push, reported, stored_photo

DEADLINE = "2026-07-20"


@pytest.fixture
def people(ctx):
    return {
        "xc": person(ctx, "xc", "inspector"),
        "jz": person(ctx, "jz", "office_staff", "construction"),
        "jzl": person(ctx, "jzl", "office_leader", "construction"),
        "yl": person(ctx, "yl", "office_staff", "landscaping"),
        "fc": person(ctx, "fc", "office_staff", "real_estate"),
        "dd": person(ctx, "dd", "supervisor"),
    }


def assigned_item(ctx, http, people, **assign) -> tuple[str, int]:
    photo = stored_photo(ctx, people["xc"])
    first = reported(photo=photo)
    assert push(http, login(http, "xc"), first)[0]["status"] == "accepted"
    payload = {"office": "construction", "leader": "陈处长", "deadline": DEADLINE} | assign
    assert push(http, login(http, "dd"), event(first.item_id, "assigned", 1, **payload))[0]["status"] == "accepted"
    return first.item_id, 2


def test_the_lead_office_returns_the_supervisor_reassigns_and_visibility_follows(ctx, http, people, clock):
    item_id, version = assigned_item(ctx, http, people)
    photo = stored_photo(ctx, people["jz"], seed=3)
    back = event(item_id, "returned", version, reason_code="not_our_area", reason="归园林处",
                 suggested_office="landscaping", photos=[photo])
    assert push(http, login(http, "jz"), back)[0]["status"] == "accepted"
    shown = http.get(f"/api/items/{item_id}", headers=login(http, "dd")).json()
    assert shown["return_pending"] and shown["return_office"] == "landscaping" and shown["office"] == "construction"
    assert shown["deadline"].startswith("2026-07-20")  # the clock runs on
    assert [e["role"] for e in shown["evidence"] if e["sha256"] == photo] == ["return"]
    waiting = http.get("/api/items", params={"office": "construction"}, headers=login(http, "dd")).json()
    assert [i["id"] for i in waiting["items"]] == [item_id]

    clock.advance(days=2)
    answer = event(item_id, "reassigned", version + 1, office="landscaping", supporting_offices=["construction"])
    assert push(http, login(http, "dd"), answer)[0]["status"] == "accepted"
    moved = http.get(f"/api/items/{item_id}", headers=login(http, "yl")).json()
    assert (moved["office"], moved["status"], moved["supporting_offices"]) == ("landscaping", "assigned",
                                                                              ["construction"])
    reassigned_at = next(e for e in moved["events"] if e["kind"] == "reassigned")["server_at"]
    expected = default_deadline("site_sewage", datetime.fromisoformat(reassigned_at), ctx.settings.zone)
    assert datetime.fromisoformat(moved["deadline"]) == expected

    # the old office now supports: it sees the item, may comment, may not act for the lead
    jz = login(http, "jz")
    assert http.get(f"/api/items/{item_id}", headers=jz).status_code == 200
    assert item_id in {e["item_id"] for e in http.get("/api/sync/pull", params={"after": 0}, headers=jz).json()["events"]}
    assert push(http, jz, event(item_id, "commented", 0, text="我处配合清运"))[0]["status"] == "accepted"
    refused = push(http, jz, event(item_id, "acknowledged", version + 2))[0]
    assert refused["status"] == "rejected" and refused["reason"]["code"] == "auth.forbidden"
    # a third office sees nothing of it
    assert http.get(f"/api/items/{item_id}", headers=login(http, "fc")).status_code == 404
    assert push(http, login(http, "yl"), event(item_id, "acknowledged", version + 2))[0]["status"] == "accepted"

    # the SQL filter says what the domain says, for every person
    with read_session(ctx.engine) as session:
        rows = session.exec(select(Item)).all()
        for user in session.exec(select(User)).all():
            actor = actor_of(session, user)
            expected_ids = {r.id for r in rows if can_see(actor, item_state(r))}
            found = set(session.exec(select(Item.id).where(queries.visible_to(actor))).all())
            assert found == expected_ids, user.username
        # and the row is the projection of the log
        log = [event_of(r) for r in session.exec(select(EventRow).where(EventRow.item_id == item_id)
                                                 .order_by(EventRow.seq)).all()]
        assert project(log, ctx.settings.zone) == item_state(session.get(Item, item_id))


def test_the_supporting_filter_and_the_returns_queue(ctx, http, people):
    item_id, version = assigned_item(ctx, http, people, supporting_offices=["landscaping"])
    yl = people["yl"]
    with read_session(ctx.engine) as session:
        now = ctx.now()
        found, _ = queries.list_items(session, yl, queries.ItemFilter(supported_by="landscaping"), now)
        assert [s.id for s in found] == [item_id]
        led, _ = queries.list_items(session, yl, queries.ItemFilter(office="landscaping"), now)
        assert led == []
    push(http, login(http, "jzl"), event(item_id, "returned", version, reason_code="needs_another_office",
                                         reason="需园林处配合"))
    with read_session(ctx.engine) as session:
        queue, total = queries.list_items(session, people["dd"], queries.ItemFilter(return_pending=True), ctx.now())
    assert total == 1 and queue[0].return_code == "needs_another_office"


@pytest.mark.parametrize("who, kind, payload, status, code", [
    ("yl", "returned", {"reason_code": "not_our_area", "reason": "x"}, "rejected", "item.not_found"),
    ("dd", "returned", {"reason_code": "not_our_area", "reason": "x"}, "rejected", "auth.forbidden"),
    ("jz", "returned", {"reason_code": "drop table", "reason": "x"}, "rejected", "event.invalid_payload"),
    ("jz", "returned", {"reason_code": "not_our_area", "reason": "x" * 5000}, "rejected", "event.too_long"),
    ("jz", "returned", {"reason_code": "not_our_area", "reason": "x", "office": "x"}, "rejected",
     "event.unknown_field"),
    ("jz", "reassigned", {"office": "landscaping"}, "rejected", "auth.forbidden"),
    ("dd", "reassigned", {"office": "landscaping"}, "rejected", "item.invalid_transition"),
    ("dd", "return_insisted", {"reason": "x"}, "rejected", "item.invalid_transition"),
    ("dd", "assigned", {"office": "construction", "leader": "x", "deadline": DEADLINE,
                        "supporting_offices": ["police"]}, "rejected", "event.invalid_payload"),
    ("dd", "assigned", {"office": "construction", "leader": "x", "deadline": DEADLINE,
                        "supporting_offices": "landscaping"}, "rejected", "event.wrong_type"),
])
def test_hostile_or_misplaced_returns_are_refused_with_a_reason(ctx, http, people, who, kind, payload, status, code):
    item_id, version = assigned_item(ctx, http, people)
    answer = push(http, login(http, who), event(item_id, kind, version, **payload))[0]
    assert (answer["status"], answer["reason"]["code"]) == (status, code), answer


def test_insisting_keeps_the_first_deadline_over_http(ctx, http, people):
    item_id, version = assigned_item(ctx, http, people)
    push(http, login(http, "jz"), event(item_id, "returned", version, reason_code="not_a_problem", reason="已无污水"))
    answer = push(http, login(http, "dd"), event(item_id, "return_insisted", version + 1, reason="现场仍有"))[0]
    assert answer["status"] == "accepted"
    kept = http.get(f"/api/items/{item_id}", headers=login(http, "jz")).json()
    assert kept["deadline"].startswith("2026-07-20") and not kept["return_pending"] and kept["office"] == "construction"


def test_the_months_return_rates_and_supporting_share(ctx, http, people):
    a, va = assigned_item(ctx, http, people)
    b, _ = assigned_item(ctx, http, people, supporting_offices=["landscaping", "real_estate"])
    push(http, login(http, "jz"), event(a, "returned", va, reason_code="not_our_area", reason="归园林处"))
    push(http, login(http, "dd"), event(a, "reassigned", va + 1, office="landscaping"))
    rates = returns.month_rates(ctx, people["dd"], "2026-07")
    by_office = {r.key: (r.assigned, r.returned) for r in rates.offices}
    assert by_office == {"construction": (2, 1), "landscaping": (1, 0)}
    assert {r.key: (r.assigned, r.returned) for r in rates.categories} == {"site_sewage": (3, 1)}
    assert returns.month_rates(ctx, people["jz"], "2026-07").offices[0].key == "construction"  # its own only
    assert returns.month_supporting(ctx, people["dd"], "2026-07") == {"landscaping": 1, "real_estate": 1}
    assert returns.month_rates(ctx, people["dd"], "2026-06").offices == []
    with pytest.raises(Exception) as refused:
        returns.month_rates(ctx, people["xc"], "2026-07")
    assert getattr(refused.value, "status", None) == 403
