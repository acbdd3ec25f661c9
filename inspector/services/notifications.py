"""In-app notices: computed on request from the items, never stored.

A narrow SQL filter per role loads only the items that could raise a notice
(the office's assigned, due, reworked and escalated items; overdue and
disputed ones for supervisors; look-backs due for inspectors); the pure
``inspector.domain.oversight.notices`` decides.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, false, or_
from sqlmodel import select

from inspector.domain.catalog import OFFICE_ROLES
from inspector.domain.items import AT_OFFICE, ASSIGNED, OPEN_STATUSES, RECTIFYING, VERIFIED, ItemState
from inspector.domain.oversight import SOON, Notice, notices
from inspector.domain.permissions import Actor
from inspector.services.context import Context
from inspector.store import queries
from inspector.store.convert import item_state
from inspector.store.engine import read_session
from inspector.store.models import Item


@dataclass(frozen=True)
class NoticeBoard:
    notices: list[Notice]  # at most ``limit``, most pressing first
    total: int  # how many there are in all
    items: dict[str, ItemState]  # the items the notices shown are about
    now: datetime


def candidate_filter(actor: Actor, now: datetime):
    """SQL: the items that could raise a notice for ``actor`` (a superset; the domain decides)."""
    soon = now + SOON
    if actor.role in OFFICE_ROLES:
        mine = [
            Item.status == ASSIGNED,
            and_(Item.status.in_(AT_OFFICE), Item.deadline <= soon),
            and_(Item.status == RECTIFYING, Item.rework_count > 0),
        ]
        if actor.role == "office_leader":
            mine.append(and_(Item.status.in_(OPEN_STATUSES), Item.rebound_count >= 2))
        return and_(Item.office_code == actor.office, or_(*mine))
    if actor.role == "supervisor":
        return or_(and_(Item.status.in_(AT_OFFICE), Item.deadline < now), Item.disputed.is_(True))
    if actor.role == "admin":
        return Item.disputed.is_(True)
    if actor.role == "inspector":
        return and_(Item.status == VERIFIED, Item.look_back_due <= soon)
    return false()


def notice_board(ctx: Context, actor: Actor, limit: int = 100) -> NoticeBoard:
    """``actor``'s notices now."""
    now = ctx.now()
    with read_session(ctx.engine) as session:
        rows = session.exec(select(Item).where(queries.visible_to(actor), candidate_filter(actor, now))).all()
    states = [item_state(r) for r in rows]
    found = notices(actor, states, now)
    shown = found[:max(limit, 0)]
    by_id = {s.id: s for s in states}
    return NoticeBoard(shown, len(found), {n.item_id: by_id[n.item_id] for n in shown}, now)
