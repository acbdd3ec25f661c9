"""Items: the filtered list and one item with its timeline."""

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Query

from inspector.domain.events import start_of_day
from inspector.server.deps import MAX_PAGE, ActorDep, ContextDep, PlainParameters, Word, day_query
from inspector.server.errors import AUTHENTICATED, error_responses
from inspector.server.shapes import item_detail_out, item_list_out
from inspector.services import items
from inspector.services.evidence import item_evidence
from inspector.store.queries import ItemFilter
from inspector.sync.wire import ItemDetailOut, ItemList

router = APIRouter(prefix="/api/items", tags=["items"], dependencies=[PlainParameters],
                   responses=error_responses(*AUTHENTICATED))


@router.get("", response_model=ItemList)
def list_items(
    actor: ActorDep,
    ctx: ContextDep,
    office: Word = None,
    status: Word = None,
    category: Word = None,
    site: Word = None,
    check_type: Word = None,
    overdue: bool | None = None,
    rebound: bool | None = None,
    disputed: bool | None = None,
    extension_pending: bool | None = None,
    from_: Annotated[date | None, day_query("first local day reported", alias="from")] = None,
    to: Annotated[date | None, day_query("last local day reported")] = None,
    q: Annotated[str | None, Query(max_length=100, description="number, description or leader contains")] = None,
    sort: Annotated[str, Query(pattern=r"^-?(reported_at|deadline|updated_at|number|status|office|category)$")]
    = "-reported_at",
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    page_size: Annotated[int, Query(ge=1, le=500)] = 50,
) -> ItemList:
    """The items this user may see, filtered, sorted and paged."""
    zone = ctx.settings.zone
    f = ItemFilter(
        office=office, status=status, category=category, site=site, check_type=check_type, overdue=overdue,
        rebound=rebound, disputed=disputed, extension_pending=extension_pending,
        reported_from=start_of_day(from_, zone) if from_ else None,
        reported_to=start_of_day(to + timedelta(days=1), zone) if to else None,
        q=q or None, sort=sort,
    )
    now = ctx.now()
    return item_list_out(items.list_items(ctx, actor, f, page, page_size, now), now)


@router.get("/{item_id}", response_model=ItemDetailOut, responses=error_responses(404))
def get_item(item_id: str, actor: ActorDep, ctx: ContextDep) -> ItemDetailOut:
    """One item, its events oldest first and the facts of its photos."""
    detail = items.get_item(ctx, actor, item_id)
    evidence = item_evidence(ctx, detail.item, detail.events, {p.sha256: p for p in detail.photos}, detail.actors)
    return item_detail_out(detail, evidence, ctx.now())
