"""The reads behind the evidence panel's doubts: where else a person reported from the very same point.

Functions take the caller's session and hand out the domain's ``Event``s.
"""

from typing import Iterable

from sqlalchemy import and_, or_
from sqlmodel import Session, select

from inspector.domain.events import Event
from inspector.domain.lifecycle import Kind
from inspector.store.convert import event_of
from inspector.store.models import EventRow, Item


def reports_at(session: Session, reporter: str, points: Iterable[tuple[float, float]],
               except_item: str | None = None) -> list[Event]:
    """The report events of ``reporter``'s items located exactly (to the last digit) at one of ``points``.

    ``except_item`` is left out (the item being looked at). Oldest first. The
    caller decides which of them fall on another day.
    """
    wanted = sorted(set(points))
    if not wanted:
        return []
    at_point = or_(*(and_(Item.lat == lat, Item.lon == lon) for lat, lon in wanted))
    query = (select(EventRow).join(Item, Item.id == EventRow.item_id)
             .where(Item.reported_by == reporter, EventRow.kind == Kind.REPORTED, at_point))
    if except_item is not None:
        query = query.where(Item.id != except_item)
    return [event_of(row) for row in session.exec(query.order_by(EventRow.seq)).all()]
