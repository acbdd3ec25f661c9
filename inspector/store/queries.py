"""Queries: the item list with its filters, visibility as SQL, the pull feed, item numbers.

Visibility here must say exactly what ``inspector.domain.permissions.can_see``
says; ``tests/store/test_visibility.py`` checks the two against each other.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, false, func, or_, true, update
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlalchemy.sql import ColumnElement
from sqlmodel import Session, select

from inspector.domain.events import Event
from inspector.domain.items import AT_OFFICE, ItemState
from inspector.domain.lifecycle import Kind
from inspector.domain.oversight import PhotoUse
from inspector.domain.permissions import INSPECTOR_STATUSES, Actor
from inspector.domain.roles import OFFICE_ROLES, SEES_ALL, Role
from inspector.store.convert import event_of, item_state
from inspector.store.engine import feed_horizon
from inspector.store.models import DayCounter, EventRow, Item, ItemPhoto

NUMBER_LIKE = re.compile(r"[0-9][0-9-]*")
SORTABLE = {
    "reported_at": Item.reported_at,
    "deadline": Item.deadline,
    "updated_at": Item.updated_at,
    "number": Item.number,
    "status": Item.status,
    "office": Item.office_code,
    "category": Item.category,
}


LIKE_ESCAPE = "\\"


def like_escaped(text: str) -> str:
    """``text`` for a LIKE pattern with ``escape=LIKE_ESCAPE``: a typed ``%`` or ``_`` is that character,
    not a wildcard (searching "100%" must not match every item that has "100" in it)."""
    return text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%").replace("_", LIKE_ESCAPE + "_")


@dataclass(frozen=True)
class Columns:
    """The codes a list of items is narrowed to, one column each (``None``: any).

    ``ItemFilter`` is these and the conditions of the lists; the desk's
    ``Filters`` is these and what the supervisor sets beside them.
    """

    office: str | None = None
    status: str | None = None
    category: str | None = None
    site: str | None = None
    check_type: str | None = None


@dataclass(frozen=True)
class ItemFilter(Columns):
    """What a list of items is narrowed by, as the database asks it."""

    statuses: tuple[str, ...] = ()  # any of these (the to-do lists); ``status`` is one exact status
    overdue: bool | None = None
    rebound: bool | None = None
    disputed: bool | None = None
    extension_pending: bool | None = None
    return_pending: bool | None = None  # a return (退回/申辩) waits for the supervisor
    supported_by: str | None = None  # items this office supports (配合) without leading them
    q: str | None = None  # part of the number, the description or the leader
    ids: tuple[str, ...] = ()  # only these items (the items behind a score); empty: no such limit
    reported_from: datetime | None = None
    reported_to: datetime | None = None  # excluded
    reported_by: str | None = None
    sort: str = "-reported_at"


def visible_to(actor: Actor) -> ColumnElement[bool]:
    """The SQL condition for the items ``actor`` may see."""
    if actor.role in SEES_ALL:  # D: the server's sweep too
        return true()
    mine = Item.reported_by == actor.id
    if actor.role in OFFICE_ROLES:
        return or_(mine, involves(actor.office))
    if actor.role == Role.INSPECTOR:
        return or_(mine, Item.status.in_(INSPECTOR_STATUSES))
    if actor.role == Role.SPOT_CHECKER:
        return or_(mine, *in_scopes(actor.scopes, Item.office_code, Item.site_id, Item.reported_at))
    return false()


def in_scopes(scopes, office: ColumnElement, site: ColumnElement, at: ColumnElement) -> list[ColumnElement[bool]]:
    """A spot checker's delegated scopes as SQL conditions, one per scope (``permissions`` scope ``covers_place``):
    its offices or sites, within its dates. Items and visits name the columns that hold each."""
    conditions = []
    for scope in scopes:
        place = []
        if scope.offices:
            place.append(office.in_(scope.offices))
        if scope.sites:
            place.append(site.in_(scope.sites))
        if not place:
            continue
        parts = [or_(*place)]
        if scope.starts:
            parts.append(at >= scope.starts)
        if scope.ends:
            parts.append(at <= scope.ends)
        conditions.append(and_(*parts))
    return conditions


def supports(office: str) -> ColumnElement[bool]:
    """SQL: ``office`` is one of the item's supporting offices (``items.supporting_offices`` is ``,a,b,``)."""
    return Item.supporting_offices.like(f"%,{like_escaped(office)},%", escape=LIKE_ESCAPE)


def involves(office: str | None) -> ColumnElement[bool]:
    """SQL: ``office`` leads the item or supports it (``ItemState.involves``)."""
    if office is None:
        return false()
    return or_(Item.office_code == office, supports(office))


