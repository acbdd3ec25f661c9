"""The tables. ``items`` is a projection of ``events``; everything else is plain data.

Table models are never returned from the API as they are (some hold secrets):
``inspector.sync.wire`` and the services shape what goes out.
"""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, DateTime, Index, Integer, LargeBinary
from sqlmodel import Field, SQLModel

from inspector.store.types import UTCDateTime


def _time(nullable: bool = True, index: bool = False) -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), nullable=nullable, index=index))


def _json(default=None) -> Any:
    return Field(default_factory=lambda: default() if default else None, sa_column=Column(JSON, nullable=True))


class OfficeRow(SQLModel, table=True):
    __tablename__ = "offices"
    code: str = Field(primary_key=True, max_length=40)


class User(SQLModel, table=True):
    __tablename__ = "users"
    id: str = Field(primary_key=True, max_length=36)
    username: str = Field(unique=True, index=True, max_length=80)
    # NFKC + case folding of username (inspector.domain.accounts.username_key): logins match by it
    username_key: str = Field(unique=True, index=True, max_length=80)
    display_name: str = Field(default="", max_length=120)
    password_hash: str = Field(max_length=200)
    role: str = Field(max_length=20)
    office_code: str | None = Field(default=None, foreign_key="offices.code", max_length=40)
    disabled: bool = False
    created_at: datetime = _time(nullable=False)


class LoginAttempt(SQLModel, table=True):
    """A login being checked or one that failed, counted by the throttles for a while.

    Kept in the database so several servers sharing one PostgreSQL throttle together."""

    __tablename__ = "login_attempts"
    id: str = Field(primary_key=True, max_length=36)
    username_key: str | None = Field(default=None, index=True, max_length=80)  # None once the name's owner got in
    address: str | None = Field(default=None, index=True, max_length=64)
    at: datetime = _time(nullable=False, index=True)


class Token(SQLModel, table=True):
    __tablename__ = "tokens"
    token_hash: str = Field(primary_key=True, max_length=64)  # SHA-256 of the bearer token
    user_id: str = Field(foreign_key="users.id", index=True, max_length=36)
    device_id: str | None = Field(default=None, max_length=64)
    created_at: datetime = _time(nullable=False)
    expires_at: datetime = _time(nullable=False)
    revoked_at: datetime | None = _time()


class Device(SQLModel, table=True):
    __tablename__ = "devices"
    id: str = Field(primary_key=True, max_length=64)
    user_id: str = Field(foreign_key="users.id", index=True, max_length=36)
    first_seen_at: datetime = _time(nullable=False)
    last_seen_at: datetime = _time(nullable=False)


class Site(SQLModel, table=True):
    __tablename__ = "sites"
    id: str = Field(primary_key=True, max_length=36)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=40)  # construction_site, green_belt, community, office_area
    office_code: str = Field(foreign_key="offices.code", max_length=40)
    lat: float
    lon: float
    radius_m: float = 200.0
    # the register (migration 0011, issue 11): optional address and contact; a site taken off the register
    # stays for the items and visits that name it
    address: str = Field(default="", max_length=200)
    contact: str = Field(default="", max_length=120)
    active: bool = Field(default=True)


class Delegation(SQLModel, table=True):
    """A spot checker's delegated scope: offices and/or sites, for a period."""

    __tablename__ = "delegations"
    id: str = Field(primary_key=True, max_length=36)
    user_id: str = Field(foreign_key="users.id", index=True, max_length=36)
    offices: list[str] = _json(list)
    sites: list[str] = _json(list)
    starts: datetime | None = _time()
    ends: datetime | None = _time()
    created_at: datetime = _time(nullable=False)


