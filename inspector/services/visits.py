"""Visits of sites against their checklists: their branch of the one write path, and reading them.

A visit is recorded through ``services.events.apply_batch`` like every event:
the batch loads what its visits need with its items (``load``: the visits it
names, their sites, the checklist versions walked, in a few ``IN`` queries),
decides each ``visited`` event in memory (``decide_visited``, the domain's
``decide_visit``), checks each new report that names a visit
(``check_report``: the domain's ``check_visit_report``) and links it, then
writes the visits it made or linked with the batch (``write``). A report
before its visit, even in the same batch, is refused with ``visit.unknown``
(a retry after the visit passes). A batch with no visit, no report of one and
no round loads none (``needs_load``): only whether its reports' ids are visits'
(``clash_ids``, read with its replays; ``known``).

``visits`` and ``visit`` read them for the API and the desk, as
``VisitPublic`` values with the site's and the visitor's names.
"""

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Iterable, Mapping
from zoneinfo import ZoneInfo

from sqlmodel import Session

from inspector.domain.events import Event
from inspector.domain.items import ItemState
from inspector.domain.payloads import MAX_ID
from inspector.domain.permissions import Actor
from inspector.domain.rounds import check_round
from inspector.domain.text import bad_character
from inspector.domain.visits import VISITED, VisitState, can_see_visit, check_visit_report, decide_visit, link_item
from inspector.errors import InvalidPayload, ItemExists, UnknownVisit, VisitExists, VisitNotFound
from inspector.services.context import Context
from inspector.store import users
from inspector.store import visits as store
from inspector.store.engine import read_session
from inspector.store.visits import VisitFilter


@dataclass
class VisitBatch:
    """What a batch knows of visits (loaded up front) and which of them it made or linked."""

    facts: store.VisitFacts
    made: set[str] = field(default_factory=set)
    linked: set[str] = field(default_factory=set)
    taken: set[str] = field(default_factory=set)  # visits' ids known to exist, not loaded (``needs_load``)

    def touched(self, visit_id: str) -> bool:
        return visit_id in self.made or visit_id in self.linked


def plain_id(value: object) -> str | None:
    """``value`` when it can name a row (an id-like string), else ``None``."""
    # A payload is read before it is checked: only an id-like string names a row (PostgreSQL cannot even
    # compare text holding a NUL); anything else is refused by the payload's check, with its reason.
    if isinstance(value, str) and len(value) <= MAX_ID and bad_character(value) is None:
        return value
    return None


def needs_load(events: Iterable) -> bool:
    """Whether a batch's visits must be loaded (``load``): it has a ``visited`` event, or a report naming a
    visit or a round. Otherwise (the common push) only whether its reports' ids are visits' is needed:
    ``clash_ids``, read with the batch's replays (``store.events.read_batch``), then ``known``."""
    return any(e.kind == VISITED or (e.kind == "reported" and ("visit" in e.payload or "round" in e.payload))
               for e in events)


def clash_ids(events: Iterable) -> list[str]:
    """The ids a batch's new reports would take: refused when they are visits' (``check_report``)."""
    return [e.item_id for e in events if e.kind == "reported"]


def known(taken: Iterable[str]) -> VisitBatch:
    """The visit batch of a push that needs no visit loaded: ``taken``, the ``clash_ids`` that are visits'."""
    return VisitBatch(store.VisitFacts({}, {}, {}, {}), taken=set(taken))


def load(session: Session, events: Iterable) -> VisitBatch:
    """Load what a batch's visits and its reports of visits are decided against (``events``: the batch's
    ``EventIn``). Any new id may clash with a visit's: every event's item id is looked up too."""
    events = list(events)
    visited = [e for e in events if e.kind == VISITED]
    facts = store.read_batch(
        session,
        visit_ids=[e.item_id for e in events] + referenced(events),
        site_ids=[s for e in visited if (s := plain_id(e.payload.get("site")))],
        checklist_ids=[c for e in visited if (c := plain_id(e.payload.get("checklist")))],
        round_ids=[r for e in events if e.kind in (VISITED, "reported") and (r := plain_id(e.payload.get("round")))],
    )
    return VisitBatch(facts)


def referenced(events: Iterable) -> list[str]:
    """The visit ids a batch's reports name: locked with the batch's items, as their reports change them."""
    return [v for e in events if e.kind == "reported" and (v := plain_id(e.payload.get("visit")))]


def decide_visited(actor: Actor, batch: VisitBatch, items: Mapping[str, ItemState], event: Event,
                   zone: ZoneInfo) -> VisitState:
    """Decide one ``visited`` event against what the batch knows; keep the visit it makes. Raises when refused."""
    if event.item_id in items:  # the id is an item's already
        raise VisitExists(visit_id=event.item_id)
    facts = batch.facts
    payload = event.payload
    state = decide_visit(actor, facts.visits.get(event.item_id), event,
                         facts.checklists.get(plain_id(payload.get("checklist")) or ""),
                         facts.sites.get(plain_id(payload.get("site")) or ""),
                         facts.rounds.get(plain_id(payload.get("round")) or ""), zone)
    facts.visits[state.id] = state
    batch.made.add(state.id)
    return state


