"""The field client: a ``Workspace`` over the local store, and the client that wires it together.

``open_field(server_url, data_dir)`` builds a ``FieldClient``: the local store
(``field.db`` + ``blobs/`` under ``data_dir``), the HTTP client, the sync
engine and the background auto-sync. ``FieldClient.login`` keeps the token,
the person and the device id in the store and returns the ``FieldWorkspace``
the views call. Everything the workspace does reads and writes the local
store only; the server is reached by sync rounds (and to fetch a photo this
device does not have). ``AutoSync`` runs those rounds in the background;
``sync_once_cli`` runs one for ``inspector sync``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from contextlib import ExitStack
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import httpx
from pydantic import TypeAdapter

from inspector.domain import campaign as campaign_rules
from inspector.domain import oversight as oversight_rules
from inspector.domain.duplicates import Candidate
from inspector.domain.events import default_deadline
from inspector.domain.items import ItemState
from inspector.domain.lifecycle import Kind
from inspector.domain.oversight import Notice, OfficeRecord
from inspector.domain.permissions import Actor, can_see
from inspector.errors import InspectorError, ItemNotFound, NotAuthenticated
from inspector.geo.distance import Point, distance_m
from inspector.i18n import error_message
from inspector.photos.blobs import VARIANTS, blob_key
from inspector.photos.derive import derive
from inspector.services import catalog as catalog_service
from inspector.services import duplicates
from inspector.services.context import utc_now
from inspector.services.items import ItemPage
from inspector.services.workspace import (ItemView, Sample, SampleEntry, SyncStatus, TimelineEntry, campaign_summary,
                                          item_notice)
from inspector.settings import Settings
from inspector.store import queries
from inspector.store.field import state as keys
from inspector.store.field.outbox import PENDING, REJECTED, OutboxPublic
from inspector.store.notices import candidate_filter
from inspector.store.public import PhotoPublic, SitePublic
from inspector.sync import due
from inspector.sync.client import ApiClient
from inspector.sync.engine import Backoff, RoundReport, SyncEngine
from inspector.sync.local import LocalStore, Recorded, parse_time
from inspector.sync.visits import FieldVisits
from inspector.sync.wire import SampleKept

log = logging.getLogger(__name__)

# What the last round kept for offline use, read back as it was checked when it came down.
_SAMPLES = TypeAdapter(list[SampleKept])
_RECORDS = TypeAdapter(list[OfficeRecord])


class FieldWorkspace:
    """One person's view on a phone or laptop: the local store first, the server when reachable."""

    def __init__(self, client: "FieldClient", actor: Actor, display_name: str):
        self.client, self.store = client, client.store
        self.actor, self.display_name = actor, display_name
        self.visits = FieldVisits(self)  # visits walked here, offline (``sync.visits``)

    def now(self) -> datetime:
        return self.client.clock()

    def catalogue(self) -> dict:
        return catalog_service.catalogue()

    def sites(self) -> list[SitePublic]:
        return self.store.sites()

    def list_items(self, f: queries.ItemFilter, page: int = 1, page_size: int = 30) -> ItemPage:
        page, page_size = max(page, 1), min(max(page_size, 1), 500)
        states, total = self.store.list_items(self.actor, f, self.now(), page, page_size)
        return ItemPage(states, total, page, page_size)

    def item(self, item_id: str) -> ItemView:
        """The item with its confirmed timeline, then this device's waiting and refused changes, flagged."""
        state = self.store.item(item_id, with_rejected=True)
        if state is None or not can_see(self.actor, state):
            raise ItemNotFound(item_id=item_id)
        names = {**self.store.names(), self.actor.id: self.display_name}
        timeline = [TimelineEntry(kind=e.kind, actor_name=names.get(e.actor_id, ""), at=e.server_at,
                                  payload=e.payload, actor_id=e.actor_id)
                    for e in self.store.events_of(item_id)]
        entries = self.store.outbox(item_id)
        timeline += [TimelineEntry(kind=e.kind, actor_name=self.display_name, at=e.at, payload=e.payload,
                                   pending=e.state == PENDING,
                                   rejection=e.reason_message if e.state == REJECTED else None,
                                   actor_id=self.actor.id)
                     for e in entries]
        shas = {sha for entry in timeline for sha in entry.payload.get("photos") or ()}
        blind = oversight_rules.is_blind(self.actor, state, self._checked_here(item_id))
        return ItemView(oversight_rules.blinded(state) if blind else state, timeline, self.store.photos(shas),
                        blind=blind)

    def _checked_here(self, item_id: str) -> bool:
        """Has this person a spot check of the item, confirmed or waiting to go up (not refused)?"""
        confirmed = any(e.kind == Kind.SPOT_CHECKED and e.actor_id == self.actor.id
                        for e in self.store.events_of(item_id))
        return confirmed or any(e.kind == Kind.SPOT_CHECKED and e.state == PENDING
                                for e in self.store.outbox(item_id))

    def add_photo(self, data: bytes) -> PhotoPublic:
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
        if not self.store.get(keys.TOKEN):
            raise NotAuthenticated()  # logged out on purpose: nobody records in their name
        recorded = self.store.record_local(self.actor, kind, item_id, base_version, payload, self.now())
        self.client.auto.trigger()
        return recorded

    def record(self, kind: str, item_id: str | None, base_version: int, payload: Mapping[str, Any]) -> ItemState:
        return self.record_event(kind, item_id, base_version, payload).state

    def rejected(self) -> list[OutboxPublic]:
        """Changes the server refused, with its reason, for a "needs attention" list."""
        return [e for e in self.store.outbox() if e.state == REJECTED]

    def discard_rejected(self, event_id: str) -> None:
        self.store.discard_rejected(event_id)

    def sync_status(self) -> SyncStatus:
        pending, rejected = self.store.counts()
        last = self.store.get(keys.LAST_SYNC)
        return SyncStatus(
            online=bool(self.client.engine.online),
            pending=pending,
            rejected=rejected,
            last_sync_at=parse_time(last) if last else None,
            last_error=self.store.get(keys.LAST_ERROR),
            login_needed=self.client.login_needed,
        )

    def sync_now(self) -> SyncStatus:
        """Run a round now (blocking; views call it through ``asyncio.to_thread``)."""
        self.client.sync_once()
        return self.sync_status()

    # --- oversight, from the local copy (and what the last round kept) ---------------------------
    def look_backs_due(self, lat: float | None, lon: float | None,
                       within_days: int = 2) -> list[tuple[ItemState, float | None]]:
        horizon = self.now() + timedelta(days=within_days)
        due = [s for s in self.store.look_back_candidates(self.actor) if oversight_rules.look_back_due_by(s, horizon)]
        if lat is None or lon is None:
            return [(s, None) for s in sorted(due, key=lambda s: (s.look_back_due, s.id))]
        here = Point(lat, lon)
        ranked = [(s, round(distance_m(here, Point(s.location.lat, s.location.lon)), 1)) for s in due]
        return sorted(ranked, key=lambda pair: (pair[1], pair[0].id))

    def notices(self) -> list[Notice]:
        now = self.now()
        states = self.store.visible_items(self.actor, candidate_filter(self.actor, now))
        by_id, found = {s.id: s for s in states}, oversight_rules.notices(self.actor, states, now)
        return [item_notice(n, by_id.get(n.item_id)) for n in found] + due.overdue_here(self)  # and sites late

    def visits_due(self, lat: float | None, lon: float | None) -> list[due.DueVisit]:  # offline: ``sync.due``
        return due.due_here(self, lat, lon)

    def _campaign(self) -> campaign_rules.Campaign | None:
        data = self.store.get_json(keys.CAMPAIGN)
        if not data:
            return None
        return campaign_rules.Campaign(
            name=data.get("name") or "", phases=campaign_rules.phases_from(data.get("phases") or []),
            offices=tuple(data.get("offices") or ()), categories=tuple(data.get("categories") or ()),
            look_back_days=dict(data.get("look_back_days") or {}), top_leaders=dict(data.get("top_leaders") or {}),
            active=bool(data.get("active", True)))

    def campaign(self) -> dict | None:
        """The campaign the last round brought, its phase judged on this device's local day; None before."""
        c = self._campaign()
        return None if c is None else campaign_summary(c, self.now().astimezone(self.store.zone).date())

    def spot_samples(self) -> list[Sample]:
        """The draws the last round brought; each item as this device has it (blind until checked here)."""
        out = []
        for s in _SAMPLES.validate_python(self.store.get_json(keys.SAMPLES, [])):
            checked_there = {i.id for i in s.items if i.checked}
            entries = []
            for item_id in s.item_ids:
                state = self.store.item(item_id)
                checked = item_id in checked_there or self._checked_here(item_id)
                if state is not None and oversight_rules.is_blind(self.actor, state, checked):
                    state = oversight_rules.blinded(state)
                entries.append(SampleEntry(item_id, state, checked))
            out.append(Sample(s.id, s.drawn_at, entries))
        return out

    def rebound_payload(self, item: ItemState, photos: Iterable[str], deadline: Any = None,
                        note: str | None = None) -> dict:
        """As the server makes it: the top leader the campaign names (kept from the last round) from the
        second rebound on; the category's default deadline from now."""
        top_leader = campaign_rules.top_leader_for(self._campaign(), item.office)
        default = default_deadline(item.category, self.now(), self.store.zone)
        return oversight_rules.rebound_payload(item, photos, deadline, note, top_leader, default)

    def office_records(self) -> list[OfficeRecord]:
        """The delegated offices' records as the last round fetched them (they count items not on this device)."""
        kept = self.store.get_json(keys.RECORDS, {})
        return _RECORDS.validate_python(kept.get("records") or [])

    def report_candidates(self, lat: float, lon: float, category: str) -> list[Candidate]:
        """From this device's copy, offline too: the server's rule over the items kept here."""
        return duplicates.candidates_near(self.actor, lat, lon, category, self.client.settings,
                                          lambda where: self.store.visible_items(self.actor, *where))

    def office_records_at(self) -> datetime | None:
        kept = self.store.get_json(keys.RECORDS, {})
        return parse_time(kept["at"]) if kept.get("at") else None


