"""What came down from the server: its confirmed events, the items projected here, the registered sites.

Confirmed events are kept as the server sent them, deduplicated by id; an
event confirmed by a push answer is kept at once and gets the server's time
and number when a pull brings it. The ``items`` rows are this device's
projection (``projection.reproject`` writes them); the ``sites`` table mirrors
the server's list as the last round fetched it.
"""

from datetime import datetime
from typing import Iterable

from sqlalchemy import ColumnElement, delete
from sqlmodel import Session, select

from inspector.domain.events import Event
from inspector.domain.items import ItemState
from inspector.domain.lifecycle import Status
from inspector.domain.permissions import Actor
from inspector.store import queries
from inspector.store.convert import event_of, item_state, item_values
from inspector.store.field.rows import put_row
from inspector.store.models import EventRow, Item, Site
from inspector.store.public import SitePublic


# --- confirmed events ------------------------------------------------------------------------
def events_of(session: Session, item_id: str) -> list[Event]:
    """An item's confirmed events here, in seq order."""
    return queries.events_of(session, item_id)


def keep_confirmed(session: Session, event: Event) -> bool:
    """Keep an event the server sent (pull or timeline); True when it was new to this device.

    One confirmed at push time gets the server's own facts now: its time, number and actor.
    """
    row = _event_row(session, event.id)
    if row is None:
        session.add(_row_of(event))
        return True
    row.server_at, row.number, row.actor_id = event.server_at, event.number, event.actor_id
    session.add(row)
    return False


def keep_pushed(session: Session, event: Event) -> None:
    """Keep an event of this device the server accepted under ``event.seq``, unless already here.

    Until a pull brings the server's time and number, the device's time stands in for both.
    """
    if _event_row(session, event.id) is None:
        session.add(_row_of(event))


def events_of_kind(session: Session, kind: str) -> list[Event]:
    """The confirmed events of one kind here, in seq order (a visit is no item: its events are read by kind)."""
    return [event_of(row) for row in session.exec(select(EventRow).where(EventRow.kind == kind)
                                                  .order_by(EventRow.seq)).all()]


def event_item_ids(session: Session) -> set[str]:
    """The items this device has confirmed events of."""
    return set(session.exec(select(EventRow.item_id)).all())


# --- the projected items -----------------------------------------------------------------------
def item(session: Session, item_id: str) -> ItemState | None:
    """An item as projected here, or None."""
    row = session.get(Item, item_id)
    return item_state(row) if row is not None else None


def item_ids(session: Session) -> set[str]:
    """The items projected here."""
    return set(session.exec(select(Item.id)).all())


def write_item(session: Session, item_id: str, state: ItemState | None) -> None:
    """Store ``state`` as the item's row (None: the item has no row here)."""
    put_row(session, Item, item_id, None if state is None else item_values(state))


def list_items(session: Session, actor: Actor, f: queries.ItemFilter, now: datetime, page: int,
               page_size: int) -> tuple[list[ItemState], int]:
    """One page of the items ``actor`` sees here that pass ``f``, and how many pass in all."""
    return queries.list_items(session, actor, f, now, page, page_size)


def visible_items(session: Session, actor: Actor, *where: ColumnElement[bool]) -> list[ItemState]:
    """The items here ``actor`` sees that meet every condition of ``where``."""
    rows = session.exec(select(Item).where(queries.visible_to(actor), *where)).all()
    return [item_state(r) for r in rows]


def look_back_candidates(session: Session, actor: Actor) -> list[ItemState]:
    """Verified items here with a look-back date that ``actor`` sees."""
    return visible_items(session, actor, Item.status == Status.VERIFIED, Item.look_back_due.is_not(None))


# --- sites ---------------------------------------------------------------------------------------
def sites(session: Session) -> list[SitePublic]:
    """The registered sites as the last round brought them, by name."""
    return [SitePublic.of(row) for row in session.exec(select(Site).order_by(Site.name)).all()]


def site_ids(session: Session) -> set[str]:
    """The ids of the registered sites kept here (empty before the first round)."""
    return set(session.exec(select(Site.id)).all())


def replace_sites(session: Session, fresh: Iterable[SitePublic]) -> None:
    """Make the kept sites exactly ``fresh``."""
    seen = set()
    for site in fresh:
        seen.add(site.id)
        row = session.get(Site, site.id) or Site(id=site.id, name="", kind="", office_code="", lat=0, lon=0)
        for name, value in site.model_dump().items():
            setattr(row, name, value)
        session.add(row)
    session.flush()
    for row in session.exec(select(Site)).all():
        if row.id not in seen:
            session.delete(row)


def clear(session: Session) -> None:
    """Forget the confirmed events and projected items (another person's copy)."""
    session.exec(delete(EventRow))
    session.exec(delete(Item))


def _event_row(session: Session, event_id: str) -> EventRow | None:
    return session.exec(select(EventRow).where(EventRow.id == event_id)).first()


def _row_of(event: Event) -> EventRow:
    return EventRow(seq=event.seq, id=event.id, item_id=event.item_id, kind=event.kind, actor_id=event.actor_id,
                    at=event.at, server_at=event.server_at or event.at, base_version=event.base_version,
                    number=event.number, payload=dict(event.payload))
