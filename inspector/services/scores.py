"""The monthly exam (月考) over the database: who may see which office, load the items, score them.

The items a period can touch are loaded narrowly by
``inspector.store.scores.scored_items``, its visits and the windows due by
``inspector.store.visit_stats.board_visits``; the pure ``inspector.domain.scoring``
does the rest. A published month reads its record instead (``services.exam``):
the figures as published, with their amendments, whatever happened since.
"""

from dataclasses import dataclass
from datetime import date, datetime

from inspector.domain.scoring.exam import AmendmentStep, for_offices

from inspector.domain import catalog
from inspector.domain.figures import readable_offices
from inspector.domain.permissions import Actor
from inspector.domain.scoring import (
    SCORED_MEASURES,
    Period,
    Scoreboard,
    ScoreFormula,
    as_of,
    build_scoreboard,
    month_period,
    opening_month,
)
from inspector.errors import InvalidRequest
from inspector.i18n import DEFAULT_LANG, t
from inspector.services import exam
from inspector.services.context import Context
from inspector.store.engine import read_session
from inspector.store.scores import scored_items
from inspector.store.visit_stats import board_visits


@dataclass(frozen=True)
class ScoreboardView:
    """A scoreboard with the words to show it: measure names and the formula as text."""

    board: Scoreboard
    lang: str
    labels: dict[str, str]  # measure -> its name in ``lang``
    formula_text: str  # the configured formula
    office_formula: dict[str, str]  # office -> the formula in force for it (weights shared out)
    publication: exam.Publication | None = None  # set when the board is a published month's record
    original: Scoreboard | None = None  # the published month's board before its amendments
    steps: tuple[AmendmentStep, ...] = ()  # the published month's amendments (of the offices shown)

    def office_steps(self, office: str) -> tuple[AmendmentStep, ...]:
        """The amendments of ``office``, in the order they apply."""
        return tuple(s for s in self.steps if s.amendment.office == office)

    def published_score(self, office: str) -> float | None:
        """``office``'s score as published, before any amendment (``None`` when live or unscored)."""
        if self.original is None:
            return None
        return next((row.score for row in self.original.offices if row.office == office), None)


def formula(ctx: Context) -> ScoreFormula:
    """The campaign's configured formula (``Settings.score_weights``)."""
    return ScoreFormula.parse(ctx.settings.score_weights)


def _view(ctx: Context, board: Scoreboard, lang: str, **published) -> ScoreboardView:
    labels = {name: t(f"score.measure.{name}", lang) for name in SCORED_MEASURES}
    f = board.formula
    office_formula = {row.office: f.text(labels, row.weights) for row in (*board.offices, board.overall)}
    return ScoreboardView(board=board, lang=lang, labels=labels, formula_text=f.text(labels),
                          office_formula=office_formula, **published)


def published_view(ctx: Context, found: exam.Published, offices: list[str], lang: str) -> ScoreboardView:
    """The view of a published month's record, amendments applied, narrowed to ``offices``."""
    zone = ctx.settings.zone
    facts = found.record.facts
    board = for_offices(found.amended.board, facts, offices, zone)
    original = for_offices(found.original, facts, offices, zone)
    steps = tuple(s for s in found.steps if s.amendment.office in offices)
    return _view(ctx, board, lang, publication=found.publication, original=original, steps=steps)


def period_scoreboard(ctx: Context, actor: Actor, period: Period, office: str | None = None,
                      lang: str = DEFAULT_LANG, now: datetime | None = None) -> ScoreboardView:
    """The scoreboard of any span of local days (reports use it for their period)."""
    offices = readable_offices(actor, office)
    now = now or ctx.now()
    when = as_of(period, now)
    with read_session(ctx.engine) as session:
        rows = scored_items(session, period, when, offices)
        visiting = board_visits(session, period, now, ctx.settings.zone, offices)
    board = build_scoreboard(rows, period, now, ctx.settings.zone, formula(ctx), offices, visiting)
    return _view(ctx, board, lang)


def scoreboard(ctx: Context, actor: Actor, month: str, office: str | None = None,
               lang: str = DEFAULT_LANG, live: bool = False) -> ScoreboardView:
    """The month's scoreboard (``month`` = ``'YYYY-MM'``, a local calendar month).

    Supervisors and admins see every office (or the one asked for); office
    staff and leaders their own office only; everyone else is refused. A
    published month is its record (with its amendments) unless ``live`` asks
    for the figures as they stand now.
    """
    offices = readable_offices(actor, office)  # refuse before parsing: a forbidden caller learns nothing more
    try:
        period = month_period(month, ctx.settings.zone)
    except ValueError:
        raise InvalidRequest(problem=f"month {month!r} is not YYYY-MM") from None
    # The items' facts are needed to narrow the record to some offices (their charts are worked out again).
    found = None if live else exam.published(ctx, month, with_facts=len(offices) < len(catalog.OFFICES))
    if found is not None:
        return published_view(ctx, found, offices, lang)
    return period_scoreboard(ctx, actor, period, office, lang)


def current_month(ctx: Context) -> str:
    """This local calendar month, ``'YYYY-MM'``."""
    today: date = ctx.now().astimezone(ctx.settings.zone).date()
    return f"{today:%Y-%m}"


def default_month(ctx: Context) -> str:
    """The month a scoreboard opens on: last month in this month's first ``scores_last_month_days`` days."""
    return opening_month(ctx.now(), ctx.settings.zone, ctx.settings.scores_last_month_days)
