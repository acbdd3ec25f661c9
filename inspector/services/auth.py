"""Users, logins and bearer tokens.

Passwords are hashed with argon2id. A token is 256 random bits shown once to
the client; only its SHA-256 is stored, so a leaked database holds no live
tokens. Tokens last ``settings.token_days`` and are renewed on use, because
field phones stay offline for days.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

import uuid6
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from inspector.domain import catalog
from inspector.domain.permissions import Actor, Scope
from inspector.errors import (
    InvalidCredentials,
    InvalidRequest,
    NotAuthenticated,
    TokenExpired,
    UnknownOffice,
    UnknownRole,
    UserExists,
)
from inspector.services.context import Context
from inspector.store.engine import read_session, write_session
from inspector.store.models import Delegation, Device, Token, User

_hasher = PasswordHasher()  # argon2id with the library's current recommended cost
RENEW_AFTER = timedelta(hours=1)  # renew at most hourly: a write per request is waste
MIN_PASSWORD = 6


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


def add_user(ctx: Context, username: str, password: str, role: str, office: str | None = None,
             display_name: str = "") -> User:
    """Create a user; office roles need an office."""
    username = username.strip()
    if not username:
        raise InvalidRequest(problem="username is empty")
    if len(password) < MIN_PASSWORD:
        raise InvalidRequest(problem=f"password shorter than {MIN_PASSWORD} characters")
    if role not in catalog.ROLES:
        raise UnknownRole(role=role)
    if office is not None and office not in catalog.OFFICE_CODES:
        raise UnknownOffice(office=office)
    if role in catalog.OFFICE_ROLES and office is None:
        raise InvalidRequest(problem=f"role {role} needs an office")
    with write_session(ctx.engine) as session:
        if session.exec(select(User).where(User.username == username)).first():
            raise UserExists(username=username)
        user = User(
            id=str(uuid6.uuid7()),
            username=username,
            display_name=display_name or username,
            password_hash=_hasher.hash(password),
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


def login(ctx: Context, username: str, password: str, device_id: str | None = None) -> tuple[str, Token, User]:
    """Check the password and hand out a new bearer token."""
    now = ctx.now()
    with write_session(ctx.engine) as session:
        user = session.exec(select(User).where(User.username == username.strip())).first()
        if user is None or user.disabled:
            # Hash anyway so the answer takes as long for unknown users.
            _hasher.hash(password)
            raise InvalidCredentials()
        try:
            _hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            raise InvalidCredentials() from None
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
            session.add(user)
        token = secrets.token_urlsafe(32)
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
