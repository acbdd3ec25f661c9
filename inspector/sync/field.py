"""The field client: a ``Workspace`` over the local store, and the client that wires it together.

``open_field(server_url, data_dir)`` builds a ``FieldClient``: the local store
(``field.db`` + ``blobs/`` under ``data_dir``), the HTTP client, the sync
engine and the background auto-sync. ``FieldClient.login`` keeps the token,
the person and the device id in the store and returns the ``FieldWorkspace``
the views call. Everything the workspace does reads and writes the local
store only; the server is reached by sync rounds (and to fetch a photo this
device does not have).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Mapping

import httpx

from inspector.domain.items import ItemState
from inspector.domain.permissions import Actor, can_see
from inspector.errors import ItemNotFound, NotAuthenticated
from inspector.photos.blobs import VARIANTS, blob_key
from inspector.photos.derive import derive
from inspector.services import catalog as catalog_service
from inspector.services.context import utc_now
from inspector.services.items import ItemPage
from inspector.services.workspace import ItemView, SyncStatus, TimelineEntry
from inspector.settings import Settings
from inspector.store import queries
from inspector.store.convert import item_state
from inspector.store.engine import read_session
from inspector.store.models import OutboxEntry, Photo, Site
from inspector.sync import local
from inspector.sync.client import ApiClient
from inspector.sync.engine import AutoSync, Backoff, RoundReport, SyncEngine
from inspector.sync.local import LocalStore, Recorded


class FieldWorkspace:
    """One person's view on a phone or laptop: the local store first, the server when reachable."""

    def __init__(self, client: "FieldClient", actor: Actor, display_name: str):
        self.client, self.store = client, client.store
        self.actor, self.display_name = actor, display_name

    def now(self) -> datetime:
        return self.client.clock()

    def catalogue(self) -> dict:
        return catalog_service.catalogue()

    def sites(self) -> list[Site]:
        return self.store.sites()

    def list_items(self, f: queries.ItemFilter, page: int = 1, page_size: int = 30) -> ItemPage:
        page, page_size = max(page, 1), min(max(page_size, 1), 500)
        with read_session(self.store.engine) as session:
            rows, total = queries.list_items(session, self.actor, f, self.now(), page, page_size)
            return ItemPage([item_state(r) for r in rows], total, page, page_size)

    def item(self, item_id: str) -> ItemView:
        """The item with its confirmed timeline, then this device's waiting and refused changes, flagged."""
        state = self.store.item(item_id, with_rejected=True)
        if state is None or not can_see(self.actor, state):
            raise ItemNotFound(item_id=item_id)
        names = {**self.store.names(), self.actor.id: self.display_name}
        timeline = [TimelineEntry(kind=r.kind, actor_name=names.get(r.actor_id, ""), at=r.server_at,
                                  payload=r.payload or {})
                    for r in self.store.events_of(item_id)]
        entries = self.store.outbox(item_id)
        timeline += [TimelineEntry(kind=e.kind, actor_name=self.display_name, at=e.at, payload=e.payload or {},
                                   pending=e.state == local.PENDING,
                                   rejection=e.reason_message if e.state == local.REJECTED else None)
                     for e in entries]
        shas = {sha for entry in timeline for sha in entry.payload.get("photos") or ()}
        return ItemView(state, timeline, self.store.photos(shas))

    def add_photo(self, data: bytes) -> Photo:
        return self.store.add_photo(self.actor.id, data, self.now())

    def photo(self, sha256: str, variant: str = "display") -> bytes:
        """A variant from this device; else derived from the original here; else fetched once and kept."""
        variant = variant if variant in VARIANTS else "display"
        blobs = self.store.blobs
        key, original = blob_key(sha256, variant), blob_key(sha256, "original")
        if blobs.exists(key):
            return blobs.get(key)
        if blobs.exists(original):
            data = derive(blobs.get(original), variant)
        else:
            data = self.client.api.photo(sha256, variant)
            if variant == "original" and hashlib.sha256(data).hexdigest() != sha256:
                return data  # not what its name says: show it, never keep it under that name
        blobs.put(key, data)
        return data

    def record_event(self, kind: str, item_id: str | None, base_version: int,
                     payload: Mapping[str, Any]) -> Recorded:
        """Save a change in the outbox (committed when this returns) and ask for a sync round."""
        if not self.store.get(local.TOKEN):
            raise NotAuthenticated()  # logged out on purpose: nobody records in their name
        recorded = self.store.record_local(self.actor, kind, item_id, base_version, payload, self.now())
        self.client.auto.trigger()
        return recorded

    def record(self, kind: str, item_id: str | None, base_version: int, payload: Mapping[str, Any]) -> ItemState:
        return self.record_event(kind, item_id, base_version, payload).state

    def rejected(self) -> list[OutboxEntry]:
        """Changes the server refused, with its reason, for a "needs attention" list."""
        return [e for e in self.store.outbox() if e.state == local.REJECTED]

    def discard_rejected(self, event_id: str) -> None:
        self.store.discard_rejected(event_id)

    def sync_status(self) -> SyncStatus:
        pending, rejected = self.store.counts()
        last = self.store.get(local.LAST_SYNC)
        return SyncStatus(
            online=bool(self.client.engine.online),
            pending=pending,
            rejected=rejected,
            last_sync_at=local.parse_time(last) if last else None,
            last_error=self.store.get(local.LAST_ERROR),
            login_needed=self.client.login_needed,
        )

    def sync_now(self) -> SyncStatus:
        """Run a round now (blocking; views call it through ``asyncio.to_thread``)."""
        self.client.sync_once()
        return self.sync_status()


