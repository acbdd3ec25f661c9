"""inspections

Inspections against the standard (issue 11): the site register's address,
contact and active flag; ``site_types`` (the four shipped kinds and those
admins add); ``checklists``, one row per version of a site type's checklist,
never changed once written; ``visits``, the projection of ``visited`` events;
on ``items`` the visit and checklist point a failed point became and the
number the technical assessment gave a finding; on ``campaigns`` how often
each site type is to be visited per check type.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 07:40:00
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel
import inspector.store.types


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sites') as batch:
        batch.add_column(sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False,
                                   server_default=''))
        batch.add_column(sa.Column('contact', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False,
                                   server_default=''))
        batch.add_column(sa.Column('active', sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table('items') as batch:
        batch.add_column(sa.Column('visit_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True))
        batch.add_column(sa.Column('check_point', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True))
        batch.add_column(sa.Column('finding_number', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
        batch.create_index('ix_items_visit_id', ['visit_id'], unique=False)
        batch.create_index('ix_items_finding_number', ['finding_number'], unique=False)
    with op.batch_alter_table('campaigns') as batch:
        batch.add_column(sa.Column('visit_every', sa.JSON(), nullable=True))
    op.create_table('site_types',
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('names', sa.JSON(), nullable=True),
    sa.Column('created_at', inspector.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('checklists',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('site_type', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('points', sa.JSON(), nullable=True),
    sa.Column('created_at', inspector.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('site_type', 'version')
    )
    op.create_index('ix_checklists_site_type', 'checklists', ['site_type'], unique=False)
    op.create_table('visits',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('site_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('site_type', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('office_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('checklist_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('checklist_version', sa.Integer(), nullable=False),
    sa.Column('check_type', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('round_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
    sa.Column('visited_by', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('at', inspector.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('server_at', inspector.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('results', sa.JSON(), nullable=True),
    sa.Column('met', sa.Integer(), nullable=False),
    sa.Column('applicable', sa.Integer(), nullable=False),
    sa.Column('starred_failed', sa.Integer(), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('items', sa.JSON(), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('last_seq', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_visits_site_id', 'visits', ['site_id'], unique=False)
    op.create_index('ix_visits_office_code', 'visits', ['office_code'], unique=False)
    op.create_index('ix_visits_visited_by', 'visits', ['visited_by'], unique=False)
    op.create_index('ix_visits_server_at', 'visits', ['server_at'], unique=False)
    op.create_index('ix_visits_site_check_type', 'visits', ['site_id', 'check_type', 'server_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_visits_site_check_type', table_name='visits')
    op.drop_index('ix_visits_server_at', table_name='visits')
    op.drop_index('ix_visits_visited_by', table_name='visits')
    op.drop_index('ix_visits_office_code', table_name='visits')
    op.drop_index('ix_visits_site_id', table_name='visits')
    op.drop_table('visits')
    op.drop_index('ix_checklists_site_type', table_name='checklists')
    op.drop_table('checklists')
    op.drop_table('site_types')
    with op.batch_alter_table('campaigns') as batch:
        batch.drop_column('visit_every')
    with op.batch_alter_table('items') as batch:
        batch.drop_index('ix_items_finding_number')
        batch.drop_index('ix_items_visit_id')
        batch.drop_column('finding_number')
        batch.drop_column('check_point')
        batch.drop_column('visit_id')
    with op.batch_alter_table('sites') as batch:
        batch.drop_column('active')
        batch.drop_column('contact')
        batch.drop_column('address')
