"""The published monthly exam (月考): publish a month once it has ended, amend it, read it back.

The rules (when a month may be published, how amendments apply, 末位, the
worst items) are ``inspector.domain.scoring.exam``; the record is
``inspector.store.published``. Publishing, amending and the bulletin are for
supervisors and admins (``DECIDERS``); anyone who may read a month's figures
reads its published record (``scores.scoreboard``).
"""

from dataclasses import dataclass, replace
import uuid6

from inspector.domain.figures import readable_offices
from inspector.domain.permissions import Actor
from inspector.domain.roles import DECIDERS
from inspector.domain.scoring import Period, Scoreboard, ScoreFormula, as_of, build_scoreboard, month_period
from inspector.domain.scoring import exam as rules
from inspector.domain.scoring.exam import Amendment, AmendmentKind, AmendmentStep
from inspector.errors import (AmendmentItemExcluded, AmendmentItemInvalid, AmendmentItemNotExcluded,
                              AmendmentReasonMissing, AmendmentScoreInvalid, ExamDecidersOnly,
                              InvalidRequest, MonthNotEnded, MonthNotPublished, UnknownOffice)
from inspector.services.context import Context
from inspector.store import published as store
from inspector.store import users
from inspector.store.engine import read_session, write_session
from inspector.store.published import Publication, Record
from inspector.store.scores import scored_items
from inspector.store.visit_stats import board_visits


@dataclass(frozen=True)
class Published:
    """A published month as it reads now: the record, and the figures in force after its amendments."""

    publication: Publication
    original: Scoreboard  # as published
    amended: rules.AmendedBoard  # the figures in force
    record: Record

    @property
    def steps(self) -> tuple[AmendmentStep, ...]:
        return self.amended.steps


def period_of(ctx: Context, month: str) -> Period:
    """The local calendar month ``'YYYY-MM'``; ``InvalidRequest`` for anything else."""
    try:
        return month_period(month, ctx.settings.zone)
    except ValueError:
        raise InvalidRequest(problem=f"month {month!r} is not YYYY-MM") from None


def _decider(actor: Actor, action: str) -> None:
    if actor.role not in DECIDERS:
        raise ExamDecidersOnly(action=action, role=actor.role)


def _name(session, actor: Actor) -> str:
    return users.display_names(session, [actor.id]).get(actor.id) or actor.username or actor.id


def _published(rec: Record, amendments: list[Amendment]) -> Published:
    return Published(rec.publication, rec.board, rules.amended_board(rec.board, rec.facts, amendments), rec)


def published(ctx: Context, month: str, with_facts: bool = True) -> Published | None:
    """``month``'s record with its amendments applied; ``None`` while unpublished. Checks nobody: callers do.

    Without ``with_facts`` the items' facts are read only when an amendment changes an item's inclusion
    (the figures are then worked out again from them): the board alone is what most readers need.
    """
    with read_session(ctx.engine) as session:
        rec = store.record(session, month, with_facts=False)
        if rec is None:
            return None
        made = store.amendments(session, month)
        if with_facts or any(a.kind != AmendmentKind.SCORE for a in made):
            rec = replace(rec, facts=store.facts_of(session, month))
        return _published(rec, made)


def publication(ctx: Context, month: str) -> Publication | None:
    """Who published ``month`` and when (a light read: no board); ``None`` while unpublished."""
    with read_session(ctx.engine) as session:
        return store.publication(session, month)


def frozen_items(ctx: Context, month: str, ids) -> dict[str, store.FrozenItem]:
    """What a bulletin prints of ``ids`` among ``month``'s frozen items, by id. Checks nobody: callers do."""
    with read_session(ctx.engine) as session:
        return store.frozen_items(session, month, ids)


def publications(ctx: Context, actor: Actor) -> list[Publication]:
    """Every published month, newest first, for anyone who may read figures."""
    readable_offices(actor)
    with read_session(ctx.engine) as session:
        return store.publications(session)


