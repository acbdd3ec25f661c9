"""The supervisor's desk: what the desktop screens ask for, as thin wrappers over the use cases.

``Desk(ctx, actor)`` is made per logged-in supervisor or admin of the web UI.
Review queues are ``ItemFilter``s (made in ``services.desk_filters``) paged
by the database, never all items; decisions are events recorded through
``services.events`` like any other; scores, reports, campaign, delegations and
spot-check samples come from their own services, which check who may do what.
What it hands out are domain values and public models, never table rows.
Calls block: the UI runs them through ``asyncio.to_thread``.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Iterable, Mapping

import uuid6

from inspector import reports
from inspector.domain import campaign as campaign_rules
from inspector.domain.checklists import Checklist
from inspector.domain.events import default_deadline
from inspector.domain.decision import moves_on
from inspector.domain.items import ItemState
from inspector.domain.lifecycle import Kind, Surface, offered_on
from inspector.domain.oversight import open_findings
from inspector.domain.permissions import Actor
from inspector.domain.roles import Role
from inspector.domain.scoring import month_period
from inspector.errors import InspectorError, InvalidRequest
from inspector.i18n import DEFAULT_LANG
from inspector.services import campaigns, events, info_reports, items, oversight, photos, scores
from inspector.services import catalog as catalog_service
from inspector.services import checklists as checklist_service
from inspector.services import sites as site_service
from inspector.services import visits as visit_service
from inspector.services.context import Context
from inspector.services.desk_filters import IDS_MAX, QUEUE_FILTERS, QUEUE_SORT, QUEUES, Filters, day_start, item_filter
from inspector.services.evidence import PhotoEvidence, item_evidence
from inspector.services.visits import VisitPublic
from inspector.store import sites as site_store
from inspector.store import users
from inspector.store.campaigns import RoundPublic
from inspector.store.checklists import VersionPublic
from inspector.store.delegations import DelegationPublic
from inspector.store.engine import read_session
from inspector.store.oversight_public import SamplePublic
from inspector.store.public import PersonPublic, PhotoPublic, SitePublic
from inspector.store.site_types import SiteTypePublic
from inspector.store.queries import ItemFilter

# The queues and their filters live in ``desk_filters``; the screens import them from here too.
__all__ = ["DECISIONS", "IDS_MAX", "LIST_PAGE_MAX", "MAP_LIMIT", "QUEUE_FILTERS", "QUEUE_SORT", "QUEUES",
           "BatchResult", "Desk", "DeskItem", "Entry", "Filters", "Finding", "MapPoint", "MapPoints", "SampleView",
           "allowed_decisions"]

# The decisions a supervisor makes, in the order their buttons show.
DECISIONS = offered_on(Surface.DESK)  # the supervisor's decisions, from the registry
MAP_LIMIT = 2000
LIST_PAGE_MAX = 500  # what ``items.list_items`` hands out at once


@dataclass(frozen=True)
class Entry:
    """One line of an item's timeline, with the evidence a supervisor weighs."""

    id: str
    kind: str
    actor_name: str
    at: datetime  # server time
    device_at: datetime
    payload: Mapping[str, Any]


@dataclass(frozen=True)
class Finding:
    """A spot checker's disagreement not yet settled by a reopen or a kept verdict."""

    actor_name: str
    at: datetime
    note: str | None
    photos: tuple[str, ...]


@dataclass(frozen=True)
class DeskItem:
    item: ItemState
    timeline: list[Entry]  # oldest first
    photos: dict[str, PhotoPublic]
    evidence: list[PhotoEvidence]
    findings: list[Finding]
    site_name: str | None
    reporter_name: str
    decisions: list[str]  # what this user may decide now, in button order
    default_deadline: date  # the category's deadline_days from today
    top_leader: str | None  # the campaign's top leader of the item's office
    visit: VisitPublic | None = None  # issue 11: the visit whose failed point the item is


@dataclass(frozen=True)
class BatchResult:
    item_id: str
    number: str | None
    error: InspectorError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class MapPoint:
    id: str
    number: str | None
    lat: float
    lon: float
    status: str
    overdue: bool
    rebound: bool


@dataclass(frozen=True)
class MapPoints:
    points: list[MapPoint]
    total: int  # items passing the filter; more than ``len(points)`` when capped


@dataclass(frozen=True)
class SampleView:
    sample: SamplePublic
    checker_name: str
    items: list[ItemState] = field(default_factory=list)  # the drawn items still visible, in draw order
    checked: frozenset[str] = frozenset()  # which of them the checker has spot-checked


