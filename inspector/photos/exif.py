"""Read orientation, capture time and GPS from EXIF without ever failing.

EXIF is written by thousands of camera firmwares and apps, and a photo from
the field is untrusted input: values arrive as Pillow ``IFDRational``s, as
``(numerator, denominator)`` pairs (piexif and old Pillow), as floats, as
strings; references (N/S/E/W) go missing; denominators are zero. None of that
is a reason to refuse the photo: the pixels are the evidence. So every reader
here returns what it could read and records, as a short stable code in
``problems``, what it could not; a reviewer then sees "no position: latitude
unreadable" rather than a silently missing pin.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from PIL import ExifTags, Image

from inspector.photos.facts import GpsFix

# Tag numbers, named once (Pillow's enums keep them readable).
_ORIENTATION = ExifTags.Base.Orientation  # IFD0
_DATETIME = ExifTags.Base.DateTime  # IFD0: last change, a fallback only
_EXIF_IFD = ExifTags.IFD.Exif
_GPS_IFD = ExifTags.IFD.GPSInfo
_DATETIME_ORIGINAL = ExifTags.Base.DateTimeOriginal  # Exif IFD: shutter time
_OFFSET_TIME = ExifTags.Base.OffsetTime
_OFFSET_TIME_ORIGINAL = ExifTags.Base.OffsetTimeOriginal
_SUBSEC_TIME_ORIGINAL = ExifTags.Base.SubsecTimeOriginal
_GPS_STATUS = ExifTags.GPS.GPSStatus

_DATETIME_RE = re.compile(
    r"(\d{4})[:\-/](\d{2})[:\-/](\d{2})[ T](\d{2}):(\d{2}):(\d{2})"
)
_OFFSET_RE = re.compile(r"([+-])(\d{2}):?(\d{2})")


@dataclass(frozen=True)
class ExifReading:
    """What EXIF told us; ``problems`` says what it could not."""

    orientation: int = 1
    taken_at: datetime | None = None
    gps: GpsFix | None = None
    problems: tuple[str, ...] = ()


class _Unreadable(ValueError):
    """One value could not be turned into a number; ``reason`` is a code."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def read_exif(image: Image.Image) -> ExifReading:
    """Read everything we use from an opened Pillow image's EXIF.

    Never raises: a broken EXIF block gives ``problems=("exif_unreadable",)``.
    """
    try:
        exif = image.getexif()
        ifd0 = dict(exif)
        exif_ifd = dict(exif.get_ifd(_EXIF_IFD))
        gps_ifd = dict(exif.get_ifd(_GPS_IFD))
    except Exception:  # noqa: BLE001 - any parser failure on untrusted bytes
        return ExifReading(problems=("exif_unreadable",))
    if not ifd0 and len(image.info.get("exif") or b"") > 14:
        # Pillow reads a corrupt block as "no tags" with only a warning; an
        # EXIF block (beyond its headers) that yields nothing is unreadable.
        return ExifReading(problems=("exif_unreadable",))
    return read_exif_tags(ifd0, exif_ifd, gps_ifd)


def read_exif_tags(
    ifd0: Mapping[int, Any], exif_ifd: Mapping[int, Any], gps_ifd: Mapping[int, Any]
) -> ExifReading:
    """The pure part of :func:`read_exif`: tag dictionaries in, facts out."""
    problems: list[str] = []
    orientation = read_orientation(ifd0.get(_ORIENTATION), problems)
    taken_at = read_taken_at(ifd0, exif_ifd, problems)
    gps = read_gps(gps_ifd, problems)
    return ExifReading(orientation, taken_at, gps, tuple(problems))


# --- orientation ------------------------------------------------------------------
def read_orientation(value: Any, problems: list[str]) -> int:
    """EXIF orientation 1-8; anything else counts as 1 (as viewers do)."""
    if value is None:
        return 1
    if isinstance(value, (tuple, list)) and value:
        value = value[0]
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if 1 <= number <= 8:
        return number
    problems.append("orientation_invalid")
    return 1


