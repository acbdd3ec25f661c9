"""An item's local state: its confirmed events in seq order, then this device's waiting ones.

Refused entries stay in the outbox but out of the projection (a view may ask
for them, to show what was refused). Writes keep the ``items`` row equal to
this projection, in the same transaction as the fact that changed it. Events
of kinds that are not an item's (a ``visited`` visit shares the log and the
outbox: ``sync.visits``) never project: such an id has no ``items`` row.
"""

from typing import Iterable
from zoneinfo import ZoneInfo

from sqlmodel import Session

from inspector.domain.events import Event
from inspector.domain.items import ItemState, apply
from inspector.domain.lifecycle import KINDS
from inspector.errors import InspectorError
from inspector.store.field import mirror, outbox, state


def project_local(confirmed: Iterable[Event], pending: Iterable[Event],
                  zone: ZoneInfo | None = None) -> tuple[ItemState | None, tuple[str, ...]]:
    """Local state: confirmed events, then pending ones; also the pending ids that do not apply.

    A pending event that no longer applies (the server moved on while this
    device was offline) is skipped here and left for the server to refuse
    with a reason. A confirmed event that does not apply means a gap in the
    timeline (earlier events not yet fetched); it is skipped too.
    """
    kwargs = {"zone": zone} if zone is not None else {}
    current = None
    for event in confirmed:
        try:
            current = apply(current, event, **kwargs)
        except InspectorError:
            pass
    skipped = []
    for event in pending:
        try:
            current = apply(current, event, **kwargs)
        except InspectorError:
            skipped.append(event.id)
    return current, tuple(skipped)


def projected(session: Session, item_id: str, zone: ZoneInfo, with_rejected: bool = False) -> ItemState | None:
    """The item projected from what this device holds now (``with_rejected``: refused entries too)."""
    actor_id = state.user_id(session)
    waiting = outbox.entries(session, item_id, state=None if with_rejected else outbox.PENDING)
    confirmed = [e for e in mirror.events_of(session, item_id) if e.kind in KINDS]
    current, _ = project_local(confirmed, [e.event(actor_id) for e in waiting if e.kind in KINDS], zone)
    return current


def reproject(session: Session, item_id: str, zone: ZoneInfo) -> ItemState | None:
    """Rewrite the item's row from its events and the outbox; its state."""
    current = projected(session, item_id, zone)
    mirror.write_item(session, item_id, current)
    return current


def reproject_items(session: Session, item_ids: Iterable[str], zone: ZoneInfo) -> None:
    """Rewrite the rows of ``item_ids`` after this transaction's outbox and log changes (flushed first,
    so the projection reads them)."""
    session.flush()
    for item_id in item_ids:
        reproject(session, item_id, zone)


def reproject_all(session: Session, zone: ZoneInfo) -> None:
    """Rebuild every item this device knows of (repair, and a test's check)."""
    for item_id in mirror.event_item_ids(session) | outbox.item_ids(session) | mirror.item_ids(session):
        reproject(session, item_id, zone)
