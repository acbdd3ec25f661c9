"""Domain values and rows shaped into the wire models."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from inspector.domain.items import ItemState
from inspector.store.models import EventRow, Photo, User
from inspector.sync.wire import EventOut, ItemOut, LocationOut, PhotoFactsOut, UserPublic


def user_out(user: User) -> UserPublic:
    return UserPublic(id=user.id, username=user.username, display_name=user.display_name,
                      role=user.role, office=user.office_code)


def item_out(s: ItemState, now: datetime) -> dict:
    return ItemOut(
        id=s.id, number=s.number, version=s.version, status=s.status, category=s.category, office=s.office,
        site=s.site_id, severity=s.severity, check_type=s.check_type, description=s.description,
        location=LocationOut(lat=s.location.lat, lon=s.location.lon, accuracy_m=s.location.accuracy_m,
                             source=s.location.source),
        reported_by=s.reported_by, reported_at=s.reported_at, updated_at=s.updated_at,
        photos=list(s.photos), fix_photos=list(s.fix_photos), leader=s.leader, deadline=s.deadline,
        overdue=s.overdue(now), days_left=s.days_left(now), verified_at=s.verified_at, closed_at=s.closed_at,
        look_back_due=s.look_back_due, extension_until=s.extension_until, extension_reason=s.extension_reason,
        rework_count=s.rework_count, rebound_count=s.rebound_count, last_reason=s.last_reason,
        spot_agree=s.spot_agree, spot_disagree=s.spot_disagree, disputed=s.disputed, last_seq=s.last_seq,
    ).model_dump()


def event_out(row: EventRow, names: dict[str, str] | None = None) -> EventOut:
    return EventOut(
        id=row.id, item_id=row.item_id, kind=row.kind, at=row.at, base_version=row.base_version,
        payload=row.payload or {}, seq=row.seq, server_at=row.server_at, actor=row.actor_id,
        actor_name=(names or {}).get(row.actor_id), number=row.number,
    )


def photo_out(p: Photo) -> PhotoFactsOut:
    taken = None
    if p.taken_at is not None:
        taken = p.taken_at.isoformat() + (f"{p.taken_at_offset[:3]}:{p.taken_at_offset[3:]}" if p.taken_at_offset else "")
    gps = None if p.gps_lat is None else {"lat": p.gps_lat, "lon": p.gps_lon, "alt": p.gps_alt}
    return PhotoFactsOut(sha256=p.sha256, width=p.width, height=p.height, format=p.format,
                         size_bytes=p.size_bytes, taken_at=taken, gps=gps, exif_problems=p.exif_problems or [])


class ErrorDetailOut(BaseModel):
    code: str = Field(description="stable, e.g. request.invalid, auth.unauthenticated, request.too_large")
    message: str = Field(description="in the request's language (Accept-Language)")
    details: dict[str, Any] = Field(description="the facts behind the message; for request.invalid: problems")


class ErrorOut(BaseModel):
    """Every failure's body."""

    error: ErrorDetailOut
