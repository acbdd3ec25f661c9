"""Users, logins and bearer tokens.

Passwords are hashed with argon2id. A token is 256 random bits shown once to
the client; only its SHA-256 is stored, so a leaked database holds no live
tokens. Tokens last ``settings.token_days`` and are renewed on use, because
field phones stay offline for days.

Hashing is slow and memory-hungry on purpose (argon2id, 64 MiB each), so it
runs with no database transaction open (a login storm must not hold the write
lock that pushes need), at most ``HASH_SLOTS.size`` at a time (sized to cores and
memory), on threads of their own that yield the CPU to requests. Over HTTP a
login waits for its slot before it takes a thread (``inspector.server.threads``). Failed logins
are throttled per username key and per client address
(``inspector.domain.accounts``); the attempts live in the database so servers
sharing one PostgreSQL throttle together. A try's writes lock its name and its
address (``store.logins``), never every writer: pushes run on through a rush.
"""

import hashlib
import os
import secrets
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Iterator

import uuid6
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session

from inspector.domain import accounts, catalog
from inspector.domain.permissions import Actor
from inspector.domain.roles import OFFICE_ROLES, Role, person_role_of
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
from inspector.services import token_cache
from inspector.services.context import Context
from inspector.services.token_cache import Verified
from inspector.store import delegations, logins, tokens, users
from inspector.store.delegations import DelegationPublic
from inspector.store.engine import read_session, rerun_contended, write_session
from inspector.store.models import User
from inspector.store.public import PersonPublic
from inspector.store.tokens import TokenPublic

MAX_DISPLAY_NAME = 120  # the users.display_name column

_hasher = PasswordHasher()  # argon2id with the library's current recommended cost
RENEW_AFTER = timedelta(hours=1)  # renew at most hourly: a write per request is waste


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# The domain's view of an account, with a spot checker's delegated scopes (``store.users.actor_of``);
# the tests and tools that build actors reach it here.
actor_of = users.actor_of


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


MAX_HASH_SLOTS = 4


def _slot_count(cores: int, memory_bytes: int, hash_bytes: int) -> int:
    """How many hashes may run at once: argon2id already spreads one hash over 4 lanes
    (threads), so hashes beyond half the cores only take the CPU from pushes; and the
    hashes together take at most a sixteenth of the machine's memory (64 MiB each: 40 at
    once took a server to 1.8 GB). At least one, at most ``MAX_HASH_SLOTS``."""
    return max(1, min(MAX_HASH_SLOTS, cores // 2, memory_bytes // 16 // max(1, hash_bytes)))


def _memory_bytes() -> int:
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):  # no sysconf (Windows): assume a small machine
        return 2 * 1024**3


# A storm waits here (and, over HTTP, before it takes a thread: inspector.server.threads).
HASH_SLOTS = HashSlots(_slot_count(os.cpu_count() or 1, _memory_bytes(), _hasher.memory_cost * 1024))


# A third of a normal thread's CPU weight (nice 5 weighs 335, nice 0 1024): pushes come first,
# and hashes still get a fair part of a machine that other work keeps busy.
HASH_NICE = 5


def _lower_priority() -> None:
    """Make this hashing thread, and the argon2 lanes it starts (threads inherit it), yield the CPU
    to requests: on a busy 2-core server a hash then takes the cores the pushes leave idle."""
    if sys.platform.startswith("linux"):  # Linux's nice is per thread; elsewhere it would be the process's
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASH_NICE)
        except OSError:
            pass


# The hashes themselves run on these threads only: a thread once niced stays so (raising a priority
# again needs privileges), so they are kept apart from the threads that serve requests. HASH_SLOTS
# bounds how many hash at once; the pool starts no more threads than that many callers ask for.
_HASHING = ThreadPoolExecutor(MAX_HASH_SLOTS, thread_name_prefix="argon2", initializer=_lower_priority)


def _argon2(method: str, *args):
    return _HASHING.submit(lambda: getattr(_hasher, method)(*args)).result()


def _hash(password: str) -> str:
    with HASH_SLOTS.slot():
        return _argon2("hash", password)


