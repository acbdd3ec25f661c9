"""The pull side of sync: what a user may see, after a cursor, in server order."""

from dataclasses import dataclass

from inspector.domain.permissions import Actor
from inspector.services.context import Context
from inspector.store import queries
from inspector.store.engine import read_session
from inspector.store.models import EventRow, User


@dataclass(frozen=True)
class PullPage:
    events: list[EventRow]
    next_after: int
    has_more: bool
    names: dict[str, str]


def pull(ctx: Context, actor: Actor, after: int, limit: int) -> PullPage:
    """Up to ``limit`` visible events after ``after``; ``next_after`` is the cursor to send next."""
    with read_session(ctx.engine) as session:
        rows = queries.pull_feed(session, actor, after, limit + 1)
        has_more = len(rows) > limit
        rows = rows[:limit]
        ids = {r.actor_id for r in rows}
        names = {u.id: u.display_name or u.username for uid in ids if (u := session.get(User, uid))}
    return PullPage(rows, rows[-1].seq if rows else after, has_more, names)
