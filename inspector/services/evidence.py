"""The evidence behind an item's photos: when and where each was taken, and what disagrees.

Nothing is blocked here: a time mismatch or an after-photo taken far from the
problem is flagged with its figures for the supervisor to weigh.
"""

from dataclasses import dataclass
from datetime import datetime

from inspector.domain.evidence import time_check
from inspector.domain.events import Event
from inspector.domain.items import ItemState
from inspector.domain.lifecycle import PhotoRole, photo_role
from inspector.geo.checks import same_spot
from inspector.geo.distance import Point
from inspector.geo.position import where_taken
from inspector.settings import Settings
from inspector.store.public import PhotoPublic


@dataclass(frozen=True)
class PhotoEvidence:
    sha256: str
    role: PhotoRole
    event_kind: str
    taken_by: str
    camera_time: datetime | None  # EXIF, in the campaign zone when the camera gave no offset
    device_time: datetime
    server_time: datetime
    time_flagged: bool
    time_disagreements: tuple[tuple[str, str, float], ...]
    photo_lat: float | None
    photo_lon: float | None
    location_source: str | None  # where the photo's position came from: exif or the event's location
    distance_m: float | None  # from the item's location
    distance_flagged: bool


def _camera_time(photo: PhotoPublic, settings: Settings) -> datetime | None:
    if photo.taken_at is None:
        return None
    if photo.taken_at_offset:
        offset = datetime.strptime(photo.taken_at_offset, "%z").tzinfo
        return photo.taken_at.replace(tzinfo=offset)
    return photo.taken_at.replace(tzinfo=settings.zone)


def _position(photo: PhotoPublic, event: Event) -> tuple[Point | None, str | None]:
    where = where_taken([photo], (event.payload or {}).get("location"))
    return (Point(where.lat, where.lon), where.source) if where else (None, None)


def photo_evidence(item: ItemState, events: list[Event], photos: dict[str, PhotoPublic], names: dict[str, str],
                   settings: Settings) -> list[PhotoEvidence]:
    """One entry per photo an event attached, in the order of the log."""
    item_point = Point(item.location.lat, item.location.lon)
    out = []
    for event in events:
        role = photo_role(event.kind)
        for sha in (event.payload or {}).get("photos") or ():
            photo = photos.get(sha)
            if role is None or photo is None:
                continue
            camera = _camera_time(photo, settings)
            times = time_check(camera, event.at, event.server_at, zone=settings.zone,
                               limit_minutes=settings.time_mismatch_minutes)
            point, source = _position(photo, event)
            spot = same_spot(item_point, point, settings.same_spot_m) if role != PhotoRole.BEFORE or source == "exif" \
                else same_spot(None, None)
            out.append(PhotoEvidence(
                sha256=sha, role=role, event_kind=event.kind, taken_by=names.get(event.actor_id, ""),
                camera_time=camera, device_time=event.at, server_time=event.server_at,
                time_flagged=times.flagged, time_disagreements=tuple(times.disagreements),
                photo_lat=point.lat if point else None, photo_lon=point.lon if point else None,
                location_source=source,
                distance_m=None if spot.distance_m is None else round(spot.distance_m, 1),
                distance_flagged=spot.flagged,
            ))
    return out
