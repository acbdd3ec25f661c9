"""Where a photo was taken: the one rule every screen and report follows.

A photo's own EXIF GPS wins when it has both coordinates: it was written by the
camera when the picture was taken. Otherwise the position is the one the event
carries (the phone's GPS, or a point set by hand), with its source. The first
photo with a position speaks for a set of photos taken together.
"""

from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Protocol


class HasGps(Protocol):
    gps_lat: float | None
    gps_lon: float | None


@dataclass(frozen=True)
class Position:
    """A point, how sure it is, where it came from (exif, gps, manual), and whether the device said it came
    from a mock provider (``mocked``: Android tells, other platforms do not: ``None``)."""

    lat: float
    lon: float
    source: str
    accuracy_m: float | None = None
    mocked: bool | None = None

    def payload(self) -> dict[str, Any]:
        """The event payload's ``location`` for this position (``mocked`` only when the device said so)."""
        out: dict[str, Any] = {"lat": self.lat, "lon": self.lon, "source": self.source}
        if self.accuracy_m is not None:
            out["accuracy_m"] = self.accuracy_m
        if self.mocked is not None:
            out["mocked"] = self.mocked
        return out


def exif_position(photos: Iterable[HasGps]) -> Position | None:
    """The EXIF position of the first photo that has one."""
    for photo in photos:
        if photo.gps_lat is not None and photo.gps_lon is not None:
            return Position(photo.gps_lat, photo.gps_lon, "exif")
    return None


def where_taken(photos: Iterable[HasGps], location: Mapping[str, Any] | None = None) -> Position | None:
    """The photos' EXIF position, else the event's ``location`` (a payload's), else ``None``."""
    found = exif_position(photos)
    if found is not None:
        return found
    if isinstance(location, Mapping) and location.get("lat") is not None and location.get("lon") is not None:
        mocked = location.get("mocked")
        return Position(location["lat"], location["lon"], location.get("source", "manual"), location.get("accuracy_m"),
                        mocked if isinstance(mocked, bool) else None)
    return None
