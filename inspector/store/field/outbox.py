"""The outbox: this device's events, waiting to go up (``pending``) or refused for good (``rejected``).

An entry leaves the outbox when the server confirms it; a refused one stays,
with the server's reason, until the person has read it. Entries keep the
order they were made in (``position``), which is the order they go up in.
"""

from datetime import datetime
from typing import Any

from pydantic import field_validator
from sqlalchemy import delete, func
from sqlmodel import Session, select

from inspector.domain.events import Event, frozen_payload
from inspector.store.models import OutboxEntry
from inspector.store.public import Public

PENDING, REJECTED = "pending", "rejected"


class OutboxPublic(Public):
    """One outbox entry: the event as made on this device, and where it stands."""

    position: int
    id: str
    item_id: str
    kind: str
    at: datetime
    base_version: int
    payload: dict[str, Any] = {}
    state: str = PENDING
    attempts: int = 0
    reason_code: str | None = None
    reason_message: str | None = None

    @field_validator("payload", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        return {} if value is None else value

    def event(self, actor_id: str) -> Event:
        """The entry as a domain event by ``actor_id`` (the person of this device)."""
        return Event(id=self.id, item_id=self.item_id, kind=self.kind, actor_id=actor_id, at=self.at,
                     base_version=self.base_version, payload=frozen_payload(self.payload))


def add(session: Session, event: Event) -> None:
    """Put a new event of this device at the end of the outbox."""
    session.add(OutboxEntry(id=event.id, item_id=event.item_id, kind=event.kind, at=event.at,
                            base_version=event.base_version, payload=dict(event.payload)))


def pending(session: Session, after_position: int = 0, limit: int | None = None) -> list[OutboxPublic]:
    """Waiting entries after ``after_position``, in outbox order (at most ``limit``)."""
    statement = (select(OutboxEntry).where(OutboxEntry.state == PENDING, OutboxEntry.position > after_position)
                 .order_by(OutboxEntry.position))
    if limit:
        statement = statement.limit(limit)
    return [OutboxPublic.of(row) for row in session.exec(statement).all()]


def entries(session: Session, item_id: str | None = None, state: str | None = None,
            kind: str | None = None) -> list[OutboxPublic]:
    """Entries (of one item, in one state, of one kind), in outbox order."""
    statement = select(OutboxEntry).order_by(OutboxEntry.position)
    if item_id is not None:
        statement = statement.where(OutboxEntry.item_id == item_id)
    if kind is not None:
        statement = statement.where(OutboxEntry.kind == kind)
    if state is not None:
        statement = statement.where(OutboxEntry.state == state)
    return [OutboxPublic.of(row) for row in session.exec(statement).all()]


def count(session: Session, state: str) -> int:
    """How many entries are in ``state``."""
    return session.exec(select(func.count()).select_from(OutboxEntry).where(OutboxEntry.state == state)).one()


def find(session: Session, event_id: str) -> OutboxPublic | None:
    """The entry of ``event_id``, if it is still in the outbox."""
    row = _row(session, event_id)
    return OutboxPublic.of(row) if row is not None else None


def note(session: Session, event_id: str, code: str, message: str, refused: bool) -> None:
    """Keep the server's reason on an entry (and, when ``refused``, take it out of the projection for good)."""
    row = _row(session, event_id)
    if row is None:
        return
    if refused:
        row.state = REJECTED
    row.reason_code, row.reason_message = code, message
    row.attempts += 1
    session.add(row)


def remove(session: Session, event_id: str) -> None:
    """Take an event out of the outbox: the server has it."""
    session.exec(delete(OutboxEntry).where(OutboxEntry.id == event_id))


def discard_rejected(session: Session, event_id: str) -> None:
    """Drop a refused entry the person has read."""
    session.exec(delete(OutboxEntry).where(OutboxEntry.id == event_id, OutboxEntry.state == REJECTED))


def item_ids(session: Session) -> set[str]:
    """The items the outbox has events of."""
    return set(session.exec(select(OutboxEntry.item_id)).all())


def clear(session: Session) -> None:
    """Empty the outbox (another person's copy is forgotten)."""
    session.exec(delete(OutboxEntry))


def _row(session: Session, event_id: str) -> OutboxEntry | None:
    return session.exec(select(OutboxEntry).where(OutboxEntry.id == event_id)).first()
