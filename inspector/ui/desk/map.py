"""Map (地图): the items of a queue and office on a map, coloured by status, thinned into clusters when dense.

At most ``MAP_LIMIT`` items are loaded (newest first; the screen says how
many there are in all). Positions are stored in WGS-84; with a Chinese tile
provider (``settings.tile_gcj02``) they are shifted to GCJ-02 for drawing.
Tiles come from ``settings.map_tile_url`` (Inspector's own ``/tiles`` when
``INSPECTOR_TILES`` is set, see docs/desk.md); when none can be fetched (no
internet) the map is still readable on its plain background: the registered
sites drawn and named, a scale bar for the zoom and latitude shown, and
clusters that never overlap (``clusters.spread``). A marker
opens its item in Review; a cluster zooms in, and at the closest zoom opens
its items as a list.
"""

import logging

import flet as ft
import flet_map as fm

from inspector.domain.catalog import MAP_CENTRE
from inspector.geo.gcj02 import wgs84_to_gcj02
from inspector.geo.tiles import scale_bar
from inspector.i18n import t
from inspector.services.desk import MAP_LIMIT, Filters
from inspector.ui import theme
from inspector.ui.desk.clusters import DOT_BOX, Cluster, MapItem, centre, cluster, diameter
from inspector.ui.desk.parts import ALL, BAR_PADDING, dropdown, loading, office_choices, swatch, text
from inspector.ui.desk.section import Section
from inspector.ui.widgets import refresh

log = logging.getLogger(__name__)
DEFAULT_CENTRE = MAP_CENTRE  # the city's default point (inspector.domain.catalog)
START_ZOOM = 15.0
MAX_ZOOM = 19.0
QUEUES = ("all", "dispatch", "verify", "overdue", "extension", "disputed")
LEGEND = ("overdue", "reported", "assigned", "fix_submitted", "verified", "closed", "dismissed")
MIN_ZOOM = 3
DOT = 20  # one item's marker (in a DOT_BOX)
SITE = 10  # a registered site's square
SITE_LABEL_W = 170
LABEL_GAP = 28  # the name starts clear of an item cluster standing on the site
SCALE_MAX_PX = 120
BADGE_R = 9  # the overdue count's corner
QUEUE_W, OFFICE_W = 150, 170  # the bar's dropdowns


def colour(status: str) -> str:
    if status == "overdue":
        return theme.OVERDUE
    if status == "disputed":
        return theme.ACCENT
    return theme.STATUS_COLOURS.get(status, (theme.NEUTRAL,))[0]


