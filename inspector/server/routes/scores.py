"""Scores (月考): the monthly scoreboard per office, with its formula and the items behind every number;
publishing a month, its amendments and its bulletin (通报)."""

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from inspector.domain.scoring import Average, Count, OfficeScore, Rate
from inspector.i18n import t
from inspector.reports import bulletin
from inspector.server.deps import MAX_WORD, MONTH_PATTERN, ActorDep, ContextDep, LangDep, PlainParameters
from inspector.server.errors import AUTHENTICATED, WITH_BODY, error_responses
from inspector.services import exam, scores

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
                    "overdue, avg_days_to_fix, spot_agreement; and of visits (their ids are visits', see "
                    "`visits`): coverage (windows covered / due), visit_score, visits, visits_failed")
    published_score: float | None = Field(None, description="a published month: the score as published, before "
                                                            "any amendment; null for live figures")
    amended: bool = Field(False, description="an amendment changed this office's figures")


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


class PublicationOut(BaseModel):
    month: str
    at: datetime = Field(description="when the month was published")
    by: str = Field(description="user id of the supervisor or admin who published it")
    by_name: str = Field(description="their name as it was then")
    text: str = Field(description='e.g. "已发布 2026-08-02 10:00，发布人：dudao", in the request\'s language')


class AmendmentOut(BaseModel):
    id: str
    month: str
    office: str
    office_name: str
    kind: str = Field(description="score (set by hand), exclude (an item out of the figures), include (back in)")
    score: float | None = Field(description="kind score: the score set")
    item_id: str | None = Field(description="kinds exclude and include: the item")
    reason: str
    by: str
    by_name: str
    at: datetime
    before: float | None = Field(description="the office's score just before this amendment")
    after: float | None = Field(description="and just after it")


class AmendmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    office: str = Field(min_length=1, max_length=MAX_WORD)
    kind: str = Field(min_length=1, max_length=MAX_WORD, description="score, exclude or include")
    reason: str = Field(max_length=2000, description="why; required (at most 500 characters once trimmed)")
    score: float | None = Field(None, description="kind score: 0 .. the formula's base")
    item: str | None = Field(None, max_length=MAX_WORD, description="kinds exclude and include: the item's id or "
                                                                    "number (2026-0715-032)")


class VisitOut(BaseModel):
    id: str
    office: str = Field(description="the site's office at the visit")
    site: str
    site_name: str
    day: date = Field(description="local day of the visit")
    check_type: str
    met: int
    applicable: int
    passed: bool


class WindowOut(BaseModel):
    office: str
    site: str
    site_name: str
    check_type: str
    first: date = Field(description="the window's first local day")
    last: date = Field(description="its last local day")
    visit: str | None = Field(description="the visit that covered it; null: missed")


class ScoreboardOut(BaseModel):
    month: str
    live: bool = Field(True, description="false: the published record (with its amendments); true: the figures "
                                         "as they stand now")
    published: PublicationOut | None = Field(None, description="who published the month and when; null while "
                                                               "unpublished")
    amendments: list[AmendmentOut] = Field(default_factory=list, description="of a published month, in the "
                                                                             "order they apply")
    period: PeriodOut
    as_of: datetime = Field(description="when overdue is judged: now, or the month's end for a past month")
    labels: dict[str, str] = Field(description="measure -> its name in the request's language")
    formula: FormulaOut
    offices: list[OfficeScoreOut]
    overall: OfficeScoreOut = Field(description="the offices shown, added up")
    status_by_office: list[StatusRowOut] = Field(description="chart: items reported in the month by status")
    weekly: list[WeekOut] = Field(description="chart: reported vs closed per ISO week of the month")
    visits: list[VisitOut] = Field(default_factory=list, description="the month's visits behind the visit figures")
    windows: list[WindowOut] = Field(default_factory=list, description="the visit windows due, covered or missed")


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


VISIT_MEASURES = {"coverage": "coverage", "visit_score": "visit_score", "visits": "visits", "visits_failed": "failed"}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _office(row: OfficeScore, view: scores.ScoreboardView) -> OfficeScoreOut:
    name = t(f"office.{row.office}", view.lang) if row.office else t("report.all_offices", view.lang)
    return OfficeScoreOut(
        office=row.office, name=name, score=_round(row.score), rank=row.rank,
        formula=view.office_formula[row.office], weights={k: round(w, 4) for k, w in row.weights},
        measures={**{m: _measure(getattr(row, m)) for m in MEASURES},
                  **{m: _measure(getattr(row.visiting, field)) for m, field in VISIT_MEASURES.items()}},
        published_score=_round(view.published_score(row.office)) if row.office else None,
        amended=bool(view.office_steps(row.office)) if row.office else bool(view.steps),
    )


def publication_out(publication: exam.Publication, lang: str, zone) -> PublicationOut:
    when = publication.at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    return PublicationOut(month=publication.month, at=publication.at, by=publication.by, by_name=publication.by_name,
                          text=t("score.published", lang, time=when, name=publication.by_name))


def amendment_out(step, lang: str) -> AmendmentOut:
    a = step.amendment
    return AmendmentOut(id=a.id, month=a.month, office=a.office, office_name=t(f"office.{a.office}", lang),
                        kind=str(a.kind), score=a.score, item_id=a.item_id, reason=a.reason, by=a.by,
                        by_name=a.by_name, at=a.at, before=_round(step.before), after=_round(step.after))


