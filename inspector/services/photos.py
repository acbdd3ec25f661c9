"""Photos over the wire: store write-once under their hash, tell whether stored, serve variants."""

from dataclasses import dataclass

from inspector.domain.permissions import Actor
from inspector.errors import PhotoNotFound
from inspector.photos.pipeline import ingest_photo
from inspector.photos.derive import derive
from inspector.photos.blobs import blob_key
from inspector.services.context import Context
from inspector.store import queries
from inspector.store.engine import read_session, write_session
from inspector.store.models import Photo

VARIANTS = ("display", "thumb", "original")


@dataclass(frozen=True)
class Stored:
    photo: Photo
    created: bool


def put_photo(ctx: Context, actor: Actor, sha256: str, data: bytes) -> Stored:
    """Check and store an upload; a repeat of a stored photo changes nothing."""
    settings = ctx.settings
    facts, _ = ingest_photo(ctx.blobs, data, expected_sha256=sha256,
                            max_bytes=settings.photo_max_bytes, max_pixels=settings.photo_max_pixels)
    with write_session(ctx.engine) as session:
        existing = session.get(Photo, facts.sha256)
        if existing is not None:
            return Stored(existing, created=False)
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
            uploaded_by=actor.id,
            uploaded_at=ctx.now(),
        )
        session.add(row)
    return Stored(row, created=True)


def has_photo(ctx: Context, sha256: str) -> bool:
    with read_session(ctx.engine) as session:
        return session.get(Photo, sha256) is not None


def photo_bytes(ctx: Context, actor: Actor, sha256: str, variant: str = "display") -> bytes:
    """The bytes of a variant, for someone who sees an item using the photo (or uploaded it)."""
    if variant not in VARIANTS:
        variant = "display"
    with read_session(ctx.engine) as session:
        photo = session.get(Photo, sha256)
        if photo is None:
            raise PhotoNotFound(sha256=sha256)
        if photo.uploaded_by != actor.id and actor.role not in ("supervisor", "admin") \
                and not queries.photo_visible(session, actor, sha256):
            raise PhotoNotFound(sha256=sha256)
    key = blob_key(sha256, variant)
    if ctx.blobs.exists(key):
        return ctx.blobs.get(key)
    data = derive(ctx.blobs.get(blob_key(sha256, "original")), variant)
    ctx.blobs.put(key, data)
    return data
