"""Do a photo's clocks agree, and can its position be trusted? Flags for the reviewer, never a refusal.

Three clocks speak about one photo: the camera's (EXIF, often naive local
time, sometimes never set), the phone's when the event was made, and the
server's when it arrived. A photo reused from last week shows up as EXIF
time far from the others. Phones stay offline for days, so a device/server
gap alone is normal; callers that know an event was made offline pass
``server_time=None`` rather than raise a false alarm.

A position is doubted when its accuracy is worse than a limit, when it is
exactly 0 (no real receiver claims that; fake-GPS apps do), or when the same
person stood on the very same coordinates, to the last digit, on another
local day (real fixes wander by a few metres; a fake one is pinned), and when
the device said so: Android marks a position from a mock provider (a fake-GPS
app set as the "mock location app"), and the phone keeps that mark in the
event's location (``mocked``). Other platforms do not tell; no mark is no flag.

Pure: no clock is read here, every time comes in as an argument.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Iterable

DEFAULT_LIMIT_MINUTES = 10.0
DEFAULT_ACCURACY_LIMIT_M = 50.0
POOR_ACCURACY = "poor_accuracy"
ZERO_ACCURACY = "zero_accuracy"
REPEATED_SPOT = "repeated_spot"
MOCK_PROVIDER = "mock_provider"  # the device itself said the position came from a mock provider


@dataclass(frozen=True)
class TimeCheck:
    """Pairs of clocks further apart than the limit, as ``(a, b, minutes)``."""

    disagreements: tuple[tuple[str, str, float], ...]
    flagged: bool


def time_check(
    exif_time: datetime | None,
    device_time: datetime | None,
    server_time: datetime | None,
    *,
    zone: tzinfo,
    limit_minutes: float = DEFAULT_LIMIT_MINUTES,
) -> TimeCheck:
    """Compare every pair of known times; flag any pair more than ``limit_minutes`` apart.

    A naive ``exif_time`` is the camera's wall clock, read in ``zone`` (the
    campaign's zone). Device and server times must be aware: a naive one
    there is a bug upstream (UTC read back without its zone) and would shift
    everything by hours, so it raises ValueError instead of guessing.
    Unknown (None) times are skipped, not flagged.
    """
    for name, value in (("device_time", device_time), ("server_time", server_time)):
        if value is not None and value.tzinfo is None:
            raise ValueError(f"{name} must be timezone-aware")
    if exif_time is not None and exif_time.tzinfo is None:
        exif_time = exif_time.replace(tzinfo=zone)

    clocks = (("exif", exif_time), ("device", device_time), ("server", server_time))
    known = [(name, value) for name, value in clocks if value is not None]
    disagreements = []
    for index, (name_a, time_a) in enumerate(known):
        for name_b, time_b in known[index + 1 :]:
            minutes = abs((time_a - time_b).total_seconds()) / 60
            if minutes > limit_minutes:
                disagreements.append((name_a, name_b, round(minutes, 1)))
    return TimeCheck(disagreements=tuple(disagreements), flagged=bool(disagreements))


def accuracy_flags(accuracy_m: float | None, limit_m: float = DEFAULT_ACCURACY_LIMIT_M) -> tuple[str, ...]:
    """``(ZERO_ACCURACY,)`` for exactly 0, ``(POOR_ACCURACY,)`` above ``limit_m``, else none (unknown too)."""
    if accuracy_m is None:
        return ()
    if accuracy_m == 0:
        return (ZERO_ACCURACY,)
    return (POOR_ACCURACY,) if accuracy_m > limit_m else ()


def repeated_days(lat: float, lon: float, at: datetime, others: Iterable[tuple[float, float, datetime]],
                  *, zone: tzinfo) -> tuple[date, ...]:
    """The other local days (in ``zone``) on which ``others`` stood on exactly ``lat``, ``lon``.

    ``others`` are ``(lat, lon, at)`` of the same person's other positions; the
    same day as ``at`` does not count (two photos of one visit share a fix).
    Times must be aware, as in ``time_check``.
    """
    if at.tzinfo is None:
        raise ValueError("at must be timezone-aware")
    today = at.astimezone(zone).date()
    days = set()
    for other_lat, other_lon, other_at in others:
        if other_at.tzinfo is None:
            raise ValueError("other times must be timezone-aware")
        day = other_at.astimezone(zone).date()
        if other_lat == lat and other_lon == lon and day != today:
            days.add(day)
    return tuple(sorted(days))


def location_flags(accuracy_m: float | None, repeated: tuple[date, ...],
                   limit_m: float = DEFAULT_ACCURACY_LIMIT_M, mocked: bool | None = None) -> tuple[str, ...]:
    """Every doubt about one position: its accuracy's, then ``REPEATED_SPOT`` when other days share it, then
    ``MOCK_PROVIDER`` when the device said it came from a mock provider."""
    return (accuracy_flags(accuracy_m, limit_m) + ((REPEATED_SPOT,) if repeated else ())
            + ((MOCK_PROVIDER,) if mocked is True else ()))
