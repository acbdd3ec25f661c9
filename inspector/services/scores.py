"""The monthly exam (月考) over the database: who may see which office, load the items, score them.

The items a period can touch are loaded narrowly by
``inspector.store.scores.scored_items``; the pure ``inspector.domain.scoring``
does the rest.
"""

from dataclasses import dataclass
from datetime import date, datetime

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
from inspector.services.context import Context
from inspector.store.engine import read_session
from inspector.store.scores import scored_items


@dataclass(frozen=True)
class ScoreboardView:
    """A scoreboard with the words to show it: measure names and the formula as text."""

    board: Scoreboard
    lang: str
    labels: dict[str, str]  # measure -> its name in ``lang``
    formula_text: str  # the configured formula
    office_formula: dict[str, str]  # office -> the formula in force for it (weights shared out)


def formula(ctx: Context) -> ScoreFormula:
    """The campaign's configured formula (``Settings.score_weights``)."""
    return ScoreFormula.parse(ctx.settings.score_weights)


def _view(ctx: Context, board: Scoreboard, lang: str) -> ScoreboardView:
    labels = {name: t(f"score.measure.{name}", lang) for name in SCORED_MEASURES}
    f = board.formula
    office_formula = {row.office: f.text(labels, row.weights) for row in (*board.offices, board.overall)}
    return ScoreboardView(board=board, lang=lang, labels=labels, formula_text=f.text(labels),
                          office_formula=office_formula)


def period_scoreboard(ctx: Context, actor: Actor, period: Period, office: str | None = None,
                      lang: str = DEFAULT_LANG, now: datetime | None = None) -> ScoreboardView:
    """The scoreboard of any span of local days (reports use it for their period)."""
    offices = readable_offices(actor, office)
    now = now or ctx.now()
    when = as_of(period, now)
    with read_session(ctx.engine) as session:
        rows = scored_items(session, period, when, offices)
    board = build_scoreboard(rows, period, now, ctx.settings.zone, formula(ctx), offices)
    return _view(ctx, board, lang)


def scoreboard(ctx: Context, actor: Actor, month: str, office: str | None = None,
               lang: str = DEFAULT_LANG) -> ScoreboardView:
    """The month's scoreboard (``month`` = ``'YYYY-MM'``, a local calendar month).

    Supervisors and admins see every office (or the one asked for); office
    staff and leaders their own office only; everyone else is refused.
    """
    readable_offices(actor, office)  # refuse before parsing: a forbidden caller learns nothing more
    try:
        period = month_period(month, ctx.settings.zone)
    except ValueError:
        raise InvalidRequest(problem=f"month {month!r} is not YYYY-MM") from None
    return period_scoreboard(ctx, actor, period, office, lang)


def current_month(ctx: Context) -> str:
    """This local calendar month, ``'YYYY-MM'``."""
    today: date = ctx.now().astimezone(ctx.settings.zone).date()
    return f"{today:%Y-%m}"


def default_month(ctx: Context) -> str:
    """The month a scoreboard opens on: last month in this month's first ``scores_last_month_days`` days."""
    return opening_month(ctx.now(), ctx.settings.zone, ctx.settings.scores_last_month_days)
