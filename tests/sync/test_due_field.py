"""The visits due on the field client: a sync round keeps GET /api/visits/due, 待办 reads it offline,
nearest first; a site visited on this device drops out at once; days overdue count on offline."""

from inspector.domain.visit_drafts import VisitDraft
from inspector.services.visit_recording import new_id
from inspector.store.field import state as keys
from tests.factories import person, registered_site
from tests.sync.conftest import PASSWORD
from tests.sync.test_oversight_field import Switch

NEAR = (30.2741, 120.1551)
FAR = (30.2941, 120.1551)  # about 2.2 km north


def passed(ws, site_id: str, check_type: str) -> VisitDraft:
    """A visit of ``site_id`` with every point of its current checklist passed."""
    site = next(s for s in ws.sites() if s.id == site_id)
    checklist = ws.visits.checklist(site.kind)
    draft = VisitDraft(id=new_id(), site_id=site_id, checklist_id=checklist.id, check_type=check_type,
                       started_at=ws.now())
    for point in checklist.points:
        draft = draft.mark(point.code, "pass")
    return draft


def test_the_due_list_is_kept_for_offline_and_a_site_visited_here_drops_out(ctx, clock, live, phones):
    person(ctx, "jianzhu", "office_staff", "construction")
    far = registered_site(ctx, "城东工地", lat=FAR[0], lon=FAR[1])
    near = registered_site(ctx, "滨江工地", lat=NEAR[0], lon=NEAR[1])
    registered_site(ctx, "阳光小区", kind="community", office="real_estate")  # another office's: not due here
    switch = Switch()
    phone = phones(live.url, clock=clock, transport=switch)
    ws = phone.login("jianzhu", PASSWORD)
    assert phone.sync_once().ok
    kept = phone.store.get_json(keys.DUE)
    assert [d["site"] for d in kept["due"]] == sorted([far, near]) and kept["at"] == clock().isoformat()

    switch.online = False
    due = ws.visits_due(*NEAR)
    assert [(v.due.site_id, v.site.name, v.days_overdue) for v in due] == [(near, "滨江工地", 7), (far, "城东工地", 7)]
    assert due[0].distance_m < 1 and 2000 < due[1].distance_m < 2400
    assert [v.due.site_id for v in ws.visits_due(None, None)] == sorted([far, near])  # no fix: by due day
    clock.advance(days=2)
    assert [v.days_overdue for v in ws.visits_due(*NEAR)] == [9, 9]  # the days count on offline

    # a visit made here, waiting in the outbox, takes the site off the list at once (for that check only)
    ws.visits.finish(passed(ws, near, "self"))
    assert [v.due.site_id for v in ws.visits_due(*NEAR)] == [far]
    assert phone.sync_once().ok is False  # still offline: the list stays as kept
    assert [d["site"] for d in phone.store.get_json(keys.DUE)["due"]] == sorted([far, near])
    # back online: the visit goes up first, then the list comes as the server has it now
    switch.online = True
    assert phone.sync_once().ok
    assert [d["site"] for d in phone.store.get_json(keys.DUE)["due"]] == [far]
    assert [v.due.site_id for v in ws.visits_due(*NEAR)] == [far]


def test_a_round_brings_the_list_as_the_server_has_it_now(ctx, clock, live, phones):
    person(ctx, "xuncha", "inspector")
    yard = registered_site(ctx, "滨江工地")
    phone = phones(live.url, clock=clock)
    ws = phone.login("xuncha", PASSWORD)
    clock.advance(days=-1)  # 14 July: the fortnightly supervisor check is due tomorrow
    assert phone.sync_once().ok and ws.visits_due(None, None) == []
    clock.advance(days=1, hours=1)
    assert phone.sync_once().ok
    [entry] = ws.visits_due(None, None)
    assert (entry.due.site_id, entry.due.check_type, entry.days_overdue) == (yard, "supervisor", 0)
