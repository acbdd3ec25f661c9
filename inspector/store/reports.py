"""Campaign summaries: the SQL that reads a period's items for a report, and their photo lists.

Functions take the caller's session and hand out ``ReportedItem`` tuples (the
columns a summary prints, the site's name joined in) and plain values, never
an ``Item`` row.
"""

from datetime import datetime
from typing import Iterable, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inspector.domain.lifecycle import Status
from inspector.domain.scoring import Period
from inspector.store.models import Item, Site


class ReportedItem(NamedTuple):
    """What a summary prints of an item: its columns, and the name of its site."""

    id: str
    number: str | None
    category: str
    office_code: str
    site_name: str | None
    status: str
    reported_at: datetime
    deadline: datetime | None
    leader: str | None
    fix_submitted_at: datetime | None
    verified_at: datetime | None
    rework_count: int
    rebound_count: int
    lat: float
    lon: float
    description: str | None


_COLUMNS = tuple(Site.name.label(name) if name == "site_name" else getattr(Item, name)
                 for name in ReportedItem._fields)


def first_reported_at(session: Session, offices: Iterable[str]) -> datetime | None:
    """When the first item of ``offices`` was reported; ``None`` when none was."""
    return session.execute(select(func.min(Item.reported_at)).where(Item.office_code.in_(list(offices)))).scalar()


def reported_items(session: Session, offices: Iterable[str], period: Period) -> list[ReportedItem]:
    """Every item of ``offices`` reported in ``period``, oldest first; duplicates (merged into another item)
    left out, as the scoreboard leaves them out."""
    rows = session.execute(
        select(*_COLUMNS)
        .outerjoin(Site, Site.id == Item.site_id)
        .where(Item.office_code.in_(list(offices)), Item.reported_at >= period.start, Item.reported_at < period.end,
               Item.status != Status.MERGED)
        .order_by(Item.reported_at, Item.number, Item.id)
    ).all()
    return [ReportedItem._make(r) for r in rows]


def photo_lists(session: Session, item_ids: Iterable[str]) -> dict[str, tuple[list[str], list[str]]]:
    """Each item's report photos and fix photos, by id."""
    ids = list(item_ids)
    if not ids:
        return {}
    rows = session.execute(select(Item.id, Item.photos, Item.fix_photos).where(Item.id.in_(ids))).all()
    return {r.id: (r.photos or [], r.fix_photos or []) for r in rows}
