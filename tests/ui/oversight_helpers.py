"""Shared steps of the oversight UI tests: demo people as actors, opening an item, a spot-check draw."""

from inspector.services import oversight
from inspector.store import users
from inspector.store.engine import read_session


def actor_of(ctx, username: str):
    """The Actor of a demo user (with a spot checker's delegated scopes)."""
    with read_session(ctx.engine) as session:
        return users.actor_of(session, users.user_row(session, username))


async def open_item(ui, item):
    await ui.app.open_item(item.id if hasattr(item, "id") else item)
    return ui.app.stack[-1]


def draw_for_renda(ctx, size: int = 4, seed: int = 1):
    """The admin draws verified or closed items in renda's scope (the construction office) for him."""
    return oversight.draw(ctx, actor_of(ctx, "admin"), actor_of(ctx, "renda").id, size, seed)
