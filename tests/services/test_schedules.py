"""The due list per role, across month ends on a driven clock, over a real database with real visit rows."""

from datetime import date, datetime, timezone

import pytest

from inspector.domain.roles import Role
from inspector.errors import Forbidden, InvalidRequest
from inspector.services import campaigns, notifications, schedules
from inspector.store import visit_queries
from inspector.store.engine import read_session
from tests.factories import person, registered_site, visit_row

UTC = timezone.utc


@pytest.fixture
def register(ctx):
    """Two construction sites, a community of the housing office, one site taken off the register."""
    return {
        "yard": registered_site(ctx, "滨江工地"),
        "east": registered_site(ctx, "城东工地"),
        "home": registered_site(ctx, "阳光小区", kind="community", office="real_estate"),
        "gone": registered_site(ctx, "旧工地", active=False),
    }


def pairs(due):
    return [(d.site_id, d.check_type) for d in due]


def test_each_role_is_due_its_own_part_of_the_schedule(ctx, register):
    # the default campaign starts on 1 July; the clock reads 15 July: weekly self checks are overdue since
    # 8 July, fortnightly supervisor checks due today, monthly ones on 31 July
    boss = person(ctx, "dudao", Role.SUPERVISOR)
    staff = person(ctx, "shigong", Role.OFFICE_STAFF, "construction")
    leader = person(ctx, "fangguan", Role.OFFICE_LEADER, "real_estate")
    walker = person(ctx, "xuncha", Role.INSPECTOR)
    outsider = person(ctx, "renda", Role.SPOT_CHECKER)
    yard, east, home = register["yard"], register["east"], register["home"]
    everything = schedules.due_visits(ctx, boss)
    assert pairs(everything) == [(s, "self") for s in sorted([yard, east, home])] + \
        [(s, "supervisor") for s in sorted([yard, east])]
    assert [d.due for d in everything] == [date(2026, 7, 8)] * 3 + [date(2026, 7, 15)] * 2
    assert [d.days_overdue(date(2026, 7, 15)) for d in everything] == [7, 7, 7, 0, 0]
    assert pairs(schedules.due_visits(ctx, staff)) == [(s, "self") for s in sorted([yard, east])]
    assert pairs(schedules.due_visits(ctx, leader)) == [(home, "self")]
    assert pairs(schedules.due_visits(ctx, walker)) == [(s, "supervisor") for s in sorted([yard, east])]
    assert schedules.due_visits(ctx, outsider) == []
    assert register["gone"] not in {d.site_id for d in everything}  # off the register: never due


def test_a_visited_site_drops_out_until_its_next_due_day_across_the_months_end(ctx, clock, register):
    staff = person(ctx, "shigong", Role.OFFICE_STAFF, "construction")
    yard, east = register["yard"], register["east"]
    # 28 July 01:00 in Shanghai is 27 July 17:00 UTC: the local day counts
    visit_row(ctx, yard, "self", datetime(2026, 7, 27, 17, 0, tzinfo=UTC))
    visit_row(ctx, yard, "supervisor", datetime(2026, 7, 28, 2, 0, tzinfo=UTC))  # another check: not this one
    clock.current = datetime(2026, 8, 3, 15, 0, tzinfo=UTC)  # 3 August 23:00 local
    assert pairs(schedules.due_visits(ctx, staff)) == [(east, "self")]
    clock.current = datetime(2026, 8, 3, 16, 0, tzinfo=UTC)  # 4 August 00:00 local: due today
    due = schedules.due_visits(ctx, staff)
    assert pairs(due) == [(east, "self"), (yard, "self")]
    assert (due[1].last_visit, due[1].due, due[1].days_overdue(date(2026, 8, 4))) == \
        (date(2026, 7, 28), date(2026, 8, 4), 0)
    assert schedules.due_visits(ctx, staff, today=date(2026, 8, 5))[1].days_overdue(date(2026, 8, 5)) == 1
    visit_row(ctx, east, "self", datetime(2026, 8, 4, 1, 0, tzinfo=UTC))
    assert pairs(schedules.due_visits(ctx, staff)) == [(yard, "self")]


def test_a_schedule_across_the_years_end(ctx, clock, register):
    admin = person(ctx, "guanli", Role.ADMIN)
    campaigns.update_campaign(ctx, admin, {"phases": [{"code": "publicity", "starts": "2026-12-01",
                                                       "ends": "2027-01-31"}]})
    visit_row(ctx, register["yard"], "supervisor", datetime(2026, 12, 27, 3, 0, tzinfo=UTC))
    mine = [d for d in schedules.due_visits(ctx, admin, today=date(2027, 1, 10)) if d.site_id == register["yard"]]
    assert [(d.check_type, d.due) for d in mine] == [("self", date(2026, 12, 8)), ("supervisor", date(2027, 1, 10))]
    assert [d for d in schedules.due_visits(ctx, admin, today=date(2027, 1, 9))
            if d.site_id == register["yard"] and d.check_type == "supervisor"] == []


