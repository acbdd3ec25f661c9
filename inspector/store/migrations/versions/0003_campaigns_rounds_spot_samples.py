"""campaigns, check rounds and spot-check samples

The campaign in force (phases, offices, categories, look-back days per
category, top leaders per office), cross-inspection rounds, and the recorded
spot-check draws (seed and candidates kept so a draw can be recomputed). An
index on items.disputed serves the supervisors' review queue.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 12:00:00
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel
import inspector.store.types


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('campaigns',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('phases', sa.JSON(), nullable=True),
    sa.Column('offices', sa.JSON(), nullable=True),
    sa.Column('categories', sa.JSON(), nullable=True),
    sa.Column('look_back_days', sa.JSON(), nullable=True),
    sa.Column('top_leaders', sa.JSON(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('updated_at', inspector.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_campaigns_active'), 'campaigns', ['active'], unique=False)

    op.create_table('check_rounds',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('check_type', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('inspecting_office', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('inspected_office', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('starts', sa.Date(), nullable=False),
    sa.Column('ends', sa.Date(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('created_at', inspector.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['inspected_office'], ['offices.code'], ),
    sa.ForeignKeyConstraint(['inspecting_office'], ['offices.code'], ),
    sa.PrimaryKeyConstraint('id')
    )

    op.create_table('spot_samples',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('user_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('seed', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('candidate_ids', sa.JSON(), nullable=True),
    sa.Column('item_ids', sa.JSON(), nullable=True),
    sa.Column('drawn_by', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('drawn_at', inspector.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_spot_samples_user_id'), 'spot_samples', ['user_id'], unique=False)

    op.create_index('ix_items_disputed', 'items', ['disputed'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_items_disputed', table_name='items')
    op.drop_index(op.f('ix_spot_samples_user_id'), table_name='spot_samples')
    op.drop_table('spot_samples')
    op.drop_table('check_rounds')
    op.drop_index(op.f('ix_campaigns_active'), table_name='campaigns')
    op.drop_table('campaigns')
