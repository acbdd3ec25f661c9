"""In-app notices: computed on request from the items, never stored.

The store loads only the items that could raise a notice for this person
(``inspector.store.notices``); the pure ``inspector.domain.oversight.notices``
decides. Sites gone overdue for a visit (``services.schedules.overdue_notices``)
follow the items' notices, computed the same way from the due list.
"""

from dataclasses import dataclass
from datetime import datetime

from inspector.domain.items import ItemState
from inspector.domain.oversight import Notice, notices
from inspector.domain.permissions import Actor
from inspector.services import schedules
from inspector.services.context import Context
from inspector.store import notices as notice_store
from inspector.store.engine import read_session


@dataclass(frozen=True)
class NoticeBoard:
    notices: list[Notice]  # at most ``limit``, most pressing first
    total: int  # how many there are in all
    items: dict[str, ItemState]  # the items the notices shown are about
    now: datetime


def notice_board(ctx: Context, actor: Actor, limit: int = 100) -> NoticeBoard:
    """``actor``'s notices now."""
    now = ctx.now()
    with read_session(ctx.engine) as session:
        states = notice_store.candidates(session, actor, now)
    found = [*notices(actor, states, now), *schedules.overdue_notices(ctx, actor, now)]
    shown = found[:max(limit, 0)]
    by_id = {s.id: s for s in states}
    return NoticeBoard(shown, len(found), {n.item_id: by_id[n.item_id] for n in shown if n.item_id in by_id}, now)
