"""Oversight use cases: look-backs near me, delegations, spot-check samples, dispute reviews,
office records, and the payload of a rebound.

Rules live in ``inspector.domain.oversight``, the SQL in ``inspector.store.oversight``
(delegations: ``inspector.store.delegations``); this module checks who asks,
loads, and records.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Iterable

import uuid6
from sqlmodel import Session

from inspector.domain import campaign as campaign_rules
from inspector.domain import catalog
from inspector.domain import oversight as rules
from inspector.domain.events import default_deadline
from inspector.domain.items import ItemState
from inspector.domain.oversight import SETTLING  # noqa: F401 - read by the desk as ``oversight.SETTLING``
from inspector.domain.permissions import Actor
from inspector.domain.roles import DECIDERS, Role
from inspector.errors import Forbidden, InvalidRequest, NotFound, UnknownOffice
from inspector.geo.distance import Point
from inspector.services import campaigns
from inspector.services.context import Context
from inspector.services.items import as_seen_by
from inspector.store import delegations, queries, users
from inspector.store import oversight as store
from inspector.store import sites as site_store
from inspector.store.delegations import DelegationPublic
from inspector.store.engine import read_session, write_session
from inspector.store.oversight_public import DrawnItem, SamplePublic

MAX_SEED = 2**63 - 1


# --- look-backs ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class LookBack:
    item: ItemState
    distance_m: float | None  # from the point asked about; None without a point
    days_left: int  # whole days until the look-back is due; negative once overdue
    overdue: bool


def look_backs_due(ctx: Context, actor: Actor, lat: float | None, lon: float | None, within_days: int = 2,
                   limit: int = 50) -> list[LookBack]:
    """Verified items ``actor`` may see whose look-back is due within ``within_days`` (or overdue).

    Nearest first from (``lat``, ``lon``); without a point, the most overdue first.
    """
    if within_days < 0 or within_days > 365:
        raise InvalidRequest(problem="within_days must be from 0 to 365")
    limit = min(max(limit, 1), 500)
    now = ctx.now()
    try:
        point = Point(lat, lon) if lat is not None and lon is not None else None
    except ValueError as error:
        raise InvalidRequest(problem=str(error)) from None
    horizon = now + timedelta(days=within_days)
    with read_session(ctx.engine) as session:
        states = as_seen_by(session, actor, store.look_backs_due(session, actor, horizon))
    if point is None:
        ranked = [(s, None) for s in sorted(states, key=lambda s: (s.look_back_due, s.id))[:limit]]
    else:
        ranked = rules.nearest(point, states, limit)
    return [LookBack(s, None if d is None else round(d, 1), rules.whole_days(s.look_back_due, now),
                     now > s.look_back_due) for s, d in ranked]


# --- delegations -----------------------------------------------------------------------------------
def _admin(actor: Actor, action: str) -> None:
    if actor.role != Role.ADMIN:
        raise Forbidden(action=action, role=actor.role)


def _scope_time(value: Any, end: bool, zone) -> datetime | None:
    """A scope bound: a bare date means the start (or the end) of that local day."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        parsed = value if value.tzinfo else value.replace(tzinfo=zone)
        return parsed
    try:
        if isinstance(value, date) or (isinstance(value, str) and len(value.strip()) == 10):
            day = value if isinstance(value, date) else date.fromisoformat(value.strip())
            parsed = datetime.combine(day, time(23, 59, 59) if end else time(), zone)
        else:
            parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
            parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)
        # UTC at the ends of the calendar overflows; no campaign reaches them.
        parsed.astimezone(timezone.utc)
    except (ValueError, OverflowError):
        raise InvalidRequest(problem=f"{value!r} is not a date or time") from None
    return parsed


def list_delegations(ctx: Context, actor: Actor, user_id: str | None = None) -> list[DelegationPublic]:
    """Admins see every delegation (or one user's); a spot checker sees their own."""
    if actor.role == Role.SPOT_CHECKER:
        user_id = actor.id
    elif actor.role != Role.ADMIN:
        raise Forbidden(action="delegations.list", role=actor.role)
    with read_session(ctx.engine) as session:
        return delegations.delegations(session, user_id)


