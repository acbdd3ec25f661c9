"""published months

The published monthly exam (月考, issue 12): ``published_months`` holds a
month's scoreboard as published (JSON, one row per month: the primary key
lets exactly one of two concurrent publishes in), ``published_items`` the
scoring facts and printed details of every item behind its numbers, frozen,
and ``month_amendments`` the corrections made since, appended in order.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 03:00:00
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel
import inspector.store.types


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('published_months',
    sa.Column('month', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('published_at', inspector.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_by', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('published_by_name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('board', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['published_by'], ['users.id'], ),
    sa.PrimaryKeyConstraint('month')
    )
    op.create_table('published_items',
    sa.Column('month', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('item_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('office_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('facts', sa.JSON(), nullable=True),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('site_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('leader', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('before_photo', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('after_photo', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.ForeignKeyConstraint(['month'], ['published_months.month'], ),
    sa.PrimaryKeyConstraint('month', 'item_id')
    )
    op.create_table('month_amendments',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('month', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('office_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('item_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('made_by', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('made_by_name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('made_at', inspector.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['made_by'], ['users.id'], ),
    sa.ForeignKeyConstraint(['month'], ['published_months.month'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_month_amendments_month_seq', 'month_amendments', ['month', 'seq'], unique=True)


def downgrade() -> None:
    op.drop_index('ix_month_amendments_month_seq', table_name='month_amendments')
    op.drop_table('month_amendments')
    op.drop_table('published_items')
    op.drop_table('published_months')
