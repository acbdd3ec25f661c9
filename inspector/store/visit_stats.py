"""The queries behind the visits on the scoreboard and in the reports: a period's visits, the schedules due.

Three queries per board, never one per site or per visit: the campaign's
schedule, the period's visits of the offices' sites (with the site's name),
and the offices' active sites with their types. The local day of a visit is worked out here in Python from
``server_at`` (the time that counts), the same on SQLite and PostgreSQL.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Sequence
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from inspector.domain import catalog
from inspector.domain.schedules import frequencies, visit_every_of
from inspector.domain.scoring import MonthVisits, Period, SiteSchedule, VisitFact, month_visits
from inspector.store.models import CampaignRow, Site, VisitRow


@dataclass(frozen=True)
class Schedule:
    """What the campaign says of visits: the frequencies in force and its first local day."""

    visit_every: dict[str, dict[str, int]]
    starts: date | None


def _every_office(offices: Sequence[str] | None) -> bool:
    return offices is None or set(offices) >= catalog.OFFICE_CODES


def period_visits(session: Session, period: Period, zone: ZoneInfo, offices: Sequence[str] | None) -> list[VisitFact]:
    """The visits made in ``period`` (by ``server_at``) of ``offices``: those the office answered for at the
    visit, and those of sites that are the office's now. One query."""
    statement = (select(VisitRow.id, VisitRow.office_code, VisitRow.site_id, Site.name, VisitRow.server_at,
                        VisitRow.check_type, VisitRow.met, VisitRow.applicable, VisitRow.passed)
                 .outerjoin(Site, Site.id == VisitRow.site_id)
                 .where(VisitRow.server_at >= period.start, VisitRow.server_at < period.end))
    if not _every_office(offices):
        wanted = list(offices or ())
        statement = statement.where(or_(VisitRow.office_code.in_(wanted), Site.office_code.in_(wanted)))
    rows = session.connection().execute(statement.order_by(VisitRow.server_at, VisitRow.id))
    return [VisitFact(id=r.id, office=r.office_code, site=r.site_id, site_name=r.name or r.site_id,
                      day=r.server_at.astimezone(zone).date(), check_type=r.check_type, met=r.met,
                      applicable=r.applicable, passed=bool(r.passed)) for r in rows]


def schedule(session: Session) -> Schedule:
    """The active campaign's frequencies (the defaults when it sets none, or when there is no campaign yet)
    and its first day."""
    row = session.execute(select(CampaignRow.visit_every, CampaignRow.phases).where(CampaignRow.active.is_(True))
                          .order_by(CampaignRow.updated_at.desc(), CampaignRow.id)).first()
    if row is None:
        return Schedule(visit_every_of(None), None)
    starts = []
    for phase in row.phases or ():
        try:
            starts.append(date.fromisoformat(str(phase.get("starts"))))
        except (AttributeError, ValueError):
            continue  # a malformed phase says nothing of the start
    return Schedule(visit_every_of(row.visit_every), min(starts) if starts else None)


def site_schedules(session: Session, offices: Sequence[str] | None, visit_every: dict) -> list[SiteSchedule]:
    """The active sites of ``offices`` with the check types their type is scheduled for. One query."""
    statement = select(Site.id, Site.name, Site.office_code, Site.kind).where(Site.active.is_(True))
    if not _every_office(offices):
        statement = statement.where(Site.office_code.in_(list(offices or ())))
    out = []
    for r in session.connection().execute(statement.order_by(Site.id)):
        every = frequencies(visit_every, r.kind)
        if every:
            out.append(SiteSchedule(site=r.id, site_name=r.name, office=r.office_code, every=every))
    return out


def board_visits(session: Session, period: Period, now: datetime, zone: ZoneInfo,
                 offices: Sequence[str]) -> MonthVisits:
    """The visits part of ``offices``' board for ``period`` as things stand at ``now`` (three small queries,
    then ``scoring.coverage.month_visits``)."""
    plan = schedule(session)
    today = now.astimezone(zone).date() if now < period.end else None
    return month_visits(site_schedules(session, offices, plan.visit_every), period_visits(session, period, zone, offices),
                        offices, period.first_day, period.last_day, plan.starts, today)