def scoreboard_out(view: scores.ScoreboardView, month: str, zone=None) -> ScoreboardOut:
    board, lang = view.board, view.lang
    published = view.publication
    return ScoreboardOut(
        month=month,
        live=published is None,
        published=None if published is None else publication_out(published, lang, zone),
        amendments=[amendment_out(s, lang) for s in view.steps],
        period=PeriodOut(first_day=board.period.first_day, last_day=board.period.last_day,
                         start=board.period.start, end=board.period.end),
        as_of=board.as_of,
        labels={**view.labels, **{m: t(f"score.measure.{m}", lang) for m in (*MEASURES, *VISIT_MEASURES)}},
        formula=FormulaOut(text=view.formula_text, base=board.formula.base, weights=dict(board.formula.weights),
                           rules=[t(f"score.{rule}", lang) for rule in (
                               "on_time_rule", "redistribution_rule", "coverage_rule", "visit_score_rule",
                               "coverage_weighed" if dict(board.formula.weights).get("coverage") else
                               "coverage_beside")]),
        offices=[_office(row, view) for row in board.offices],
        overall=_office(board.overall, view),
        status_by_office=[StatusRowOut(office=o, name=t(f"office.{o}", lang),
                                       statuses={s: _count(c) for s, c in cells.items()})
                          for o, cells in board.status_by_office.items()],
        weekly=[WeekOut(week=w.week, monday=w.monday, reported=_count(w.reported), closed=_count(w.closed))
                for w in board.weekly],
        visits=[VisitOut(id=v.id, office=v.office, site=v.site, site_name=v.site_name, day=v.day,
                         check_type=v.check_type, met=v.met, applicable=v.applicable, passed=v.passed)
                for v in board.visits],
        windows=[WindowOut(office=w.office, site=w.site, site_name=w.site_name, check_type=w.check_type,
                           first=w.first, last=w.last, visit=w.visit) for w in board.windows],
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
    live: Annotated[bool, Query(description="a published month: its figures as they stand now instead of the "
                                            "record")] = False,
):
    """The month's scoreboard: per office the measures, the score, its formula, and the item ids behind each number.

    Supervisors and admins see every office; office staff and leaders their own; others get 403. A
    published month answers with its record (``published``, amendments applied) unless ``live``.
    """
    month = month or scores.default_month(ctx)
    view = scores.scoreboard(ctx, actor, month, office or None, lang, live=live)
    return scoreboard_out(view, month, ctx.settings.zone)


# --- the published month ---------------------------------------------------------------------------
MonthPath = Annotated[str, Path(pattern=MONTH_PATTERN, description="local month YYYY-MM (2000-01 .. 2099-12)")]
DECIDERS_ONLY = {403: {"description": "not a supervisor or admin (exam.deciders_only)"}, **error_responses(404)}


@router.get("/published", response_model=list[PublicationOut], responses={403: {"description": "may read no "
                                                                                               "figures"}})
def list_published(actor: ActorDep, ctx: ContextDep, lang: LangDep):
    """Every published month, newest first, with who published it and when."""
    return [publication_out(p, lang, ctx.settings.zone) for p in exam.publications(ctx, actor)]


@router.post("/{month}/publish", response_model=ScoreboardOut, status_code=201,
             responses={**DECIDERS_ONLY, 409: {"description": "the month has not ended (exam.month_not_ended) or "
                                                              "was published already (exam.already_published)"}})
def publish_month(month: MonthPath, actor: ActorDep, ctx: ContextDep, lang: LangDep):
    """Publish the month's 月考: its figures and the items behind them are frozen as the month's record."""
    exam.publish(ctx, actor, month)
    return scoreboard_out(scores.scoreboard(ctx, actor, month, lang=lang), month, ctx.settings.zone)


@router.get("/{month}/amendments", response_model=list[AmendmentOut],
            responses={403: {"description": "may read no figures"}, **error_responses(404),
                       409: {"description": "the month is not published (exam.not_published)"}})
def list_amendments(month: MonthPath, actor: ActorDep, ctx: ContextDep, lang: LangDep):
    """The published month's amendments (of the offices the user may read), each with the score before and after."""
    return [amendment_out(s, lang) for s in exam.amendments(ctx, actor, month)]


@router.post("/{month}/amendments", response_model=AmendmentOut, status_code=201,
             responses={**DECIDERS_ONLY, **error_responses(*WITH_BODY),
                        409: {"description": "the month is not published (exam.not_published)"},
                        422: {"description": "no reason (exam.reason_required), a score out of range "
                                             "(exam.score_invalid), an item not the office's or already out "
                                             "(exam.item_invalid), an unknown office or kind"}})
def amend_month(month: MonthPath, body: AmendmentIn, actor: ActorDep, ctx: ContextDep, lang: LangDep):
    """Append an amendment to one office's figures of the published month, with its reason. Never edited later."""
    step = exam.amend(ctx, actor, month, body.office, body.kind, body.reason, score=body.score, item=body.item)
    return amendment_out(step, lang)


@router.get("/{month}/bulletin.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
                             "description": "A4 通报: ranking, each office's figures and formula with its numbers, "
                                            "末位 flagged, amendments, the worst items with their photos"},
                       **DECIDERS_ONLY, 409: {"description": "the month is not published (exam.not_published)"}})
def bulletin_pdf(month: MonthPath, actor: ActorDep, ctx: ContextDep, lang: LangDep):
    """The bulletin (通报) of a published month as a printable PDF."""
    rendered = bulletin.render(ctx, actor, month, lang)
    return Response(rendered.data, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{rendered.filename}"'})
