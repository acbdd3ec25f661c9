"""Events: the immutable facts an item is made of (their payloads' schemas are in ``payloads``)."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from types import MappingProxyType
from typing import Any, Mapping
from zoneinfo import ZoneInfo

from inspector.domain import catalog
from inspector.errors import InvalidPayload

DEFAULT_ZONE = ZoneInfo("Asia/Shanghai")

MAX_TEXT = 2000  # characters of one free-text field (description, reason, note, comment)


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
    """The photo hashes a payload names; read before the payload is checked, so anything else names none."""
    photos = payload.get("photos") if isinstance(payload, Mapping) else None
    if not isinstance(photos, (list, tuple)):
        return ()
    return tuple(sha for sha in photos if isinstance(sha, str))


# Days outside these years mean nothing to a campaign, and the calendar's ends overflow when a
# local day becomes a UTC instant (0001-01-01 at UTC+8) or the day after is taken (9999-12-31).
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)


def end_of_day(day: date, zone: ZoneInfo = DEFAULT_ZONE) -> datetime:
    """The last second of the local day ``day``: what a deadline or a period's end given as a day means."""
    return datetime.combine(day, time(23, 59, 59), zone)


def start_of_day(day: date, zone: ZoneInfo = DEFAULT_ZONE) -> datetime:
    """The first instant of the local day ``day``: what a period's start given as a day means."""
    return datetime.combine(day, time(), zone)


def parse_deadline(value: Any, zone: ZoneInfo = DEFAULT_ZONE) -> datetime:
    """A deadline as an aware UTC datetime; a bare date means the end of that local day."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = end_of_day(value, zone)
    elif isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 10:
                parsed = end_of_day(date.fromisoformat(text), zone)
            else:
                parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise InvalidPayload(problem=f"deadline {value!r} is not a date") from None
    else:
        raise InvalidPayload(problem=f"deadline {value!r} is not a date")
    if not FIRST_DAY <= parsed.date() <= LAST_DAY:
        raise InvalidPayload(problem=f"deadline {value!r} is not between {FIRST_DAY} and {LAST_DAY}")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed.astimezone(timezone.utc)


def default_deadline(category_code: str, now: datetime, zone: ZoneInfo = DEFAULT_ZONE) -> datetime:
    """End of the local day ``deadline_days`` after ``now``, the category's default."""
    days = catalog.category(category_code).deadline_days
    local_day = now.astimezone(zone).date() + timedelta(days=days)
    return end_of_day(local_day, zone).astimezone(timezone.utc)
