"""Can a photo's position be trusted: its accuracy and coordinates repeated on other days (issue 12)."""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from inspector.domain.evidence import (
    POOR_ACCURACY,
    REPEATED_SPOT,
    ZERO_ACCURACY,
    accuracy_flags,
    location_flags,
    repeated_days,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
AT = datetime(2026, 7, 15, 1, 30, tzinfo=timezone.utc)  # 15 July, 09:30 in Shanghai
LAT, LON = 31.230416, 121.473701


@pytest.mark.parametrize(("accuracy", "limit", "flags"), [
    (None, 50, ()),
    (0, 50, (ZERO_ACCURACY,)),
    (0.0, 50, (ZERO_ACCURACY,)),
    (0.1, 50, ()),
    (50, 50, ()),  # at the limit is still good enough
    (50.1, 50, (POOR_ACCURACY,)),
    (30, 20, (POOR_ACCURACY,)),  # the limit is the caller's (a setting)
])
def test_accuracy_is_flagged_when_worse_than_the_limit_or_exactly_zero(accuracy, limit, flags):
    assert accuracy_flags(accuracy, limit) == flags


def test_the_same_coordinates_on_other_local_days_are_found():
    others = [
        (LAT, LON, datetime(2026, 7, 10, 2, 0, tzinfo=timezone.utc)),
        (LAT, LON, datetime(2026, 7, 10, 5, 0, tzinfo=timezone.utc)),  # same day twice: one day
        (LAT, LON, datetime(2026, 7, 12, 3, 0, tzinfo=timezone.utc)),
        (LAT, LON + 0.000001, datetime(2026, 7, 13, 3, 0, tzinfo=timezone.utc)),  # a real fix wanders
    ]

    assert repeated_days(LAT, LON, AT, others, zone=SHANGHAI) == (date(2026, 7, 10), date(2026, 7, 12))


def test_the_same_local_day_is_not_a_repeat_even_when_the_utc_date_differs():
    # 14 July 16:30 UTC is 15 July 00:30 in Shanghai: the same local day as AT
    same_day = [(LAT, LON, datetime(2026, 7, 14, 16, 30, tzinfo=timezone.utc))]
    # 15 July 17:00 UTC is 16 July 01:00 in Shanghai: another local day
    next_day = [(LAT, LON, datetime(2026, 7, 15, 17, 0, tzinfo=timezone.utc))]

    assert repeated_days(LAT, LON, AT, same_day, zone=SHANGHAI) == ()
    assert repeated_days(LAT, LON, AT, next_day, zone=SHANGHAI) == (date(2026, 7, 16),)


def test_naive_times_are_refused():
    with pytest.raises(ValueError):
        repeated_days(LAT, LON, AT.replace(tzinfo=None), [], zone=SHANGHAI)
    with pytest.raises(ValueError):
        repeated_days(LAT, LON, AT, [(LAT, LON, datetime(2026, 7, 1))], zone=SHANGHAI)


def test_location_flags_put_the_doubts_together():
    assert location_flags(0, (date(2026, 7, 10),)) == (ZERO_ACCURACY, REPEATED_SPOT)
    assert location_flags(80, ()) == (POOR_ACCURACY,)
    assert location_flags(80, (), limit_m=100) == ()
    assert location_flags(None, ()) == ()
