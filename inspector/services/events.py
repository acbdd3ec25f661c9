"""Recording events: the one path by which any item changes, on the server and in push.

A batch is handled in three steps. Load what the batch touches in a few
queries (``store.events.read_batch``: known event ids, earlier refusals, stored
photos, current items). Decide each event in order, in memory, through the one
decision (``domain.decision.decide``); an event either applies whole to the
in-memory state or not at all, so one refused event never sinks the others.
Write everything decided in one transaction with bulk statements
(``store.events``), which hands out the server sequence numbers in order. What
was loaded cannot change under the batch: on SQLite the writer is alone
(``BEGIN IMMEDIATE``); on PostgreSQL pushes run side by side
(``write_session(..., concurrent=True)``) and ``read_batch`` first locks the
batch's items, so a second writer of an item waits and then decides against
what the first committed. A lost race only a rerun settles (two batches
inserting one event id for different items) reruns the whole batch
(``rerun_contended``). New reports get their numbers at the write, not while
deciding, so the day's counter row is locked only for the last statements.
"""

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Mapping

from sqlmodel import Session

from inspector.domain import events as ev
from inspector.domain.decision import Known, decide
from inspector.domain.items import ItemState
from inspector.domain.lifecycle import Kind, photo_role
from inspector.domain.payloads import kept_payload
from inspector.domain.permissions import Actor
from inspector.domain.visits import VISITED
from inspector.errors import EventConflict, InspectorError, error_for_code
from inspector.services import visits
from inspector.services.context import Context
from inspector.store import duplicates as duplicate_store
from inspector.store import events as log
from inspector.store.engine import rerun_contended, write_session

@dataclass(frozen=True)
class EventIn:
    """An event as a client sends it; the actor comes from the login, never from here."""

    id: str
    item_id: str
    kind: str
    at: datetime
    base_version: int
    payload: Mapping[str, Any]


@dataclass
class Outcome:
    id: str
    status: str  # accepted, duplicate, rejected
    seq: int | None = None
    error: InspectorError | None = None
    item: ItemState | None = None


@dataclass
class _Known:
    """What the database holds about a batch (loaded up front), and the batch's own changes since."""

    facts: log.BatchFacts
    existing_items: set[str]
    visits: visits.VisitBatch
    duplicated: set[str] = field(default_factory=set)  # of the batch's items: those others were merged into

    @property
    def items(self) -> dict[str, ItemState]:
        return self.facts.items

    def world(self) -> Known:
        # A merge decided earlier in this batch counts too: its duplicate names its target in the items.
        duplicated = self.duplicated | {s.merged_into for s in self.facts.items.values() if s.merged_into}
        return Known(photos=self.facts.photos, photo_uses=self.facts.photo_uses, sites=self.facts.sites,
                     items=self.facts.items, duplicated=duplicated)


def _touched(batch: list[EventIn]) -> list[str]:
    """The items (and visits) a batch locks: its own, and those it reads to decide."""
    # A merge is decided against its target too (``duplicates.check_merge``): load it with the batch's items.
    # A payload is read here before it is checked: only id-like strings are looked up (a NUL would fail
    # PostgreSQL's query; the payload's check refuses it with its reason).
    targets = [into for e in batch if e.kind == Kind.MERGED and (into := visits.plain_id(e.payload.get("into")))]
    # A visit's id is locked like an item's: its reports, too, change it (``services.visits``).
    return [e.item_id for e in batch] + targets + visits.referenced(batch)


def _load(session: Session, actor: Actor, batch: list[EventIn], locked: bool = False) -> _Known:
    # A batch with no visit, no report of one and no round reads no visit: only whether its reports' ids
    # are visits', with its replays.
    full = visits.needs_load(batch)
    facts = log.read_batch(
        session, actor,
        event_ids=[e.id for e in batch],
        item_ids=_touched(batch), locked=locked,
        shas=[sha for e in batch for sha in ev.photos_of_payload(e.payload)],
        site_ids=[site for e in batch if e.kind == Kind.REPORTED and (site := visits.plain_id(e.payload.get("site")))],
        visit_ids=() if full else [i for i in visits.clash_ids(batch) if visits.plain_id(i)],
    )
    merging = [e.item_id for e in batch if e.kind == Kind.MERGED]
    return _Known(facts, set(facts.items), visits.load(session, batch) if full else visits.known(facts.visits),
                  duplicated=duplicate_store.duplicated(session, merging) if merging else set())


