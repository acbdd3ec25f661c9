"""Cross-inspection rounds on the field client: they come down with each sync round, stay with the server
away and the app restarted, and a cross visit walked offline naming the one that fits is taken (issue 11)."""

from datetime import date, datetime, timezone

import httpx

from inspector.domain.rounds import fitting_rounds
from inspector.domain.visit_drafts import VisitDraft
from inspector.errors import ServerUnreachable
from inspector.services import campaigns
from inspector.services.visit_recording import new_id
from inspector.store import campaigns as round_store
from inspector.store.campaigns import RoundPublic
from inspector.store.engine import read_session
from inspector.sync import check_rounds
from tests.factories import person, registered_site
from tests.sync.conftest import PASSWORD, photo_of

STARTED = datetime(2026, 7, 15, 2, 0, tzinfo=timezone.utc)  # 10:00 on 07-15 in the campaign's zone
DAY = date(2026, 7, 15)


def cross_visit(ws, site_id: str, round_id: str | None, photo: str) -> VisitDraft:
    """A cross visit of ``site_id`` naming ``round_id``: its first point failed with ``photo``, the rest passed."""
    site = next(s for s in ws.sites() if s.id == site_id)
    checklist = ws.visits.checklist(site.kind)
    draft = VisitDraft(id=new_id(), site_id=site.id, checklist_id=checklist.id, check_type="cross",
                       started_at=STARTED, round_id=round_id)
    for point in checklist.points:
        draft = draft.mark(point.code, "pass")
    first = checklist.points[0].code
    return draft.mark(first, "fail").with_photos(first, (photo,))


def test_rounds_come_down_each_round_stay_offline_and_a_visit_naming_one_is_taken(ctx, server_process, phones):
    boss = person(ctx, "wang", "supervisor")
    gardener = person(ctx, "liu", "office_staff", office="landscaping")
    site_id = registered_site(ctx, "滨江花园三期工地", office="construction")
    first = campaigns.create_round(ctx, boss, "第一轮交叉检查", "landscaping", "construction",
                                   date(2026, 7, 13), date(2026, 7, 17))
    server = server_process(clock_start=STARTED).start()
    phone = phones(server.url)
    ws = phone.login("liu", PASSWORD)
    assert ws.visits.rounds() == []  # before the first sync round: none known here

    assert phone.sync_once().ok
    [kept] = ws.visits.rounds()
    assert (kept.id, kept.name, kept.inspecting_office, kept.inspected_office, kept.starts, kept.ends) == (
        first.id, "第一轮交叉检查", "landscaping", "construction", date(2026, 7, 13), date(2026, 7, 17))

    # A round made while the phone is at work arrives with the next sync round.
    second = campaigns.create_round(ctx, boss, "第二轮交叉检查", "construction", "landscaping",
                                    date(2026, 7, 20), date(2026, 7, 24))
    assert phone.sync_once().ok
    assert {r.id for r in ws.visits.rounds()} == {first.id, second.id}

    # The server away and the app started again: the rounds are still here, and the one that fits is known.
    server.kill()
    assert isinstance(phone.sync_once().error, ServerUnreachable)
    phone.close()
    phone = phones(server.url)
    ws = phone.workspace()
    rounds = ws.visits.rounds()
    assert {r.id for r in rounds} == {first.id, second.id}
    assert [r.id for r in fitting_rounds(gardener, rounds, "construction", DAY)] == [first.id]
    assert fitting_rounds(gardener, rounds, "landscaping", DAY) == []  # its own office: another team's

    # A cross visit walked offline naming it: the visit and its failed point's report carry the round ...
    draft = cross_visit(ws, site_id, first.id, photo_of(ws, 51))
    ws.visits.finish(draft)
    assert [e.payload.get("round") for e in phone.store.outbox()] == [first.id, first.id]
    # ... and the server, back, takes both.
    server.start()
    report = phone.sync_once()
    assert report.ok and (report.pushed, report.rejected) == (2, 0), report
    token = phone.store.get("token")
    answer = httpx.get(f"{server.url}/api/visits/{draft.id}", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["round"] == first.id and len(answer.json()["items"]) == 1


def test_the_kept_rounds_are_exactly_the_servers(phones):
    phone = phones("http://127.0.0.1:9")  # never asked: the answers are handed to the store

    def made(round_id: str, name: str, inspecting: str = "landscaping") -> RoundPublic:
        return RoundPublic(id=round_id, name=name, inspecting_office=inspecting, inspected_office="construction",
                           starts=date(2026, 7, 13), ends=date(2026, 7, 17), created_by="boss", created_at=STARTED)

    def kept() -> dict[str, str]:
        with read_session(phone.store.engine) as session:
            return {r.id: r.name for r in round_store.rounds(session)}

    check_rounds.keep(phone.store, [made("r-1", "第一轮"), made("r-2", "第二轮")])
    assert kept() == {"r-1": "第一轮", "r-2": "第二轮"}
    # renamed on the server, one gone, one of an office this app does not know: exactly the server's known ones
    check_rounds.keep(phone.store, [made("r-1", "第一轮（改）"), made("r-3", "新办的", inspecting="newcomer")])
    assert kept() == {"r-1": "第一轮（改）"}
