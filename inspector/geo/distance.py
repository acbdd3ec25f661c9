"""Distances between positions, and the registered site a position is at."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from geopy.distance import geodesic


@dataclass(frozen=True)
class Point:
    """A WGS-84 position in degrees (south and west negative)."""

    lat: float
    lon: float

    def __post_init__(self):
        # A swapped or garbage coordinate must fail here, not as a site
        # "12,000 km away" three screens later.
        if not -90.0 <= self.lat <= 90.0:
            raise ValueError(f"latitude out of range: {self.lat}")
        if not -180.0 <= self.lon <= 180.0:
            raise ValueError(f"longitude out of range: {self.lon}")


def distance_m(a: Point, b: Point) -> float:
    """Metres between two points on the WGS-84 ellipsoid (Karney's geodesic).

    Geodesic rather than haversine: it is exact on the ellipsoid and still
    fast enough for the few hundred sites of a city campaign.
    """
    return geodesic((a.lat, a.lon), (b.lat, b.lon)).meters


def nearest_site(
    point: Point, sites: Iterable[tuple[str, str, Point]], radius_m: float
) -> tuple[str, str, float] | None:
    """``(site_id, name, distance_m)`` of the closest site within ``radius_m``.

    None when no site is that close: better "unknown site" than pinning a
    photo to a building site across the river. Ties go to the first listed.
    """
    best: tuple[str, str, float] | None = None
    for site_id, name, where in sites:
        metres = distance_m(point, where)
        if metres <= radius_m and (best is None or metres < best[2]):
            best = (site_id, name, metres)
    return best
