"""The desk's review queues: each one a condition on the item list and the order its work is done in.

A queue narrowed by what the supervisor set above the table (``Filters``) is
one ``ItemFilter``, which the database pages and counts (never all items).
"""

from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from typing import Any, Iterable
from zoneinfo import ZoneInfo

from inspector.domain.lifecycle import Status
from inspector.errors import InvalidRequest
from inspector.store.queries import Columns, ItemFilter

QUEUES = ("dispatch", "verify", "overdue", "extension", "returned", "disputed", "all")
# Each queue's own condition, and the order its work is best done in (longest waiting first).
QUEUE_FILTERS: dict[str, dict[str, Any]] = {
    "dispatch": {"statuses": (Status.REPORTED,)},
    "verify": {"statuses": (Status.FIX_SUBMITTED,)},
    "overdue": {"overdue": True},
    "extension": {"extension_pending": True},
    "returned": {"return_pending": True},  # 退回/申辩 waiting for an answer (reassign, insist, dismiss)
    "disputed": {"disputed": True},
    "all": {},
    "ids": {},
}
QUEUE_SORT = {"dispatch": "reported_at", "verify": "updated_at", "overdue": "deadline", "extension": "deadline",
              "returned": "updated_at", "disputed": "updated_at", "all": "-reported_at", "ids": "-reported_at"}
IDS_MAX = 30_000  # an "ids" list is one SQL IN (...): SQLite takes at most 32,766 parameters


@dataclass(frozen=True)
class Filters(Columns):
    """What the supervisor set above the table: the columns, two flags, a text, local days for the dates."""

    overdue: bool | None = None
    rebound: bool | None = None
    q: str | None = None
    reported_from: date | None = None
    reported_to: date | None = None  # included


def day_start(day: date, zone: ZoneInfo) -> datetime:
    """The first instant of the local day ``day``."""
    return datetime.combine(day, time(), zone)


def item_filter(queue: str, filters: Filters, zone: ZoneInfo, sort: str | None = None,
                ids: Iterable[str] = ()) -> ItemFilter:
    """The list of ``queue`` narrowed by ``filters`` (local days in ``zone``); ``queue='ids'`` lists
    just ``ids``. The queue's own condition wins over the supervisor's (the overdue queue stays overdue)."""
    if queue not in QUEUE_FILTERS:
        raise InvalidRequest(problem=f"unknown queue {queue!r}")
    ids = tuple(ids)[:IDS_MAX]
    if queue == "ids" and not ids:
        ids = ("-",)  # nothing behind the number: an empty list, never every item
    chosen: dict[str, Any] = {f.name: getattr(filters, f.name) for f in fields(Columns)}
    chosen |= {"overdue": filters.overdue, "rebound": filters.rebound, "q": (filters.q or "").strip() or None}
    return ItemFilter(
        **(chosen | QUEUE_FILTERS[queue]), ids=ids, sort=sort or QUEUE_SORT[queue],
        reported_from=day_start(filters.reported_from, zone) if filters.reported_from else None,
        reported_to=day_start(filters.reported_to + timedelta(days=1), zone) if filters.reported_to else None)
