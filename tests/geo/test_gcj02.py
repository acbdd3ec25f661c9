"""WGS-84 <-> GCJ-02 against published pairs, and the inverse's round trip."""

import pytest

from inspector.geo.distance import Point, distance_m
from inspector.geo.gcj02 import gcj02_to_wgs84, in_china, wgs84_to_gcj02

# (wgs lat, wgs lon, gcj lat, gcj lon) published with independent implementations:
PUBLISHED = [
    # coordtransform (wandergis) README/tests, also Hutool's CoordinateUtilTest
    (39.915, 116.404, 39.91640428150164, 116.41024449916938),
    # eviltransform (googollee) test vectors: Shanghai, Shenzhen, Beijing
    (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),
    (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),
    (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),
]


@pytest.mark.parametrize(("wgs_lat", "wgs_lon", "gcj_lat", "gcj_lon"), PUBLISHED)
def test_forward_matches_published_pairs(wgs_lat, wgs_lon, gcj_lat, gcj_lon):
    lat, lon = wgs84_to_gcj02(wgs_lat, wgs_lon)

    assert lat == pytest.approx(gcj_lat, abs=1e-9)
    assert lon == pytest.approx(gcj_lon, abs=1e-9)


@pytest.mark.parametrize(("wgs_lat", "wgs_lon", "gcj_lat", "gcj_lon"), PUBLISHED)
def test_inverse_recovers_published_wgs84(wgs_lat, wgs_lon, gcj_lat, gcj_lon):
    lat, lon = gcj02_to_wgs84(gcj_lat, gcj_lon)

    assert distance_m(Point(lat, lon), Point(wgs_lat, wgs_lon)) < 0.01


def test_the_offset_is_hundreds_of_metres_in_china():
    gcj = wgs84_to_gcj02(39.915, 116.404)

    assert 400 < distance_m(Point(39.915, 116.404), Point(*gcj)) < 700


def test_coordtransforms_one_step_inverse_is_within_half_a_metre_of_ours():
    # coordtransform's gcj02towgs84(116.404, 39.915) -> (116.39775550083061, 39.91359571849836),
    # a single-step approximation; ours iterates to the exact inverse.
    ours = gcj02_to_wgs84(39.915, 116.404)

    assert distance_m(Point(*ours), Point(39.91359571849836, 116.39775550083061)) < 0.5


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(30.27412, 120.15515), (45.80, 126.53), (43.83, 87.62), (18.25, 109.51), (29.65, 91.13), (22.28, 114.16)],
)
def test_round_trip_is_sub_metre(lat, lon):
    back = gcj02_to_wgs84(*wgs84_to_gcj02(lat, lon))

    assert distance_m(Point(lat, lon), Point(*back)) < 0.5
    assert abs(back[0] - lat) < 1e-8 and abs(back[1] - lon) < 1e-8


@pytest.mark.parametrize(("lat", "lon"), [(51.5007, -0.1246), (35.6586, 139.7454), (-33.86, 151.21), (60.0, 100.0)])
def test_outside_china_is_unchanged(lat, lon):
    assert not in_china(lat, lon)
    assert wgs84_to_gcj02(lat, lon) == (lat, lon)
    assert gcj02_to_wgs84(lat, lon) == (lat, lon)
