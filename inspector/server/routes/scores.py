"""Scores (月考): the monthly scoreboard per office, with its formula and the items behind every number."""

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from inspector.domain.scoring import Average, Count, OfficeScore, Rate
from inspector.i18n import t
from inspector.server.deps import MAX_WORD, MONTH_PATTERN, ActorDep, ContextDep, LangDep, PlainParameters
from inspector.server.errors import AUTHENTICATED, error_responses
from inspector.services import scores

router = APIRouter(prefix="/api/scores", tags=["scores"], dependencies=[PlainParameters],
                   responses=error_responses(*AUTHENTICATED))


class CountOut(BaseModel):
    value: int = Field(description="the number shown")
    ids: list[str] = Field(description="ids of the items behind it (GET /api/items/{id})")


class MeasureOut(BaseModel):
    value: float | int | None = Field(description="the figure; null when there is no data (e.g. no spot checks)")
    ids: list[str] = Field(description="the items the figure is about: for a rate its denominator's items")
    numerator: CountOut | None = Field(None, description="rates only")
    denominator: CountOut | None = Field(None, description="rates only")


class OfficeScoreOut(BaseModel):
    office: str = Field(description="office code; empty for the all-offices row")
    name: str
    score: float | None = Field(description="0..base, rounded to 2 places; null without any data")
    rank: int | None = Field(description="1 = best score among the offices shown; equal scores share a rank")
    formula: str = Field(description="the formula in force for this office, weights shared out if a measure "
                                     "had no data")
    weights: dict[str, float] = Field(description="measure -> weight in force")
    measures: dict[str, MeasureOut] = Field(
        description="assigned, closed, closed_on_time, extended, on_time_rate, rework_rate, rebound_rate, "
                    "overdue, avg_days_to_fix, spot_agreement")


class FormulaOut(BaseModel):
    text: str = Field(description='e.g. "100 × (0.4 × 按期办结率 + 0.2 × (1 − 返工率) + ...)"')
    base: float
    weights: dict[str, float]
    rules: list[str] = Field(description="how on-time and missing data are treated, in words")


class StatusRowOut(BaseModel):
    office: str
    name: str
    statuses: dict[str, CountOut] = Field(description="status -> items reported in the period now in it")


class WeekOut(BaseModel):
    week: str = Field(description="ISO week, e.g. 2026-W28")
    monday: date
    reported: CountOut
    closed: CountOut = Field(description="verified in that week (and in the period)")


class PeriodOut(BaseModel):
    first_day: date
    last_day: date
    start: datetime
    end: datetime


class ScoreboardOut(BaseModel):
    month: str
    period: PeriodOut
    as_of: datetime = Field(description="when overdue is judged: now, or the month's end for a past month")
    labels: dict[str, str] = Field(description="measure -> its name in the request's language")
    formula: FormulaOut
    offices: list[OfficeScoreOut]
    overall: OfficeScoreOut = Field(description="the offices shown, added up")
    status_by_office: list[StatusRowOut] = Field(description="chart: items reported in the month by status")
    weekly: list[WeekOut] = Field(description="chart: reported vs closed per ISO week of the month")


def _count(count: Count) -> CountOut:
    return CountOut(value=count.value, ids=list(count.ids))


def _measure(measure) -> MeasureOut:
    if isinstance(measure, Rate):
        value = measure.value
        return MeasureOut(value=None if value is None else round(value, 4), ids=list(measure.denominator.ids),
                          numerator=_count(measure.numerator), denominator=_count(measure.denominator))
    if isinstance(measure, Average):
        return MeasureOut(value=None if measure.value is None else round(measure.value, 2), ids=list(measure.ids))
    return MeasureOut(value=measure.value, ids=list(measure.ids))


MEASURES = ("assigned", "closed", "closed_on_time", "extended", "on_time_rate", "rework_rate", "rebound_rate",
            "overdue", "avg_days_to_fix", "spot_agreement")


def _office(row: OfficeScore, view: scores.ScoreboardView) -> OfficeScoreOut:
    name = t(f"office.{row.office}", view.lang) if row.office else t("report.all_offices", view.lang)
    return OfficeScoreOut(
        office=row.office, name=name, score=None if row.score is None else round(row.score, 2), rank=row.rank,
        formula=view.office_formula[row.office], weights={k: round(w, 4) for k, w in row.weights},
        measures={m: _measure(getattr(row, m)) for m in MEASURES},
    )


def scoreboard_out(view: scores.ScoreboardView, month: str) -> ScoreboardOut:
    board, lang = view.board, view.lang
    return ScoreboardOut(
        month=month,
        period=PeriodOut(first_day=board.period.first_day, last_day=board.period.last_day,
                         start=board.period.start, end=board.period.end),
        as_of=board.as_of,
        labels={**view.labels, **{m: t(f"score.measure.{m}", lang) for m in MEASURES}},
        formula=FormulaOut(text=view.formula_text, base=board.formula.base, weights=dict(board.formula.weights),
                           rules=[t("score.on_time_rule", lang), t("score.redistribution_rule", lang)]),
        offices=[_office(row, view) for row in board.offices],
        overall=_office(board.overall, view),
        status_by_office=[StatusRowOut(office=o, name=t(f"office.{o}", lang),
                                       statuses={s: _count(c) for s, c in cells.items()})
                          for o, cells in board.status_by_office.items()],
        weekly=[WeekOut(week=w.week, monday=w.monday, reported=_count(w.reported), closed=_count(w.closed))
                for w in board.weekly],
    )


@router.get("", response_model=ScoreboardOut, responses={403: {"description": "not a supervisor, admin or "
                                                                          "staff of the office asked for"}})
def get_scores(
    actor: ActorDep,
    ctx: ContextDep,
    lang: LangDep,
    month: Annotated[str | None, Query(pattern=MONTH_PATTERN, description="local month YYYY-MM (2000-01 .. "
                                                                          "2099-12); default the current one, or the "
                                                                          "one just ended in its first days")]
    = None,
    office: Annotated[str | None, Query(max_length=MAX_WORD, description="one office's code; office staff get "
                                                                          "their own")] = None,
):
    """The month's scoreboard: per office the measures, the score, its formula, and the item ids behind each number.

    Supervisors and admins see every office; office staff and leaders their own; others get 403.
    """
    month = month or scores.default_month(ctx)
    view = scores.scoreboard(ctx, actor, month, office or None, lang)
    return scoreboard_out(view, month)
