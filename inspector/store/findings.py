"""The technical assessment's findings: every SQL statement on items by their finding number.

An imported finding is an ordinary item whose ``finding_number`` holds the
assessment's own number (migration 0011); these read them for the import's
checks and for the re-check pack (复核材料).
"""

from typing import Iterable

from sqlmodel import Session, select

from inspector.domain.events import Event
from inspector.domain.items import ItemState
from inspector.store.convert import event_of, item_state
from inspector.store.models import EventRow, Item

CHUNK = 900  # ids in one IN (...): below SQLite's bound on parameters


def imported(session: Session, numbers: Iterable[str]) -> dict[str, str]:
    """Of ``numbers``, those already imported as items: number -> the item's description."""
    wanted = sorted(set(numbers))
    out: dict[str, str] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start:start + CHUNK]
        rows = session.exec(select(Item.finding_number, Item.description)
                            .where(Item.finding_number.in_(chunk))).all()
        out.update({number: description or "" for number, description in rows})
    return out


def finding_items(session: Session, offices: Iterable[str] | None = None) -> list[ItemState]:
    """Every imported finding (of ``offices``, the lead office's code, when given), by finding number."""
    statement = select(Item).where(Item.finding_number.is_not(None))
    if offices is not None:
        statement = statement.where(Item.office_code.in_(list(offices)))
    rows = session.exec(statement.order_by(Item.finding_number, Item.id)).all()
    return [item_state(row) for row in rows]


def logs_of(session: Session, item_ids: Iterable[str]) -> dict[str, list[Event]]:
    """The logs of ``item_ids``, each in server order."""
    ids = sorted(set(item_ids))
    out: dict[str, list[Event]] = {item_id: [] for item_id in ids}
    for start in range(0, len(ids), CHUNK):
        statement = (select(EventRow).where(EventRow.item_id.in_(ids[start:start + CHUNK]))
                     .order_by(EventRow.seq))
        for row in session.exec(statement).all():
            out[row.item_id].append(event_of(row))
    return out
