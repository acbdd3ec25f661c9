"""The monthly exam (月考) over the database: who may see which office, load the items, score them.

Loading is narrow on purpose: one query, each of its alternatives served by
an index, fetches only the columns scoring reads (no JSON, no text) of the
items a period can touch - assigned, reported or verified in it, or possibly
overdue at its end - as plain tuples, and the pure
``inspector.domain.scoring`` does the rest. (Aggregating in SQL instead, ids
by ``group_concat``, was tried: no faster on SQLite, and it would state every
rule twice.)
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from inspector.domain import catalog
from inspector.domain.items import AT_OFFICE, DISMISSED
from inspector.domain.permissions import DECIDERS, Actor
from inspector.domain.scoring import (
    SCORED_MEASURES,
    Facts,
    Period,
    Scoreboard,
    ScoreFormula,
    as_of,
    build_scoreboard,
    month_period,
)
from inspector.errors import Forbidden, InvalidRequest, UnknownOffice
from inspector.i18n import DEFAULT_LANG, t
from inspector.services.context import Context
from inspector.store.engine import read_session
from inspector.store.models import Item

# The columns scoring reads, in the order and under the names of ``scoring.Facts``.
SCORED_COLUMNS = tuple(
    getattr(Item, "office_code" if name == "office" else name).label(name) for name in Facts._fields
)


@dataclass(frozen=True)
class ScoreboardView:
    """A scoreboard with the words to show it: measure names and the formula as text."""

    board: Scoreboard
    lang: str
    labels: dict[str, str]  # measure -> its name in ``lang``
    formula_text: str  # the configured formula
    office_formula: dict[str, str]  # office -> the formula in force for it (weights shared out)


def formula(ctx: Context) -> ScoreFormula:
    return ScoreFormula.parse(ctx.settings.score_weights)


def offices_for(actor: Actor, office: str | None) -> list[str]:
    """The offices ``actor`` may see scores and reports of, narrowed to ``office`` when given."""
    if office is not None and office not in catalog.OFFICE_CODES:
        raise UnknownOffice(office=office)
    if actor.role in DECIDERS:
        return [office] if office else [o.code for o in catalog.OFFICES]
    if actor.is_office and actor.office and office in (None, actor.office):
        return [actor.office]
    raise Forbidden(action="scores", role=actor.role)


def scored_items(session: Session, period: Period, when: datetime, offices: list[str] | None) -> list[Facts]:
    """Every item ``period`` can touch, as ``Facts`` (a superset: scoring decides what counts).

    One query, each alternative served by an index (SQLite: a multi-index OR;
    PostgreSQL: a bitmap OR): assigned, reported or verified in the period;
    or possibly overdue at ``when`` - still with the office past its deadline
    (status, deadline), fixed only after ``when`` (fix_submitted_at, deadline:
    the deadline is checked inside the index), or dismissed after ``when``.
    """
    touched = or_(
        and_(Item.assigned_at >= period.start, Item.assigned_at < period.end),
        and_(Item.reported_at >= period.start, Item.reported_at < period.end),
        and_(Item.verified_at >= period.start, Item.verified_at < period.end),
        and_(Item.status.in_(AT_OFFICE), Item.deadline < when),
        and_(Item.fix_submitted_at > when, Item.deadline < when),
        and_(Item.status == DISMISSED, Item.closed_at > when, Item.deadline < when),
    )
    statement = select(*SCORED_COLUMNS).where(touched)
    if offices is not None and not set(offices) >= catalog.OFFICE_CODES:
        statement = statement.where(Item.office_code.in_(offices))
    # Core, not the ORM session: plain tuples, no ORM loading machinery per row.
    return [Facts._make(row) for row in session.connection().execute(statement)]


def _view(ctx: Context, board: Scoreboard, lang: str) -> ScoreboardView:
    labels = {name: t(f"score.measure.{name}", lang) for name in SCORED_MEASURES}
    f = board.formula
    office_formula = {row.office: f.text(labels, row.weights) for row in (*board.offices, board.overall)}
    return ScoreboardView(board=board, lang=lang, labels=labels, formula_text=f.text(labels),
                          office_formula=office_formula)


def period_scoreboard(ctx: Context, actor: Actor, period: Period, office: str | None = None,
                      lang: str = DEFAULT_LANG, now: datetime | None = None) -> ScoreboardView:
    """The scoreboard of any span of local days (reports use it for their period)."""
    offices = offices_for(actor, office)
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
    offices_for(actor, office)  # refuse before parsing: a forbidden caller learns nothing more
    try:
        period = month_period(month, ctx.settings.zone)
    except ValueError:
        raise InvalidRequest(problem=f"month {month!r} is not YYYY-MM") from None
    return period_scoreboard(ctx, actor, period, office, lang)


def current_month(ctx: Context) -> str:
    today: date = ctx.now().astimezone(ctx.settings.zone).date()
    return f"{today:%Y-%m}"
