"""Visits: the list a caller may see and one visit. They are recorded by push (``/api/sync/push``, kind
``visited``); ``/api/visits/due`` is the schedules' (registered first, so ``due`` is no visit id)."""

from dataclasses import asdict
from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Path, Query

from inspector.domain.events import start_of_day
from inspector.server.deps import ActorDep, ContextDep, PlainParameters, Word, day_query
from inspector.server.errors import AUTHENTICATED, error_responses
from inspector.services import visits
from inspector.services.visits import VisitPublic
from inspector.store.visits import VisitFilter
from inspector.sync.visit_wire import VisitList, VisitOut

router = APIRouter(prefix="/api/visits", tags=["visits"], dependencies=[PlainParameters],
                   responses=error_responses(*AUTHENTICATED))


def _out(v: VisitPublic) -> VisitOut:
    return VisitOut(**{**asdict(v), "items": list(v.items)})


@router.get("", response_model=VisitList)
def list_visits(
    actor: ActorDep,
    ctx: ContextDep,
    site: Word = None,
    office: Word = None,
    since: Annotated[date | None, day_query("first local day received")] = None,
    until: Annotated[date | None, day_query("last local day received")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 500,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> VisitList:
    """The visits this user may see, newest first: supervisors and admins every one, an office's people
    those of their office's sites, inspectors their own, spot checkers those in their delegated scope."""
    zone = ctx.settings.zone
    f = VisitFilter(site=site or None, office=office or None, since=start_of_day(since, zone) if since else None,
                    until=start_of_day(until + timedelta(days=1), zone) if until else None)
    page = visits.visits(ctx, actor, f, limit, offset)
    return VisitList(visits=[_out(v) for v in page.visits], total=page.total)


@router.get("/{visit_id}", response_model=VisitOut, responses=error_responses(404))
def get_visit(visit_id: Annotated[str, Path(max_length=64)], actor: ActorDep, ctx: ContextDep) -> VisitOut:
    """One visit; 404 for one there is none of or that this user may not see."""
    return _out(visits.visit(ctx, actor, visit_id))
