"""What travels over HTTP: request and response bodies, documented in the OpenAPI schema.

Unknown fields are refused (``extra="forbid"``) so a typo in a client shows up
as a clear 422 rather than as silently dropped data.
"""

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

from inspector.domain.checklists import CheckPoint, Checklist, point_dict
from inspector.domain.events import FIRST_DAY, LAST_DAY, Event, frozen_payload
from inspector.domain.lifecycle import KINDS, Kind, describe
from inspector.store.public import SitePublic


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TokenRequest(Strict):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=200)
    device_id: str | None = Field(None, max_length=64, description="the field client's device id, if any")


class UserPublic(BaseModel):
    id: str
    username: str
    display_name: str
    role: str
    office: str | None


class TokenResponse(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime
    user: UserPublic


class LocationIn(BaseModel):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    accuracy_m: float | None = Field(None, ge=0)
    source: Literal["gps", "exif", "manual"] = "manual"


class EventEnvelope(Strict):
    """One event as a client sends it. The actor is the authenticated user."""

    id: UUID
    item_id: UUID
    kind: str = Field(description="one of: " + ", ".join(sorted(KINDS)) + "; or visited (a visit of a site, "
                                  "item_id: the visit's id; not pulled)")
    at: datetime = Field(description="the device's clock when the event was made, with offset; years 2000-2099")
    base_version: int = Field(ge=0, le=2**63 - 1, description="the item version the change was made from; "
                                                              "0 for reported")
    payload: dict[str, Any] = Field(
        default_factory=dict,
        description=(
            "Each kind's fields (? marks optional ones); unknown fields, wrong JSON types, over-long text and "
            "control characters in text are refused for that event alone, with a reason: "
            + "; ".join(describe(kind) for kind in Kind)
        ),
    )


    @field_validator("at")
    @classmethod
    def _within_the_calendar(cls, value: datetime) -> datetime:
        # A device clock at the calendar's ends (0001-01-01+14:00) overflows when turned into UTC.
        if not FIRST_DAY.year <= value.year <= LAST_DAY.year:
            raise ValueError(f"at must be a time in the years {FIRST_DAY.year} to {LAST_DAY.year}")
        return value


class PushRequest(Strict):
    device_id: str = Field(min_length=1, max_length=64)
    events: list[EventEnvelope] = Field(max_length=1000)


class Reason(BaseModel):
    code: str
    message: str
    details: dict[str, Any] = {}


class PushResult(BaseModel):
    id: str
    status: Literal["accepted", "duplicate", "rejected"]
    seq: int | None = None
    reason: Reason | None = None


class PushResponse(BaseModel):
    results: list[PushResult]


class EventOut(BaseModel):
    id: str
    item_id: str
    kind: str
    at: datetime
    base_version: int
    payload: dict[str, Any]
    seq: int
    server_at: datetime
    actor: str = Field(description="the id of the user who made the event")
    actor_name: str | None = None
    number: str | None = Field(None, description="the item's human number, on reported events")


    def event(self) -> Event:
        """The domain event this is (the field client keeps it as a confirmed one)."""
        return Event(id=self.id, item_id=self.item_id, kind=self.kind, actor_id=self.actor, at=self.at,
                     base_version=self.base_version, payload=frozen_payload(self.payload), seq=self.seq,
                     server_at=self.server_at, number=self.number)


class PullResponse(BaseModel):
    events: list[EventOut]
    next_after: int
    has_more: bool


class PhotoFactsOut(BaseModel):
    sha256: str
    width: int
    height: int
    format: str
    size_bytes: int
    taken_at: str | None = Field(None, description="camera time as written in EXIF (local, offset if known)")
    gps: dict[str, float | None] | None = None
    exif_problems: list[str] = []


class LocationOut(BaseModel):
    lat: float
    lon: float
    accuracy_m: float | None
    source: str


class ItemOut(BaseModel):
    """An item as it stands now; ``overdue`` and ``days_left`` are judged at the time of the answer."""

    id: str
    number: str | None = Field(description="the human number the server gave the report; null before")
    version: int = Field(description="how many changes the item has had; a change is made from this version")
    status: str
    category: str
    office: str
    site: str | None
    severity: str
    check_type: str
    description: str
    location: LocationOut
    reported_by: str
    reported_at: datetime
    updated_at: datetime
    photos: list[str]
    fix_photos: list[str]
    leader: str | None
    deadline: datetime | None
    overdue: bool
    days_left: int | None
    verified_at: datetime | None
    closed_at: datetime | None
    look_back_due: datetime | None
    extension_until: datetime | None
    extension_reason: str | None
    rework_count: int
    rebound_count: int
    last_reason: str | None
    spot_agree: int
    spot_disagree: int
    disputed: bool
    last_seq: int | None
    # A: lead and supporting offices, returns (退回/申辩)
    supporting_offices: list[str] = Field(default_factory=list,
                                          description="offices supporting the lead office (配合): they see the "
                                          "item and may comment and add photos; the lead acts and is scored")
    return_pending: bool = Field(False, description="the lead office's return waits for the supervisor")
    returned_at: datetime | None = None
    return_code: str | None = Field(None, description="not_our_area, not_a_problem or needs_another_office")
    return_reason: str | None = None
    return_office: str | None = Field(None, description="the office the return says the item belongs to")
    return_count: int = 0
    # B: duplicates and evidence
    merged_into: str | None = Field(None, description="status merged: the id of the item this one duplicates")
    evidence_count: int = Field(0, description="evidence_added events: fresh photos from anyone who sees it")
    # D: 督办
    supervision: int = Field(0, description="督办 level the server's steps put the item at: 0 none, "
                             "1 supervised, 2 escalated (while the office holds it)")
    # issue 11: inspections against the standard
    visit_id: str | None = Field(None, description="the visit whose failed checklist point this item is")
    check_point: str | None = Field(None, description="... and that point's code")
    finding_number: str | None = Field(None, description="technical assessment: the finding's own number")


class ItemList(BaseModel):
    items: list[ItemOut]
    total: int
    page: int
    page_size: int


class EvidenceOut(BaseModel):
    """When and where one photo was taken, and whether that disagrees with the rest."""

    sha256: str
    role: Literal["before", "after", "look_back", "spot_check", "return", "evidence"]
    event_kind: str
    taken_by: str
    camera_time: datetime | None = Field(description="EXIF capture time (campaign zone when the camera gave none)")
    device_time: datetime
    server_time: datetime
    time_flagged: bool = Field(description="two of the three times differ by more than the configured minutes")
    time_disagreements: list[tuple[str, str, float]] = Field(description="(clock, clock, minutes apart)")
    photo_lat: float | None
    photo_lon: float | None
    location_source: str | None
    distance_m: float | None = Field(description="metres from the item's location")
    distance_flagged: bool = Field(description="farther than the configured same-spot distance")
    accuracy_m: float | None = Field(None, description="the position's accuracy as the phone gave it (none for EXIF)")
    location_flags: list[Literal["poor_accuracy", "zero_accuracy", "repeated_spot", "mock_provider"]] = Field(
        default_factory=list, description="doubts about the position: accuracy worse than the configured metres, "
        "exactly 0, the same coordinates on another local day by the same person, or a position the device "
        "said came from a mock provider (the event location's mocked)")
    repeated_on: list[date] = Field(default_factory=list, description="those other local days")


class ItemDetailOut(ItemOut):
    events: list[EventOut]
    photo_facts: list[PhotoFactsOut]
    evidence: list[EvidenceOut]


# --- checklists against the standard (issue 11) ------------------------------------------------
class CheckPointOut(BaseModel):
    code: str
    text: dict[str, str] = Field(description="the words per language: zh-CN, en")
    category: str = Field(description="the problem category a failure of the point becomes")
    starred: bool = Field(description="带*号: one starred failure fails the visit")


class ChecklistOut(BaseModel):
    """One version of a site type's checklist; a visit names it by ``id``."""

    id: str
    site_type: str
    version: int
    points: list[CheckPointOut]

    @classmethod
    def of(cls, c: Checklist) -> "ChecklistOut":
        return cls(id=c.id, site_type=c.site_type, version=c.version, points=[point_dict(p) for p in c.points])

    def checklist(self) -> Checklist:
        """The domain's value of this answer (the field client keeps it)."""
        return Checklist(id=self.id, site_type=self.site_type, version=self.version, points=tuple(
            CheckPoint(code=p.code, text=dict(p.text), category=p.category, starred=p.starred) for p in self.points))


class ChecklistsOut(BaseModel):
    """``GET /api/checklists``: the current version of every site type's checklist."""

    checklists: list[ChecklistOut]


# --- what the field client reads of answers documented elsewhere --------------------------
class SiteList(BaseModel):
    """``GET /api/sites``."""

    sites: list[SitePublic]


class SampleSeen(BaseModel):
    """Of one drawn item, whether this spot checker has recorded a finding on it."""

    id: str
    checked: bool = False


class SampleKept(BaseModel):
    """Of a spot checker's draw (``GET /api/spot-samples``), what the field client keeps for offline use."""

    id: str
    drawn_at: datetime
    item_ids: list[str]
    items: list[SampleSeen] = []


class DelegatedOffices(BaseModel):
    """Of a delegation (``GET /api/delegations``), the offices whose records a spot checker may read."""

    offices: list[str] = []


# --- answers the field client reads besides items and events ---------------------------------
class CodeOut(BaseModel):
    code: str
    names: dict[str, str] = Field(description="language -> the code's name")


class CategoryOut(CodeOut):
    default_office: str
    deadline_days: int
    look_back_days: int
    icon: str


class CatalogOut(BaseModel):
    offices: list[CodeOut]
    categories: list[CategoryOut]
    severities: list[CodeOut]
    check_types: list[CodeOut]
    roles: list[CodeOut]
    statuses: list[CodeOut]


class LookBackOut(ItemOut):
    distance_m: float | None = Field(description="metres from the point asked about (geodesic)")
    look_back_days_left: int = Field(description="whole days until the look-back is due; negative: overdue")
    look_back_overdue: bool


class PhaseOut(BaseModel):
    code: str
    name: str
    starts: date
    ends: date


class CampaignOut(BaseModel):
    id: str
    name: str
    phases: list[PhaseOut]
    offices: list[str]
    categories: list[str]
    look_back_days: dict[str, int] = Field(description="as configured")
    look_back_days_in_force: dict[str, int] = Field(description="every campaign category -> the days in force")
    top_leaders: dict[str, str]
    active: bool
    visit_every: dict[str, dict[str, int]] = Field({}, description="as configured; {}: the defaults")
    visit_every_in_force: dict[str, dict[str, int]] = Field({}, description="site type -> check type -> days")
    today: date = Field(description="the local day the current phase is judged on")
    current_phase: str | None
    current_phase_name: str
    updated_at: datetime
    updated_by: str | None


class NoticeOut(BaseModel):
    kind: str = Field(description="assigned_to_office, deadline_soon, overdue, fix_rejected, look_back_due, "
                                  "spot_disagreement, escalated, site_overdue")
    item_id: str = Field(description="the item; empty for site_overdue")
    site: str | None = Field(None, description="site_overdue: the site's id")
    check_type: str | None = Field(None, description="site_overdue: the check it is overdue for")
    number: str | None
    at: datetime = Field(description="the deadline, due date or moment the notice is about")
    title: str
    message: str


class NoticesOut(BaseModel):
    notices: list[NoticeOut]
    total: int
