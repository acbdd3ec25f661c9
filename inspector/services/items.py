"""Reading items: the filtered list and one item with its timeline and photos.

Spot checkers read blind (``inspector.domain.oversight.is_blind``): until they
record their own spot check of an item they get its report and their own
events only, with no after-photos, leader or reasons; the status stays.
"""

from dataclasses import dataclass
from datetime import datetime

from inspector.domain import oversight
from inspector.domain.events import Event
from inspector.domain.items import ItemState
from inspector.domain.lifecycle import Kind
from inspector.domain.permissions import Actor, can_see
from inspector.domain.roles import Role
from inspector.errors import ItemNotFound
from inspector.services.context import Context
from inspector.store import photos as photo_store
from inspector.store import queries, users
from inspector.store.engine import read_session
from inspector.store.public import PhotoPublic


@dataclass(frozen=True)
class ItemPage:
    items: list[ItemState]
    total: int
    page: int
    page_size: int


@dataclass(frozen=True)
class ItemDetail:
    item: ItemState
    events: list[Event]
    photos: list[PhotoPublic]  # by hash
    actors: dict[str, str]  # user id -> display name, for the timeline


def list_items(ctx: Context, actor: Actor, f: queries.ItemFilter, page: int = 1, page_size: int = 50,
               now: datetime | None = None) -> ItemPage:
    """A page of the items ``actor`` may see."""
    page, page_size = max(page, 1), min(max(page_size, 1), 500)
    with read_session(ctx.engine) as session:
        states, total = queries.list_items(session, actor, f, now or ctx.now(), page, page_size)
        return ItemPage(as_seen_by(session, actor, states), total, page, page_size)


def as_seen_by(session, actor: Actor, states: list[ItemState]) -> list[ItemState]:
    """The items as ``actor`` may read them: blinded for a spot checker who has not checked them yet."""
    if actor.role != Role.SPOT_CHECKER:
        return states
    checked = queries.spot_checked_items(session, actor.id, [s.id for s in states])
    return [oversight.blinded(s) if oversight.is_blind(actor, s, s.id in checked) else s for s in states]


def get_item(ctx: Context, actor: Actor, item_id: str) -> ItemDetail:
    """One item with its log and photo facts; ``ItemNotFound`` also when it may not be seen."""
    with read_session(ctx.engine) as session:
        state = queries.item(session, item_id)
        # An item one may not see is "not found": its existence is not disclosed.
        if state is None or not can_see(actor, state):
            raise ItemNotFound(item_id=item_id)
        log = queries.events_of(session, item_id)
        checked = any(e.kind == Kind.SPOT_CHECKED and e.actor_id == actor.id for e in log)
        if oversight.is_blind(actor, state, checked):
            state = oversight.blinded(state)
            log = [e for e in log if oversight.shown_to_blind(e.kind, e.actor_id, actor)]
        shas = {sha for e in log for sha in (e.payload or {}).get("photos") or ()}
        photos = photo_store.photos(session, shas)
        return ItemDetail(state, log, photos, users.display_names(session, {e.actor_id for e in log}))
