"""Visit schedules: when a site is due for a visit, and the month's coverage.

The campaign says how often each site type is visited per check type, in days
(``campaign.visit_every``: construction sites self-checked every 7 days,
supervisor-checked every 14...). Two rules follow, both on local days:

- **Due and overdue.** A site is next due ``every`` days after the local day of
  its last visit of that check type (so a visit on 28 July with a weekly check
  is due again on 4 August, across the month's end); a site never visited is
  due ``every`` days after the schedule's start (the caller passes it: the
  campaign's first day, since sites carry no registration day). It is overdue
  the day after.
- **Coverage in a month.** The month is cut into windows of ``every`` days
  from its first day, the last one maybe shorter (a weekly check in July:
  1-7, 8-14, 15-21, 22-28, 29-31: five visits due). A window is covered when
  the site had a visit of that check type in it. Coverage is windows covered
  over windows due, summed over an office's sites: the scoreboard's formula.

An empty ``visit_every`` means the shipped defaults (``DEFAULT_VISIT_EVERY``,
read through ``visit_every_of``); a campaign that sets it replaces them whole.

Pure: days and visit days come in, nothing is read.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable, Mapping

MAX_EVERY_DAYS = 366

# The shipped frequencies, in days (site type -> check type -> days), as the local bulletins apply the
# standard: sites that change fast (construction, green belts) weekly and fortnightly, compounds monthly.
DEFAULT_VISIT_EVERY: Mapping[str, Mapping[str, int]] = {
    "construction_site": {"self": 7, "supervisor": 14},
    "green_belt": {"self": 7, "supervisor": 14},
    "community": {"self": 7, "supervisor": 30},
    "office_area": {"self": 14, "supervisor": 30},
}


@dataclass(frozen=True)
class Due:
    """When a site is next due for a check type, and how it stands on ``today``."""

    site_id: str
    check_type: str
    every_days: int
    last_visit: date | None
    due: date

    def overdue_on(self, today: date) -> bool:
        return today > self.due

    def days_overdue(self, today: date) -> int:
        return max(0, (today - self.due).days)


@dataclass(frozen=True)
class Coverage:
    """A site's windows in a month for one check type: how many were due, how many had a visit."""

    site_id: str
    check_type: str
    due: int
    covered: int


def visit_every_of(campaign_value: Mapping | None) -> dict[str, dict[str, int]]:
    """The frequencies in force: the campaign's ``visit_every``, or the defaults when it sets none."""
    chosen = campaign_value if isinstance(campaign_value, Mapping) and campaign_value else DEFAULT_VISIT_EVERY
    return {site_type: dict(per_check) for site_type, per_check in chosen.items() if isinstance(per_check, Mapping)}


def frequencies(visit_every: Mapping, site_type: str) -> dict[str, int]:
    """The check types a site type is scheduled for, with their days; entries that are not whole days
    between 1 and ``MAX_EVERY_DAYS`` are none (a campaign edit checks them: ``checked_frequencies``)."""
    wanted = visit_every.get(site_type) if isinstance(visit_every, Mapping) else None
    if not isinstance(wanted, Mapping):
        return {}
    return {check_type: days for check_type, days in wanted.items()
            if isinstance(days, int) and not isinstance(days, bool) and 1 <= days <= MAX_EVERY_DAYS}


def next_due(site_id: str, check_type: str, every_days: int, last_visit: date | None, start: date) -> Due:
    """When ``site_id`` is next due for ``check_type``: ``every_days`` after its last visit, or after
    ``start`` when it has none."""
    return Due(site_id, check_type, every_days, last_visit, (last_visit or start) + timedelta(days=every_days))


def windows(first: date, last: date, every_days: int) -> list[tuple[date, date]]:
    """The windows of ``every_days`` local days from ``first`` up to ``last`` (both included), the last
    one cut at ``last``."""
    if every_days < 1:
        raise ValueError("every_days must be at least 1")
    spans, start = [], first
    while start <= last:
        end = min(last, start + timedelta(days=every_days - 1))
        spans.append((start, end))
        start = end + timedelta(days=1)
    return spans


def coverage(site_id: str, check_type: str, every_days: int, first: date, last: date,
             visit_days: Iterable[date]) -> Coverage:
    """The coverage of one site and check type over ``first``..``last`` (a month, or the part of it
    the schedule was in force): windows due, and those that hold one of ``visit_days``."""
    days = sorted(set(visit_days))
    spans = windows(first, last, every_days)
    covered = sum(1 for start, end in spans if any(start <= day <= end for day in days))
    return Coverage(site_id, check_type, len(spans), covered)


def checked_frequencies(raw: object, site_types: Iterable[str], check_types: Iterable[str]) -> dict[str, dict[str, int]]:
    """A campaign's ``visit_every`` as an admin sends it, checked; ``ValueError`` names the first problem."""
    if not isinstance(raw, Mapping):
        raise ValueError("visit_every must map site types to check types and days")
    known_types, known_checks = set(site_types), set(check_types)
    checked: dict[str, dict[str, int]] = {}
    for site_type, per_check in raw.items():
        if site_type not in known_types:
            raise ValueError(f"{site_type!r} is not a site type")
        if not isinstance(per_check, Mapping):
            raise ValueError(f"{site_type}: give check types and days")
        for check_type, days in per_check.items():
            if check_type not in known_checks:
                raise ValueError(f"{site_type}: {check_type!r} is not a check type")
            if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_EVERY_DAYS:
                raise ValueError(f"{site_type}/{check_type}: days must be a whole number from 1 to {MAX_EVERY_DAYS}")
            checked.setdefault(site_type, {})[check_type] = days
    return checked
