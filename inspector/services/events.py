"""Recording events: the one path by which any item changes, on the server and in push.

A batch is handled in three steps. Load what the batch touches in a few
queries (known event ids, earlier refusals, stored photos, current items).
Decide each event in order, in memory: who may, from which version, with which
payload, through the pure state machine; an event either applies whole to the
in-memory state or not at all, so one refused event never sinks the others.
Write everything decided in one transaction with bulk statements, which
hands out the server sequence numbers in order. Writers are serialised by
``write_session`` (SQLite ``BEGIN IMMEDIATE``, a PostgreSQL advisory lock), so
what was loaded cannot change under the batch.
"""

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Mapping

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from inspector.domain import events as ev
from inspector.domain import payloads
from inspector.domain.items import ItemState, apply, check_site
from inspector.domain.oversight import PhotoUse, sees_photo
from inspector.domain.permissions import Actor, authorize, authorize_report, can_see
from inspector.errors import (EventConflict, InspectorError, ItemNotFound, PhotoMissing, PhotoNotCitable,
                              error_for_code)
from inspector.services.context import Context
from inspector.store import queries
from inspector.store.convert import item_state, item_values
from inspector.store.engine import write_session
from inspector.store.models import DayCounter, EventRow, Item, ItemPhoto, Photo, Rejection, Site

PHOTO_ROLE = {
    "reported": "before",
    "fix_submitted": "after",
    "look_back_passed": "look_back",
    "rebounded": "look_back",
    "spot_checked": "spot_check",
}
# Refusals that a retry of the very same event can overcome are not recorded.
TRANSIENT = frozenset({PhotoMissing.code})


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
    """What the database already holds about a batch, loaded up front."""

    events: dict[str, EventRow]
    refusals: dict[str, Rejection]
    photos: dict[str, str]  # stored photo -> who uploaded it
    photo_uses: dict[str, list[PhotoUse]]  # of photos others uploaded: their uses by items the actor sees
    sites: set[str]  # the sites the batch's reports name that exist
    items: dict[str, ItemState]
    existing_items: set[str]
    counters: dict[str, int] = field(default_factory=dict)


def _load(session: Session, actor: Actor, batch: list[EventIn]) -> _Known:
    ids = [e.id for e in batch]
    item_ids = list({e.item_id for e in batch})
    shas = list({sha for e in batch for sha in ev.photos_of_payload(e.payload)})
    site_ids = list({site for e in batch if e.kind == "reported" and isinstance(site := e.payload.get("site"), str)})
    known_events = {r.id: r for r in session.exec(select(EventRow).where(EventRow.id.in_(ids))).scalars()}
    refusals = {r.id: r for r in session.exec(select(Rejection).where(Rejection.id.in_(ids))).scalars()}
    photos = dict(session.exec(select(Photo.sha256, Photo.uploaded_by).where(Photo.sha256.in_(shas))).all()) \
        if shas else {}
    # Only photos someone else uploaded need their uses to decide whether the actor may cite them.
    uses = queries.photo_uses(session, actor, [sha for sha, by in photos.items() if by != actor.id])
    sites = set(session.exec(select(Site.id).where(Site.id.in_(site_ids))).scalars()) if site_ids else set()
    rows = session.exec(select(Item).where(Item.id.in_(item_ids))).scalars().all()
    items = {r.id: item_state(r) for r in rows}
    return _Known(known_events, refusals, photos, uses, sites, items, set(items))


def _same(row_item: str, row_kind: str, row_payload: Mapping, event: EventIn) -> bool:
    return row_item == event.item_id and row_kind == event.kind and dict(row_payload or {}) == dict(event.payload)


def _number(session: Session, known: _Known, ctx: Context, now: datetime) -> str:
    local = now.astimezone(ctx.settings.zone)
    day = local.date().isoformat()
    if day not in known.counters:
        counter = session.get(DayCounter, day)
        known.counters[day] = counter.last if counter else 0
    known.counters[day] += 1
    return f"{local:%Y-%m%d}-{known.counters[day]:03d}"


@dataclass
class _Batch:
    """What the batch will write, in order."""

    events: list[dict] = field(default_factory=list)
    refusals: list[dict] = field(default_factory=list)
    photos: list[dict] = field(default_factory=list)
    outcome_of: dict[str, Outcome] = field(default_factory=dict)


def _decide(session: Session, ctx: Context, actor: Actor, known: _Known, batch: _Batch, event: EventIn,
            device_id: str | None, now: datetime) -> Outcome:
    """Decide one event against the in-memory state; raises ``InspectorError`` when refused."""
    zone = ctx.settings.zone
    payloads.validate_payload(event.kind, event.payload, zone)  # first: nothing reads an unchecked payload
    state = known.items.get(event.item_id)
    if event.kind != "reported" and (state is None or not can_see(actor, state)):
        # An item one may not see answers as one that does not exist.
        raise ItemNotFound(item_id=event.item_id)
    authorize(actor, event.kind, state, event.payload)
    for sha in ev.photos_of_payload(event.payload):
        if sha not in known.photos:
            raise PhotoMissing(sha256=sha)
        # Citing a photo attaches it to an item one sees: allowed only for photos one may see already.
        if not sees_photo(actor, known.photos[sha], known.photo_uses.get(sha, ())):
            raise PhotoNotCitable(sha256=sha)
    number = _number(session, known, ctx, now) if event.kind == "reported" and state is None else None
    domain_event = ev.Event(
        id=event.id, item_id=event.item_id, kind=event.kind, actor_id=actor.id, at=event.at,
        base_version=event.base_version, payload=ev.frozen_payload(event.payload), server_at=now, number=number,
    )
    try:
        new_state = apply(state, domain_event, zone)
        if state is None:  # a new report: what its office, site and time bind
            authorize_report(actor, new_state)
            check_site(new_state, known.sites)
    except InspectorError:
        if number is not None:  # hand the number back: nothing was reported
            known.counters[now.astimezone(zone).date().isoformat()] -= 1
        raise
    known.items[event.item_id] = new_state
    batch.events.append({
        "id": event.id, "item_id": event.item_id, "kind": event.kind, "actor_id": actor.id, "device_id": device_id,
        "at": event.at, "server_at": now, "base_version": event.base_version,
        "base_status": state.status if state else None, "number": number, "payload": dict(event.payload),
    })
    role = PHOTO_ROLE.get(event.kind)
    batch.photos += [{"item_id": event.item_id, "sha256": sha, "event_id": event.id, "role": role}
                     for sha in ev.photos_of(domain_event)]
    return Outcome(event.id, "accepted", item=new_state)


