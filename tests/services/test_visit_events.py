"""Visits through the one write path: a visit and its failed points' reports in one batch, replayed,
refused, read back; the log's other readers pass over the visit's event."""

import pytest
from sqlmodel import select

from inspector.domain.roles import Role
from inspector.domain.visits import VISITED
from inspector.errors import VisitNotFound
from inspector.services import events, maintenance, sync, visits
from inspector.store.engine import read_session
from inspector.store.models import EventRow, Item, VisitRow
from inspector.store.visits import VisitFilter
from tests.factories import checklist_row, person, registered_site, reported, stored_photo, visit_event

RESULTS = {"hoarding": "pass", "wheel_wash": "fail", "garbage": "fail", "canteen": "na"}


@pytest.fixture
def walk(ctx):
    """An inspector at a construction site with a checklist, two photos of its failed points."""
    walker = person(ctx, "xunchayuan", Role.INSPECTOR)
    site = registered_site(ctx, "城南工地")
    checklist = checklist_row(ctx)
    photos = [stored_photo(ctx, walker, seed=n) for n in (1, 2)]
    return walker, site, checklist, photos


def batch_of(site, checklist, photos, results=RESULTS, **visit_payload):
    visit = visit_event(site, checklist, results, **visit_payload)
    failed = [("wheel_wash", "vehicle_washing"), ("garbage", "site_garbage")]
    reports = [reported(photo=photo, category=category, office="construction", site=site, check_type="supervisor",
                        visit=visit.item_id, check_point=code)
               for (code, category), photo in zip(failed, photos)]
    return visit, reports


def test_a_visit_and_its_failed_points_arrive_linked(ctx, walk):
    walker, site, checklist, photos = walk
    visit, reports = batch_of(site, checklist, photos)
    outcomes = events.push(ctx, walker, [visit, *reports], "phone-1")
    assert [o.status for o in outcomes] == ["accepted"] * 3, [o.error for o in outcomes]
    assert outcomes[0].item is None and outcomes[0].seq < outcomes[1].seq < outcomes[2].seq
    seen = visits.visit(ctx, walker, visit.item_id)
    assert (seen.site, seen.site_name, seen.office, seen.check_type) == (site, "城南工地", "construction", "supervisor")
    assert (seen.met, seen.applicable, seen.starred_failed, seen.passed) == (1, 3, 1, False)
    assert seen.items == tuple(r.item_id for r in reports)
    assert seen.visitor_name == "xunchayuan"
    with read_session(ctx.engine) as session:
        row = session.get(VisitRow, visit.item_id)
        assert row.last_seq == outcomes[0].seq and row.checklist_version >= 1
        stored = session.exec(select(EventRow).where(EventRow.id == visit.id)).one()
        assert (stored.kind, stored.item_id, stored.base_version) == (VISITED, visit.item_id, 0)
        items = {i.id: i for i in session.exec(select(Item)).all()}
        assert [items[r.item_id].visit_id for r in reports] == [visit.item_id] * 2
        assert [items[r.item_id].check_point for r in reports] == ["wheel_wash", "garbage"]
        assert session.get(Item, visit.item_id) is None  # a visit is no item


def test_a_replayed_batch_is_a_duplicate_and_changes_nothing(ctx, walk):
    walker, site, checklist, photos = walk
    visit, reports = batch_of(site, checklist, photos)
    first = events.push(ctx, walker, [visit, *reports])
    again = events.push(ctx, walker, [visit, *reports])
    assert [o.status for o in again] == ["duplicate"] * 3
    assert [o.seq for o in again] == [o.seq for o in first]
    assert visits.visit(ctx, walker, visit.item_id).items == tuple(r.item_id for r in reports)
    with read_session(ctx.engine) as session:
        assert len(session.exec(select(VisitRow)).all()) == 1 and len(session.exec(select(Item)).all()) == 2


def test_the_same_visit_id_with_other_results_is_a_conflict(ctx, walk):
    walker, site, checklist, photos = walk
    visit, _ = batch_of(site, checklist, photos)
    assert events.push(ctx, walker, [visit])[0].status == "accepted"
    other = visit_event(site, checklist, {**RESULTS, "garbage": "pass"}, visit_id=visit.item_id)
    [outcome] = events.push(ctx, walker, [other])
    assert (outcome.status, outcome.error.code) == ("rejected", "visit.exists")
    reused = visit_event(site, checklist, RESULTS)
    reused = type(reused)(**{**reused.__dict__, "id": visit.id})  # the same event id, another visit
    [outcome] = events.push(ctx, walker, [reused])
    assert (outcome.status, outcome.error.code) == ("rejected", "event.conflict")


def test_a_report_naming_a_passed_point_is_refused(ctx, walk):
    walker, site, checklist, photos = walk
    visit, [good, _] = batch_of(site, checklist, photos)
    passed = reported(photo=photos[1], category="site_cleaning", office="construction", site=site,
                      check_type="supervisor", visit=visit.item_id, check_point="hoarding")
    outcomes = events.push(ctx, walker, [visit, good, passed])
    assert [o.status for o in outcomes] == ["accepted", "accepted", "rejected"]
    assert outcomes[2].error.code == "visit.point_not_failed"
    assert visits.visit(ctx, walker, visit.item_id).items == (good.item_id,)


