"""Logins racing each other with many hash slots: the throttles still count every try once.

A login's writes run beside pushes and order themselves by the locks of their name and their
address (``store.logins.throttle_keys``); these tests let eight tries run at once, so on
PostgreSQL two tries of one name or one address really do meet in the database."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from argon2 import PasswordHasher

from inspector.domain import accounts
from inspector.errors import InvalidCredentials, TooManyAttempts
from inspector.services import auth
from inspector.store import logins
from tests.factories import person

PASSWORD = "secret-pw-123"
RACERS = 8


@pytest.fixture
def wide_slots(monkeypatch):
    """Eight hashes at once, whatever this machine's cores would allow, each a cheap one: what
    races here is the database's part of a try, not argon2's."""
    monkeypatch.setattr(auth, "HASH_SLOTS", auth.HashSlots(RACERS))
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def race(tries: list[tuple]) -> list[str]:
    """Run every ``auth.login`` argument tuple of ``tries``, the first ``RACERS`` of them at the
    same moment and the rest as threads free up; what each ended in, sorted."""
    start = threading.Barrier(min(RACERS, len(tries)))

    def one(numbered: tuple[int, tuple]) -> str:
        number, args = numbered
        if number < RACERS:
            start.wait(timeout=30)
        try:
            auth.login(*args)
            return "ok"
        except InvalidCredentials:
            return "wrong"
        except TooManyAttempts:
            return "throttled"

    with ThreadPoolExecutor(RACERS) as pool:
        return sorted(pool.map(one, enumerate(tries)))


def test_racing_guesses_at_one_name_get_exactly_the_names_limit(ctx, wide_slots):
    # A name no one has counts as any other (the answer must not tell which names exist).
    limit = accounts.PER_USERNAME.limit
    # Each guess from its own address, so only the name's count can stop them.
    outcome = race([(ctx, "dudao", "wrong-guess-1", None, f"10.0.0.{n}") for n in range(limit * 3)])
    assert outcome == ["throttled"] * (limit * 2) + ["wrong"] * limit


def test_racing_guesses_from_one_address_get_exactly_the_addresses_limit(ctx, wide_slots):
    limit = accounts.PER_ADDRESS.limit
    outcome = race([(ctx, f"guess{n}", "wrong-guess-1", None, "10.9.9.9") for n in range(limit + RACERS)])
    assert outcome == ["throttled"] * RACERS + ["wrong"] * limit


def test_first_logins_of_one_new_device_at_once_all_get_a_token(ctx, wide_slots):
    person(ctx, "xuncha", "inspector")
    # The device is new to every one of them: one records it, the others rerun and find it.
    outcome = race([(ctx, "xuncha", PASSWORD, "phone-1", f"10.0.1.{n}") for n in range(RACERS)])
    assert outcome == ["ok"] * RACERS


def test_the_lock_keys_of_a_try_are_its_name_and_its_address_in_ascending_order():
    both = logins.throttle_keys("dudao", "10.0.0.1")
    assert both == sorted(both) and len(both) == 2
    assert logins.throttle_keys("dudao", None) == [k for k in both if k in logins.throttle_keys("dudao", "10.0.0.2")]
    assert logins.throttle_keys("renda", "10.0.0.1") != both
    assert all(-2**63 <= k < 2**63 for k in both)
