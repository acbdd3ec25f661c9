"""The answers' models, and the domain values and service views shaped into them.

A route returns one of these models, made here from what its service gave:
never a table row, never a dict with keys spliced in (the FastAPI full-stack
template's ``*Public`` models). The wire models the field client shares live in
``inspector/sync/wire.py``; the rest of the server's answers are declared here
or beside their one route.
"""

from dataclasses import asdict, fields
from datetime import datetime
from typing import Any, Literal, TypeVar, get_type_hints

from pydantic import BaseModel, ConfigDict, Field, create_model

from inspector.domain.items import ItemState
from inspector.i18n import error_message
from inspector.store.public import PersonPublic, SitePublic
from inspector.sync.wire import (
    CatalogOut, EventOut, EvidenceOut, ItemDetailOut, ItemList, ItemOut, LocationOut, LookBackOut, PhotoFactsOut,
    PullResponse, PushResponse, PushResult, Reason, UserPublic,
)

Item = TypeVar("Item", bound=ItemOut)


# --- errors -----------------------------------------------------------------------------------------
class ErrorDetailOut(BaseModel):
    code: str = Field(description="stable, e.g. request.invalid, auth.unauthenticated, request.too_large")
    message: str = Field(description="in the request's language (Accept-Language)")
    details: dict[str, Any] = Field(description="the facts behind the message; for request.invalid: problems")


class ErrorOut(BaseModel):
    """Every failure's body."""

    error: ErrorDetailOut


# --- health, catalogue, sites -------------------------------------------------------------------------
class HealthOut(BaseModel):
    status: Literal["ok"] = "ok"


class SitesOut(BaseModel):
    sites: list[SitePublic]


class NearestSiteOut(BaseModel):
    site: SitePublic | None = Field(description="null when no registered site is within the radius")
    distance_m: float | None = Field(description="metres to it, one decimal")


def sites_out(sites) -> SitesOut:
    """The registered sites as the API shows them (rows or public models alike)."""
    return SitesOut(sites=[SitePublic.of(s) for s in sites])


def nearest_out(found) -> NearestSiteOut:
    """``catalog.nearest_site``'s answer: ``(site, metres)`` or ``None``."""
    if found is None:
        return NearestSiteOut(site=None, distance_m=None)
    site, metres = found
    return NearestSiteOut(site=SitePublic.of(site), distance_m=round(metres, 1))


# --- users, items, events, photos ---------------------------------------------------------------------
def user_out(user: PersonPublic) -> UserPublic:
    """A user as the API shows them: no secrets."""
    return UserPublic(id=user.id, username=user.username, display_name=user.display_name,
                      role=user.role, office=user.office_code)


def item_out(s: ItemState, now: datetime, model: type[Item] = ItemOut, **more) -> Item:
    """An item as ``model`` (``ItemOut`` or a model extending it, whose further fields ``more`` gives)."""
    return model(
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
        supporting_offices=list(s.supporting_offices), return_pending=s.return_pending, returned_at=s.returned_at,
        return_code=s.return_code, return_reason=s.return_reason, return_office=s.return_office,
        return_count=s.return_count, merged_into=s.merged_into, evidence_count=s.evidence_count,
        supervision=s.supervision, visit_id=s.visit_id, check_point=s.check_point,
        finding_number=s.finding_number,
        **more,
    )


def item_list_out(page, now: datetime) -> ItemList:
    """A page of ``items.list_items``."""
    return ItemList(items=[item_out(s, now) for s in page.items], total=page.total, page=page.page,
                    page_size=page.page_size)


def event_out(row, names: dict[str, str] | None = None) -> EventOut:
    """A stored event, with its actor's name when ``names`` knows it."""
    return EventOut(
        id=row.id, item_id=row.item_id, kind=row.kind, at=row.at, base_version=row.base_version,
        payload=dict(row.payload or {}), seq=row.seq, server_at=row.server_at, actor=row.actor_id,
        actor_name=(names or {}).get(row.actor_id), number=row.number,
    )


