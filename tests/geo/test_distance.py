"""Distances, nearest registered site and the same-spot check."""

import pytest

from inspector.geo.checks import SpotCheck, same_spot
from inspector.geo.distance import Point, distance_m, nearest_site

WEST_LAKE = Point(30.27412, 120.15515)


def test_geodesic_distance_matches_known_values():
    # One degree of latitude at the equator on WGS-84: 110,574.389 m (Karney).
    assert distance_m(Point(0, 0), Point(1, 0)) == pytest.approx(110_574.389, abs=0.01)
    # One degree of longitude on the equator: a * pi / 180.
    assert distance_m(Point(0, 0), Point(0, 1)) == pytest.approx(111_319.491, abs=0.01)
    assert distance_m(WEST_LAKE, WEST_LAKE) == 0


def test_point_refuses_impossible_coordinates():
    with pytest.raises(ValueError):
        Point(120.15515, 30.27412)  # swapped lat/lon
    with pytest.raises(ValueError):
        Point(30, 181)


def test_nearest_site_within_radius():
    sites = [
        ("s1", "文三路工地", Point(30.27500, 120.15515)),  # ~98 m north
        ("s2", "黄龙工地", Point(30.27440, 120.15515)),  # ~31 m north
        ("s3", "钱江新城工地", Point(30.24500, 120.21000)),  # kilometres away
    ]

    site_id, name, metres = nearest_site(WEST_LAKE, sites, radius_m=300)

    assert (site_id, name) == ("s2", "黄龙工地")
    assert metres == pytest.approx(31.0, abs=0.5)
    assert nearest_site(WEST_LAKE, sites, radius_m=20) is None
    assert nearest_site(WEST_LAKE, [], radius_m=1000) is None
    assert nearest_site(WEST_LAKE, iter(sites), radius_m=300)[0] == "s2"  # any iterable


def test_same_spot_flags_but_never_blocks():
    near = Point(30.27440, 120.15515)  # ~31 m
    far = Point(30.27500, 120.15515)  # ~98 m

    assert same_spot(WEST_LAKE, near) == SpotCheck(pytest.approx(31.0, abs=0.5), False)
    assert same_spot(WEST_LAKE, far).flagged is True
    assert same_spot(WEST_LAKE, far, limit_m=100).flagged is False


@pytest.mark.parametrize(("item", "photo"), [(None, WEST_LAKE), (WEST_LAKE, None), (None, None)])
def test_unknown_position_is_unknown_not_flagged(item, photo):
    check = same_spot(item, photo)

    assert check == SpotCheck(distance_m=None, flagged=False)
    assert check.known is False
