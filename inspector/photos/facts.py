"""What an accepted photo tells us, as plain frozen values.

These are what the store keeps as database fields (hash, size, capture time,
GPS); the pixels themselves live in the blob store. Keeping them frozen and
free of Pillow types lets services and tests compare them with ``==``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

SUPPORTED_FORMATS = ("JPEG", "PNG", "WEBP", "HEIC")
"""The only formats we decode; anything else is refused before decoding."""


@dataclass(frozen=True)
class GpsFix:
    """A WGS-84 position read from EXIF: degrees, south and west negative."""

    lat: float
    lon: float
    alt: float | None = None  # metres above sea level, negative below


@dataclass(frozen=True)
class PhotoFacts:
    """The checked facts of one photo.

    ``width``/``height`` are as a person sees the photo, i.e. after the EXIF
    orientation is applied (a portrait phone photo is taller than wide even
    though its sensor data is stored landscape). ``orientation`` is the EXIF
    value the camera wrote (1-8, 1 when absent). ``taken_at`` is aware when
    the camera wrote an offset, else naive local camera time: the caller knows
    the campaign's zone, this module does not. ``exif_problems`` lists what
    could not be read, as short stable codes, so a reviewer can see *why* a
    photo has no position instead of the photo being refused.
    """

    sha256: str
    width: int
    height: int
    format: str
    taken_at: datetime | None
    gps: GpsFix | None
    orientation: int
    exif_problems: tuple[str, ...]
    size_bytes: int

    @property
    def pixels(self) -> int:
        return self.width * self.height
