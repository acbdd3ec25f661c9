"""Push and pull: the sync protocol of DESIGN.md."""

from typing import Annotated

from fastapi import APIRouter, Query

from inspector.i18n import error_message
from inspector.server.deps import ActorDep, ContextDep, LangDep
from inspector.server.shapes import event_out
from inspector.services import events, sync
from inspector.sync.wire import PullResponse, PushRequest, PushResponse, PushResult, Reason

router = APIRouter(prefix="/api/sync", tags=["sync"])


@router.post("/push", response_model=PushResponse)
def push(body: PushRequest, actor: ActorDep, ctx: ContextDep, lang: LangDep) -> PushResponse:
    """Apply a batch of events; one answer per event, in the order sent. Retrying is safe."""
    batch = [
        events.EventIn(id=str(e.id), item_id=str(e.item_id), kind=e.kind, at=e.at,
                       base_version=e.base_version, payload=e.payload)
        for e in body.events
    ]
    outcomes = events.push(ctx, actor, batch, body.device_id)
    return PushResponse(results=[
        PushResult(
            id=o.id, status=o.status, seq=o.seq,
            reason=None if o.error is None else Reason(code=o.error.code, message=error_message(o.error, lang),
                                                       details={k: str(v) for k, v in o.error.details.items()}),
        )
        for o in outcomes
    ])


@router.get("/pull", response_model=PullResponse)
def pull(actor: ActorDep, ctx: ContextDep, after: Annotated[int, Query(ge=0)] = 0,
         limit: Annotated[int, Query(ge=1, le=1000)] = 500) -> PullResponse:
    """The events after ``after`` that this user may see, in ``seq`` order, paged."""
    page = sync.pull(ctx, actor, after, limit)
    return PullResponse(events=[event_out(r, page.names) for r in page.events],
                        next_after=page.next_after, has_more=page.has_more)
