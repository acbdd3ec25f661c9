"""Oversight use cases: look-backs near me, delegations, spot-check samples, dispute reviews,
office records, and the payload of a rebound.

Rules live in ``inspector.domain.oversight``; this module loads, checks who
asks, and records.
"""

import math
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Iterable

import uuid6
from sqlalchemy import select as sa_select
from sqlmodel import Session, delete, select

from inspector.domain import campaign as campaign_rules
from inspector.domain import catalog
from inspector.domain import oversight as rules
from inspector.domain.events import default_deadline
from inspector.domain.items import VERIFIED, ItemState
from inspector.domain.permissions import DECIDERS, Actor
from inspector.errors import Forbidden, InvalidRequest, NotFound, UnknownOffice
from inspector.geo.distance import Point, distance_m
from inspector.services import auth, campaigns
from inspector.services.context import Context
from inspector.services.items import as_seen_by
from inspector.store import queries
from inspector.store.convert import item_state
from inspector.store.engine import read_session, write_session
from inspector.store.models import Delegation, EventRow, Item, Site, SpotSample, User

MAX_SEED = 2**63 - 1
EARTH_M = 6_371_008.8


# --- look-backs ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class LookBack:
    item: ItemState
    distance_m: float | None  # from the point asked about; None without a point
    days_left: int  # whole days until the look-back is due; negative once overdue
    overdue: bool


def _rough_m(a: Point, b: Point) -> float:
    """Equirectangular distance: within a fraction of a percent of the geodesic at city scale."""
    x = math.radians(b.lon - a.lon) * math.cos(math.radians((a.lat + b.lat) / 2))
    y = math.radians(b.lat - a.lat)
    return EARTH_M * math.hypot(x, y)


def _nearest(point: Point, states: list[ItemState], limit: int) -> list[tuple[ItemState, float]]:
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
        rows = session.exec(select(Item).where(queries.visible_to(actor), Item.status == VERIFIED,
                                               Item.look_back_due.is_not(None), Item.look_back_due <= horizon)).all()
        states = as_seen_by(session, actor, [item_state(r) for r in rows])
    if point is None:
        ranked = [(s, None) for s in sorted(states, key=lambda s: (s.look_back_due, s.id))[:limit]]
    else:
        ranked = _nearest(point, states, limit)
    return [LookBack(s, None if d is None else round(d, 1), rules.whole_days(s.look_back_due, now),
                     now > s.look_back_due) for s, d in ranked]


# --- delegations -----------------------------------------------------------------------------------
def _admin(actor: Actor, action: str) -> None:
    if actor.role != "admin":
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


def list_delegations(ctx: Context, actor: Actor, user_id: str | None = None) -> list[Delegation]:
    """Admins see every delegation (or one user's); a spot checker sees their own."""
    if actor.role == "spot_checker":
        user_id = actor.id
    elif actor.role != "admin":
        raise Forbidden(action="delegations.list", role=actor.role)
    with read_session(ctx.engine) as session:
        statement = select(Delegation)
        if user_id:
            statement = statement.where(Delegation.user_id == user_id)
        return list(session.exec(statement.order_by(Delegation.created_at, Delegation.id)).all())


def delegate(ctx: Context, actor: Actor, user_id: str, offices: Iterable[str] = (), sites: Iterable[str] = (),
             starts: Any = None, ends: Any = None) -> Delegation:
    """Delegate a spot checker a scope: offices and/or sites, optionally for a period of reports."""
    _admin(actor, "delegations.create")
    offices, sites = sorted(set(offices)), sorted(set(sites))
    if not offices and not sites:
        raise InvalidRequest(problem="a delegation needs at least one office or site")
    for office in offices:
        if office not in catalog.OFFICE_CODES:
            raise UnknownOffice(office=office)
    zone = ctx.settings.zone
    starts, ends = _scope_time(starts, False, zone), _scope_time(ends, True, zone)
    if starts and ends and ends < starts:
        raise InvalidRequest(problem="the delegation ends before it starts")
    with read_session(ctx.engine) as session:
        user = session.get(User, user_id)
        if user is None:
            raise InvalidRequest(problem=f"no user {user_id}")
        if user.role != "spot_checker":
            raise InvalidRequest(problem=f"{user.username} is not a spot checker")
        known = set(session.exec(select(Site.id).where(Site.id.in_(sites))).all()) if sites else set()
    missing = [s for s in sites if s not in known]
    if missing:
        raise InvalidRequest(problem=f"unknown sites: {', '.join(missing)}")
    return auth.delegate(ctx, user_id, offices=offices, sites=sites, starts=starts, ends=ends)


def revoke_delegation(ctx: Context, actor: Actor, delegation_id: str) -> None:
    """Remove a delegation; the checker's next request already goes without it."""
    _admin(actor, "delegations.delete")
    with write_session(ctx.engine) as session:
        if session.get(Delegation, delegation_id) is None:
            raise NotFound(what="delegation", id=delegation_id)
        session.exec(delete(Delegation).where(Delegation.id == delegation_id))


# --- spot-check samples ------------------------------------------------------------------------------
@dataclass(frozen=True)
class SampleCheck:
    sample: SpotSample
    recomputed: list[str]

    @property
    def matches(self) -> bool:
        return self.recomputed == list(self.sample.item_ids or [])


def _checker(session: Session, user_id: str) -> Actor:
    user = session.get(User, user_id)
    if user is None or user.role != "spot_checker":
        raise InvalidRequest(problem=f"{user_id} is not a spot checker")
    if user.disabled:
        raise InvalidRequest(problem=f"{user.username} is disabled")
    checker = auth.actor_of(session, user)
    if not checker.scopes:
        raise InvalidRequest(problem=f"{user.username} has no delegated scope to check")
    return checker


