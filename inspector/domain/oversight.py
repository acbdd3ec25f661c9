"""Oversight rules: spot-check sampling, blind re-inspection, notices, look-back timing, office records.

Pure: no IO, no clock (``now`` is passed in), no randomness but the seeded
generator a sample is drawn with, so any draw can be recomputed and audited.
"""

import math
import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Iterable, NamedTuple, Sequence

from inspector.domain.events import Event
from inspector.domain.items import ASSIGNED, AT_OFFICE, CLOSED, OPEN_STATUSES, RECTIFYING, VERIFIED, ItemState
from inspector.domain.lifecycle import Kind
from inspector.domain.permissions import Actor, can_see
from inspector.domain.roles import DECIDERS, OFFICE_ROLES, Role
from inspector.errors import PhotoNotCitable, PhotoNotOwn
from inspector.geo.distance import Point, distance_m

SAMPLED_STATUSES = frozenset({VERIFIED, CLOSED})  # what a spot check re-inspects
SOON = timedelta(days=2)  # "deadline soon", "look-back due soon"
DAY = 86400
EARTH_M = 6_371_008.8


# --- sampling -------------------------------------------------------------------------------
def draw_sample(candidate_ids: Iterable[str], size: int, seed: int) -> list[str]:
    """``size`` ids drawn without replacement from the candidates, reproducibly.

    ``random.Random(seed).sample(sorted(ids), min(size, n))``: the same seed and
    candidates always give the same sample whatever order the candidates came
    in; every candidate can be drawn; nothing else can.
    """
    if size < 0:
        raise ValueError("sample size must not be negative")
    ids = sorted(set(candidate_ids))
    return random.Random(int(seed)).sample(ids, min(size, len(ids)))


# --- blind re-inspection ----------------------------------------------------------------------
def is_blind(actor: Actor, item: ItemState, checked_by_actor: bool) -> bool:
    """Does ``actor`` see ``item`` blind? Spot checkers do until they record their own check.

    A deputy re-inspecting a fix must judge the site as it is, not by the
    office's after-photos or the supervisor's verdict. Items they reported
    themselves are theirs to follow, not to re-inspect: those they see whole.
    """
    return actor.role == Role.SPOT_CHECKER and item.reported_by != actor.id and not checked_by_actor


def blinded(item: ItemState) -> ItemState:
    """The item as a spot checker sees it before checking: no after-photos, leader or reasons.

    The status stays (the checker needs to know it is a verified or closed
    item to re-inspect); the office's after-photos, the leader, the reasons
    supervisors gave, and other checkers' verdicts go. Counts of reworks and
    rebounds stay: they are the office's record, which spot checkers may read anyway.
    """
    return replace(item, fix_photos=(), leader=None, last_reason=None, extension_reason=None,
                   extension_until=None, spot_agree=0, spot_disagree=0, disputed=False)


def shown_to_blind(kind: str, actor_id: str, viewer: Actor) -> bool:
    """Which events a blind viewer gets: the report, and their own doings."""
    return kind == "reported" or actor_id == viewer.id


@dataclass(frozen=True)
class PhotoUse:
    """One item's use of a photo: the item, and the kind and author of the event that attached it."""

    item: ItemState
    kind: str
    actor_id: str
    checked: bool  # has the viewer recorded a spot check of this item (``is_blind``'s third argument)?


def sees_photo(viewer: Actor, uploaded_by: str, uses: Iterable[PhotoUse]) -> bool:
    """May ``viewer`` see a photo: fetch any variant of it?

    Its uploader may, and supervisors and admins, who see everything. Anyone
    else sees a photo only through an item that uses it: one they may see, by
    an event they are shown of it (a blind spot checker is shown the report and
    their own events, not the office's after-photos). Citing is narrower
    (``citation_refusal``) and never wider, so citing a photo can never be a way to see it.
    """
    if uploaded_by == viewer.id or viewer.role in DECIDERS:
        return True
    return any(_shown_through(viewer, use) for use in uses)


def _shown_through(viewer: Actor, use: PhotoUse) -> bool:
    """Is the photo shown to ``viewer`` on ``use``'s item: one they see, by an event they are shown of it?"""
    return can_see(viewer, use.item) and (not is_blind(viewer, use.item, use.checked)
                                          or shown_to_blind(use.kind, use.actor_id, viewer))


