"""Usernames, the password policy and the login throttle, as plain values."""

from datetime import datetime, timedelta, timezone

import pytest

from inspector.domain import accounts
from inspector.errors import (
    InvalidUsername,
    PasswordIsUsername,
    PasswordTooCommon,
    PasswordTooLong,
    PasswordTooShort,
)

T0 = datetime(2026, 7, 15, 1, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("typed", ["jianzhu", "JianZhu", "JIANZHU", "ｊｉａｎｚｈｕ", "ＪｉａｎＺｈｕ", "  jianzhu "])
def test_usernames_that_differ_in_case_or_width_share_one_key(typed):
    assert accounts.username_key(typed) == "jianzhu"


def test_the_key_folds_case_beyond_ascii_and_keeps_chinese():
    assert accounts.username_key("Straße") == accounts.username_key("STRASSE") == "strasse"
    assert accounts.username_key("张三") == "张三"
    # NFKC after folding: a compatibility character that folding exposes is normalised too.
    assert accounts.username_key("ﬁre") == accounts.username_key("FIRE") == "fire"


def test_a_username_is_stored_trimmed_and_in_nfkc():
    assert accounts.check_username(" ｘｕｎｃｈａ ") == "xuncha"
    assert accounts.check_username("李巡查") == "李巡查"


@pytest.mark.parametrize("bad", ["", "   ", "jian zhu", "jian\u200bzhu", "jian\tzhu", "a" * 81, "㌀" * 21])
def test_empty_long_or_spaced_usernames_are_refused(bad):
    with pytest.raises(InvalidUsername):
        accounts.check_username(bad)


@pytest.mark.parametrize("common", ["password123", "1234567890", "qwertyuiop", "Password123", "QWERTYUIOP"])
def test_common_passwords_are_refused_whatever_their_case(common):
    with pytest.raises(PasswordTooCommon):
        accounts.check_password(common, "li")


def test_the_bundled_list_holds_only_what_the_length_rule_lets_through():
    common = accounts.common_passwords()
    assert len(common) > 1000
    assert all(len(word) >= accounts.MIN_PASSWORD and word == word.lower() for word in common)


def test_short_long_and_username_passwords_are_refused():
    with pytest.raises(PasswordTooShort) as short:
        accounts.check_password("s3cret-pw", "li")
    assert short.value.details == {"min": 10}
    with pytest.raises(PasswordTooLong):
        accounts.check_password("x" * 201, "li")
    with pytest.raises(PasswordIsUsername):
        accounts.check_password("ＪｉａｎＺｈｕ2026", "jianzhu2026")
    with pytest.raises(PasswordIsUsername):
        accounts.check_password("6202uhznaij", "jianzhu2026")


@pytest.mark.parametrize("good", ["cw-demo-2026", "我们的城市更干净了一起来", "correct horse battery staple", "x" * 200])
def test_long_uncommon_passwords_pass_without_composition_rules(good):
    accounts.check_password(good, "jianzhu")


def test_the_throttle_allows_until_the_limit_then_says_when_the_oldest_failure_ages_out():
    throttle = accounts.Throttle(limit=3, window=timedelta(minutes=10))
    failures = [T0, T0 + timedelta(minutes=1), T0 + timedelta(minutes=2)]
    assert throttle.retry_after(failures[:2], T0 + timedelta(minutes=3)) is None
    assert throttle.retry_after(failures, T0 + timedelta(minutes=3)) == 7 * 60
    assert throttle.retry_after(failures, T0 + timedelta(minutes=9, seconds=59, microseconds=500)) == 1
    assert throttle.retry_after(failures, T0 + timedelta(minutes=10)) is None  # the first one left the window


def test_the_throttle_counts_only_the_window_and_in_any_order():
    throttle = accounts.Throttle(limit=2, window=timedelta(minutes=5))
    old = [T0 - timedelta(hours=h) for h in range(1, 50)]
    now = T0 + timedelta(minutes=1)
    assert throttle.retry_after(old + [T0], now) is None
    assert throttle.retry_after([T0 + timedelta(seconds=30), T0] + old, now) == 4 * 60
