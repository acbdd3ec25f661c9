"""What the return rates read: the assignments and returns of the items assigned in a span, and the items'
categories (``inspector.domain.returns.return_rates`` counts them)."""

from datetime import datetime

from sqlmodel import Session, select

from inspector.domain.events import Event
from inspector.domain.lifecycle import ASSIGNING_KINDS, Kind
from inspector.store.convert import event_of, offices_of
from inspector.store.models import EventRow, Item

COUNTED_KINDS = tuple(sorted(ASSIGNING_KINDS | {Kind.RETURNED}))


def assignment_log(session: Session, start: datetime, end: datetime) -> tuple[list[Event], dict[str, str]]:
    """The assignments and returns of every item assigned (or reassigned) in ``[start, end)``, whenever
    they were made, in log order; and each such item's category."""
    assigned_then = (select(EventRow.item_id)
                     .where(EventRow.kind.in_(tuple(ASSIGNING_KINDS)), EventRow.server_at >= start,
                            EventRow.server_at < end))
    rows = session.exec(select(EventRow, Item.category)
                        .join(Item, Item.id == EventRow.item_id)
                        .where(EventRow.item_id.in_(assigned_then), EventRow.kind.in_(COUNTED_KINDS))
                        .order_by(EventRow.seq)).all()
    return [event_of(row) for row, _ in rows], {row.item_id: category for row, category in rows}


def supported_items(session: Session, start: datetime, end: datetime) -> list[tuple[tuple[str, ...], datetime]]:
    """(supporting offices, assigned_at) of the items with supporting offices assigned in ``[start, end)``."""
    rows = session.exec(select(Item.supporting_offices, Item.assigned_at)
                        .where(Item.supporting_offices != "", Item.assigned_at >= start, Item.assigned_at < end)).all()
    return [(offices_of(offices), at) for offices, at in rows]
