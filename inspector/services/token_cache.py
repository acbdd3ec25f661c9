"""A short, bounded memory of verified bearer tokens, so a push does not read its token and account.

Checking a token reads two rows in a transaction of its own (about a quarter of a
single push's server time on PostgreSQL). A phone pushing every few seconds asks the
same question again and again, so the answer is kept, per database (engine), keyed by
the token's SHA-256, for at most ``TOKEN_CACHE_SECONDS`` on the context's clock after it
was read. What that bounds:

* Revoked here (logout, a user disabled through ``services.auth``): forgotten at once,
  the next request reads the database and is refused.
* Revoked through another server sharing the database: refused within
  ``TOKEN_CACHE_SECONDS``.
* Expiry is checked on every request against the kept ``expires_at``; a renewal writes
  and updates the kept value.
* A spot checker's actor carries delegated scopes another use case may change: it is not kept.

At most ``TOKEN_CACHE_SIZE`` tokens are kept (the oldest read are dropped first).
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from inspector.domain.permissions import Actor
from inspector.store.engine import PerEngine
from inspector.store.public import PersonPublic

TOKEN_CACHE_SECONDS = 5
TOKEN_CACHE_SIZE = 10_000


@dataclass(frozen=True)
class Verified:
    """What a token was found to stand for when it was read at ``read_at``."""

    actor: Actor
    user: PersonPublic
    expires_at: datetime
    read_at: datetime


class TokenCache:
    """Verified tokens by digest, each trusted for ``ttl`` after it was read."""

    def __init__(self, ttl: timedelta = timedelta(seconds=TOKEN_CACHE_SECONDS), size: int = TOKEN_CACHE_SIZE):
        self.ttl, self.size = ttl, size
        self._kept: OrderedDict[str, Verified] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, digest: str, now: datetime) -> Verified | None:
        """The kept answer for ``digest`` if it was read less than ``ttl`` before ``now`` (and not after it)."""
        with self._lock:
            found = self._kept.get(digest)
            if found is None:
                return None
            if not found.read_at <= now < found.read_at + self.ttl:
                del self._kept[digest]
                return None
            return found

    def put(self, digest: str, verified: Verified) -> None:
        """Keep ``verified`` for ``digest``, dropping the oldest when full."""
        with self._lock:
            self._kept.pop(digest, None)
            self._kept[digest] = verified
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)

    def forget(self, digest: str | None = None, user_id: str | None = None) -> None:
        """Drop the answer for ``digest``, and every answer about the account ``user_id``."""
        with self._lock:
            if digest is not None:
                self._kept.pop(digest, None)
            if user_id is not None:
                for key in [k for k, v in self._kept.items() if v.user.id == user_id]:
                    del self._kept[key]


_CACHES = PerEngine(TokenCache)


def cache_of(engine: Engine) -> TokenCache:
    """The token cache of the database behind ``engine`` (made on first use, gone with the engine)."""
    return _CACHES.of(engine)
