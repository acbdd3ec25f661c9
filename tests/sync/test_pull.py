"""Coming down: paged pulls, a cursor that never runs ahead, and items that become visible later."""

import httpx
from sqlmodel import select

from inspector.services import events
from inspector.store.engine import read_session
from inspector.store.models import EventRow, Site
from inspector.store.queries import ItemFilter
from tests.factories import event, person, reported, stored_photo
from tests.sync.conftest import PASSWORD, assert_matches_server, photo_of, report_payload


class PullsFailAfter(httpx.BaseTransport):
    """Real HTTP, except that pulls after the first ``n`` cannot connect."""

    def __init__(self, n: int):
        self.inner, self.n, self.pulls = httpx.HTTPTransport(), n, 0

    def handle_request(self, request):
        if request.url.path == "/api/sync/pull":
            self.pulls += 1
            if self.pulls > self.n:
                raise httpx.ConnectError("network is unreachable", request=request)
        return self.inner.handle_request(request)

    def close(self):
        self.inner.close()


def _reports(ctx, boss, count: int) -> list[str]:
    """Items reported (and commented on) on the server; all go to the construction office."""
    photo = stored_photo(ctx, boss, 50)
    ids = []
    for n in range(count):
        first = reported(photo=photo, description=f"问题 {n}")
        events.record_one(ctx, boss, first)
        events.record_one(ctx, boss, event(first.item_id, "commented", 0, text=f"说明 {n}"))
        ids.append(first.item_id)
    return ids


def _visible_seqs(ctx, item_ids) -> list[int]:
    with read_session(ctx.engine) as session:
        return sorted(session.exec(select(EventRow.seq).where(EventRow.item_id.in_(item_ids))).all())


def test_pull_pages_until_done_and_keeps_the_cursor(ctx, live, phones):
    boss = person(ctx, "boss", "supervisor")
    person(ctx, "chen", "office_staff", "construction")
    ids = _reports(ctx, boss, 5)
    phone = phones(live.url, pull_limit=3)
    ws = phone.login("chen", PASSWORD)
    report = phone.sync_once()
    assert report.ok and report.pulled == 10 and report.backfilled == 0
    assert phone.store.cursor() == max(_visible_seqs(ctx, ids))
    assert ws.list_items(ItemFilter()).total == 5
    assert all(item.comment_count == 1 and item.number for item in ws.list_items(ItemFilter()).items)
    assert_matches_server(ctx, phone)
    assert phone.sync_once().pulled == 0


def test_a_pull_cut_mid_way_keeps_the_pages_it_stored_and_resumes(ctx, live, phones):
    boss = person(ctx, "boss", "supervisor")
    person(ctx, "chen", "office_staff", "construction")
    ids = _reports(ctx, boss, 4)
    transport = PullsFailAfter(2)
    phone = phones(live.url, pull_limit=3, transport=transport)
    phone.login("chen", PASSWORD)

    cut = phone.sync_once()
    assert cut.error is not None and cut.pulled == 6
    seqs = _visible_seqs(ctx, ids)
    assert phone.store.cursor() == seqs[5]  # exactly the end of what is stored
    with read_session(phone.store.engine) as session:
        assert sorted(session.exec(select(EventRow.seq)).all()) == seqs[:6]

    transport.n = 99
    done = phone.sync_once()
    assert done.ok and done.pulled == 2
    assert_matches_server(ctx, phone)


