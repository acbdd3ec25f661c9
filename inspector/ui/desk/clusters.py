"""Thinning map markers: group points that would fall in the same screen cell at a zoom level.

Pure. Points go to Web Mercator pixels at ``zoom`` (256 px tiles) and are
bucketed into ``cell_px`` squares; a bucket with one point stays a point, a
bucket with more becomes a cluster at their mean position. If that still
leaves more than ``max_markers`` markers the cells double until it does not,
so a dense city never sends thousands of markers to the browser. Then, in
screen space, markers drawn closer than the larger one's diameter are merged
(``spread``) until none are: clusters never overlap at the zoom shown.
"""

import math
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

MAX_LAT = 85.05112878
DOT_BOX = 22  # one item's marker, in logical pixels
DISC_MIN, DISC_MAX = 28, 60  # a cluster's disc grows with its size between these
GAP = 4  # pixels kept between two markers' edges
URGENCY = ("overdue", "disputed", "fix_submitted", "reported", "assigned", "rectifying", "verified", "closed",
           "dismissed")


@dataclass(frozen=True)
class MapItem:
    id: str
    lat: float
    lon: float
    status: str
    overdue: bool = False
    number: str | None = None


@dataclass(frozen=True)
class Cluster:
    lat: float
    lon: float
    items: tuple[MapItem, ...]

    @property
    def size(self) -> int:
        return len(self.items)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.items)

    @property
    def overdue(self) -> int:
        return sum(1 for i in self.items if i.overdue)

    @property
    def status(self) -> str:
        """What a single marker's colour says: overdue (red, over any status), else its status."""
        if self.size == 1:
            return "overdue" if self.items[0].overdue else self.items[0].status
        return self.main_status

    @property
    def main_status(self) -> str:
        """The cluster's fill: its most common status (ties: the more urgent); overdue shows as a ring and count."""
        present = Counter(i.status for i in self.items)
        rank = {s: n for n, s in enumerate(URGENCY)}
        return min(present, key=lambda s: (-present[s], rank.get(s, len(URGENCY))))


def pixel(lat: float, lon: float, zoom: float) -> tuple[float, float]:
    """Web Mercator pixel coordinates of a point at ``zoom``."""
    scale = 256 * 2 ** zoom
    lat = max(min(lat, MAX_LAT), -MAX_LAT)
    x = (lon + 180) / 360 * scale
    s = math.sin(math.radians(lat))
    y = (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * scale
    return x, y


def diameter(size: int) -> float:
    """The drawn width of a marker for ``size`` items (one dot, or a disc growing with the count)."""
    if size <= 1:
        return DOT_BOX
    return min(DISC_MIN + 6 * len(str(size)) + size ** 0.5, DISC_MAX)


def cluster(points: Iterable[MapItem], zoom: float, cell_px: float = 44, max_markers: int = 300) -> list[Cluster]:
    """Markers for ``points`` at ``zoom``: grid buckets, then ``spread`` so that no two overlap."""
    return spread(_buckets(points, zoom, cell_px, max_markers), zoom)


def _buckets(points: Iterable[MapItem], zoom: float, cell_px: float, max_markers: int) -> list[Cluster]:
    points = list(points)
    zoom = max(0.0, min(float(zoom), 22.0))
    cell = cell_px
    while True:
        buckets: dict[tuple[int, int], list[MapItem]] = {}
        for p in points:
            x, y = pixel(p.lat, p.lon, zoom)
            buckets.setdefault((int(x // cell), int(y // cell)), []).append(p)
        if len(buckets) <= max_markers or cell > 1e7:
            break
        cell *= 2
    out = []
    for key in sorted(buckets):
        group = buckets[key]
        lat = sum(p.lat for p in group) / len(group)
        lon = sum(p.lon for p in group) / len(group)
        out.append(Cluster(lat, lon, tuple(sorted(group, key=lambda p: p.id))))
    return out


def spread(clusters: list[Cluster], zoom: float, gap: float = GAP) -> list[Cluster]:
    """Merge markers whose screen centres at ``zoom`` are closer than the larger one's diameter plus ``gap``,
    pass after pass (a merged disc is bigger and sits at the new mean), until a pass merges none."""
    zoom = max(0.0, min(float(zoom), 22.0))
    groups = [list(c.items) for c in clusters]
    while True:
        shown = [_summary(g, zoom) for g in groups]
        reach = max((d for _, _, d in shown), default=0) + gap  # no closer pair can be more than a cell apart
        grid: dict[tuple[int, int], list[int]] = {}
        for i, (x, y, _) in enumerate(shown):
            grid.setdefault((int(x // reach), int(y // reach)), []).append(i)
        alive, merged = [True] * len(groups), False
        for i, (x, y, d) in enumerate(shown):
            if not alive[i]:
                continue
            cx, cy = int(x // reach), int(y // reach)
            for j in (j for dx in (-1, 0, 1) for dy in (-1, 0, 1) for j in grid.get((cx + dx, cy + dy), ())):
                if j <= i or not alive[j]:
                    continue
                xj, yj, dj = shown[j]
                if math.hypot(x - xj, y - yj) < max(d, dj) + gap:
                    groups[i].extend(groups[j])
                    alive[j], merged = False, True
        groups = [g for g, keep in zip(groups, alive) if keep]
        if not merged:
            break
    out = [Cluster(sum(p.lat for p in g) / len(g), sum(p.lon for p in g) / len(g),
                   tuple(sorted(g, key=lambda p: p.id))) for g in groups]
    return sorted(out, key=lambda c: c.ids)


def _summary(group: list[MapItem], zoom: float) -> tuple[float, float, float]:
    lat = sum(p.lat for p in group) / len(group)
    lon = sum(p.lon for p in group) / len(group)
    return (*pixel(lat, lon, zoom), diameter(len(group)))


def centre(points: Iterable[MapItem], default: tuple[float, float]) -> tuple[float, float]:
    points = list(points)
    if not points:
        return default
    return sum(p.lat for p in points) / len(points), sum(p.lon for p in points) / len(points)
