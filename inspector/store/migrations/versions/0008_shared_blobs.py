"""shared blobs

shared_blobs keeps photo bytes in the database for installations whose
servers share one PostgreSQL but no object store (INSPECTOR_BLOBS=postgres,
inspector.photos.pg_blobs): one row per blob key ("<variant>/<sha256>"),
written once (INSERT ... ON CONFLICT DO NOTHING), bytea on PostgreSQL. The
table is made on every installation and stays empty under the file or S3
stores.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 03:00:00
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel
import inspector.store.types


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('shared_blobs',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', inspector.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )


def downgrade() -> None:
    op.drop_table('shared_blobs')
