"""Map (地图): the items of a queue and office on a map, coloured by status, thinned into clusters when dense.

At most ``MAP_LIMIT`` items are loaded (newest first; the screen says how
many there are in all). Positions are stored in WGS-84; with a Chinese tile
provider (``settings.tile_gcj02``) they are shifted to GCJ-02 for drawing.
Tiles come from ``settings.tile_url``; when none can be fetched (no
internet) the markers still show on the map's plain background. A marker
opens its item in Review; a cluster zooms in, and at the closest zoom opens
its items as a list.
"""

import logging

import flet as ft
import flet_map as fm

from inspector.domain import catalog
from inspector.geo.gcj02 import wgs84_to_gcj02
from inspector.i18n import t
from inspector.services.desk import MAP_LIMIT, Filters
from inspector.ui import theme
from inspector.ui.desk.clusters import Cluster, MapItem, centre, cluster
from inspector.ui.desk.parts import ALL, LINE, dropdown, fresh, text

log = logging.getLogger(__name__)
DEFAULT_CENTRE = (30.2741, 120.1551)
START_ZOOM = 15.0
MAX_ZOOM = 19.0
QUEUES = ("all", "dispatch", "verify", "overdue", "extension", "disputed")
LEGEND = ("overdue", "reported", "assigned", "fix_submitted", "verified", "closed", "dismissed")


def colour(status: str) -> str:
    if status == "overdue":
        return theme.OVERDUE
    if status == "disputed":
        return "#6A1B9A"
    return theme.STATUS_COLOURS.get(status, ("#757575",))[0]


