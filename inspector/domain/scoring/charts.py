"""The scoreboard's charts: items by office and status, and the weekly trend of reports and closures."""

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterable, Sequence
from zoneinfo import ZoneInfo

from inspector.domain.items import STATUSES, Status
from inspector.domain.scoring.facts import CLOSED_STATUSES, Scored
from inspector.domain.scoring.measures import Count, listed
from inspector.domain.scoring.periods import Period


@dataclass(frozen=True)
class WeekPoint:
    week: str  # ISO week, "2026-W28"
    monday: date  # may fall before the period: edge weeks are partial
    reported: Count
    closed: Count


def status_by_office(items: Iterable[Scored], period: Period, offices: Sequence[str]) -> dict[str, dict[str, Count]]:
    """Items reported in the period, by their office and present status (every cell, zeros too); duplicates
    (merged) are not counted: the items they duplicate are."""
    cells: dict[str, dict[str, list[str]]] = {o: {s: [] for s in STATUSES if s != Status.MERGED} for o in offices}
    for item in items:
        if period.holds(item.reported_at) and item.office in cells and item.status != Status.MERGED:
            cells[item.office].setdefault(item.status, []).append(item.id)
    return {o: {s: listed(ids) for s, ids in row.items()} for o, row in cells.items()}


def _week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def weekly_trend(items: Iterable[Scored], period: Period, zone: ZoneInfo) -> list[WeekPoint]:
    """Per ISO week of the period's local days: items reported, and items closed (verified).

    Weeks are cut at local Monday midnights, held as UTC instants, so that an
    item finds its week by bisection rather than by a time-zone conversion.
    """
    mondays: list[date] = []
    day = period.first_day
    while day <= period.last_day:
        monday = day - timedelta(days=day.weekday())
        if not mondays or mondays[-1] != monday:
            mondays.append(monday)
        day += timedelta(days=1)
    # cut[k] is where week k starts (the period's start for the first, partial, week)
    cuts = [period.start] + [datetime.combine(m, time(), zone).astimezone(timezone.utc) for m in mondays[1:]]
    reported: list[list[str]] = [[] for _ in mondays]
    closed: list[list[str]] = [[] for _ in mondays]
    start, end = period.start, period.end
    for item in items:
        when = item.reported_at
        if start <= when < end and item.status != Status.MERGED:  # a duplicate is no new problem
            reported[bisect_right(cuts, when) - 1].append(item.id)
        when = item.verified_at
        if when is not None and start <= when < end and item.status in CLOSED_STATUSES:
            closed[bisect_right(cuts, when) - 1].append(item.id)
    return [WeekPoint(_week(m), m, listed(reported[k]), listed(closed[k])) for k, m in enumerate(mondays)]
