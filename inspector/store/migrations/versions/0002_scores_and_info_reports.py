"""scores and information reporting

Indexes the monthly scoreboard needs on items (assigned, verified, fixed
times) and the tables of information reporting (信息报送): each office's
named reporter, and the progress notes they file per local day.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 12:00:00
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel
import inspector.store.types


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_items_assigned_at', 'items', ['assigned_at'], unique=False)
    op.create_index('ix_items_verified_at', 'items', ['verified_at'], unique=False)
    op.create_index('ix_items_fix_submitted_deadline', 'items', ['fix_submitted_at', 'deadline'], unique=False)

    op.create_table('info_reporters',
    sa.Column('office_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('user_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('named_by', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('named_at', inspector.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['office_code'], ['offices.code'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('office_code')
    )
    op.create_index(op.f('ix_info_reporters_user_id'), 'info_reporters', ['user_id'], unique=False)

    op.create_table('info_reports',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('office_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('reporter_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('photos', sa.JSON(), nullable=True),
    sa.Column('created_at', inspector.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['office_code'], ['offices.code'], ),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_info_reports_day_office', 'info_reports', ['day', 'office_code'], unique=False)
    op.create_index(op.f('ix_info_reports_office_code'), 'info_reports', ['office_code'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_info_reports_office_code'), table_name='info_reports')
    op.drop_index('ix_info_reports_day_office', table_name='info_reports')
    op.drop_table('info_reports')
    op.drop_index(op.f('ix_info_reporters_user_id'), table_name='info_reporters')
    op.drop_table('info_reporters')
    op.drop_index('ix_items_fix_submitted_deadline', table_name='items')
    op.drop_index('ix_items_verified_at', table_name='items')
    op.drop_index('ix_items_assigned_at', table_name='items')
