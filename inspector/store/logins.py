"""Login attempts: the SQL behind the throttles on failed logins.

An attempt is recorded before its password is checked and deleted when it
succeeds, so what stays counts as a failure. The rows live in the database so
servers sharing one PostgreSQL throttle together.

The writes of an attempt run beside pushes (``write_session(..., concurrent=True)``), not alone:
what must not interleave is two tries of one name, or of one address, each checking the count
before the other records its try. So each write takes the advisory locks of its name and its
address (``throttle_keys``), and two tries of either run one after the other, on any server.
"""

import hashlib
from datetime import datetime

from sqlmodel import Session, delete, select, update

from inspector.store.models import LoginAttempt


def failures_by_name(session: Session, key: str, since: datetime) -> list[datetime]:
    """When the failures counted against username key ``key`` after ``since`` were."""
    return list(session.exec(select(LoginAttempt.at).where(LoginAttempt.username_key == key,
                                                           LoginAttempt.at > since)).all())


def failures_from(session: Session, address: str, since: datetime) -> list[datetime]:
    """When the failures counted against client ``address`` after ``since`` were."""
    return list(session.exec(select(LoginAttempt.at).where(LoginAttempt.address == address,
                                                           LoginAttempt.at > since)).all())


def forget_before(session: Session, oldest: datetime) -> None:
    """Drop attempts at or before ``oldest``: no throttle window reaches them any more."""
    session.exec(delete(LoginAttempt).where(LoginAttempt.at <= oldest))


def add_attempt(session: Session, attempt_id: str, key: str, address: str | None, at: datetime) -> None:
    """Record a try under way (a failure until ``succeeded`` says otherwise)."""
    session.add(LoginAttempt(id=attempt_id, username_key=key, address=address, at=at))


def succeeded(session: Session, attempt_id: str, key: str) -> None:
    """The try ``attempt_id`` got in: it was no failure, and the name's earlier failures stop counting
    against the name (they still count against their addresses)."""
    session.exec(delete(LoginAttempt).where(LoginAttempt.id == attempt_id))
    session.exec(update(LoginAttempt).where(LoginAttempt.username_key == key).values(username_key=None))


def throttle_keys(key: str, address: str | None) -> list[int]:
    """The advisory lock keys (signed 64-bit, ascending: the order every writer takes them) of the
    throttles a try of username key ``key`` from ``address`` counts against."""
    names = [f"name:{key}"] + ([f"address:{address}"] if address else [])
    return sorted({int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8, person=b"login-lock").digest(),
                                  "big", signed=True) for name in names})
