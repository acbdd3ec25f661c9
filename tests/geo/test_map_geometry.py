"""L: what the desk map draws itself without tiles: the scale bar, and clusters that never overlap."""

import math
import random

import pytest

from inspector.geo.tiles import length_label, metres_per_pixel, scale_bar
from inspector.ui.desk.clusters import GAP, Cluster, MapItem, cluster, diameter, pixel, spread


def test_metres_per_pixel_follow_zoom_and_latitude():
    assert metres_per_pixel(0, 0) == pytest.approx(156_543.03, rel=1e-6)
    assert metres_per_pixel(15, 0) == pytest.approx(4.777, rel=1e-3)
    # Hangzhou, 30.27 N: cos shrinks it; one zoom level halves it
    assert metres_per_pixel(15, 30.27) == pytest.approx(4.777 * math.cos(math.radians(30.27)), rel=1e-3)
    assert metres_per_pixel(16, 30.27) == pytest.approx(metres_per_pixel(15, 30.27) / 2)


@pytest.mark.parametrize("zoom, lat, metres, label", [
    (15, 30.27, 200, "200 m"),  # 4.13 m/px: 120 px = 495 m, so 200 m (500 would need 121 px)
    (12, 30.27, 2000, "2 km"),  # 33 m/px: 120 px = 3.96 km
    (19, 30.27, 20, "20 m"),
    (3, 30.27, 2_000_000, "2000 km"),  # 16.9 km/px: 120 px = 2028 km
    (15, 0, 500, "500 m"),  # 4.78 m/px: 120 px = 573 m
])
def test_the_scale_bar_is_the_longest_round_length_that_fits(zoom, lat, metres, label):
    bar = scale_bar(zoom, lat, 120)
    assert (bar.metres, bar.label) == (metres, label)
    assert bar.pixels <= 120 and bar.pixels == pytest.approx(metres / metres_per_pixel(zoom, lat))
    assert bar.pixels > 120 / 2.5  # the next round length down is at most 2.5 times shorter


def test_length_labels():
    assert [length_label(m) for m in (5, 500, 1000, 1500, 20000)] == ["5 m", "500 m", "1 km", "1.5 km", "20 km"]


def closest_pairs_ok(markers, zoom) -> bool:
    shown = [(pixel(c.lat, c.lon, zoom), diameter(c.size)) for c in markers]
    return all(math.dist(a, b) >= max(da, db) + GAP
               for i, (a, da) in enumerate(shown) for b, db in shown[i + 1:])


@pytest.mark.parametrize("zoom", [12, 14, 15, 16, 17, 19])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_two_cluster_markers_are_closer_than_their_diameter(zoom, seed):
    rng = random.Random(seed)
    # a city of hot spots: dense blobs (a market street) and scattered points, as the demo's items are
    centres = [(30.27 + rng.uniform(-0.03, 0.03), 120.15 + rng.uniform(-0.03, 0.03)) for _ in range(8)]
    points = [MapItem(f"i{n}", c[0] + rng.gauss(0, 0.002), c[1] + rng.gauss(0, 0.002), "assigned")
              for n, c in enumerate(rng.choice(centres) for _ in range(600))]
    points += [MapItem(f"s{n}", 30.27 + rng.uniform(-0.05, 0.05), 120.15 + rng.uniform(-0.05, 0.05), "reported")
               for n in range(100)]
    markers = cluster(points, zoom)
    assert sorted(i for c in markers for i in c.ids) == sorted(p.id for p in points)  # every item kept once
    assert closest_pairs_ok(markers, zoom)


def test_the_grid_alone_overlaps_and_spread_fixes_it():
    # two points 30 px apart across a grid line: separate cells, overlapping dots (22 px + gap)
    zoom = 17
    x, y = pixel(30.27, 120.15, zoom)
    per_degree = 256 * 2 ** zoom / 360
    a = MapItem("a", 30.27, 120.15 - (x % 44 + 1) / per_degree, "assigned")  # just left of a cell edge
    b = MapItem("b", 30.27, a.lon + 20 / per_degree, "assigned")  # 20 px right of it

    apart = [Cluster(a.lat, a.lon, (a,)), Cluster(b.lat, b.lon, (b,))]
    assert not closest_pairs_ok(apart, zoom)
    merged = spread(apart, zoom)
    assert len(merged) == 1 and merged[0].ids == ("a", "b")
    far = MapItem("c", 30.27, a.lon + 200 / per_degree, "assigned")
    assert len(spread([Cluster(a.lat, a.lon, (a,)), Cluster(far.lat, far.lon, (far,))], zoom)) == 2
