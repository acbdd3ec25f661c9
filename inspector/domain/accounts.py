"""Rules for accounts: what a username is, which passwords are refused, when logins are throttled.

Usernames compare by a key, NFKC then case folding (Unicode's NFKC_Casefold
in spirit), so ``JianZhu`` and the full-width ``ｊｉａｎｚｈｕ`` are the same person
as ``jianzhu``. New passwords follow NIST SP 800-63B (5.1.1.2): a minimum
length, no composition rules, and refusal of the username and of commonly used
passwords. Throttling is a sliding window over recorded failures; the caller
passes the failure times and the current time, so nothing here reads a clock.
"""

import math
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from importlib.resources import files
from typing import Collection, Iterable

from inspector.errors import (
    InvalidUsername,
    PasswordIsUsername,
    PasswordTooCommon,
    PasswordTooLong,
    PasswordTooShort,
)

MIN_PASSWORD = 10
# Long enough for any passphrase (NIST asks for at least 64); the login request takes up to 200.
MAX_PASSWORD = 200
MAX_USERNAME = 80  # the users.username and users.username_key columns


def username_key(username: str) -> str:
    """The form usernames are compared and kept unique by: trimmed, NFKC, case-folded, NFKC again.

    Case folding can undo NFKC (and NFKC can expand), hence the second pass."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", username.strip()).casefold())


def check_username(username: str) -> str:
    """The username as it will be stored (trimmed, NFKC); raises when it is empty, too long or has spaces."""
    name = unicodedata.normalize("NFKC", username.strip())
    if not name or len(name) > MAX_USERNAME or len(username_key(name)) > MAX_USERNAME:
        raise InvalidUsername(max=MAX_USERNAME)
    # Spaces, control and format characters (zero-width joiners, bidi marks) make
    # names that look alike but differ; a login name has none of them.
    if any(unicodedata.category(c)[0] in "CZ" for c in name):
        raise InvalidUsername(max=MAX_USERNAME)
    return name


@cache
def common_passwords() -> frozenset[str]:
    """The bundled list of common passwords (see the head of common_passwords.txt for its source)."""
    text = files("inspector.domain").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def check_password(password: str, username: str, common: Collection[str] | None = None) -> None:
    """Raise the typed error for the first rule a new password breaks.

    Length counts characters, not bytes, so a Chinese passphrase is measured as
    it is read. ``common`` defaults to the bundled list (lower case)."""
    if len(password) < MIN_PASSWORD:
        raise PasswordTooShort(min=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        raise PasswordTooLong(max=MAX_PASSWORD)
    key = username_key(password)
    if key == username_key(username) or key == username_key(username)[::-1]:
        raise PasswordIsUsername()
    if key in (common_passwords() if common is None else common):
        raise PasswordTooCommon()


@dataclass(frozen=True)
class Throttle:
    """At most ``limit`` failed logins in any ``window``; past that, wait until the oldest one ages out."""

    limit: int
    window: timedelta

    def retry_after(self, failures: Iterable[datetime], now: datetime) -> int | None:
        """Seconds to wait before the next try, or None when a try is allowed now.

        Only failures inside the window count, so a lock lifts by itself once the
        window has passed the failures: the real owner of a name is never locked
        out for longer than ``window`` after the last counted failure."""
        recent = sorted(at for at in failures if at > now - self.window)
        if len(recent) < self.limit:
            return None
        # The try is allowed once enough of the oldest failures leave the window.
        frees_at = recent[len(recent) - self.limit] + self.window
        return max(1, math.ceil((frees_at - now).total_seconds()))


# Per normalised username: a guesser gets 10 tries per quarter hour at one name.
PER_USERNAME = Throttle(limit=10, window=timedelta(minutes=15))
# Per client address, higher: an office behind one NAT has many people mistyping.
PER_ADDRESS = Throttle(limit=50, window=timedelta(minutes=15))
