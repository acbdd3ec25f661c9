"""Published months (月考): the frozen scoreboard, the facts of the items behind it, and the amendments.

The board and the facts are kept as JSON and read back into the domain's
typed values (``Scoreboard``, ``Facts``) by pydantic, so a record reads as
what it was when published. Functions take the caller's session and hand out
domain values and ``*Public`` models, never rows.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Sequence

from pydantic import TypeAdapter
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from inspector.domain.scoring import Facts, Scoreboard
from inspector.domain.scoring.exam import Amendment, AmendmentKind
from inspector.errors import MonthAlreadyPublished
from inspector.store.models import Item, MonthAmendment, PublishedItem, PublishedMonth, Site

CHUNK = 1000  # item ids per IN list
BOARD = TypeAdapter(Scoreboard)
FACTS = TypeAdapter(Facts)


@dataclass(frozen=True)
class Publication:
    """Who published a month, and when."""

    month: str
    at: datetime
    by: str  # user id
    by_name: str


@dataclass(frozen=True)
class FrozenItem:
    """What a bulletin prints of an item of a published month, as it was then."""

    id: str
    office: str
    number: str | None
    category: str
    site_name: str | None
    leader: str | None
    before_photo: str | None
    after_photo: str | None
    facts: Facts


@dataclass(frozen=True)
class Record:
    """A published month: who and when, the board as published, the frozen items' facts."""

    publication: Publication
    board: Scoreboard
    facts: tuple[Facts, ...]


def _publication(row: PublishedMonth) -> Publication:
    return Publication(row.month, row.published_at, row.published_by, row.published_by_name)


def publication(session: Session, month: str) -> Publication | None:
    """Who published ``month`` and when; ``None`` while it is unpublished."""
    row = session.get(PublishedMonth, month)
    return None if row is None else _publication(row)


def publications(session: Session) -> list[Publication]:
    """Every published month, newest month first."""
    rows = session.execute(select(PublishedMonth.month, PublishedMonth.published_at, PublishedMonth.published_by,
                                  PublishedMonth.published_by_name).order_by(PublishedMonth.month.desc())).all()
    return [Publication(*row) for row in rows]


def record(session: Session, month: str, with_facts: bool = True) -> Record | None:
    """The published month with its board and (``with_facts``: the reading of thousands of rows) its items'
    facts; ``None`` while it is unpublished."""
    row = session.get(PublishedMonth, month)
    if row is None:
        return None
    return Record(_publication(row), BOARD.validate_python(row.board), facts_of(session, month) if with_facts else ())


def facts_of(session: Session, month: str) -> tuple[Facts, ...]:
    """The scoring facts of ``month``'s frozen items."""
    rows = session.execute(select(PublishedItem.facts).where(PublishedItem.month == month)
                           .order_by(PublishedItem.item_id)).scalars()
    return tuple(FACTS.validate_python(f) for f in rows)


def board_ids(board: Scoreboard) -> set[str]:
    """Every item id behind a number of ``board``: its rows and its charts."""
    ids: set[str] = set()
    for row in (*board.offices, board.overall):
        for name in ("assigned", "closed", "closed_on_time", "extended", "overdue"):
            ids.update(getattr(row, name).ids)
    for cells in board.status_by_office.values():
        for count in cells.values():
            ids.update(count.ids)
    for week in board.weekly:
        ids.update(week.reported.ids)
        ids.update(week.closed.ids)
    return ids


def publish(session: Session, month: str, board: Scoreboard, facts: Sequence[Facts], by: str, by_name: str,
            at: datetime) -> Publication:
    """Freeze ``board`` as ``month``'s record with the facts and printed details of the items behind it.

    ``MonthAlreadyPublished`` when the month has a record, also when another
    server's publish got in first (the month is the primary key).
    """
    first = publication(session, month)
    if first is not None:
        raise MonthAlreadyPublished(month=month, at=first.at.isoformat(), by=first.by_name)
    session.add(PublishedMonth(month=month, published_at=at, published_by=by, published_by_name=by_name,
                               board=BOARD.dump_python(board, mode="json")))
    try:
        session.flush()
    except IntegrityError:
        raise MonthAlreadyPublished(month=month, at="", by="") from None
    wanted = {f.id: f for f in facts}
    ids = sorted(wanted)
    for start in range(0, len(ids), CHUNK):  # bounded IN lists: a busy month holds thousands of items
        rows = session.execute(select(Item.id, Item.number, Item.category, Item.office_code, Site.name, Item.leader,
                                      Item.photos, Item.fix_photos).outerjoin(Site, Site.id == Item.site_id)
                               .where(Item.id.in_(ids[start:start + CHUNK]))).all()
        if rows:  # one multi-row INSERT per chunk, not an ORM object per item
            session.execute(insert(PublishedItem), [dict(
                month=month, item_id=r.id, office_code=r.office_code,
                facts=FACTS.dump_python(wanted[r.id], mode="json"), number=r.number, category=r.category,
                site_name=r.name, leader=r.leader,
                before_photo=(r.photos or [None])[0], after_photo=(r.fix_photos or [None])[0]) for r in rows])
    return Publication(month, at, by, by_name)


def frozen_items(session: Session, month: str, ids: Iterable[str]) -> dict[str, FrozenItem]:
    """The frozen details of ``ids`` among ``month``'s items, by id."""
    wanted = list(ids)
    if not wanted:
        return {}
    rows = session.execute(select(PublishedItem).where(PublishedItem.month == month,
                                                       PublishedItem.item_id.in_(wanted))).scalars()
    return {r.item_id: FrozenItem(r.item_id, r.office_code, r.number, r.category, r.site_name, r.leader,
                                  r.before_photo, r.after_photo, FACTS.validate_python(r.facts)) for r in rows}


def item_by_number(session: Session, month: str, ref: str) -> str | None:
    """The id of ``month``'s frozen item whose id or number is ``ref``."""
    return session.execute(select(PublishedItem.item_id).where(
        PublishedItem.month == month, (PublishedItem.item_id == ref) | (PublishedItem.number == ref))).scalar()


def _amendment(row: MonthAmendment) -> Amendment:
    return Amendment(id=row.id, month=row.month, office=row.office_code, kind=AmendmentKind(row.kind),
                     reason=row.reason, by=row.made_by, by_name=row.made_by_name, at=row.made_at, score=row.score,
                     item_id=row.item_id)


def amendments(session: Session, month: str) -> list[Amendment]:
    """``month``'s amendments in the order they apply."""
    rows = session.execute(select(MonthAmendment).where(MonthAmendment.month == month)
                           .order_by(MonthAmendment.seq)).scalars()
    return [_amendment(r) for r in rows]


def add_amendment(session: Session, a: Amendment) -> Amendment:
    """Append ``a`` after ``a.month``'s last amendment (writes are serialised: the next number is free)."""
    last = session.execute(select(func.max(MonthAmendment.seq)).where(MonthAmendment.month == a.month)).scalar()
    session.add(MonthAmendment(id=a.id, month=a.month, seq=(last or 0) + 1, office_code=a.office, kind=str(a.kind),
                               score=a.score, item_id=a.item_id, reason=a.reason, made_by=a.by,
                               made_by_name=a.by_name, made_at=a.at))
    session.flush()
    return a
