"""Logins under attack, over real HTTP: throttling, hashing outside transactions, the password and name rules."""

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from argon2 import PasswordHasher
from sqlalchemy import event

from inspector.domain import accounts
from inspector.errors import PasswordTooCommon, PasswordTooShort, UserExists
from inspector.i18n import error_message
from inspector.services import auth
from tests.conftest import until
from tests.factories import person

PASSWORD = "secret-pw-123"
NAME_LIMIT = accounts.PER_USERNAME.limit
ADDRESS_LIMIT = accounts.PER_ADDRESS.limit


def token(client: httpx.Client, username: str, password: str, lang: str = "zh-CN") -> httpx.Response:
    return client.post("/api/auth/token", json={"username": username, "password": password},
                       headers={"Accept-Language": lang})


def test_wrong_passwords_for_one_name_are_refused_with_429_and_the_lock_lifts_by_the_clock(ctx, clock, http):
    person(ctx, "jianzhu", "office_staff", "construction")
    person(ctx, "xuncha", "inspector")
    for _ in range(NAME_LIMIT):
        assert token(http, "jianzhu", "wrong-guess-1").status_code == 401
    # The limit reached: further tries, even with the right password, wait.
    for _ in range(30):
        locked = token(http, "JianZhu", PASSWORD)
        assert locked.status_code == 429
    body = locked.json()["error"]
    wait = int(locked.headers["Retry-After"])
    assert 0 < wait <= accounts.PER_USERNAME.window.total_seconds()
    assert body["code"] == "auth.too_many_attempts" and body["details"] == {"retry_after": wait}
    assert body["message"] == f"登录失败次数过多，请 {wait} 秒后再试"
    english = token(http, "jianzhu", PASSWORD, lang="en").json()["error"]["message"]
    assert english == f"Too many failed logins; try again in {wait} seconds"

    # Someone else, from the same address, is not held up.
    assert token(http, "xuncha", PASSWORD).status_code == 200

    # Refused tries were not counted: the lock lifts when Retry-After said, not later.
    clock.advance(seconds=wait - 1)
    assert token(http, "jianzhu", PASSWORD).status_code == 429
    clock.advance(seconds=1)
    assert token(http, "jianzhu", PASSWORD).status_code == 200
    # The owner got in, so the earlier failures no longer count against the name.
    assert token(http, "jianzhu", "wrong-guess-2").status_code == 401
    assert token(http, "jianzhu", PASSWORD).status_code == 200


def test_parallel_guesses_cannot_slip_past_the_limit(ctx, http):
    person(ctx, "dudao", "supervisor")
    with ThreadPoolExecutor(8) as pool:
        codes = sorted(pool.map(lambda _: token(http, "dudao", "wrong-guess-1").status_code, range(NAME_LIMIT * 2)))
    assert codes == [401] * NAME_LIMIT + [429] * NAME_LIMIT


def test_one_address_spraying_many_names_is_throttled_and_other_addresses_are_not(ctx, live, http):
    person(ctx, "renda", "spot_checker")
    # A second loopback address is another client, as far as the server can tell.
    transport = httpx.HTTPTransport(local_address="127.0.0.2")
    with httpx.Client(base_url=live.url, transport=transport, timeout=30) as sprayer:
        for n in range(ADDRESS_LIMIT):
            assert token(sprayer, f"guess{n}", "wrong-guess-1").status_code == 401
        refused = token(sprayer, "renda", PASSWORD)
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    # No name reached its own limit, so the real person from their own address gets in.
    assert token(http, "renda", PASSWORD).status_code == 200


def test_names_are_unique_and_match_after_case_and_width_folding(ctx, http):
    person(ctx, "jianzhu", "office_staff", "construction")
    for twin in ("JianZhu", "ｊｉａｎｚｈｕ", " JIANZHU "):
        with pytest.raises(UserExists):
            auth.add_user(ctx, twin, PASSWORD, "inspector")
    for typed in ("JianZhu", "ｊｉａｎｚｈｕ"):
        answer = token(http, typed, PASSWORD)
        assert answer.status_code == 200 and answer.json()["user"]["username"] == "jianzhu"