class Item(SQLModel, table=True):
    """One problem found in the field, as projected from its events."""

    __tablename__ = "items"
    __table_args__ = (
        Index("ix_items_office_status", "office_code", "status"),
        Index("ix_items_status_deadline", "status", "deadline"),
        Index("ix_items_status_reported", "status", "reported_at"),
    )
    id: str = Field(primary_key=True, max_length=36)
    number: str | None = Field(default=None, unique=True, max_length=20)
    version: int
    status: str = Field(index=True, max_length=20)
    category: str = Field(index=True, max_length=40)
    office_code: str = Field(foreign_key="offices.code", index=True, max_length=40)
    site_id: str | None = Field(default=None, index=True, max_length=36)
    severity: str = Field(max_length=20)
    check_type: str = Field(index=True, max_length=20)
    description: str = ""
    lat: float
    lon: float
    accuracy_m: float | None = None
    location_source: str = Field(max_length=10)
    reported_by: str = Field(index=True, max_length=36)
    reported_at: datetime = _time(nullable=False, index=True)
    updated_at: datetime = _time(nullable=False)
    photos: list[str] = _json(list)
    fix_photos: list[str] = _json(list)
    leader: str | None = None
    deadline: datetime | None = _time(index=True)
    assigned_at: datetime | None = _time()
    fix_submitted_at: datetime | None = _time()
    verified_at: datetime | None = _time()
    closed_at: datetime | None = _time()
    look_back_due: datetime | None = _time(index=True)
    extension_until: datetime | None = _time()
    extension_reason: str | None = None
    extensions_granted: int = 0
    rework_count: int = 0
    rebound_count: int = 0
    last_reason: str | None = None
    spot_agree: int = 0
    spot_disagree: int = 0
    disputed: bool = False
    comment_count: int = 0
    last_seq: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    # returns and supporting offices (migration 0005). The supporting offices are ",code,code," so that
    # one LIKE finds an office's items (``queries.visible_to``); ``convert`` turns them into a tuple.
    supporting_offices: str = Field(default="", max_length=200)
    returned_at: datetime | None = _time()
    return_code: str | None = Field(default=None, max_length=40)
    return_reason: str | None = None
    return_office: str | None = Field(default=None, max_length=40)
    return_count: int = 0
    # duplicates and merges (migration 0006): the item this one duplicates; evidence_added events
    merged_into: str | None = Field(default=None, index=True, max_length=36)
    evidence_count: int = 0
    # D, 督办 (migration 0007): the steps recorded against the current deadline ("2d,due,overdue,...";
    # ``convert`` makes it a tuple) and the supervision level they put the item at (0, 1, 2)
    reminded: str = Field(default="", max_length=200)
    supervision: int = Field(default=0, index=True)
    # inspections (migration 0011, issue 11): the visit and checklist point a failed point became, and the
    # number the provincial technical assessment gave a finding imported as an item
    visit_id: str | None = Field(default=None, index=True, max_length=36)
    check_point: str | None = Field(default=None, max_length=60)
    finding_number: str | None = Field(default=None, index=True, max_length=40)


class EventRow(SQLModel, table=True):
    """The log. Rows are appended, never updated or deleted."""

    __tablename__ = "events"
    seq: int | None = Field(
        default=None,
        sa_column=Column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    )
    id: str = Field(unique=True, max_length=36)
    # No foreign keys to items or users: a field client's copy of the log holds
    # events of items and people it has not (yet) seen in full.
    item_id: str = Field(index=True, max_length=36)
    kind: str = Field(max_length=30)
    actor_id: str = Field(max_length=36)
    device_id: str | None = Field(default=None, max_length=64)
    at: datetime = _time(nullable=False)
    server_at: datetime = _time(nullable=False)
    base_version: int
    base_status: str | None = Field(default=None, max_length=20)
    number: str | None = Field(default=None, max_length=20)
    payload: dict = _json(dict)


class Rejection(SQLModel, table=True):
    """An event the server refused, kept so that a retry gets the same answer."""

    __tablename__ = "rejections"
    id: str = Field(primary_key=True, max_length=36)  # the refused event's id
    item_id: str = Field(index=True, max_length=36)
    kind: str = Field(max_length=30)
    actor_id: str = Field(max_length=36)
    device_id: str | None = Field(default=None, max_length=64)
    received_at: datetime = _time(nullable=False)
    code: str = Field(max_length=60)
    details: dict = _json(dict)
    payload: dict = _json(dict)