def _check(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches (the caller holds a hash slot); with no hash (unknown user)
    hash anyway, so the answer takes as long and tells nothing about which names exist."""
    if password_hash is None:
        _argon2("hash", password)
        return False
    try:
        return _argon2("verify", password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def add_user(ctx: Context, username: str, password: str, role: str, office: str | None = None,
             display_name: str = "") -> PersonPublic:
    """Create a user; office roles need an office; the password must pass the policy."""
    username = accounts.check_username(username)
    accounts.check_password(password, username)
    try:
        role = person_role_of(role)  # D: never the server's own role
    except ValueError:
        raise UnknownRole(role=role) from None
    if office is not None and office not in catalog.OFFICE_CODES:
        raise UnknownOffice(office=office)
    if role in OFFICE_ROLES and office is None:
        raise InvalidRequest(problem=f"role {role} needs an office")
    display_name = check_text(display_name.strip(), "display_name")
    if len(display_name) > MAX_DISPLAY_NAME:
        raise InvalidRequest(problem=f"display_name is longer than {MAX_DISPLAY_NAME} characters")
    password_hash = _hash(password)  # before the write lock, not under it
    with write_session(ctx.engine) as session:
        if users.user_row(session, username) is not None:
            raise UserExists(username=username)
        return users.add_user(session, str(uuid6.uuid7()), username, password_hash, role, office,
                              display_name or username, ctx.now())


def delegate(ctx: Context, user_id: str, offices=(), sites=(), starts: datetime | None = None,
             ends: datetime | None = None) -> DelegationPublic:
    """Give a spot checker a scope to check."""
    with write_session(ctx.engine) as session:
        return delegations.add_delegation(session, str(uuid6.uuid7()), user_id, offices, sites, starts, ends,
                                          ctx.now())


def _wait(session: Session, key: str, address: str | None, now: datetime) -> int | None:
    """Seconds the throttles ask this try to wait (the longer of name and address), or None."""
    by_name = accounts.PER_USERNAME
    waits = [by_name.retry_after(logins.failures_by_name(session, key, now - by_name.window), now)]
    if address:
        by_address = accounts.PER_ADDRESS
        waits.append(by_address.retry_after(logins.failures_from(session, address, now - by_address.window), now))
    return max((w for w in waits if w is not None), default=None)


def _begin_attempt(ctx: Context, username: str, key: str, address: str | None,
                   now: datetime) -> tuple[str, User | None]:
    """Check the throttles again and record this attempt (a failure until it succeeds), in one short write.

    Recording before hashing keeps parallel guesses from all passing the check
    at once; refused tries are not recorded, so a lock lifts a window after the
    last counted failure whatever a flood keeps sending. The user's row comes
    back for its password hash."""
    attempt_id = str(uuid6.uuid7())

    def once() -> User | None:
        with _throttled(ctx, key, address) as session:
            logins.forget_before(session, now - max(accounts.PER_USERNAME.window, accounts.PER_ADDRESS.window))
            wait = _wait(session, key, address, now)
            if wait is not None:
                raise TooManyAttempts(retry_after=wait)
            logins.add_attempt(session, attempt_id, key, address, now)
            return users.user_row(session, username)

    return attempt_id, rerun_contended(once)


def _throttled(ctx: Context, key: str, address: str | None):
    """A write unit of a login try: beside pushes, after the tries of the same name or address
    (``store.logins.throttle_keys``). Under the global write lock taken exclusively, a rush of
    logins made every push queue behind each of its writes (pushes waited up to 0.56 s)."""
    return write_session(ctx.engine, concurrent=True, item_keys=logins.throttle_keys(key, address))


def login(ctx: Context, username: str, password: str, device_id: str | None = None,
          address: str | None = None) -> tuple[str, TokenPublic, PersonPublic]:
    """Check the password and hand out a new bearer token, with its facts and its owner.

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
        attempt_id, user = _begin_attempt(ctx, username, key, address, now)
        # The session is closed: the hash takes its time with no transaction open.
        known = user is not None and not user.disabled
        ok = _check(user.password_hash if known else None, password)
    if not ok:
        raise InvalidCredentials()
    new_hash = _hash(password) if _hasher.check_needs_rehash(user.password_hash) else None
    token = secrets.token_urlsafe(32)

    def once() -> TokenPublic:
        # A rerun (two first logins of one new device) finds the device the other recorded.
        with _throttled(ctx, key, address) as session:
            # The owner got in: earlier failures stop counting against the name. They still count
            # against their addresses, so a guesser's budget does not refill when the owner logs in.
            logins.succeeded(session, attempt_id, key)
            if new_hash is not None:
                users.set_password_hash(session, user.id, new_hash)
            issued = tokens.add_token(session, _digest(token), user.id, device_id, now,
                                      now + timedelta(days=ctx.settings.token_days))
            if device_id:
                tokens.device_seen(session, device_id, user.id, now)
            return issued

    return token, rerun_contended(once), PersonPublic.of(user)


def _verified(ctx: Context, digest: str, now: datetime) -> Verified:
    """Read the token and its account; raises when it is unknown, revoked, expired or the user disabled."""
    with read_session(ctx.engine) as session:
        held = tokens.token(session, digest)
        if held is None or held.revoked_at is not None:
            raise NotAuthenticated()
        if held.expires_at <= now:
            raise TokenExpired()
        user = users.person(session, held.user_id)
        if user is None or user.disabled:
            raise NotAuthenticated()
        return Verified(users.actor_of(session, user), user, held.expires_at, now)


def _renewal_due(ctx: Context, expires_at: datetime, now: datetime) -> bool:
    return expires_at - timedelta(days=ctx.settings.token_days) + RENEW_AFTER <= now


def authenticate_kept(ctx: Context, token: str | None) -> tuple[Actor, PersonPublic] | None:
    """``authenticate`` from memory alone (no IO: fit for the event loop), or ``None`` when it needs the
    database (not kept, its bound passed, or a renewal due). Raises when the kept token has expired."""
    if not token:
        return None
    now = ctx.now()
    found = token_cache.cache_of(ctx.engine).get(_digest(token), now)
    if found is None or _renewal_due(ctx, found.expires_at, now):
        return None
    if found.expires_at <= now:
        raise TokenExpired()
    return found.actor, found.user


def authenticate(ctx: Context, token: str | None) -> tuple[Actor, PersonPublic]:
    """The actor behind a bearer token; raises when it is missing, unknown, expired or revoked.

    A verified token is kept in memory for a few seconds (``services.token_cache``: what that bounds)."""
    if not token:
        raise NotAuthenticated()
    now = ctx.now()
    digest = _digest(token)
    cache = token_cache.cache_of(ctx.engine)
    found = cache.get(digest, now)
    if found is None:
        found = _verified(ctx, digest, now)
        if found.user.role != Role.SPOT_CHECKER:  # delegated scopes change elsewhere: read every time
            cache.put(digest, found)
    if found.expires_at <= now:
        raise TokenExpired()
    if _renewal_due(ctx, found.expires_at, now):
        expires_at = now + timedelta(days=ctx.settings.token_days)
        # One row's update: beside pushes (it is every client's, hourly), not alone.
        with write_session(ctx.engine, concurrent=True) as session:
            tokens.extend(session, digest, expires_at)
        if cache.get(digest, now) is not None:
            cache.put(digest, replace(found, expires_at=expires_at))
    return found.actor, found.user


def logout(ctx: Context, token: str) -> None:
    """Revoke one token (this server forgets it at once)."""
    with write_session(ctx.engine) as session:
        tokens.revoke(session, _digest(token), ctx.now())
    token_cache.cache_of(ctx.engine).forget(digest=_digest(token))


def disable_user(ctx: Context, user_id: str) -> None:
    """Disable a user and revoke every token they hold."""
    with write_session(ctx.engine) as session:
        if not users.disable(session, user_id):
            raise InvalidRequest(problem="no such user")
        tokens.revoke_all(session, user_id, ctx.now())
    token_cache.cache_of(ctx.engine).forget(user_id=user_id)
