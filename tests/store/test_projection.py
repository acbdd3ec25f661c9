"""The items table is a projection of the log: rebuilding gives exactly the stored rows."""

from sqlmodel import select

from inspector.domain.items import project
from inspector.domain.permissions import can_see
from inspector.services import demo
from inspector.store import queries
from inspector.store.convert import event_of, item_state
from inspector.store.engine import read_session
from inspector.store.models import EventRow, Item, User
from inspector.services.auth import actor_of


def test_rebuilding_every_item_from_its_events_gives_the_stored_rows(ctx):
    demo.fill_if_empty(ctx, items=22)
    with read_session(ctx.engine) as session:
        rows = session.exec(select(Item)).all()
        log = session.exec(select(EventRow).order_by(EventRow.seq)).all()
    assert len(rows) == 22 + 2  # and the demo's two returned items
    by_item: dict[str, list] = {}
    for row in log:
        by_item.setdefault(row.item_id, []).append(event_of(row))
    statuses = set()
    for row in rows:
        rebuilt = project(by_item[row.id], ctx.settings.zone)
        assert rebuilt == item_state(row), row.number
        statuses.add(rebuilt.status)
    assert statuses >= {"reported", "assigned", "rectifying", "fix_submitted", "verified", "closed", "dismissed"}


def test_sql_visibility_says_what_the_domain_says(ctx):
    demo.fill_if_empty(ctx, items=22)
    with read_session(ctx.engine) as session:
        users = session.exec(select(User)).all()
        rows = session.exec(select(Item)).all()
        seen_counts = {}
        for user in users:
            actor = actor_of(session, user)
            expected = {r.id for r in rows if can_see(actor, item_state(r))}
            listed, total = queries.list_items(session, actor, queries.ItemFilter(), ctx.now(), 1, 1000)
            assert {r.id for r in listed} == expected, user.username
            assert total == len(expected)
            pulled = {e.item_id for e in queries.pull_feed(session, actor, 0, 100000)}
            assert pulled == expected, user.username
            seen_counts[user.role] = len(expected)
    # The demo gives every role something to see, and nobody but deciders sees everything.
    assert all(seen_counts[role] > 0 for role in seen_counts), seen_counts
    assert seen_counts["admin"] == len(rows) and seen_counts["office_staff"] < len(rows)