def test_the_campaign_sets_the_frequencies_checked_and_empty_means_the_defaults(ctx, register):
    admin = person(ctx, "guanli", Role.ADMIN)
    staff = person(ctx, "shigong", Role.OFFICE_STAFF, "construction")
    view = campaigns.update_campaign(ctx, admin, {"visit_every": {"construction_site": {"self": 3}}})
    assert view.campaign.visit_every == {"construction_site": {"self": 3}}
    due = schedules.due_visits(ctx, admin)
    assert {(d.check_type, d.every_days, d.due) for d in due} == {("self", 3, date(2026, 7, 4))}  # no community
    assert len(schedules.due_visits(ctx, staff)) == 2
    for bad in ({"stadium": {"self": 7}}, {"construction_site": {"weekly": 7}}, {"construction_site": {"self": 0}},
                {"construction_site": {"self": 367}}, ["construction_site"]):
        with pytest.raises(InvalidRequest):
            campaigns.update_campaign(ctx, admin, {"visit_every": bad})
    assert campaigns.active(ctx).visit_every == {"construction_site": {"self": 3}}  # a refused edit changes nothing
    campaigns.update_campaign(ctx, admin, {"visit_every": {}})
    assert len(schedules.due_visits(ctx, admin)) == 5  # the defaults again
    with pytest.raises(Forbidden):
        campaigns.update_campaign(ctx, staff, {"visit_every": {}})


def test_the_board_counts_due_overdue_and_the_sites_nobody_saw_this_fortnight(ctx, register):
    boss = person(ctx, "dudao", Role.SUPERVISOR)
    yard, east, home = register["yard"], register["east"], register["home"]
    visit_row(ctx, yard, "self", datetime(2026, 7, 14, 2, 0, tzinfo=UTC))
    visit_row(ctx, home, "supervisor", datetime(2026, 7, 1, 2, 0, tzinfo=UTC))  # 15 days ago: not this fortnight
    board = schedules.board(ctx, boss)
    assert board.today == date(2026, 7, 15) and len(board.entries) == 6  # 2 x 2 construction, 2 community
    assert board.counts() == {"due_today": 2, "overdue": 2, "visited": 1}
    assert board.unseen() == {east, home} and board.last_seen[home] == date(2026, 7, 1)
    assert pairs(board.due()) == sorted([(east, "self"), (home, "self")]) + \
        [(s, "supervisor") for s in sorted([yard, east])]
    with pytest.raises(Forbidden):
        schedules.board(ctx, person(ctx, "xuncha", Role.INSPECTOR))


def test_a_site_gone_overdue_is_a_notice_for_its_office_and_the_supervisors(ctx, clock, register):
    boss = person(ctx, "dudao", Role.SUPERVISOR)
    staff = person(ctx, "fangguan", Role.OFFICE_STAFF, "real_estate")
    walker = person(ctx, "xuncha", Role.INSPECTOR)
    clock.current = datetime(2026, 7, 8, 12, 0, tzinfo=UTC)  # 8 July: due today, not yet overdue
    assert schedules.overdue_notices(ctx, staff) == []
    clock.current = datetime(2026, 7, 10, 12, 0, tzinfo=UTC)
    found = schedules.overdue_notices(ctx, staff)
    assert [(n.kind, n.site_name, n.check_type) for n in found] == [("site_overdue", "阳光小区", "self")]
    board = notifications.notice_board(ctx, staff)
    assert "site_overdue" in [n.kind for n in board.notices]
    assert len(schedules.overdue_notices(ctx, boss)) == 3 and schedules.overdue_notices(ctx, walker) == []


def test_visits_of_a_period_come_with_their_local_day(ctx, register):
    visit_row(ctx, register["yard"], "self", datetime(2026, 7, 31, 16, 30, tzinfo=UTC))  # 1 August local
    visit_row(ctx, register["east"], "self", datetime(2026, 8, 2, 1, 0, tzinfo=UTC))
    with read_session(ctx.engine) as session:
        found = visit_queries.visits_in(session, datetime(2026, 7, 31, 16, 0, tzinfo=UTC),
                                        datetime(2026, 8, 2, 0, 0, tzinfo=UTC), ctx.settings.zone)
    assert [(v.site_id, v.day) for v in found] == [(register["yard"], date(2026, 8, 1))]
