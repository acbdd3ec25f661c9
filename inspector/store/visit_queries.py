"""Schedules: the SQL the due list and the coverage screen read on ``visits``, ``sites`` and ``site_types``.

Visits count on the local day of their ``server_at`` in the campaign's zone.
SQLite and PostgreSQL disagree on turning a timestamp into a local date, so the
SQL hands back instants (the latest per site and check type, or every visit of
a period) and the day is taken here, in Python, with the zone passed in.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Iterable
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, select

from inspector.domain.schedules import DEFAULT_VISIT_EVERY
from inspector.store import site_types as site_type_store
from inspector.store.models import Site, VisitRow
from inspector.store.public import SitePublic


@dataclass(frozen=True)
class VisitDay:
    """One visit as a schedule counts it: which site, which check type, on which local day."""

    site_id: str
    check_type: str
    day: date


def site_types(session: Session) -> set[str]:
    """The site types a campaign may schedule: the shipped ones and those admins added."""
    return set(DEFAULT_VISIT_EVERY) | site_type_store.codes(session)


def active_sites(session: Session, office: str | None = None) -> list[SitePublic]:
    """The sites on the register (not taken off it), by name; ``office`` narrows to its sites."""
    statement = select(Site).where(Site.active.is_(True))
    if office is not None:
        statement = statement.where(Site.office_code == office)
    return [SitePublic.of(row) for row in session.exec(statement.order_by(Site.name, Site.id)).all()]


def last_visit_days(session: Session, zone: ZoneInfo, site_ids: Iterable[str] | None = None,
                    check_types: Iterable[str] | None = None) -> dict[tuple[str, str], date]:
    """The local day of the last visit per (site, check type); one grouped query (the latest instant has
    the latest local day)."""
    latest = func.max(VisitRow.server_at)
    statement = select(VisitRow.site_id, VisitRow.check_type, latest).group_by(VisitRow.site_id,
                                                                               VisitRow.check_type)
    if site_ids is not None:
        statement = statement.where(VisitRow.site_id.in_(set(site_ids)))
    if check_types is not None:
        statement = statement.where(VisitRow.check_type.in_(set(check_types)))
    return {(site_id, check_type): _local_day(at, zone) for site_id, check_type, at in session.exec(statement).all()
            if at is not None}


def visits_in(session: Session, since: datetime, until: datetime, zone: ZoneInfo,
              site_ids: Iterable[str] | None = None) -> list[VisitDay]:
    """Every visit with ``since <= server_at < until``, oldest first, with its local day."""
    statement = select(VisitRow.site_id, VisitRow.check_type, VisitRow.server_at).where(
        VisitRow.server_at >= since, VisitRow.server_at < until)
    if site_ids is not None:
        statement = statement.where(VisitRow.site_id.in_(set(site_ids)))
    rows = session.exec(statement.order_by(VisitRow.server_at, VisitRow.id)).all()
    return [VisitDay(site_id, check_type, _local_day(at, zone)) for site_id, check_type, at in rows]


def _local_day(at: datetime | str, zone: ZoneInfo) -> date:
    """The local day of a stored instant. An aggregate's value comes back through the column's type on
    both databases; a bare string (SQLite without it) is read as the UTC the column stores."""
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    if at.tzinfo is None:
        at = at.replace(tzinfo=ZoneInfo("UTC"))
    return at.astimezone(zone).date()
