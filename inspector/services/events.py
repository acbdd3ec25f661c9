"""Recording events: the one path by which any item changes, on the server and in push.

Each event is checked (who may, from which version, with which payload),
applied by the pure state machine, appended to the log and projected into
``items`` in the same transaction. ``push`` runs a batch, each event in a
savepoint so one refused event does not sink the others, and commits once.
"""

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Mapping

from sqlmodel import Session, select

from inspector.domain import events as ev
from inspector.domain.items import ItemState, apply
from inspector.domain.permissions import Actor, authorize, can_see
from inspector.errors import EventConflict, InspectorError, ItemNotFound, PhotoMissing, error_for_code
from inspector.services.context import Context
from inspector.store import queries
from inspector.store.convert import item_state, item_values
from inspector.store.engine import write_session
from inspector.store.models import EventRow, Item, ItemPhoto, Photo, Rejection

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


@dataclass(frozen=True)
class Outcome:
    id: str
    status: str  # accepted, duplicate, rejected
    seq: int | None = None
    error: InspectorError | None = None
    item: ItemState | None = None


def _same(row: EventRow, event: EventIn) -> bool:
    return row.item_id == event.item_id and row.kind == event.kind and (row.payload or {}) == dict(event.payload)


def _replayed(session: Session, event: EventIn) -> Outcome | None:
    """The first answer to an event id seen before, or ``None`` for a new one."""
    row = session.exec(select(EventRow).where(EventRow.id == event.id)).first()
    if row is not None:
        if not _same(row, event):
            raise EventConflict(event_id=event.id)
        return Outcome(event.id, "duplicate", seq=row.seq)
    refused = session.get(Rejection, event.id)
    if refused is not None:
        return Outcome(event.id, "rejected", error=error_for_code(refused.code, refused.details or {}))
    return None


def _check_photos(session: Session, event: EventIn) -> None:
    for sha in event.payload.get("photos") or ():
        if session.get(Photo, sha) is None:
            raise PhotoMissing(sha256=sha)


def _number(session: Session, ctx: Context, now: datetime) -> str:
    local = now.astimezone(ctx.settings.zone)
    ordinal = queries.next_number(session, local.date().isoformat())
    return f"{local:%Y-%m%d}-{ordinal:03d}"


def record(session: Session, ctx: Context, actor: Actor, event: EventIn, device_id: str | None = None) -> Outcome:
    """Apply one event inside the caller's transaction; raises ``InspectorError`` when refused."""
    replayed = _replayed(session, event)
    if replayed is not None:
        return replayed
    now = ctx.now()
    zone = ctx.settings.zone
    ev.validate_payload(event.kind, event.payload, zone)
    row = queries.item_row(session, event.item_id, for_update=True)
    state = item_state(row) if row is not None else None
    if event.kind != "reported" and (state is None or not can_see(actor, state)):
        # An item one may not see answers as one that does not exist.
        raise ItemNotFound(item_id=event.item_id)
    authorize(actor, event.kind, state, event.payload)
    _check_photos(session, event)
    domain_event = ev.Event(
        id=event.id,
        item_id=event.item_id,
        kind=event.kind,
        actor_id=actor.id,
        at=event.at,
        base_version=event.base_version,
        payload=ev.frozen_payload(event.payload),
        server_at=now,
        number=_number(session, ctx, now) if event.kind == "reported" and state is None else None,
    )
    new_state = apply(state, domain_event, zone)
    log_row = EventRow(
        id=event.id,
        item_id=event.item_id,
        kind=event.kind,
        actor_id=actor.id,
        device_id=device_id,
        at=event.at,
        server_at=now,
        base_version=event.base_version,
        base_status=state.status if state else None,
        number=domain_event.number,
        payload=dict(event.payload),
    )
    if row is None:
        # The projection row first: the photo links below point at it.
        row = Item(**item_values(new_state))
        session.add(row)
        session.flush()
    session.add(log_row)
    session.flush()  # hands out the sequence number
    new_state = replace(new_state, last_seq=log_row.seq)
    for name, value in item_values(new_state).items():
        setattr(row, name, value)
    session.add(row)
    role = PHOTO_ROLE.get(event.kind)
    for sha in ev.photos_of(domain_event):
        if session.get(ItemPhoto, (event.item_id, sha)) is None:
            session.add(ItemPhoto(item_id=event.item_id, sha256=sha, event_id=event.id, role=role))
    session.flush()
    return Outcome(event.id, "accepted", seq=log_row.seq, item=new_state)


def _remember_refusal(session: Session, ctx: Context, actor: Actor, event: EventIn, device_id: str | None,
                      error: InspectorError) -> None:
    if error.code in TRANSIENT or session.get(Rejection, event.id) is not None:
        return
    session.add(Rejection(
        id=event.id, item_id=event.item_id, kind=event.kind, actor_id=actor.id, device_id=device_id,
        received_at=ctx.now(), code=error.code, details=_jsonable(error.details), payload=dict(event.payload),
    ))


def _jsonable(details: Mapping[str, Any]) -> dict:
    return {k: v if isinstance(v, (str, int, float, bool, type(None))) else str(v) for k, v in details.items()}


def push(ctx: Context, actor: Actor, events: list[EventIn], device_id: str | None = None) -> list[Outcome]:
    """Apply a batch: each event atomically, the batch committed once, answers in order."""
    outcomes = []
    with write_session(ctx.engine) as session:
        for event in events:
            try:
                with session.begin_nested():
                    outcomes.append(record(session, ctx, actor, event, device_id))
            except InspectorError as error:
                _remember_refusal(session, ctx, actor, event, device_id, error)
                outcomes.append(Outcome(event.id, "rejected", error=error))
    return outcomes


def record_one(ctx: Context, actor: Actor, event: EventIn, device_id: str | None = None) -> Outcome:
    """Apply one event in its own transaction; raise when it is refused (the web UI's path)."""
    with write_session(ctx.engine) as session:
        outcome = record(session, ctx, actor, event, device_id)
    if outcome.status == "rejected":
        raise outcome.error
    return outcome
