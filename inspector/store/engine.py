"""Engine set-up: SQLite (WAL, foreign keys, immediate write transactions) or PostgreSQL.

Write units and what orders them:

* SQLite has one writer at a time: every write unit starts with ``BEGIN
  IMMEDIATE``, so two writers never deadlock upgrading read locks, and a unit
  sees nothing change under it. Both modes below are the same there. The
  writers of one process queue first come, first served (``WriterQueue``)
  before they ask SQLite; its busy handler is left for other processes.
* PostgreSQL: a write unit takes a transaction-scoped advisory lock on
  ``WRITE_LOCK_KEY``. By default it takes it *exclusively*, so the unit runs
  alone among writers, as every use case written before several servers
  expected (the photo sweep, a sample draw read, check and write). The event
  path (``write_session(engine, concurrent=True)``: pushes and the web UI's
  records) takes it *shared*, and so do a login's writes (ordered by their
  name's and address's own locks, ``store.logins``) and a token's renewal, so
  a rush of logins never holds pushes up: pushes run side by side, and
  only wait while an exclusive unit runs (PostgreSQL queues new shared
  requests behind a waiting exclusive one, so neither side starves). What
  keeps pushes correct among themselves is per item, not global: the batch
  locks its items first (``store.events.lock_items``), and the pull feed's
  promise comes from the sequence numbers themselves (see ``store.events``).

``concurrent`` units may fail on a conflict only a rerun resolves (a unique
key two transactions both inserted, a deadlock): ``write_session`` turns those
into ``Contended`` and the caller reruns the unit (``rerun_contended``).

``autonomous(engine)`` (PostgreSQL) is a second, small pool of autocommit
connections for a statement that must not hold its row lock until an open
transaction ends (the day's item-number counter): it commits at once, and
its pool never waits for the connections open transactions hold. Its connections are not pinged
before use (a round trip per statement): a statement on a connection found dropped is run once more on
a fresh one (``autonomous_scalar``).
"""

import threading
import weakref
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Callable, Generic, Iterator, Sequence, TypeVar

from sqlalchemy import event, make_url, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, create_engine

from inspector.store.private import private_sqlite

WRITE_LOCK_KEY = 7215_0001
# SQLSTATEs of a PostgreSQL conflict a rerun of the unit resolves: unique_violation,
# serialization_failure, deadlock_detected.
_RERUN_STATES = {"23505", "40001", "40P01"}
CONTENDED_ATTEMPTS = 4
POOL_SIZE, POOL_OVERFLOW = 20, 10
# The day's counter statement is a few hundred microseconds: its pool keeps all it may open, so a rush
# of pushes never opens and closes connections (with 2 kept, 20 pushes churned one a push).
AUTONOMOUS_POOL_SIZE = 10

T = TypeVar("T")
V = TypeVar("V")


class Contended(Exception):
    """A concurrent write unit lost a race another transaction won; running it again resolves it."""

    def __init__(self, error: DBAPIError):
        super().__init__(str(error.orig))
        self.error = error


def make_engine(url: str, echo: bool = False) -> Engine:
    """An engine for ``url`` with the per-dialect settings this product relies on."""
    if url.startswith("sqlite"):
        database = make_url(url).database
        if database and database != ":memory:" and not database.startswith("file:"):
            private_sqlite(Path(database))  # 0600 before SQLite makes it (its -wal/-shm follow the file's mode)
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30})
        _tune_sqlite(engine)
        return engine
    # As many kept as a busy server uses at once (20 pushes side by side): a connection opened past
    # ``pool_size`` is closed when given back, and opening one (a PostgreSQL backend) costs ~10 pushes'
    # CPU. The peak (pool_size + max_overflow) is what it was; several servers share one max_connections.
    return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW)


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # We emit BEGIN ourselves (below), so pysqlite must not.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        immediate = connection.info.pop("write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class WriterQueue:
    """The write units of one SQLite engine in this process, one at a time in the order they came.

    SQLite's own wait for its write lock polls: a writer that finds it taken sleeps 1, 2, 5 ... then
    100 ms at a time and tries again, and a writer that comes later may take the lock in between. In
    a login rush on one server a steady pusher lost that way again and again: stalls of 0.6-2.5 s,
    where PostgreSQL's queue gave 0.14-0.18 s. Here the next writer is woken the moment the last one
    ends, and nobody passes anybody."""

    def __init__(self):
        self._cond = threading.Condition()
        self._issued = 0
        self._serving = 0
        self._holder: int | None = None
        self._abandoned: set[int] = set()  # turns done or given up, not yet passed by ``_serving``

    @property
    def waiting(self) -> int:
        """How many writers wait for their turn now."""
        with self._cond:
            return self._issued - self._serving - len(self._abandoned) - (self._holder is not None)

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Wait for this caller's turn and hold it for the block."""
        me = threading.get_ident()
        with self._cond:
            if self._holder == me:  # it would wait for itself for ever
                raise RuntimeError("a write unit was opened inside another on the same thread")
            ticket = self._issued
            self._issued += 1
            try:
                self._cond.wait_for(lambda: self._serving == ticket)
            except BaseException:  # interrupted while waiting: the turn is given up, not lost to everyone after
                self._give_up(ticket)
                raise
            self._holder = me
        try:
            yield
        finally:
            with self._cond:
                self._holder = None
                self._give_up(ticket)

    def _give_up(self, ticket: int) -> None:
        """Let the turns after ``ticket`` come (called holding the condition's lock)."""
        self._abandoned.add(ticket)
        while self._serving in self._abandoned:
            self._abandoned.remove(self._serving)
            self._serving += 1
        self._cond.notify_all()