# --- capture time ------------------------------------------------------------------
def read_taken_at(
    ifd0: Mapping[int, Any], exif_ifd: Mapping[int, Any], problems: list[str]
) -> datetime | None:
    """DateTimeOriginal (shutter), else IFD0 DateTime; aware only if an offset says so."""
    if exif_ifd.get(_DATETIME_ORIGINAL) is not None:
        raw, offset = exif_ifd.get(_DATETIME_ORIGINAL), exif_ifd.get(_OFFSET_TIME_ORIGINAL)
        subsec = exif_ifd.get(_SUBSEC_TIME_ORIGINAL)
    elif ifd0.get(_DATETIME) is not None:
        # DateTime is when the file was last changed; for phone photos that is
        # the capture time, for edited files it is not - still better than none.
        raw, offset, subsec = ifd0.get(_DATETIME), exif_ifd.get(_OFFSET_TIME), None
    else:
        return None
    taken = _parse_datetime(_text(raw))
    if taken is None:
        problems.append("taken_at_invalid")
        return None
    digits = re.sub(r"\D", "", _text(subsec))[:6]
    if digits:
        taken = taken.replace(microsecond=int(digits.ljust(6, "0")))
    if offset is not None:
        zone = _parse_offset(_text(offset))
        if zone is None:
            problems.append("taken_at_offset_invalid")
        else:
            taken = taken.replace(tzinfo=zone)
    return taken


def _parse_datetime(text: str) -> datetime | None:
    match = _DATETIME_RE.search(text)
    if not match:
        return None
    try:
        # "0000:00:00 00:00:00" is how cameras say "clock never set": invalid.
        return datetime(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _parse_offset(text: str) -> timezone | None:
    match = _OFFSET_RE.fullmatch(text.strip())
    if not match:
        return None
    sign, hours, minutes = match.groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes))
    if delta > timedelta(hours=14) or int(minutes) >= 60:
        return None
    return timezone(-delta if sign == "-" else delta)


# --- GPS ------------------------------------------------------------------------------
def read_gps(gps_ifd: Mapping[int, Any], problems: list[str]) -> GpsFix | None:
    """Latitude, longitude and altitude in degrees/metres, south/west negative.

    No GPS tags at all is normal (location off) and not a problem. A missing
    N/S or E/W reference is assumed N/E - right for China, where this runs -
    but recorded, because a wrong hemisphere is a very wrong place.
    """
    has_lat = gps_ifd.get(ExifTags.GPS.GPSLatitude) is not None
    has_lon = gps_ifd.get(ExifTags.GPS.GPSLongitude) is not None
    if not has_lat and not has_lon:
        return None
    if has_lat != has_lon:
        problems.append("gps_incomplete")
        return None
    lat = _coordinate(gps_ifd, "lat", ExifTags.GPS.GPSLatitude, ExifTags.GPS.GPSLatitudeRef, "NS", problems)
    lon = _coordinate(gps_ifd, "lon", ExifTags.GPS.GPSLongitude, ExifTags.GPS.GPSLongitudeRef, "EW", problems)
    if lat is None or lon is None:
        return None
    if abs(lat) > 90 or abs(lon) > 180:
        problems.append("gps_out_of_range")
        return None
    if lat == 0 and lon == 0:
        # "Null island": what some firmwares write when they had no fix.
        problems.append("gps_no_fix")
        return None
    if _text(gps_ifd.get(_GPS_STATUS)).upper().startswith("V"):
        problems.append("gps_status_void")  # receiver said "measurement void"; keep, but say so
    return GpsFix(lat=lat, lon=lon, alt=_altitude(gps_ifd, problems))


