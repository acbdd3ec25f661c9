"""time_check: the camera's, the phone's and the server's clocks compared."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from inspector.domain.evidence import TimeCheck, time_check

SHANGHAI = ZoneInfo("Asia/Shanghai")
SERVER = datetime(2026, 7, 15, 1, 30, tzinfo=timezone.utc)  # 09:30 in Shanghai


def test_agreeing_clocks_are_not_flagged():
    check = time_check(
        datetime(2026, 7, 15, 9, 28),  # naive camera time, Shanghai wall clock
        SERVER - timedelta(minutes=1),
        SERVER,
        zone=SHANGHAI,
    )

    assert check == TimeCheck(disagreements=(), flagged=False)


def test_naive_exif_time_is_read_in_the_given_zone():
    exif = datetime(2026, 7, 15, 9, 30)

    in_shanghai = time_check(exif, None, SERVER, zone=SHANGHAI)
    in_utc = time_check(exif, None, SERVER, zone=timezone.utc)

    assert in_shanghai.flagged is False
    assert in_utc.disagreements == (("exif", "server", 480.0),)


def test_old_photo_is_flagged_against_both_other_clocks():
    check = time_check(datetime(2026, 7, 8, 9, 30), SERVER, SERVER, zone=SHANGHAI)

    assert check.flagged is True
    assert check.disagreements == (("exif", "device", 10080.0), ("exif", "server", 10080.0))


def test_limit_is_exclusive_and_configurable():
    device = SERVER + timedelta(minutes=10)

    assert time_check(None, device, SERVER, zone=SHANGHAI).flagged is False
    assert time_check(None, device + timedelta(seconds=6), SERVER, zone=SHANGHAI).disagreements == (
        ("device", "server", 10.1),
    )
    assert time_check(None, device, SERVER, zone=SHANGHAI, limit_minutes=5).flagged is True


def test_aware_exif_time_keeps_its_offset():
    exif = datetime(2026, 7, 15, 10, 30, tzinfo=timezone(timedelta(hours=9)))  # = 01:30 UTC

    assert time_check(exif, None, SERVER, zone=timezone.utc).flagged is False


def test_unknown_times_are_skipped():
    assert time_check(None, None, SERVER, zone=SHANGHAI) == TimeCheck((), False)
    assert time_check(None, None, None, zone=SHANGHAI) == TimeCheck((), False)


def test_naive_device_or_server_time_is_a_bug_not_a_guess():
    with pytest.raises(ValueError, match="device_time"):
        time_check(None, datetime(2026, 7, 15, 9, 30), SERVER, zone=SHANGHAI)
    with pytest.raises(ValueError, match="server_time"):
        time_check(None, SERVER, datetime(2026, 7, 15, 1, 30), zone=SHANGHAI)
