"""Push and pull: the sync protocol of docs/architecture.md."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from inspector.server import limits
from inspector.server.deps import INT64_MAX, ActorDep, ContextDep, LangDep, PlainParameters
from inspector.server.errors import AUTHENTICATED, WITH_BODY, error_responses
from inspector.server.shapes import pull_out, push_out
from inspector.services import events, sync
from inspector.sync.wire import PullResponse, PushRequest, PushResponse

router = APIRouter(prefix="/api/sync", tags=["sync"], dependencies=[PlainParameters],
                   responses=error_responses(*AUTHENTICATED))


@router.post("/push", response_model=PushResponse, responses=error_responses(*WITH_BODY))
def push(body: PushRequest, actor: ActorDep, ctx: ContextDep, lang: LangDep) -> Response:
    """Apply a batch of events; one answer per event, in the order sent. Retrying is safe."""
    batch = [
        events.EventIn(id=str(e.id), item_id=str(e.item_id), kind=e.kind, at=e.at,
                       base_version=e.base_version, payload=e.payload)
        for e in body.events
    ]
    # Built and checked once (``push_out``) and sent as its JSON: FastAPI would validate the answer again,
    # on a worker thread of its own, for each push (``response_model`` stays for the API's schema).
    return Response(push_out(events.push(ctx, actor, batch, body.device_id), lang).model_dump_json(),
                    media_type="application/json")


@router.get("/pull", response_model=PullResponse)
def pull(actor: ActorDep, ctx: ContextDep, after: Annotated[int, Query(ge=0, le=INT64_MAX)] = 0,
         limit: Annotated[int, Query(ge=1, le=1000)] = 500) -> PullResponse:
    """The events after ``after`` that this user may see, in ``seq`` order, paged."""
    return pull_out(sync.pull(ctx, actor, after, limit), limits.PULL_PAGE_MAX_BYTES)
