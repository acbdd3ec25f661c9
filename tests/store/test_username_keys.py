"""Migration 0004 gives existing users their username key, even where old names fold together."""

from datetime import datetime, timezone

from alembic import command
from sqlalchemy import text

from inspector.store.engine import make_engine
from inspector.store.schema import alembic_config, upgrade


def test_existing_users_get_keys_and_a_later_twin_does_not_take_the_older_ones(database_url):
    engine = make_engine(database_url)
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
    users = [("u1", "jianzhu", 1), ("u2", "XunCha", 2), ("u3", "ＪｉａｎＺｈｕ", 3)]
    with engine.begin() as connection:
        for user_id, username, day in users:
            connection.execute(
                text("INSERT INTO users (id, username, display_name, password_hash, role, disabled, created_at) "
                     "VALUES (:id, :username, '', 'x', 'inspector', false, :at)"),
                {"id": user_id, "username": username, "at": datetime(2026, 7, day, tzinfo=timezone.utc)})
    upgrade(engine)
    with engine.connect() as connection:
        keys = dict(connection.execute(text("SELECT id, username_key FROM users")).all())
    assert keys == {"u1": "jianzhu", "u2": "xuncha", "u3": "jianzhu#u3"}
    engine.dispose()
