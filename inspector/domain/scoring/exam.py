"""The published monthly exam (月考): when a month may be published, amendments, 末位, the worst items.

Pure: the published board, the items' frozen facts and the amendments are
passed in; nothing here reads a clock or a database. The rules:

- **Publishing.** A month may be published once it has ended (``now`` at or
  after the end of its last local day), once. What is published is the
  scoreboard as it stood then, with the facts of every item behind a number;
  later events change the live figures, never the record.
- **Amendments** are appended, never edited, each with a reason, and are
  applied in the order they were made, office by office:
  ``score`` sets the office's score by hand; ``exclude`` takes one of the
  office's items out of its figures (the office's measures and score are
  worked out again from the frozen facts without it); ``include`` puts back an
  item an earlier amendment took out. A later amendment acts on what the
  earlier ones left: an exclusion after a hand-set score works the score out
  again from the items (the office's visit figures stay as published: an
  amendment names items, not visits). The ranking and the all-offices row are those of the
  amended rows; the charts stay as published.
- **末位.** The ``n`` lowest places among the ranked offices (offices
  without a score have no rank and are never flagged). Offices sharing a rank
  with a flagged place are flagged too: equal scores, equal treatment. Nothing
  is flagged unless more offices are ranked than ``n`` (a lone office is not
  last of anything).
- **The worst items** are those the office answers for in the month (its
  cohort or overdue at the month's end), not excluded, with something wrong:
  overdue at the month's end (longest first), then rebounds, then rejected
  fixes.
"""

import math
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Iterable, Sequence

from inspector.domain.scoring.board import Scoreboard, ranked
from inspector.domain.scoring.charts import weekly_trend
from inspector.domain.scoring.facts import Facts
from inspector.domain.scoring.measures import ALL, OfficeScore, merged_score, office_score, overdue_at
from inspector.domain.scoring.periods import Period

MAX_REASON = 500  # characters of an amendment's reason
DEFAULT_LAST_PLACES = 1  # 末位: how many of the lowest places the bulletin flags
DEFAULT_WORST_ITEMS = 6  # items with photos in the bulletin


class AmendmentKind(StrEnum):
    SCORE = "score"  # the office's score set by hand
    EXCLUDE = "exclude"  # one item taken out of the office's figures
    INCLUDE = "include"  # an excluded item put back


@dataclass(frozen=True)
class Amendment:
    """One correction of a published month, as recorded."""

    id: str
    month: str
    office: str
    kind: AmendmentKind
    reason: str
    by: str  # user id
    by_name: str  # the name shown, as it was when the amendment was made
    at: datetime
    score: float | None = None  # kind SCORE
    item_id: str | None = None  # kinds EXCLUDE and INCLUDE


@dataclass(frozen=True)
class AmendmentStep:
    """An amendment with the office's score just before and just after it."""

    amendment: Amendment
    before: float | None
    after: float | None


@dataclass(frozen=True)
class AmendedBoard:
    board: Scoreboard  # the figures in force: the published ones with every amendment applied
    steps: tuple[AmendmentStep, ...]  # the amendments in the order applied
    excluded: frozenset[str]  # items out of the figures now

    def office_steps(self, office: str) -> tuple[AmendmentStep, ...]:
        return tuple(s for s in self.steps if s.amendment.office == office)


def month_ended(period: Period, now: datetime) -> bool:
    """Is the month over at ``now`` (its last local day has ended)?"""
    return now >= period.end


def check_reason(reason: str | None) -> str:
    """The reason stripped; ``ValueError`` when empty or longer than ``MAX_REASON``."""
    text = (reason or "").strip()
    if not text:
        raise ValueError("reason_required")
    if len(text) > MAX_REASON:
        raise ValueError("reason_too_long")
    return text


def check_score(score: float | None, base: float) -> float:
    """A hand-set score: a finite number from 0 to the formula's base; ``ValueError`` otherwise."""
    if score is None or isinstance(score, bool) or not math.isfinite(score) or not 0 <= score <= base:
        raise ValueError("score_out_of_range")
    return float(score)


def office_items(facts: Iterable[Facts], office: str) -> set[str]:
    """The ids of ``office``'s frozen items."""
    return {f.id for f in facts if f.office == office}