class Photo(SQLModel, table=True):
    __tablename__ = "photos"
    sha256: str = Field(primary_key=True, max_length=64)
    width: int
    height: int
    format: str = Field(max_length=10)
    size_bytes: int
    # The camera's wall-clock time as EXIF wrote it: naive on purpose (its offset, when the
    # camera gave one, is in taken_at_offset).
    taken_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=False), nullable=True))
    taken_at_offset: str | None = Field(default=None, max_length=10)
    gps_lat: float | None = None
    gps_lon: float | None = None
    gps_alt: float | None = None
    exif_problems: list[str] = _json(list)
    uploaded_by: str = Field(max_length=36)
    uploaded_at: datetime = _time(nullable=False)


class ItemPhoto(SQLModel, table=True):
    """Which item uses which photo, and by which event: who may fetch a photo follows from it."""

    __tablename__ = "item_photos"
    item_id: str = Field(foreign_key="items.id", primary_key=True, max_length=36)
    # Indexed alone too: a photo read asks which items cite a hash.
    sha256: str = Field(primary_key=True, index=True, max_length=64)
    event_id: str = Field(max_length=36)
    role: str = Field(max_length=20)  # before, after, look_back, spot_check


class DayCounter(SQLModel, table=True):
    """The last item number handed out on a local day (numbers like 2026-0715-032)."""

    __tablename__ = "day_counters"
    day: str = Field(primary_key=True, max_length=10)
    last: int = 0


# --- scoring and information reporting (migration 0002) ---------------------------------------
# The monthly scoreboard loads items by when they were assigned, verified and fixed.
Index("ix_items_assigned_at", Item.assigned_at)
Index("ix_items_verified_at", Item.verified_at)
Index("ix_items_fix_submitted_deadline", Item.fix_submitted_at, Item.deadline)  # overdue at a past month end


class InfoReporter(SQLModel, table=True):
    """The one person an office names to report the campaign's progress (信息报送员)."""

    __tablename__ = "info_reporters"
    office_code: str = Field(primary_key=True, foreign_key="offices.code", max_length=40)
    user_id: str = Field(foreign_key="users.id", index=True, max_length=36)
    named_by: str = Field(max_length=36)
    named_at: datetime = _time(nullable=False)


class InfoReport(SQLModel, table=True):
    """A progress note an office's reporter filed for a local day. Appended, never edited."""

    __tablename__ = "info_reports"
    __table_args__ = (Index("ix_info_reports_day_office", "day", "office_code"),)
    id: str = Field(primary_key=True, max_length=36)
    office_code: str = Field(foreign_key="offices.code", index=True, max_length=40)
    day: date
    reporter_id: str = Field(foreign_key="users.id", max_length=36)
    text: str
    photos: list[str] = _json(list)
    created_at: datetime = _time(nullable=False)


# --- campaigns, check rounds and spot-check samples (migration 0003) ---------------------------
class CampaignRow(SQLModel, table=True):
    """The campaign in force: phases, offices, categories, look-back rules, top leaders."""

    __tablename__ = "campaigns"
    id: str = Field(primary_key=True, max_length=36)
    name: str = Field(max_length=200)
    phases: list[dict] = _json(list)  # [{code, starts, ends}] with ISO dates (local days)
    offices: list[str] = _json(list)
    categories: list[str] = _json(list)
    look_back_days: dict = _json(dict)  # category -> days
    top_leaders: dict = _json(dict)  # office -> name of its top leader
    visit_every: dict = _json(dict)  # site type -> check type -> days between visits (issue 11)
    active: bool = Field(default=True, index=True)
    updated_at: datetime = _time(nullable=False)
    updated_by: str | None = Field(default=None, max_length=36)


class CheckRound(SQLModel, table=True):
    """A cross-inspection round (交叉检查): one office inspects another over a span of days."""

    __tablename__ = "check_rounds"
    id: str = Field(primary_key=True, max_length=36)
    name: str = Field(max_length=200)
    check_type: str = Field(default="cross", max_length=20)
    inspecting_office: str = Field(foreign_key="offices.code", max_length=40)
    inspected_office: str = Field(foreign_key="offices.code", max_length=40)
    starts: date
    ends: date
    created_by: str = Field(max_length=36)
    created_at: datetime = _time(nullable=False)