def _same(stored: log.StoredEvent, event: EventIn) -> bool:
    return stored.item_id == event.item_id and stored.kind == event.kind and dict(stored.payload) == dict(event.payload)


@dataclass
class _Batch:
    """What the batch will write, in order."""

    events: list[dict] = field(default_factory=list)
    refusals: list[dict] = field(default_factory=list)
    photos: list[dict] = field(default_factory=list)
    outcome_of: dict[str, Outcome] = field(default_factory=dict)
    numbered: list[tuple[int, datetime]] = field(default_factory=list)  # new reports: place in events, local time


def _decide(session: Session, ctx: Context, actor: Actor, known: _Known, batch: _Batch, event: EventIn,
            device_id: str | None, now: datetime) -> Outcome:
    """Decide one event against the in-memory state; raises ``InspectorError`` when refused."""
    zone = ctx.settings.zone
    state = known.items.get(event.item_id)
    # A new report's number is given at the write (``_number_reports``); nothing decides by it.
    domain_event = ev.Event(
        id=event.id, item_id=event.item_id, kind=event.kind, actor_id=actor.id, at=event.at,
        base_version=event.base_version, payload=ev.frozen_payload(event.payload), server_at=now,
    )
    if event.kind == VISITED:  # a visit, not an item: its own decision (``services.visits``)
        new_state = None
        visits.decide_visited(actor, known.visits, known.items, domain_event, zone)
    else:
        new_state = decide(actor, state, domain_event, known.world(), zone)
        if event.kind == Kind.REPORTED and state is None:
            visits.check_report(actor, known.visits, new_state, event.payload.get("round"), zone)
            visits.link_report(known.visits, new_state)
            batch.numbered.append((len(batch.events), now.astimezone(zone)))
        known.items[event.item_id] = new_state
    batch.events.append({
        "id": event.id, "item_id": event.item_id, "kind": event.kind, "actor_id": actor.id, "device_id": device_id,
        "at": event.at, "server_at": now, "base_version": event.base_version,
        "base_status": state.status if state else None, "number": None, "payload": dict(event.payload),
    })
    if new_state is not None:
        role = photo_role(event.kind)
        batch.photos += [{"item_id": event.item_id, "sha256": sha, "event_id": event.id, "role": role}
                         for sha in ev.photos_of(domain_event)]
    return Outcome(event.id, "accepted", item=new_state)


def _refusal(actor: Actor, event: EventIn, device_id: str | None, error: InspectorError, now: datetime) -> dict:
    details = {k: v if isinstance(v, (str, int, float, bool, type(None))) else str(v)
               for k, v in error.details.items()}
    # An unknown kind or a payload with a NUL, a NaN or a megabyte must not break the write of the batch.
    return {"id": event.id, "item_id": event.item_id, "kind": event.kind[:30], "actor_id": actor.id,
            "device_id": device_id, "received_at": now, "code": error.code, "details": details,
            "payload": kept_payload(event.payload)}


def _number_reports(session: Session, known: _Known, batch: _Batch) -> None:
    """Give the batch's new reports their numbers (2026-0715-032): one counter statement per local day."""
    by_day: dict[str, list[tuple[int, datetime]]] = {}
    for index, local in batch.numbered:
        by_day.setdefault(local.date().isoformat(), []).append((index, local))
    for day in sorted(by_day):  # one order for every batch: two never wait for each other's counters
        first = log.reserve_numbers(session, day, len(by_day[day]))
        for offset, (index, local) in enumerate(by_day[day]):
            row = batch.events[index]
            row["number"] = f"{local:%Y-%m%d}-{first + offset:03d}"
            known.items[row["item_id"]] = replace(known.items[row["item_id"]], number=row["number"])


