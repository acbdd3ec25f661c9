"""event transaction ids: on PostgreSQL an event's seq is its writing transaction's id, then its place

``seq = xid << 20 | n``: the transaction id (``pg_current_xact_id()``) of the
transaction that appends the event, shifted past 20 bits, and the event's
ordinal within that transaction (a transaction-local counter). Set by a
``BEFORE INSERT`` trigger, so every insert into ``events`` gets it, whatever
code path wrote it. The pull feed then serves only ``seq < H << 20``, H the
oldest transaction of the database in progress just before its query
(``inspector.store.engine.feed_horizon``): see ``inspector.store.events`` for
why that never skips an event committed late. SQLite (one writer) keeps its
ascending ``seq``; nothing changes there.

Events already stored keep their numbers. They are below every new one: a
transaction's id exceeds the number of transactions before it, and none of them
appended 2**20 events, so ``max(seq) < xid << 20`` (checked here, to be sure).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 03:00:00
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel
import inspector.store.types


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

SEQ_SHIFT = 20  # as in inspector.store.queries (the feed's horizon); a transaction appends fewer events

FUNCTION = f"""
CREATE OR REPLACE FUNCTION inspector_event_seq() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    n bigint := coalesce(nullif(current_setting('inspector.event_ordinal', true), ''), '0')::bigint;
BEGIN
    IF n >= {1 << SEQ_SHIFT} THEN
        RAISE EXCEPTION 'one transaction may append at most {1 << SEQ_SHIFT} events';
    END IF;
    -- is_local: the counter ends with the transaction (and rolls back with a savepoint, as its rows do).
    PERFORM set_config('inspector.event_ordinal', (n + 1)::text, true);
    NEW.seq := (pg_current_xact_id()::text::bigint << {SEQ_SHIFT}) | n;
    RETURN NEW;
END
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    clash = op.get_bind().execute(sa.text(
        f"SELECT coalesce(max(seq), 0) >= (pg_current_xact_id()::text::bigint << {SEQ_SHIFT}) FROM events"
    )).scalar_one()
    if clash:
        raise RuntimeError("events hold sequence numbers above the transaction-id numbering; see migration 0009")
    op.execute(FUNCTION)
    op.execute("DROP TRIGGER IF EXISTS events_seq_by_transaction ON events")
    op.execute("CREATE TRIGGER events_seq_by_transaction BEFORE INSERT ON events "
               "FOR EACH ROW EXECUTE FUNCTION inspector_event_seq()")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS events_seq_by_transaction ON events")
    op.execute("DROP FUNCTION IF EXISTS inspector_event_seq()")
    # The plain sequence must hand out numbers above the ones the trigger made.
    op.execute("SELECT setval(pg_get_serial_sequence('events', 'seq'), "
               "greatest((SELECT coalesce(max(seq), 0) FROM events), 1))")
