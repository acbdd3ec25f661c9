"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-29 04:16:58.332756
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel
import inspector.store.types


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('client_state',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('value', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('day_counters',
    sa.Column('day', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day')
    )
    op.create_table('events',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('item_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('actor_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('device_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('at', inspector.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('server_at', inspector.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('base_version', sa.Integer(), nullable=False),
    sa.Column('base_status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('seq'),
    sa.UniqueConstraint('id')
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_item_id'), ['item_id'], unique=False)

    op.create_table('offices',
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('outbox',
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('item_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('at', inspector.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('base_version', sa.Integer(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=True),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('reason_code', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
    sa.Column('reason_message', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.PrimaryKeyConstraint('position'),
    sa.UniqueConstraint('id')
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_state'), ['state'], unique=False)

    op.create_table('photos',
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('format', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('taken_at', sa.DateTime(), nullable=True),
    sa.Column('taken_at_offset', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
    sa.Column('gps_lat', sa.Float(), nullable=True),
    sa.Column('gps_lon', sa.Float(), nullable=True),
    sa.Column('gps_alt', sa.Float(), nullable=True),
    sa.Column('exif_problems', sa.JSON(), nullable=True),
    sa.Column('uploaded_by', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('uploaded_at', inspector.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sha256')
    )
    op.create_table('rejections',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('item_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('actor_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('device_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('received_at', inspector.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('details', sa.JSON(), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('rejections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rejections_item_id'), ['item_id'], unique=False)

    op.create_table('items',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('office_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('site_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
    sa.Column('severity', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('check_type', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('accuracy_m', sa.Float(), nullable=True),
    sa.Column('location_source', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('reported_by', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('reported_at', inspector.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', inspector.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('photos', sa.JSON(), nullable=True),
    sa.Column('fix_photos', sa.JSON(), nullable=True),
    sa.Column('leader', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('deadline', inspector.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('assigned_at', inspector.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('fix_submitted_at', inspector.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('verified_at', inspector.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', inspector.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('look_back_due', inspector.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('extension_until', inspector.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('extension_reason', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('extensions_granted', sa.Integer(), nullable=False),
    sa.Column('rework_count', sa.Integer(), nullable=False),
    sa.Column('rebound_count', sa.Integer(), nullable=False),
    sa.Column('last_reason', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('spot_agree', sa.Integer(), nullable=False),
    sa.Column('spot_disagree', sa.Integer(), nullable=False),
    sa.Column('disputed', sa.Boolean(), nullable=False),
    sa.Column('comment_count', sa.Integer(), nullable=False),
    sa.Column('last_seq', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['office_code'], ['offices.code'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number')
    )
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_items_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_items_check_type'), ['check_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_items_deadline'), ['deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_items_look_back_due'), ['look_back_due'], unique=False)
        batch_op.create_index(batch_op.f('ix_items_office_code'), ['office_code'], unique=False)
        batch_op.create_index('ix_items_office_status', ['office_code', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_items_reported_at'), ['reported_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_items_reported_by'), ['reported_by'], unique=False)
        batch_op.create_index(batch_op.f('ix_items_site_id'), ['site_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_items_status'), ['status'], unique=False)
        batch_op.create_index('ix_items_status_deadline', ['status', 'deadline'], unique=False)
        batch_op.create_index('ix_items_status_reported', ['status', 'reported_at'], unique=False)

    op.create_table('sites',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('office_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('radius_m', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['office_code'], ['offices.code'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('users',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('username', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('display_name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('office_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('disabled', sa.Boolean(), nullable=False),
    sa.Column('created_at', inspector.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['office_code'], ['offices.code'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_username'), ['username'], unique=True)

    op.create_table('delegations',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('user_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('offices', sa.JSON(), nullable=True),
    sa.Column('sites', sa.JSON(), nullable=True),
    sa.Column('starts', inspector.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ends', inspector.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', inspector.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('delegations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delegations_user_id'), ['user_id'], unique=False)

    op.create_table('devices',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('user_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('first_seen_at', inspector.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', inspector.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_devices_user_id'), ['user_id'], unique=False)

    op.create_table('item_photos',
    sa.Column('item_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('event_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], ),
    sa.PrimaryKeyConstraint('item_id', 'sha256')
    )
    op.create_table('tokens',
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('user_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('device_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('created_at', inspector.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', inspector.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', inspector.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('token_hash')
    )
    with op.batch_alter_table('tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tokens_user_id'), ['user_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tokens_user_id'))

    op.drop_table('tokens')
    op.drop_table('item_photos')
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_devices_user_id'))

    op.drop_table('devices')
    with op.batch_alter_table('delegations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delegations_user_id'))

    op.drop_table('delegations')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_username'))

    op.drop_table('users')
    op.drop_table('sites')
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_index('ix_items_status_deadline')
        batch_op.drop_index(batch_op.f('ix_items_status'))
        batch_op.drop_index(batch_op.f('ix_items_site_id'))
        batch_op.drop_index(batch_op.f('ix_items_reported_by'))
        batch_op.drop_index(batch_op.f('ix_items_reported_at'))
        batch_op.drop_index('ix_items_office_status')
        batch_op.drop_index(batch_op.f('ix_items_office_code'))
        batch_op.drop_index(batch_op.f('ix_items_look_back_due'))
        batch_op.drop_index(batch_op.f('ix_items_deadline'))
        batch_op.drop_index(batch_op.f('ix_items_check_type'))
        batch_op.drop_index(batch_op.f('ix_items_category'))

    op.drop_table('items')
    with op.batch_alter_table('rejections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rejections_item_id'))

    op.drop_table('rejections')
    op.drop_table('photos')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_state'))
        batch_op.drop_index(batch_op.f('ix_outbox_item_id'))

    op.drop_table('outbox')
    op.drop_table('offices')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_item_id'))

    op.drop_table('events')
    op.drop_table('day_counters')
    op.drop_table('client_state')