def publish(ctx: Context, actor: Actor, month: str) -> Published:
    """Freeze ``month``'s 月考 as it stands now: the board, its formula, the facts of every item behind it,
    and its visit figures with the visits and windows behind them (they are part of the board).

    ``ExamDecidersOnly`` for anyone but a supervisor or admin; ``MonthNotEnded``
    before the month's last local day is over; ``MonthAlreadyPublished`` the
    second time (of two at once, exactly one wins).
    """
    _decider(actor, "exam.publish")
    period = period_of(ctx, month)
    now = ctx.now()
    if not rules.month_ended(period, now):
        raise MonthNotEnded(month=month, ends=period.last_day.isoformat())
    offices = readable_offices(actor)
    # One transaction: the board is worked out from the same snapshot that is frozen.
    with write_session(ctx.engine) as session:
        rows = scored_items(session, period, as_of(period, now), offices)
        visiting = board_visits(session, period, now, ctx.settings.zone, offices)
        formula = ScoreFormula.parse(ctx.settings.score_weights)
        board = build_scoreboard(rows, period, now, ctx.settings.zone, formula, offices, visiting)
        ids = store.board_ids(board)
        store.publish(session, month, board, [r for r in rows if r.id in ids], actor.id, _name(session, actor), now)
    found = published(ctx, month)
    assert found is not None
    return found


def amend(ctx: Context, actor: Actor, month: str, office: str, kind: str, reason: str | None,
          score: float | None = None, item: str | None = None) -> AmendmentStep:
    """Append an amendment of ``office``'s figures in published ``month``: its score (``kind`` ``score``),
    or an item out of (``exclude``) or back into (``include``) its figures, with a reason. ``item`` is the
    item's id or number. Returns the amendment with the office's score before and after it.
    """
    _decider(actor, "exam.amend")
    period_of(ctx, month)
    try:
        what = AmendmentKind(kind)
    except ValueError:
        raise InvalidRequest(problem=f"kind must be one of {', '.join(k.value for k in AmendmentKind)}") from None
    try:
        why = rules.check_reason(reason)
    except ValueError:
        raise AmendmentReasonMissing(max=rules.MAX_REASON) from None
    with write_session(ctx.engine) as session:
        rec = store.record(session, month)
        if rec is None:
            raise MonthNotPublished(month=month)
        if office not in {row.office for row in rec.board.offices}:
            raise UnknownOffice(office=office)
        before = store.amendments(session, month)
        item_id = None
        if what == AmendmentKind.SCORE:
            try:
                score = rules.check_score(score, rec.board.formula.base)
            except (ValueError, TypeError):
                raise AmendmentScoreInvalid(score=str(score), base=f"{rec.board.formula.base:g}") from None
        else:
            score = None
            item_id = _item(session, month, rec, office, what, (item or "").strip(), before)
        made = Amendment(id=str(uuid6.uuid7()), month=month, office=office, kind=what, reason=why, by=actor.id,
                         by_name=_name(session, actor), at=ctx.now(), score=score, item_id=item_id)
        store.add_amendment(session, made)
        steps = _published(rec, [*before, made]).steps
    return steps[-1]


def _item(session, month: str, rec: Record, office: str, what: AmendmentKind, ref: str,
          before: list[Amendment]) -> str:
    """The id of the item an inclusion amendment names, checked against the office's frozen items."""
    item_id = store.item_by_number(session, month, ref) if ref else None
    if item_id is None or item_id not in rules.office_items(rec.facts, office):
        raise AmendmentItemInvalid(item=ref, office=office, month=month)
    out = rules.excluded_now(before, office)
    if what == AmendmentKind.EXCLUDE and item_id in out:
        raise AmendmentItemExcluded(item=ref, office=office, month=month)
    if what == AmendmentKind.INCLUDE and item_id not in out:
        raise AmendmentItemNotExcluded(item=ref, office=office, month=month)
    return item_id


def amendments(ctx: Context, actor: Actor, month: str, office: str | None = None) -> list[AmendmentStep]:
    """``month``'s amendments with each one's before and after, of the offices ``actor`` may read."""
    offices = set(readable_offices(actor, office))
    period_of(ctx, month)
    found = published(ctx, month, with_facts=False)
    if found is None:
        raise MonthNotPublished(month=month)
    return [s for s in found.steps if s.amendment.office in offices]

