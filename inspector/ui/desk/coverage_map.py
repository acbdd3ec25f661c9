"""The coverage screen's map: each site a dot in its schedule's colour (overdue red, due today amber,
covered green) with its name beside it, on the desk map's tiles and plain background.

Positions are stored in WGS-84 and shifted to GCJ-02 for a Chinese tile provider, as on the map
section (``desk.map``); without tiles (no internet) the dots and names are still readable.
"""

import flet as ft
import flet_map as fm

from inspector.domain.catalog import MAP_CENTRE
from inspector.geo.gcj02 import wgs84_to_gcj02
from inspector.ui import theme
from inspector.ui.desk.parts import text

ZOOM = 14.0
MAX_ZOOM = 19.0
MIN_ZOOM = 3
DOT = 16
LABEL_W = 190
COLOURS = {"overdue": theme.DANGER, "due": theme.AMBER, "covered": theme.OK}


def site_marker(site, state: str, tip: str, gcj02: bool) -> fm.Marker:
    """A site: a dot in the colour of ``state`` and its name; the dot, not the name, stands on the site."""
    lat, lon = wgs84_to_gcj02(site.lat, site.lon) if gcj02 else (site.lat, site.lon)
    dot = ft.Container(width=DOT, height=DOT, bgcolor=COLOURS[state], border_radius=DOT / 2,
                       border=ft.Border.all(theme.BORDER_BOLD, theme.ON_COLOUR))
    label = ft.Container(text(site.name, size=theme.DENSE_XS, color=theme.INK, max_lines=1,
                              overflow=ft.TextOverflow.ELLIPSIS), bgcolor=theme.SURFACE, border_radius=2,
                         padding=ft.Padding.symmetric(horizontal=2))
    content = ft.Container(ft.Row([dot, label], spacing=3), tooltip=tip, data=site.id)
    return fm.Marker(content=content, coordinates=fm.MapLatitudeLongitude(lat, lon), width=LABEL_W,
                     height=DOT + 2, alignment=ft.Alignment(1 - DOT / LABEL_W, 0))


def coverage_map(markers: list[fm.Marker], sites: list, tile_url: str, gcj02: bool) -> fm.Map:
    """A map of ``markers``, centred on ``sites`` (the city's centre when there are none)."""
    points = [wgs84_to_gcj02(s.lat, s.lon) if gcj02 else (s.lat, s.lon) for s in sites]
    if points:
        lat, lon = sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)
    else:
        lat, lon = wgs84_to_gcj02(*MAP_CENTRE) if gcj02 else MAP_CENTRE
    return fm.Map(
        expand=True, initial_center=fm.MapLatitudeLongitude(lat, lon), initial_zoom=ZOOM, max_zoom=MAX_ZOOM,
        min_zoom=MIN_ZOOM, bgcolor=theme.DESK_MAP_BG,
        interaction_configuration=fm.InteractionConfiguration(flags=fm.InteractionFlag.ALL & ~fm.InteractionFlag.ROTATE),
        layers=[fm.TileLayer(url_template=tile_url, user_agent_package_name="inspector", max_zoom=MAX_ZOOM),
                fm.MarkerLayer(markers=markers)])
