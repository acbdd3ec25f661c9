"""An office's measures in the monthly exam (月考), each with the ids of the items behind it.

Which items count, and how (say it here, show it in the product):

- **Cohort.** An office's items *of a period* are those whose latest
  assignment (``assigned_at``) falls in the period, dismissed and merged items
  excepted (dismissal says the report was not a task for the office; a merged
  item is a duplicate, and the item it duplicates counts once). A rebound
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

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable, Sequence

from inspector.domain.items import AT_OFFICE, REPORTED
from inspector.domain.scoring.facts import CLOSED_STATUSES, FIX_STANDS, NOT_A_TASK, Scored
from inspector.domain.scoring.formula import SCORED_MEASURES, ScoreFormula
from inspector.domain.scoring.periods import Period

ALL = ""  # the office code of the all-offices row


# --- numbers with the items behind them --------------------------------------------------------
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


@dataclass(frozen=True)
class VisitFigures:
    """An office's visits in the period (``inspector.domain.scoring.coverage``): the ids are visits'."""

    coverage: Rate = Rate()  # windows covered (ids: the covering visits) / windows due
    visit_score: Average = Average()  # the mean ratio met / applicable over the visits with a ratio
    visits: Count = Count()
    failed: Count = Count()  # visits that did not pass


NO_VISITS = VisitFigures()


def listed(ids: list[str]) -> Count:
    """Each item counted once."""
    return Count(len(ids), tuple(sorted(ids)))


def _count(pairs: Iterable[tuple[str, int]]) -> Count:
    ids, total = [], 0
    for item_id, n in pairs:
        if n:
            ids.append(item_id)
            total += n
    return Count(total, tuple(sorted(ids)))


def _average(pairs: list[tuple[str, float]]) -> Average:
    total = sum(d for _, d in pairs)
    return Average(total / len(pairs) if pairs else None, tuple(sorted(i for i, _ in pairs)), total)


def _merged_count(counts: Sequence[Count]) -> Count:
    return Count(sum(c.value for c in counts), tuple(sorted(i for c in counts for i in c.ids)))


# --- one office's row -------------------------------------------------------------------------
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
    visiting: VisitFigures = NO_VISITS  # boards published before visits were scored have none

    @property
    def coverage(self) -> Rate:
        """Windows covered / windows due (a measure the formula may weigh)."""
        return self.visiting.coverage

    def values(self) -> dict[str, float | None]:
        """The scored measures' values."""
        return {name: getattr(self, name).value for name in SCORED_MEASURES}


def _scored(office: str, measures: dict[str, Any], formula: ScoreFormula,
            visiting: VisitFigures = NO_VISITS) -> OfficeScore:
    """The row of ``measures`` with the score and weights ``formula`` gives them."""
    values = {name: measures[name].value for name in SCORED_MEASURES if name in measures}
    values["coverage"] = visiting.coverage.value
    return OfficeScore(office=office, score=formula.score(values), weights=formula.weights_in_force(values),
                       visiting=visiting, **measures)


# --- the rules, one item at a time ---------------------------------------------------------------
def settled_by(item: Scored, when: datetime) -> bool:
    """Was the ball out of the office's hands at ``when``, judged from the item's present facts?"""
    if item.status in AT_OFFICE or item.status == REPORTED:
        return False
    if item.status in FIX_STANDS:
        return item.fix_submitted_at is not None and item.fix_submitted_at <= when
    if item.status in NOT_A_TASK:  # dismissed or merged: settled when that was decided
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
    """Rejected fixes, fixes undone by a rebound, and the one that stands now, if any."""
    return item.rework_count + item.rebound_count + (1 if item.status in FIX_STANDS else 0)


def ever_verified(item: Scored) -> bool:
    """Verified now, or verified before a rebound undid it."""
    return item.verified_at is not None or item.rebound_count > 0


# --- an office, and offices together -------------------------------------------------------------
def office_score(office: str, items: Iterable[Scored], period: Period, as_of: datetime,
                 formula: ScoreFormula, visiting: VisitFigures = NO_VISITS) -> OfficeScore:
    """The measures of one office (or of all, ``office=ALL``) over ``items`` already of that office,
    with its ``visiting`` figures (worked out from visits, not items: ``scoring.coverage``).

    One pass over the items (boards of a busy month hold thousands).
    """
    start, end = period.start, period.end
    assigned, closed, on_time, extended, rebounded, verified, overdue = [], [], [], [], [], [], []
    rework, fixes, agree, checks, fix_days = [], [], [], [], []
    for item in items:
        if overdue_at(item, as_of):
            overdue.append(item.id)
        when = item.assigned_at
        if when is None or not (start <= when < end) or item.status in NOT_A_TASK:
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
    everyone = listed(assigned)
    on_time_ids = listed(on_time)
    return _scored(office, dict(
        assigned=everyone,
        closed=listed(closed),
        closed_on_time=on_time_ids,
        extended=listed(extended),
        on_time_rate=Rate(on_time_ids, everyone),
        rework_rate=Rate(_count(rework), _count(fixes)),
        rebound_rate=Rate(listed(rebounded), listed(verified)),
        overdue=listed(overdue),
        avg_days_to_fix=_average(fix_days),
        spot_agreement=Rate(_count(agree), _count(checks)),
    ), formula, visiting)


def merged_score(office: str, rows: Sequence[OfficeScore], formula: ScoreFormula) -> OfficeScore:
    """The score of several offices together (their items are disjoint): sums, then rates of the sums."""
    def counts(name):
        return _merged_count([getattr(r, name) for r in rows])

    def rate(name):
        return Rate(_merged_count([getattr(r, name).numerator for r in rows]),
                    _merged_count([getattr(r, name).denominator for r in rows]))

    ids = tuple(sorted(i for r in rows for i in r.avg_days_to_fix.ids))
    total = sum(r.avg_days_to_fix.total for r in rows)
    return _scored(office, dict(
        assigned=counts("assigned"), closed=counts("closed"), closed_on_time=counts("closed_on_time"),
        extended=counts("extended"), on_time_rate=rate("on_time_rate"), rework_rate=rate("rework_rate"),
        rebound_rate=rate("rebound_rate"), overdue=counts("overdue"),
        avg_days_to_fix=Average(total / len(ids) if ids else None, ids, total),
        spot_agreement=rate("spot_agreement"),
    ), formula, merged_visits([r.visiting for r in rows]))


def merged_visits(figures: Sequence[VisitFigures]) -> VisitFigures:
    """Several offices' visit figures together (their visits and windows are disjoint)."""
    ids = tuple(sorted(i for f in figures for i in f.visit_score.ids))
    total = sum(f.visit_score.total for f in figures)
    return VisitFigures(
        coverage=Rate(_merged_count([f.coverage.numerator for f in figures]),
                      _merged_count([f.coverage.denominator for f in figures])),
        visit_score=Average(total / len(ids) if ids else None, ids, total),
        visits=_merged_count([f.visits for f in figures]),
        failed=_merged_count([f.failed for f in figures]),
    )