class AutoSync:
    """Runs a round every ``interval_s`` and soon after ``trigger()``, in a daemon thread."""

    def __init__(self, engine: SyncEngine, interval_s: float):
        self.engine, self.interval_s = engine, interval_s
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.rounds = 0
        self.last_report: RoundReport | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self.engine.uncancel()
        self._thread = threading.Thread(target=self._run, name="inspector-auto-sync", daemon=True)
        self._thread.start()

    def trigger(self) -> None:
        """Ask for a round now (returns at once)."""
        self._wake.set()

    def stop(self, timeout: float = 15) -> None:
        if self._thread is None:
            return
        self._stop.set()
        self.engine.cancel()
        self._wake.set()
        self._thread.join(timeout)
        self._thread = None
        self.engine.uncancel()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                self.last_report = self.engine.run_round()
            except Exception:  # noqa: BLE001 - a bug must not end background sync for good
                log.exception("sync round failed")
            self.rounds += 1
            self._wake.wait(self.interval_s)


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
        self.api = ApiClient(self.server_url, token=self.store.get(keys.TOKEN), lang=lang, timeout=timeout,
                             transport=transport)
        self.engine = SyncEngine(self.store, self.api, batch=self.settings.sync_batch, pull_limit=pull_limit,
                                 backoff=backoff, clock=clock, sleep=sleep)
        self.auto = AutoSync(self.engine, self.settings.sync_interval_s)

    # --- login ----------------------------------------------------------------------------
    @property
    def is_logged_in(self) -> bool:
        """A token is kept and the server has not refused it."""
        return bool(self.store.get(keys.TOKEN)) and not self.store.get(keys.LOGIN_NEEDED)

    @property
    def login_needed(self) -> bool:
        """The server refused the kept token (expired, revoked): the person must log in again."""
        return bool(self.store.get(keys.LOGIN_NEEDED))

    def login(self, username: str, password: str) -> FieldWorkspace:
        """Log in over HTTP (needs the server); waiting records go up in the next round."""
        self.store.check_may_log_in(username, self.server_url)
        fresh = self.api.with_token(None)
        token = fresh.login(username, password, self.store.device_id())
        with ExitStack() as undo:  # the token is revoked again unless it is kept
            undo.callback(_revoke_quietly, fresh)
            with self.engine.paused():  # a round of the previous login must not mix into this one
                self.store.begin_session(self.server_url, token)
                self.api.token = token.access_token
            undo.pop_all()
        self.auto.trigger()
        return self.workspace()

    def logout(self) -> None:
        """Revoke the token (if the server can be reached) and forget it; waiting records stay.

        Background sync keeps running: without a login its rounds do nothing, and
        the next login's records go up without restarting it.
        """
        with self.engine.paused():
            _revoke_quietly(self.api)
            self.store.end_session()

    def workspace(self) -> FieldWorkspace | None:
        """The workspace of the person whose token this device keeps (also while a re-login is due)."""
        person = self.store.user()
        if person is None or not self.store.get(keys.TOKEN):
            return None
        return FieldWorkspace(self, self.store.actor(), person.name)

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


def _revoke_quietly(api: ApiClient) -> None:
    """Revoke ``api``'s token if the server can be reached; forgotten here either way."""
    try:
        api.logout()
    except InspectorError:  # offline, or revoked already: forgetting it here is enough
        api.token = None


def sync_once_cli(server_url: str, data_dir: Path) -> int:
    """``inspector sync --server URL --data DIR``: one round with the stored login; prints a one-line summary."""
    lang = "en" if os.environ.get("LANG", "").startswith("en") else "zh-CN"
    store = LocalStore(Path(data_dir))
    try:
        token = store.get(keys.TOKEN)
        if not token:
            print(f"not synced: {error_message(NotAuthenticated(), lang)} ({NotAuthenticated.code})")
            return 1
        with ApiClient(server_url, token=token, lang=lang) as api:
            report = SyncEngine(store, api).run_round()
        print(report.summary(lang))
        return 0 if report.ok else 1
    finally:
        store.close()
