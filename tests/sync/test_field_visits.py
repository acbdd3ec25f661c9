"""A visit recorded on the field client with the server away: the outbox holds the visit and its failed
points' reports, one round after the server is back brings them all up, and a replay changes nothing."""

from datetime import datetime, timezone

import httpx
from sqlmodel import select

from inspector.domain.visit_drafts import VisitDraft
from inspector.domain.visits import VISITED
from inspector.errors import ServerUnreachable
from inspector.services.visit_recording import SENT, WAITING, new_id
from inspector.store.engine import read_session
from inspector.store.models import EventRow, Item, Photo
from inspector.store.queries import ItemFilter
from inspector.sync.client import ApiClient
from inspector.sync.local import envelope
from inspector.sync.wire import PushRequest
from tests.factories import person, registered_site
from tests.sync.conftest import PASSWORD, photo_of, server_event_count

STARTED = datetime(2026, 7, 15, 2, 0, tzinfo=timezone.utc)


def walked(ws, site_id: str, failed: dict[str, str]) -> VisitDraft:
    """A visit of ``site_id`` with every point passed but ``failed`` (code -> photo sha256)."""
    site = next(s for s in ws.sites() if s.id == site_id)
    checklist = ws.visits.checklist(site.kind)
    draft = VisitDraft(id=new_id(), site_id=site.id, checklist_id=checklist.id, check_type="supervisor",
                       started_at=STARTED)
    for point in checklist.points:
        draft = draft.mark(point.code, "pass")
    for code, photo in failed.items():
        draft = draft.mark(code, "fail").with_photos(code, (photo,)).with_note(code, f"{code} 不合格")
    return draft


def test_a_visit_made_offline_arrives_with_its_two_items_and_photos(ctx, server_process, phones):
    person(ctx, "li", "inspector")
    site_id = registered_site(ctx, "滨江花园三期工地")
    server = server_process().start()
    phone = phones(server.url)
    ws = phone.login("li", PASSWORD)
    assert phone.sync_once().ok  # the sites (and the checklists) come down
    server.kill()

    checklist = ws.visits.checklist("construction_site")
    first, third = checklist.points[0].code, checklist.points[2].code
    photos = {first: photo_of(ws, 41), third: photo_of(ws, 42)}
    ws.visits.keep(walked(ws, site_id, photos))

    # The draft outlives the app: a new client over the same data folder finds it.
    phone.close()
    phone = phones(server.url)
    ws = phone.workspace()
    draft = ws.visits.draft()
    assert draft is not None and draft.marks[third].photos == (photos[third],)
    finished = ws.visits.finish(draft)
    assert (finished.visit_id, finished.reports) == (draft.id, 2) and ws.visits.draft() is None

    # The outbox: the visit first, then one report per failed point in the checklist's order.
    entries = phone.store.outbox()
    assert [(e.kind, e.item_id == draft.id) for e in entries] == [(VISITED, True), ("reported", False),
                                                                  ("reported", False)]
    reports = entries[1:]
    assert [e.payload["check_point"] for e in reports] == [first, third]
    assert all(e.payload["visit"] == draft.id and e.payload["office"] == "construction"
               and e.payload["site"] == site_id and e.payload["check_type"] == "supervisor" for e in reports)
    assert [e.payload["category"] for e in reports] == [checklist.point(first).category,
                                                        checklist.point(third).category]
    # Locally the reports are items; the visit is not.
    listed = {i.id for i in ws.list_items(ItemFilter()).items}
    assert listed == {e.item_id for e in reports} and phone.store.item(draft.id) is None
    assert [(v.id, v.state, v.met, v.applicable) for v in ws.visits.mine()] == [
        (draft.id, WAITING, len(checklist.points) - 2, len(checklist.points))]

    assert isinstance(phone.sync_once().error, ServerUnreachable)
    assert len(phone.store.outbox()) == 3

    server.start()
    report = phone.sync_once()
    assert report.ok, report
    assert (report.pushed, report.rejected, report.waiting, report.photos_uploaded) == (3, 0, 0, 2)
    token = phone.store.get("token")
    answer = httpx.get(f"{server.url}/api/visits/{draft.id}", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.text
    visit = answer.json()
    assert sorted(visit["items"]) == sorted(e.item_id for e in reports)
    assert (visit["site"], visit["checklist_id"], visit["met"], visit["applicable"]) == (
        site_id, checklist.id, len(checklist.points) - 2, len(checklist.points))
    with read_session(ctx.engine) as session:
        assert all(session.get(Photo, sha) is not None for sha in photos.values())
        items = [session.get(Item, e.item_id) for e in reports]
    assert all(i is not None and i.visit_id == draft.id for i in items)
    assert {i.check_point for i in items} == {first, third}

    # Sent: kept here by kind, still no item; the next round's pull does not bring the visit as an item.
    assert [(v.id, v.state) for v in ws.visits.mine()] == [(draft.id, SENT)]
    assert phone.sync_once().ok
    assert phone.store.item(draft.id) is None
    phone.store.reproject_all()
    assert phone.store.item(draft.id) is None
    assert {i.id for i in ws.list_items(ItemFilter()).items} == {e.item_id for e in reports}

    # A replay of the same three events (an answer lost on the way) changes nothing on the server.
    count = server_event_count(ctx)
    with ApiClient(server.url, token=token) as api:
        results = api.push(PushRequest(device_id=phone.store.device_id(),
                                       events=[envelope(e) for e in entries])).results
    assert [r.status for r in results] == ["duplicate"] * 3
    assert server_event_count(ctx) == count
    with read_session(ctx.engine) as session:
        kinds = session.exec(select(EventRow.kind).where(EventRow.item_id == draft.id)).all()
    assert kinds == [VISITED]
