"""Create and upgrade the schema with Alembic, and seed what the catalogue fixes."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from inspector.domain.catalog import OFFICES
from inspector.store.models import OfficeRow

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url:
        config.set_main_option("sqlalchemy.url", url)
    return config


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest schema and make sure the offices exist."""
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    with Session(engine) as session:
        have = set(session.exec(select(OfficeRow.code)).all())
        for office in OFFICES:
            if office.code not in have:
                session.add(OfficeRow(code=office.code))
        session.commit()
