"""The campaign in force and the check rounds, over a real database."""

from datetime import date

import pytest

from inspector.domain.roles import Role
from inspector.errors import Forbidden, InvalidRequest, UnknownOffice
from inspector.services import campaigns
from inspector.store.campaigns import RoundPublic
from tests.factories import person


def test_the_first_read_stores_the_default_campaign_and_later_reads_keep_it(ctx, clock):
    inspector = person(ctx, "xuncha", Role.INSPECTOR)
    first = campaigns.get_campaign(ctx, inspector)
    assert first.campaign.name == "夏季集中大整治" and first.today == date(2026, 7, 15)
    assert first.current_phase == "rectification" and first.updated_by is None
    clock.advance(days=400)  # another year: the stored dates stay put
    later = campaigns.get_campaign(ctx, inspector)
    assert later.id == first.id and later.campaign.phases == first.campaign.phases
    assert later.current_phase is None


def test_only_an_admin_changes_the_campaign_and_only_the_fields_given(ctx, clock):
    boss = person(ctx, "dudao", Role.SUPERVISOR)
    admin = person(ctx, "guanli", Role.ADMIN)
    before = campaigns.get_campaign(ctx, boss)
    with pytest.raises(Forbidden):
        campaigns.update_campaign(ctx, boss, {"name": "秋季巩固"})
    clock.advance(minutes=5)
    changed = campaigns.update_campaign(ctx, admin, {"top_leaders": {"construction": " 周局长 "}})
    assert changed.campaign.top_leaders == {"construction": "周局长"}
    assert changed.campaign.name == before.campaign.name and changed.campaign.phases == before.campaign.phases
    assert (changed.id, changed.updated_by, changed.updated_at) == (before.id, admin.id, clock())
    assert campaigns.active(ctx).top_leaders == {"construction": "周局长"}
    with pytest.raises(InvalidRequest):
        campaigns.update_campaign(ctx, admin, {"active": False})
    with pytest.raises(InvalidRequest):
        campaigns.update_campaign(ctx, admin, {"name": None})


def test_the_verify_payload_carries_the_look_back_rule_in_force(ctx):
    admin = person(ctx, "guanli", Role.ADMIN)
    campaigns.update_campaign(ctx, admin, {"look_back_days": {"site_sewage": 5}})
    assert campaigns.verify_payload(ctx, "site_sewage", " 好 ") == {"look_back_days": 5, "note": "好"}


def test_rounds_are_made_by_deciders_and_listed_by_office_and_day(ctx):
    boss = person(ctx, "dudao", Role.SUPERVISOR)
    staff = person(ctx, "jianzhu", Role.OFFICE_STAFF, "construction")
    july = campaigns.create_round(ctx, boss, " 七月互查 ", "construction", "landscaping", date(2026, 7, 1),
                                  date(2026, 7, 10))
    august = campaigns.create_round(ctx, boss, "八月互查", "real_estate", "other_units", date(2026, 8, 1),
                                    date(2026, 8, 5))
    assert type(july) is RoundPublic and july.name == "七月互查" and july.created_by == boss.id
    assert campaigns.list_rounds(ctx, staff) == [august, july]  # newest first
    assert campaigns.list_rounds(ctx, staff, office="landscaping") == [july]
    assert campaigns.list_rounds(ctx, staff, on=date(2026, 8, 3)) == [august]
    with pytest.raises(Forbidden):
        campaigns.create_round(ctx, staff, "自查", "construction", "landscaping", date(2026, 7, 1), date(2026, 7, 2))
    with pytest.raises(InvalidRequest):
        campaigns.create_round(ctx, boss, "自己", "construction", "construction", date(2026, 7, 1), date(2026, 7, 2))
    with pytest.raises(UnknownOffice):
        campaigns.create_round(ctx, boss, "外", "construction", "mars", date(2026, 7, 1), date(2026, 7, 2))
