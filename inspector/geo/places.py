"""A human name for a position: registered site, street address, or coordinates.

Phones work offline and the server may have no internet, so reverse
geocoding (OpenStreetMap's Nominatim through geopy) is off unless an
operator turns it on, and every failure of it falls back quietly. A
registered construction site within reach is preferred even when geocoding
is on: "XX小区二期工地" is what inspectors and offices call the place, and it
costs no network round trip.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from geopy.exc import GeopyError
from geopy.geocoders import Nominatim

from inspector.geo.distance import Point, nearest_site

log = logging.getLogger(__name__)

DEFAULT_USER_AGENT = "inspector-chuangwei"  # Nominatim's policy asks for an identifying agent
_CACHE_LIMIT = 1024


def format_coordinates(point: Point) -> str:
    """``"30.27412°N 120.15515°E"``: 5 decimals is ~1 m, as precise as phone GPS."""
    lat_ref = "N" if point.lat >= 0 else "S"
    lon_ref = "E" if point.lon >= 0 else "W"
    return f"{abs(point.lat):.5f}°{lat_ref} {abs(point.lon):.5f}°{lon_ref}"


class PlaceNamer:
    """Names positions for the watermark and lists.

    ``sites`` are ``(site_id, name, Point)``; ``geocoder`` may be any object
    with geopy's ``reverse(query, language=, exactly_one=, timeout=)`` (tests
    pass a fake; when None and geocoding is enabled, Nominatim is built on
    first use).
    """

    def __init__(
        self,
        sites: Iterable[tuple[str, str, Point]] = (),
        *,
        radius_m: float = 300.0,
        reverse_geocoding: bool = False,
        geocoder=None,
        language: str = "zh-CN",
        user_agent: str = DEFAULT_USER_AGENT,
        timeout_s: float = 3.0,
    ):
        self.sites = list(sites)
        self.radius_m = radius_m
        self.reverse_geocoding = reverse_geocoding
        self.language = language
        self.user_agent = user_agent
        self.timeout_s = timeout_s
        self._geocoder = geocoder
        self._cache: dict[tuple[float, float], str | None] = {}

    def name(self, point: Point) -> str:
        """The best name we have: site, then address (if enabled), then coordinates."""
        site = nearest_site(point, self.sites, self.radius_m)
        if site is not None:
            return site[1]
        if self.reverse_geocoding:
            address = self._address(point)
            if address:
                return address
        return format_coordinates(point)

    def _address(self, point: Point) -> str | None:
        # ~1 m cells: a second photo at the same spot must not hit Nominatim
        # again (its usage policy allows one request per second).
        cell = (round(point.lat, 5), round(point.lon, 5))
        if cell in self._cache:
            return self._cache[cell]
        address = self._lookup(point)
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[cell] = address
        return address

    def _lookup(self, point: Point) -> str | None:
        try:
            geocoder = self._geocoder or self._nominatim()
            found = geocoder.reverse(
                (point.lat, point.lon), language=self.language, exactly_one=True, timeout=self.timeout_s
            )
        except (GeopyError, OSError, ValueError) as error:  # no network, rate limit, bad answer: no address
            log.info("no address for %s: %s", point, error)
            return None
        address = getattr(found, "address", None)
        return address.strip() if isinstance(address, str) and address.strip() else None

    def _nominatim(self):
        self._geocoder = Nominatim(user_agent=self.user_agent)
        return self._geocoder
