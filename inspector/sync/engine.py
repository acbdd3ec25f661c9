"""One sync round of a field client.

A round: (a) photos named by waiting events go up (HEAD, then PUT if missing);
(b) the outbox goes up in batches, in outbox order, and each answer settles
its entry; (c) the server's events come down after the stored cursor, page by
page, the cursor stored in the same transaction as the events it covers;
(d) the sites, the campaign and (for a spot checker) the draws and delegated
offices' records are refreshed. Every step is safe to repeat: event ids are the
idempotency key, so a round run twice or cut anywhere duplicates nothing.

The decisions are pure functions (``decide``, ``photos_to_send``,
``to_backfill``, ``Backoff.delay``); ``SyncEngine`` acts on them. The background loop that runs
rounds is ``inspector.sync.field.AutoSync``; what a round reports, while it runs and when it ends, is
``inspector.sync.round_progress``.
"""

from __future__ import annotations

import json
import logging
import random
import threading
from collections import Counter
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from pydantic import ValidationError

from inspector.domain.events import Event, photos_of_payload
from inspector.domain.items import project
from inspector.domain.roles import Role
from inspector.errors import (
    InspectorError,
    InvalidRequest,
    ItemNotFound,
    NotAuthenticated,
    PhotoError,
    PhotoMissing,
    ServerFault,
    ServerUnreachable,
    error_for_code,
    is_retryable,
)
from inspector.i18n import error_message
from inspector.services.context import utc_now
from inspector.store.field import state as keys
from inspector.store.field.outbox import OutboxPublic
from inspector.sync import check_rounds, due, site_types
from inspector.sync.client import ApiClient
from inspector.sync.local import Confirm, Decision, LocalStore, Refuse, Retry, envelope
from inspector.sync.round_progress import AUTH_ERRORS, RoundProgress, RoundReport
from inspector.sync.wire import DelegatedOffices, EventOut, PushRequest, PushResult

log = logging.getLogger(__name__)

RETRYABLE = (ServerUnreachable, ServerFault)


# --- pure parts ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with jitter, as a value: ``delay`` is pure, ``next`` counts a try."""

    base_s: float = 0.5
    factor: float = 2.0
    cap_s: float = 30.0
    max_tries: int = 3
    tries: int = 0

    def ceiling(self) -> float:
        return min(self.cap_s, self.base_s * self.factor ** self.tries)

    def delay(self, u: float) -> float:
        """Seconds to wait before the next try, for ``u`` drawn from [0, 1): "equal jitter"."""
        ceiling = self.ceiling()
        return ceiling / 2 + (ceiling / 2) * min(max(u, 0.0), 1.0)

    def next(self) -> "Backoff":
        return replace(self, tries=self.tries + 1)

    @property
    def exhausted(self) -> bool:
        return self.tries >= self.max_tries


def photos_to_send(entries: Iterable[OutboxPublic]) -> list[str]:
    """The photo hashes waiting events name, each once, in outbox order."""
    seen: dict[str, None] = {}
    for entry in entries:
        for sha in photos_of_payload(entry.payload):
            seen.setdefault(sha, None)
    return list(seen)


def decide(sent: Sequence[OutboxPublic], results: Sequence[PushResult]) -> list[Decision]:
    """What each answer of a push means for its outbox entry (matched by id, not by position)."""
    by_id = {r.id: r for r in results}
    decisions: list[Decision] = []
    for entry in sent:
        result = by_id.get(entry.id)
        if result is None:
            decisions.append(Retry(entry.id, "sync.no_answer", ""))
            continue
        if result.status in ("accepted", "duplicate"):
            decisions.append(Confirm(entry.id, result.seq))
            continue
        code = result.reason.code if result.reason else InspectorError.code
        message = (result.reason.message if result.reason else "") or code
        decisions.append(Retry(entry.id, code, message) if is_retryable(code) else Refuse(entry.id, code, message))
    return decisions


def hold_back(batch: Sequence[OutboxPublic], missing_photos: set[str],
              held_items: set[str]) -> tuple[list[OutboxPublic], list[OutboxPublic]]:
    """Split a batch into what may go up and what must wait.

    An event naming a photo the server does not have would be refused; so would
    every later change to the same item, made from the version it leads to, and
    those refusals are final. So such an event waits, and every later event of
    its item (``held_items``, carried across the batches of a round) with it,
    and so does a failed point's report while its visit waits.
    """
    send, held = [], []
    for entry in batch:
        names_missing = any(sha in missing_photos for sha in photos_of_payload(entry.payload))
        if entry.item_id in held_items or names_missing or entry.payload.get("visit") in held_items:
            held_items.add(entry.item_id)
            held.append(entry)
        else:
            send.append(entry)
    return send, held


def broken_timelines(timelines: Mapping[str, Sequence[Event]]) -> list[str]:
    """Items whose confirmed events, in seq order, do not replay: events are missing in between.

    Confirmed events always replay on the server; here they fail only when this
    device lacks some, e.g. the item became visible to this person only later,
    or was out of sight for a while.
    """
    broken = []
    for item_id, events in timelines.items():
        try:
            project(events)
        except InspectorError:
            broken.append(item_id)
    return broken


