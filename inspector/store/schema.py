"""Create and upgrade the schema with Alembic, and seed what the catalogue fixes.

Alembic is imported only when a schema is upgraded: the phone app has no Alembic
(``inspector.store.field.database.build_schema`` makes its local schema), yet imports modules that import this one.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, select

from inspector.domain.catalog import OFFICES
from inspector.i18n import CATALOGUES
from inspector.store import checklists, site_types
from inspector.store.models import OfficeRow

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
# Several servers may start at once on one fresh PostgreSQL database: the first to take this
# transaction-scoped lock migrates and seeds, the others wait and then find the schema at head.
MIGRATION_LOCK_KEY = 0x1D5C_0001


def alembic_config(url: str | None = None) -> Config:
    """Alembic's configuration for Inspector's migrations (over ``url`` when given)."""
    from alembic.config import Config  # lazy: server-side only, the phone app has no Alembic
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url:
        config.set_main_option("sqlalchemy.url", url)
    return config


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest schema and make sure the offices exist."""
    from alembic import command  # lazy: server-side only, the phone app has no Alembic
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        seed_offices(connection)
        seed_site_types(connection)
        seed_checklists(connection)


def seed_site_types(bind: Engine | Connection) -> None:
    """Make sure every shipped site type has its row (idempotent; names stay in the catalogues)."""
    with Session(bind=bind) as session:
        site_types.seed_site_types(session, datetime.now(timezone.utc))
        session.commit()  # on a connection inside a transaction this leaves the outer commit to it


def seed_checklists(bind: Engine | Connection) -> None:
    """Give every shipped site type without a checklist the standard's (``domain.standard``) as version 1."""
    with Session(bind=bind) as session:
        checklists.seed_shipped(session, CATALOGUES, datetime.now(timezone.utc))
        session.commit()  # on a connection inside a transaction this leaves the outer commit to it


def seed_offices(bind: Engine | Connection) -> None:
    """Make sure every office of the catalogue has its row."""
    with Session(bind=bind) as session:
        have = set(session.exec(select(OfficeRow.code)).all())
        for office in OFFICES:
            if office.code not in have:
                session.add(OfficeRow(code=office.code))
        session.commit()  # on a connection inside a transaction this leaves the outer commit to it
