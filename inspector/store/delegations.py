"""Delegations: the SQL that writes a spot checker's delegated scope and reads it back as ``Scope`` values.

A delegation row becomes a ``DelegationPublic`` (its columns, read-only) or,
for the rules, the domain's ``Scope``.
"""

from datetime import datetime
from typing import Iterable

from pydantic import field_validator
from sqlmodel import Session, select

from inspector.domain.permissions import Scope
from inspector.store.models import Delegation
from inspector.store.public import Public


class DelegationPublic(Public):
    """A spot checker's delegated offices and/or sites, for a period."""

    id: str
    user_id: str
    created_at: datetime
    offices: tuple[str, ...]
    sites: tuple[str, ...]
    starts: datetime | None = None
    ends: datetime | None = None

    @field_validator("offices", "sites", mode="before")
    @classmethod
    def _none_is_empty(cls, value):
        return value or ()  # a JSON column may hold null


def scopes(session: Session, user_id: str) -> tuple[Scope, ...]:
    """What ``user_id`` was delegated to check, as the domain's scopes."""
    rows = session.exec(select(Delegation).where(Delegation.user_id == user_id)).all()
    return tuple(Scope(offices=frozenset(r.offices or ()), sites=frozenset(r.sites or ()), starts=r.starts,
                       ends=r.ends) for r in rows)


def add_delegation(session: Session, delegation_id: str, user_id: str, offices: Iterable[str],
                   sites: Iterable[str], starts: datetime | None, ends: datetime | None,
                   created_at: datetime) -> DelegationPublic:
    """Record a delegation as given (the caller has checked it)."""
    row = Delegation(id=delegation_id, user_id=user_id, offices=list(offices), sites=list(sites), starts=starts,
                     ends=ends, created_at=created_at)
    session.add(row)
    return DelegationPublic.of(row)


def delegations(session: Session, user_id: str | None = None) -> list[DelegationPublic]:
    """Every delegation (or those of ``user_id``), oldest first."""
    statement = select(Delegation)
    if user_id:
        statement = statement.where(Delegation.user_id == user_id)
    return [DelegationPublic.of(r) for r in session.exec(statement.order_by(Delegation.created_at, Delegation.id))]


def remove_delegation(session: Session, delegation_id: str) -> bool:
    """Delete delegation ``delegation_id``; False when there was none."""
    row = session.get(Delegation, delegation_id)
    if row is None:
        return False
    session.delete(row)
    return True