def citation_refusal(viewer: Actor, item_id: str, sha: str, uploaded_by: str, uses: Iterable[PhotoUse],
                     own_only: bool = False) -> PhotoNotCitable | None:
    """Why ``viewer`` may not cite the photo ``sha`` in an event on the item ``item_id``, or ``None``.

    A photo is evidence of the person who took it: its uploader may cite it
    anywhere. Anyone else only re-cites a photo the same item already uses
    (its duplicates' photos count as its own) and is shown there: an office's
    fix or an inspector's look-back pointing at the item's before- or
    after-photo, say; and not at all in a kind whose photos are fresh evidence
    (``own_only``, the registry's ``own_photos``: a report, evidence added).
    Seeing a photo is not enough: inspectors see their colleagues' open items,
    and a colleague's before-photo named in one's own report, or added to
    another item, is refused (``PhotoNotOwn``). A photo one may not see at all
    is refused as such (``PhotoNotCitable``): citing must never be a way to see it.
    """
    if uploaded_by == viewer.id:
        return None
    uses = list(uses)
    if not sees_photo(viewer, uploaded_by, uses):
        return PhotoNotCitable(sha256=sha)
    if own_only:
        return PhotoNotOwn(sha256=sha)
    same_item = [use for use in uses if use.item.id == item_id]
    if any(viewer.role in DECIDERS or _shown_through(viewer, use) for use in same_item):
        return None
    return PhotoNotOwn(sha256=sha)


