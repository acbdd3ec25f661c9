"""The month a scoreboard opens on: the month just ended in a month's first days (issue 12)."""

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from inspector.domain.scoring import opening_month


@pytest.mark.parametrize(("local", "opens"), [
    (datetime(2027, 1, 1, 0, 30), "2026-12"),  # the 1st, across a year end
    (datetime(2027, 1, 5, 23, 59), "2026-12"),  # the 5th, to its last minute
    (datetime(2027, 1, 6, 0, 0), "2027-01"),  # the 6th: this month
    (datetime(2026, 12, 31, 23, 30), "2026-12"),
    (datetime(2026, 3, 1, 8, 0), "2026-02"),
])
def test_the_first_days_of_a_month_open_on_the_month_just_ended(local, opens):
    zone = ZoneInfo("Asia/Shanghai")
    # given in UTC: just after local midnight on the 6th the UTC date is still the 5th
    now = local.replace(tzinfo=zone).astimezone(timezone.utc)

    assert opening_month(now, zone) == opens


def test_how_many_first_days_open_on_last_month_is_the_callers():
    zone = ZoneInfo("Asia/Shanghai")
    now = datetime(2026, 8, 3, 9, 0, tzinfo=zone)

    assert opening_month(now, zone, last_month_days=0) == "2026-08"
    assert opening_month(now, zone, last_month_days=2) == "2026-08"
    assert opening_month(now, zone, last_month_days=3) == "2026-07"
    with pytest.raises(ValueError):
        opening_month(now.replace(tzinfo=None), zone)