def test_an_item_assigned_to_my_office_later_comes_with_its_whole_timeline(ctx, live, phones):
    boss = person(ctx, "boss", "supervisor")
    person(ctx, "lin", "office_staff", "landscaping")
    ids = _reports(ctx, boss, 3)
    own = reported(photo=stored_photo(ctx, boss, 51), category="loose_soil")  # landscaping's from the start
    events.record_one(ctx, boss, own)
    phone = phones(live.url, pull_limit=2)
    ws = phone.login("lin", PASSWORD)
    assert phone.sync_once().pulled == 1  # only landscaping's item; the cursor is past the others now
    assert phone.store.cursor() > max(_visible_seqs(ctx, ids))

    moved = ids[1]
    events.record_one(ctx, boss, event(moved, "assigned", 1, office="landscaping", leader="林处长",
                                       deadline="2026-07-20"))
    events.record_one(ctx, boss, event(moved, "commented", 0, text="转园林处"))
    report = phone.sync_once()
    assert report.ok and report.backfilled == 1 and report.pulled == 4
    view = ws.item(moved)
    assert [e.kind for e in view.timeline] == ["reported", "commented", "assigned", "commented"]
    assert (view.item.office, view.item.status, view.item.version) == ("landscaping", "assigned", 2)
    assert {i.id for i in ws.list_items(ItemFilter()).items} == {moved, own.item_id}
    assert_matches_server(ctx, phone)

    # And the office can act on it at once, from the backfilled state.
    ack = ws.record("acknowledged", moved, view.item.version, {})
    ws.record("fix_submitted", moved, ack.version, {"photos": [photo_of(ws, 5)], "note": "已补种"})
    assert phone.sync_once().pushed == 2
    assert_matches_server(ctx, phone)


def test_sites_are_refreshed(ctx, live, phones):
    person(ctx, "li", "inspector")
    from inspector.store.engine import write_session

    with write_session(ctx.engine) as session:
        session.add(Site(id="s1", name="滨江工地", kind="construction_site", office_code="construction",
                         lat=30.2, lon=120.2))
    phone = phones(live.url)
    ws = phone.login("li", PASSWORD)
    assert phone.sync_once().ok
    assert [(s.id, s.name) for s in ws.sites()] == [("s1", "滨江工地")]
    with write_session(ctx.engine) as session:
        session.delete(session.get(Site, "s1"))
    phone.sync_once()
    assert ws.sites() == []
    ws.record("reported", None, 0, report_payload(photo_of(ws, 1)))


def test_an_item_out_of_sight_for_a_while_is_fetched_whole_when_it_is_back(ctx, live, phones):
    boss = person(ctx, "boss", "supervisor")
    chen = person(ctx, "chen", "office_staff", "construction")
    person(ctx, "lin", "office_staff", "landscaping")
    x = _assigned(ctx, boss, "landscaping", 60)
    phone = phones(live.url)
    ws = phone.login("lin", PASSWORD)  # an office sees what it leads or supports
    assert phone.sync_once().pulled == 2

    # X goes to the construction office: out of lin's sight while it is worked on there ...
    events.record_one(ctx, boss, event(x, "assigned", 2, office="construction", leader="陈处长",
                                       deadline="2026-07-20"))
    events.record_one(ctx, chen, event(x, "acknowledged", 3))
    _assigned(ctx, boss, "landscaping", 70)  # ... while lin's cursor moves on past those events
    assert phone.sync_once().pulled == 2
    events.record_one(ctx, chen, event(x, "commented", 0, text="属园林处绿化带"))
    events.record_one(ctx, boss, event(x, "assigned", 4, office="landscaping", leader="林处长",
                                       deadline="2026-07-22"))

    report = phone.sync_once()  # only the last two of X's events are after the cursor
    assert report.ok and report.backfilled == 1
    view = ws.item(x)
    assert (view.item.version, view.item.office, view.item.status) == (5, "landscaping", "assigned")
    assert [e.kind for e in view.timeline] == ["reported", "assigned", "assigned", "acknowledged", "commented",
                                               "assigned"]
    assert_matches_server(ctx, phone)


def _assigned(ctx, boss, office: str, seed: int) -> str:
    first = reported(photo=stored_photo(ctx, boss, seed))
    events.record_one(ctx, boss, first)
    events.record_one(ctx, boss, event(first.item_id, "assigned", 1, office=office, leader="林处长",
                                       deadline="2026-07-18"))
    return first.item_id