def _refusal(actor: Actor, event: EventIn, device_id: str | None, error: InspectorError, now: datetime) -> dict:
    details = {k: v if isinstance(v, (str, int, float, bool, type(None))) else str(v)
               for k, v in error.details.items()}
    # An unknown kind or a payload with a NUL, a NaN or a megabyte must not break the write of the batch.
    return {"id": event.id, "item_id": event.item_id, "kind": event.kind[:30], "actor_id": actor.id,
            "device_id": device_id, "received_at": now, "code": error.code, "details": details,
            "payload": payloads.kept_payload(event.payload)}


def _insert_ignoring_duplicates(session: Session, table, rows: list[dict]) -> None:
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    maker = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(maker(table).on_conflict_do_nothing(), rows)


def _write(session: Session, known: _Known, batch: _Batch) -> None:
    """Append the accepted events (handing out seq in order), then project the items they touched."""
    if batch.events:
        seqs = session.execute(
            insert(EventRow.__table__).returning(EventRow.__table__.c.seq, sort_by_parameter_order=True),
            batch.events,
        ).scalars().all()
        last_seq: dict[str, int] = {}
        for row, seq in zip(batch.events, seqs):
            batch.outcome_of[row["id"]].seq = seq
            last_seq[row["item_id"]] = seq
        new_rows, changed_rows = [], []
        for item_id, seq in last_seq.items():
            state = known.items[item_id] = replace(known.items[item_id], last_seq=seq)
            (changed_rows if item_id in known.existing_items else new_rows).append(item_values(state))
        if new_rows:
            session.execute(insert(Item.__table__), new_rows)
        if changed_rows:
            table = Item.__table__
            columns = [c for c in changed_rows[0] if c != "id"]
            session.execute(
                update(table).where(table.c.id == bindparam("b_id")).values({c: bindparam(c) for c in columns}),
                [{**{c: r[c] for c in columns}, "b_id": r["id"]} for r in changed_rows],
            )
        for outcome in batch.outcome_of.values():
            if outcome.item is not None:
                outcome.item = known.items[outcome.item.id]
        _insert_ignoring_duplicates(session, ItemPhoto.__table__, batch.photos)
    _insert_ignoring_duplicates(session, Rejection.__table__, batch.refusals)
    for day, last in known.counters.items():
        _insert_ignoring_duplicates(session, DayCounter.__table__, [{"day": day, "last": 0}])
        session.execute(update(DayCounter.__table__).where(DayCounter.__table__.c.day == day).values(last=last))


def _replayed(known: _Known, batch: _Batch, event: EventIn) -> Outcome | None:
    """The answer to an event id seen before (in the database or earlier in this batch), else ``None``."""
    stored = known.events.get(event.id)
    if stored is not None:
        if not _same(stored.item_id, stored.kind, stored.payload, event):
            return Outcome(event.id, "rejected", error=EventConflict(event_id=event.id))
        return Outcome(event.id, "duplicate", seq=stored.seq)
    refused = known.refusals.get(event.id)
    if refused is not None:
        return Outcome(event.id, "rejected", error=error_for_code(refused.code, refused.details or {}))
    first = batch.outcome_of.get(event.id)
    if first is not None:
        return Outcome(event.id, "duplicate" if first.status == "accepted" else "rejected", error=first.error)
    return None


def apply_batch(session: Session, ctx: Context, actor: Actor, events: list[EventIn],
                device_id: str | None = None) -> list[Outcome]:
    """Decide and write a batch inside the caller's transaction; answers in the order sent."""
    now = ctx.now()
    known = _load(session, actor, events)
    batch = _Batch()
    outcomes: list[Outcome] = []
    for event in events:
        outcome = _replayed(known, batch, event)
        if outcome is None:
            try:
                outcome = _decide(session, ctx, actor, known, batch, event, device_id, now)
            except InspectorError as error:
                outcome = Outcome(event.id, "rejected", error=error)
                if error.code not in TRANSIENT:
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
    with write_session(ctx.engine) as session:
        return apply_batch(session, ctx, actor, events, device_id)


def record_one(ctx: Context, actor: Actor, event: EventIn, device_id: str | None = None) -> Outcome:
    """Apply one event in its own transaction; raise when it is refused (the web UI's path)."""
    [outcome] = push(ctx, actor, [event], device_id)
    if outcome.status == "rejected":
        raise outcome.error
    return outcome
