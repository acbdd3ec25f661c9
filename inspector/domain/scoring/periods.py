"""The spans a scoreboard covers: runs of local days, held as UTC instants."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Period:
    """A span of local days, held as UTC instants: ``start`` inclusive, ``end`` exclusive."""

    first_day: date
    last_day: date
    start: datetime
    end: datetime

    @property
    def label(self) -> str:
        """``'YYYY-MM'`` for a whole calendar month, else ``'first..last'``."""
        if self.first_day.day == 1 and self.last_day == _month_end(self.first_day):
            return f"{self.first_day:%Y-%m}"
        return f"{self.first_day.isoformat()}..{self.last_day.isoformat()}"

    def holds(self, when: datetime | None) -> bool:
        """Does the instant ``when`` fall in the period?"""
        return when is not None and self.start <= when < self.end


def _month_end(day: date) -> date:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - timedelta(days=1)


def days_period(first_day: date, last_day: date, zone: ZoneInfo) -> Period:
    """The local days ``first_day``..``last_day`` (both included)."""
    if last_day < first_day:
        raise ValueError("the period ends before it starts")
    # Held in UTC like the stored times: comparing datetimes of one tzinfo skips the offset arithmetic.
    start = datetime.combine(first_day, time(), zone).astimezone(timezone.utc)
    end = datetime.combine(last_day + timedelta(days=1), time(), zone).astimezone(timezone.utc)
    return Period(first_day, last_day, start, end)


def month_period(month: str, zone: ZoneInfo) -> Period:
    """The local calendar month ``'YYYY-MM'``; ``ValueError`` for anything else."""
    text = month.strip()
    if len(text) != 7 or text[4] != "-":
        raise ValueError(f"month {month!r} is not YYYY-MM")
    first = date(int(text[:4]), int(text[5:]), 1)
    return days_period(first, _month_end(first), zone)


DEFAULT_LAST_MONTH_DAYS = 5


def opening_month(now: datetime, zone: ZoneInfo, last_month_days: int = DEFAULT_LAST_MONTH_DAYS) -> str:
    """The month a scoreboard opens on, ``'YYYY-MM'``: the one just ended in the local month's first
    ``last_month_days`` days (its figures are what the offices argue over then), else this one."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    today = now.astimezone(zone).date()
    if today.day <= last_month_days:
        today = today.replace(day=1) - timedelta(days=1)
    return f"{today:%Y-%m}"


def as_of(period: Period, now: datetime) -> datetime:
    """When overdue is judged: now while the period runs, its end once it is over."""
    return min(now.astimezone(timezone.utc), period.end)