def delegate(ctx: Context, actor: Actor, user_id: str, offices: Iterable[str] = (), sites: Iterable[str] = (),
             starts: Any = None, ends: Any = None) -> DelegationPublic:
    """Delegate a spot checker a scope: offices and/or sites, optionally for a period of reports."""
    _admin(actor, "delegations.create")
    offices, wanted = sorted(set(offices)), sorted(set(sites))
    if not offices and not wanted:
        raise InvalidRequest(problem="a delegation needs at least one office or site")
    for office in offices:
        if office not in catalog.OFFICE_CODES:
            raise UnknownOffice(office=office)
    zone = ctx.settings.zone
    starts, ends = _scope_time(starts, False, zone), _scope_time(ends, True, zone)
    if starts and ends and ends < starts:
        raise InvalidRequest(problem="the delegation ends before it starts")
    with write_session(ctx.engine) as session:
        checker = users.person(session, user_id)
        if checker is None:
            raise InvalidRequest(problem=f"no user {user_id}")
        if checker.role != Role.SPOT_CHECKER:
            raise InvalidRequest(problem=f"{checker.username} is not a spot checker")
        known = site_store.known(session, wanted) if wanted else set()
        missing = [s for s in wanted if s not in known]
        if missing:
            raise InvalidRequest(problem=f"unknown sites: {', '.join(missing)}")
        return delegations.add_delegation(session, str(uuid6.uuid7()), user_id, offices, wanted, starts, ends,
                                          ctx.now())


def revoke_delegation(ctx: Context, actor: Actor, delegation_id: str) -> None:
    """Remove a delegation; the checker's next request already goes without it."""
    _admin(actor, "delegations.delete")
    with write_session(ctx.engine) as session:
        if not delegations.remove_delegation(session, delegation_id):
            raise NotFound(what="delegation", id=delegation_id)


# --- spot-check samples ------------------------------------------------------------------------------
@dataclass(frozen=True)
class SampleCheck:
    sample: SamplePublic
    recomputed: list[str]

    @property
    def matches(self) -> bool:
        return self.recomputed == list(self.sample.item_ids)


def _checker(session: Session, user_id: str) -> Actor:
    """The spot checker a draw is for, with their scopes; refused unless active and delegated."""
    checker = users.person(session, user_id)
    if checker is None or checker.role != Role.SPOT_CHECKER:
        raise InvalidRequest(problem=f"{user_id} is not a spot checker")
    if checker.disabled:
        raise InvalidRequest(problem=f"{checker.username} is disabled")
    actor = users.actor_of(session, checker)
    if not actor.scopes:
        raise InvalidRequest(problem=f"{checker.username} has no delegated scope to check")
    return actor


def draw(ctx: Context, admin: Actor, checker_user_id: str, size: int, seed: int | None = None) -> SamplePublic:
    """Draw and record ``size`` items for a spot checker to re-inspect; admins only.

    The candidates are the checker's items to draw from less those already in
    one of their open samples (not yet fully checked): one item is not theirs
    to re-inspect twice at once. The seed (random 63 bits unless given) and the
    candidate ids are kept with the result, so ``verify_sample`` can recompute
    the draw at any time.
    """
    _admin(admin, "spot_samples.create")
    if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= 1000:
        raise InvalidRequest(problem="size must be a whole number from 1 to 1000")
    if seed is None:
        seed = secrets.randbits(63)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise InvalidRequest(problem=f"seed must be a whole number from 0 to {MAX_SEED}")
    with write_session(ctx.engine) as session:
        checker = _checker(session, checker_user_id)
        pending = store.open_sample_items(session, checker.id)
        pool = [i for i in store.candidates(session, checker) if i not in pending]
        return store.add_sample(session, SamplePublic(
            id=str(uuid6.uuid7()), user_id=checker.id, seed=str(seed), size=size, candidate_ids=pool,
            item_ids=rules.draw_sample(pool, size, seed), drawn_by=admin.id, drawn_at=ctx.now()))


