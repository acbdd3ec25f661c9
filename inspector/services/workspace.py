"""What the UI talks to: one person's view of the campaign, wherever the data lives.

The same Flet views run inside the server (``ServerWorkspace``: the shared
database, every change recorded at once) and in the field client
(``inspector.sync.field.FieldWorkspace``: a local store and an outbox, synced
when the network allows). Views call only this interface; it is synchronous
and blocking, so views call it through ``asyncio.to_thread``.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Iterable, Mapping, Protocol

import uuid6

from inspector.domain import catalog
from inspector.domain import oversight as oversight_rules
from inspector.domain.campaign import Campaign, current_phase, phases_data
from inspector.domain.duplicates import Candidate
from inspector.domain.items import ItemState
from inspector.domain.lifecycle import Kind
from inspector.domain.oversight import Notice, OfficeRecord
from inspector.domain.permissions import Actor
from inspector.domain.roles import DECIDERS, Role
from inspector.services import campaigns, notifications, oversight
from inspector.services import catalog as catalog_service
from inspector.services import duplicates, events, items, photos, schedules
from inspector.services.context import Context
from inspector.services.visit_recording import ServerVisits, Visits
from inspector.store.convert import item_state
from inspector.store.public import PhotoPublic, SitePublic
from inspector.store.queries import ItemFilter


@dataclass(frozen=True)
class SyncStatus:
    """What the status bar shows: online or not, waiting events, last sync, last error."""

    online: bool
    pending: int = 0
    rejected: int = 0
    last_sync_at: datetime | None = None
    last_error: str | None = None  # words for a person, already in their language
    login_needed: bool = False  # the server refused the kept login: log in again (nothing is lost)


@dataclass(frozen=True)
class TimelineEntry:
    kind: str
    actor_name: str
    at: datetime
    payload: Mapping[str, Any]
    pending: bool = False  # still in the outbox
    rejection: str | None = None  # why the server refused it, in words
    actor_id: str = ""


@dataclass(frozen=True)
class ItemView:
    item: ItemState
    timeline: list[TimelineEntry]  # oldest first
    photos: dict[str, PhotoPublic] = field(default_factory=dict)  # facts by hash, where known
    blind: bool = False  # a spot checker who has not recorded their finding: no after-photos, no verdicts


@dataclass(frozen=True)
class ItemNotice(Notice):
    """A notice with what it takes to word it without loading the item."""

    category: str = ""
    reason: str | None = None  # the last rejection reason (fix_rejected)


@dataclass(frozen=True)
class SampleEntry:
    item_id: str
    item: ItemState | None  # as this person may see it (blind until checked); None: not on this device yet
    checked: bool  # this spot checker has recorded a finding


@dataclass(frozen=True)
class Sample:
    """A recorded draw of items for one spot checker to re-inspect."""

    id: str
    drawn_at: datetime
    entries: list[SampleEntry]


def campaign_summary(c: Campaign, today: date) -> dict:
    """What the phone shows of the campaign: its name and the phase ``today`` (a local day) is in."""
    return {"name": c.name, "current_phase": current_phase(c, today), "today": today,
            "phases": phases_data(c.phases), "top_leaders": dict(c.top_leaders)}


def item_notice(n: Notice, item: ItemState | None) -> ItemNotice:
    return ItemNotice(n.kind, n.item_id, n.number, n.at, category=item.category if item else "",
                      reason=item.last_reason if item else None)


def record_offices(actor: Actor) -> list[str]:
    """The offices whose record this person reads: a spot checker's delegated ones, staff their own."""
    if actor.role == Role.SPOT_CHECKER:
        return sorted({o for scope in actor.scopes for o in scope.offices})
    if actor.is_office and actor.office:
        return [actor.office]
    if actor.role in DECIDERS:
        return list(catalog.OFFICE_CODES)
    return []


class Workspace(Protocol):
    actor: Actor
    display_name: str
    visits: Visits  # visits of sites against their checklists (``services.visit_recording``)

    def catalogue(self) -> dict: ...
    def sites(self) -> list[SitePublic]: ...
    def list_items(self, f: ItemFilter, page: int = 1, page_size: int = 30) -> items.ItemPage: ...
    def item(self, item_id: str) -> ItemView: ...
    def add_photo(self, data: bytes) -> PhotoPublic: ...
    def photo(self, sha256: str, variant: str = "display") -> bytes: ...
    def record(self, kind: str, item_id: str | None, base_version: int, payload: Mapping[str, Any]) -> ItemState: ...
    def sync_status(self) -> SyncStatus: ...
    def sync_now(self) -> SyncStatus: ...
    def now(self) -> datetime: ...
    # oversight
    def look_backs_due(self, lat: float | None, lon: float | None,
                       within_days: int = 2) -> list[tuple[ItemState, float | None]]:
        """Verified items whose look-back is due within ``within_days`` (or overdue), nearest first,
        with their distance in metres (None without a position: most overdue first)."""
    def notices(self) -> list[Notice]: ...
    def visits_due(self, lat: float | None, lon: float | None) -> list[schedules.DueVisit]:
        """The visits due for this person today (or overdue), nearest first (by due day without a position)."""
    def campaign(self) -> dict | None:
        """``campaign_summary`` of the campaign in force, or None when not known (offline, never synced)."""
    def spot_samples(self) -> list[Sample]: ...
    def rebound_payload(self, item: ItemState, photos: Iterable[str], deadline: Any = None,
                        note: str | None = None) -> dict: ...
    def office_records(self) -> list[OfficeRecord]: ...
    # duplicates and rebounds found while reporting (both workspaces ask ``duplicates.candidates_near``)
    def report_candidates(self, lat: float, lon: float, category: str) -> list[Candidate]:
        """Items on record a report at (``lat``, ``lon``) in ``category`` may go to instead, nearest first."""