# --- look-backs ------------------------------------------------------------------------------
def whole_days(until: datetime, now: datetime) -> int:
    """Whole days from ``now`` to ``until``; negative once passed (-1 on the first day late)."""
    seconds = (until - now).total_seconds()
    return int(seconds // DAY) if seconds >= 0 else -int(-seconds // DAY) - 1


def look_back_due_by(item: ItemState, horizon: datetime) -> bool:
    return item.status == VERIFIED and item.look_back_due is not None and item.look_back_due <= horizon


def _rough_m(a: Point, b: Point) -> float:
    """Equirectangular distance: within a fraction of a percent of the geodesic at city scale."""
    x = math.radians(b.lon - a.lon) * math.cos(math.radians((a.lat + b.lat) / 2))
    y = math.radians(b.lat - a.lat)
    return EARTH_M * math.hypot(x, y)


def nearest(point: Point, states: list[ItemState], limit: int) -> list[tuple[ItemState, float]]:
    """The ``limit`` items nearest ``point`` by geodesic distance.

    Sort all by the cheap planar distance, then measure exactly only those that
    could still be among the nearest (the first ``limit`` and any within 1% + 50 m
    of the last of them) and sort those exactly: the geodesic is ~0.1 ms a call.
    """
    rough = sorted(((_rough_m(point, Point(s.location.lat, s.location.lon)), s) for s in states),
                   key=lambda pair: (pair[0], pair[1].id))
    if not rough:
        return []
    cut = rough[min(limit, len(rough)) - 1][0] * 1.01 + 50
    close = [s for d, s in rough[:limit]] + [s for d, s in rough[limit:] if d <= cut]
    exact = sorted(((s, distance_m(point, Point(s.location.lat, s.location.lon))) for s in close),
                   key=lambda pair: (pair[1], pair[0].id))
    return exact[:limit]


# --- notices -----------------------------------------------------------------------------------
NOTICE_KINDS = ("supervision_escalated", "supervision",  # D: 督办 steps, most pressing first
                "overdue", "escalated", "spot_disagreement", "fix_rejected", "deadline_soon",
                "assigned_to_office", "look_back_due")


@dataclass(frozen=True)
class Notice:
    kind: str
    item_id: str
    number: str | None
    at: datetime  # the moment the notice is about (deadline, due date, when it happened)


def _own_office(actor: Actor, item: ItemState) -> bool:
    return actor.role in OFFICE_ROLES and item.office == actor.office


def notices_for_item(actor: Actor, item: ItemState, now: datetime) -> list[Notice]:
    """What ``actor`` should be told about ``item`` now."""
    if not can_see(actor, item):
        return []
    found: list[tuple[str, datetime]] = []
    office = _own_office(actor, item)
    overdue = item.overdue(now)
    if office:
        if item.status == ASSIGNED:
            found.append(("assigned_to_office", item.assigned_at or item.updated_at))
        if (item.status in AT_OFFICE and item.deadline is not None and not overdue
                and item.deadline - now <= SOON):
            found.append(("deadline_soon", item.deadline))
        if item.status == RECTIFYING and item.rework_count > 0:
            found.append(("fix_rejected", item.updated_at))
        if actor.role == Role.OFFICE_LEADER and item.escalated and item.status in OPEN_STATUSES:
            found.append(("escalated", item.assigned_at or item.updated_at))
        if item.supervision >= 1 and item.status in AT_OFFICE and item.deadline is not None:
            # D: the office's people, its leaders among them, hear of each 督办 step (domain.supervision)
            found.append(("supervision_escalated" if item.supervision >= 2 else "supervision", item.deadline))
    if overdue and (office or actor.role == Role.SUPERVISOR):
        found.append(("overdue", item.deadline))
    if actor.role == Role.INSPECTOR and look_back_due_by(item, now + SOON):
        found.append(("look_back_due", item.look_back_due))
    if actor.role in DECIDERS and item.disputed:
        found.append(("spot_disagreement", item.updated_at))
    return [Notice(kind, item.id, item.number, at) for kind, at in found]


def notices(actor: Actor, items: Iterable[ItemState], now: datetime) -> list[Notice]:
    """Every notice for ``actor`` over ``items``: most pressing kind first, then oldest first."""
    found = [n for item in items for n in notices_for_item(actor, item, now)]
    order = {kind: i for i, kind in enumerate(NOTICE_KINDS)}
    return sorted(found, key=lambda n: (order[n.kind], n.at, n.number or "", n.item_id))


# --- samples and disputes ------------------------------------------------------------------------
SETTLING = (Kind.REOPENED, Kind.DISPUTE_DISMISSED)  # a supervisor's answer settles the findings before it


def may_read_sample(actor: Actor, checker_id: str) -> bool:
    """Supervisors and admins read every recorded draw; a spot checker the draws made for them."""
    return actor.role in DECIDERS or checker_id == actor.id


def open_findings(log: Iterable[Event]) -> list[Event]:
    """The disagreeing spot checks of an item's log since the last settlement (``SETTLING``), oldest first."""
    found: list[Event] = []
    for event in log:
        if event.kind in SETTLING:
            found = []
        elif event.kind == Kind.SPOT_CHECKED and (event.payload or {}).get("verdict") == "disagree":
            found.append(event)
    return found


# --- an office's record (for spot checkers' closer supervision) ---------------------------------
def may_read_record(actor: Actor, office: str) -> bool:
    """Supervisors and admins read every office's record; an office its own; a spot checker the delegated ones."""
    if actor.role in DECIDERS:
        return True
    if actor.is_office:
        return actor.office == office
    if actor.role == Role.SPOT_CHECKER:
        return any(office in scope.offices for scope in actor.scopes)
    return False


class RecordFacts(NamedTuple):
    """What an office's record reads of each of its items (the ``ItemState`` field names)."""

    status: str
    deadline: datetime | None
    assigned_at: datetime | None
    fix_submitted_at: datetime | None
    rework_count: int
    rebound_count: int
    disputed: bool
    spot_agree: int
    spot_disagree: int


@dataclass(frozen=True)
class OfficeRecord:
    office: str
    items: int
    open: int
    overdue: int
    avg_days_to_fix: float | None  # assigned -> (last) fix submitted, over verified and closed items
    reworks: int
    rebounds: int
    rebounded_items: int
    escalated: int
    disputed: int
    spot_agree: int
    spot_disagree: int


def office_record(office: str, items: Sequence[RecordFacts], now: datetime) -> OfficeRecord:
    """Counts over an office's items (``RecordFacts``, or anything with those fields, such as ``ItemState``)."""
    fixed = [(i.fix_submitted_at - i.assigned_at).total_seconds() / DAY for i in items
             if i.status in SAMPLED_STATUSES and i.fix_submitted_at is not None and i.assigned_at is not None]
    return OfficeRecord(
        office=office,
        items=len(items),
        open=sum(1 for i in items if i.status in OPEN_STATUSES),
        overdue=sum(1 for i in items if i.status in AT_OFFICE and i.deadline is not None and now > i.deadline),
        avg_days_to_fix=round(sum(fixed) / len(fixed), 2) if fixed else None,
        reworks=sum(i.rework_count for i in items),
        rebounds=sum(i.rebound_count for i in items),
        rebounded_items=sum(1 for i in items if i.rebound_count > 0),
        escalated=sum(1 for i in items if i.rebound_count >= 2),
        disputed=sum(1 for i in items if i.disputed),
        spot_agree=sum(i.spot_agree for i in items),
        spot_disagree=sum(i.spot_disagree for i in items),
    )


# --- rebounds ------------------------------------------------------------------------------------
def rebound_leader(item: ItemState, top_leader: str | None) -> str | None:
    """Who answers for a rebound: the item's leader; from the second rebound on, the office's top leader
    (the plan: the top leader takes on the hardest problems himself), when the campaign names one."""
    if item.rebound_count >= 1 and top_leader:
        return top_leader
    return item.leader


def rebound_payload(item: ItemState, photos: Iterable[str], deadline, note: str | None,
                    top_leader: str | None, default: datetime) -> dict:
    """The payload of a ``rebounded`` event: photos, the leader (``rebound_leader``), the deadline
    (``default`` when none is given: the caller's category default) and the note, if any."""
    deadline = default if deadline is None else deadline
    payload = {
        "photos": list(photos),
        "leader": rebound_leader(item, top_leader) or "",
        "deadline": deadline.isoformat() if hasattr(deadline, "isoformat") else str(deadline),
    }
    if note and note.strip():
        payload["note"] = note.strip()
    return payload