def check_report(actor: Actor, batch: VisitBatch, report: ItemState, round_id: str | None, zone: ZoneInfo) -> None:
    """Raise unless ``report`` (a new item, decided) may be filed as it names, or does not name, a visit, and
    as part of the round ``round_id`` its payload names (``None``: none)."""
    check_round(actor, round_id, batch.facts.rounds.get(round_id or ""), report.check_type, report.office,
                report.reported_at, zone)
    visits = batch.facts.visits
    if report.id in visits or report.id in batch.taken:
        raise ItemExists(item_id=report.id)
    if report.visit_id is None:
        if report.check_point is not None:
            raise InvalidPayload(field="visit", problem="a report of a check point names its visit")
        return
    visit = visits.get(report.visit_id)
    if visit is None or not can_see_visit(actor, visit):
        raise UnknownVisit(visit_id=report.visit_id)
    check_visit_report(visit, report, batch.facts.checklists.get(visit.checklist_id))


def link_report(batch: VisitBatch, report: ItemState) -> None:
    """Add an accepted report of a visit's point to that visit's items."""
    if report.visit_id is None:
        return
    visits = batch.facts.visits
    visits[report.visit_id] = link_item(visits[report.visit_id], report.id)
    if report.visit_id not in batch.made:
        batch.linked.add(report.visit_id)


def stamp(batch: VisitBatch, visit_id: str, seq: int) -> None:
    """Record the server sequence number of a visit's own event."""
    batch.facts.visits[visit_id] = replace(batch.facts.visits[visit_id], last_seq=seq)


def write(session: Session, batch: VisitBatch) -> None:
    """Write the visits the batch made and those it linked items to."""
    visits = batch.facts.visits
    store.save_visits(session, [visits[i] for i in sorted(batch.made)],
                      [visits[i] for i in sorted(batch.linked - batch.made)])


# --- reading -----------------------------------------------------------------------------
@dataclass(frozen=True)
class VisitPublic:
    """A visit as the API and the desk show it: the projection, with the site's and visitor's names."""

    id: str
    site: str
    site_name: str
    site_type: str
    office: str
    checklist_id: str
    checklist_version: int
    check_type: str
    round: str | None
    visited_by: str
    visitor_name: str
    at: datetime
    server_at: datetime
    results: Mapping[str, str]
    met: int
    applicable: int
    starred_failed: int
    passed: bool
    ratio: float | None
    items: tuple[str, ...]
    lat: float | None = None
    lon: float | None = None


def _public(states: list[VisitState], session: Session) -> list[VisitPublic]:
    sites = store.site_names(session, {s.site_id for s in states})
    names = users.display_names(session, {s.visited_by for s in states})
    return [VisitPublic(id=s.id, site=s.site_id, site_name=sites.get(s.site_id, s.site_id), site_type=s.site_type,
                        office=s.office, checklist_id=s.checklist_id, checklist_version=s.checklist_version,
                        check_type=s.check_type, round=s.round_id, visited_by=s.visited_by,
                        visitor_name=names.get(s.visited_by, ""), at=s.at, server_at=s.server_at,
                        results=dict(s.results), met=s.met, applicable=s.applicable,
                        starred_failed=s.starred_failed, passed=s.passed, ratio=s.ratio, items=s.items,
                        lat=s.lat, lon=s.lon)
            for s in states]


@dataclass(frozen=True)
class VisitPage:
    visits: list[VisitPublic]
    total: int


def visits(ctx: Context, actor: Actor, filters: VisitFilter = VisitFilter(), limit: int = 500,
           offset: int = 0) -> VisitPage:
    """The visits ``actor`` may see that match ``filters``, newest first (``server_at``), paged."""
    with read_session(ctx.engine) as session:
        states, total = store.visits(session, actor, filters, limit, offset)
        return VisitPage(_public(states, session), total)


def visit(ctx: Context, actor: Actor, visit_id: str) -> VisitPublic:
    """One visit; ``VisitNotFound`` for one there is none of or that ``actor`` may not see."""
    with read_session(ctx.engine) as session:
        state = store.visit(session, actor, visit_id)
        if state is None:
            raise VisitNotFound(visit_id=visit_id)
        return _public([state], session)[0]


def visits_by_ids(ctx: Context, actor: Actor, visit_ids: Iterable[str]) -> list[VisitPublic]:
    """The visits among ``visit_ids`` that ``actor`` may see, in the order asked (the desk's links)."""
    with read_session(ctx.engine) as session:
        states = [store.visit(session, actor, v) for v in dict.fromkeys(visit_ids)]
        return _public([s for s in states if s is not None], session)


def visit_of_item(ctx: Context, actor: Actor, item: ItemState) -> VisitPublic | None:
    """The visit whose failed point ``item`` is, when it names one ``actor`` may see."""
    if item.visit_id is None:
        return None
    with read_session(ctx.engine) as session:
        state = store.visit(session, actor, item.visit_id)
        return _public([state], session)[0] if state else None
