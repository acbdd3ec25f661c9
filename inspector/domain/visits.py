"""Visits of sites against their checklists: the decision on a ``visited`` event and on a report naming one.

A visit is an event in the one log (``events``), like an item's: its
``item_id`` is the visit's id (a uuid7 the phone makes), its kind ``visited``,
its base version 0, its payload ``payloads.Visited``: the site, the checklist
version walked, the check type, a verdict per point, where the phone was. The
server scores it (``checklists.score``) and projects it into ``visits``; no
later event changes it, except that each report of one of its failed points
adds that item to ``VisitState.items`` (``link_item``).

``decide_visit`` refuses, in this order, so the first thing wrong is the one
reported: a payload that does not fit ``Visited`` (``payloads.refusal``, the
check every event's payload gets); the server's own role; a visit id taken already;
an unknown site or checklist; a checklist of another site type; results that
are not the whole checklist; a check type the role may not make
(``permissions.check_types``); a claim the actor may not bind, by the rule of
a new report (``permissions.authorize_claim``: an office's self check is of its
own sites, a spot checker stays within the delegated scope); a round named that
the visit cannot be part of (``rounds.check_round``).

A report naming a visit (``Reported.visit``) is checked by
``check_visit_report``: by the visitor, of a point that failed in that visit,
with its category, the same site, the visit's check type and the site's office. Who sees a visit
(``can_see_visit``): deciders every one, the visitor their own, an office's
people their office's sites, a spot checker those in the delegated scope.
"""

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Mapping
from zoneinfo import ZoneInfo

from inspector.domain import payloads
from inspector.domain.checklists import Checklist, Verdict, score
from inspector.domain.events import DEFAULT_ZONE, Event
from inspector.domain.items import ItemState
from inspector.domain.permissions import Actor, authorize_claim, check_types
from inspector.domain.roles import PEOPLE, SEES_ALL, Role
from inspector.domain.rounds import CrossRound, check_round
from inspector.errors import (
    ChecklistOfOtherSiteType,
    Forbidden,
    InspectorError,
    InvalidPayload,
    UnknownChecklist,
    UnknownSite,
    VisitExists,
    VisitPointNotFailed,
    VisitReportMismatch,
)

VISITED = "visited"
# Who makes visits: every person (the server's own sweep makes none); what each may claim is ``check_types``.
VISITORS = PEOPLE


@dataclass(frozen=True)
class VisitedSite:
    """What a visit needs of its site: its type and responsible office."""

    id: str
    site_type: str
    office: str


@dataclass(frozen=True)
class VisitState:
    """A visit as ``visits`` projects it (``store.models.VisitRow``; ``office`` is ``office_code``)."""

    id: str
    site_id: str
    site_type: str
    office: str  # the site's responsible office at the visit
    checklist_id: str
    checklist_version: int
    check_type: str
    round_id: str | None
    visited_by: str
    at: datetime  # the device's clock
    server_at: datetime  # the time that counts
    results: Mapping[str, str]  # point code -> pass, fail, na
    met: int
    applicable: int
    starred_failed: int
    passed: bool
    items: tuple[str, ...] = ()  # the items its failed points became, in the order reported
    lat: float | None = None
    lon: float | None = None
    version: int = 1
    last_seq: int | None = None

    @property
    def ratio(self) -> float | None:
        """Points met over points applicable; ``None`` when none applied."""
        return self.met / self.applicable if self.applicable else None

    @property
    def failed(self) -> tuple[str, ...]:
        """The codes of the points that failed."""
        return tuple(code for code, verdict in self.results.items() if verdict == Verdict.FAIL)


def visit_refusal(payload: object, zone: ZoneInfo = DEFAULT_ZONE) -> InspectorError | None:
    """Why ``payload`` is no valid ``visited`` payload (the same check every report's payload gets), or ``None``."""
    return payloads.refusal(payloads.Visited, VISITED, payload, zone)