def candidates(session: Session, checker: Actor) -> list[str]:
    """Items a draw for ``checker`` chooses from: verified or closed, in their scope, not their own reports."""
    statement = sa_select(Item.id).where(queries.visible_to(checker), Item.status.in_(rules.SAMPLED_STATUSES),
                                         Item.reported_by != checker.id)
    return sorted(session.execute(statement).scalars().all())


def draw(ctx: Context, admin: Actor, checker_user_id: str, size: int, seed: int | None = None) -> SpotSample:
    """Draw and record ``size`` items for a spot checker to re-inspect; admins only.

    The seed (random 63 bits unless given) and the candidate ids are kept with
    the result, so ``verify_sample`` can recompute the draw at any time.
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
        pool = candidates(session, checker)
        row = SpotSample(id=str(uuid6.uuid7()), user_id=checker.id, seed=str(seed), size=size, candidate_ids=pool,
                         item_ids=rules.draw_sample(pool, size, seed), drawn_by=admin.id, drawn_at=ctx.now())
        session.add(row)
    return row


def _may_read_sample(actor: Actor, sample: SpotSample) -> bool:
    return actor.role in DECIDERS or sample.user_id == actor.id


def list_samples(ctx: Context, actor: Actor, user_id: str | None = None) -> list[SpotSample]:
    """Admins (and supervisors) see every draw; a spot checker their own; others are refused."""
    if actor.role == "spot_checker":
        user_id = actor.id
    elif actor.role not in DECIDERS:
        raise Forbidden(action="spot_samples.list", role=actor.role)
    with read_session(ctx.engine) as session:
        statement = select(SpotSample)
        if user_id:
            statement = statement.where(SpotSample.user_id == user_id)
        return list(session.exec(statement.order_by(SpotSample.drawn_at.desc(), SpotSample.id.desc())).all())


def sample_items(ctx: Context, sample: SpotSample) -> tuple[dict[str, Item], set[str]]:
    """The drawn items' rows (by id) and which of them the sample's checker has spot-checked."""
    ids = list(sample.item_ids or [])
    with read_session(ctx.engine) as session:
        rows = {r.id: r for r in session.exec(select(Item).where(Item.id.in_(ids))).all()} if ids else {}
        checked = queries.spot_checked_items(session, sample.user_id, ids)
    return rows, checked


def get_sample(ctx: Context, actor: Actor, sample_id: str) -> SpotSample:
    with read_session(ctx.engine) as session:
        sample = session.get(SpotSample, sample_id)
    if sample is None or not _may_read_sample(actor, sample):
        raise NotFound(what="spot_sample", id=sample_id)
    return sample


def verify_sample(ctx: Context, actor: Actor, sample_id: str) -> SampleCheck:
    """Recompute a recorded draw from its seed and candidates: does it give the recorded items?"""
    sample = get_sample(ctx, actor, sample_id)
    return SampleCheck(sample, rules.draw_sample(sample.candidate_ids or [], sample.size, int(sample.seed)))


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


SETTLING = ("reopened", "dispute_dismissed")


def reviews(ctx: Context, actor: Actor, limit: int = 100) -> list[Review]:
    """Disputed items, longest waiting first, with the disagreements since the last settlement."""
    if actor.role not in DECIDERS:
        raise Forbidden(action="reviews", role=actor.role)
    with read_session(ctx.engine) as session:
        rows = session.exec(select(Item).where(Item.disputed.is_(True), queries.visible_to(actor))
                            .order_by(Item.updated_at, Item.id).limit(min(max(limit, 1), 500))).all()
        ids = [r.id for r in rows]
        log = session.exec(select(EventRow).where(EventRow.item_id.in_(ids),
                                                  EventRow.kind.in_(("spot_checked", *SETTLING)))
                           .order_by(EventRow.seq)).all() if ids else []
        names = {u.id: u.display_name or u.username
                 for u in session.exec(select(User).where(User.id.in_({e.actor_id for e in log}))).all()}
    findings: dict[str, list[Finding]] = {i: [] for i in ids}
    for e in log:
        if e.kind in SETTLING:
            findings[e.item_id] = []
        elif (e.payload or {}).get("verdict") == "disagree":
            p = e.payload
            findings[e.item_id].append(Finding(e.id, e.actor_id, names.get(e.actor_id, ""), e.server_at,
                                               p["verdict"], p.get("note"), list(p.get("photos") or [])))
    return [Review(item_state(r), findings[r.id]) for r in rows]


# --- an office's record ----------------------------------------------------------------------------------
RECORD_COLUMNS = (Item.status, Item.deadline, Item.assigned_at, Item.fix_submitted_at, Item.rework_count,
                  Item.rebound_count, Item.disputed, Item.spot_agree, Item.spot_disagree)


def may_read_record(actor: Actor, office: str) -> bool:
    if actor.role in DECIDERS:
        return True
    if actor.is_office:
        return actor.office == office
    if actor.role == "spot_checker":
        return any(office in scope.offices for scope in actor.scopes)
    return False


def office_record(ctx: Context, actor: Actor, office: str) -> rules.OfficeRecord:
    """Counts over all of an office's items: for supervisors, the office itself and its delegated checkers."""
    if office not in catalog.OFFICE_CODES:
        raise UnknownOffice(office=office)
    if not may_read_record(actor, office):
        raise Forbidden(action="office_record", role=actor.role)
    with read_session(ctx.engine) as session:
        rows = session.execute(sa_select(*RECORD_COLUMNS).where(Item.office_code == office)).all()
    return rules.office_record(office, rows, ctx.now())


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
