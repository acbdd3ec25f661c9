"""Map geometry the desk map draws itself, so it stays useful without tiles: the scale bar.

Pure. Web Mercator with 256 px tiles, as flutter_map draws it: at zoom ``z``
one logical pixel spans ``EQUATOR_M_PER_PX * cos(lat) / 2**z`` metres.
"""

import math
from dataclasses import dataclass

EQUATOR_M_PER_PX = 40_075_016.686 / 256  # the equator's length over one zoom-0 tile
MAX_LAT = 85.05112878
NICE = (1, 2, 5)


@dataclass(frozen=True)
class ScaleBar:
    metres: float  # the ground length the bar stands for
    pixels: float  # the bar's length on screen
    label: str  # "500 m", "2 km"


def metres_per_pixel(zoom: float, lat: float) -> float:
    """Ground metres one logical pixel spans at ``zoom`` and latitude ``lat`` (degrees)."""
    lat = max(min(lat, MAX_LAT), -MAX_LAT)
    return EQUATOR_M_PER_PX * math.cos(math.radians(lat)) / 2 ** zoom


def length_label(metres: float) -> str:
    """``800 m`` under a kilometre, else ``2 km`` (``1.5 km`` when not whole)."""
    if metres < 1000:
        return f"{metres:g} m"
    return f"{metres / 1000:g} km"


def scale_bar(zoom: float, lat: float, max_px: float = 120) -> ScaleBar:
    """The longest round length (1, 2 or 5 times a power of ten metres) whose bar fits in ``max_px``."""
    per_px = metres_per_pixel(zoom, lat)
    widest = per_px * max_px
    power = 10 ** math.floor(math.log10(widest))
    metres = max(n * power for n in NICE if n * power <= widest)
    if metres >= 1:
        metres = float(round(metres))
    return ScaleBar(metres, metres / per_px, length_label(metres))
