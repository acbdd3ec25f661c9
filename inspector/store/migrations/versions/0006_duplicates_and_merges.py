"""duplicates and merges

items.merged_into names the item a duplicate was merged into (status ``merged``, set by a
``merged`` event; indexed: a target's page lists its duplicates), and items.evidence_count counts
the ``evidence_added`` events that brought fresh photos to an open item. Both are projections of
the log like every items column: existing rows have neither kind of event, so NULL and 0 are
their true values (the column keeps a server default of 0 for that reason; the application always
sets it).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 03:00:00
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel
import inspector.store.types


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('items', sa.Column('merged_into', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True))
    op.add_column('items', sa.Column('evidence_count', sa.Integer(), nullable=False, server_default='0'))
    op.create_index(op.f('ix_items_merged_into'), 'items', ['merged_into'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_items_merged_into'), table_name='items')
    with op.batch_alter_table('items') as batch:
        batch.drop_column('evidence_count')
        batch.drop_column('merged_into')