class FieldClient:
    """Everything a field client is: local store, HTTP client, sync engine, background sync."""

    def __init__(self, server_url: str, data_dir: Path, settings: Settings | None = None, *,
                 clock: Callable[[], datetime] = utc_now, lang: str = "zh-CN", timeout: float = 30.0,
                 transport: httpx.BaseTransport | None = None, backoff: Backoff = Backoff(),
                 pull_limit: int = 500, sleep: Callable[[float], Any] | None = None):
        self.server_url = server_url.rstrip("/")
        self.settings = settings or Settings(data_dir=Path(data_dir))
        self.clock = clock
        self.store = LocalStore(Path(data_dir), self.settings)
        self.api = ApiClient(self.server_url, token=self.store.get(local.TOKEN), lang=lang, timeout=timeout,
                             transport=transport)
        self.engine = SyncEngine(self.store, self.api, batch=self.settings.sync_batch, pull_limit=pull_limit,
                                 backoff=backoff, clock=clock, sleep=sleep)
        self.auto = AutoSync(self.engine, self.settings.sync_interval_s)

    # --- login ----------------------------------------------------------------------------
    @property
    def is_logged_in(self) -> bool:
        """A token is kept and the server has not refused it."""
        return bool(self.store.get(local.TOKEN)) and not self.store.get(local.LOGIN_NEEDED)

    @property
    def login_needed(self) -> bool:
        """The server refused the kept token (expired, revoked): the person must log in again."""
        return bool(self.store.get(local.LOGIN_NEEDED))

    def login(self, username: str, password: str) -> FieldWorkspace:
        """Log in over HTTP (needs the server); waiting records go up in the next round."""
        self.store.check_may_log_in(username, self.server_url)
        fresh = self.api.with_token(None)
        body = fresh.login(username, password, self.store.device_id())
        try:
            with self.engine.paused():  # a round of the previous login must not mix into this one
                self.store.begin_session(self.server_url, body)
                self.api.token = body["access_token"]
        except Exception:
            try:
                fresh.logout()
            except Exception:  # noqa: BLE001 - best effort: the token was never kept anyway
                pass
            raise
        self.auto.trigger()
        return self.workspace()

    def logout(self) -> None:
        """Revoke the token (if the server can be reached) and forget it; waiting records stay.

        Background sync keeps running: without a login its rounds do nothing, and
        the next login's records go up without restarting it.
        """
        with self.engine.paused():
            self._revoke_quietly()
            self.store.end_session()

    def _revoke_quietly(self) -> None:
        try:
            self.api.logout()
        except Exception:  # noqa: BLE001 - offline or already revoked: forgetting it here is enough
            self.api.token = None

    def workspace(self) -> FieldWorkspace | None:
        """The workspace of the person whose token this device keeps (also while a re-login is due)."""
        user = self.store.user()
        if not user or not self.store.get(local.TOKEN):
            return None
        return FieldWorkspace(self, self.store.actor(), user.get("display_name") or user["username"])

    # --- sync -----------------------------------------------------------------------------
    def sync_once(self) -> RoundReport:
        return self.engine.run_round()

    def start_auto_sync(self) -> None:
        self.auto.start()

    def stop_auto_sync(self) -> None:
        self.auto.stop()

    def close(self) -> None:
        self.auto.stop()
        self.api.close()
        self.store.close()

    def __enter__(self) -> "FieldClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_field(server_url: str, data_dir: Path, settings: Settings | None = None, **options) -> FieldClient:
    """The field client over ``data_dir`` (created if new), talking to ``server_url``."""
    return FieldClient(server_url, Path(data_dir), settings, **options)