def test_a_report_before_its_visit_is_refused_with_a_clear_code_and_passes_once_the_visit_is_in(ctx, walk):
    walker, site, checklist, photos = walk
    visit, reports = batch_of(site, checklist, photos)
    outcomes = events.push(ctx, walker, [reports[0], visit, reports[1]])
    assert [o.status for o in outcomes] == ["rejected", "accepted", "accepted"]
    assert outcomes[0].error.code == "visit.unknown" and outcomes[0].error.retryable
    [retried] = events.push(ctx, walker, [reports[0]])  # the field client retries it: not kept as refused
    assert retried.status == "accepted"
    assert set(visits.visit(ctx, walker, visit.item_id).items) == {r.item_id for r in reports}


def test_a_report_of_another_persons_visit_is_refused(ctx, walk):
    walker, site, checklist, photos = walk
    visit, reports = batch_of(site, checklist, photos)
    events.push(ctx, walker, [visit])
    other = person(ctx, "xunchayuan2", Role.INSPECTOR)
    photo = stored_photo(ctx, other, seed=9)
    theirs = reported(photo=photo, category="vehicle_washing", office="construction", site=site,
                      check_type="supervisor", visit=visit.item_id, check_point="wheel_wash")
    [outcome] = events.push(ctx, other, [theirs])
    assert outcome.error.code == "visit.unknown"  # another inspector does not see the visit at all
    boss = person(ctx, "dudao", Role.SUPERVISOR)
    theirs = reported(photo=stored_photo(ctx, boss, seed=10), category="vehicle_washing", office="construction",
                      site=site, check_type="supervisor", visit=visit.item_id, check_point="wheel_wash")
    [outcome] = events.push(ctx, boss, [theirs])
    assert (outcome.error.code, outcome.error.details["field"]) == ("visit.report_mismatch", "reported_by")


def test_a_point_without_its_visit_and_an_id_clash_are_refused(ctx, walk):
    walker, site, checklist, photos = walk
    visit, reports = batch_of(site, checklist, photos)
    events.push(ctx, walker, [visit])
    orphan = reported(photo=photos[0], check_point="wheel_wash")
    clash = reported(item_id=visit.item_id, photo=photos[1])
    outcomes = events.push(ctx, walker, [orphan, clash])
    assert [o.error.code for o in outcomes] == ["event.invalid_payload", "item.exists"]
    item_id = events.push(ctx, walker, [reported(photo=photos[0])])[0].item.id
    [outcome] = events.push(ctx, walker, [visit_event(site, checklist, RESULTS, visit_id=item_id)])
    assert outcome.error.code == "visit.exists"


def test_other_offices_see_no_visit_of_a_site_not_theirs(ctx, walk):
    walker, site, checklist, photos = walk
    visit, _ = batch_of(site, checklist, photos)
    events.push(ctx, walker, [visit])
    own = person(ctx, "jianzhu", Role.OFFICE_STAFF, "construction")
    other = person(ctx, "yuanlin", Role.OFFICE_STAFF, "landscaping")
    assert [v.id for v in visits.visits(ctx, own, VisitFilter()).visits] == [visit.item_id]
    assert visits.visits(ctx, other, VisitFilter()).total == 0
    with pytest.raises(VisitNotFound):
        visits.visit(ctx, other, visit.item_id)
    assert visits.visits(ctx, own, VisitFilter(office="landscaping")).total == 0
    assert visits.visits(ctx, own, VisitFilter(site=site, since=ctx.now())).total == 1
    assert visits.visits(ctx, own, VisitFilter(until=ctx.now())).total == 0


def test_the_logs_other_readers_pass_over_visits(ctx, walk):
    walker, site, checklist, photos = walk
    visit, reports = batch_of(site, checklist, photos)
    events.push(ctx, walker, [visit, *reports])
    page = sync.pull(ctx, walker, 0, 100)
    assert [e.kind for e in page.events] == ["reported", "reported"]  # visits are not pulled
    assert maintenance.check(ctx) == []  # the projection check rebuilds items from their logs alone


def test_two_writers_linking_one_visit_wait_for_each_other_and_both_link(ctx, walk):
    """PostgreSQL: a visit's id is locked like an item's, so the second writer reads the first's link."""
    import threading  # lazy: only this test runs writers side by side
    import time
    from concurrent.futures import ThreadPoolExecutor

    from sqlalchemy import text

    from inspector.store.engine import is_sqlite, write_session

    if is_sqlite(ctx.engine):
        pytest.skip("PostgreSQL only: SQLite has one writer at a time")
    walker, site, checklist, photos = walk
    visit, reports = batch_of(site, checklist, photos)
    events.push(ctx, walker, [visit])
    inside, release = threading.Event(), threading.Event()

    def first():
        with write_session(ctx.engine, concurrent=True) as session:
            outcomes = events.apply_batch(session, ctx, walker, [reports[0]], "dev")
            inside.set()
            assert release.wait(60)
        return outcomes

    def waiting() -> bool:
        with read_session(ctx.engine) as session:
            return bool(session.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                                              "current_database() AND wait_event_type = 'Lock'")).scalar_one())

    with ThreadPoolExecutor(2) as pool:
        one = pool.submit(first)
        assert inside.wait(60)
        two = pool.submit(events.push, ctx, walker, [reports[1]])
        deadline = time.monotonic() + 60
        while not waiting():  # the second writer waits for the visit's lock
            assert not two.done(), two.result()
            assert time.monotonic() < deadline, "the second writer never waited"
        release.set()
        assert [o.status for o in one.result() + two.result()] == ["accepted", "accepted"]
    assert visits.visit(ctx, walker, visit.item_id).items == tuple(r.item_id for r in reports)
