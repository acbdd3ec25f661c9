"""Push and pull: the sync protocol of docs/architecture.md."""

from typing import Annotated

from fastapi import APIRouter, Query

from inspector.i18n import error_message
from inspector.server import limits
from inspector.server.deps import INT64_MAX, ActorDep, ContextDep, LangDep, PlainParameters
from inspector.server.errors import AUTHENTICATED, WITH_BODY, error_responses
from inspector.server.shapes import event_out
from inspector.services import events, sync
from inspector.sync.wire import PullResponse, PushRequest, PushResponse, PushResult, Reason

router = APIRouter(prefix="/api/sync", tags=["sync"], dependencies=[PlainParameters],
                   responses=error_responses(*AUTHENTICATED))


@router.post("/push", response_model=PushResponse, responses=error_responses(*WITH_BODY))
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
def pull(actor: ActorDep, ctx: ContextDep, after: Annotated[int, Query(ge=0, le=INT64_MAX)] = 0,
         limit: Annotated[int, Query(ge=1, le=1000)] = 500) -> PullResponse:
    """The events after ``after`` that this user may see, in ``seq`` order, paged."""
    page = sync.pull(ctx, actor, after, limit)
    # Bounded in bytes as well as in events: the page stops before the event that would take its
    # events past the cap (it holds at least one, so a client always moves on), and the cursor is
    # the last event sent, so the next pull starts with the one left out.
    out, size = [], 0
    for row in page.events:
        event = event_out(row, page.names)
        size += len(event.model_dump_json().encode())
        if out and size > limits.PULL_PAGE_MAX_BYTES:
            return PullResponse(events=out, next_after=out[-1].seq, has_more=True)
        out.append(event)
    return PullResponse(events=out, next_after=page.next_after, has_more=page.has_more)