def _filtered(actor: Actor, f: ItemFilter, now: datetime):
    conditions = [visible_to(actor)]
    for column, value in (
        (Item.office_code, f.office),
        (Item.status, f.status),
        (Item.category, f.category),
        (Item.site_id, f.site),
        (Item.check_type, f.check_type),
    ):
        if value:
            conditions.append(column == value)
    if f.reported_by:
        conditions.append(Item.reported_by == f.reported_by)
    if f.statuses:
        conditions.append(Item.status.in_(f.statuses))
    if f.ids:
        conditions.append(Item.id.in_(f.ids))
    overdue = and_(Item.status.in_(AT_OFFICE), Item.deadline < now)
    if f.overdue is not None:
        conditions.append(overdue if f.overdue else ~overdue)
    if f.rebound is not None:
        conditions.append(Item.rebound_count > 0 if f.rebound else Item.rebound_count == 0)
    if f.disputed is not None:
        conditions.append(Item.disputed == f.disputed)
    if f.extension_pending is not None:
        pending = Item.extension_until.is_not(None)
        conditions.append(pending if f.extension_pending else ~pending)
    if f.supported_by:
        conditions.append(supports(f.supported_by))
    if f.return_pending is not None:
        waiting = Item.returned_at.is_not(None)
        conditions.append(waiting if f.return_pending else ~waiting)
    if f.reported_from:
        conditions.append(Item.reported_at >= f.reported_from)
    if f.reported_to:
        conditions.append(Item.reported_at < f.reported_to)
    if f.q and f.q.strip():
        q = f.q.strip()
        like = f"%{like_escaped(q)}%"
        if NUMBER_LIKE.fullmatch(q):
            # Looks like (part of) an item number: the narrow number index is enough.
            conditions.append(Item.number.like(like, escape=LIKE_ESCAPE))
        elif actor.role == Role.SPOT_CHECKER:
            # The leader is part of the verdict a blind re-inspection must not see.
            conditions.append(or_(Item.description.like(like, escape=LIKE_ESCAPE),
                                  Item.number.like(like, escape=LIKE_ESCAPE)))
        else:
            conditions.append(or_(Item.description.like(like, escape=LIKE_ESCAPE),
                                  Item.leader.like(like, escape=LIKE_ESCAPE),
                                  Item.number.like(like, escape=LIKE_ESCAPE)))
    return and_(*conditions)


def list_items(session: Session, actor: Actor, f: ItemFilter, now: datetime,
               page: int = 1, page_size: int = 50) -> tuple[list[ItemState], int]:
    """One page of the items ``actor`` may see that pass ``f``, and how many pass in all."""
    where = _filtered(actor, f, now)
    total = session.exec(select(func.count()).select_from(Item).where(where)).one()
    column = SORTABLE.get(f.sort.lstrip("-"), Item.reported_at)
    order = (column.desc(), Item.id.desc()) if f.sort.startswith("-") else (column.asc(), Item.id.asc())
    # Page over the narrow (sort key, id) pairs first, then load the 50 whole rows:
    # sorting thousands of matches is cheap when the rows sorted are two columns wide.
    if f.q:
        # A text search matches few rows; without this fence the planner walks the
        # sort index and tests every row in it.
        matches = select(Item.id, column.label("key")).where(where).cte("matches").prefix_with("MATERIALIZED")
        key = matches.c.key.desc() if f.sort.startswith("-") else matches.c.key.asc()
        tie = matches.c.id.desc() if f.sort.startswith("-") else matches.c.id.asc()
        statement = select(matches.c.id).order_by(key, tie)
    else:
        statement = select(Item.id).where(where).order_by(*order)
    ids = session.exec(statement.offset((page - 1) * page_size).limit(page_size)).all()
    if not ids:
        return [], total
    rows = {r.id: r for r in session.exec(select(Item).where(Item.id.in_(ids))).all()}
    return [item_state(rows[i]) for i in ids], total


def item(session: Session, item_id: str) -> ItemState | None:
    """The item ``item_id`` as its row projects it; ``None`` when there is none."""
    row = session.get(Item, item_id)
    return item_state(row) if row is not None else None


def events_of(session: Session, item_id: str) -> list[Event]:
    """An item's log in server order."""
    statement = select(EventRow).where(EventRow.item_id == item_id).order_by(EventRow.seq)
    return [event_of(row) for row in session.exec(statement).all()]


def checked_by(actor_id: str, item_id_column) -> ColumnElement[bool]:
    """SQL: ``actor_id`` has recorded a spot check of the item in ``item_id_column``."""
    check = aliased(EventRow)
    return exists().where(check.item_id == item_id_column, check.actor_id == actor_id,
                          check.kind == Kind.SPOT_CHECKED)


