"""The site register's rules: a site's checked fields, a new type's code and names, the QR link's route."""

import math

import pytest

from inspector.domain.sites import (
    ADDRESS_MAX, CONTACT_MAX, NAME_MAX, SHIPPED_TYPES, checked_site, checked_type, coordinate, site_of_route,
    visit_route,
)
from inspector.errors import (
    ControlCharacters, CoordinateInvalid, SiteFieldMissing, SiteFieldTooLong, SiteTypeCodeInvalid, SiteTypeExists,
    SiteTypeNamesMissing, UnknownOffice, UnknownSiteType,
)

GOOD = {"name": "  滨江花园三期工地 ", "kind": "construction_site", "office_code": "construction", "lat": "30.2741",
        "lon": 120.1551, "address": "江滨路 88 号", "contact": "王工\t0571"}


def site(**changes):
    return checked_site({**GOOD, **changes}, SHIPPED_TYPES)


def test_a_good_site_is_tidied_and_its_coordinates_are_numbers():
    assert site() == {"name": "滨江花园三期工地", "kind": "construction_site", "office_code": "construction",
                      "lat": 30.2741, "lon": 120.1551, "address": "江滨路 88 号", "contact": "王工\t0571"}
    assert site(address=None, contact=None)["address"] == ""


@pytest.mark.parametrize("field", ["name", "kind", "office_code", "lat", "lon"])
def test_each_needed_field_is_needed(field):
    with pytest.raises(SiteFieldMissing):
        site(**{field: "  "})


@pytest.mark.parametrize("field, limit", [("name", NAME_MAX), ("address", ADDRESS_MAX), ("contact", CONTACT_MAX)])
def test_free_text_has_its_length(field, limit):
    assert site(**{field: "字" * limit})[field] == "字" * limit
    with pytest.raises(SiteFieldTooLong) as refused:
        site(**{field: "字" * (limit + 1)})
    assert refused.value.details["max"] == limit


@pytest.mark.parametrize("field", ["name", "address", "contact"])
def test_control_characters_are_refused_in_free_text(field):
    with pytest.raises(ControlCharacters):
        site(**{field: "东门\x00"})


def test_the_type_and_the_office_must_be_known():
    with pytest.raises(UnknownSiteType):
        site(kind="market")
    assert checked_site({**GOOD, "kind": "market"}, [*SHIPPED_TYPES, "market"])["kind"] == "market"
    with pytest.raises(UnknownOffice):
        site(office_code="police")


@pytest.mark.parametrize("field, value", [("lat", 90.0001), ("lat", -91), ("lon", 180.5), ("lon", "东经120"),
                                          ("lat", math.nan), ("lon", math.inf), ("lat", True), ("lat", [30])])
def test_coordinates_are_finite_numbers_in_range(field, value):
    with pytest.raises(CoordinateInvalid):
        site(**{field: value})


def test_coordinates_at_their_limits_pass():
    assert coordinate(-90, "lat") == -90.0 and coordinate("180", "lon") == 180.0


def test_a_new_type_needs_a_free_well_formed_code_and_both_names():
    assert checked_type(" market ", {"zh-CN": " 农贸市场 ", "en": "Market"}, SHIPPED_TYPES) == \
        ("market", {"zh-CN": "农贸市场", "en": "Market"})
    for bad in ("Market", "1market", "m", "market place", "市场", "x" * 41):
        with pytest.raises(SiteTypeCodeInvalid):
            checked_type(bad, {"zh-CN": "市场", "en": "Market"}, SHIPPED_TYPES)
    with pytest.raises(SiteTypeExists):
        checked_type("green_belt", {"zh-CN": "绿地", "en": "Green"}, SHIPPED_TYPES)
    with pytest.raises(SiteTypeNamesMissing) as refused:
        checked_type("market", {"zh-CN": "农贸市场"}, SHIPPED_TYPES)
    assert refused.value.details["lang"] == "en"
    with pytest.raises(ControlCharacters):
        checked_type("market", {"zh-CN": "农贸\x1b市场", "en": "Market"}, SHIPPED_TYPES)


def test_the_visit_route_is_made_and_read_back():
    site_id = "01a235b0-07c2-777f-9ecc-da8184a3076f"
    assert visit_route(site_id) == f"/visit/{site_id}"
    assert site_of_route(visit_route(site_id)) == site_id
    assert site_of_route(f"https://cw.example.cn/visit/{site_id}/?from=qr#top") == site_id
    assert site_of_route("/visit/s-park") == "s-park"


@pytest.mark.parametrize("route", [None, "", "/", "/visit", "/visit/", "/visits/abc", "/visit/a/b",
                                   "/visit/../etc", "/visit/" + "a" * 37, "/visit/abc%00", "/items/abc"])
def test_other_routes_name_no_site(route):
    assert site_of_route(route) is None
