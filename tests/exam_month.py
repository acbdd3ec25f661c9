"""A July 2026 for the published monthly exam's tests: three items driven through the services by the clock.

The clock fixture starts on 2026-07-15 09:30 local; ``july`` leaves it on 2026-07-20, ``after_july``
moves it to 2026-08-02 (July is over). By hand, at July's end: construction 75 (items one on time, two
never fixed and overdue), landscaping 87.5 (three: a fix rejected, then on time; no spot checks).
"""

import pytest

from inspector.domain.roles import Role
from inspector.services import events
from tests.factories import LOCATION, new_id, person, stored_photo


class Case:
    """One item driven through the services with the test's clock."""

    def __init__(self, ctx, clock, actor, photo, office, category):
        self.ctx, self.clock, self.id, self.version = ctx, clock, new_id(), 0
        self.send(actor, "reported", category=category, office=office, location=dict(LOCATION),
                  check_type="supervisor", photos=[photo])

    def send(self, actor, kind, hours=0, **payload):
        self.clock.advance(hours=hours)
        event = events.EventIn(id=new_id(), item_id=self.id, kind=kind, at=self.clock(),
                               base_version=self.version, payload=payload)
        outcome = events.push(self.ctx, actor, [event])[0]
        assert outcome.status == "accepted", outcome.error
        if kind not in ("commented", "spot_checked"):
            self.version += 1
        return self


@pytest.fixture
def people(ctx):
    return {
        "supervisor": person(ctx, "dudao", Role.SUPERVISOR),
        "admin": person(ctx, "guanli", Role.ADMIN),
        "inspector": person(ctx, "xuncha", Role.INSPECTOR),
        "staff": person(ctx, "jianzhu", Role.OFFICE_STAFF, "construction"),
        "leader": person(ctx, "jianzhu_lead", Role.OFFICE_LEADER, "construction"),
        "other_staff": person(ctx, "yuanlin", Role.OFFICE_STAFF, "landscaping"),
    }


@pytest.fixture
def july(ctx, clock, people):
    sup, staff, other = people["supervisor"], people["staff"], people["other_staff"]
    before = stored_photo(ctx, people["inspector"], 1)
    after = stored_photo(ctx, staff, 2)
    after_other = stored_photo(ctx, other, 3)
    one = Case(ctx, clock, people["inspector"], before, "construction", "site_sewage")
    one.send(sup, "assigned", hours=1, office="construction", leader="陈处长", deadline="2026-07-17")
    one.send(staff, "fix_submitted", hours=24, photos=[after])
    one.send(sup, "verified", hours=2)
    two = Case(ctx, clock, people["inspector"], before, "construction", "site_garbage")
    two.send(sup, "assigned", hours=1, office="construction", leader="陈处长", deadline="2026-07-16")
    three = Case(ctx, clock, people["inspector"], before, "landscaping", "loose_soil")
    three.send(sup, "assigned", hours=1, office="landscaping", leader="吴科长", deadline="2026-07-20")
    three.send(other, "fix_submitted", hours=2, photos=[after_other])
    three.send(sup, "rejected", hours=1, reason="浮土未清")
    three.send(other, "fix_submitted", hours=20, photos=[after_other])
    three.send(sup, "verified", hours=1)
    clock.current = clock.current.replace(day=20)
    return {"one": one, "two": two, "three": three, "after": after}


@pytest.fixture
def after_july(clock, july):
    """July is over: the clock on 2026-08-02 10:00 local."""
    clock.current = clock.current.replace(month=8, day=2, hour=2)
    return july
