"""Duplicates and rebounds found while reporting, and the rule of a merge.

While a person reports a problem at a point, in a category, the items already
on record there are offered instead of a new item (``candidates``):

- an **open** item (``OPEN_STATUSES``) of the same category within the
  duplicate radius (``INSPECTOR_DUPLICATE_RADIUS_M``, default 50 m) is "可能重复":
  one tap adds the new photos to it as an ``evidence_added`` event;
- a **verified or closed** item of the same category at the same spot (the
  same-spot limit, ``INSPECTOR_SAME_SPOT_M``, default 50 m) is "反弹": one tap
  records a ``rebounded`` event on it, the look-back's own rule (who may make
  it is the registry's: ``LOOK_BACK_ROLES``; its payload is
  ``oversight.rebound_payload``'s).

Only items the person sees are candidates, and only with a move the one
decision would take from them (``permissions.may`` on the registry's rule):
an inspector sees every open item and the verified and closed ones
(``permissions.INSPECTOR_STATUSES``), so a colleague's open report here is
offered and takes this inspector's own photos as evidence (never the
colleague's: ``oversight.citation_refusal``); two reports that slip through
are the supervisor's to merge at the desk. Nearest first, ties by id, at most
``limit``. Distances are geodesic (``inspector.geo.distance``), both radii
inclusive.

A merge (``merged``, by a decider) makes one item a duplicate of another
(``check_merge``): not of itself, not of an item that is a duplicate itself or
was dismissed, and not when other items were merged into it (no chains: every
duplicate points at an item that is no duplicate). The duplicate keeps its
photos and leaves the queues and the scoreboard (status ``merged``).

Pure: no IO, no clock.
"""

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Container, Iterable, Mapping

from inspector.domain.items import ItemState, may_follow
from inspector.domain.lifecycle import OPEN_STATUSES, Kind, Status
from inspector.domain.permissions import Actor, can_see, may
from inspector.errors import MergeChain, MergeIntoDuplicate, MergeIntoItself, MergeTargetNotFound, MergeTargetNotOpen
from inspector.geo.distance import Point, distance_m

DEFAULT_RADIUS_M = 50.0
DEFAULT_LIMIT = 5  # cards on a phone screen, above the category tiles
DONE_STATUSES = frozenset({Status.VERIFIED, Status.CLOSED})
MERGE_TARGETS = OPEN_STATUSES | DONE_STATUSES
METRES_PER_DEGREE = 111_320.0  # of latitude; of longitude times cos(latitude)


class Offer(StrEnum):
    """What an item on record is to a new report."""

    DUPLICATE = "duplicate"  # 可能重复: open, near, same category
    REBOUND = "rebound"  # 反弹: fixed, same spot, same category


OFFERED_KIND = {Offer.DUPLICATE: Kind.EVIDENCE_ADDED, Offer.REBOUND: Kind.REBOUNDED}


@dataclass(frozen=True)
class Candidate:
    """An item a new report may go to instead, how far it is, and the event one tap records on it."""

    item: ItemState
    distance_m: float
    offer: Offer

    @property
    def kind(self) -> Kind:
        return OFFERED_KIND[self.offer]


def offer_for(actor: Actor, item: ItemState) -> Offer | None:
    """What ``item`` is to ``actor``'s new report, judged by its status and the move they may make on it."""
    if item.status in OPEN_STATUSES:
        offer = Offer.DUPLICATE
    elif item.status in DONE_STATUSES:
        offer = Offer.REBOUND
    else:
        return None
    kind = OFFERED_KIND[offer]
    return offer if may_follow(item, kind) and may(actor, kind, item) else None


def candidates(actor: Actor, point: Point, category: str, items: Iterable[ItemState], *,
               radius_m: float = DEFAULT_RADIUS_M, same_spot_m: float = DEFAULT_RADIUS_M,
               limit: int = DEFAULT_LIMIT) -> list[Candidate]:
    """The items a report by ``actor`` at ``point`` in ``category`` may go to instead, nearest first.

    ``items`` may hold more than the neighbourhood (a bounding box's rows): every
    rule is applied here, visibility included.
    """
    found = []
    for item in items:
        if item.category != category or not can_see(actor, item):
            continue
        offer = offer_for(actor, item)
        if offer is None:
            continue
        metres = distance_m(point, Point(item.location.lat, item.location.lon))
        if metres <= (radius_m if offer == Offer.DUPLICATE else same_spot_m):
            found.append(Candidate(item, round(metres, 1), offer))
    found.sort(key=lambda c: (c.distance_m, c.item.id))
    return found[:max(limit, 0)]


def search_box(point: Point, radius_m: float) -> tuple[float, float, float, float]:
    """``(lat_min, lat_max, lon_min, lon_max)`` holding every point within ``radius_m`` of ``point``, with room
    to spare (a cheap index range for the store; ``candidates`` measures exactly)."""
    margin = radius_m * 1.05 + 1.0
    dlat = margin / METRES_PER_DEGREE
    dlon = margin / (METRES_PER_DEGREE * max(math.cos(math.radians(point.lat)), 0.01))
    return (max(point.lat - dlat, -90.0), min(point.lat + dlat, 90.0),
            max(point.lon - dlon, -180.0), min(point.lon + dlon, 180.0))


def check_merge(actor: Actor, item: ItemState, items: Mapping[str, ItemState] | None,
                duplicated: Container[str] | None) -> None:
    """Raise unless ``item`` (as a ``merged`` event made it) may be a duplicate of ``item.merged_into``.

    ``items`` holds the target by id and ``duplicated`` the ids of items others were merged
    into; either ``None`` where it is not known (the field client), and then the server checks.
    """
    into = item.merged_into
    if into == item.id:
        raise MergeIntoItself(item_id=item.id)
    if items is None:
        return
    target = items.get(into) if isinstance(into, str) else None
    if target is None or not can_see(actor, target):
        raise MergeTargetNotFound(item_id=str(into))
    if target.status == Status.MERGED:
        raise MergeIntoDuplicate(item_id=into, number=target.number or "", into=target.merged_into or "")
    if target.status not in MERGE_TARGETS:
        raise MergeTargetNotOpen(item_id=into, number=target.number or "", status=target.status)
    if duplicated is not None and item.id in duplicated:
        raise MergeChain(item_id=item.id, number=item.number or "")
