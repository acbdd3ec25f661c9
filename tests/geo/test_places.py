"""Place names: registered site, optional reverse geocoding, coordinates."""

from types import SimpleNamespace

from inspector.geo.distance import Point
from inspector.geo.places import PlaceNamer, format_coordinates

WEST_LAKE = Point(30.27412, 120.15515)
SITES = [("s1", "文三路工地", Point(30.27440, 120.15515))]


class FakeGeocoder:
    def __init__(self, address="浙江省杭州市西湖区", error=None):
        self.address, self.error, self.calls = address, error, []

    def reverse(self, query, **options):
        self.calls.append((query, options))
        if self.error:
            raise self.error
        return SimpleNamespace(address=self.address) if self.address else None


def test_coordinates_format():
    assert format_coordinates(WEST_LAKE) == "30.27412°N 120.15515°E"
    assert format_coordinates(Point(-33.8568, -70.1)) == "33.85680°S 70.10000°W"


def test_registered_site_within_radius():
    assert PlaceNamer(SITES, radius_m=100).name(WEST_LAKE) == "文三路工地"
    assert PlaceNamer(SITES, radius_m=10).name(WEST_LAKE) == "30.27412°N 120.15515°E"


def test_geocoding_is_off_by_default():
    geocoder = FakeGeocoder()

    name = PlaceNamer([], geocoder=geocoder).name(WEST_LAKE)

    assert name == "30.27412°N 120.15515°E"
    assert geocoder.calls == []


def test_geocoding_when_enabled_and_cached():
    geocoder = FakeGeocoder()
    namer = PlaceNamer([], reverse_geocoding=True, geocoder=geocoder, language="zh-CN")

    assert namer.name(WEST_LAKE) == "浙江省杭州市西湖区"
    assert namer.name(Point(30.274121, 120.155151)) == "浙江省杭州市西湖区"  # same ~1 m cell
    assert len(geocoder.calls) == 1
    assert geocoder.calls[0][0] == (30.27412, 120.15515)
    assert geocoder.calls[0][1]["language"] == "zh-CN"


def test_site_wins_over_geocoding():
    geocoder = FakeGeocoder()

    assert PlaceNamer(SITES, radius_m=100, reverse_geocoding=True, geocoder=geocoder).name(WEST_LAKE) == "文三路工地"
    assert geocoder.calls == []


def test_geocoder_failures_fall_back_to_coordinates():
    for geocoder in (FakeGeocoder(error=TimeoutError("no network")), FakeGeocoder(address=None), FakeGeocoder(address="  ")):
        namer = PlaceNamer([], reverse_geocoding=True, geocoder=geocoder)
        assert namer.name(WEST_LAKE) == "30.27412°N 120.15515°E"