class MapView(Section):
    def __init__(self, shell):
        super().__init__(shell)
        self.settings = shell.app.settings
        self.queue = "all"
        self.office: str | None = None
        self.points: list[MapItem] = []
        self.total = 0
        self.zoom = START_ZOOM
        self.clusters: list[Cluster] = []
        self.error: str | None = None
        self.map: fm.Map | None = None
        self.markers = fm.MarkerLayer(markers=[])
        self.site_layer = fm.MarkerLayer(markers=[])
        self.sites: list = []
        self.centre_lat = DEFAULT_CENTRE[0]
        self.scale_line = ft.Container(height=4, bgcolor=theme.INK, border_radius=1)
        self.scale_text = text("", size=theme.DENSE_XS, color=theme.INK)
        self.status_line = text("", color=theme.MUTED)
        self.render()

    def shown_at(self, lat: float, lon: float) -> tuple[float, float]:
        """Where a stored WGS-84 point is drawn on the configured tiles."""
        return wgs84_to_gcj02(lat, lon) if self.settings.map_gcj02 else (lat, lon)

    async def load(self) -> None:
        filters = Filters(office=self.office)
        with self.guard(self.unreadable) as failure:
            found = await self.shell.call(self.desk.map_points, filters, self.queue, MAP_LIMIT)
            self.sites = await self.shell.call(self.desk.sites)
        if failure.failed:
            self.points, self.total = [], 0
        else:
            self.error = None
            self.points = [MapItem(p.id, *self.shown_at(p.lat, p.lon), p.status, p.overdue, p.number)
                           for p in found.points]
            self.total = found.total
        self.loaded = True
        self.map = None  # a new map centred on what is shown
        self.render()

    def unreadable(self, words: str) -> None:
        self.error = words  # in the bar above the map

    # ------------------------------------------------------------------ markers
    def marker(self, c: Cluster) -> fm.Marker:
        lang = self.lang
        fill = colour(c.status)
        if c.size == 1:
            item = c.items[0]
            tip = f"{item.number or ''} {t(f'status.{item.status}', lang)}"
            if item.overdue:
                tip += " · " + t("desk.map.overdue", lang)
            ring = theme.RULE_W if item.overdue else theme.BORDER_BOLD
            content = ft.Container(width=DOT, height=DOT, bgcolor=fill, border_radius=DOT / 2,
                                   border=ft.Border.all(ring, theme.ON_COLOUR),
                                   on_click=self.on_marker, data=c.ids, tooltip=tip)
            return fm.Marker(content=content, coordinates=fm.MapLatitudeLongitude(c.lat, c.lon), width=DOT_BOX,
                             height=DOT_BOX)
        size = diameter(c.size)
        tip = t("desk.map.cluster", lang, count=c.size, overdue=c.overdue)
        disc = ft.Container(text(str(c.size), weight=ft.FontWeight.BOLD, color=theme.ON_COLOUR),
                            width=size, height=size, bgcolor=fill, border_radius=size / 2,
                            border=ft.Border.all(theme.ACCENT_W if c.overdue else theme.BORDER_BOLD,
                                                 theme.OVERDUE if c.overdue else theme.ON_COLOUR),
                            alignment=ft.Alignment.CENTER)
        # the disc sits low and left, so the overdue count can stand at the top right corner
        layers: list[ft.Control] = [ft.Container(disc, left=0, top=theme.SPACE_S)]
        if c.overdue:
            layers.append(ft.Container(text(str(c.overdue), size=theme.DENSE_XS, weight=ft.FontWeight.BOLD,
                                            color=theme.ON_COLOUR),
                                       bgcolor=theme.OVERDUE, border_radius=BADGE_R, right=0, top=0,
                                       padding=ft.Padding.symmetric(horizontal=5, vertical=1),
                                       border=ft.Border.all(theme.BORDER, theme.ON_COLOUR)))
        width, height = size + theme.SPACE_XXL, size + theme.SPACE_S
        content = ft.Container(ft.Stack(layers, width=width, height=height), on_click=self.on_marker,
                               data=c.ids, tooltip=tip)
        return fm.Marker(content=content, coordinates=fm.MapLatitudeLongitude(c.lat, c.lon), width=width,
                         height=height)

    def place_markers(self) -> None:
        self.clusters = cluster(self.points, self.zoom)
        self.markers.markers = [self.marker(c) for c in self.clusters]
        self.place_scale()

    def site_marker(self, site) -> fm.Marker:
        """A registered site: a small square and its name, readable on the plain background."""
        lat, lon = self.shown_at(site.lat, site.lon)
        square = ft.Container(width=SITE, height=SITE, bgcolor=theme.SURFACE, border=ft.Border.all(2, theme.INK))
        label = text(site.name, size=theme.DENSE_XS, color=theme.INK, max_lines=1,
                     overflow=ft.TextOverflow.ELLIPSIS)
        content = ft.Container(ft.Row([square, ft.Container(width=LABEL_GAP), ft.Container(label, bgcolor=theme.SURFACE, border_radius=2,
                                                            padding=ft.Padding.symmetric(horizontal=2))],
                                      spacing=3), tooltip=site.name)
        # the square, not the label, stands on the site: the marker's box extends to the right of the point
        return fm.Marker(content=content, coordinates=fm.MapLatitudeLongitude(lat, lon), width=SITE_LABEL_W,
                         height=18, alignment=ft.Alignment(1 - SITE / SITE_LABEL_W, 0))

    def place_scale(self) -> None:
        bar = scale_bar(self.zoom, self.centre_lat, SCALE_MAX_PX)
        self.scale_line.width = bar.pixels
        self.scale_text.value = bar.label

    async def on_marker(self, e) -> None:
        ids = tuple(e.control.data)
        if len(ids) == 1:
            await self.shell.open_item(ids[0])
            return
        found = next((c for c in self.clusters if c.ids == ids), None)
        if found is not None and self.map is not None and self.zoom < MAX_ZOOM - 1:
            self.zoom = min(self.zoom + 2, MAX_ZOOM)
            self.place_markers()
            self.shell.page.run_task(self.fly_to, found.lat, found.lon, self.zoom)
            self.refresh_markers()
            return
        await self.shell.open_ids(ids, t("desk.map.cluster_title", self.lang, count=len(ids)))

    async def fly_to(self, lat: float, lon: float, zoom: float) -> None:
        """Move the camera; the client's answer is not waited for by the click."""
        try:
            await self.map.move_to(destination=fm.MapLatitudeLongitude(lat, lon), zoom=zoom)
        except (RuntimeError, TimeoutError) as error:  # the map went away, or no client answered
            log.debug("move_to skipped: %s", error)

    async def on_move(self, e) -> None:
        zoom = getattr(getattr(e, "camera", None), "zoom", None)
        lat = getattr(getattr(getattr(e, "camera", None), "center", None), "latitude", None)
        if zoom is None:
            return
        if lat is not None:
            self.centre_lat = float(lat)
        if round(zoom) == round(self.zoom):
            self.place_scale()  # the scale follows every zoom step, the clusters each whole level
            refresh(self.scale_box)
            return
        self.zoom = float(zoom)
        self.place_markers()
        self.refresh_markers()

    def refresh_markers(self) -> None:
        refresh(self.markers)
        refresh(self.scale_box)

    # ------------------------------------------------------------------ filters
    async def on_queue(self, e) -> None:
        self.queue = e.control.value or "all"
        await self.load()

    async def on_office(self, e) -> None:
        value = e.control.value
        self.office = None if value in (None, "", ALL) else value
        await self.load()

    # ------------------------------------------------------------------ controls
    def build_map(self) -> fm.Map:
        lat, lon = centre(self.points, self.shown_at(*DEFAULT_CENTRE))
        self.centre_lat = lat
        self.place_markers()
        self.site_layer.markers = [self.site_marker(s) for s in self.sites]
        return fm.Map(
            expand=True, initial_center=fm.MapLatitudeLongitude(lat, lon), initial_zoom=self.zoom,
            max_zoom=MAX_ZOOM, min_zoom=MIN_ZOOM, bgcolor=theme.DESK_MAP_BG, on_position_change=self.on_move,
            interaction_configuration=fm.InteractionConfiguration(
                flags=fm.InteractionFlag.ALL & ~fm.InteractionFlag.ROTATE),
            layers=[fm.TileLayer(url_template=self.settings.map_tile_url, user_agent_package_name="inspector",
                                 max_zoom=MAX_ZOOM), self.site_layer, self.markers])

    def build(self) -> ft.Control:
        lang = self.lang
        self.queue_choice = dropdown(t("desk.map.queue", lang), [(q, t(f"desk.queue.{q}", lang)) for q in QUEUES],
                                     self.queue, self.on_queue, width=QUEUE_W)
        self.office_choice = dropdown(t("desk.filter.office", lang), office_choices(lang, t("desk.filter.any", lang)),
                                      self.office or ALL, self.on_office, width=OFFICE_W)
        if self.error:
            self.status_line.value = self.error
            self.status_line.color = theme.DANGER
        else:
            self.status_line.color = theme.MUTED
            self.status_line.value = t("desk.map.count", lang, shown=len(self.points), total=self.total,
                                       limit=MAP_LIMIT)
        legend = ft.Row([swatch(colour(s), t("desk.map.overdue", lang) if s == "overdue"
                                             else theme.status_words(s, lang))
                         for s in LEGEND], spacing=theme.SPACE_XL, wrap=True)
        bar = ft.Container(ft.Column([
            ft.Row([self.queue_choice, self.office_choice, self.status_line], spacing=theme.SPACE_XL,
                   vertical_alignment=ft.CrossAxisAlignment.CENTER),
            ft.Row([legend, ft.Container(expand=True),
                    text(t("desk.map.tiles", lang), size=theme.DENSE_XS, color=theme.MUTED)]),
        ], spacing=theme.SPACE_S), padding=BAR_PADDING, bgcolor=theme.SURFACE,
            border=ft.Border(bottom=ft.BorderSide(theme.BORDER, theme.LINE)))
        if self.map is None and self.loaded:
            self.map = self.build_map()
        self.scale_box = ft.Container(ft.Column([self.scale_text, self.scale_line], spacing=1, tight=True),
                                      left=theme.SPACE_XL, bottom=theme.SPACE_XL, bgcolor=theme.SURFACE,
                                      padding=ft.Padding.symmetric(horizontal=6, vertical=3), border_radius=theme.RADIUS_S)
        body = ft.Stack([self.map, self.scale_box], expand=True) if self.map is not None else loading(expand=True)
        return ft.Column([bar, ft.Container(body, expand=True)], spacing=0, expand=True)
