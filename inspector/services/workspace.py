"""What the UI talks to: one person's view of the campaign, wherever the data lives.

The same Flet views run inside the server (``ServerWorkspace``: the shared
database, every change recorded at once) and in the field client
(``inspector.sync.field.FieldWorkspace``: a local store and an outbox, synced
when the network allows). Views call only this interface; it is synchronous
and blocking, so views call it through ``asyncio.to_thread``.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Mapping, Protocol

import uuid6

from inspector.domain.items import ItemState
from inspector.domain.permissions import Actor
from inspector.services import catalog as catalog_service
from inspector.services import events, items, photos
from inspector.services.context import Context
from inspector.store.models import Photo, Site
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


@dataclass(frozen=True)
class ItemView:
    item: ItemState
    timeline: list[TimelineEntry]  # oldest first
    photos: dict[str, Photo] = field(default_factory=dict)  # facts by hash, where known


class Workspace(Protocol):
    actor: Actor
    display_name: str

    def catalogue(self) -> dict: ...
    def sites(self) -> list[Site]: ...
    def list_items(self, f: ItemFilter, page: int = 1, page_size: int = 30) -> items.ItemPage: ...
    def item(self, item_id: str) -> ItemView: ...
    def add_photo(self, data: bytes) -> Photo: ...
    def photo(self, sha256: str, variant: str = "display") -> bytes: ...
    def record(self, kind: str, item_id: str | None, base_version: int, payload: Mapping[str, Any]) -> ItemState: ...
    def sync_status(self) -> SyncStatus: ...
    def sync_now(self) -> SyncStatus: ...
    def now(self) -> datetime: ...


def new_id() -> str:
    """A time-ordered UUID made here, so an item exists before any server hears of it."""
    return str(uuid6.uuid7())


class ServerWorkspace:
    """The web UI inside the server: the shared database is the local store; sync is a no-op."""

    def __init__(self, ctx: Context, actor: Actor, display_name: str = ""):
        self.ctx, self.actor, self.display_name = ctx, actor, display_name or actor.username

    def now(self) -> datetime:
        return self.ctx.now()

    def catalogue(self) -> dict:
        return catalog_service.catalogue()

    def sites(self) -> list[Site]:
        return catalog_service.list_sites(self.ctx)

    def list_items(self, f: ItemFilter, page: int = 1, page_size: int = 30) -> items.ItemPage:
        return items.list_items(self.ctx, self.actor, f, page, page_size)

    def item(self, item_id: str) -> ItemView:
        detail = items.get_item(self.ctx, self.actor, item_id)
        timeline = [
            TimelineEntry(kind=e.kind, actor_name=detail.actors.get(e.actor_id, ""), at=e.server_at,
                          payload=e.payload or {})
            for e in detail.events
        ]
        return ItemView(detail.item, timeline, {p.sha256: p for p in detail.photos})

    def add_photo(self, data: bytes) -> Photo:
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