def allowed_decisions(actor: Actor, item: ItemState) -> list[str]:
    """The decisions ``actor`` may make on ``item`` now: the one decision core's list for the desk."""
    return list(moves_on(actor, item, Surface.DESK))


class Desk:
    def __init__(self, ctx: Context, actor: Actor, lang: str = DEFAULT_LANG):
        self.ctx, self.actor, self.lang = ctx, actor, lang

    # ------------------------------------------------------------------ time
    @property
    def zone(self):
        return self.ctx.settings.zone

    def now(self) -> datetime:
        return self.ctx.now()

    def today(self) -> date:
        return self.now().astimezone(self.zone).date()

    def day_start(self, day: date) -> datetime:
        return day_start(day, self.zone)

    # ------------------------------------------------------------------ review queues
    def item_filter(self, queue: str, filters: Filters = Filters(), sort: str | None = None,
                    ids: Iterable[str] = ()) -> ItemFilter:
        """The list of ``queue`` narrowed by ``filters``; ``queue='ids'`` lists just ``ids``."""
        return item_filter(queue, filters, self.zone, sort, ids)

    def queue(self, queue: str, filters: Filters = Filters(), sort: str | None = None, page: int = 1,
              page_size: int = 50, ids: Iterable[str] = ()) -> items.ItemPage:
        """One page of a review queue."""
        return items.list_items(self.ctx, self.actor, self.item_filter(queue, filters, sort, ids), page, page_size)

    def counts(self, filters: Filters = Filters()) -> dict[str, int]:
        """How many items wait in each queue under ``filters`` (the tabs' numbers)."""
        out = {}
        for queue in QUEUES:
            out[queue] = items.list_items(self.ctx, self.actor, self.item_filter(queue, filters), 1, 1).total
        return out

    # ------------------------------------------------------------------ one item
    def item(self, item_id: str) -> DeskItem:
        """One item with its timeline, photo facts and evidence, open findings and the decisions open now."""
        detail = items.get_item(self.ctx, self.actor, item_id)
        item = detail.item
        shown = {p.sha256: PhotoPublic.of(p) for p in detail.photos}
        names = detail.actors
        timeline = [Entry(e.id, e.kind, names.get(e.actor_id, ""), e.server_at, e.at, dict(e.payload or {}))
                    for e in detail.events]
        findings = [Finding(names.get(e.actor_id, ""), e.server_at, (e.payload or {}).get("note"),
                            tuple((e.payload or {}).get("photos") or ()))
                    for e in open_findings(detail.events)] if item.disputed else []
        site = None
        if item.site_id:
            with read_session(self.ctx.engine) as session:
                site = site_store.site(session, item.site_id)
        campaign = campaigns.active(self.ctx)
        return DeskItem(
            item=item, timeline=timeline, photos=shown,
            evidence=item_evidence(self.ctx, item, detail.events, shown, names),
            findings=findings, site_name=site.name if site else None,
            reporter_name=names.get(item.reported_by, ""), decisions=allowed_decisions(self.actor, item),
            default_deadline=self.default_deadline(item.category),
            top_leader=campaign_rules.top_leader_for(campaign, item.office),
            visit=visit_service.visit_of_item(self.ctx, self.actor, item))

    def photo(self, sha256: str, variant: str = "display") -> bytes:
        """A photo's bytes, as the actor may see it (``variant``: display, thumb or original)."""
        return photos.photo_bytes(self.ctx, self.actor, sha256, variant)

    def default_deadline(self, category: str) -> date:
        """The category's deadline (``deadline_days`` from today), as a local day."""
        return default_deadline(category, self.now(), self.zone).astimezone(self.zone).date()

    # ------------------------------------------------------------------ decisions
    def _event(self, kind: str, item: ItemState, payload: Mapping[str, Any]) -> events.EventIn:
        return events.EventIn(id=str(uuid6.uuid7()), item_id=item.id, kind=kind, at=self.now(),
                              base_version=item.version, payload=dict(payload))

    def decide(self, kind: str, item: ItemState, payload: Mapping[str, Any]) -> ItemState:
        """Record one decision made from ``item`` as the supervisor saw it; raises when refused
        (``StaleVersion`` when someone else acted first)."""
        if kind not in DECISIONS:
            raise InvalidRequest(problem=f"{kind} is not a supervisor's decision")
        return events.record_one(self.ctx, self.actor, self._event(kind, item, payload), device_id="desk").item

    def assign(self, item: ItemState, office: str, leader: str, deadline: date) -> ItemState:
        return self.decide(Kind.ASSIGNED, item, {"office": office, "leader": leader.strip(),
                                                 "deadline": deadline.isoformat()})

    def verify(self, item: ItemState, note: str | None = None) -> ItemState:
        """Verified, carrying the campaign's look-back days for the category."""
        return self.decide(Kind.VERIFIED, item, campaigns.verify_payload(self.ctx, item.category, note))

    def reject(self, item: ItemState, reason: str) -> ItemState:
        return self.decide(Kind.REJECTED, item, {"reason": reason.strip()})

    def grant_extension(self, item: ItemState) -> ItemState:
        if item.extension_until is None:
            raise InvalidRequest(problem="no extension was asked for")
        until = item.extension_until.astimezone(self.zone).date()
        return self.decide(Kind.EXTENSION_GRANTED, item, {"until": until.isoformat()})

    def refuse_extension(self, item: ItemState, reason: str) -> ItemState:
        return self.decide(Kind.EXTENSION_REFUSED, item, {"reason": reason.strip()})

    def dismiss(self, item: ItemState, reason: str) -> ItemState:
        return self.decide(Kind.DISMISSED, item, {"reason": reason.strip()})

    def reopen(self, item: ItemState, leader: str, deadline: date, reason: str) -> ItemState:
        """A spot checker was right: back to the office with a leader and a deadline."""
        return self.decide(Kind.REOPENED, item, {"leader": leader.strip(), "deadline": deadline.isoformat(),
                                                 "reason": reason.strip()})

    def keep_verdict(self, item: ItemState, reason: str) -> ItemState:
        """A spot checker's disagreement is answered: the verdict stands."""
        return self.decide(Kind.DISPUTE_DISMISSED, item, {"reason": reason.strip()})

    def assign_many(self, targets: list[ItemState], office: str | None, leader: str,
                    deadline: date | None) -> list[BatchResult]:
        """Assign several items in one batch; each is decided on its own (one refusal sinks no other).

        ``office`` None keeps each item's own office; ``deadline`` None gives each its category's.
        """
        batch = [self._event(Kind.ASSIGNED, item, {
            "office": office or item.office, "leader": leader.strip(),
            "deadline": (deadline or self.default_deadline(item.category)).isoformat()}) for item in targets]
        outcomes = events.push(self.ctx, self.actor, batch, device_id="desk")
        return [BatchResult(item.id, item.number, None if o.status in ("accepted", "duplicate") else o.error)
                for item, o in zip(targets, outcomes)]

    # ------------------------------------------------------------------ map
    def map_points(self, filters: Filters = Filters(), queue: str = "all", limit: int = MAP_LIMIT) -> MapPoints:
        """The first ``limit`` items of a queue under ``filters`` (newest first), as map points."""
        f = self.item_filter(queue, filters, "-reported_at")
        now = self.now()
        points: list[MapPoint] = []
        total, page = 0, 1
        while len(points) < limit:
            size = min(LIST_PAGE_MAX, limit - len(points))
            result = items.list_items(self.ctx, self.actor, f, page, size, now)
            total = result.total
            points += [MapPoint(s.id, s.number, s.location.lat, s.location.lon, s.status, s.overdue(now),
                                s.rebound_count > 0) for s in result.items]
            if len(result.items) < size:
                break
            page += 1
        return MapPoints(points[:limit], total)

    # ------------------------------------------------------------------ scores
    def scoreboard(self, month: str) -> scores.ScoreboardView:
        return scores.scoreboard(self.ctx, self.actor, month, lang=self.lang)

    def months(self) -> list[str]:
        """Months worth a look, newest first: this month back to the campaign's first, at least six."""
        today = self.today()
        first = today
        campaign = campaigns.active(self.ctx)
        if campaign.phases:
            first = min(first, min(p.starts for p in campaign.phases))
        out, year, month = [], today.year, today.month
        while (year, month) >= (first.year, first.month) or len(out) < 6:
            out.append(f"{year:04d}-{month:02d}")
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        for p in campaign.phases:  # a campaign set in the future
            for day in (p.starts, p.ends):
                if f"{day:%Y-%m}" not in out:
                    out.insert(0, f"{day:%Y-%m}")
        return sorted(set(out), reverse=True)

    def opening_month(self) -> str:
        """The month the scoreboard opens on: last month in a month's first days (``scores.default_month``)."""
        return scores.default_month(self.ctx)

    def month_days(self, month: str) -> tuple[date, date]:
        period = month_period(month, self.zone)
        return period.first_day, period.last_day

    # ------------------------------------------------------------------ reports
    def report(self, fmt: str, office: str | None, first_day: date | None, last_day: date | None,
               progress=None) -> reports.Rendered:
        """The campaign summary as PDF, XLSX or CSV bytes (with its file name); ``progress(done, total)`` as
        ``reports.render`` tells it."""
        return reports.render(self.ctx, self.actor, fmt, office or None, first_day, last_day, self.lang, progress)

    def info_board(self, day: date | None = None) -> list[info_reports.OfficeDay]:
        """信息报送 for a day: every office, reported or not, with its reporter and notes."""
        return info_reports.day_board(self.ctx, self.actor, day)

    # ------------------------------------------------------------------ campaign and rounds
    def campaign(self) -> campaigns.CampaignView:
        return campaigns.get_campaign(self.ctx, self.actor)

    def save_campaign(self, changes: Mapping[str, Any]) -> campaigns.CampaignView:
        return campaigns.update_campaign(self.ctx, self.actor, changes)

    def rounds(self) -> list[RoundPublic]:
        return campaigns.list_rounds(self.ctx, self.actor)

    def create_round(self, name: str, inspecting: str, inspected: str, starts: date, ends: date) -> RoundPublic:
        return campaigns.create_round(self.ctx, self.actor, name, inspecting, inspected, starts, ends)

    def sites(self) -> list[SitePublic]:
        return catalog_service.list_sites(self.ctx)

    # ------------------------------------------------------------------ checklists (issue 11)
    def checklists(self) -> tuple[list[Checklist], list[SiteTypePublic]]:
        """The current checklists, and every site type (a type without one has no checklist yet)."""
        return checklist_service.current_all(self.ctx), site_service.site_types(self.ctx)

    def checklist(self, checklist_id: str) -> Checklist:
        return checklist_service.version(self.ctx, checklist_id)

    def checklist_history(self, site_type: str) -> list[VersionPublic]:
        return checklist_service.history(self.ctx, site_type)

    def save_checklist(self, site_type: str, points: list[dict], base_version: int) -> checklist_service.Saved:
        return checklist_service.save(self.ctx, self.actor, site_type, points, base_version)

    # ------------------------------------------------------------------ oversight
    def checkers(self) -> list[PersonPublic]:
        """The spot checkers (deputies, CPPCC members) who can be delegated, by username; not disabled ones."""
        with read_session(self.ctx.engine) as session:
            return users.people(session, Role.SPOT_CHECKER)

    def user_names(self, ids: Iterable[str]) -> dict[str, str]:
        """The name to show for each of ``ids`` that is a user."""
        with read_session(self.ctx.engine) as session:
            return users.display_names(session, ids)

    def delegations(self) -> list[DelegationPublic]:
        return oversight.list_delegations(self.ctx, self.actor)

    def delegate(self, user_id: str, offices: Iterable[str], sites: Iterable[str], starts: date | None,
                 ends: date | None) -> DelegationPublic:
        return oversight.delegate(self.ctx, self.actor, user_id, offices, sites, starts, ends)

    def revoke(self, delegation_id: str) -> None:
        oversight.revoke_delegation(self.ctx, self.actor, delegation_id)

    def samples(self, user_id: str | None = None) -> list[SamplePublic]:
        return oversight.list_samples(self.ctx, self.actor, user_id)

    def draw(self, user_id: str, size: int, seed: int | None = None) -> SampleView:
        """Draw a spot-check sample for a checker; the seed is recorded with it."""
        return self.sample_view(oversight.draw(self.ctx, self.actor, user_id, size, seed))

    def sample_view(self, sample: SamplePublic) -> SampleView:
        rows, checked = oversight.sample_items(self.ctx, sample)
        ids = [i for i in sample.item_ids or [] if i in rows]
        page = items.list_items(self.ctx, self.actor, ItemFilter(ids=tuple(ids)), 1, LIST_PAGE_MAX) if ids else None
        by_id = {s.id: s for s in page.items} if page else {}
        names = self.user_names([sample.user_id])
        return SampleView(sample, names.get(sample.user_id, ""), [by_id[i] for i in ids if i in by_id],
                          frozenset(checked))

    def check_sample(self, sample_id: str) -> oversight.SampleCheck:
        """Recompute a recorded draw from its seed: does it give the recorded items?"""
        return oversight.verify_sample(self.ctx, self.actor, sample_id)

