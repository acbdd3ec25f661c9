"""The facts of the photos kept on this device (``photos`` rows), handed out as ``PhotoPublic``.

The bytes are in the blob folder; a row says what was read from them when
the photo was taken here, or that a pulled event's photo was fetched.
"""

from datetime import datetime
from typing import Iterable

from sqlalchemy import delete
from sqlmodel import Session, select

from inspector.photos.facts import PhotoFacts
from inspector.store.models import Photo
from inspector.store.public import PhotoPublic


def photo_row(facts: PhotoFacts, uploaded_by: str, now: datetime) -> Photo:
    """The row of a photo whose files are stored: the camera's time naive, its offset apart."""
    taken = facts.taken_at
    return Photo(
        sha256=facts.sha256, width=facts.width, height=facts.height, format=facts.format,
        size_bytes=facts.size_bytes,
        taken_at=taken.replace(tzinfo=None) if taken else None,
        taken_at_offset=taken.strftime("%z") if taken and taken.tzinfo else None,
        gps_lat=facts.gps.lat if facts.gps else None, gps_lon=facts.gps.lon if facts.gps else None,
        gps_alt=facts.gps.alt if facts.gps else None, exif_problems=list(facts.exif_problems),
        uploaded_by=uploaded_by, uploaded_at=now,
    )


def keep(session: Session, facts: PhotoFacts, uploaded_by: str, now: datetime) -> PhotoPublic:
    """The photo's facts, kept the first time (a photo taken twice keeps its first uploader)."""
    row = session.get(Photo, facts.sha256)
    if row is None:
        row = photo_row(facts, uploaded_by, now)
        session.add(row)
    return PhotoPublic.of(row)


def facts_of(session: Session, shas: Iterable[str]) -> dict[str, PhotoPublic]:
    """The facts of those of ``shas`` kept here, by hash (sorted)."""
    wanted = sorted(set(shas))
    if not wanted:
        return {}
    rows = {row.sha256: row for row in session.exec(select(Photo).where(Photo.sha256.in_(wanted))).all()}
    return {sha: PhotoPublic.of(rows[sha]) for sha in wanted if sha in rows}


def uploaders(session: Session, shas: Iterable[str]) -> dict[str, str]:
    """Who took each of ``shas`` that has a row here: sha256 -> user id."""
    wanted = set(shas)
    if not wanted:
        return {}
    return dict(session.exec(select(Photo.sha256, Photo.uploaded_by).where(Photo.sha256.in_(wanted))).all())


def clear(session: Session) -> None:
    """Forget the photo facts (another person's copy); the blobs stay, content-addressed."""
    session.exec(delete(Photo))
