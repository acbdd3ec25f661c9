"""Duplicates and rebounds found while reporting, and the desk's merges: who asks, what is loaded.

``candidates_near`` is the one answer to "what is already on record here?":
the server's workspace and the field client's ask it, each handing it its own
way to read the visible items near a point (the shared database, or the
field client's copy), so both give the same candidates by the same rule
(``inspector.domain.duplicates.candidates``). The desk reads an item's merge
facts (``merge_view``: the item it was merged into, the items merged into it
and their photos) and the items it may be merged into (``merge_choices``).
"""

from dataclasses import dataclass, field
from typing import Callable, Sequence

from sqlalchemy import ColumnElement

from inspector.domain import catalog
from inspector.domain import duplicates as rules
from inspector.domain.items import ItemState
from inspector.domain.lifecycle import Status
from inspector.domain.permissions import Actor, can_see
from inspector.errors import InvalidRequest
from inspector.geo.distance import Point, distance_m
from inspector.services.context import Context
from inspector.settings import Settings
from inspector.store import duplicates as store
from inspector.store import queries
from inspector.store.engine import read_session

MAX_CHOICES = 10

# Reads the visible items that meet the conditions given (``store.duplicates.near_filter``'s).
Nearby = Callable[[Sequence[ColumnElement[bool]]], list[ItemState]]


def _point(lat: float, lon: float) -> Point:
    try:
        return Point(float(lat), float(lon))
    except (TypeError, ValueError) as error:
        raise InvalidRequest(problem=str(error)) from None


def candidates_near(actor: Actor, lat: float, lon: float, category: str, settings: Settings, nearby: Nearby,
                    limit: int = rules.DEFAULT_LIMIT) -> list[rules.Candidate]:
    """The items a report by ``actor`` at (``lat``, ``lon``) in ``category`` may go to instead, nearest first."""
    if category not in catalog.CATEGORY_BY_CODE:
        raise InvalidRequest(problem=f"unknown category {str(category)[:40]!r}")
    point = _point(lat, lon)
    reach = max(settings.duplicate_radius_m, settings.same_spot_m)
    states = nearby(store.near_filter(category, rules.search_box(point, reach)))
    return rules.candidates(actor, point, category, states, radius_m=settings.duplicate_radius_m,
                            same_spot_m=settings.same_spot_m, limit=limit)


def report_candidates(ctx: Context, actor: Actor, lat: float, lon: float, category: str,
                      limit: int = rules.DEFAULT_LIMIT) -> list[rules.Candidate]:
    """``candidates_near`` over the shared database (the web UI's workspace)."""
    def nearby(where):
        with read_session(ctx.engine) as session:
            return store.nearby(session, actor, where)
    return candidates_near(actor, lat, lon, category, ctx.settings, nearby, limit)


# --- the desk ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MergeView:
    """An item's merge facts as ``actor`` may see them."""

    target: ItemState | None = None  # the item this one was merged into
    duplicates: list[ItemState] = field(default_factory=list)  # the items merged into this one


def merge_view(ctx: Context, actor: Actor, item: ItemState) -> MergeView:
    """The item ``item`` was merged into (if any and visible) and the visible items merged into it."""
    with read_session(ctx.engine) as session:
        target = queries.item(session, item.merged_into) if item.merged_into else None
        dups = store.duplicates_of(session, item.id)
    return MergeView(target if target is not None and can_see(actor, target) else None,
                     [d for d in dups if can_see(actor, d)])


def merge_choices(ctx: Context, actor: Actor, item: ItemState, limit: int = MAX_CHOICES) -> list[tuple[ItemState, float]]:
    """Items ``item`` may be merged into: open or done, same category, within the duplicate radius, nearest
    first (``check_merge`` decides the rest when the merge is recorded)."""
    point = Point(item.location.lat, item.location.lon)
    radius = ctx.settings.duplicate_radius_m
    with read_session(ctx.engine) as session:
        states = store.nearby(session, actor, store.near_filter(item.category, rules.search_box(point, radius)))
    ranked = []
    for other in states:
        if other.id == item.id or other.status == Status.MERGED:
            continue
        metres = distance_m(point, Point(other.location.lat, other.location.lon))
        if metres <= radius:
            ranked.append((other, round(metres, 1)))
    ranked.sort(key=lambda pair: (pair[1], pair[0].id))
    return ranked[:limit]


def find_by_number(ctx: Context, actor: Actor, number: str) -> ItemState | None:
    """The item numbered ``number`` that ``actor`` sees, or ``None``."""
    number = (number or "").strip()
    if not number or len(number) > 40:
        return None
    with read_session(ctx.engine) as session:
        found = store.by_number(session, number)
    return found if found is not None and can_see(actor, found) else None


def seen_item(ctx: Context, actor: Actor, item_id: str) -> ItemState | None:
    """The item ``item_id`` if ``actor`` sees it (a pick from ``merge_choices``), else ``None``."""
    with read_session(ctx.engine) as session:
        found = queries.item(session, item_id)
    return found if found is not None and can_see(actor, found) else None


def merge_payload(into: ItemState, reason: str | None = None) -> dict:
    """The payload of a ``merged`` event into ``into``."""
    payload: dict = {"into": into.id}
    if reason and reason.strip():
        payload["reason"] = reason.strip()
    return payload
