"""Bearer tokens and the devices they were handed to: every SQL statement on ``tokens`` and ``devices``.

Only a token's SHA-256 is stored; the functions here take that digest. They
hand out ``TokenPublic`` values, never a ``Token`` row.
"""

from datetime import datetime

from sqlmodel import Session, select, update

from inspector.store.lookup import public_by_key
from inspector.store.models import Device, Token
from inspector.store.public import Public


class TokenPublic(Public):
    """A login's token without its digest: whose it is, from which device, until when."""

    user_id: str
    device_id: str | None = None
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None


def add_token(session: Session, digest: str, user_id: str, device_id: str | None, created_at: datetime,
              expires_at: datetime) -> TokenPublic:
    """Record a new token by its digest."""
    row = Token(token_hash=digest, user_id=user_id, device_id=device_id, created_at=created_at,
                expires_at=expires_at)
    session.add(row)
    return TokenPublic.of(row)


def token(session: Session, digest: str) -> TokenPublic | None:
    """The token with this digest, revoked or not; ``None`` when there is none."""
    return public_by_key(session, Token, digest, TokenPublic)


def extend(session: Session, digest: str, expires_at: datetime) -> None:
    """Move the token's expiry to ``expires_at`` (a renewal on use)."""
    session.exec(update(Token).where(Token.token_hash == digest).values(expires_at=expires_at))


def revoke(session: Session, digest: str, at: datetime) -> None:
    """Revoke the token with this digest, if it is live."""
    session.exec(update(Token).where(Token.token_hash == digest, Token.revoked_at.is_(None)).values(revoked_at=at))


def revoke_all(session: Session, user_id: str, at: datetime) -> None:
    """Revoke every live token ``user_id`` holds."""
    session.exec(update(Token).where(Token.user_id == user_id, Token.revoked_at.is_(None)).values(revoked_at=at))


def device_seen(session: Session, device_id: str, user_id: str, at: datetime) -> None:
    """Note that ``device_id`` was used by ``user_id`` at ``at`` (first seen then, if new)."""
    device = session.get(Device, device_id)
    if device is None:
        session.add(Device(id=device_id, user_id=user_id, first_seen_at=at, last_seen_at=at))
    else:
        device.last_seen_at = at
        device.user_id = user_id
        session.add(device)
