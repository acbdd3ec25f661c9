"""Walking a visit from a phone: what the visit screen asks of a workspace, and its server-side answer.

The visit screen (``inspector.ui.views.visit``) calls ``ws.visits``: the
current checklist of a site type, the draft being walked, ``finish`` and the
visits this person made. Two implementations answer the same ``Visits``
protocol: ``ServerVisits`` here, for the web UI inside the server (a phone
that opened a site's QR link in its browser; the events go through the one
write path, ``services.events.push``, in one batch), and
``inspector.sync.visits.FieldVisits`` on the field client (the outbox, synced
later). The events are made by ``domain.visit_drafts.visit_events``: one
``visited``, then a ``reported`` per failed point.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Mapping, Protocol

import uuid6
from sqlalchemy import Engine

from inspector.domain.checklists import Checklist, Verdict
from inspector.domain.permissions import Actor
from inspector.domain.visit_drafts import Made, VisitDraft, visit_events
from inspector.domain.visits import VISITED
from inspector.errors import ChecklistNotFound, UnknownSite
from inspector.services import catalog as catalog_service
from inspector.services import events
from inspector.services.context import Context
from inspector.store import campaigns as round_store
from inspector.store import checklists as checklist_store
from inspector.store import site_types as type_store
from inspector.store.campaigns import RoundPublic
from inspector.store.engine import read_session
from inspector.store.public import SitePublic

WAITING, SENT, REFUSED = "waiting", "sent", "refused"


@dataclass(frozen=True)
class VisitMade:
    """A visit this person made, as this device knows it: sent, still waiting, or refused (with why)."""

    id: str
    site_id: str
    check_type: str
    at: datetime
    results: Mapping[str, str]
    state: str = SENT
    reason: str | None = None

    @property
    def met(self) -> int:
        return sum(1 for v in self.results.values() if v == Verdict.PASS)

    @property
    def applicable(self) -> int:
        return sum(1 for v in self.results.values() if v in (Verdict.PASS, Verdict.FAIL))


@dataclass(frozen=True)
class Finished:
    """A visit recorded: its id and how many items its failed points became."""

    visit_id: str
    reports: int


class Visits(Protocol):
    def checklist(self, site_type: str) -> Checklist | None:
        """The current checklist of ``site_type`` (None: the type has none yet)."""
    def checklist_of(self, draft: VisitDraft) -> Checklist:
        """The version ``draft`` was started with (``ChecklistNotFound`` when it is not here)."""
    def draft(self) -> VisitDraft | None:
        """The visit being walked, kept across screens (and restarts, on the field client)."""
    def keep(self, draft: VisitDraft | None) -> None:
        """Keep ``draft`` (None: it is given up)."""
    def finish(self, draft: VisitDraft) -> Finished:
        """Record the visit and a report per failed point; the draft goes."""
    def mine(self) -> list[VisitMade]:
        """The visits made by this person here, newest first."""
    def site_types(self) -> dict[str, dict[str, str]]:
        """Each site type's code and its own names (``services.sites.site_type_name`` shows them)."""
    def rounds(self) -> list[RoundPublic]:
        """Every cross-inspection round known here, newest first (``domain.rounds.fitting_rounds`` picks)."""


def site_of(sites: list[SitePublic], site_id: str) -> SitePublic:
    """The site of ``site_id`` among the registered ones (``UnknownSite`` when it is not)."""
    site = next((s for s in sites if s.id == site_id), None)
    if site is None:
        raise UnknownSite(site=site_id)
    return site


def new_id() -> str:
    """A time-ordered UUID made here (as ``workspace.new_id``, which imports this module)."""
    return str(uuid6.uuid7())


def made_events(draft: VisitDraft, checklist: Checklist, site: SitePublic) -> list[Made]:
    """The finished visit's events (``visit_drafts.visit_events``), the site's point standing in for a
    phone without a position."""
    return visit_events(draft, checklist, site.office_code, {"lat": site.lat, "lon": site.lon, "source": "manual"},
                        VISITED, new_id)


class ChecklistReads:
    """The checklists a visit walks, the site types that name them and the rounds a cross check may name,
    read from ``self.engine``: the server's database or the field client's copy (``sync.site_types``,
    ``sync.check_rounds``; both ``Visits`` read them alike)."""

    engine: Engine

    def checklist(self, site_type: str) -> Checklist | None:
        with read_session(self.engine) as session:
            return checklist_store.current(session, site_type)

    def checklist_of(self, draft: VisitDraft) -> Checklist:
        with read_session(self.engine) as session:
            found = checklist_store.by_id(session, draft.checklist_id)
        if found is None:
            raise ChecklistNotFound(checklist=draft.checklist_id)
        return found

    def site_types(self) -> dict[str, dict[str, str]]:
        """Each site type's own names, as ``self.engine`` holds them (the field client's: the last round's)."""
        with read_session(self.engine) as session:
            return type_store.names_by_code(session)

    def rounds(self) -> list[RoundPublic]:
        """Every cross-inspection round, newest first, as ``self.engine`` holds them (the field client's:
        the last sync round's, ``sync.check_rounds``); the screens offer those that fit."""
        with read_session(self.engine) as session:
            return round_store.rounds(session)


class ServerVisits(ChecklistReads):
    """Visits walked in the server's web UI: the shared database; the draft lives with the session."""

    def __init__(self, ctx: Context, actor: Actor):
        self.ctx, self.actor = ctx, actor
        self.engine = ctx.engine
        self._draft: VisitDraft | None = None

    def draft(self) -> VisitDraft | None:
        return self._draft

    def keep(self, draft: VisitDraft | None) -> None:
        self._draft = draft

    def finish(self, draft: VisitDraft) -> Finished:
        """One batch through the one write path; a refusal of any of its events is raised (said on screen)."""
        checklist = self.checklist_of(draft)
        made = made_events(draft, checklist, site_of(catalog_service.list_sites(self.ctx), draft.site_id))
        now = self.ctx.now()
        batch = [events.EventIn(id=new_id(), item_id=m.item_id, kind=m.kind, at=now, base_version=0,
                                payload=m.payload) for m in made]
        outcomes = events.push(self.ctx, self.actor, batch, device_id="web")
        refused = next((o for o in outcomes if o.status == "rejected"), None)
        if refused is not None:
            raise refused.error
        self._draft = None
        return Finished(draft.id, len(made) - 1)

    def mine(self) -> list[VisitMade]:
        # The server's visits list (GET /api/visits) is the desk's; the phone in a browser has its 待办 from
        # the server's own due list, so nothing here needs the visits made before.
        return []

