"""The scoreboard: every office's row, ranked, the all-offices row, and the charts."""

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Iterable, Sequence
from zoneinfo import ZoneInfo

from inspector.domain import catalog
from inspector.domain.scoring.coverage import MonthVisits, VisitFact, Window
from inspector.domain.scoring.charts import WeekPoint, status_by_office, weekly_trend
from inspector.domain.scoring.facts import Scored
from inspector.domain.scoring.formula import ScoreFormula
from inspector.domain.scoring.measures import ALL, NO_VISITS, Count, OfficeScore, merged_score, office_score
from inspector.domain.scoring.periods import Period, as_of


@dataclass(frozen=True)
class Scoreboard:
    period: Period
    as_of: datetime
    formula: ScoreFormula
    offices: tuple[OfficeScore, ...]
    overall: OfficeScore
    status_by_office: dict[str, dict[str, Count]] = field(default_factory=dict)
    weekly: tuple[WeekPoint, ...] = ()
    visits: tuple[VisitFact, ...] = ()  # the period's visits behind the offices' visit figures
    windows: tuple[Window, ...] = ()  # the visit windows due, covered or missed

    def office(self, code: str) -> OfficeScore:
        """The row of office ``code``; ``KeyError`` when the board has none."""
        for row in self.offices:
            if row.office == code:
                return row
        raise KeyError(code)


def ranked(rows: list[OfficeScore]) -> list[OfficeScore]:
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
                     formula: ScoreFormula | None = None, offices: Sequence[str] | None = None,
                     visiting: MonthVisits | None = None) -> Scoreboard:
    """The board of ``offices`` (default: every catalogue office) for ``period``, as things stand at ``now``,
    with the offices' ``visiting`` figures (``scoring.coverage.month_visits``) when given."""
    formula = formula or ScoreFormula()
    offices = list(offices) if offices is not None else [o.code for o in catalog.OFFICES]
    by_office: dict[str, list[Scored]] = {o: [] for o in offices}
    mine = []
    for item in items:
        if item.office in by_office:
            by_office[item.office].append(item)
            mine.append(item)
    when = as_of(period, now)
    figures = visiting.figures if visiting is not None else {}
    rows = ranked([office_score(o, by_office[o], period, when, formula, figures.get(o, NO_VISITS)) for o in offices])
    return Scoreboard(
        period=period,
        as_of=when,
        formula=formula,
        offices=tuple(rows),
        overall=merged_score(ALL, rows, formula),
        status_by_office=status_by_office(mine, period, offices),
        weekly=tuple(weekly_trend(mine, period, zone)),
        visits=visiting.visits if visiting is not None else (),
        windows=visiting.windows if visiting is not None else (),
    )
