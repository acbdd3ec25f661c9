"""Checklists: every SQL statement on ``checklists``, one row per version of a site type's list.

Rows are added, never changed: a visit names the version it used. A version is
handed out as the domain's ``Checklist`` (``by_id``, ``current``), its history
as ``VersionPublic`` lines. The same statements run on the field client's
database (built from the same tables), where ``replace_all`` keeps exactly the
current versions the server last sent.

Two admins saving one site type at once both aim at the same next version
number; the table's UNIQUE(site_type, version) lets one in and turns the other
into ``ChecklistConflict``, whatever the database's locking.
"""

from datetime import datetime
from typing import Iterable, Mapping
from uuid import NAMESPACE_URL, uuid5

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from inspector.domain.checklists import CheckPoint, Checklist, point_dict
from inspector.domain.standard import SITE_TYPES, shipped_checklist
from inspector.errors import ChecklistConflict
from inspector.store.models import ChecklistRow
from inspector.store.public import Public


class VersionPublic(Public):
    """One line of a checklist's history."""

    id: str
    site_type: str
    version: int
    created_at: datetime
    created_by: str | None
    points: int  # how many


def _point(data: Mapping) -> CheckPoint:
    return CheckPoint(code=data["code"], text=dict(data.get("text") or {}), category=data["category"],
                      starred=bool(data.get("starred")))


def _checklist(row: ChecklistRow) -> Checklist:
    return Checklist(id=row.id, site_type=row.site_type, version=row.version,
                     points=tuple(_point(p) for p in row.points or ()))


def by_id(session: Session, checklist_id: str) -> Checklist | None:
    """The version ``checklist_id``, or ``None``."""
    row = session.get(ChecklistRow, checklist_id)
    return _checklist(row) if row is not None else None


def _newest(site_type: str | None = None):
    newest = select(ChecklistRow.site_type, func.max(ChecklistRow.version).label("version"))
    if site_type is not None:
        newest = newest.where(ChecklistRow.site_type == site_type)
    newest = newest.group_by(ChecklistRow.site_type).subquery()
    return (select(ChecklistRow)
            .join(newest, (ChecklistRow.site_type == newest.c.site_type) & (ChecklistRow.version == newest.c.version))
            .order_by(ChecklistRow.site_type))


def current(session: Session, site_type: str) -> Checklist | None:
    """The newest version of ``site_type``'s checklist; ``None`` when the type has none yet."""
    row = session.exec(_newest(site_type)).first()
    return _checklist(row) if row is not None else None


def current_all(session: Session) -> list[Checklist]:
    """The newest version of every site type's checklist, by site type."""
    return [_checklist(row) for row in session.exec(_newest()).all()]


def versions(session: Session, site_type: str) -> list[VersionPublic]:
    """Every version of ``site_type``'s checklist, newest first."""
    rows = session.exec(select(ChecklistRow).where(ChecklistRow.site_type == site_type)
                        .order_by(ChecklistRow.version.desc())).all()
    return [VersionPublic(id=r.id, site_type=r.site_type, version=r.version, created_at=r.created_at,
                          created_by=r.created_by, points=len(r.points or ())) for r in rows]


def next_version(session: Session, site_type: str) -> int:
    """The number the next version of ``site_type``'s checklist gets (1 for the first)."""
    top = session.exec(select(func.max(ChecklistRow.version)).where(ChecklistRow.site_type == site_type)).one()
    return (top or 0) + 1


def add_version(session: Session, checklist_id: str, site_type: str, points: Iterable[CheckPoint], at: datetime,
                by: str | None, version: int | None = None) -> Checklist:
    """Store ``points`` as version ``version`` (default: the next) of ``site_type``'s checklist.

    Raises ``ChecklistConflict`` (naming the version that won) when that number is taken; the
    session is then rolled back to before this call and may go on.
    """
    number = version if version is not None else next_version(session, site_type)
    row = ChecklistRow(id=checklist_id, site_type=site_type, version=number,
                       points=[point_dict(p) for p in points], created_at=at, created_by=by)
    try:
        with session.begin_nested():  # a savepoint: the refused insert leaves the transaction usable
            session.add(row)
    except IntegrityError:
        raise ChecklistConflict(site_type=site_type, version=next_version(session, site_type) - 1) from None
    return _checklist(row)


def replace_all(session: Session, fresh: Iterable[Checklist], at: datetime) -> None:
    """Keep exactly the versions ``fresh`` (the field client: the server's current checklists, fetched ``at``)."""
    fresh = list(fresh)
    keep = {c.id for c in fresh}
    for row in session.exec(select(ChecklistRow)).all():
        if row.id not in keep:
            session.delete(row)
    session.flush()  # the old rows' (site_type, version) are free before the new ones arrive
    for c in fresh:
        row = session.get(ChecklistRow, c.id) or ChecklistRow(id=c.id, site_type=c.site_type, version=c.version,
                                                               created_at=at)
        row.site_type, row.version, row.points = c.site_type, c.version, [point_dict(p) for p in c.points]
        session.add(row)


def shipped_id(site_type: str) -> str:
    """The id of a shipped checklist's version 1: the same on every server and device."""
    return str(uuid5(NAMESPACE_URL, f"inspector:checklist:{site_type}:1"))


def seed_shipped(session: Session, texts: Mapping[str, Mapping[str, str]], at: datetime) -> None:
    """Give every shipped site type without a checklist the standard's as version 1 (words from ``texts``)."""
    have = set(session.exec(select(ChecklistRow.site_type).distinct()).all())
    for site_type in SITE_TYPES:
        if site_type not in have:
            session.add(ChecklistRow(id=shipped_id(site_type), site_type=site_type, version=1, created_at=at,
                                     points=[point_dict(p) for p in shipped_checklist(site_type, texts)]))
