"""The desk's services facade (``inspector.services.desk``): queues as paged filters, decisions, map points."""

from inspector.services.desk import Desk, Filters, allowed_decisions
from inspector.store.queries import ItemFilter
from tests.ui.desk_helpers import actor, desk_of


def test_each_queue_is_a_filter_the_database_pages_and_counts(ctx):
    desk = desk_of(ctx, "dudao")
    now = ctx.now()
    page = desk.queue("overdue", page_size=5)
    assert page.total == desk.counts()["overdue"] and len(page.items) == 5
    assert all(i.overdue(now) for i in page.items)
    assert all(i.status == "fix_submitted" for i in desk.queue("verify").items)
    assert all(i.extension_pending for i in desk.queue("extension").items)
    # the user's filters narrow a queue; a contradictory status leaves it empty rather than widening it
    assert desk.queue("dispatch", Filters(status="verified")).total == 0
    assert desk.item_filter("overdue", Filters(overdue=False)).overdue is True


def test_the_ids_queue_lists_exactly_those_items_and_no_ids_lists_nothing(ctx):
    desk = desk_of(ctx, "dudao")
    some = [i.id for i in desk.queue("all", page_size=7).items]
    listed = desk.queue("ids", ids=some, sort="number")
    assert sorted(i.id for i in listed.items) == sorted(some) and listed.total == 7
    assert desk.queue("ids", ids=()).total == 0


def test_office_staff_see_only_their_office_through_the_same_queues(ctx):
    staff = Desk(ctx, actor(ctx, "jianzhu"))
    # their office's items, as the lead or as a supporting office (配合: the demo has one of those)
    seen = staff.queue("all", page_size=100).items
    assert seen and all(i.involves("construction") for i in seen)
    assert any(i.office != "construction" for i in seen)
    assert not allowed_decisions(staff.actor, staff.queue("verify").items[0])


def test_map_points_are_capped_and_counted(ctx):
    desk = desk_of(ctx, "dudao")
    found = desk.map_points(limit=10)
    assert len(found.points) == 10 and found.total == 38  # the demo's 36, and its 2 returned items
    assert desk.map_points(Filters(office="landscaping")).total == desk.queue(
        "all", Filters(office="landscaping")).total


def test_months_run_from_the_campaign_to_now(ctx):
    months = desk_of(ctx, "dudao").months()
    assert months[0] >= "2026-08" and "2026-07" in months and months == sorted(months, reverse=True)


def test_item_filter_ids_is_a_plain_condition():
    assert ItemFilter(ids=("a",)).ids == ("a",) and ItemFilter().ids == ()


def test_a_very_long_ids_list_is_cut_to_what_one_query_can_hold(ctx):
    from inspector.services.desk import IDS_MAX

    desk = desk_of(ctx, "dudao")
    real = [i.id for i in desk.queue("all", page_size=3).items]
    many = real + [f"00000000-0000-0000-0000-{n:012d}" for n in range(40_000)]
    assert len(desk.item_filter("ids", ids=many).ids) == IDS_MAX
    assert desk.queue("ids", ids=many).total == 3  # and the query still runs