class PerEngine(Generic[V]):
    """One ``factory()`` value per engine, made on first use and gone with the engine."""

    def __init__(self, factory: Callable[[], V]):
        self._factory = factory
        self._made: "weakref.WeakKeyDictionary[Engine, V]" = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def of(self, engine: Engine) -> V:
        """``engine``'s value."""
        with self._lock:
            found = self._made.get(engine)
            if found is None:
                found = self._made[engine] = self._factory()
            return found


_WRITERS = PerEngine(WriterQueue)


def writers(engine: Engine) -> WriterQueue:
    """The queue of ``engine``'s write units in this process (SQLite)."""
    return _WRITERS.of(engine)


_AUTONOMOUS: dict[Engine, Engine] = {}
_AUTONOMOUS_LOCK = threading.Lock()


def autonomous(engine: Engine) -> Engine:
    """The autocommit engine beside ``engine`` (PostgreSQL): each statement commits on its own at once.

    Made on first use and disposed with ``engine``."""
    with _AUTONOMOUS_LOCK:
        found = _AUTONOMOUS.get(engine)
        if found is None:
            found = _AUTONOMOUS[engine] = create_engine(engine.url, pool_size=AUTONOMOUS_POOL_SIZE, max_overflow=0,
                                                       isolation_level="AUTOCOMMIT",
                                                       # autocommit: never a transaction to roll back
                                                       pool_reset_on_return=None)
            if not event.contains(engine, "engine_disposed", _dispose_autonomous):
                event.listen(engine, "engine_disposed", _dispose_autonomous)
        return found


# Keyed by the statement itself: only statements built once (module constants) are run this way.
_DRIVER_SQL: dict[tuple[str, object], tuple[str, object]] = {}


def _driver_sql(engine: Engine, statement) -> tuple[str, object]:
    """``statement`` compiled once for ``engine``'s dialect: its SQL text, and the compiled form that
    names its parameters."""
    key = (engine.dialect.name, statement)
    found = _DRIVER_SQL.get(key)
    if found is None:
        compiled = statement.compile(dialect=engine.dialect)
        found = _DRIVER_SQL[key] = (str(compiled), compiled)
    return found


def autonomous_scalar(engine: Engine, statement, parameters: dict | None = None) -> object:
    """The one value ``statement`` returns (with ``parameters``: plain values, no type processing), run on
    ``autonomous(engine)`` and committed at once.

    Compiled once and run on the driver's own cursor: through SQLAlchemy's connection and result the
    statement cost three to four times its driver's CPU, and a push runs it every time. Without a
    pre-ping a pooled connection the server dropped fails its statement: the pool then drops it (and
    the others, as old), and the statement runs once more on a fresh one. A statement whose connection
    broke after it committed runs twice; the day's counter only skips numbers then."""
    pool = autonomous(engine)
    sql, compiled = _driver_sql(pool, statement)
    values = compiled.construct_params(parameters or {})
    for attempt in range(2):
        raw = pool.raw_connection()
        try:
            cursor = raw.driver_connection.cursor()
            try:
                cursor.execute(sql, values)
                rows = cursor.fetchall()
            finally:
                cursor.close()
        except pool.dialect.loaded_dbapi.Error as error:
            dropped = pool.dialect.is_disconnect(error, raw.dbapi_connection, None)
            if dropped:
                raw.invalidate(error)
                pool.dispose()  # the others were opened before the server dropped them too
            else:
                raw.close()
            if attempt or not dropped:
                # As SQLAlchemy raises it: a write unit tells a conflict a rerun resolves by its SQLSTATE.
                raise DBAPIError.instance(sql, values, error, pool.dialect.loaded_dbapi.Error,
                                          connection_invalidated=dropped, dialect=pool.dialect) from error
            continue
        except BaseException:
            raw.close()
            raise
        raw.close()
        if len(rows) != 1:
            raise ValueError(f"expected one row, got {len(rows)}")
        return rows[0][0]
    raise AssertionError("unreachable")


