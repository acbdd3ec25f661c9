"""Reading items: the filtered list and one item with its timeline and photos.

Spot checkers read blind (``inspector.domain.oversight.is_blind``): until they
record their own spot check of an item they get its report and their own
events only, with no after-photos, leader or reasons; the status stays.
"""

from dataclasses import dataclass
from datetime import datetime

from inspector.domain import oversight
from inspector.domain.items import ItemState
from inspector.domain.permissions import Actor, can_see
from inspector.errors import ItemNotFound
from inspector.services.context import Context
from inspector.store import queries
from inspector.store.convert import event_of, item_state
from inspector.store.engine import read_session
from inspector.store.models import EventRow, Photo, User


@dataclass(frozen=True)
class ItemPage:
    items: list[ItemState]
    total: int
    page: int
    page_size: int


@dataclass(frozen=True)
class ItemDetail:
    item: ItemState
    events: list[EventRow]
    photos: list[Photo]
    actors: dict[str, str]  # user id -> display name, for the timeline


def list_items(ctx: Context, actor: Actor, f: queries.ItemFilter, page: int = 1, page_size: int = 50,
               now: datetime | None = None) -> ItemPage:
    """A page of the items ``actor`` may see."""
    page, page_size = max(page, 1), min(max(page_size, 1), 500)
    with read_session(ctx.engine) as session:
        rows, total = queries.list_items(session, actor, f, now or ctx.now(), page, page_size)
        return ItemPage(as_seen_by(session, actor, [item_state(r) for r in rows]), total, page, page_size)


def as_seen_by(session, actor: Actor, states: list[ItemState]) -> list[ItemState]:
    """The items as ``actor`` may read them: blinded for a spot checker who has not checked them yet."""
    if actor.role != "spot_checker":
        return states
    checked = queries.spot_checked_items(session, actor.id, [s.id for s in states])
    return [oversight.blinded(s) if oversight.is_blind(actor, s, s.id in checked) else s for s in states]


def get_item(ctx: Context, actor: Actor, item_id: str) -> ItemDetail:
    """One item with its log and photo facts; ``ItemNotFound`` also when it may not be seen."""
    with read_session(ctx.engine) as session:
        row = queries.item_row(session, item_id)
        # An item one may not see is "not found": its existence is not disclosed.
        if row is None or not can_see(actor, item_state(row)):
            raise ItemNotFound(item_id=item_id)
        state = item_state(row)
        log = queries.events_of(session, item_id)
        checked = any(e.kind == "spot_checked" and e.actor_id == actor.id for e in log)
        if oversight.is_blind(actor, state, checked):
            state = oversight.blinded(state)
            log = [e for e in log if oversight.shown_to_blind(e.kind, e.actor_id, actor)]
        shas = {sha for e in log for sha in (e.payload or {}).get("photos") or ()}
        photos = [p for sha in sorted(shas) if (p := session.get(Photo, sha)) is not None]
        actor_ids = {e.actor_id for e in log}
        actors = {u.id: u.display_name or u.username for uid in actor_ids if (u := session.get(User, uid))}
        return ItemDetail(state, log, photos, actors)


def timeline(detail: ItemDetail):
    """The item's events as domain values, oldest first."""
    return [event_of(row) for row in detail.events]
