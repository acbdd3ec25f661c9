"""Visits: every SQL statement on ``visits``, the projection of the log's ``visited`` events.

A push reads what its visits and its visits' reports are decided against in
a few ``IN`` queries (``read_batch``: the visits named, their sites, the
checklist versions they walked) and writes the visits it decided with two
bulk statements (``save_visits``), inside the caller's write transaction; a
visit's write lock is its id's item lock (``store.events.lock_items``), taken
with the batch's items. Reads hand out ``VisitState`` values, never rows;
``visible_to`` is ``domain.visits.can_see_visit`` as SQL.
"""

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Iterable

from sqlalchemy import ColumnElement, and_, bindparam, false, insert, or_, true, update
from sqlmodel import Session, func, select

from inspector.domain.checklists import Checklist
from inspector.domain.permissions import Actor
from inspector.domain.roles import OFFICE_ROLES, SEES_ALL, Role
from inspector.domain.rounds import CrossRound
from inspector.domain.visits import VisitedSite, VisitState
from inspector.store import campaigns as campaign_store
from inspector.store import checklists as checklist_store
from inspector.store import queries
from inspector.store.models import Site, VisitRow

_RENAMED = {"office": "office_code"}
_COLUMNS = [f.name for f in fields(VisitState)]


@dataclass
class VisitFacts:
    """What the database holds about a batch's visits: the visits (by id), sites and checklists named."""

    visits: dict[str, VisitState]
    sites: dict[str, VisitedSite]
    checklists: dict[str, Checklist]
    rounds: dict[str, CrossRound]  # the rounds the batch's visits and reports name


@dataclass(frozen=True)
class VisitFilter:
    """Which visits to list: of a site, of an office's sites, received in ``[since, until)``."""

    site: str | None = None
    office: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def visit_values(state: VisitState) -> dict:
    """The column values of the row that projects ``state``."""
    values = {_RENAMED.get(name, name): getattr(state, name) for name in _COLUMNS}
    values.update(results=dict(state.results), items=list(state.items))
    return values


def visit_state(row: VisitRow) -> VisitState:
    """The domain value held in a ``visits`` row."""
    values = {name: getattr(row, _RENAMED.get(name, name)) for name in _COLUMNS}
    values.update(results=dict(row.results or {}), items=tuple(row.items or ()))
    return VisitState(**values)


def read_batch(session: Session, visit_ids: Iterable[str], site_ids: Iterable[str],
               checklist_ids: Iterable[str], round_ids: Iterable[str] = ()) -> VisitFacts:
    """The visits among ``visit_ids`` (a batch's item ids and the visits its reports name), the sites among
    ``site_ids`` and the checklist versions among ``checklist_ids`` and those the visits walked: two
    queries, one per checklist version named (a batch names one or two), and one for the rounds among
    ``round_ids`` when there are any."""
    visit_ids = list(set(visit_ids))
    visits = {r.id: visit_state(r) for r in session.exec(select(VisitRow).where(VisitRow.id.in_(visit_ids)))} \
        if visit_ids else {}
    wanted_sites = list(set(site_ids))
    sites = {r.id: VisitedSite(r.id, r.kind, r.office_code)
             for r in session.exec(select(Site).where(Site.id.in_(wanted_sites)))} if wanted_sites else {}
    wanted = set(checklist_ids) | {v.checklist_id for v in visits.values()}
    checklists = {cid: found for cid in sorted(wanted) if (found := checklist_store.by_id(session, cid))}
    return VisitFacts(visits, sites, checklists, campaign_store.rounds_by_id(session, sorted(set(round_ids))))


def save_visits(session: Session, new: list[VisitState], changed: list[VisitState]) -> None:
    """Write the projections of new visits and of visits that changed (an item linked)."""
    table = VisitRow.__table__
    if new:
        session.execute(insert(table), [visit_values(state) for state in new])
    if changed:
        session.execute(
            update(table).where(table.c.id == bindparam("b_id"))
            .values(items=bindparam("items"), last_seq=bindparam("last_seq")),
            [{"b_id": s.id, "items": list(s.items), "last_seq": s.last_seq} for s in changed],
        )


def visible_to(actor: Actor) -> ColumnElement[bool]:
    """The SQL condition for the visits ``actor`` may see (``domain.visits.can_see_visit``)."""
    if actor.role in SEES_ALL:
        return true()
    mine = VisitRow.visited_by == actor.id
    if actor.role in OFFICE_ROLES:
        return or_(mine, VisitRow.office_code == actor.office) if actor.office else mine
    if actor.role == Role.SPOT_CHECKER:
        return or_(mine, *queries.in_scopes(actor.scopes, VisitRow.office_code, VisitRow.site_id, VisitRow.server_at))
    return mine if actor.role == Role.INSPECTOR else false()


def visit(session: Session, actor: Actor, visit_id: str) -> VisitState | None:
    """The visit ``visit_id`` if ``actor`` may see it, else ``None``."""
    row = session.exec(select(VisitRow).where(VisitRow.id == visit_id, visible_to(actor))).first()
    return visit_state(row) if row else None


def visits(session: Session, actor: Actor, f: VisitFilter, limit: int = 500, offset: int = 0
           ) -> tuple[list[VisitState], int]:
    """The visits ``actor`` may see that match ``f``, newest first, paged; and how many match in all."""
    where = [visible_to(actor)]
    if f.site:
        where.append(VisitRow.site_id == f.site)
    if f.office:
        where.append(VisitRow.office_code == f.office)
    if f.since:
        where.append(VisitRow.server_at >= f.since)
    if f.until:
        where.append(VisitRow.server_at < f.until)
    total = session.exec(select(func.count()).select_from(VisitRow).where(*where)).one()
    rows = session.exec(select(VisitRow).where(*where).order_by(VisitRow.server_at.desc(), VisitRow.id.desc())
                        .offset(offset).limit(limit)).all()
    return [visit_state(r) for r in rows], total


def site_names(session: Session, site_ids: Iterable[str]) -> dict[str, str]:
    """The names of the sites among ``site_ids``."""
    wanted = list(set(site_ids))
    if not wanted:
        return {}
    return dict(session.exec(select(Site.id, Site.name).where(Site.id.in_(wanted))).all())
