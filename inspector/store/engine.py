"""Engine set-up: SQLite (WAL, foreign keys, immediate write transactions) or PostgreSQL.

Writers serialise on purpose. On SQLite a write unit starts with
``BEGIN IMMEDIATE`` so two writers never deadlock upgrading read locks; on
PostgreSQL a write unit takes a transaction-scoped advisory lock so server
sequence numbers are committed in the order they are handed out, which keeps
``pull?after=SEQ`` from skipping an event committed late.
"""

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import event, make_url, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from inspector.store.private import private_sqlite

WRITE_LOCK_KEY = 7215_0001


def make_engine(url: str, echo: bool = False) -> Engine:
    """An engine for ``url`` with the per-dialect settings this product relies on."""
    if url.startswith("sqlite"):
        database = make_url(url).database
        if database and database != ":memory:" and not database.startswith("file:"):
            private_sqlite(Path(database))  # 0600 before SQLite makes it (its -wal/-shm follow the file's mode)
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30})
        _tune_sqlite(engine)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=20)


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


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A session for reading; nothing it does is committed."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """One unit of work: committed once at the end, rolled back whole on any error."""
    with engine.connect() as connection:
        if is_sqlite(engine):
            connection.info["write"] = True
        with Session(bind=connection, expire_on_commit=False) as session:
            if not is_sqlite(engine):
                session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_LOCK_KEY})
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
