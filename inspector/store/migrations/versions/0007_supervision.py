"""supervision (督办): the steps recorded on an item and its supervision level

items.reminded holds the 督办 steps recorded against the item's current deadline ("2d,due,overdue,
supervised,escalated", comma-separated; ``store.convert`` makes it a tuple) and items.supervision the level
they put it at (0 none, 1 supervised, 2 escalated; indexed: the desk's 督办 list reads the few above 0).
Existing items start with no step recorded: the first sweep records what is due on them. Both columns keep
a server default so the rows already there are filled in; the application always sets them. The server's
own account (``Role.SYSTEM``) is made by the sweep when it first records a step, not here.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 03:00:00
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel
import inspector.store.types  # noqa: F401 - the revisions' common imports


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('items', sa.Column('reminded', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False,
                                     server_default=''))
    op.add_column('items', sa.Column('supervision', sa.Integer(), nullable=False, server_default='0'))
    op.create_index(op.f('ix_items_supervision'), 'items', ['supervision'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('items') as batch:
        batch.drop_index(op.f('ix_items_supervision'))
        batch.drop_column('supervision')
        batch.drop_column('reminded')
