"""Events: the immutable facts an item is made of, and the checks on their payloads."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from types import MappingProxyType
from typing import Any, Mapping
from zoneinfo import ZoneInfo

from inspector.domain import catalog
from inspector.errors import InvalidPayload, UnknownEventKind

DEFAULT_ZONE = ZoneInfo("Asia/Shanghai")

# Kinds that change an item's state and so advance its version. The others
# (comments, spot-check notes) merge whatever the version.
STATE_KINDS = frozenset({
    "reported",
    "assigned",
    "acknowledged",
    "fix_submitted",
    "verified",
    "rejected",
    "extension_requested",
    "extension_granted",
    "extension_refused",
    "dismissed",
    "look_back_passed",
    "rebounded",
    "reopened",
    "dispute_dismissed",
})
MERGING_KINDS = frozenset({"commented", "spot_checked"})
KINDS = STATE_KINDS | MERGING_KINDS

# Fields each kind's payload must carry (beyond these, optional fields pass through).
REQUIRED = {
    "reported": ("category", "location", "photos"),
    "assigned": ("office", "leader", "deadline"),
    "acknowledged": (),
    "fix_submitted": ("photos",),
    "verified": (),
    "rejected": ("reason",),
    "extension_requested": ("until", "reason"),
    "extension_granted": ("until",),
    "extension_refused": ("reason",),
    "dismissed": ("reason",),
    "look_back_passed": ("photos",),
    "rebounded": ("photos", "leader", "deadline"),
    "reopened": ("reason", "leader", "deadline"),
    "dispute_dismissed": ("reason",),
    "commented": ("text",),
    "spot_checked": ("verdict", "photos"),
}
PHOTO_KINDS = frozenset(k for k, fields in REQUIRED.items() if "photos" in fields)
MAX_TEXT = 2000


@dataclass(frozen=True)
class Event:
    """One fact about one item, as stored: client-made id, server-set seq and time."""

    id: str
    item_id: str
    kind: str
    actor_id: str
    at: datetime  # the device's clock: kept, never trusted for order or deadlines
    base_version: int
    payload: Mapping[str, Any] = field(default_factory=dict)
    seq: int | None = None
    server_at: datetime | None = None
    number: str | None = None  # the human item number, set by the server on `reported`

    @property
    def when(self) -> datetime:
        """The time that counts: the server's receipt time once known."""
        return self.server_at or self.at


def frozen_payload(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(payload))


def photos_of(event: Event) -> tuple[str, ...]:
    """The photo hashes an event names (before, after, look-back or spot-check photos)."""
    return photos_of_payload(event.payload)


def photos_of_payload(payload: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(payload.get("photos") or ())


def parse_deadline(value: Any, zone: ZoneInfo = DEFAULT_ZONE) -> datetime:
    """A deadline as an aware UTC datetime; a bare date means the end of that local day."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time(23, 59, 59), zone)
    elif isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 10:
                parsed = datetime.combine(date.fromisoformat(text), time(23, 59, 59), zone)
            else:
                parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise InvalidPayload(problem=f"deadline {value!r} is not a date") from None
    else:
        raise InvalidPayload(problem=f"deadline {value!r} is not a date")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed.astimezone(timezone.utc)


def default_deadline(category_code: str, now: datetime, zone: ZoneInfo = DEFAULT_ZONE) -> datetime:
    """End of the local day ``deadline_days`` after ``now``, the category's default."""
    days = catalog.category(category_code).deadline_days
    local_day = now.astimezone(zone).date() + timedelta(days=days)
    return datetime.combine(local_day, time(23, 59, 59), zone).astimezone(timezone.utc)


def _text(payload: Mapping[str, Any], name: str, required: bool = True) -> None:
    value = payload.get(name)
    if value is None and not required:
        return
    if not isinstance(value, str) or not value.strip():
        raise InvalidPayload(problem=f"{name} must be non-empty text")
    if len(value) > MAX_TEXT:
        raise InvalidPayload(problem=f"{name} is longer than {MAX_TEXT} characters")


def _photos(payload: Mapping[str, Any]) -> None:
    photos = payload.get("photos")
    if not isinstance(photos, (list, tuple)) or not photos:
        raise InvalidPayload(problem="at least one photo is needed")
    for sha in photos:
        if not (isinstance(sha, str) and len(sha) == 64 and all(c in "0123456789abcdef" for c in sha)):
            raise InvalidPayload(problem=f"photo {sha!r} is not a SHA-256 hex digest")


def _location(value: Any) -> None:
    if not isinstance(value, Mapping):
        raise InvalidPayload(problem="location must be an object with lat and lon")
    lat, lon = value.get("lat"), value.get("lon")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lat, lon)):
        raise InvalidPayload(problem="location needs numeric lat and lon")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InvalidPayload(problem="location is outside the globe")
    accuracy = value.get("accuracy_m")
    if accuracy is not None and (not isinstance(accuracy, (int, float)) or accuracy < 0):
        raise InvalidPayload(problem="accuracy_m must be a positive number")
    if value.get("source", "manual") not in catalog.LOCATION_SOURCES:
        raise InvalidPayload(problem=f"location source must be one of {', '.join(catalog.LOCATION_SOURCES)}")


def validate_payload(kind: str, payload: Mapping[str, Any], zone: ZoneInfo = DEFAULT_ZONE) -> None:
    """Refuse a payload that lacks a field or names something the catalogue does not know."""
    if kind not in KINDS:
        raise UnknownEventKind(kind=kind)
    if not isinstance(payload, Mapping):
        raise InvalidPayload(problem="payload must be an object")
    for name in REQUIRED[kind]:
        if payload.get(name) in (None, "", [], {}):
            raise InvalidPayload(problem=f"{kind} needs {name}")
    if kind in PHOTO_KINDS:
        _photos(payload)
    if kind == "reported":
        if payload["category"] not in catalog.CATEGORY_BY_CODE:
            raise InvalidPayload(problem=f"unknown category {payload['category']!r}")
        office = payload.get("office")
        if office is not None and office not in catalog.OFFICE_CODES:
            raise InvalidPayload(problem=f"unknown office {office!r}")
        if payload.get("severity", "normal") not in catalog.SEVERITIES:
            raise InvalidPayload(problem=f"unknown severity {payload.get('severity')!r}")
        if payload.get("check_type", "supervisor") not in catalog.CHECK_TYPES:
            raise InvalidPayload(problem=f"unknown check type {payload.get('check_type')!r}")
        _location(payload["location"])
        _text(payload, "description", required=False)
        site = payload.get("site")
        if site is not None and not isinstance(site, str):
            raise InvalidPayload(problem="site must be a site id or null")
    elif kind == "verified" and payload.get("look_back_days") is not None:
        days = payload["look_back_days"]
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 365:
            raise InvalidPayload(problem="look_back_days must be a whole number of days from 1 to 365")
    elif kind in ("assigned", "rebounded", "reopened"):
        if kind == "assigned" and payload["office"] not in catalog.OFFICE_CODES:
            raise InvalidPayload(problem=f"unknown office {payload['office']!r}")
        _text(payload, "leader")
        parse_deadline(payload["deadline"], zone)
    elif kind in ("extension_requested", "extension_granted"):
        parse_deadline(payload["until"], zone)
    elif kind == "spot_checked":
        if payload["verdict"] not in ("agree", "disagree"):
            raise InvalidPayload(problem="verdict must be agree or disagree")
    for name in ("reason", "text", "note"):
        if name in payload:
            _text(payload, name, required=name in REQUIRED[kind])