def new_id() -> str:
    """A time-ordered UUID made here, so an item exists before any server hears of it."""
    return str(uuid6.uuid7())


class ServerWorkspace:
    """The web UI inside the server: the shared database is the local store; sync is a no-op."""

    def __init__(self, ctx: Context, actor: Actor, display_name: str = ""):
        self.ctx, self.actor, self.display_name = ctx, actor, display_name or actor.username
        self.visits = ServerVisits(ctx, actor)  # visits walked in the web UI (``services.visit_recording``)

    def now(self) -> datetime:
        return self.ctx.now()

    def catalogue(self) -> dict:
        return catalog_service.catalogue()

    def sites(self) -> list[SitePublic]:
        return catalog_service.list_sites(self.ctx)

    def list_items(self, f: ItemFilter, page: int = 1, page_size: int = 30) -> items.ItemPage:
        return items.list_items(self.ctx, self.actor, f, page, page_size)

    def item(self, item_id: str) -> ItemView:
        detail = items.get_item(self.ctx, self.actor, item_id)
        timeline = [
            TimelineEntry(kind=e.kind, actor_name=detail.actors.get(e.actor_id, ""), at=e.server_at,
                          payload=e.payload or {}, actor_id=e.actor_id)
            for e in detail.events
        ]
        checked = any(e.kind == Kind.SPOT_CHECKED and e.actor_id == self.actor.id for e in detail.events)
        return ItemView(detail.item, timeline, {p.sha256: p for p in detail.photos},
                        blind=oversight_rules.is_blind(self.actor, detail.item, checked))

    def add_photo(self, data: bytes) -> PhotoPublic:
        return photos.put_photo(self.ctx, self.actor, hashlib.sha256(data).hexdigest(), data).photo

    def photo(self, sha256: str, variant: str = "display") -> bytes:
        return photos.photo_bytes(self.ctx, self.actor, sha256, variant)

    def record(self, kind: str, item_id: str | None, base_version: int, payload: Mapping[str, Any]) -> ItemState:
        event = events.EventIn(id=new_id(), item_id=item_id or new_id(), kind=kind, at=self.ctx.now(),
                               base_version=base_version, payload=dict(payload))
        return events.record_one(self.ctx, self.actor, event, device_id="web").item

    def sync_status(self) -> SyncStatus:
        return SyncStatus(online=True)

    def sync_now(self) -> SyncStatus:
        return self.sync_status()

    # --- oversight ----------------------------------------------------------------------------
    def look_backs_due(self, lat: float | None, lon: float | None,
                       within_days: int = 2) -> list[tuple[ItemState, float | None]]:
        return [(lb.item, lb.distance_m) for lb in oversight.look_backs_due(self.ctx, self.actor, lat, lon,
                                                                             within_days)]

    def notices(self) -> list[Notice]:
        board = notifications.notice_board(self.ctx, self.actor)  # a site overdue is its own notice
        return [n if isinstance(n, schedules.SiteNotice) else item_notice(n, board.items.get(n.item_id))
                for n in board.notices]

    def visits_due(self, lat: float | None, lon: float | None) -> list[schedules.DueVisit]:
        return schedules.visits_due(self.ctx, self.actor, lat, lon)

    def campaign(self) -> dict | None:
        view = campaigns.get_campaign(self.ctx, self.actor)
        return campaign_summary(view.campaign, view.today)

    def spot_samples(self) -> list[Sample]:
        if self.actor.role != Role.SPOT_CHECKER:
            return []
        out = []
        for sample in oversight.list_samples(self.ctx, self.actor):
            rows, checked = oversight.sample_items(self.ctx, sample)
            entries = []
            for item_id in sample.item_ids or []:
                row = rows.get(item_id)
                state = item_state(row) if row is not None else None
                if state is not None and oversight_rules.is_blind(self.actor, state, item_id in checked):
                    state = oversight_rules.blinded(state)
                entries.append(SampleEntry(item_id, state, item_id in checked))
            out.append(Sample(sample.id, sample.drawn_at, entries))
        return out

    def rebound_payload(self, item: ItemState, photos: Iterable[str], deadline: Any = None,
                        note: str | None = None) -> dict:
        return oversight.rebound_payload(self.ctx, item, photos, deadline, note)

    def office_records(self) -> list[OfficeRecord]:
        return [oversight.office_record(self.ctx, self.actor, office) for office in record_offices(self.actor)]

    def report_candidates(self, lat: float, lon: float, category: str) -> list[Candidate]:
        return duplicates.report_candidates(self.ctx, self.actor, lat, lon, category)
