"""Users: every SQL statement that reads or writes ``users`` (accounts, names, roles).

Functions take the caller's session (the unit of work) and hand out
``PersonPublic`` values or plain names, never a ``User`` row, except
``user_row`` which the login path needs for the password hash.
"""

from typing import Iterable

from sqlmodel import Session, select

from inspector.domain import accounts
from inspector.domain.roles import Role
from inspector.store.models import User
from inspector.store.public import PersonPublic


def user_row(session: Session, username: str) -> User | None:
    """The row of the user whose username has the same key as ``username`` (NFKC, case folded)."""
    return session.exec(select(User).where(User.username_key == accounts.username_key(username))).first()


def person(session: Session, user_id: str) -> PersonPublic | None:
    """The account ``user_id``, without secrets; ``None`` when there is none."""
    row = session.get(User, user_id)
    return PersonPublic.of(row) if row is not None else None


def people(session: Session, role: Role | None = None, include_disabled: bool = False) -> list[PersonPublic]:
    """Accounts (of ``role``), by username; disabled ones only when asked."""
    statement = select(User).order_by(User.username)
    if role is not None:
        statement = statement.where(User.role == role)
    if not include_disabled:
        statement = statement.where(User.disabled.is_(False))
    return [PersonPublic.of(row) for row in session.exec(statement).all()]


def display_names(session: Session, ids: Iterable[str]) -> dict[str, str]:
    """The name to show for each of ``ids`` that is a user: display name, else username."""
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    rows = session.exec(select(User.id, User.display_name, User.username).where(User.id.in_(wanted))).all()
    return {id_: display or username for id_, display, username in rows}
