"""The item state machine and the projection of an item's events to its state.

``apply(state, event)`` is the one place that says what each event does. An
item's row in the database is ``project(events)``; applying events one by one
gives the same state as projecting them all at once, and a refused event
(``InvalidTransition``, ``StaleVersion``) changes nothing, because states are
immutable values. Which kind leaves which status and leads where is the
registry's (``lifecycle.RULES``); whether an event may be recorded at all is
the one decision's (``decision.decide``), which checks the payload first.
"""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Container, Iterable
from zoneinfo import ZoneInfo

from inspector.domain import catalog
from inspector.domain.events import DEFAULT_ZONE, Event, default_deadline, parse_deadline, photos_of
from inspector.domain.lifecycle import (  # noqa: F401 - the statuses, re-exported where items are read
    AT_OFFICE,
    OPEN_STATUSES,
    RULES,
    STATUSES,
    STEP_KINDS,
    Kind,
    Needs,
    Status,
    changes_state,
)
from inspector.errors import InvalidTransition, ItemExists, ItemNotFound, StaleVersion, UnknownSite

REPORTED, ASSIGNED, RECTIFYING = Status.REPORTED, Status.ASSIGNED, Status.RECTIFYING
FIX_SUBMITTED, VERIFIED, CLOSED, DISMISSED = Status.FIX_SUBMITTED, Status.VERIFIED, Status.CLOSED, Status.DISMISSED


@dataclass(frozen=True)
class Location:
    lat: float
    lon: float
    accuracy_m: float | None = None
    source: str = "manual"


