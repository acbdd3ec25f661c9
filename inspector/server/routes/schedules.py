"""Schedules: the visits due for the caller (``GET /api/visits/due``).

Registered before the visits' routes: ``/api/visits/due`` must not be read as
the visit whose id is ``due``.
"""

from fastapi import APIRouter

from inspector.server.deps import ActorDep, ContextDep, PlainParameters
from inspector.server.errors import AUTHENTICATED, error_responses
from inspector.services import schedules
from inspector.sync.due import DueListOut, due_out

router = APIRouter(prefix="/api", tags=["visits"], dependencies=[PlainParameters])


@router.get("/visits/due", response_model=DueListOut, responses=error_responses(*AUTHENTICATED))
def visits_due(actor: ActorDep, ctx: ContextDep) -> DueListOut:
    """The visits due today (a local day in the campaign's zone) or overdue for the caller, most overdue
    first: supervisors and admins every active site and scheduled check; an office's people their
    office's sites, self checks; inspectors supervisor checks; spot checkers none."""
    today = schedules.local_today(ctx)
    return due_out(schedules.due_visits(ctx, actor, today), today)