def test_new_passwords_follow_the_policy_with_words_in_both_languages(ctx):
    with pytest.raises(PasswordTooShort) as short:
        auth.add_user(ctx, "li", "s3cret-pw", "inspector")
    assert error_message(short.value, "zh-CN") == "密码至少需要 10 个字符"
    assert error_message(short.value, "en") == "The password needs at least 10 characters"
    for common in ("password123", "1234567890", "qwertyuiop"):
        with pytest.raises(PasswordTooCommon) as refused:
            auth.add_user(ctx, "li", common, "inspector")
    assert error_message(refused.value, "zh-CN") == "该密码过于常见，请换一个"
    assert error_message(refused.value, "en") == "This password is too common; choose another"


class OpenTransactions:
    """Counts the engine's open transactions (begin, then commit or rollback) across threads."""

    def __init__(self, engine):
        self.open = 0
        self._lock = threading.Lock()
        event.listen(engine, "begin", self._begin)
        event.listen(engine, "commit", self._end)
        event.listen(engine, "rollback", self._end)

    def _begin(self, _connection):
        with self._lock:
            self.open += 1

    def _end(self, _connection):
        with self._lock:
            self.open -= 1


class WatchedHasher(PasswordHasher):
    """The tests' cheap argon2id, noting how many transactions were open at each hash."""

    def __init__(self, transactions: OpenTransactions):
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.transactions, self.seen = transactions, []

    def hash(self, password, **kwargs):
        self.seen.append(("hash", self.transactions.open))
        return super().hash(password, **kwargs)

    def verify(self, hash, password):
        self.seen.append(("verify", self.transactions.open))
        return super().verify(hash, password)


def test_passwords_are_hashed_with_no_transaction_open(ctx, http, monkeypatch):
    transactions = OpenTransactions(ctx.engine)
    hasher = WatchedHasher(transactions)
    monkeypatch.setattr(auth, "_hasher", hasher)
    person(ctx, "xuncha", "inspector")
    assert token(http, "xuncha", "wrong-guess-1").status_code == 401
    assert token(http, "nobody", "wrong-guess-1").status_code == 401
    assert token(http, "xuncha", PASSWORD).status_code == 200
    kinds = [kind for kind, _ in hasher.seen]
    assert kinds == ["hash", "verify", "hash", "verify"]  # add, wrong password, unknown name, right one
    assert [open_ for _, open_ in hasher.seen] == [0, 0, 0, 0]


class BlockingHasher(PasswordHasher):
    """Holds every hash until released, counting how many are inside at once."""

    def __init__(self):
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.inside = self.most = 0
        self.release = threading.Event()
        self._lock = threading.Lock()

    def verify(self, hash, password):
        with self._lock:
            self.inside += 1
            self.most = max(self.most, self.inside)
        try:
            self.release.wait(timeout=30)
            return super().verify(hash, password)
        finally:
            with self._lock:
                self.inside -= 1


def test_at_most_the_slots_hash_at_once_and_the_rest_queue(ctx, monkeypatch):
    person(ctx, "xuncha", "inspector")
    slots = auth.HashSlots(2)
    blocking = BlockingHasher()
    monkeypatch.setattr(auth, "HASH_SLOTS", slots)
    monkeypatch.setattr(auth, "_hasher", blocking)
    with ThreadPoolExecutor(5) as pool:
        futures = [pool.submit(auth.login, ctx, "xuncha", PASSWORD) for _ in range(5)]
        # Two hash, three wait at the gate: only then may the hashes finish.
        assert until(lambda: (slots.busy, slots.waiting, blocking.inside) == (2, 3, 2))
        blocking.release.set()
        results = [future.result(timeout=30) for future in futures]
    assert len({value for value, _row, _user in results}) == 5 and blocking.most == 2
    assert (slots.busy, slots.waiting) == (0, 0)