def spot_checked_items(session: Session, actor_id: str, item_ids) -> set[str]:
    """Which of ``item_ids`` ``actor_id`` has spot-checked."""
    item_ids = list(item_ids)
    if not item_ids:
        return set()
    statement = select(EventRow.item_id).where(EventRow.item_id.in_(item_ids), EventRow.actor_id == actor_id,
                                               EventRow.kind == Kind.SPOT_CHECKED).distinct()
    return set(session.exec(statement).all())


def _blind_events(actor: Actor) -> ColumnElement[bool]:
    """What a spot checker pulls (see ``inspector.domain.oversight.is_blind``): reports and their own
    events, and everything of items they reported or have spot-checked."""
    return or_(EventRow.kind == Kind.REPORTED, EventRow.actor_id == actor.id, Item.reported_by == actor.id,
               checked_by(actor.id, EventRow.item_id))


def pull_feed(session: Session, actor: Actor, after: int, limit: int) -> list[Event]:
    """Events after ``after`` of the items ``actor`` may see, in ``seq`` order; on PostgreSQL only
    those below the high-water mark, so a cursor never passes an event still to commit."""
    statement = (
        select(EventRow)
        .join(Item, Item.id == EventRow.item_id)
        .where(EventRow.seq > after, visible_to(actor))
    )
    horizon = feed_horizon(session)  # PostgreSQL: below it every transaction has ended (inspector.store.events)
    if horizon is not None:
        statement = statement.where(EventRow.seq < horizon)
    if actor.role == Role.SPOT_CHECKER:
        statement = statement.where(_blind_events(actor))
    statement = statement.order_by(EventRow.seq).limit(limit)
    return [event_of(row) for row in session.exec(statement).all()]


def photo_uses(session: Session, viewer: Actor, shas) -> dict[str, list[PhotoUse]]:
    """How the items ``viewer`` may see use each photo of ``shas``: one query for them all.

    ``visible_to`` only narrows the rows; whether the viewer sees a photo
    through a use (blindness included) is ``inspector.domain.oversight.sees_photo``.
    """
    shas = list(shas)
    if not shas:
        return {}
    checked = checked_by(viewer.id, ItemPhoto.item_id) if viewer.role == Role.SPOT_CHECKER else false()
    statement = (
        sa_select(ItemPhoto.sha256, Item, EventRow.kind, EventRow.actor_id, checked.label("checked"))
        .join(Item, Item.id == ItemPhoto.item_id)
        .join(EventRow, EventRow.id == ItemPhoto.event_id)
        .where(ItemPhoto.sha256.in_(shas), visible_to(viewer))
    )
    uses: dict[str, list[PhotoUse]] = {}
    for sha, item, kind, actor_id, was_checked in session.execute(statement).all():
        uses.setdefault(sha, []).append(PhotoUse(item_state(item), kind, actor_id, bool(was_checked)))
    for sha, use in _uses_through_merges(session, viewer, shas):
        uses.setdefault(sha, []).append(use)
    return uses


def _uses_through_merges(session: Session, viewer: Actor, shas: list[str]) -> list[tuple[str, PhotoUse]]:
    """A duplicate's photos are shown on the item it was merged into: a use by that item, for whoever sees it
    (as the event that attached them to the duplicate, so a blind viewer is shown the report's alone)."""
    dup = aliased(Item)
    links = session.execute(
        sa_select(ItemPhoto.sha256, dup.merged_into, EventRow.kind, EventRow.actor_id)
        .join(dup, dup.id == ItemPhoto.item_id)
        .join(EventRow, EventRow.id == ItemPhoto.event_id)
        .where(ItemPhoto.sha256.in_(shas), dup.merged_into.is_not(None))
    ).all()
    if not links:
        return []
    wanted = {target for _, target, _, _ in links}
    targets = {row.id: item_state(row)
               for row in session.exec(select(Item).where(Item.id.in_(wanted), visible_to(viewer))).all()}
    return [(sha, PhotoUse(targets[target], kind, actor_id, False))
            for sha, target, kind, actor_id in links if target in targets]


def next_number(session: Session, day: str) -> int:
    """The next ordinal of the local day ``day``; safe under concurrent writers."""
    counter = session.get(DayCounter, day)
    if counter is None:
        session.add(DayCounter(day=day, last=1))
        session.flush()
        return 1
    session.exec(update(DayCounter).where(DayCounter.day == day).values(last=DayCounter.last + 1))
    session.refresh(counter)
    return counter.last
