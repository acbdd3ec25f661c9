"""Evidence checks on positions: flag for a reviewer, never block a report.

A photo taken 80 m from where the item was reported may be fine (a big site,
a poor GPS fix under scaffolding) or may be a photo of somewhere else; only
a person can tell, so the check raises a flag and shows the distance.
"""

from __future__ import annotations

from dataclasses import dataclass

from inspector.geo.distance import Point, distance_m

DEFAULT_SAME_SPOT_M = 50.0


@dataclass(frozen=True)
class SpotCheck:
    """Distance between item and photo (None: unknown) and whether to flag it."""

    distance_m: float | None
    flagged: bool

    @property
    def known(self) -> bool:
        return self.distance_m is not None


def same_spot(
    item_point: Point | None, photo_point: Point | None, limit_m: float = DEFAULT_SAME_SPOT_M
) -> SpotCheck:
    """Were item and photo at the same spot (within ``limit_m``)?

    A missing position gives "unknown", not a flag: many phones strip GPS
    from photos, and flagging all of those would drown the real cases.
    """
    if item_point is None or photo_point is None:
        return SpotCheck(distance_m=None, flagged=False)
    metres = distance_m(item_point, photo_point)
    return SpotCheck(distance_m=metres, flagged=metres > limit_m)
