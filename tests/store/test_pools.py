"""PostgreSQL connection pools keep what a busy server uses at once, so a rush of pushes opens none.

Opening a connection (a PostgreSQL backend) costs about ten pushes' CPU. A connection a pool opens
past its ``pool_size`` is closed when given back; with the day counter's pool at 2, 20 concurrent
pushes opened and closed about one connection a push (issue 14).
"""

from contextlib import ExitStack

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import DBAPIError

from inspector.store.engine import (AUTONOMOUS_POOL_SIZE, autonomous, autonomous_scalar, bigint_array, is_sqlite,
                                    read_session)


@pytest.fixture
def pg(ctx):
    if is_sqlite(ctx.engine):
        pytest.skip("PostgreSQL only: SQLite opens no pooled server connections")
    return ctx


def _opened_over_two_rushes(engine, at_once: int) -> int:
    """How many connections ``engine`` opens while ``at_once`` are held together, given back, then again."""
    opened = []
    event.listen(engine, "connect", lambda *_: opened.append(1))
    for _ in range(2):
        with ExitStack() as held:
            for _ in range(at_once):
                held.enter_context(engine.connect()).execute(text("SELECT 1"))
    return len(opened)


def test_the_day_counters_pool_keeps_every_connection_it_opens(pg):
    engine = autonomous(pg.engine)
    assert _opened_over_two_rushes(engine, AUTONOMOUS_POOL_SIZE) <= AUTONOMOUS_POOL_SIZE


def test_the_main_pool_keeps_twenty_connections_for_twenty_pushes_at_once(pg):
    pg.engine.dispose()  # what the fixtures opened does not count
    assert _opened_over_two_rushes(pg.engine, 20) <= 20


def test_item_keys_reach_postgresql_in_their_order(pg):
    keys = [-(2**63), -5, 0, 7, 2**63 - 1]
    with read_session(pg.engine) as session:
        got = session.execute(text("SELECT CAST(:k AS bigint[])"), {"k": bigint_array(keys)}).scalar_one()
    assert got == keys


def test_a_failing_counter_statement_is_raised_as_sqlalchemy_raises_it(pg):
    """The day's counter runs on the driver's cursor; its errors keep SQLAlchemy's type and SQLSTATE
    (a write unit reruns on some of them), and its connection goes back to the pool usable."""
    with pytest.raises(DBAPIError) as raised:
        autonomous_scalar(pg.engine, text("SELECT 1 / 0"))
    assert raised.value.orig.sqlstate == "22012"
    assert autonomous_scalar(pg.engine, text("SELECT :n + 1"), {"n": 41}) == 42
