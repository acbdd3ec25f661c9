"""SQLite's writers in one process: first come, first served, woken by the one before, never by a poll.

The threads are ordered by what the queue says is waiting, never by sleeping."""

import signal
import threading

import pytest
from sqlalchemy import text

from inspector.store.engine import is_sqlite, read_session, write_session, writers
from tests.conftest import until

WAIT = 60


@pytest.fixture
def sqlite(ctx):
    if not is_sqlite(ctx.engine):
        pytest.skip("SQLite only: PostgreSQL orders writers by its own locks")
    with write_session(ctx.engine) as session:
        session.execute(text("CREATE TABLE arrivals (n INTEGER PRIMARY KEY AUTOINCREMENT, who TEXT)"))
    return ctx


def test_writers_that_wait_get_their_turn_in_the_order_they_came(sqlite):
    queue = writers(sqlite.engine)
    release = threading.Event()
    holder = holding_the_turn(sqlite, release)
    assert queue.waiting == 0
    queued = []
    for n, who in enumerate(["b", "c", "d", "e"], start=1):
        queued.append(threading.Thread(target=arrive, args=(sqlite, who)))
        queued[-1].start()
        assert until(lambda n=n: queue.waiting == n)  # each arrives after the one before is queued
    # A reader is never held up by the queue.
    assert arrivals(sqlite) == []
    release.set()
    for thread in [holder, *queued]:
        thread.join(WAIT)
    assert arrivals(sqlite) == ["first", "b", "c", "d", "e"] and queue.waiting == 0


def test_a_write_unit_opened_inside_another_on_one_thread_is_an_error_not_a_hang(sqlite):
    with write_session(sqlite.engine):
        with pytest.raises(RuntimeError, match="inside another"):
            with write_session(sqlite.engine):
                pass
    # The queue is whole again: the next unit gets its turn.
    with write_session(sqlite.engine) as session:
        session.execute(text("INSERT INTO arrivals (who) VALUES ('after')"))
    assert arrivals(sqlite) == ["after"]


def test_a_unit_that_fails_gives_its_turn_back(sqlite):
    with pytest.raises(ZeroDivisionError):
        with write_session(sqlite.engine) as session:
            session.execute(text("INSERT INTO arrivals (who) VALUES ('lost')"))
            1 / 0
    with write_session(sqlite.engine) as session:
        session.execute(text("INSERT INTO arrivals (who) VALUES ('kept')"))
    assert arrivals(sqlite) == ["kept"] and writers(sqlite.engine).waiting == 0


class Interrupted(Exception):
    pass


def test_a_writer_interrupted_while_it_waits_gives_its_turn_up_to_those_behind_it(sqlite):
    """A Ctrl-C (any signal's exception) while waiting must not leave the turn to nobody, for ever."""
    queue = writers(sqlite.engine)
    release = threading.Event()

    def interrupt_then_queue() -> None:
        assert until(lambda: queue.waiting == 1)  # the main thread waits its turn
        signal.pthread_kill(threading.main_thread().ident, signal.SIGUSR1)
        assert until(lambda: queue.waiting == 0)  # it gave its turn up
        thread = threading.Thread(target=arrive, args=(sqlite, "behind"))
        thread.start()
        assert until(lambda: queue.waiting == 1)  # only the one behind it waits now
        release.set()
        thread.join(WAIT)

    def raise_interrupted(_signum, _frame):
        raise Interrupted()

    assert threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGUSR1, raise_interrupted)
    try:
        holder = holding_the_turn(sqlite, release)
        helper = threading.Thread(target=interrupt_then_queue)
        helper.start()
        with pytest.raises(Interrupted):
            arrive(sqlite, "interrupted")
        helper.join(WAIT)
        holder.join(WAIT)
    finally:
        signal.signal(signal.SIGUSR1, previous)
    assert arrivals(sqlite) == ["first", "behind"] and queue.waiting == 0


def holding_the_turn(ctx, release: threading.Event) -> threading.Thread:
    """A thread whose write unit records ``first`` and holds its turn until ``release``; started, inside."""
    inside = threading.Event()

    def first() -> None:
        with write_session(ctx.engine) as session:
            session.execute(text("INSERT INTO arrivals (who) VALUES ('first')"))
            inside.set()
            assert release.wait(WAIT)

    holder = threading.Thread(target=first)
    holder.start()
    assert inside.wait(WAIT)
    return holder


def arrive(ctx, who: str) -> None:
    """A write unit recording ``who``'s arrival."""
    with write_session(ctx.engine) as session:
        session.execute(text("INSERT INTO arrivals (who) VALUES (:who)"), {"who": who})


def arrivals(ctx) -> list[str]:
    with read_session(ctx.engine) as session:
        return [row[0] for row in session.execute(text("SELECT who FROM arrivals ORDER BY n"))]
