"""Shared steps of the oversight UI tests: demo people as actors, opening an item, renda's drawn sample."""

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


def renda_sample(ctx):
    """The sample the demo drew for renda: verified or closed items in his scope (the construction office)."""
    [sample] = oversight.list_samples(ctx, actor_of(ctx, "renda"))
    assert sample.item_ids, "the demo's sample for renda is empty"
    return sample
