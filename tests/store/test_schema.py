"""The schema comes from Alembic migrations and matches the table models."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from inspector.store.engine import is_sqlite, make_engine
from inspector.store.schema import upgrade


def test_migrations_build_exactly_the_models_and_can_run_twice(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    upgrade(engine)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), SQLModel.metadata) == []
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    assert revision and "items" in inspect(engine).get_table_names()
    engine.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(database_url):
    engine = make_engine(database_url)
    if not is_sqlite(engine):
        pytest.skip("SQLite only")
    upgrade(engine)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()