def list_samples(ctx: Context, actor: Actor, user_id: str | None = None) -> list[SamplePublic]:
    """Admins (and supervisors) see every draw; a spot checker their own; others are refused."""
    if actor.role == Role.SPOT_CHECKER:
        user_id = actor.id
    elif actor.role not in DECIDERS:
        raise Forbidden(action="spot_samples.list", role=actor.role)
    with read_session(ctx.engine) as session:
        return store.samples(session, user_id)


def sample_items(ctx: Context, sample: SamplePublic) -> tuple[dict[str, DrawnItem], set[str]]:
    """The drawn items (by id) and which of them the sample's checker has spot-checked."""
    with read_session(ctx.engine) as session:
        drawn = store.drawn_items(session, sample.item_ids)
        checked = queries.spot_checked_items(session, sample.user_id, sample.item_ids)
    return drawn, checked


def get_sample(ctx: Context, actor: Actor, sample_id: str) -> SamplePublic:
    """The recorded draw ``sample_id``; ``NotFound`` also when ``actor`` may not read it."""
    with read_session(ctx.engine) as session:
        sample = store.sample(session, sample_id)
    if sample is None or not rules.may_read_sample(actor, sample.user_id):
        raise NotFound(what="spot_sample", id=sample_id)
    return sample


def verify_sample(ctx: Context, actor: Actor, sample_id: str) -> SampleCheck:
    """Recompute a recorded draw from its seed and candidates: does it give the recorded items?"""
    sample = get_sample(ctx, actor, sample_id)
    return SampleCheck(sample, rules.draw_sample(sample.candidate_ids, sample.size, int(sample.seed)))


# --- disputes -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Finding:
    """One spot checker's disagreement with a verdict."""

    event_id: str
    actor_id: str
    actor_name: str
    at: datetime
    verdict: str
    note: str | None
    photos: list[str]


@dataclass(frozen=True)
class Review:
    item: ItemState
    findings: list[Finding]


def reviews(ctx: Context, actor: Actor, limit: int = 100) -> list[Review]:
    """Disputed items, longest waiting first, with the disagreements since the last settlement."""
    if actor.role not in DECIDERS:
        raise Forbidden(action="reviews", role=actor.role)
    with read_session(ctx.engine) as session:
        disputed = store.disputed_items(session, actor, min(max(limit, 1), 500))
        log = store.dispute_log(session, [s.id for s in disputed])
        names = users.display_names(session, {e.actor_id for e in log})
    by_item: dict[str, list] = {s.id: [] for s in disputed}
    for e in log:
        by_item[e.item_id].append(e)
    return [Review(s, [Finding(e.id, e.actor_id, names.get(e.actor_id, ""), e.server_at, e.payload["verdict"],
                               e.payload.get("note"), list(e.payload.get("photos") or ()))
                       for e in rules.open_findings(by_item[s.id])])
            for s in disputed]


# --- an office's record ----------------------------------------------------------------------------------
def office_record(ctx: Context, actor: Actor, office: str) -> rules.OfficeRecord:
    """Counts over all of an office's items: for supervisors, the office itself and its delegated checkers."""
    if office not in catalog.OFFICE_CODES:
        raise UnknownOffice(office=office)
    if not rules.may_read_record(actor, office):
        raise Forbidden(action="office_record", role=actor.role)
    with read_session(ctx.engine) as session:
        facts = store.record_facts(session, office)
    return rules.office_record(office, facts, ctx.now())


# --- rebounds -----------------------------------------------------------------------------------------------
def rebound_payload(ctx: Context, item: ItemState, photos: Iterable[str], deadline: Any = None,
                    note: str | None = None) -> dict:
    """The payload of a ``rebounded`` event for ``item``.

    The second rebound escalates (the plan: the top leader takes on the
    hardest problems himself): when the item has rebounded before, the leader
    is the campaign's top leader of the item's office, if one is named;
    otherwise the item's current leader. No deadline given: the category's default from now.
    """
    campaign = campaigns.active(ctx) if item.rebound_count >= 1 else None
    top_leader = campaign_rules.top_leader_for(campaign, item.office)
    default = default_deadline(item.category, ctx.now(), ctx.settings.zone)
    return rules.rebound_payload(item, photos, deadline, note, top_leader, default)
