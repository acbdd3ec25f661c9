"""username keys and login attempts

Usernames become unique after NFKC and case folding: users.username_key
holds that form under a unique index and logins match by it. Existing rows
are filled in here; where two old usernames fold to one key (``jianzhu`` and
``JianZhu``), the older account keeps the key and each later one gets
``key#<id>``, so the upgrade never fails and no account is lost; an admin
renames those (their logins match nobody until then). The column keeps a
server default of '' because SQLite cannot drop a default without rebuilding
users, which the other tables reference; the application always sets it.

login_attempts records logins being checked and failed ones, which the login
throttles count per username key and per client address.

item_photos gets an index on sha256 alone: reading a photo asks which items cite it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 12:00:00
"""

import unicodedata

from alembic import op
import sqlalchemy as sa
import sqlmodel
import inspector.store.types


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def _key(username: str) -> str:
    # Frozen copy of inspector.domain.accounts.username_key as of this revision.
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", username.strip()).casefold())


def upgrade() -> None:
    op.add_column('users', sa.Column('username_key', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False,
                                     server_default=''))
    connection = op.get_bind()
    users = sa.table('users', sa.column('id', sa.String), sa.column('username', sa.String),
                     sa.column('created_at', sa.String), sa.column('username_key', sa.String))
    taken: set[str] = set()
    rows = connection.execute(sa.select(users.c.id, users.c.username).order_by(users.c.created_at, users.c.id))
    for user_id, username in rows.all():
        key = _key(username)[:80]
        if key in taken:
            key = f"{key[:43]}#{user_id}"
        taken.add(key)
        connection.execute(users.update().where(users.c.id == user_id).values(username_key=key))
    op.create_index(op.f('ix_users_username_key'), 'users', ['username_key'], unique=True)

    op.create_table('login_attempts',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('username_key', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('at', inspector.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_login_attempts_username_key'), 'login_attempts', ['username_key'], unique=False)
    op.create_index(op.f('ix_login_attempts_address'), 'login_attempts', ['address'], unique=False)
    op.create_index(op.f('ix_login_attempts_at'), 'login_attempts', ['at'], unique=False)
    op.create_index(op.f('ix_item_photos_sha256'), 'item_photos', ['sha256'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_item_photos_sha256'), table_name='item_photos')
    op.drop_index(op.f('ix_login_attempts_at'), table_name='login_attempts')
    op.drop_index(op.f('ix_login_attempts_address'), table_name='login_attempts')
    op.drop_index(op.f('ix_login_attempts_username_key'), table_name='login_attempts')
    op.drop_table('login_attempts')
    op.drop_index(op.f('ix_users_username_key'), table_name='users')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('username_key')
