"""Notices: the SQL that loads the items that could raise a notice for someone.

A narrow filter per role (the office's assigned, due, reworked and escalated
items; overdue and disputed ones for supervisors; look-backs due for
inspectors) keeps the load small; ``inspector.domain.oversight.notices``
decides which of them do. The field client runs the same filter on its copy.
"""

from datetime import datetime

from sqlalchemy import and_, false, or_
from sqlmodel import Session, select

from inspector.domain.items import AT_OFFICE, ASSIGNED, OPEN_STATUSES, RECTIFYING, VERIFIED, ItemState
from inspector.domain.oversight import SOON
from inspector.domain.permissions import Actor
from inspector.domain.roles import OFFICE_ROLES, Role
from inspector.store import queries
from inspector.store.convert import item_state
from inspector.store.models import Item


def candidate_filter(actor: Actor, now: datetime):
    """SQL: the items that could raise a notice for ``actor`` (a superset; the domain decides)."""
    soon = now + SOON
    if actor.role in OFFICE_ROLES:
        mine = [
            Item.status == ASSIGNED,
            and_(Item.status.in_(AT_OFFICE), Item.deadline <= soon),
            and_(Item.status == RECTIFYING, Item.rework_count > 0),
        ]
        if actor.role == Role.OFFICE_LEADER:
            mine.append(and_(Item.status.in_(OPEN_STATUSES), Item.rebound_count >= 2))
        return and_(Item.office_code == actor.office, or_(*mine))
    if actor.role == Role.SUPERVISOR:
        return or_(and_(Item.status.in_(AT_OFFICE), Item.deadline < now), Item.disputed.is_(True))
    if actor.role == Role.ADMIN:
        return Item.disputed.is_(True)
    if actor.role == Role.INSPECTOR:
        return and_(Item.status == VERIFIED, Item.look_back_due <= soon)
    return false()


def candidates(session: Session, actor: Actor, now: datetime) -> list[ItemState]:
    """The items ``actor`` may see that could raise a notice for them now."""
    rows = session.exec(select(Item).where(queries.visible_to(actor), candidate_filter(actor, now))).all()
    return [item_state(row) for row in rows]
