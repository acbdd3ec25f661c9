"""Opening a field client's database: a local SQLite file, brought up to date, every commit synced to disk.

Two ways to the newest schema, ending in the same tables and the same ``alembic_version`` stamp:

- with Alembic (``inspector field`` on a laptop, the tests): the server's migrations, as on the server;
- without it (the phone app, which ships no Alembic): ``build_schema`` creates the tables the models
  declare, adds columns a newer app version declares to tables an older one made, and stamps the
  newest migration's revision, so a folder copied to a laptop upgrades from there with Alembic.

Only additive changes (new tables, new nullable columns) reach an existing phone database this way; a
migration that rewrites data must also say how the phone app gets there (see docs/field-app.md).
"""

import re
from pathlib import Path

from sqlalchemy import event as sa_event
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

from inspector.store import models  # noqa: F401  (the tables SQLModel.metadata declares)
from inspector.store.engine import make_engine
from inspector.store.schema import MIGRATIONS, seed_offices, seed_site_types, upgrade

FIELD_DB = "field.db"
_REVISION = re.compile(r"^(down_revision|revision)\s*=\s*['\"]?([\w-]+|None)['\"]?", re.MULTILINE)


def open_field_db(data_dir: Path) -> Engine:
    """The engine of ``data_dir/field.db``, its schema brought up to date.

    Always a local SQLite file: DATABASE_URL is the server's business, never the phone's.
    """
    engine = make_engine(f"sqlite:///{(Path(data_dir) / FIELD_DB).resolve()}")
    _durable(engine)
    if alembic_available():
        upgrade(engine)
    else:
        build_schema(engine)
    return engine


def alembic_available() -> bool:
    """True where Alembic is installed (server, laptop); the phone app has none."""
    try:
        import alembic  # noqa: F401  # lazy: optional here; its absence picks build_schema
    except ImportError:
        return False
    return True


def head_revision(versions: Path = MIGRATIONS / "versions") -> str:
    """The newest migration's revision, read from the files (Alembic's own reader needs Alembic)."""
    revisions, parents = set(), set()
    for path in versions.glob("*.py"):
        found = dict(_REVISION.findall(path.read_text(encoding="utf-8")))
        if "revision" in found:
            revisions.add(found["revision"])
            parents.add(found.get("down_revision"))
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"expected one head migration in {versions}, found {sorted(heads)}")
    return heads.pop()


def build_schema(engine: Engine) -> None:
    """The newest schema without Alembic: missing tables and columns added, the head revision stamped."""
    head = head_revision()
    with engine.begin() as connection:
        SQLModel.metadata.create_all(connection)  # only the tables not there yet
        _add_missing_columns(connection)
        connection.execute(text("CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(32) NOT NULL, "
                                "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"))
        connection.execute(text("DELETE FROM alembic_version"))
        connection.execute(text("INSERT INTO alembic_version (version_num) VALUES (:head)"), {"head": head})
    seed_offices(engine)
    seed_site_types(engine)


def _add_missing_columns(connection: Connection) -> None:
    """Columns a newer model declares on a table an older app version made (SQLite: added nullable)."""
    have_tables = inspect(connection)
    for table in SQLModel.metadata.sorted_tables:
        have = {column["name"] for column in have_tables.get_columns(table.name)}
        for column in table.columns:
            if column.name not in have:
                kind = column.type.compile(dialect=connection.dialect)
                connection.execute(text(f'ALTER TABLE "{table.name}" ADD COLUMN "{column.name}" {kind}'))


def _durable(engine: Engine) -> None:
    """The phone may lose power right after "saved": sync every commit to disk (WAL + FULL)."""
    @sa_event.listens_for(engine, "connect")
    def _full(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()
