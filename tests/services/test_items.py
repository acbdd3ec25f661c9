"""Reading items: the detail's photos are public facts, its timeline names people, spot checkers read blind."""

import pytest

from inspector.domain.events import Event

from inspector.domain.roles import Role
from inspector.errors import ItemNotFound
from inspector.services import auth, events, items, sync
from inspector.store import users
from inspector.store.engine import read_session
from inspector.store.public import PhotoPublic
from inspector.store.queries import ItemFilter
from tests.factories import event, person, reported, stored_photo


@pytest.fixture
def office(ctx):
    """A supervisor's report assigned to construction, fixed by its staff with a second photo."""
    boss = auth.add_user(ctx, "dudao", "secret-pw-123", Role.SUPERVISOR, display_name="王督查")
    with read_session(ctx.engine) as session:
        boss = users.actor(session, boss.id)
    staff = person(ctx, "jianzhu", Role.OFFICE_STAFF, "construction")
    before, after = stored_photo(ctx, boss, seed=1), stored_photo(ctx, staff, seed=2)
    first = reported(photo=before)
    events.record_one(ctx, boss, first)
    events.record_one(ctx, boss, event(first.item_id, "assigned", 1, office="construction", leader="陈处长",
                                       deadline="2026-07-20"))
    events.record_one(ctx, staff, event(first.item_id, "fix_submitted", 2, photos=[after], note="已清理"))
    return boss, staff, first.item_id, sorted([before, after])


def test_an_items_detail_holds_photo_facts_and_names_by_id(ctx, office):
    boss, staff, item_id, shas = office
    detail = items.get_item(ctx, boss, item_id)
    assert [p.sha256 for p in detail.photos] == shas
    assert all(type(p) is PhotoPublic and p.width == 640 for p in detail.photos)
    assert detail.actors == {boss.id: "王督查", staff.id: "jianzhu"}
    assert [e.kind for e in detail.events] == ["reported", "assigned", "fix_submitted"]
    assert all(isinstance(e, Event) for e in detail.events)  # domain values, not rows


def test_an_item_one_may_not_see_is_not_found(ctx, office):
    _, _, item_id, _ = office
    other = person(ctx, "yuanlin", Role.OFFICE_STAFF, "landscaping")
    with pytest.raises(ItemNotFound):
        items.get_item(ctx, other, item_id)
    assert items.list_items(ctx, other, ItemFilter()).total == 0


def test_a_spot_checker_reads_an_unchecked_item_blind(ctx, office):
    _, _, item_id, shas = office
    checker = person(ctx, "renda", Role.SPOT_CHECKER)
    auth.delegate(ctx, checker.id, offices=["construction"])
    with read_session(ctx.engine) as session:
        checker = users.actor(session, checker.id)
    [seen] = items.list_items(ctx, checker, ItemFilter()).items
    assert seen.id == item_id and seen.fix_photos == () and seen.leader is None
    detail = items.get_item(ctx, checker, item_id)
    assert [e.kind for e in detail.events] == ["reported"]


def test_a_pull_page_names_the_actors_and_moves_the_cursor(ctx, office):
    boss, staff, _, _ = office
    page = sync.pull(ctx, boss, 0, 2)
    assert [e.kind for e in page.events] == ["reported", "assigned"] and page.has_more
    assert page.names == {boss.id: "王督查"}
    rest = sync.pull(ctx, boss, page.next_after, 10)
    assert [e.kind for e in rest.events] == ["fix_submitted"] and not rest.has_more
    assert rest.names == {staff.id: "jianzhu"} and rest.next_after == rest.events[-1].seq