class SpotSample(SQLModel, table=True):
    """A recorded draw of items for a spot checker: seed and candidates kept so anyone can recompute it."""

    __tablename__ = "spot_samples"
    id: str = Field(primary_key=True, max_length=36)
    user_id: str = Field(foreign_key="users.id", index=True, max_length=36)
    seed: str = Field(max_length=40)  # decimal; a string so no client rounds it
    size: int
    candidate_ids: list[str] = _json(list)
    item_ids: list[str] = _json(list)
    drawn_by: str = Field(max_length=36)
    drawn_at: datetime = _time(nullable=False)

# Supervisors' review queue and notices look for the few disputed items among many.
Index("ix_items_disputed", Item.disputed)


# --- shared photo blobs (issue 14, migration 0008) ----------------------------------------------
class SharedBlob(SQLModel, table=True):
    """Photo bytes kept in the database (INSPECTOR_BLOBS=postgres): one row per blob key, written once.

    For servers that share one PostgreSQL but no object store; see inspector.photos.pg_blobs."""

    __tablename__ = "shared_blobs"
    key: str = Field(primary_key=True, max_length=80)  # "<variant>/<sha256>", made by photos.blobs.blob_key
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))  # bytea on PostgreSQL
    size: int
    created_at: datetime = _time(nullable=False)  # the sweep's age of an unnamed blob


# --- the published monthly exam (issue 12, migration 0010) ---------------------------------------
class PublishedMonth(SQLModel, table=True):
    """A month's 月考 as published: the scoreboard frozen as JSON (read back by inspector.store.published).

    One row per month, its primary key: of two publishes at once, exactly one inserts."""

    __tablename__ = "published_months"
    month: str = Field(primary_key=True, max_length=7)  # YYYY-MM, a local calendar month
    published_at: datetime = _time(nullable=False)
    published_by: str = Field(foreign_key="users.id", max_length=36)
    published_by_name: str = Field(max_length=120)  # the name as it was then
    board: dict = _json(dict)  # inspector.domain.scoring.Scoreboard, as JSON


class PublishedItem(SQLModel, table=True):
    """One item behind a published month's numbers: its scoring facts and what the bulletin prints, frozen."""

    __tablename__ = "published_items"
    month: str = Field(primary_key=True, foreign_key="published_months.month", max_length=7)
    item_id: str = Field(primary_key=True, max_length=36)
    office_code: str = Field(max_length=40)
    facts: dict = _json(dict)  # inspector.domain.scoring.Facts, as JSON
    number: str | None = Field(default=None, max_length=20)
    category: str = Field(max_length=40)
    site_name: str | None = Field(default=None, max_length=200)
    leader: str | None = None
    before_photo: str | None = Field(default=None, max_length=64)  # sha256 of the first report photo
    after_photo: str | None = Field(default=None, max_length=64)  # sha256 of the first fix photo, if any


class MonthAmendment(SQLModel, table=True):
    """A correction of a published month (inspector.domain.scoring.exam): appended, never edited."""

    __tablename__ = "month_amendments"
    __table_args__ = (Index("ix_month_amendments_month_seq", "month", "seq", unique=True),)
    id: str = Field(primary_key=True, max_length=36)
    month: str = Field(foreign_key="published_months.month", max_length=7)
    seq: int  # the order amendments apply in, 1, 2, ... per month
    office_code: str = Field(max_length=40)
    kind: str = Field(max_length=10)  # AmendmentKind
    score: float | None = None
    item_id: str | None = Field(default=None, max_length=36)
    reason: str
    made_by: str = Field(foreign_key="users.id", max_length=36)
    made_by_name: str = Field(max_length=120)
    made_at: datetime = _time(nullable=False)


# The inspections' tables (issue 11) and the field client's own are written beside this module and re-exported here: one module
# would pass 400 lines. Imported last, once ``_time`` and ``_json`` exist.
from inspector.store.inspection_models import *  # noqa: E402,F401,F403
from inspector.store.field_models import *  # noqa: E402,F401,F403
