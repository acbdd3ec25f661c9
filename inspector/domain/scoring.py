"""The monthly exam (月考): per-office measures and a score, from the items' projected facts.

Pure: the items, the period, ``now`` and the campaign's zone are passed in.
Every number comes with the ids of the items behind it, so the Scores screen
can open the items behind any figure.

Which items count, and how (say it here, show it in the product):

- **Cohort.** An office's items *of a period* are those whose latest
  assignment (``assigned_at``) falls in the period, dismissed items excepted
  (dismissal says the report was not a task for the office). A rebound
  re-assigns an item (new leader, new deadline), so a rebounded item moves to
  the period in which the rebound was found and counts as rebounded there:
  the penalty lands when the rebound is found.
- **Closed** means verified or closed (look-back passed).
- **On time** means closed, fixed (``fix_submitted_at``) no later than the
  deadline, and *never extended*. Extensions keep the item in the
  denominator and an extended item is never on time: otherwise granting
  extensions would be a way to make any office punctual. (The items row keeps
  only the deadline in force; counting extended items as late needs no other
  history and cannot be gamed.)
- **Rework rate** = rejected fixes / fixes submitted. Fixes submitted per item
  = rejections + rebounds (each rebound undid a verified fix) + 1 when a fix
  now stands (status fix_submitted, verified or closed).
- **Rebound rate** = items rebounded / items ever verified.
- **Overdue** is a stock, not a flow: the items (of any period) still with the
  office past their deadline at ``as_of`` = ``now`` for the current period,
  the period's end for a past one. Past periods are judged from the items'
  present facts: a fix made before the period ended counts as settling the
  item, unless the item is back with the office now (rejected later), which
  is then counted as overdue.
- **Average days to fix**: from assignment to the accepted fix, over closed items.
- **Spot-check agreement** = agree / (agree + disagree) over the cohort's
  spot checks; ``None`` when there were none.

Flows (everything but overdue) are counted as the items stand *now*, so a past
month's figures can still move: an item verified late, or a rebound that moves
an item to a later month. Freeze a month by storing its scoreboard.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterable, Mapping, NamedTuple, Protocol, Sequence
from zoneinfo import ZoneInfo

from inspector.domain import catalog
from inspector.domain.items import AT_OFFICE, CLOSED, DISMISSED, FIX_SUBMITTED, REPORTED, STATUSES, VERIFIED

CLOSED_STATUSES = frozenset({VERIFIED, CLOSED})
FIX_STANDS = frozenset({FIX_SUBMITTED, VERIFIED, CLOSED})
# Measures a formula may weigh; True marks those where less is better (the formula uses 1 - rate).
SCORED_MEASURES: dict[str, bool] = {
    "on_time_rate": False,
    "rework_rate": True,
    "rebound_rate": True,
    "spot_agreement": False,
}
ALL = ""  # the office code of the all-offices row


class Scored(Protocol):
    """The facts scoring reads: an ``ItemState`` has them, and so has ``Facts`` (a narrow row of ``items``)."""

    @property
    def id(self) -> str: ...
    @property
    def office(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def reported_at(self) -> datetime: ...
    @property
    def assigned_at(self) -> datetime | None: ...
    @property
    def deadline(self) -> datetime | None: ...
    @property
    def fix_submitted_at(self) -> datetime | None: ...
    @property
    def verified_at(self) -> datetime | None: ...
    @property
    def closed_at(self) -> datetime | None: ...
    @property
    def extensions_granted(self) -> int: ...
    @property
    def rework_count(self) -> int: ...
    @property
    def rebound_count(self) -> int: ...
    @property
    def spot_agree(self) -> int: ...
    @property
    def spot_disagree(self) -> int: ...


class Facts(NamedTuple):
    """The facts scoring reads as a plain tuple: what a narrow query of ``items`` gives, cheaply."""

    id: str
    office: str
    status: str
    reported_at: datetime
    assigned_at: datetime | None
    deadline: datetime | None
    fix_submitted_at: datetime | None
    verified_at: datetime | None
    closed_at: datetime | None
    extensions_granted: int
    rework_count: int
    rebound_count: int
    spot_agree: int
    spot_disagree: int


# --- periods ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Period:
    """A span of local days, held as UTC instants: ``start`` inclusive, ``end`` exclusive."""

    first_day: date
    last_day: date
    start: datetime
    end: datetime

    @property
    def label(self) -> str:
        if self.first_day.day == 1 and self.last_day == _month_end(self.first_day):
            return f"{self.first_day:%Y-%m}"
        return f"{self.first_day.isoformat()}..{self.last_day.isoformat()}"

    def holds(self, when: datetime | None) -> bool:
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


# --- measures -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Count:
    """A number and the items behind it (``value`` may exceed ``len(ids)`` when items count more than once)."""

    value: int = 0
    ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rate:
    numerator: Count = Count()
    denominator: Count = Count()

    @property
    def value(self) -> float | None:
        if self.denominator.value == 0:
            return None
        return self.numerator.value / self.denominator.value


@dataclass(frozen=True)
class Average:
    value: float | None = None
    ids: tuple[str, ...] = ()
    total: float = 0.0  # the sum averaged, so that averages of offices add up


def _count(pairs: Iterable[tuple[str, int]]) -> Count:
    ids, total = [], 0
    for item_id, n in pairs:
        if n:
            ids.append(item_id)
            total += n
    return Count(total, tuple(sorted(ids)))


# --- the formula ----------------------------------------------------------------------------
@dataclass(frozen=True)
class ScoreFormula:
    """``base × Σ weight × term`` with term = rate, or 1 − rate where less is better.

    A measure without data this period (no items, no fixes, nothing verified,
    no spot checks) has no value; its weight is shared among the measures that
    have one, in proportion to their weights, so the weights in force still sum
    to the configured total. With no measure at all there is no score.
    """

    weights: tuple[tuple[str, float], ...] = (
        ("on_time_rate", 0.4),
        ("rework_rate", 0.2),
        ("rebound_rate", 0.2),
        ("spot_agreement", 0.2),
    )
    base: float = 100.0

    def __post_init__(self):
        if not self.weights:
            raise ValueError("a formula needs at least one measure")
        for name, weight in self.weights:
            if name not in SCORED_MEASURES:
                raise ValueError(f"unknown measure {name!r}; known: {', '.join(SCORED_MEASURES)}")
            if weight < 0:
                raise ValueError(f"weight of {name} is negative")
        if sum(w for _, w in self.weights) <= 0:
            raise ValueError("the weights add up to nothing")

    @classmethod
    def parse(cls, text: str, base: float = 100.0) -> "ScoreFormula":
        """From ``"on_time_rate=0.4, rework_rate=0.2, ..."``; empty text gives the default."""
        if not text or not text.strip():
            return cls(base=base)
        weights = []
        for part in text.split(","):
            name, sep, value = part.partition("=")
            if not sep:
                raise ValueError(f"{part.strip()!r} is not measure=weight")
            weights.append((name.strip(), float(value)))
        return cls(weights=tuple(weights), base=base)

    def weights_in_force(self, values: Mapping[str, float | None]) -> tuple[tuple[str, float], ...]:
        """The weights after sharing out those of measures without a value."""
        total = sum(w for _, w in self.weights)
        have = [(name, w) for name, w in self.weights if values.get(name) is not None]
        share = sum(w for _, w in have)
        if share <= 0:
            return ()
        return tuple((name, w * total / share) for name, w in have)

    def score(self, values: Mapping[str, float | None]) -> float | None:
        weights = self.weights_in_force(values)
        if not weights:
            return None
        total = sum(w for _, w in self.weights)
        points = 0.0
        for name, weight in weights:
            value = values[name]
            points += weight * ((1 - value) if SCORED_MEASURES[name] else value)
        return self.base * points / total

    def text(self, labels: Mapping[str, str], weights: Sequence[tuple[str, float]] | None = None) -> str:
        """E.g. ``100 × (0.4 × 按期办结率 + 0.2 × (1 − 返工率) + ...)`` with the given measure names."""
        terms = []
        for name, weight in self.weights if weights is None else weights:
            label = labels.get(name, name)
            term = f"(1 − {label})" if SCORED_MEASURES[name] else label
            terms.append(f"{_number(weight)} × {term}")
        return f"{_number(self.base)} × ({' + '.join(terms)})" if terms else "—"


def _number(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text or "0"


# --- one office -------------------------------------------------------------------------------
@dataclass(frozen=True)
class OfficeScore:
    office: str  # catalogue code; ALL ("") for the all-offices row
    assigned: Count
    closed: Count
    closed_on_time: Count
    extended: Count
    on_time_rate: Rate
    rework_rate: Rate
    rebound_rate: Rate
    overdue: Count
    avg_days_to_fix: Average
    spot_agreement: Rate
    score: float | None
    weights: tuple[tuple[str, float], ...]  # the formula's weights in force for this office
    rank: int | None = None

    def values(self) -> dict[str, float | None]:
        return {name: getattr(self, name).value for name in SCORED_MEASURES}


def settled_by(item: Scored, when: datetime) -> bool:
    """Was the ball out of the office's hands at ``when``, judged from the item's present facts?"""
    if item.status in AT_OFFICE or item.status == REPORTED:
        return False
    if item.status in FIX_STANDS:
        return item.fix_submitted_at is not None and item.fix_submitted_at <= when
    if item.status == DISMISSED:
        return item.closed_at is not None and item.closed_at <= when
    return False


def overdue_at(item: Scored, when: datetime) -> bool:
    """Assigned before ``when``, past its deadline at ``when``, and not settled by then."""
    return (
        item.deadline is not None
        and item.assigned_at is not None
        and item.assigned_at < when
        and item.deadline < when
        and not settled_by(item, when)
    )


def closed_on_time(item: Scored) -> bool:
    """Closed, fixed by the deadline, never extended (see the module docstring)."""
    return (
        item.status in CLOSED_STATUSES
        and item.extensions_granted == 0
        and item.fix_submitted_at is not None
        and item.deadline is not None
        and item.fix_submitted_at <= item.deadline
    )


def fixes_submitted(item: Scored) -> int:
    return item.rework_count + item.rebound_count + (1 if item.status in FIX_STANDS else 0)


def ever_verified(item: Scored) -> bool:
    return item.verified_at is not None or item.rebound_count > 0


def office_score(office: str, items: Iterable[Scored], period: Period, as_of: datetime,
                 formula: ScoreFormula) -> OfficeScore:
    """The measures of one office (or of all, ``office=ALL``) over ``items`` already of that office.

    One pass over the items (boards of a busy month hold thousands).
    """
    start, end = period.start, period.end
    assigned, closed, on_time, extended, rebounded, verified, overdue = [], [], [], [], [], [], []
    rework, fixes, agree, checks, fix_days = [], [], [], [], []
    for item in items:
        if overdue_at(item, as_of):
            overdue.append(item.id)
        when = item.assigned_at
        if when is None or not (start <= when < end) or item.status == DISMISSED:
            continue
        assigned.append(item.id)
        if item.status in CLOSED_STATUSES:
            closed.append(item.id)
            if closed_on_time(item):
                on_time.append(item.id)
            if item.fix_submitted_at is not None:
                fix_days.append((item.id, (item.fix_submitted_at - when).total_seconds() / 86400))
        if item.extensions_granted > 0:
            extended.append(item.id)
        if item.rework_count:
            rework.append((item.id, item.rework_count))
        n = fixes_submitted(item)
        if n:
            fixes.append((item.id, n))
        if ever_verified(item):
            verified.append(item.id)
            if item.rebound_count > 0:
                rebounded.append(item.id)
        if item.spot_agree:
            agree.append((item.id, item.spot_agree))
        if item.spot_agree + item.spot_disagree:
            checks.append((item.id, item.spot_agree + item.spot_disagree))
    everyone = _listed(assigned)
    on_time_ids = _listed(on_time)
    measures = dict(
        assigned=everyone,
        closed=_listed(closed),
        closed_on_time=on_time_ids,
        extended=_listed(extended),
        on_time_rate=Rate(on_time_ids, everyone),
        rework_rate=Rate(_count(rework), _count(fixes)),
        rebound_rate=Rate(_listed(rebounded), _listed(verified)),
        overdue=_listed(overdue),
        avg_days_to_fix=_average(fix_days),
        spot_agreement=Rate(_count(agree), _count(checks)),
    )
    values = {name: measures[name].value for name in SCORED_MEASURES}
    return OfficeScore(office=office, score=formula.score(values), weights=formula.weights_in_force(values),
                       **measures)


def _average(pairs: list[tuple[str, float]]) -> Average:
    total = sum(d for _, d in pairs)
    return Average(total / len(pairs) if pairs else None, tuple(sorted(i for i, _ in pairs)), total)


def _merged_count(counts: Sequence[Count]) -> Count:
    return Count(sum(c.value for c in counts), tuple(sorted(i for c in counts for i in c.ids)))


def merged_score(office: str, rows: Sequence[OfficeScore], formula: ScoreFormula) -> OfficeScore:
    """The score of several offices together (their items are disjoint): sums, then rates of the sums."""
    def counts(name):
        return _merged_count([getattr(r, name) for r in rows])

    def rate(name):
        return Rate(_merged_count([getattr(r, name).numerator for r in rows]),
                    _merged_count([getattr(r, name).denominator for r in rows]))

    ids = tuple(sorted(i for r in rows for i in r.avg_days_to_fix.ids))
    total = sum(r.avg_days_to_fix.total for r in rows)
    measures = dict(
        assigned=counts("assigned"), closed=counts("closed"), closed_on_time=counts("closed_on_time"),
        extended=counts("extended"), on_time_rate=rate("on_time_rate"), rework_rate=rate("rework_rate"),
        rebound_rate=rate("rebound_rate"), overdue=counts("overdue"),
        avg_days_to_fix=Average(total / len(ids) if ids else None, ids, total),
        spot_agreement=rate("spot_agreement"),
    )
    values = {name: measures[name].value for name in SCORED_MEASURES}
    return OfficeScore(office=office, score=formula.score(values), weights=formula.weights_in_force(values),
                       **measures)


def _listed(ids: list[str]) -> Count:
    return Count(len(ids), tuple(sorted(ids)))


# --- charts ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class WeekPoint:
    week: str  # ISO week, "2026-W28"
    monday: date  # may fall before the period: edge weeks are partial
    reported: Count
    closed: Count


def status_by_office(items: Iterable[Scored], period: Period, offices: Sequence[str]) -> dict[str, dict[str, Count]]:
    """Items reported in the period, by their office and present status (every cell, zeros too)."""
    cells: dict[str, dict[str, list[str]]] = {o: {s: [] for s in STATUSES} for o in offices}
    for item in items:
        if period.holds(item.reported_at) and item.office in cells:
            cells[item.office].setdefault(item.status, []).append(item.id)
    return {o: {s: Count(len(ids), tuple(sorted(ids))) for s, ids in row.items()} for o, row in cells.items()}


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
        if start <= when < end:
            reported[bisect_right(cuts, when) - 1].append(item.id)
        when = item.verified_at
        if when is not None and start <= when < end and item.status in CLOSED_STATUSES:
            closed[bisect_right(cuts, when) - 1].append(item.id)
    return [WeekPoint(_week(m), m, _listed(reported[k]), _listed(closed[k])) for k, m in enumerate(mondays)]


# --- the board ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Scoreboard:
    period: Period
    as_of: datetime
    formula: ScoreFormula
    offices: tuple[OfficeScore, ...]
    overall: OfficeScore
    status_by_office: dict[str, dict[str, Count]] = field(default_factory=dict)
    weekly: tuple[WeekPoint, ...] = ()

    def office(self, code: str) -> OfficeScore:
        for row in self.offices:
            if row.office == code:
                return row
        raise KeyError(code)


def as_of(period: Period, now: datetime) -> datetime:
    """When overdue is judged: now while the period runs, its end once it is over."""
    return min(now.astimezone(timezone.utc), period.end)


def _ranked(rows: list[OfficeScore]) -> list[OfficeScore]:
    """Rank 1 for the best score; equal scores share a rank; no score, no rank."""
    scores = [round(r.score, 9) for r in rows if r.score is not None]
    out = []
    for row in rows:
        rank = None
        if row.score is not None:
            rank = 1 + sum(1 for s in scores if s > round(row.score, 9))
        out.append(replace(row, rank=rank))
    return out


def build_scoreboard(items: Iterable[Scored], period: Period, now: datetime, zone: ZoneInfo,
                     formula: ScoreFormula | None = None, offices: Sequence[str] | None = None) -> Scoreboard:
    """The board of ``offices`` (default: every catalogue office) for ``period``, as things stand at ``now``."""
    formula = formula or ScoreFormula()
    items = list(items)
    if offices is None:
        offices = [o.code for o in catalog.OFFICES]
    offices = list(offices)
    wanted = set(offices)
    mine = [i for i in items if i.office in wanted]
    by_office: dict[str, list[Scored]] = {o: [] for o in offices}
    for item in mine:
        by_office[item.office].append(item)
    when = as_of(period, now)
    rows = _ranked([office_score(o, by_office[o], period, when, formula) for o in offices])
    return Scoreboard(
        period=period,
        as_of=when,
        formula=formula,
        offices=tuple(rows),
        overall=merged_score(ALL, rows, formula),
        status_by_office=status_by_office(mine, period, offices),
        weekly=tuple(weekly_trend(mine, period, zone)),
    )