def photo_out(p) -> PhotoFactsOut:
    """A stored photo's facts (row or ``PhotoPublic``); the camera time keeps its EXIF offset."""
    taken = None
    if p.taken_at is not None:
        offset = p.taken_at_offset
        taken = p.taken_at.isoformat() + (f"{offset[:3]}:{offset[3:]}" if offset else "")
    gps = None if p.gps_lat is None else {"lat": p.gps_lat, "lon": p.gps_lon, "alt": p.gps_alt}
    return PhotoFactsOut(sha256=p.sha256, width=p.width, height=p.height, format=p.format,
                         size_bytes=p.size_bytes, taken_at=taken, gps=gps, exif_problems=list(p.exif_problems or ()))


def item_detail_out(detail, evidence, now: datetime) -> ItemDetailOut:
    """``items.get_item``'s item with its timeline, its photos' facts and their evidence."""
    return item_out(detail.item, now, ItemDetailOut,
                    events=[event_out(r, detail.actors) for r in detail.events],
                    photo_facts=[photo_out(p) for p in detail.photos],
                    evidence=[EvidenceOut(**asdict(e)) for e in evidence])


# --- sync --------------------------------------------------------------------------------------------------
def push_out(outcomes, lang: str) -> PushResponse:
    """One answer per pushed event, in the order sent; a refusal in the request's language."""
    return PushResponse(results=[
        PushResult(id=o.id, status=o.status, seq=o.seq,
                   reason=None if o.error is None else Reason(
                       code=o.error.code, message=error_message(o.error, lang),
                       details={k: str(v) for k, v in o.error.details.items()}))
        for o in outcomes
    ])


def pull_out(page, max_bytes: int) -> PullResponse:
    """A pull page, bounded in bytes as well as in events.

    The page stops before the event that would take its events past ``max_bytes``
    (it holds at least one, so a client always moves on),
    and the cursor is the last event sent, so the next pull starts with the one left out.
    """
    out, size = [], 0
    for row in page.events:
        event = event_out(row, page.names)
        size += len(event.model_dump_json().encode())
        if out and size > max_bytes:
            return PullResponse(events=out, next_after=out[-1].seq, has_more=True)
        out.append(event)
    return PullResponse(events=out, next_after=page.next_after, has_more=page.has_more)


# --- look-backs and reviews: items with more to say ---------------------------------------------------
class FindingOut(BaseModel):
    event_id: str
    actor: str
    actor_name: str
    at: datetime
    verdict: str
    note: str | None
    photos: list[str]


class ReviewOut(ItemOut):
    findings: list[FindingOut] = Field(description="spot checkers' disagreements since the last settlement")


def look_back_out(lb, now: datetime) -> LookBackOut:
    """``oversight.look_backs_due``'s entry: the item, how far, how many days left."""
    return item_out(lb.item, now, LookBackOut, distance_m=lb.distance_m, look_back_days_left=lb.days_left,
                    look_back_overdue=lb.overdue)


def review_out(review, now: datetime) -> ReviewOut:
    """``oversight.reviews``'s entry: the disputed item and the disagreements with its verdict."""
    return item_out(review.item, now, ReviewOut, findings=[
        FindingOut(event_id=f.event_id, actor=f.actor_id, actor_name=f.actor_name, at=f.at, verdict=f.verdict,
                   note=f.note, photos=list(f.photos)) for f in review.findings])


# --- models taken from a service's view -------------------------------------------------------------------
class FromView(BaseModel):
    """A response model read from a service's dataclass: ``Model.model_validate(view)``."""

    model_config = ConfigDict(from_attributes=True)


def model_of(view: type, name: str, **descriptions: str) -> type[FromView]:
    """A response model named ``name`` with the fields of the service's view (a dataclass or a model).

    The view is the one list of the answer's fields: a field added to the service's view
    is in the API's answer and schema too (tuples go out as JSON arrays)."""
    types = get_type_hints(view)
    names = view.model_fields if issubclass(view, BaseModel) else [f.name for f in fields(view)]
    return create_model(name, __base__=FromView, **{
        field: (types[field], Field(description=descriptions.get(field))) for field in names
    })