def _coordinate(
    gps_ifd: Mapping[int, Any], name: str, value_tag: int, ref_tag: int, refs: str, problems: list[str]
) -> float | None:
    try:
        degrees = _degrees(gps_ifd[value_tag])
    except _Unreadable as error:
        problems.append(f"gps_{name}_{error.reason}")
        return None
    ref = _text(gps_ifd.get(ref_tag)).upper()[:1]
    if not ref:
        problems.append(f"gps_{name}_ref_missing")
        return degrees  # keep the sign as written; unsigned means N/E
    if ref not in refs:
        problems.append(f"gps_{name}_ref_invalid")
        return degrees
    return -abs(degrees) if ref == refs[1] else abs(degrees)


def _altitude(gps_ifd: Mapping[int, Any], problems: list[str]) -> float | None:
    raw = gps_ifd.get(ExifTags.GPS.GPSAltitude)
    if raw is None:
        return None
    try:
        if isinstance(raw, (tuple, list)) and raw and not _is_pair(raw):
            raw = raw[0]
        altitude = _number(raw)
    except _Unreadable as error:
        problems.append(f"gps_alt_{error.reason}")
        return None
    ref = gps_ifd.get(ExifTags.GPS.GPSAltitudeRef)
    if isinstance(ref, (bytes, bytearray)):
        ref = ref[:1] and ref[0]
    if isinstance(ref, (tuple, list)):
        ref = ref[0] if ref else 0
    below_sea = ref in (1, "1")
    return -abs(altitude) if below_sea else altitude


def _degrees(value: Any) -> float:
    """Degrees from D, (D, M), (D, M, S) - each part any number form we know."""
    if _is_pair(value) and all(isinstance(part, int) for part in value):
        # A bare (num, den) pair: one rational holding decimal degrees.
        return _number(value)
    if isinstance(value, (tuple, list)):
        parts = [_number(part) for part in value]
        if not 1 <= len(parts) <= 3:
            raise _Unreadable("wrong_shape")
    else:
        parts = [_number(value)]
    parts += [0.0] * (3 - len(parts))
    degrees, minutes, seconds = parts
    if not (0 <= minutes < 60 and 0 <= seconds < 60):
        # Minutes and seconds (decimal or not) stay below 60; anything else
        # means the parts were written or read wrongly - not a place to trust.
        raise _Unreadable("out_of_range")
    sign = -1.0 if degrees < 0 else 1.0
    return sign * (abs(degrees) + minutes / 60 + seconds / 3600)


def _is_pair(value: Any) -> bool:
    return (
        isinstance(value, (tuple, list))
        and len(value) == 2
        and all(isinstance(part, (int, float)) and not isinstance(part, bool) for part in value)
    )


def _number(value: Any) -> float:
    """A finite float from IFDRational, (num, den), int, float or numeric text."""
    numerator = getattr(value, "numerator", None)
    denominator = getattr(value, "denominator", None)
    if numerator is not None and denominator is not None and not isinstance(value, (int, bool)):
        # IFDRational (and fractions.Fraction): read the parts, because
        # float(IFDRational(n, 0)) is a silent NaN.
        if denominator == 0:
            raise _Unreadable("zero_denominator")
        result = numerator / denominator
    elif _is_pair(value):
        if value[1] == 0:
            raise _Unreadable("zero_denominator")
        result = value[0] / value[1]
    elif isinstance(value, bool):
        raise _Unreadable("not_a_number")
    elif isinstance(value, (int, float)):
        result = float(value)
    elif isinstance(value, (str, bytes, bytearray)):
        try:
            result = float(_text(value))
        except ValueError:
            raise _Unreadable("not_a_number") from None
    else:
        raise _Unreadable("not_a_number")
    if not math.isfinite(result):
        raise _Unreadable("not_a_number")
    return float(result)


def _text(value: Any) -> str:
    """EXIF ASCII as str: bytes decoded leniently, NULs and spaces trimmed."""
    if value is None:
        return ""
    if isinstance(value, (bytes, bytearray)):
        value = bytes(value).decode("latin-1")
    if isinstance(value, (tuple, list)):
        value = value[0] if value else ""
    return str(value).replace("\x00", "").strip()
