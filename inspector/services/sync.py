"""The pull side of sync: what a user may see, after a cursor, in server order."""

from dataclasses import dataclass

from inspector.domain.events import Event
from inspector.domain.permissions import Actor
from inspector.services.context import Context
from inspector.store import queries, users
from inspector.store.engine import read_session


@dataclass(frozen=True)
class PullPage:
    events: list[Event]
    next_after: int
    has_more: bool
    names: dict[str, str]


def pull(ctx: Context, actor: Actor, after: int, limit: int) -> PullPage:
    """Up to ``limit`` visible events after ``after``; ``next_after`` is the cursor to send next."""
    with read_session(ctx.engine) as session:
        rows = queries.pull_feed(session, actor, after, limit + 1)
        has_more = len(rows) > limit
        rows = rows[:limit]
        names = users.display_names(session, {r.actor_id for r in rows})
    return PullPage(rows, rows[-1].seq if rows else after, has_more, names)