def _dispose_autonomous(engine: Engine) -> None:
    with _AUTONOMOUS_LOCK:
        found = _AUTONOMOUS.pop(engine, None)
    if found is not None:
        found.dispose()


SEQ_SHIFT = 20  # on PostgreSQL seq = xid << SEQ_SHIFT | n (migration 0009)
# The oldest transaction of this database that was in progress when this statement began, or the next
# transaction id if none was: every xid below it had ended by then. The in-progress xids are the
# statement's snapshot's (full 64-bit xid8); pg_stat_activity, read after that snapshot was taken,
# says which of them belong to this database (its backend_xid is the low 32 bits). One that ended
# between the two is left out, rightly: it ended before the feed's own, later, snapshot.
_HORIZON = text(f"""
SELECT least(pg_snapshot_xmax(s)::text::bigint,
             (SELECT min(x::text::bigint) FROM pg_snapshot_xip(s) AS x
              WHERE x::text::bigint % 4294967296 IN (
                  SELECT a.backend_xid::text::bigint FROM pg_stat_activity AS a
                  WHERE a.datname = current_database() AND a.backend_xid IS NOT NULL))) << {SEQ_SHIFT}
FROM pg_current_snapshot() AS s
""")


def feed_horizon(session: Session) -> int | None:
    """PostgreSQL: the pull feed serves only ``seq`` below this (``None``: no bound, SQLite).

    Taken in a statement of its own, before the feed's query: see ``inspector.store.events``."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    return session.execute(_HORIZON).scalar_one()


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A session for reading; nothing it does is committed."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


# A push's write unit opens with one statement, one round trip: the global lock shared, then its items'
# locks in ascending order. The CASE makes the items' array wait for the shared lock: a function scan's
# argument is evaluated before it yields its first row, so the order is the one separate statements had.
_SHARED_THEN_ITEMS = text(
    "SELECT count(pg_advisory_xact_lock(k)) FROM unnest(CASE WHEN pg_advisory_xact_lock_shared(:g) IS NULL "
    "THEN NULL ELSE CAST(:keys AS bigint[]) END) AS k")


def bigint_array(keys: Sequence[int]) -> str:
    """``keys`` as PostgreSQL's text form of an array (``{1,-2}``), for ``CAST(:keys AS bigint[])``: psycopg
    dumps a Python list of ints element by element in Python, a tenth of a push's CPU for two keys."""
    return "{" + ",".join(str(int(k)) for k in keys) + "}"


@contextmanager
def write_session(engine: Engine, concurrent: bool = False,
                  item_keys: Sequence[int] | None = None) -> Iterator[Session]:
    """One unit of work: committed once at the end, rolled back whole on any error.

    ``concurrent`` (PostgreSQL): run beside other concurrent units instead of
    alone; the unit orders itself against them by row or item locks, and a
    conflict only a rerun resolves is raised as ``Contended``. ``item_keys``
    (with ``concurrent``): the unit's own advisory locks, ascending (an item's,
    ``store.events.item_lock_keys``; a login's, ``store.logins.throttle_keys``),
    taken with the shared lock, in the same statement.
    """
    sqlite = is_sqlite(engine)
    with ExitStack() as held:
        if sqlite:  # the turn first: a writer waiting its turn holds no pooled connection
            held.enter_context(writers(engine).turn())
        connection = held.enter_context(engine.connect())
        if sqlite:
            connection.info["write"] = True
        with Session(bind=connection, expire_on_commit=False) as session:
            if not sqlite and concurrent and item_keys is not None:
                session.execute(_SHARED_THEN_ITEMS, {"g": WRITE_LOCK_KEY, "keys": bigint_array(item_keys)})
            elif not sqlite:
                lock = "pg_advisory_xact_lock_shared" if concurrent else "pg_advisory_xact_lock"
                session.execute(text(f"SELECT {lock}(:k)"), {"k": WRITE_LOCK_KEY})
            try:
                yield session
                session.commit()
            except DBAPIError as error:
                session.rollback()
                if concurrent and not sqlite and getattr(error.orig, "sqlstate", None) in _RERUN_STATES:
                    raise Contended(error) from error
                raise
            except BaseException:
                session.rollback()
                raise


def rerun_contended(work: Callable[[], T], attempts: int = CONTENDED_ATTEMPTS) -> T:
    """``work()`` (which opens its own concurrent write unit), run again while it is ``Contended``;
    the database's own error once ``attempts`` runs all lost."""
    for attempt in range(attempts):
        try:
            return work()
        except Contended as contended:
            if attempt == attempts - 1:
                raise contended.error from None
    raise AssertionError("unreachable")
