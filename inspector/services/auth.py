"""Users, logins and bearer tokens.

Passwords are hashed with argon2id. A token is 256 random bits shown once to
the client; only its SHA-256 is stored, so a leaked database holds no live
tokens. Tokens last ``settings.token_days`` and are renewed on use, because
field phones stay offline for days.

Hashing is slow and memory-hungry on purpose (argon2id, 64 MiB each), so it
runs with no database transaction open (a login storm must not hold the write
lock that pushes need) and at most ``HASH_SLOTS.size`` at a time. Failed logins
are throttled per username key and per client address
(``inspector.domain.accounts``); the attempts live in the database so servers
sharing one PostgreSQL throttle together.
"""

import hashlib
import os
import secrets
import threading
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Iterator

import uuid6
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, delete, select, update

from inspector.domain import accounts, catalog
from inspector.domain.permissions import Actor, Scope
from inspector.domain.text import check_text
from inspector.errors import (
    InvalidCredentials,
    InvalidRequest,
    NotAuthenticated,
    TokenExpired,
    TooManyAttempts,
    UnknownOffice,
    UnknownRole,
    UserExists,
)
from inspector.services.context import Context
from inspector.store.engine import read_session, write_session
from inspector.store.models import Delegation, Device, LoginAttempt, Token, User

MAX_DISPLAY_NAME = 120  # the users.display_name column

_hasher = PasswordHasher()  # argon2id with the library's current recommended cost
RENEW_AFTER = timedelta(hours=1)  # renew at most hourly: a write per request is waste


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def actor_of(session: Session, user: User) -> Actor:
    """The domain's view of a user, with a spot checker's delegated scopes."""
    scopes: tuple[Scope, ...] = ()
    if user.role == "spot_checker":
        rows = session.exec(select(Delegation).where(Delegation.user_id == user.id)).all()
        scopes = tuple(
            Scope(offices=frozenset(r.offices or ()), sites=frozenset(r.sites or ()), starts=r.starts, ends=r.ends)
            for r in rows
        )
    return Actor(id=user.id, role=user.role, office=user.office_code, username=user.username, scopes=scopes)


class HashSlots:
    """A counting gate around password hashing that says how many hold or wait for a slot."""

    def __init__(self, size: int):
        self.size = size
        self.busy = 0
        self.waiting = 0
        self._cond = threading.Condition()

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one of ``size`` slots for the duration of the block."""
        with self._cond:
            self.waiting += 1
            self._cond.wait_for(lambda: self.busy < self.size)
            self.waiting -= 1
            self.busy += 1
        try:
            yield
        finally:
            with self._cond:
                self.busy -= 1
                self._cond.notify()


# argon2id already spreads one hash over 4 lanes (threads): hashes beyond half
# the cores only add 64 MiB each and take the CPU from pushes, so a storm waits here.
HASH_SLOTS = HashSlots(max(1, min(4, (os.cpu_count() or 1) // 2)))


def _hash(password: str) -> str:
    with HASH_SLOTS.slot():
        return _hasher.hash(password)


def _check(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches (the caller holds a hash slot); with no hash (unknown user)
    hash anyway, so the answer takes as long and tells nothing about which names exist."""
    if password_hash is None:
        _hasher.hash(password)
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def find_user(session: Session, username: str) -> User | None:
    """The user whose username has the same key as ``username`` (NFKC, case folded)."""
    return session.exec(select(User).where(User.username_key == accounts.username_key(username))).first()


def add_user(ctx: Context, username: str, password: str, role: str, office: str | None = None,
             display_name: str = "") -> User:
    """Create a user; office roles need an office; the password must pass the policy."""
    username = accounts.check_username(username)
    accounts.check_password(password, username)
    if role not in catalog.ROLES:
        raise UnknownRole(role=role)
    if office is not None and office not in catalog.OFFICE_CODES:
        raise UnknownOffice(office=office)
    if role in catalog.OFFICE_ROLES and office is None:
        raise InvalidRequest(problem=f"role {role} needs an office")
    display_name = check_text(display_name.strip(), "display_name")
    if len(display_name) > MAX_DISPLAY_NAME:
        raise InvalidRequest(problem=f"display_name is longer than {MAX_DISPLAY_NAME} characters")
    password_hash = _hash(password)  # before the write lock, not under it
    with write_session(ctx.engine) as session:
        if find_user(session, username) is not None:
            raise UserExists(username=username)
        user = User(
            id=str(uuid6.uuid7()),
            username=username,
            username_key=accounts.username_key(username),
            display_name=display_name or username,
            password_hash=password_hash,
            role=role,
            office_code=office,
            created_at=ctx.now(),
        )
        session.add(user)
    return user


def delegate(ctx: Context, user_id: str, offices=(), sites=(), starts: datetime | None = None,
             ends: datetime | None = None) -> Delegation:
    """Give a spot checker a scope to check."""
    with write_session(ctx.engine) as session:
        row = Delegation(id=str(uuid6.uuid7()), user_id=user_id, offices=list(offices), sites=list(sites),
                         starts=starts, ends=ends, created_at=ctx.now())
        session.add(row)
    return row


