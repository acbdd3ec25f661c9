"""Visits on the scoreboard: an office's coverage and its average visit score, with what is behind them.

Pure: the sites' schedules, the month's visits (on local days), the month's
days and ``today`` are passed in. The rules (say them here, show them on the
desk):

- **Windows due.** For each of the office's *active* sites and each check type
  its site type is scheduled for (``campaign.visit_every``, else the shipped
  defaults), the month is cut into windows of ``every`` local days
  (``inspector.domain.schedules.windows``), from the month's first day or the
  campaign's first day if that is later; the last window may be shorter. In a
  month still running a window counts once it has ended, or earlier if it
  already holds a visit: a window still open without one is not missed yet.
- **Covered** means the site had a visit of that check type on a local day of
  the window (the same rule as ``schedules.coverage``); the first such visit
  is the one shown.
- **Coverage** = windows covered / windows due, summed over the office's sites
  and check types; ``None`` when nothing was due.
- **Average visit score** = the mean of the month's visits' ratios (points met
  / points applicable) of the sites the office answered for at the visit;
  visits where no point applied are left out (they have no ratio).
  **Failed visits** = visits that did not pass (``checklists.VisitScore.passed``:
  a starred failure, or no point applied).

Coverage is a measure the score formula may weigh (``coverage=<weight>`` in
the configured weights, ``inspector.domain.scoring.formula``); the shipped
formula does not, so every month scored before visits were recorded keeps its
score. The average visit score and the failed visits are shown beside the
score, never in it. A published month keeps the figures it was published with.
"""

from dataclasses import dataclass
from datetime import date
from typing import Iterable, Mapping, Sequence

from inspector.domain.schedules import windows as schedule_windows
from inspector.domain.scoring.measures import Average, Count, Rate, VisitFigures, listed


@dataclass(frozen=True)
class VisitFact:
    """What the scoreboard reads of a visit: where, when (local day), what, and its score."""

    id: str
    office: str  # the site's office at the visit
    site: str
    site_name: str
    day: date
    check_type: str
    met: int
    applicable: int
    passed: bool

    @property
    def ratio(self) -> float | None:
        return self.met / self.applicable if self.applicable else None


@dataclass(frozen=True)
class SiteSchedule:
    """An active site and the check types it is due for, with their days."""

    site: str
    site_name: str
    office: str
    every: Mapping[str, int]  # check type -> days between visits


@dataclass(frozen=True)
class Window:
    """One window due: a site, a check type, its local days, and the visit that covered it (if any)."""

    office: str
    site: str
    site_name: str
    check_type: str
    first: date
    last: date
    visit: str | None = None

    @property
    def covered(self) -> bool:
        return self.visit is not None


@dataclass(frozen=True)
class MonthVisits:
    """The visits part of a board: per office its figures, and the visits and windows behind them."""

    figures: Mapping[str, VisitFigures]
    visits: tuple[VisitFact, ...] = ()
    windows: tuple[Window, ...] = ()


def due_windows(schedules: Iterable[SiteSchedule], visits: Sequence[VisitFact], first: date, last: date,
                today: date | None = None) -> list[Window]:
    """Every window due over ``first``..``last`` (see the module docstring), each with its covering visit.

    ``today`` is the local day a running month is judged on; ``None`` (or a day
    past ``last``) judges the whole span.
    """
    days: dict[tuple[str, str], list[VisitFact]] = {}
    for v in sorted(visits, key=lambda v: (v.day, v.id)):
        days.setdefault((v.site, v.check_type), []).append(v)
    out = []
    for s in schedules:
        for check_type in sorted(s.every):
            made = days.get((s.site, check_type), [])
            for start, end in schedule_windows(first, last, s.every[check_type]):
                if today is not None and start > today:
                    break  # not begun yet
                hit = next((v.id for v in made if start <= v.day <= end), None)
                if hit is None and today is not None and end >= today:
                    continue  # still open: not missed yet
                out.append(Window(s.office, s.site, s.site_name, check_type, start, end, hit))
    return out


def office_figures(visits: Iterable[VisitFact], windows: Iterable[Window]) -> VisitFigures:
    """One office's figures over its visits and its windows due."""
    visits = list(visits)
    windows = list(windows)
    covered = [w.visit for w in windows if w.visit is not None]
    scored = [(v.id, v.ratio) for v in visits if v.ratio is not None]
    total = sum(r for _, r in scored)
    return VisitFigures(
        coverage=Rate(Count(len(covered), tuple(sorted(set(covered)))), Count(len(windows))),
        visit_score=Average(total / len(scored) if scored else None, tuple(sorted(i for i, _ in scored)), total),
        visits=listed([v.id for v in visits]),
        failed=listed([v.id for v in visits if not v.passed]),
    )


def month_visits(schedules: Iterable[SiteSchedule], visits: Iterable[VisitFact], offices: Sequence[str],
                 first: date, last: date, starts: date | None = None, today: date | None = None) -> MonthVisits:
    """The visits part of the board of ``offices`` over the local days ``first``..``last``.

    ``starts`` is the campaign's first day (windows start there when it is
    later than ``first``); ``today`` judges a running month.
    """
    wanted = set(offices)
    visits = tuple(sorted((v for v in visits if first <= v.day <= last), key=lambda v: (v.day, v.site, v.id)))
    begin = max(first, starts) if starts is not None else first
    mine = [s for s in schedules if s.office in wanted]
    found = tuple(due_windows(mine, visits, begin, last, today)) if begin <= last else ()
    figures = {office: office_figures([v for v in visits if v.office == office],
                                      [w for w in found if w.office == office]) for office in offices}
    return MonthVisits(figures, tuple(v for v in visits if v.office in wanted), found)


def for_office(month: MonthVisits, office: str) -> tuple[tuple[VisitFact, ...], tuple[Window, ...]]:
    """The visits and windows behind ``office``'s figures (``""``: every office's)."""
    if not office:
        return month.visits, month.windows
    return (tuple(v for v in month.visits if v.office == office),
            tuple(w for w in month.windows if w.office == office))


def missed(windows: Iterable[Window]) -> list[Window]:
    """The windows without a visit."""
    return [w for w in windows if not w.covered]
