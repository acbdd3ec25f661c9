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


def test_servers_starting_together_on_a_fresh_database_all_come_up(database_url):
    """Two servers started at once on one empty database: one migrates, the other waits and finds head."""
    import threading  # lazy: only this test runs threads

    engines = [make_engine(database_url) for _ in range(3)]
    if is_sqlite(engines[0]):
        pytest.skip("PostgreSQL only: a SQLite database belongs to the one server of its data folder")
    start = threading.Barrier(len(engines))
    failures: list[BaseException] = []

    def start_server(engine) -> None:
        start.wait()
        try:
            upgrade(engine)
        except BaseException as error:  # noqa: BLE001 (reported below; the test must see every failure)
            failures.append(error)

    threads = [threading.Thread(target=start_server, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with engines[0].connect() as connection:
        offices = connection.execute(text("SELECT count(*), count(DISTINCT code) FROM offices")).one()
    assert offices[0] == offices[1] > 0
    for engine in engines:
        engine.dispose()
