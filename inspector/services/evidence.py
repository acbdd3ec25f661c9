"""The evidence behind an item's photos: when and where each was taken, and what disagrees.

Nothing is blocked here: a time mismatch, an after-photo taken far from the
problem or a position that looks faked is flagged with its figures for the
supervisor to weigh.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Mapping

from inspector.domain.evidence import location_flags, repeated_days, time_check
from inspector.domain.events import Event
from inspector.domain.items import ItemState
from inspector.domain.lifecycle import PhotoRole, photo_role
from inspector.geo.checks import same_spot
from inspector.geo.distance import Point
from inspector.geo.position import where_taken
from inspector.services.context import Context
from inspector.settings import Settings
from inspector.store.engine import read_session
from inspector.store.evidence import reports_at
from inspector.store.public import PhotoPublic

# person -> (lat, lon, device time) of their reports of other items at one of the item's photo points
Elsewhere = Mapping[str, list[tuple[float, float, datetime]]]


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
    accuracy_m: float | None  # the position's own, when the phone gave one (EXIF carries none)
    location_flags: tuple[str, ...]  # poor_accuracy, zero_accuracy, repeated_spot (inspector.domain.evidence)
    repeated_on: tuple[date, ...]  # other local days the same person stood on exactly this point


def _camera_time(photo: PhotoPublic, settings: Settings) -> datetime | None:
    if photo.taken_at is None:
        return None
    if photo.taken_at_offset:
        offset = datetime.strptime(photo.taken_at_offset, "%z").tzinfo
        return photo.taken_at.replace(tzinfo=offset)
    return photo.taken_at.replace(tzinfo=settings.zone)


def _position(photo: PhotoPublic, event: Event) -> tuple[Point | None, str | None, float | None]:
    where = where_taken([photo], (event.payload or {}).get("location"))
    return (Point(where.lat, where.lon), where.source, where.accuracy_m) if where else (None, None, None)


def _spots(events: list[Event], photos: dict[str, PhotoPublic]) -> set[tuple[str, float, float]]:
    """Every (person, lat, lon) a photo of the log was taken at."""
    out = set()
    for event in events:
        for sha in (event.payload or {}).get("photos") or ():
            if sha in photos:
                point = _position(photos[sha], event)[0]
                if point is not None:
                    out.add((event.actor_id, point.lat, point.lon))
    return out


def _repeated(event: Event, point: Point | None, elsewhere: Elsewhere, settings: Settings) -> tuple[date, ...]:
    if point is None:
        return ()
    return repeated_days(point.lat, point.lon, event.at, elsewhere.get(event.actor_id, ()), zone=settings.zone)


def reports_elsewhere(ctx: Context, item: ItemState, events: list[Event], photos: dict[str, PhotoPublic]) -> Elsewhere:
    """For each person who took a photo of the item, where and when they reported other items from exactly
    one of the points their photos were taken at."""
    out: dict[str, list[tuple[float, float, datetime]]] = {}
    spots = _spots(events, photos)
    with read_session(ctx.engine) as session:
        for person in sorted({who for who, _, _ in spots}):
            points = [(lat, lon) for who, lat, lon in spots if who == person]
            for other in reports_at(session, person, points, except_item=item.id):
                loc = (other.payload or {}).get("location") or {}
                if loc.get("lat") is not None and loc.get("lon") is not None:
                    out.setdefault(person, []).append((loc["lat"], loc["lon"], other.at))
    return out


def item_evidence(ctx: Context, item: ItemState, events: list[Event], photos: dict[str, PhotoPublic],
                  names: dict[str, str]) -> list[PhotoEvidence]:
    """``photo_evidence`` with the repeated-spot check read from the store."""
    return photo_evidence(item, events, photos, names, ctx.settings, reports_elsewhere(ctx, item, events, photos))


def photo_evidence(item: ItemState, events: list[Event], photos: dict[str, PhotoPublic], names: dict[str, str],
                   settings: Settings, elsewhere: Elsewhere | None = None) -> list[PhotoEvidence]:
    """One entry per photo an event attached, in the order of the log.

    ``elsewhere`` (from ``reports_elsewhere``) feeds the repeated-spot check; without
    it no position is found repeated.
    """
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
            point, source, accuracy = _position(photo, event)
            repeated = _repeated(event, point, elsewhere or {}, settings)
            # The phone's own word on its position stands whichever position speaks for the photo.
            mocked = ((event.payload or {}).get("location") or {}).get("mocked") is True
            spot = same_spot(item_point, point, settings.same_spot_m) if role != PhotoRole.BEFORE or source == "exif" \
                else same_spot(None, None)
            out.append(PhotoEvidence(
                sha256=sha, role=role, event_kind=event.kind, taken_by=names.get(event.actor_id, ""),
                camera_time=camera, device_time=event.at, server_time=event.server_at,
                time_flagged=times.flagged, time_disagreements=tuple(times.disagreements),
                photo_lat=point.lat if point else None, photo_lon=point.lon if point else None,
                location_source=source,
                distance_m=None if spot.distance_m is None else round(spot.distance_m, 1),
                distance_flagged=spot.flagged, accuracy_m=accuracy, repeated_on=repeated,
                location_flags=location_flags(accuracy, repeated, settings.location_accuracy_m, mocked),
            ))
    return out