class MapView:
    def __init__(self, shell):
        self.shell, self.desk = shell, shell.desk
        self.settings = shell.app.settings
        self.queue = "all"
        self.office: str | None = None
        self.points: list[MapItem] = []
        self.total = 0
        self.zoom = START_ZOOM
        self.clusters: list[Cluster] = []
        self.error: str | None = None
        self.loaded = False
        self.map: fm.Map | None = None
        self.markers = fm.MarkerLayer(markers=[])
        self.status_line = text("", size=13, color=theme.MUTED)
        self.root = ft.Container(expand=True, bgcolor="#F4F6F8")
        self.render()

    @property
    def lang(self) -> str:
        return self.shell.lang

    async def shown(self) -> None:
        if not self.loaded:
            await self.load()

    def shown_at(self, lat: float, lon: float) -> tuple[float, float]:
        """Where a stored WGS-84 point is drawn on the configured tiles."""
        return wgs84_to_gcj02(lat, lon) if self.settings.tile_gcj02 else (lat, lon)

    async def load(self) -> None:
        filters = Filters(office=self.office)
        try:
            found = await self.shell.call(self.desk.map_points, filters, self.queue, MAP_LIMIT)
            self.error = None
        except Exception as error:  # noqa: BLE001
            self.error = self.shell.words(error)
            self.points, self.total = [], 0
        else:
            self.points = [MapItem(p.id, *self.shown_at(p.lat, p.lon), p.status, p.overdue, p.number)
                           for p in found.points]
            self.total = found.total
        self.loaded = True
        self.map = None  # a new map centred on what is shown
        self.render()

    # ------------------------------------------------------------------ markers
    def marker(self, c: Cluster) -> fm.Marker:
        lang = self.lang
        fill = colour(c.status)
        if c.size == 1:
            item = c.items[0]
            tip = f"{item.number or ''} {t(f'status.{item.status}', lang)}"
            if item.overdue:
                tip += " · " + t("desk.map.overdue", lang)
            content = ft.Container(width=20, height=20, bgcolor=fill, border_radius=10,
                                   border=ft.Border.all(3 if item.overdue else 2, "#FFFFFF"),
                                   on_click=self.on_marker, data=c.ids, tooltip=tip)
            return fm.Marker(content=content, coordinates=fm.MapLatitudeLongitude(c.lat, c.lon), width=22, height=22)
        size = min(28 + 6 * len(str(c.size)) + c.size ** 0.5, 60)
        tip = t("desk.map.cluster", lang, count=c.size, overdue=c.overdue)
        disc = ft.Container(text(str(c.size), size=13, weight=ft.FontWeight.BOLD, color="#FFFFFF"),
                            width=size, height=size, bgcolor=fill, border_radius=size / 2,
                            border=ft.Border.all(4 if c.overdue else 2, theme.OVERDUE if c.overdue else "#FFFFFF"),
                            alignment=ft.Alignment.CENTER)
        layers: list[ft.Control] = [ft.Container(disc, left=0, top=6)]
        if c.overdue:
            layers.append(ft.Container(text(str(c.overdue), size=11, weight=ft.FontWeight.BOLD, color="#FFFFFF"),
                                       bgcolor=theme.OVERDUE, border_radius=9, right=0, top=0,
                                       padding=ft.Padding.symmetric(horizontal=5, vertical=1),
                                       border=ft.Border.all(1, "#FFFFFF")))
        content = ft.Container(ft.Stack(layers, width=size + 14, height=size + 6), on_click=self.on_marker,
                               data=c.ids, tooltip=tip)
        return fm.Marker(content=content, coordinates=fm.MapLatitudeLongitude(c.lat, c.lon), width=size + 14,
                         height=size + 6)

    def place_markers(self) -> None:
        self.clusters = cluster(self.points, self.zoom)
        self.markers.markers = [self.marker(c) for c in self.clusters]

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
        except Exception as error:  # noqa: BLE001 - no client to answer (tests), or the map went away
            log.debug("move_to skipped: %s", error)

    async def on_move(self, e) -> None:
        zoom = getattr(getattr(e, "camera", None), "zoom", None)
        if zoom is None or round(zoom) == round(self.zoom):
            return
        self.zoom = float(zoom)
        self.place_markers()
        self.refresh_markers()

    def refresh_markers(self) -> None:
        try:
            self.markers.update()
        except RuntimeError:
            pass

    # ------------------------------------------------------------------ filters
    async def on_queue(self, e) -> None:
        self.queue = e.control.value or "all"
        await self.load()

    async def on_office(self, e) -> None:
        value = e.control.value
        self.office = None if value in (None, "", ALL) else value
        await self.load()

    # ------------------------------------------------------------------ controls
    def render(self) -> None:
        self.root.content = ft.Container(self.build(), expand=True, data=fresh())
        try:
            self.root.update()
        except RuntimeError:
            pass

    def build_map(self) -> fm.Map:
        lat, lon = centre(self.points, self.shown_at(*DEFAULT_CENTRE))
        self.place_markers()
        return fm.Map(
            expand=True, initial_center=fm.MapLatitudeLongitude(lat, lon), initial_zoom=self.zoom,
            max_zoom=MAX_ZOOM, min_zoom=3, bgcolor="#E4EAEE", on_position_change=self.on_move,
            interaction_configuration=fm.InteractionConfiguration(
                flags=fm.InteractionFlag.ALL & ~fm.InteractionFlag.ROTATE),
            layers=[fm.TileLayer(url_template=self.settings.tile_url, user_agent_package_name="inspector",
                                 max_zoom=MAX_ZOOM), self.markers])

    def build(self) -> ft.Control:
        lang = self.lang
        self.queue_choice = dropdown(t("desk.map.queue", lang), [(q, t(f"desk.queue.{q}", lang)) for q in QUEUES],
                                     self.queue, self.on_queue, width=150)
        self.office_choice = dropdown(t("desk.filter.office", lang),
                                      [(ALL, t("desk.filter.any", lang))]
                                      + [(o.code, t(f"office.{o.code}", lang)) for o in catalog.OFFICES],
                                      self.office or ALL, self.on_office, width=170)
        if self.error:
            self.status_line.value = self.error
            self.status_line.color = theme.DANGER
        else:
            self.status_line.color = theme.MUTED
            self.status_line.value = t("desk.map.count", lang, shown=len(self.points), total=self.total,
                                       limit=MAP_LIMIT)
        legend = ft.Row([ft.Row([ft.Container(width=12, height=12, bgcolor=colour(s), border_radius=6),
                                 text(t("desk.map.overdue", lang) if s == "overdue" else t(f"status.{s}", lang),
                                      size=12)], spacing=4, tight=True) for s in LEGEND], spacing=12, wrap=True)
        bar = ft.Container(ft.Column([
            ft.Row([self.queue_choice, self.office_choice, self.status_line], spacing=12,
                   vertical_alignment=ft.CrossAxisAlignment.CENTER),
            ft.Row([legend, ft.Container(expand=True),
                    text(t("desk.map.tiles", lang), size=11, color=theme.MUTED)]),
        ], spacing=6), padding=ft.Padding(14, 10, 14, 8), bgcolor="#FFFFFF",
            border=ft.Border(bottom=ft.BorderSide(1, LINE)))
        if self.map is None and self.loaded:
            self.map = self.build_map()
        body = self.map if self.map is not None else ft.Container(ft.ProgressRing(), alignment=ft.Alignment.CENTER,
                                                                  expand=True)
        return ft.Column([bar, ft.Container(body, expand=True)], spacing=0, expand=True)
