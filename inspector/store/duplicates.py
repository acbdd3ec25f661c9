"""Duplicates: the SQL of the items near a point, of the items merged into others, and of an item by number.

The rules (what is a candidate, what a merge may name) are the domain's
(``inspector.domain.duplicates``); these statements only narrow the rows
cheaply: a category and a latitude/longitude box served by the items' columns.
Functions take the caller's session and hand out ``ItemState`` values.
"""

from typing import Iterable

from sqlalchemy import ColumnElement
from sqlmodel import Session, select

from inspector.domain.duplicates import MERGE_TARGETS
from inspector.domain.items import ItemState
from inspector.domain.permissions import Actor
from inspector.store import queries
from inspector.store.convert import item_state
from inspector.store.models import Item

NEARBY_CAP = 200  # rows a box may bring; a report's neighbourhood holds a handful


def near_filter(category: str, box: tuple[float, float, float, float]) -> list[ColumnElement[bool]]:
    """The conditions of items of ``category``, open or done, inside ``box`` (lat_min, lat_max, lon_min, lon_max).

    The field client runs them over its own copy (``LocalStore.visible_items``), the server over the
    shared database (``nearby``): the same rows, then the same domain rule.
    """
    lat_min, lat_max, lon_min, lon_max = box
    return [Item.category == category, Item.status.in_(MERGE_TARGETS),
            Item.lat >= lat_min, Item.lat <= lat_max, Item.lon >= lon_min, Item.lon <= lon_max]


def nearby(session: Session, actor: Actor, where: Iterable[ColumnElement[bool]],
           cap: int = NEARBY_CAP) -> list[ItemState]:
    """The items ``actor`` sees that meet ``where`` (``near_filter``'s), at most ``cap``."""
    statement = select(Item).where(queries.visible_to(actor), *where).order_by(Item.id).limit(cap)
    return [item_state(row) for row in session.exec(statement).all()]


def duplicated(session: Session, item_ids: Iterable[str]) -> set[str]:
    """Which of ``item_ids`` other items were merged into."""
    ids = list(set(item_ids))
    if not ids:
        return set()
    return set(session.exec(select(Item.merged_into).where(Item.merged_into.in_(ids)).distinct()).all())


def duplicates_of(session: Session, item_id: str) -> list[ItemState]:
    """The items merged into ``item_id``, oldest report first."""
    statement = select(Item).where(Item.merged_into == item_id).order_by(Item.reported_at, Item.id)
    return [item_state(row) for row in session.exec(statement).all()]


def by_number(session: Session, number: str) -> ItemState | None:
    """The item numbered ``number`` (``2026-0715-032``), or ``None``."""
    row = session.exec(select(Item).where(Item.number == number)).first()
    return item_state(row) if row is not None else None
