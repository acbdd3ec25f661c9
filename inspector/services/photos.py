"""Photos over the wire: store write-once under their hash, tell whether stored, serve variants."""

from dataclasses import dataclass

from inspector.domain import catalog, oversight
from inspector.domain.permissions import Actor
from inspector.errors import PhotoMissing, PhotoNotFound
from inspector.geo.distance import Point
from inspector.geo.places import format_coordinates
from inspector.i18n import t
from inspector.photos.blobs import blob_key
from inspector.photos.derive import derive
from inspector.photos.pipeline import ingest_photo
from inspector.photos.watermark import Stamp, apply_stamp
from inspector.services.context import Context
from inspector.store import photos as photo_store
from inspector.store import queries, sites, users
from inspector.store.engine import read_session, write_session
from inspector.store.public import PhotoPublic

VARIANTS = ("display", "thumb", "original")


@dataclass(frozen=True)
class Stored:
    photo: PhotoPublic
    created: bool


def put_photo(ctx: Context, actor: Actor, sha256: str, data: bytes) -> Stored:
    """Check and store an upload; a repeat of a stored photo changes nothing."""
    settings = ctx.settings
    for _attempt in range(2):
        facts, _ = ingest_photo(ctx.blobs, data, expected_sha256=sha256,
                                max_bytes=settings.photo_max_bytes, max_pixels=settings.photo_max_pixels)
        with write_session(ctx.engine) as session:
            existing = photo_store.photo(session, facts.sha256)
            if existing is not None:
                return Stored(existing, created=False)
            # A start-up sweep (inspector.services.maintenance) removes old files no row names, under
            # this same write lock: if it took this photo's files since ingest found them, write them again.
            if ctx.blobs.exists(blob_key(facts.sha256, "original")):
                return Stored(photo_store.add_photo(session, facts, actor.id, ctx.now()), created=True)
    raise PhotoMissing(sha256=sha256)


def has_photo(ctx: Context, sha256: str) -> bool:
    """Whether the server holds photo ``sha256``."""
    with read_session(ctx.engine) as session:
        return photo_store.has_photo(session, sha256)


def photo_bytes(ctx: Context, actor: Actor, sha256: str, variant: str = "display") -> bytes:
    """The bytes of a variant, for someone who may see the photo (``oversight.sees_photo``).

    The display copy of a photo that belongs to an item carries the item's
    watermark; it is made once, from facts of the log that never change, and kept.
    """
    if variant not in VARIANTS:
        variant = "display"
    with read_session(ctx.engine) as session:
        photo = photo_store.photo(session, sha256)
        if photo is None:
            raise PhotoNotFound(sha256=sha256)
        uses = queries.photo_uses(session, actor, [sha256]).get(sha256, [])
        if not oversight.sees_photo(actor, photo.uploaded_by, uses):
            # A photo one may not see answers as one that does not exist.
            raise PhotoNotFound(sha256=sha256)
        stamp = _stamp(session, ctx, photo) if variant == "display" else None
    if stamp is not None:
        key = blob_key(sha256, "stamped")
        if not ctx.blobs.exists(key):
            ctx.blobs.put(key, apply_stamp(_variant(ctx, sha256, "display"), stamp))
        return ctx.blobs.get(key)
    return _variant(ctx, sha256, variant)


def _variant(ctx: Context, sha256: str, variant: str) -> bytes:
    key = blob_key(sha256, variant)
    if ctx.blobs.exists(key):
        return ctx.blobs.get(key)
    data = derive(ctx.blobs.get(blob_key(sha256, "original")), variant)
    ctx.blobs.put(key, data)
    return data


def _stamp(session, ctx: Context, photo: PhotoPublic) -> Stamp | None:
    """The watermark of the first item event that attached this photo, or None if none did."""
    use = photo_store.first_use(session, photo.sha256)
    if use is None:
        return None
    event, reported = use
    first = reported.payload
    office = first.get("office") or catalog.category(first["category"]).default_office
    author = users.display_names(session, [event.actor_id]).get(event.actor_id, "")
    site = sites.site(session, first["site"]) if first.get("site") else None
    if photo.gps_lat is not None and photo.gps_lon is not None:
        where = Point(photo.gps_lat, photo.gps_lon)
    else:
        spot = event.payload.get("location") or first["location"]
        where = Point(spot["lat"], spot["lon"])
    taken = photo.taken_at or event.server_at.astimezone(ctx.settings.zone).replace(tzinfo=None)
    return Stamp(
        item_number=reported.number or "",
        category=t(f"category.{first['category']}"),
        office=t(f"office.{office}"),
        taken_at=f"{taken:%Y-%m-%d %H:%M}",
        coordinates=format_coordinates(where),
        place=site.name if site else None,
        inspector=author,
    )