def to_backfill(timelines: Mapping[str, Sequence[Event]], unblind: Iterable[str]) -> list[str]:
    """Items to fetch whole: broken timelines, and items this spot checker was blind to until the server
    accepted their own spot check (the pull sends only what follows it; the rest is older than the cursor)."""
    out = dict.fromkeys(broken_timelines(timelines))
    out.update(dict.fromkeys(unblind))
    return list(out)


def record_offices(delegations: Iterable[DelegatedOffices]) -> list[str]:
    """The offices a spot checker's delegations name (whose records they may read), sorted."""
    return sorted({office for d in delegations for office in d.offices})


def actor_names(events: Iterable[EventOut]) -> dict[str, str]:
    """Who made these events, by id, as the server names them (for timelines)."""
    return {e.actor: e.actor_name for e in events if e.actor_name}


# --- the shell -------------------------------------------------------------------------------
class SyncEngine:
    """Runs rounds against one server for one local store; one round at a time."""

    def __init__(self, store: LocalStore, api: ApiClient, *, batch: int | None = None, pull_limit: int = 500,
                 backoff: Backoff = Backoff(), clock: Callable[[], datetime] = utc_now,
                 rand: Callable[[], float] = random.random, sleep: Callable[[float], Any] | None = None,
                 progress: RoundProgress | None = None):
        self.store, self.api = store, api
        self.batch = batch or store.settings.sync_batch
        self.pull_limit = pull_limit
        self.backoff, self.clock, self.rand = backoff, clock, rand
        self._cancel = threading.Event()
        self._sleep = sleep or self._cancel.wait
        self._lock = threading.Lock()
        self._api = api
        self.online: bool | None = None  # None: no round yet
        self.progress = progress or RoundProgress()  # the photos of the round under way, for the sync bar

    def cancel(self) -> None:
        """Make a running round give up at its next wait (shutting down)."""
        self._cancel.set()

    def uncancel(self) -> None:
        self._cancel.clear()

    @contextmanager
    def paused(self) -> Iterator[None]:
        """No round runs inside this block (a running one is asked to stop, and waited for)."""
        self._cancel.set()
        with self._lock:
            self._cancel.clear()
            yield

    def run_round(self) -> RoundReport:
        """One round; never raises an ``InspectorError`` (it is in the report and in ClientState)."""
        with self._lock, self.progress.round():
            return self._round()

    def _round(self) -> RoundReport:
        store = self.store
        token = store.get(keys.TOKEN)
        if not token or store.get(keys.LOGIN_NEEDED):
            code = store.get(keys.LAST_ERROR_CODE) or NotAuthenticated.code
            error = error_for_code(code, {}) if code in (c.code for c in AUTH_ERRORS) else NotAuthenticated()
            return RoundReport(waiting=store.counts()[0], error=error)
        # This round's own client: a login meanwhile must not switch the token under it.
        self._api = self.api.with_token(token)
        tally: Counter[str] = Counter()  # RoundReport's counts, by field name
        error: InspectorError | None = None
        try:
            self._push_all(tally)
            self._pull_all(tally)
            store.replace_sites(self._retrying(self._api.sites))
            site_types.refresh(store, self._api, self._retrying, self.clock())  # checklists, types: visits offline
            check_rounds.refresh(store, self._api, self._retrying)  # the rounds a cross check may name offline
            self._refresh_oversight()
        except AUTH_ERRORS as exc:
            error = exc
            self.online = True
            store.set(**{keys.LOGIN_NEEDED: "1", **self._error_values(exc)})
        except InspectorError as exc:
            error = exc
            self.online = not isinstance(exc, ServerUnreachable)
            store.set(**self._error_values(exc))
        except Exception:
            # A bug: note a generic failure for the status bar, and let the caller log it with its traceback.
            self.online = None
            store.set(**self._error_values(InspectorError()))
            raise
        else:
            self.online = True
            store.set(**{keys.LAST_SYNC: self.clock().isoformat(), keys.LAST_ERROR: None, keys.LAST_ERROR_CODE: None})
        if error is not None:
            log.info("sync round stopped: %s", error.code)
        return RoundReport(**tally, waiting=store.counts()[0], error=error)

    def _error_values(self, error: InspectorError) -> dict[str, str]:
        """The client state that tells the status bar why the last round stopped."""
        return {keys.LAST_ERROR: error_message(error, self._api.lang), keys.LAST_ERROR_CODE: error.code}

    def _retrying(self, call: Callable, *args):
        """``call(*args)``, tried again after a backoff while the server is unreachable or failing."""
        backoff = self.backoff
        while True:
            try:
                return call(*args)
            except RETRYABLE:
                if backoff.exhausted or self._cancel.is_set():
                    raise
                self._sleep(backoff.delay(self.rand()))
                backoff = backoff.next()

    # (a) + (b)
    def _push_all(self, tally: Counter[str]) -> None:
        device_id = self.store.device_id()
        on_server: set[str] = set()
        missing: set[str] = set()
        held_items: set[str] = set()
        last = 0
        self.progress.expect(photos_to_send(self.store.pending()))  # the round's "n/total" of photos
        while True:
            batch = self.store.pending(after_position=last, limit=self.batch)
            if not batch:
                return
            last = batch[-1].position
            self._send_photos(batch, on_server, missing, tally)
            send, held = hold_back(batch, missing, held_items)
            if held:
                self.store.settle(self._waiting_for_photos(held, missing))
            if send:
                decisions = self._push_batch(device_id, send, tally)
                held_items.update(e.item_id for e, d in zip(send, decisions) if isinstance(d, Retry))

    def _send_photos(self, batch: list[OutboxPublic], on_server: set[str], missing: set[str],
                     tally: Counter[str]) -> None:
        """Make sure the server has every photo the batch names; note those it cannot get from here."""
        for sha in self.progress.each(photos_to_send(batch)):
            if sha in on_server or sha in missing:
                continue
            if self._retrying(self._api.has_photo, sha):
                on_server.add(sha)
                continue
            data = self.store.original(sha)
            if data is None:
                missing.add(sha)  # not on this device (any more) and not on the server
                continue
            try:
                self._retrying(self._api.put_photo, sha, data)
            except PhotoError as exc:  # refused by the server's checks
                log.warning("photo %s refused by the server: %s", sha, exc.code)
                missing.add(sha)
                continue
            on_server.add(sha)
            tally["photos_uploaded"] += 1

    def _waiting_for_photos(self, held: list[OutboxPublic], missing: set[str]) -> list[Decision]:
        decisions: list[Decision] = []
        for entry in held:
            shas = [sha for sha in photos_of_payload(entry.payload) if sha in missing]
            if shas:
                error = PhotoMissing(sha256=shas[0])
                decisions.append(Retry(entry.id, error.code, error_message(error, self._api.lang)))
        return decisions

    def _push_batch(self, device_id: str, batch: list[OutboxPublic], tally: Counter[str]) -> list[Decision]:
        try:
            request = PushRequest(device_id=device_id, events=[envelope(e) for e in batch])
            results = self._retrying(self._api.push, request).results
        except (InvalidRequest, ValidationError) as exc:
            # The server (or the wire schema, before sending) cannot read the batch: find the one, send the rest.
            if len(batch) > 1:
                return [d for entry in batch for d in self._push_batch(device_id, [entry], tally)]
            refusal = exc if isinstance(exc, InvalidRequest) else InvalidRequest(problem=str(exc.errors()[0]["msg"]))
            decisions: list[Decision] = [Refuse(batch[0].id, refusal.code, error_message(refusal, self._api.lang))]
        else:
            decisions = decide(batch, results)
        self.store.settle(decisions)
        tally["pushed"] += sum(isinstance(d, Confirm) for d in decisions)
        tally["rejected"] += sum(isinstance(d, Refuse) for d in decisions)
        return decisions

    # (c)
    def _pull_all(self, tally: Counter[str]) -> None:
        after = self.store.cursor()
        unblind = self.store.get_json(keys.UNBLIND, [])
        while True:
            page = self._retrying(self._api.pull, after, self.pull_limit)
            events = [e.event() for e in page.events]
            names = actor_names(page.events)
            backfill: list[Event] = []
            for item_id in to_backfill(self.store.timelines_with(events), unblind):
                try:
                    detail = self._retrying(self._api.item, item_id)
                except ItemNotFound:
                    continue  # no longer visible; its events stay, without a projection
                backfill.extend(e.event() for e in detail.events)
                names.update(actor_names(detail.events))
                tally["backfilled"] += 1
            unique = {e.id: e for e in [*backfill, *events]}
            tally["pulled"] += self.store.store_pulled(unique.values(), names, cursor=page.next_after,
                                                       unblinded=unblind)
            unblind = []
            if not page.has_more or page.next_after <= after:
                return
            after = page.next_after

    # (d)
    def _refresh_oversight(self) -> None:
        """The campaign (phase chip, top leaders) and the visits due for everyone; a spot checker's draws and
        offices' records."""
        values = {keys.CAMPAIGN: self._retrying(self._api.campaign).model_dump_json()}
        values[keys.DUE] = due.kept(self._retrying(self._api.visits_due), self.clock())  # 待办's visits due
        person = self.store.user()
        if person is not None and person.role == Role.SPOT_CHECKER:
            samples = [s.model_dump(mode="json") for s in self._retrying(self._api.spot_samples)]
            values[keys.SAMPLES] = json.dumps(samples, ensure_ascii=False)
            offices = record_offices(self._retrying(self._api.delegations))
            records = [asdict(self._retrying(self._api.office_record, office)) for office in offices]
            values[keys.RECORDS] = json.dumps({"at": self.clock().isoformat(), "records": records},
                                              ensure_ascii=False)
        self.store.set(**values)