def _wait(session: Session, key: str, address: str | None, now: datetime) -> int | None:
    """Seconds the throttles ask this try to wait (the longer of name and address), or None."""
    def failures(column, value, throttle: accounts.Throttle) -> list[datetime]:
        since = now - throttle.window
        return list(session.exec(select(LoginAttempt.at).where(column == value, LoginAttempt.at > since)).all())

    waits = [accounts.PER_USERNAME.retry_after(failures(LoginAttempt.username_key, key, accounts.PER_USERNAME), now)]
    if address:
        waits.append(accounts.PER_ADDRESS.retry_after(failures(LoginAttempt.address, address, accounts.PER_ADDRESS),
                                                      now))
    return max((w for w in waits if w is not None), default=None)


def _begin_attempt(ctx: Context, key: str, address: str | None, now: datetime) -> tuple[str, User | None]:
    """Check the throttles again and record this attempt (a failure until it succeeds), in one short write.

    Recording before hashing keeps parallel guesses from all passing the check
    at once; refused tries are not recorded, so a lock lifts a window after the
    last counted failure whatever a flood keeps sending."""
    oldest = now - max(accounts.PER_USERNAME.window, accounts.PER_ADDRESS.window)
    with write_session(ctx.engine) as session:
        session.exec(delete(LoginAttempt).where(LoginAttempt.at <= oldest))
        wait = _wait(session, key, address, now)
        if wait is not None:
            raise TooManyAttempts(retry_after=wait)
        attempt = LoginAttempt(id=str(uuid6.uuid7()), username_key=key, address=address, at=now)
        session.add(attempt)
        user = session.exec(select(User).where(User.username_key == key)).first()
    return attempt.id, user


def login(ctx: Context, username: str, password: str, device_id: str | None = None,
          address: str | None = None) -> tuple[str, Token, User]:
    """Check the password and hand out a new bearer token.

    ``address`` is the client's network address, throttled with a higher bar
    than the username. Too many recent failures raise TooManyAttempts."""
    now = ctx.now()
    key = accounts.username_key(username)[:accounts.MAX_USERNAME]  # NFKC may lengthen what was typed
    address = address[:64] if address else None  # the column's width; an IPv6 text form has at most 45
    # A flood that is already throttled is refused by a read: no lock, no queue, no hash.
    with read_session(ctx.engine) as session:
        wait = _wait(session, key, address, now)
    if wait is not None:
        raise TooManyAttempts(retry_after=wait)
    # The write that records the attempt waits for a hash slot too, so a storm's
    # writes come a few at a time, not all at once ahead of everyone's pushes.
    with HASH_SLOTS.slot():
        attempt_id, user = _begin_attempt(ctx, key, address, now)
        # The session is closed: the hash takes its time with no transaction open.
        known = user is not None and not user.disabled
        ok = _check(user.password_hash if known else None, password)
    if not ok:
        raise InvalidCredentials()
    new_hash = _hash(password) if _hasher.check_needs_rehash(user.password_hash) else None
    token = secrets.token_urlsafe(32)
    with write_session(ctx.engine) as session:
        # The owner got in: this try was no failure, and earlier failures stop
        # counting against the name. They still count against their addresses,
        # so a guesser's budget does not refill when the owner logs in.
        session.exec(delete(LoginAttempt).where(LoginAttempt.id == attempt_id))
        session.exec(update(LoginAttempt).where(LoginAttempt.username_key == key).values(username_key=None))
        if new_hash is not None:
            fresh = session.get(User, user.id)
            fresh.password_hash = new_hash
            session.add(fresh)
        row = Token(token_hash=_digest(token), user_id=user.id, device_id=device_id, created_at=now,
                    expires_at=now + timedelta(days=ctx.settings.token_days))
        session.add(row)
        if device_id:
            _seen(session, device_id, user.id, now)
    return token, row, user


def _seen(session: Session, device_id: str, user_id: str, now: datetime) -> None:
    device = session.get(Device, device_id)
    if device is None:
        session.add(Device(id=device_id, user_id=user_id, first_seen_at=now, last_seen_at=now))
    else:
        device.last_seen_at = now
        device.user_id = user_id
        session.add(device)


def authenticate(ctx: Context, token: str | None) -> tuple[Actor, User]:
    """The actor behind a bearer token; raises when it is missing, unknown, expired or revoked."""
    if not token:
        raise NotAuthenticated()
    now = ctx.now()
    digest = _digest(token)
    with read_session(ctx.engine) as session:
        row = session.get(Token, digest)
        if row is None or row.revoked_at is not None:
            raise NotAuthenticated()
        if row.expires_at <= now:
            raise TokenExpired()
        user = session.get(User, row.user_id)
        if user is None or user.disabled:
            raise NotAuthenticated()
        actor = actor_of(session, user)
        renew = row.expires_at - timedelta(days=ctx.settings.token_days) + RENEW_AFTER <= now
    if renew:
        with write_session(ctx.engine) as session:
            row = session.get(Token, digest)
            row.expires_at = now + timedelta(days=ctx.settings.token_days)
            session.add(row)
    return actor, user


def logout(ctx: Context, token: str) -> None:
    """Revoke one token."""
    with write_session(ctx.engine) as session:
        row = session.get(Token, _digest(token))
        if row is not None and row.revoked_at is None:
            row.revoked_at = ctx.now()
            session.add(row)


def disable_user(ctx: Context, user_id: str) -> None:
    """Disable a user and revoke every token they hold."""
    now = ctx.now()
    with write_session(ctx.engine) as session:
        user = session.get(User, user_id)
        if user is None:
            raise InvalidRequest(problem="no such user")
        user.disabled = True
        session.add(user)
        for row in session.exec(select(Token).where(Token.user_id == user_id, Token.revoked_at.is_(None))).all():
            row.revoked_at = now
            session.add(row)
