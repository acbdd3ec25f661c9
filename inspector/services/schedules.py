"""Visit schedules: who is due to visit which site for which check, and the desk's coverage board.

The campaign in force says how often (``visit_every``, or the shipped defaults:
``inspector.domain.schedules``); the schedule starts on the campaign's first
day (sites carry no registration day). Each active site's type and each check
type it is scheduled for make one entry, due ``every`` days after the local day
of its last visit of that check type (``store.visit_queries``).

Who sees which entries (``scope``): supervisors and admins every site and
check type; an office's people their office's sites, self checks (自查);
inspectors supervisor checks (督查) on every site; spot checkers none (they
keep to the draws they are given).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from inspector.domain import schedules as rules
from inspector.domain.campaign import Campaign
from inspector.domain.events import end_of_day
from inspector.domain.oversight import Notice
from inspector.domain.permissions import Actor
from inspector.domain.roles import DECIDERS, OFFICE_ROLES, Role
from inspector.domain.schedules import Due
from inspector.errors import Forbidden
from inspector.geo.distance import Point, distance_m
from inspector.services import campaigns
from inspector.services.context import Context
from inspector.store import visit_queries
from inspector.store.engine import read_session
from inspector.store.public import SitePublic

FORTNIGHT = 14  # "which sites has nobody looked at this fortnight?": the last 14 local days, today included
SITE_OVERDUE = "site_overdue"  # the notice's kind


@dataclass(frozen=True)
class Scope:
    """Whose sites and which check types an actor's due list holds; ``None`` office: every office."""

    office: str | None
    check_types: frozenset[str] | None  # None: every scheduled check type


@dataclass(frozen=True)
class Board:
    """The desk's coverage screen: every entry of the schedule (due or not), with the sites behind them."""

    today: date
    entries: list[Due]  # every (site, check type) scheduled, soonest due first
    sites: dict[str, SitePublic]
    last_seen: dict[str, date]  # site -> the local day of its last visit of any check type

    def due(self) -> list[Due]:
        """The entries due today or overdue, most overdue first."""
        return [e for e in self.entries if e.due <= self.today]

    def unseen(self, days: int = FORTNIGHT) -> set[str]:
        """The sites nobody visited (for any check) in the last ``days`` local days, today included."""
        since = self.today - timedelta(days=days - 1)
        return {site_id for site_id in self.sites if self.last_seen.get(site_id, date.min) < since}

    def counts(self) -> dict[str, int]:
        """Entries due today, entries overdue, sites visited in the last fortnight."""
        due = self.due()
        return {"due_today": sum(1 for e in due if e.due == self.today),
                "overdue": sum(1 for e in due if e.overdue_on(self.today)),
                "visited": len(self.sites) - len(self.unseen())}


def scope(actor: Actor) -> Scope | None:
    """The part of the schedule ``actor`` is due to visit; ``None``: none of it."""
    if actor.role in DECIDERS:
        return Scope(None, None)
    if actor.role in OFFICE_ROLES and actor.office:
        return Scope(actor.office, frozenset({"self"}))
    if actor.role == Role.INSPECTOR:
        return Scope(None, frozenset({"supervisor"}))
    return None


def schedule_start(campaign: Campaign, today: date) -> date:
    """The day the schedule runs from: the campaign's first day (``today`` for one without phases)."""
    return min((p.starts for p in campaign.phases), default=today)


def local_today(ctx: Context) -> date:
    return ctx.now().astimezone(ctx.settings.zone).date()


def _entries(ctx: Context, where: Scope, today: date) -> tuple[list[Due], dict[str, SitePublic], dict[str, date]]:
    campaign = campaigns.active(ctx)
    every = rules.visit_every_of(campaign.visit_every)
    start = schedule_start(campaign, today)
    with read_session(ctx.engine) as session:
        sites = visit_queries.active_sites(session, where.office)
        last = visit_queries.last_visit_days(session, ctx.settings.zone, [s.id for s in sites])
    entries = []
    for site in sites:
        for check_type, days in sorted(rules.frequencies(every, site.kind).items()):
            if where.check_types is None or check_type in where.check_types:
                entries.append(rules.next_due(site.id, check_type, days, last.get((site.id, check_type)), start))
    last_seen: dict[str, date] = {}
    for (site_id, _), day in last.items():
        last_seen[site_id] = max(day, last_seen.get(site_id, day))
    entries.sort(key=lambda e: (e.due, e.site_id, e.check_type))
    return entries, {s.id: s for s in sites}, last_seen