def _write(session: Session, known: _Known, batch: _Batch) -> None:
    """Number the new reports, append the accepted events (handing out seq in order), then project the
    items they touched."""
    _number_reports(session, known, batch)
    seqs = log.append_events(session, batch.events)
    last_seq: dict[str, int] = {}
    for row, seq in zip(batch.events, seqs):
        batch.outcome_of[row["id"]].seq = seq
        last_seq[row["item_id"]] = seq
    new, changed = [], []
    for item_id, seq in last_seq.items():
        if item_id in known.visits.made:  # a visit's own event
            visits.stamp(known.visits, item_id, seq)
            continue
        state = known.items[item_id] = replace(known.items[item_id], last_seq=seq)
        (changed if item_id in known.existing_items else new).append(state)
    log.save_items(session, new, changed)
    visits.write(session, known.visits)
    for outcome in batch.outcome_of.values():
        if outcome.item is not None:
            outcome.item = known.items[outcome.item.id]
    log.link_photos(session, batch.photos)
    log.keep_refusals(session, batch.refusals)


def _replayed(known: _Known, batch: _Batch, event: EventIn) -> Outcome | None:
    """The answer to an event id seen before (in the database or earlier in this batch), else ``None``."""
    stored = known.facts.events.get(event.id)
    if stored is not None:
        if not _same(stored, event):
            return Outcome(event.id, "rejected", error=EventConflict(event_id=event.id))
        return Outcome(event.id, "duplicate", seq=stored.seq)
    refused = known.facts.refusals.get(event.id)
    if refused is not None:
        return Outcome(event.id, "rejected", error=error_for_code(refused.code, dict(refused.details)))
    first = batch.outcome_of.get(event.id)
    if first is not None:
        return Outcome(event.id, "duplicate" if first.status == "accepted" else "rejected", error=first.error)
    return None


def apply_batch(session: Session, ctx: Context, actor: Actor, events: list[EventIn],
                device_id: str | None = None, locked: bool = False) -> list[Outcome]:
    """Decide and write a batch inside the caller's transaction; answers in the order sent.
    ``locked``: the transaction holds the batch's item locks already (``push``)."""
    now = ctx.now()
    known = _load(session, actor, events, locked)
    batch = _Batch()
    outcomes: list[Outcome] = []
    for event in events:
        outcome = _replayed(known, batch, event)
        if outcome is None:
            try:
                outcome = _decide(session, ctx, actor, known, batch, event, device_id, now)
            except InspectorError as error:
                outcome = Outcome(event.id, "rejected", error=error)
                if not error.retryable:  # a retry of the very same event may pass: nothing to keep
                    batch.refusals.append(_refusal(actor, event, device_id, error, now))
            batch.outcome_of[event.id] = outcome
        outcomes.append(outcome)
    _write(session, known, batch)
    for outcome in outcomes:  # a repeat within the batch answers with the first one's seq
        if outcome.status == "duplicate" and outcome.seq is None:
            outcome.seq = batch.outcome_of[outcome.id].seq
    return outcomes


def push(ctx: Context, actor: Actor, events: list[EventIn], device_id: str | None = None) -> list[Outcome]:
    """Apply a batch: each event atomically, the batch committed once, answers in order."""
    keys = log.item_lock_keys(_touched(events))  # taken with the write unit's first statement

    def once() -> list[Outcome]:
        with write_session(ctx.engine, concurrent=True, item_keys=keys) as session:
            return apply_batch(session, ctx, actor, events, device_id, locked=True)

    return rerun_contended(once)


def record_one(ctx: Context, actor: Actor, event: EventIn, device_id: str | None = None) -> Outcome:
    """Apply one event in its own transaction; raise when it is refused (the web UI's path)."""
    [outcome] = push(ctx, actor, [event], device_id)
    if outcome.status == "rejected":
        raise outcome.error
    return outcome
