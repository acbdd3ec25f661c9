"""Shared steps of the oversight UI tests: demo people as actors, opening an item, a spot-check draw."""

from sqlmodel import select

from inspector.services import auth, oversight
from inspector.store.engine import read_session
from inspector.store.models import User


def actor_of(ctx, username: str):
    with read_session(ctx.engine) as session:
        user = session.exec(select(User).where(User.username == username)).one()
        return auth.actor_of(session, user)


async def open_item(ui, item):
    await ui.app.open_item(item.id if hasattr(item, "id") else item)
    return ui.app.stack[-1]


def draw_for_renda(ctx, size: int = 4, seed: int = 1):
    """The admin draws verified or closed items in renda's scope (the construction office) for him."""
    return oversight.draw(ctx, actor_of(ctx, "admin"), actor_of(ctx, "renda").id, size, seed)
