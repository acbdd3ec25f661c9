"""Opening a field client's database: a local SQLite file, upgraded, every commit synced to disk."""

from pathlib import Path

from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine

from inspector.store.engine import make_engine
from inspector.store.schema import upgrade

FIELD_DB = "field.db"


def open_field_db(data_dir: Path) -> Engine:
    """The engine of ``data_dir/field.db``, its schema brought up to date.

    Always a local SQLite file: DATABASE_URL is the server's business, never the phone's.
    """
    engine = make_engine(f"sqlite:///{(Path(data_dir) / FIELD_DB).resolve()}")
    _durable(engine)
    upgrade(engine)
    return engine


def _durable(engine: Engine) -> None:
    """The phone may lose power right after "saved": sync every commit to disk (WAL + FULL)."""
    @sa_event.listens_for(engine, "connect")
    def _full(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()
