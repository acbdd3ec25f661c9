"""The site register's use cases: admins register, edit, retire and restore; everyone reads; types are added."""

import pytest

from inspector.domain.roles import Role
from inspector.errors import NotFound, SiteNameTaken, SitesAdminOnly, SiteTypeExists, UnknownSiteType
from inspector.services import catalog, sites
from inspector.store import site_types
from inspector.store.engine import write_session
from inspector.store.schema import seed_site_types
from tests.factories import person

PARK = {"name": "人民公园", "kind": "green_belt", "office_code": "landscaping", "lat": 30.2741, "lon": 120.1551}


@pytest.fixture
def admin(ctx):
    return person(ctx, "admin1", Role.ADMIN)


def test_the_shipped_types_are_seeded_once_and_named_in_both_languages(ctx):
    seed_site_types(ctx.engine)  # a second seed changes nothing
    types = sites.site_types(ctx)
    assert [st.code for st in types] == ["construction_site", "green_belt", "community", "office_area"]
    assert sites.type_names(ctx, "zh-CN")["construction_site"] == "建筑工地"
    assert sites.type_names(ctx, "en")["community"] == "Residential compound"


def test_an_admin_adds_a_type_named_in_both_languages(ctx, admin):
    sites.add_site_type(ctx, admin, "market", {"zh-CN": "农贸市场", "en": "Wet market"})
    assert [st.code for st in sites.site_types(ctx)][-1] == "market"
    assert sites.type_names(ctx, "en")["market"] == "Wet market"
    assert sites.site_type_name("market", {"zh-CN": "农贸市场"}, "en") == "农贸市场"  # any name beats the code
    assert sites.site_type_name("unheard_of", {}, "en") == "unheard_of"
    with pytest.raises(SiteTypeExists):
        sites.add_site_type(ctx, admin, "market", {"zh-CN": "市场", "en": "Market"})
    with pytest.raises(SiteTypeExists):  # two admins at once: the store's key settles it
        with write_session(ctx.engine) as session:
            site_types.add_site_type(session, "market", {"zh-CN": "市场", "en": "Market"}, ctx.now())
    park = sites.register(ctx, admin, {**PARK, "kind": "market"})
    assert park.kind == "market"


def test_register_edit_retire_restore(ctx, admin):
    park = sites.register(ctx, admin, {**PARK, "address": "解放路 1 号"})
    assert park.active and park.address == "解放路 1 号" and len(park.id) == 36
    moved = sites.edit(ctx, admin, park.id, {"lat": 30.28, "contact": "刘工"})
    assert (moved.lat, moved.lon, moved.contact, moved.address) == (30.28, 120.1551, "刘工", "解放路 1 号")
    sites.edit(ctx, admin, park.id, {"active": False})
    assert catalog.list_sites(ctx) == [] and sites.list_sites(ctx) == []
    assert [s.id for s in sites.list_sites(ctx, include_retired=True)] == [park.id]
    assert catalog.nearest_site(ctx, 30.28, 120.1551) is None  # a retired site is nobody's nearest
    sites.set_active(ctx, admin, park.id, True)
    assert [s.id for s in catalog.list_sites(ctx)] == [park.id]


def test_names_are_unique_on_the_register(ctx, admin):
    park = sites.register(ctx, admin, PARK)
    with pytest.raises(SiteNameTaken):
        sites.register(ctx, admin, {**PARK, "kind": "community", "office_code": "real_estate"})
    other = sites.register(ctx, admin, {**PARK, "name": "西湖公园"})
    with pytest.raises(SiteNameTaken):
        sites.edit(ctx, admin, other.id, {"name": "人民公园"})
    assert sites.edit(ctx, admin, park.id, {"name": "人民公园"}).name == "人民公园"  # its own name is free


def test_edits_are_checked_like_new_sites(ctx, admin):
    park = sites.register(ctx, admin, PARK)
    with pytest.raises(UnknownSiteType):
        sites.edit(ctx, admin, park.id, {"kind": "market"})
    with pytest.raises(NotFound):
        sites.edit(ctx, admin, "no-such-site", {"lat": 30})
    with pytest.raises(NotFound):
        sites.set_active(ctx, admin, "no-such-site", False)
    assert sites.site(ctx, park.id) == park


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.INSPECTOR, Role.OFFICE_STAFF, Role.SPOT_CHECKER])
def test_only_admins_change_the_register(ctx, admin, role):
    park = sites.register(ctx, admin, PARK)
    someone = person(ctx, "someone", role, "landscaping" if role == Role.OFFICE_STAFF else None)
    for change in (lambda: sites.register(ctx, someone, {**PARK, "name": "新公园"}),
                   lambda: sites.edit(ctx, someone, park.id, {"lat": 30}),
                   lambda: sites.set_active(ctx, someone, park.id, False),
                   lambda: sites.add_site_type(ctx, someone, "market", {"zh-CN": "市场", "en": "Market"})):
        with pytest.raises(SitesAdminOnly):
            change()
    assert sites.list_sites(ctx) == [park]