def due_visits(ctx: Context, actor: Actor, today: date | None = None) -> list[Due]:
    """The visits ``actor`` is due to make on ``today`` (a local day; default the context's): due today or
    overdue, most overdue first (then by site and check type)."""
    where = scope(actor)
    if where is None:
        return []
    today = today or local_today(ctx)
    entries, _, _ = _entries(ctx, where, today)
    return [e for e in entries if e.due <= today]


def board(ctx: Context, actor: Actor, today: date | None = None) -> Board:
    """The coverage board of every active site for the desk (supervisors and admins)."""
    if actor.role not in DECIDERS:
        raise Forbidden(action="schedules.board", role=actor.role)
    today = today or local_today(ctx)
    entries, sites, last_seen = _entries(ctx, Scope(None, None), today)
    return Board(today, entries, sites, last_seen)


@dataclass(frozen=True)
class DueVisit:
    """A visit due, as 待办 lists it: the entry, its site (None: not on this device yet), how far away."""

    due: Due
    site: SitePublic | None
    distance_m: float | None  # None without a position (or a site)
    days_overdue: int


def nearest_first(due: list[Due], sites: dict[str, SitePublic], today: date, lat: float | None,
                  lon: float | None) -> list[DueVisit]:
    """``due`` nearest first from (``lat``, ``lon``); without a position, by due day (most overdue first)."""
    here = Point(lat, lon) if lat is not None and lon is not None else None
    out = []
    for entry in due:
        site = sites.get(entry.site_id)
        metres = None if here is None or site is None else round(distance_m(here, Point(site.lat, site.lon)), 1)
        out.append(DueVisit(entry, site, metres, entry.days_overdue(today)))
    far = float("inf")
    return sorted(out, key=lambda v: (far if v.distance_m is None else v.distance_m, v.due.due, v.due.site_id,
                                      v.due.check_type))


def visits_due(ctx: Context, actor: Actor, lat: float | None = None, lon: float | None = None) -> list[DueVisit]:
    """``due_visits`` today for 待办, nearest first from where the phone is."""
    today = local_today(ctx)
    with read_session(ctx.engine) as session:
        sites = {s.id: s for s in visit_queries.active_sites(session)}
    return nearest_first(due_visits(ctx, actor, today), sites, today, lat, lon)


@dataclass(frozen=True)
class SiteNotice(Notice):
    """"场所 X 自查已逾期 N 天": a site overdue for a check; ``at`` is the end of its due day."""

    site_id: str = ""
    site_name: str = ""
    check_type: str = ""


def notice_scope(actor: Actor) -> Scope | None:
    """Who is told a site went overdue: its office (self checks) and the supervisors (every check)."""
    if actor.role in OFFICE_ROLES and actor.office:
        return Scope(actor.office, frozenset({"self"}))
    if actor.role == Role.SUPERVISOR:
        return Scope(None, None)
    return None


def overdue_notices(ctx: Context, actor: Actor, now: datetime | None = None) -> list[SiteNotice]:
    """The sites overdue at ``now`` for ``actor``, as notices, most overdue first; computed, never stored."""
    where = notice_scope(actor)
    if where is None:
        return []
    now = now or ctx.now()
    zone = ctx.settings.zone
    today = now.astimezone(zone).date()
    entries, sites, _ = _entries(ctx, where, today)
    return [SiteNotice(SITE_OVERDUE, "", None, end_of_day(e.due, zone), site_id=e.site_id,
                       site_name=sites[e.site_id].name, check_type=e.check_type)
            for e in entries if e.overdue_on(today)]
