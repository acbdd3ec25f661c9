"""Campaigns and check rounds: every SQL statement on ``campaigns`` and ``check_rounds``.

A campaign row is handed out as the domain's ``Campaign`` inside a
``StoredCampaign`` (with its id and who changed it last); a round as a
``RoundPublic``. A field client keeps a copy of the server's rounds in its own
``check_rounds`` table, replaced each sync round (``replace_rounds``).
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from inspector.domain import campaign as rules
from inspector.domain.campaign import Campaign
from inspector.domain.rounds import CrossRound
from inspector.store.models import CampaignRow, CheckRound
from inspector.store.public import Public


@dataclass(frozen=True)
class StoredCampaign:
    id: str
    campaign: Campaign
    updated_at: datetime
    updated_by: str | None


class RoundPublic(Public):
    """A cross-inspection round (交叉检查): one office inspects another over a span of local days."""

    id: str
    name: str
    check_type: str = "cross"
    inspecting_office: str
    inspected_office: str
    starts: date
    ends: date
    created_by: str
    created_at: datetime


def _stored(row: CampaignRow) -> StoredCampaign:
    c = Campaign(
        name=row.name,
        phases=rules.phases_from(row.phases or []),
        offices=tuple(row.offices or ()),
        categories=tuple(row.categories or ()),
        look_back_days=dict(row.look_back_days or {}),
        top_leaders=dict(row.top_leaders or {}),
        active=row.active,
        visit_every={site_type: dict(days) for site_type, days in (row.visit_every or {}).items()},
    )
    return StoredCampaign(row.id, c, row.updated_at, row.updated_by)


def _fill(row: CampaignRow, c: Campaign, at: datetime, by: str | None) -> None:
    row.name = c.name.strip()
    row.phases = rules.phases_data(c.phases)
    row.offices = list(c.offices)
    row.categories = list(c.categories)
    row.look_back_days = dict(c.look_back_days)
    row.top_leaders = {office: name.strip() for office, name in c.top_leaders.items()}
    row.active = c.active
    row.visit_every = {site_type: dict(days) for site_type, days in c.visit_every.items()}
    row.updated_at, row.updated_by = at, by


def _active_row(session: Session) -> CampaignRow | None:
    return session.exec(select(CampaignRow).where(CampaignRow.active.is_(True))
                        .order_by(CampaignRow.updated_at.desc(), CampaignRow.id)).first()


def active_campaign(session: Session) -> StoredCampaign | None:
    """The active campaign (the newest if several are); ``None`` when none is stored."""
    row = _active_row(session)
    return _stored(row) if row is not None else None


def add_campaign(session: Session, campaign_id: str, c: Campaign, at: datetime,
                 by: str | None) -> StoredCampaign:
    """Store ``c`` as a new campaign."""
    row = CampaignRow(id=campaign_id, updated_at=at, updated_by=by)
    _fill(row, c, at, by)
    session.add(row)
    return _stored(row)


def save_campaign(session: Session, campaign_id: str, c: Campaign, at: datetime, by: str | None) -> StoredCampaign:
    """Replace campaign ``campaign_id``'s fields with ``c``'s."""
    row = session.get(CampaignRow, campaign_id)
    _fill(row, c, at, by)
    session.add(row)
    return _stored(row)


def rounds(session: Session, office: str | None = None, on: date | None = None) -> list[RoundPublic]:
    """Rounds, newest first; ``office`` narrows to those it inspects or is inspected in, ``on`` to a day."""
    statement = select(CheckRound)
    if office:
        statement = statement.where((CheckRound.inspecting_office == office)
                                    | (CheckRound.inspected_office == office))
    if on:
        statement = statement.where(CheckRound.starts <= on, CheckRound.ends >= on)
    rows = session.exec(statement.order_by(CheckRound.starts.desc(), CheckRound.id)).all()
    return [RoundPublic.of(row) for row in rows]


def rounds_by_id(session: Session, round_ids: list[str]) -> dict[str, CrossRound]:
    """The stored rounds among ``round_ids``, by id, as a claim is checked against them."""
    if not round_ids:
        return {}
    rows = session.exec(select(CheckRound).where(CheckRound.id.in_(round_ids))).all()
    return {r.id: CrossRound(r.id, r.inspecting_office, r.inspected_office, r.starts, r.ends) for r in rows}


def add_round(session: Session, r: RoundPublic) -> RoundPublic:
    """Store round ``r`` (checked by the caller)."""
    session.add(CheckRound(**r.model_dump()))
    return r


def replace_rounds(session: Session, fresh: list[RoundPublic]) -> None:
    """Keep exactly the rounds ``fresh`` (the field client's copy of the server's, ``sync.check_rounds``)."""
    wanted = {r.id: r for r in fresh}
    for row in session.exec(select(CheckRound)).all():
        if row.id not in wanted:
            session.delete(row)
    session.flush()  # the rounds gone before the kept ones are written again
    for r in wanted.values():
        session.merge(CheckRound(**r.model_dump()))
