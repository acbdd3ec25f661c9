"""The SQL of photo bytes kept in the database (``shared_blobs``; INSPECTOR_BLOBS=postgres).

``inspector.photos.pg_blobs`` adapts these to the BlobStore interface. A row
is written once: ``INSERT ... ON CONFLICT DO NOTHING`` makes a second put of
a key, or two servers putting it at once, a no-op for all but the first, as
the file store's ``os.link`` does. Meant for PostgreSQL (bytea); SQLite runs
the same statements, for tests of the adapter.

Blob writes take no part in the event log's write lock (``write_session``):
a photo's bytes are stored before its row, outside any event transaction, and
serialising them behind event writes would only slow both down.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime
from typing import Iterator

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from inspector.store.engine import is_sqlite, make_engine
from inspector.store.models import SharedBlob

_TABLE = SharedBlob.__table__


def blob_engine(url: str) -> Engine:
    """An engine of its own for blob rows, on the server's database.

    A pool apart from the one events use: a photo PUT checks its blobs while it holds a
    connection and the event write lock, so with one pool, enough requests waiting on that
    lock could take every connection from the one that holds it. Small, since a blob
    statement is short (two servers stay under PostgreSQL's default 100 connections)."""
    if url.startswith("sqlite"):
        return make_engine(url)
    return create_engine(url, pool_pre_ping=True, pool_size=4, max_overflow=8)


@contextmanager
def blob_session(engine: Engine) -> Iterator[Session]:
    """A short transaction of its own for blob rows: committed at the end, rolled back on error.

    On SQLite it begins IMMEDIATE (see ``inspector.store.engine``) so a put never has to
    upgrade a read lock; on PostgreSQL it takes no advisory lock (see the module docstring)."""
    with engine.connect() as connection:
        if is_sqlite(engine):
            connection.info["write"] = True
        with Session(bind=connection, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise


def put_blob(session: Session, key: str, data: bytes, at: datetime) -> bool:
    """Insert the row of ``key`` unless there is one; True if this call created it."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (insert(_TABLE).values(key=key, data=data, size=len(data), created_at=at)
                 .on_conflict_do_nothing(index_elements=["key"]).returning(_TABLE.c.key))
    # RETURNING, not rowcount: psycopg reports -1 for an INSERT the dialect sends this way
    return session.execute(statement).first() is not None


def blob_data(session: Session, key: str) -> bytes | None:
    """The bytes under ``key``, or None if there is no row."""
    data = session.execute(select(_TABLE.c.data).where(_TABLE.c.key == key)).scalar_one_or_none()
    return None if data is None else bytes(data)  # psycopg hands bytea back as a memoryview


def blob_exists(session: Session, key: str) -> bool:
    return session.execute(select(func.count()).select_from(_TABLE).where(_TABLE.c.key == key)).scalar_one() > 0


def blob_times(session: Session, after: str = "", limit: int = 1000) -> list[tuple[str, datetime]]:
    """``(key, created_at)`` of up to ``limit`` rows whose key sorts after ``after``, in key order.

    Key pages (not OFFSET) so a walk over a million blobs reads each row once, without the bytes."""
    statement = (select(_TABLE.c.key, _TABLE.c.created_at).where(_TABLE.c.key > after)
                 .order_by(_TABLE.c.key).limit(limit))
    return [(key, at) for key, at in session.execute(statement).all()]


def remove_blob(session: Session, key: str) -> bool:
    """Delete the row of ``key``; False if there was none."""
    return session.execute(delete(_TABLE).where(_TABLE.c.key == key)).rowcount == 1
