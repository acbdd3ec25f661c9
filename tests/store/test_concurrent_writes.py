"""Writers side by side on PostgreSQL: no global lock, one writer per item, and a pull feed that never skips.

The threads are ordered by barriers, events and what PostgreSQL says it is
waiting for (``pg_stat_activity``), never by sleeping. SQLite has one writer
at a time: only the pullers' test runs there too.
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text
from sqlmodel import select

from inspector.errors import StaleVersion
from inspector.services import events, sync
from inspector.store.engine import is_sqlite, read_session, write_session
from inspector.store.models import EventRow, Item
from tests.factories import event, person, reported, stored_photo

ASSIGN = {"office": "construction", "leader": "陈处长", "deadline": "2026-07-18"}
WAIT = 60  # seconds a barrier or event waits before the test fails (it is never reached when all is well)


@pytest.fixture
def pg(ctx):
    if is_sqlite(ctx.engine):
        pytest.skip("PostgreSQL only: SQLite has one writer at a time")
    return ctx


def _open_batch(ctx, actor, batch, inside: threading.Barrier | threading.Event, release: threading.Event):
    """Apply ``batch`` in a concurrent write unit, signal ``inside`` with the transaction open, commit on
    ``release``; the outcomes."""
    with write_session(ctx.engine, concurrent=True) as session:
        outcomes = events.apply_batch(session, ctx, actor, batch, "dev")
        if isinstance(inside, threading.Barrier):
            inside.wait(WAIT)
        else:
            inside.set()
        assert release.wait(WAIT)
    return outcomes


def _waiting_for_a_lock(ctx) -> bool:
    """Whether some session of this database waits for a lock right now."""
    with read_session(ctx.engine) as session:
        return bool(session.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )).scalar_one())


def _wait_until(condition) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if condition():
            return
    raise AssertionError("the condition never held")


def _pull_until(ctx, reader, cursor: int, count: int) -> list:
    """Pull from ``cursor`` until ``count`` events came (a write transaction still open on the database
    holds the feed back a moment: never needed when the test's own threads are done)."""
    found = []
    deadline = time.monotonic() + WAIT
    while len(found) < count and time.monotonic() < deadline:
        page = sync.pull(ctx, reader, cursor, 100)
        found += page.events
        cursor = page.next_after
    return found


def _items(ctx, actor, count: int, seed: int) -> list[str]:
    """``count`` items reported by ``actor``, committed: their ids."""
    photo = stored_photo(ctx, actor, seed)
    firsts = [reported(photo=photo, description=f"问题 {n}") for n in range(count)]
    events.push(ctx, actor, firsts)
    return [f.item_id for f in firsts]


def test_writers_of_different_items_hold_their_transactions_open_at_once(pg):
    boss = person(pg, "boss", "supervisor")
    one, two = _items(pg, boss, 2, 1)
    both_open, release = threading.Barrier(2), threading.Event()
    release.set()  # each commits as soon as both were open together
    with ThreadPoolExecutor(2) as pool:
        runs = [pool.submit(_open_batch, pg, boss, [event(one, "assigned", 1, **ASSIGN)], both_open, release),
                pool.submit(_open_batch, pg, boss, [event(two, "commented", 1, text="同时")], both_open, release)]
        # Under a global write lock the second transaction could not begin while the first is open:
        # the barrier would break instead of letting both through.
        outcomes = [run.result(WAIT) for run in runs]
    assert [o.status for [o] in outcomes] == ["accepted", "accepted"]


def test_new_reports_do_not_wait_for_each_other_not_even_for_the_days_number(pg):
    """The day's counter row is the one thing two reports share: its UPSERT commits at once."""
    boss = person(pg, "boss", "supervisor")
    photo = stored_photo(pg, boss, 6)
    holding, release = threading.Event(), threading.Event()
    with ThreadPoolExecutor(1) as pool:
        one = pool.submit(_open_batch, pg, boss, [reported(photo=photo)], holding, release)
        assert holding.wait(WAIT)  # numbered, written, its transaction open
        b, c = events.push(pg, boss, [reported(photo=photo), reported(photo=photo)])  # commits meanwhile
        release.set()
        [a] = one.result(WAIT)
    assert [a.item.number, b.item.number, c.item.number] == ["2026-0715-001", "2026-0715-002", "2026-0715-003"]


def test_an_event_committed_late_with_a_lower_seq_is_not_skipped_by_a_pull_in_between(pg):
    boss = person(pg, "boss", "supervisor")
    reader = person(pg, "reader", "supervisor")
    one, two = _items(pg, boss, 2, 2)
    cursor = _pull_until(pg, reader, 0, 2)[-1].seq  # past the two reports
    early, late = event(one, "commented", 1, text="先开始后提交"), event(two, "commented", 1, text="后开始先提交")
    early_open, release = threading.Event(), threading.Event()
    with ThreadPoolExecutor(1) as pool:
        slow = pool.submit(_open_batch, pg, boss, [early], early_open, release)
        assert early_open.wait(WAIT)  # its event is written, its seq taken, its transaction open
        [quick] = events.push(pg, boss, [late])
        in_between = sync.pull(pg, reader, cursor, 100)
        release.set()
        [slow_outcome] = slow.result(WAIT)
    assert slow_outcome.seq < quick.seq  # the scenario: the lower number committed last
    # The pull in between served neither (the open transaction holds the high-water mark back) ...
    assert [e.id for e in in_between.events] == [] and in_between.next_after == cursor
    # ... and the next one serves both, in order.
    after = _pull_until(pg, reader, in_between.next_after, 2)
    assert [e.id for e in after] == [early.id, late.id]


def test_two_writers_of_one_item_are_ordered_the_second_decides_against_the_first(pg):
    boss = person(pg, "boss", "supervisor")
    other = person(pg, "other", "supervisor")
    first = reported(photo=stored_photo(pg, boss, 3))
    events.record_one(pg, boss, first)
    holding, release = threading.Event(), threading.Event()
    with ThreadPoolExecutor(2) as pool:
        one = pool.submit(_open_batch, pg, boss, [event(first.item_id, "assigned", 1, **ASSIGN)], holding, release)
        assert holding.wait(WAIT)
        # The same change from the same version, by someone else, on another connection: it must wait.
        two = pool.submit(events.push, pg, other, [event(first.item_id, "assigned", 1, **ASSIGN)])
        _wait_until(lambda: _waiting_for_a_lock(pg))
        assert not two.done()
        release.set()
        [accepted], [refused] = one.result(WAIT), two.result(WAIT)
    assert accepted.status == "accepted" and refused.status == "rejected"
    assert isinstance(refused.error, StaleVersion)  # decided against what the first one committed
    with read_session(pg.engine) as session:
        item = session.get(Item, first.item_id)
        assert item.version == 2 and item.last_seq == accepted.seq


def test_comments_on_one_item_queue_and_take_seqs_in_commit_order(pg):
    boss = person(pg, "boss", "supervisor")
    first = reported(photo=stored_photo(pg, boss, 4))
    events.record_one(pg, boss, first)
    holding, release = threading.Event(), threading.Event()
    with ThreadPoolExecutor(2) as pool:
        one = pool.submit(_open_batch, pg, boss, [event(first.item_id, "commented", 1, text="一")], holding, release)
        assert holding.wait(WAIT)
        two = pool.submit(events.push, pg, boss, [event(first.item_id, "commented", 1, text="二")])
        _wait_until(lambda: _waiting_for_a_lock(pg))
        release.set()
        [a], [b] = one.result(WAIT), two.result(WAIT)
    assert a.status == b.status == "accepted" and a.seq < b.seq
    with read_session(pg.engine) as session:
        assert session.get(Item, first.item_id).comment_count == 2


def test_one_report_pushed_twice_at_once_is_accepted_once(pg):
    boss = person(pg, "boss", "supervisor")
    report = reported(photo=stored_photo(pg, boss, 5))
    holding, release = threading.Event(), threading.Event()
    with ThreadPoolExecutor(2) as pool:
        one = pool.submit(_open_batch, pg, boss, [report], holding, release)
        assert holding.wait(WAIT)
        two = pool.submit(events.push, pg, boss, [report])  # the phone's retry after a lost answer
        _wait_until(lambda: _waiting_for_a_lock(pg))
        release.set()
        [a], [b] = one.result(WAIT), two.result(WAIT)
    assert (a.status, b.status) == ("accepted", "duplicate") and a.seq == b.seq


def test_concurrent_pullers_see_every_concurrently_pushed_event_exactly_once(ctx):
    pushers, per_pusher, pullers = 6, 15, 3
    people = [person(ctx, f"field{n}", "inspector") for n in range(pushers)]
    photos = [stored_photo(ctx, p, 10 + n) for n, p in enumerate(people)]
    reader = person(ctx, "reader", "supervisor")
    pushed: list[str] = []
    lock, start, done = threading.Lock(), threading.Barrier(pushers + pullers), threading.Event()

    def push_all(n: int) -> None:
        start.wait(WAIT)
        for k in range(per_pusher):
            first = reported(photo=photos[n], description=f"问题 {n}-{k}")
            batch = [first] if k % 3 else [first, event(first.item_id, "commented", 0, text="补充")]
            outcomes = events.push(ctx, people[n], batch)
            assert all(o.status == "accepted" for o in outcomes), outcomes
            with lock:
                pushed.extend(e.id for e in batch)

    def pull_all() -> list[tuple[int, str]]:
        seen, cursor = [], 0
        start.wait(WAIT)
        deadline = time.monotonic() + WAIT * 5
        # Until every push committed and as many events came (or the time is up, and the test says what
        # is missing): the feed may hold events back while any write transaction is open, never drop one.
        while not (done.is_set() and len(seen) >= len(pushed)) and time.monotonic() < deadline:
            page = sync.pull(ctx, reader, cursor, 7)
            seen += [(e.seq, e.id) for e in page.events]
            cursor = page.next_after
        return seen

    with ThreadPoolExecutor(pushers + pullers) as pool:
        feeds = [pool.submit(pull_all) for _ in range(pullers)]
        for run in [pool.submit(push_all, n) for n in range(pushers)]:
            run.result(WAIT * 5)
        done.set()
        results = [feed.result(WAIT * 5) for feed in feeds]
    for seen in results:
        ids = [i for _, i in seen]
        assert len(ids) == len(set(ids))  # nothing twice
        assert set(ids) == set(pushed)  # nothing missed
        assert [s for s, _ in seen] == sorted(s for s, _ in seen)
    with read_session(ctx.engine) as session:
        numbers = sorted(int(n.rsplit("-", 1)[1]) for n in session.exec(select(Item.number)).all())
        assert len(session.exec(select(EventRow.id)).all()) == len(pushed)
    assert numbers == list(range(1, pushers * per_pusher + 1))  # the day's numbers: unique, none skipped


def test_a_days_counter_connection_the_server_dropped_is_replaced_not_a_failed_push(pg):
    """The counter's pool pings nothing before a statement: one dropped connection costs a second try."""
    boss = person(pg, "boss", "supervisor")
    photo = stored_photo(pg, boss, 7)
    [first] = events.push(pg, boss, [reported(photo=photo)])  # the counter's pool holds a connection now
    with read_session(pg.engine) as session:
        dropped = session.execute(text(
            "SELECT count(pg_terminate_backend(pid, 10000)) FROM pg_stat_activity "  # waits until they are gone
            "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar_one()
    assert dropped >= 1
    [second] = events.push(pg, boss, [reported(photo=photo)])
    assert (first.status, second.status) == ("accepted", "accepted")
    assert (first.item.number, second.item.number) == ("2026-0715-001", "2026-0715-002")
