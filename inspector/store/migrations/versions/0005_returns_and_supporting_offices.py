"""returns and supporting offices

Issue 12, part A. ``items`` projects two new facts of an item's events:

- its supporting offices (配合) beside the lead office (``office_code``), as
  ``,code,code,`` in ``supporting_offices`` ('' for none), so the visibility
  filter finds an office's items with one LIKE on both SQLite and PostgreSQL;
- the return (退回/申辩) waiting for the supervisor: since when
  (``returned_at``, null when none waits), its reason code, words and the
  office it names; and how many returns the item has had (``return_count``).

Existing items have no returns and no supporting offices, which is what their
events project to, so the defaults fill them in.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 03:00:00
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel
import inspector.store.types


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('items') as batch:
        batch.add_column(sa.Column('supporting_offices', sqlmodel.sql.sqltypes.AutoString(length=200),
                                   nullable=False, server_default=''))
        batch.add_column(sa.Column('returned_at', inspector.store.types.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column('return_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
        batch.add_column(sa.Column('return_reason', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch.add_column(sa.Column('return_office', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
        batch.add_column(sa.Column('return_count', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('items') as batch:
        for column in ('return_count', 'return_office', 'return_reason', 'return_code', 'returned_at',
                       'supporting_offices'):
            batch.drop_column(column)
