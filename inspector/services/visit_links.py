"""The desk's links between visits and the items their failed points became (issue 11).

A visit's summary (site, day, check type, met over applicable, result) with its items, for the
review pane's fact of an item made by a visit and for the scoreboard's lists of visits: each item
there opens in Review. Only what the actor may see: the visits by ``store.visits.visible_to``, the
items through ``items.list_items`` (blinded for a spot checker as everywhere).
"""

from dataclasses import dataclass
from typing import Iterable

from inspector.domain.permissions import Actor
from inspector.errors import VisitNotFound
from inspector.services import items as item_service
from inspector.services import visits as visit_service
from inspector.services.context import Context
from inspector.services.visits import VisitPublic
from inspector.store.queries import ItemFilter

MAX_ITEMS = 500  # items in one read: a visit has one per failed point, a dialog at most 300 visits


@dataclass(frozen=True)
class VisitItem:
    """One item a visit's failed point became, as a link shows it."""

    id: str
    number: str | None
    category: str
    status: str
    check_point: str | None


@dataclass(frozen=True)
class VisitSummary:
    visit: VisitPublic
    items: tuple[VisitItem, ...]  # in the order the visit's points failed; only those the actor may see


def summaries(ctx: Context, actor: Actor, visit_ids: Iterable[str]) -> dict[str, VisitSummary]:
    """The visits among ``visit_ids`` that ``actor`` may see, by id, each with its items."""
    found = visit_service.visits_by_ids(ctx, actor, visit_ids)
    wanted = tuple(dict.fromkeys(i for v in found for i in v.items))
    seen: dict[str, VisitItem] = {}
    for start in range(0, len(wanted), MAX_ITEMS):
        page = item_service.list_items(ctx, actor, ItemFilter(ids=wanted[start:start + MAX_ITEMS]), page_size=MAX_ITEMS)
        for state in page.items:
            seen[state.id] = VisitItem(state.id, state.number, state.category, state.status, state.check_point)
    return {v.id: VisitSummary(v, tuple(seen[i] for i in v.items if i in seen)) for v in found}


def summary(ctx: Context, actor: Actor, visit_id: str) -> VisitSummary:
    """One visit with its items; ``VisitNotFound`` for one there is none of or that ``actor`` may not see."""
    found = summaries(ctx, actor, [visit_id])
    if visit_id not in found:
        raise VisitNotFound(visit_id=visit_id)
    return found[visit_id]