def decide_visit(actor: Actor, state: VisitState | None, event: Event, checklist: Checklist | None,
                 site: VisitedSite | None, cross_round: CrossRound | None = None,
                 zone: ZoneInfo = DEFAULT_ZONE) -> VisitState:
    """The visit ``event`` records, scored; raises a typed ``InspectorError`` when it is refused.

    ``state`` is the visit already recorded under the event's visit id (``None`` for a new one),
    ``checklist``, ``site`` and ``cross_round`` what the payload names (``None`` when unknown). The same event sent
    again never comes here: the batch answers a replay before deciding (``services.events``).
    """
    refusal = visit_refusal(event.payload, zone)
    if refusal is not None:
        raise refusal
    p = event.payload
    if actor.role not in VISITORS:
        raise Forbidden(kind=VISITED, role=actor.role)
    if state is not None:
        raise VisitExists(visit_id=event.item_id)
    if site is None:
        raise UnknownSite(site=p["site"])
    if checklist is None:
        raise UnknownChecklist(checklist=p["checklist"])
    if checklist.site_type != site.site_type:
        raise ChecklistOfOtherSiteType(checklist=checklist.id, site_type=site.site_type)
    result = score(checklist, p["results"])  # InvalidPayload when not the whole checklist
    if p["check_type"] not in check_types(actor.role):
        raise Forbidden(kind=VISITED, role=actor.role)
    authorize_claim(actor, p["check_type"], site.office, site.id, event.when)
    check_round(actor, p.get("round"), cross_round, p["check_type"], site.office, event.when, zone)
    location = p.get("location") or {}
    return VisitState(
        id=event.item_id, site_id=site.id, site_type=site.site_type, office=site.office,
        checklist_id=checklist.id, checklist_version=checklist.version, check_type=p["check_type"],
        round_id=p.get("round"), visited_by=actor.id, at=event.at, server_at=event.when,
        results=dict(p["results"]), met=result.met, applicable=result.applicable,
        starred_failed=result.starred_failed, passed=result.passed,
        lat=location.get("lat"), lon=location.get("lon"), last_seq=event.seq,
    )


def link_item(state: VisitState, item_id: str) -> VisitState:
    """The visit with ``item_id`` among the items its failed points became (once)."""
    if item_id in state.items:
        return state
    return replace(state, items=(*state.items, item_id))


def check_visit_report(visit: VisitState, report: ItemState, checklist: Checklist | None) -> None:
    """Raise unless ``report`` (a new item as ``items.apply`` made it, naming ``visit``) is one of the
    visit's failed points: by the visitor, of a point that failed, with that point's category, the same
    site, the visit's check type and the site's office. ``checklist`` is the version the visit used."""
    if report.check_point is None:
        raise InvalidPayload(field="check_point", problem="a report of a visit names the point that failed")
    point = checklist.point(report.check_point) if checklist is not None else None
    if point is None or visit.results.get(report.check_point) != Verdict.FAIL:
        raise VisitPointNotFailed(visit_id=visit.id, check_point=report.check_point)
    expected = {"reported_by": (report.reported_by, visit.visited_by), "category": (report.category, point.category),
                "site": (report.site_id, visit.site_id), "check_type": (report.check_type, visit.check_type),
                "office": (report.office, visit.office)}
    for name, (given, wanted) in expected.items():
        if given != wanted:
            raise VisitReportMismatch(field=name, wanted=wanted)


def can_see_visit(actor: Actor, visit: VisitState) -> bool:
    """May ``actor`` read this visit? (``store.visits.visible_to`` is the same rule in SQL.)"""
    if actor.role in SEES_ALL or visit.visited_by == actor.id:
        return True
    if actor.is_office:
        return visit.office == actor.office
    if actor.role == Role.SPOT_CHECKER:
        return any(scope.covers_place(visit.office, visit.site_id, visit.server_at) for scope in actor.scopes)
    return False
