"""Photos: every SQL statement on ``photos`` and the reads of which event first attached one.

Functions take the caller's session and hand out ``PhotoPublic`` values or the
domain's ``Event``s, never a ``Photo`` row.
"""

from datetime import datetime
from typing import Iterable

from sqlmodel import Session, select

from inspector.domain.events import Event
from inspector.domain.lifecycle import Kind
from inspector.photos.facts import PhotoFacts
from inspector.store.convert import event_of
from inspector.store.lookup import public_by_key
from inspector.store.models import EventRow, ItemPhoto, Photo
from inspector.store.public import PhotoPublic


def photo(session: Session, sha256: str) -> PhotoPublic | None:
    """The facts of stored photo ``sha256``; ``None`` when there is none."""
    return public_by_key(session, Photo, sha256, PhotoPublic)


def photos(session: Session, shas: Iterable[str]) -> list[PhotoPublic]:
    """The facts of those of ``shas`` that are stored, by hash."""
    wanted = set(shas)
    if not wanted:
        return []
    rows = session.exec(select(Photo).where(Photo.sha256.in_(wanted))).all()
    return sorted((PhotoPublic.of(row) for row in rows), key=lambda p: p.sha256)


def has_photo(session: Session, sha256: str) -> bool:
    """Whether photo ``sha256`` has a row."""
    return session.exec(select(Photo.sha256).where(Photo.sha256 == sha256)).first() is not None


def add_photo(session: Session, facts: PhotoFacts, uploaded_by: str, uploaded_at: datetime) -> PhotoPublic:
    """Add the row of a photo whose files are stored. The camera's time is kept naive, with its offset apart."""
    taken = facts.taken_at
    row = Photo(
        sha256=facts.sha256,
        width=facts.width,
        height=facts.height,
        format=facts.format,
        size_bytes=facts.size_bytes,
        taken_at=taken.replace(tzinfo=None) if taken else None,
        taken_at_offset=taken.strftime("%z") if taken and taken.tzinfo else None,
        gps_lat=facts.gps.lat if facts.gps else None,
        gps_lon=facts.gps.lon if facts.gps else None,
        gps_alt=facts.gps.alt if facts.gps else None,
        exif_problems=list(facts.exif_problems),
        uploaded_by=uploaded_by,
        uploaded_at=uploaded_at,
    )
    session.add(row)
    return PhotoPublic.of(row)


def first_use(session: Session, sha256: str) -> tuple[Event, Event] | None:
    """The first item event that attached ``sha256`` and that item's report; ``None`` when no item uses it."""
    link = session.exec(select(ItemPhoto).where(ItemPhoto.sha256 == sha256).order_by(ItemPhoto.event_id)).first()
    if link is None:
        return None
    attached = session.exec(select(EventRow).where(EventRow.id == link.event_id)).first()
    report = session.exec(select(EventRow).where(EventRow.item_id == link.item_id,
                                                 EventRow.kind == Kind.REPORTED)).first()
    if attached is None or report is None:
        return None
    return event_of(attached), event_of(report)
