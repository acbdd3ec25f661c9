"""Users: every SQL statement that reads or writes ``users`` (accounts, names, roles).

Functions take the caller's session (the unit of work) and hand out
``PersonPublic`` values, ``Actor`` values or plain names, never a ``User``
row, except ``user_row`` which the login path needs for the password hash.
"""

from datetime import datetime
from typing import Iterable

from sqlmodel import Session, select, update

from inspector.domain import accounts
from inspector.domain.permissions import Actor
from inspector.domain.roles import Role
from inspector.store import delegations
from inspector.store.lookup import public_by_key
from inspector.store.models import User
from inspector.store.public import PersonPublic


def user_row(session: Session, username: str) -> User | None:
    """The row of the user whose username has the same key as ``username`` (NFKC, case folded)."""
    return session.exec(select(User).where(User.username_key == accounts.username_key(username))).first()


def person(session: Session, user_id: str) -> PersonPublic | None:
    """The account ``user_id``, without secrets; ``None`` when there is none."""
    return public_by_key(session, User, user_id, PersonPublic)


def people(session: Session, role: Role | None = None, include_disabled: bool = False) -> list[PersonPublic]:
    """Accounts (of ``role``), by username; disabled ones only when asked."""
    statement = select(User).where(User.role != Role.SYSTEM).order_by(User.username)  # D: not the server's own
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


def any_user(session: Session) -> bool:
    """Whether any account exists (an empty database gets the demo)."""
    return session.exec(select(User.id).where(User.role != Role.SYSTEM).limit(1)).first() is not None


def add_user(session: Session, user_id: str, username: str, password_hash: str, role: Role, office: str | None,
             display_name: str, created_at: datetime) -> PersonPublic:
    """Add the account; the caller has checked the name is free (``user_row``) and hashed the password."""
    row = User(id=user_id, username=username, username_key=accounts.username_key(username),
               display_name=display_name, password_hash=password_hash, role=role, office_code=office,
               created_at=created_at)
    session.add(row)
    return PersonPublic.of(row)


def set_password_hash(session: Session, user_id: str, password_hash: str) -> None:
    """Replace the stored hash (a rehash at the current cost after a good login)."""
    session.exec(update(User).where(User.id == user_id).values(password_hash=password_hash))


def disable(session: Session, user_id: str) -> bool:
    """Mark the account disabled; False when there is no such account."""
    return session.exec(update(User).where(User.id == user_id).values(disabled=True)).rowcount > 0


def actor_of(session: Session, user: User | PersonPublic) -> Actor:
    """The domain's view of an account, with a spot checker's delegated scopes."""
    scopes = delegations.scopes(session, user.id) if user.role == Role.SPOT_CHECKER else ()
    return Actor(id=user.id, role=user.role, office=user.office_code, username=user.username, scopes=scopes)


def actor(session: Session, user_id: str) -> Actor | None:
    """The actor of account ``user_id`` (disabled or not); ``None`` when there is none."""
    found = person(session, user_id)
    return actor_of(session, found) if found is not None else None
