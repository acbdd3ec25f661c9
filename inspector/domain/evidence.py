"""Do a photo's clocks agree? A flag for the reviewer, never a refusal.

Three clocks speak about one photo: the camera's (EXIF, often naive local
time, sometimes never set), the phone's when the event was made, and the
server's when it arrived. A photo reused from last week shows up as EXIF
time far from the others. Phones stay offline for days, so a device/server
gap alone is normal; callers that know an event was made offline pass
``server_time=None`` rather than raise a false alarm.

Pure: no clock is read here, every time comes in as an argument.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

DEFAULT_LIMIT_MINUTES = 10.0


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
