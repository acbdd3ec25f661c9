"""Oversight: the SQL behind look-backs, spot-check samples, dispute reviews and office records.

Functions take the caller's session (the unit of work) and hand out domain
values (``ItemState``, ``Event``, ``RecordFacts``) or the public models of
``inspector.store.oversight_public``, never a table row. Delegations are
``inspector.store.delegations``'.
"""

from datetime import datetime
from typing import Iterable

from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from inspector.domain.events import Event
from inspector.domain.items import VERIFIED, ItemState
from inspector.domain.lifecycle import Kind
from inspector.domain.oversight import SAMPLED_STATUSES, SETTLING, RecordFacts
from inspector.domain.permissions import Actor
from inspector.store import queries
from inspector.store.convert import event_of, item_state
from inspector.store.models import EventRow, Item, SpotSample
from inspector.store.oversight_public import DrawnItem, SamplePublic

# The columns of an office's record, in the order and under the names of ``RecordFacts``.
RECORD_COLUMNS = tuple(getattr(Item, name) for name in RecordFacts._fields)


# --- look-backs --------------------------------------------------------------------------------------
def look_backs_due(session: Session, actor: Actor, horizon: datetime) -> list[ItemState]:
    """Verified items ``actor`` may see whose look-back falls due by ``horizon`` (or is overdue)."""
    rows = session.exec(select(Item).where(queries.visible_to(actor), Item.status == VERIFIED,
                                           Item.look_back_due.is_not(None), Item.look_back_due <= horizon)).all()
    return [item_state(r) for r in rows]


# --- spot-check samples ------------------------------------------------------------------------------
def candidates(session: Session, checker: Actor) -> list[str]:
    """Items a draw for ``checker`` chooses from: verified or closed, in their scope, not their own reports."""
    statement = sa_select(Item.id).where(queries.visible_to(checker), Item.status.in_(SAMPLED_STATUSES),
                                         Item.reported_by != checker.id)
    return sorted(session.execute(statement).scalars().all())


def open_sample_items(session: Session, user_id: str) -> set[str]:
    """Every item of ``user_id``'s samples not yet fully checked (some drawn item lacks their spot check)."""
    drawn = [sample.item_ids for sample in samples(session, user_id)]
    checked = queries.spot_checked_items(session, user_id, {i for ids in drawn for i in ids})
    return {i for ids in drawn if not set(ids) <= checked for i in ids}


def add_sample(session: Session, sample: SamplePublic) -> SamplePublic:
    """Record a draw as made (the caller drew it)."""
    session.add(SpotSample(**sample.model_dump()))
    return sample


def samples(session: Session, user_id: str | None = None) -> list[SamplePublic]:
    """Recorded draws (for ``user_id``, when given), newest first."""
    statement = select(SpotSample)
    if user_id:
        statement = statement.where(SpotSample.user_id == user_id)
    rows = session.exec(statement.order_by(SpotSample.drawn_at.desc(), SpotSample.id.desc())).all()
    return [SamplePublic.of(r) for r in rows]


def sample(session: Session, sample_id: str) -> SamplePublic | None:
    """The recorded draw ``sample_id``; ``None`` when there is none."""
    row = session.get(SpotSample, sample_id)
    return SamplePublic.of(row) if row is not None else None


def drawn_items(session: Session, item_ids: Iterable[str]) -> dict[str, DrawnItem]:
    """The items of ``item_ids`` that exist, by id, as they stand (not blinded: the caller decides)."""
    ids = list(item_ids)
    if not ids:
        return {}
    rows = session.exec(select(Item).where(Item.id.in_(ids))).all()
    return {r.id: DrawnItem(**vars(item_state(r))) for r in rows}


# --- disputes ------------------------------------------------------------------------------------------
def disputed_items(session: Session, actor: Actor, limit: int) -> list[ItemState]:
    """Disputed items ``actor`` may see, longest waiting first."""
    rows = session.exec(select(Item).where(Item.disputed.is_(True), queries.visible_to(actor))
                        .order_by(Item.updated_at, Item.id).limit(limit)).all()
    return [item_state(r) for r in rows]


def dispute_log(session: Session, item_ids: Iterable[str]) -> list[Event]:
    """The spot checks and settlements of ``item_ids``, in log order."""
    ids = list(item_ids)
    if not ids:
        return []
    rows = session.exec(select(EventRow).where(EventRow.item_id.in_(ids),
                                               EventRow.kind.in_((Kind.SPOT_CHECKED, *SETTLING)))
                        .order_by(EventRow.seq)).all()
    return [event_of(r) for r in rows]


# --- an office's record ----------------------------------------------------------------------------------
def record_facts(session: Session, office: str) -> list[RecordFacts]:
    """What an office's record counts, for every item of ``office``."""
    rows = session.execute(sa_select(*RECORD_COLUMNS).where(Item.office_code == office)).all()
    return [RecordFacts._make(r) for r in rows]