def excluded_now(amendments: Iterable[Amendment], office: str | None = None) -> frozenset[str]:
    """The items taken out (of ``office``'s figures, or anyone's) by the amendments so far."""
    out: set[str] = set()
    for a in amendments:
        if office is not None and a.office != office:
            continue
        if a.kind == AmendmentKind.EXCLUDE and a.item_id:
            out.add(a.item_id)
        elif a.kind == AmendmentKind.INCLUDE and a.item_id:
            out.discard(a.item_id)
    return frozenset(out)


def _recomputed(board: Scoreboard, row: OfficeScore, facts: Sequence[Facts], excluded: set[str]) -> OfficeScore:
    """``row``'s office worked out again from the frozen facts; its visit figures stay as published."""
    mine = [f for f in facts if f.office == row.office and f.id not in excluded]
    return office_score(row.office, mine, board.period, board.as_of, board.formula, row.visiting)


def amended_board(board: Scoreboard, facts: Sequence[Facts], amendments: Sequence[Amendment]) -> AmendedBoard:
    """The published ``board`` with ``amendments`` applied in order (see the module docstring).

    Without amendments the board is the published one, unchanged: a published
    figure is never worked out again unless an amendment asks for it.
    """
    if not amendments:
        return AmendedBoard(board, (), frozenset())
    rows = {row.office: row for row in board.offices}
    excluded: dict[str, set[str]] = {}
    steps = []
    for a in amendments:
        row = rows.get(a.office)
        if row is None:
            continue  # an office no longer on the board: recorded, not applied
        before = row.score
        if a.kind == AmendmentKind.SCORE:
            row = replace(row, score=a.score)
        else:
            out = excluded.setdefault(a.office, set())
            if a.kind == AmendmentKind.EXCLUDE:
                out.add(a.item_id)
            else:
                out.discard(a.item_id)
            row = replace(_recomputed(board, row, facts, out), rank=row.rank)
        rows[a.office] = row
        steps.append(AmendmentStep(a, before, row.score))
    offices = ranked([rows[row.office] for row in board.offices])
    new = replace(board, offices=tuple(offices), overall=merged_score(ALL, offices, board.formula))
    return AmendedBoard(new, tuple(steps), frozenset(i for ids in excluded.values() for i in ids))


def for_offices(board: Scoreboard, facts: Sequence[Facts], offices: Sequence[str], zone) -> Scoreboard:
    """The rows of ``offices`` only (an office's staff see their own), their sum, and their charts.

    Ranks stay those of the whole published ranking.
    """
    wanted = set(offices)
    if wanted >= {row.office for row in board.offices}:
        return board
    rows = tuple(row for row in board.offices if row.office in wanted)
    mine = [f for f in facts if f.office in wanted]
    return replace(board, offices=rows, overall=merged_score(ALL, rows, board.formula),
                   status_by_office={o: c for o, c in board.status_by_office.items() if o in wanted},
                   weekly=tuple(weekly_trend(mine, board.period, zone)),
                   visits=tuple(v for v in board.visits if v.office in wanted),
                   windows=tuple(w for w in board.windows if w.office in wanted))


def last_places(rows: Sequence[OfficeScore], n: int) -> frozenset[str]:
    """The offices flagged 末位: the ``n`` lowest places, ties included (see the module docstring)."""
    ranks = sorted((row.rank for row in rows if row.rank is not None), reverse=True)
    if n <= 0 or len(ranks) <= n:
        return frozenset()
    cut = ranks[n - 1]  # the rank of the n-th lowest place
    return frozenset(row.office for row in rows if row.rank is not None and row.rank >= cut)


@dataclass(frozen=True)
class WorstItem:
    id: str
    office: str
    overdue: bool  # still with the office past its deadline at the month's end
    overdue_days: int  # whole days past the deadline then
    rebounds: int
    reworks: int


def worst_items(board: Scoreboard, facts: Sequence[Facts], excluded: Iterable[str], limit: int) -> list[WorstItem]:
    """Up to ``limit`` of the month's worst items (see the module docstring), worst first."""
    out_of_figures = set(excluded)
    counted = {i for row in board.offices for i in (*row.assigned.ids, *row.overdue.ids)} - out_of_figures
    found = []
    for f in facts:
        if f.id not in counted:
            continue
        late = overdue_at(f, board.as_of)
        days = max(0, (board.as_of - f.deadline).days) if late and f.deadline else 0
        if late or f.rebound_count or f.rework_count:
            found.append(WorstItem(f.id, f.office, late, days, f.rebound_count, f.rework_count))
    found.sort(key=lambda w: (not w.overdue, -w.overdue_days, -w.rebounds, -w.reworks, w.id))
    return found[:max(0, limit)]