@dataclass(frozen=True)
class ItemState:
    """Everything known about an item, derived from its events alone."""

    id: str
    number: str | None
    version: int
    status: str
    category: str
    office: str
    site_id: str | None
    severity: str
    check_type: str
    description: str
    location: Location
    reported_by: str
    reported_at: datetime
    updated_at: datetime
    photos: tuple[str, ...] = ()
    fix_photos: tuple[str, ...] = ()
    leader: str | None = None
    deadline: datetime | None = None
    assigned_at: datetime | None = None
    fix_submitted_at: datetime | None = None
    verified_at: datetime | None = None
    closed_at: datetime | None = None
    look_back_due: datetime | None = None
    extension_until: datetime | None = None  # requested, awaiting a decision
    extension_reason: str | None = None
    extensions_granted: int = 0
    rework_count: int = 0
    rebound_count: int = 0
    last_reason: str | None = None  # why it was last rejected, refused or dismissed
    spot_agree: int = 0
    spot_disagree: int = 0
    disputed: bool = False
    comment_count: int = 0
    last_seq: int | None = None
    # Part A (returns, lead and supporting offices): ``office`` is the lead (牵头), these support it (配合).
    supporting_offices: tuple[str, ...] = ()
    returned_at: datetime | None = None  # a return (退回/申辩) waits for the supervisor since then
    return_code: str | None = None  # the waiting return's reason code (payloads.RETURN_REASONS)
    return_reason: str | None = None  # ... and its words
    return_office: str | None = None  # ... and the office it says the item belongs to, if it named one
    return_count: int = 0  # returns made over the item's life
    merged_into: str | None = None  # B: the item this one is a duplicate of (status merged)
    evidence_count: int = 0  # B: evidence_added events (fresh photos from anyone who sees it)
    # D (督办, ``inspector.domain.supervision``): the steps recorded against the current deadline, in order
    # ("2d", "due", "overdue", "supervised", "escalated"), and the supervision level they put it at (0/1/2)
    reminded: tuple[str, ...] = ()
    supervision: int = 0
    # Issue 11: the visit and checklist point this item is a failure of; a technical assessment finding's
    # own number (imported items keep it for the re-check pack)
    visit_id: str | None = None
    check_point: str | None = None
    finding_number: str | None = None

    @property
    def rebounded(self) -> bool:
        return self.rebound_count > 0

    @property
    def escalated(self) -> bool:
        """Twice rebounded: the office's top leader takes it on, as the plan asks."""
        return self.rebound_count >= 2

    @property
    def extension_pending(self) -> bool:
        return self.extension_until is not None

    @property
    def return_pending(self) -> bool:
        """A return waits for the supervisor's answer; the clock runs on meanwhile."""
        return self.returned_at is not None

    def involves(self, office: str | None) -> bool:
        """Is ``office`` the item's lead office or one of its supporting offices (who sees it)?"""
        return office is not None and (office == self.office or office in self.supporting_offices)

    def overdue(self, now: datetime) -> bool:
        """Still with the office after its deadline."""
        return self.status in AT_OFFICE and self.deadline is not None and now > self.deadline

    def days_left(self, now: datetime) -> int | None:
        """Whole days until the deadline (negative once overdue), for "剩 2 天" / "逾期 3 天"."""
        if self.deadline is None or self.status not in AT_OFFICE:
            return None
        seconds = (self.deadline - now).total_seconds()
        return int(seconds // 86400) if seconds >= 0 else -int(-seconds // 86400) - 1

    def look_back_overdue(self, now: datetime) -> bool:
        return self.status == VERIFIED and self.look_back_due is not None and now > self.look_back_due


def _check_version(state: ItemState, event: Event) -> None:
    if not changes_state(event.kind):
        return
    if event.base_version != state.version:
        raise StaleVersion(
            item_id=state.id,
            status=state.status,
            version=state.version,
            base_version=event.base_version,
        )


def _created(event: Event) -> ItemState:
    p = event.payload
    category = catalog.category(p["category"])
    loc = p["location"]
    return ItemState(
        id=event.item_id,
        number=event.number,
        version=1,
        status=REPORTED,
        category=category.code,
        office=p.get("office") or category.default_office,
        site_id=p.get("site"),
        severity=p.get("severity", "normal"),
        check_type=p.get("check_type", "supervisor"),
        description=(p.get("description") or "").strip(),
        location=Location(
            lat=float(loc["lat"]),
            lon=float(loc["lon"]),
            accuracy_m=None if loc.get("accuracy_m") is None else float(loc["accuracy_m"]),
            source=loc.get("source", "manual"),
        ),
        reported_by=event.actor_id,
        reported_at=event.when,
        updated_at=event.when,
        photos=photos_of(event),
        last_seq=event.seq,
        visit_id=p.get("visit"),
        check_point=p.get("check_point"),
        finding_number=p.get("finding"),
    )


def meets(state: ItemState, needs: Needs | None) -> bool:
    """Does ``state`` have what a kind ``needs`` besides its status?"""
    match needs:
        case Needs.EXTENSION_PENDING:
            return state.extension_pending
        case Needs.NO_EXTENSION_PENDING:
            return not state.extension_pending
        case Needs.DISPUTE:
            return state.disputed
        case Needs.RETURN_PENDING:
            return state.return_pending
        case Needs.NO_RETURN_PENDING:
            return not state.return_pending
    return True


def may_follow(state: ItemState, kind: Kind) -> bool:
    """May an event of ``kind`` be applied to ``state`` at all, whoever makes it?"""
    rule = RULES[kind]
    return state.status in rule.leaves and meets(state, rule.needs)


def apply(state: ItemState | None, event: Event, zone: ZoneInfo = DEFAULT_ZONE) -> ItemState:
    """The state after ``event``; raises, changing nothing, when the event may not apply.

    The payload must already fit its kind's schema: ``decision.decide`` checks it
    before an event is kept, so stored events replay without checking again.
    """
    if event.kind == "reported":
        if state is not None:
            raise ItemExists(item_id=event.item_id)
        if event.base_version != 0:
            raise StaleVersion(item_id=event.item_id, status="", version=0,
                               base_version=event.base_version)
        return _created(event)
    if state is None:
        raise ItemNotFound(item_id=event.item_id)
    _check_version(state, event)
    p = event.payload
    at = event.when
    common = {"updated_at": at, "last_seq": event.seq if event.seq is not None else state.last_seq}

    if event.kind == "commented":
        return replace(state, comment_count=state.comment_count + 1, **common)
    if event.kind == "spot_checked":
        agree = p["verdict"] == "agree"
        return replace(
            state,
            spot_agree=state.spot_agree + agree,
            spot_disagree=state.spot_disagree + (not agree),
            disputed=state.disputed or not agree,
            **common,
        )

    kind = Kind(event.kind)
    if not may_follow(state, kind):
        raise InvalidTransition(item_id=state.id, status=state.status, kind=event.kind)
    if RULES[kind].level is not None:  # D: a 督办 step, kept once against the deadline it was made for
        step = p.get("step", event.kind)
        reminded = state.reminded if step in state.reminded else (*state.reminded, step)
        return replace(state, reminded=reminded, supervision=supervision_level(reminded), **common)
    if kind == Kind.EVIDENCE_ADDED:  # merges whatever the version, on an open item only
        return replace(state, evidence_count=state.evidence_count + 1, **common)
    changes: dict = dict(common, version=state.version + 1, status=RULES[kind].leads_to or state.status)

    match event.kind:
        case "assigned":
            changes.update(office=p["office"], leader=p["leader"].strip(),
                           deadline=parse_deadline(p["deadline"], zone), assigned_at=at,
                           extension_until=None, extension_reason=None,
                           supporting_offices=_supporting(state, p))
        case "returned":
            # The clock runs on: status, deadline and overdue stay; only the supervisor's answer moves them.
            changes.update(returned_at=at, return_code=p["reason_code"], return_reason=p["reason"],
                           return_office=p.get("suggested_office"), return_count=state.return_count + 1)
        case "reassigned":
            same = p["office"] == state.office
            leader = p["leader"].strip() if p.get("leader") else (state.leader if same else None)
            deadline = (parse_deadline(p["deadline"], zone) if p.get("deadline")
                        else default_deadline(state.category, at, zone))
            changes.update(office=p["office"], leader=leader, deadline=deadline, assigned_at=at,
                           extension_until=None, extension_reason=None,
                           supporting_offices=_supporting(state, p), **_NO_RETURN)
        case "return_insisted":
            changes.update(last_reason=p["reason"], **_NO_RETURN)
        case "acknowledged":
            pass
        case "fix_submitted":
            # The office did the work after all: a return still waiting is withdrawn.
            changes.update(fix_photos=photos_of(event), fix_submitted_at=at, **_NO_RETURN)
        case "verified":
            # The event carries the look-back rule in force when it was decided, so
            # rebuilding the item later gives the same due date whatever the settings.
            days = p.get("look_back_days") or catalog.category(state.category).look_back_days
            changes.update(verified_at=at, look_back_due=at + timedelta(days=days), last_reason=None)
        case "rejected":
            changes.update(rework_count=state.rework_count + 1, last_reason=p["reason"])
        case "extension_requested":
            changes.update(extension_until=parse_deadline(p["until"], zone), extension_reason=p["reason"])
        case "extension_granted":
            changes.update(deadline=parse_deadline(p["until"], zone), extension_until=None,
                           extension_reason=None, extensions_granted=state.extensions_granted + 1)
        case "extension_refused":
            changes.update(extension_until=None, extension_reason=None, last_reason=p["reason"])
        case "dismissed":
            changes.update(last_reason=p["reason"], closed_at=at, **_NO_RETURN)
        case "look_back_passed":
            changes.update(closed_at=at, look_back_due=None)
        case "rebounded":
            changes.update(rebound_count=state.rebound_count + 1, leader=p["leader"].strip(),
                           deadline=parse_deadline(p["deadline"], zone), assigned_at=at,
                           verified_at=None, closed_at=None, look_back_due=None,
                           fix_submitted_at=None, fix_photos=())
        case "reopened":
            changes.update(leader=p["leader"].strip(), deadline=parse_deadline(p["deadline"], zone), assigned_at=at,
                           verified_at=None, closed_at=None, look_back_due=None, fix_submitted_at=None,
                           fix_photos=(), disputed=False, last_reason=p["reason"])
        case "dispute_dismissed":
            changes.update(disputed=False, last_reason=p["reason"])
        case "merged":  # a duplicate: out of every queue and count, its photos shown on the target
            changes.update(merged_into=p["into"], closed_at=at, look_back_due=None, extension_until=None,
                           extension_reason=None, last_reason=p.get("reason") or state.last_reason)
    return _ladder_after(state, replace(state, **changes))


def supervision_level(steps: Iterable[str]) -> int:
    """D: the level the recorded 督办 steps put an item at: 2 escalated, 1 supervised, else 0."""
    return max((RULES[Kind(step)].level or 0 for step in steps if step in STEP_KINDS), default=0)


def _ladder_after(before: ItemState, after: ItemState) -> ItemState:
    """D: the 督办 ladder after a change of state (the rule is ``inspector.domain.supervision``'s docstring).

    The steps belong to the deadline they were made against: a new deadline (assigned again, reassigned,
    extension granted, rebounded, reopened) starts a fresh ladder. The level counts only while the office
    holds the item: a fix submitted takes it off the 督办 list, a rejection puts it back at the level it had
    (its steps are not repeated, the deadline has not moved), a verification or a dismissal ends it.
    """
    reminded = after.reminded if after.deadline == before.deadline else ()
    level = supervision_level(reminded) if after.status in AT_OFFICE else 0
    return replace(after, reminded=reminded, supervision=level)


_NO_RETURN = {"returned_at": None, "return_code": None, "return_reason": None, "return_office": None}


def _supporting(state: ItemState, payload) -> tuple[str, ...]:
    """The supporting offices after an assignment: the payload's list when it has one (the lead and
    repeats dropped, in the order given), else the item's own; never the lead office."""
    named = payload.get("supporting_offices")
    offices = state.supporting_offices if named is None else named
    return tuple(dict.fromkeys(o for o in offices if o != payload["office"]))


def project(events: Iterable[Event], zone: ZoneInfo = DEFAULT_ZONE) -> ItemState | None:
    """An item's state from its events in order; ``None`` for no events."""
    state = None
    for event in events:
        state = apply(state, event, zone)
    return state


def check_site(item: ItemState, known_sites: Container[str]) -> None:
    """Raise ``UnknownSite`` when ``item`` names a site that is not among ``known_sites``.

    A site ties an item to a place's record (and to a spot checker's site
    delegation), so a report may name only a site that exists; naming none is fine.
    """
    if item.site_id is not None and item.site_id not in known_sites:
        raise UnknownSite(site=item.site_id)
