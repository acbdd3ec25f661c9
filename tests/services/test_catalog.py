"""The catalogue and the site list: public models, by name, and the nearest site."""

from inspector.services import catalog
from inspector.store import sites
from inspector.store.engine import write_session
from inspector.store.public import SitePublic

PARK = SitePublic(id="s-park", name="人民公园", kind="green_belt", office_code="landscaping", lat=30.2741,
                  lon=120.1551)
YARD = SitePublic(id="s-yard", name="A工地", kind="construction_site", office_code="construction", lat=30.2841,
                  lon=120.1551)


def add(ctx, *places: SitePublic) -> None:
    with write_session(ctx.engine) as session:
        for place in places:
            sites.add_site(session, place)


def test_sites_are_public_models_by_name_usable_after_the_session(ctx):
    add(ctx, PARK, YARD)
    listed = catalog.list_sites(ctx)
    assert listed == [YARD, PARK]  # "A" sorts before "人"
    assert all(type(s) is SitePublic for s in listed)
    assert listed[1].radius_m == 200.0  # the column's default, carried over


def test_the_nearest_site_within_the_radius(ctx):
    add(ctx, PARK, YARD)
    site, metres = catalog.nearest_site(ctx, 30.2742, 120.1551)
    assert site == PARK and 10 < metres < 12
    assert catalog.nearest_site(ctx, 30.3, 120.3) is None


def test_the_catalogue_names_every_role(ctx):
    roles = {r["code"]: r["names"] for r in catalog.catalogue()["roles"]}
    assert set(roles) == {"inspector", "office_staff", "office_leader", "supervisor", "spot_checker", "admin"}
    assert roles["spot_checker"]["en"] and roles["spot_checker"]["zh-CN"]
