"""Report: photo first, location filled in, a category tile, save. Works with no network.

Three taps after the photo at most: a category tile, (the office is filled in
from it), and 保存. The half-filled form is a draft: it stays when the user
goes to another tab, and is kept on the device so a reload does not lose it.
"""

import asyncio
import json
import logging
from dataclasses import asdict, dataclass

import flet as ft

from inspector.domain import catalog
from inspector.domain.permissions import may
from inspector.geo.distance import Point, distance_m, nearest_site
from inspector.geo.places import format_coordinates
from inspector.i18n import t
from inspector.ui import theme
from inspector.ui.views.base import View
from inspector.ui.widgets import photo_box, section_title, wide_button

log = logging.getLogger(__name__)
GRID_COLUMNS = 3
NO_SITE = "-"


@dataclass
class Picked:
    sha256: str
    gps_lat: float | None = None
    gps_lon: float | None = None


def default_check_type(role: str) -> str:
    if role in catalog.OFFICE_ROLES:
        return "self"
    if role == "spot_checker":
        return "spot"
    return "supervisor"


class ReportView(View):
    def __init__(self, app):
        super().__init__(app)
        actor = app.ws.actor
        self.check_types = [c for c in catalog.CHECK_TYPES if may(actor, "reported", None, {"check_type": c})]
        self.picker = app.devices.photo_picker("report", self.on_photos)
        self.locator = app.devices.locator()
        self.thumbs: dict[str, bytes | None] = {}
        self.locating = False
        self.saving = False
        self.restored = False
        self._locate_task: asyncio.Task | None = None
        self.reset_state()
        self.render()

    # ------------------------------------------------------------------ state
    def reset_state(self) -> None:
        self.photos: list[Picked] = []
        self.location: dict | None = None  # lat, lon, accuracy_m, source
        self.manual = False
        self.site_id: str | None = None
        self.site_chosen = False  # the user picked a site: do not override with the nearest
        self.category: str | None = None
        self.office: str | None = None
        self.severity = "normal"
        self.check_type = default_check_type(self.app.ws.actor.role)
        if self.check_type not in self.check_types and self.check_types:
            self.check_type = self.check_types[0]
        self.description = ""
        self.typed: dict[str, str] = {}  # typed coordinates, kept while the controls are rebuilt

    def draft(self) -> dict:
        return {"photos": [asdict(p) for p in self.photos], "location": self.location, "manual": self.manual,
                "site": self.site_id, "site_chosen": self.site_chosen, "category": self.category,
                "office": self.office, "severity": self.severity, "check_type": self.check_type,
                "description": self.description}

    def is_blank(self) -> bool:
        return not (self.photos or self.category or self.description.strip())

    @property
    def draft_key(self) -> str:
        return f"inspector.draft.{self.app.ws.actor.id}"

    async def keep_draft(self) -> None:
        """Keep the form on the device, so a reload or a closed tab does not lose it."""
        if self.is_blank():
            await self.app.prefs.remove(self.draft_key)
        else:
            await self.app.prefs.set(self.draft_key, json.dumps(self.draft(), ensure_ascii=False))

    async def restore_draft(self) -> None:
        self.restored = True
        raw = await self.app.prefs.get(self.draft_key)
        if not raw or not self.is_blank():
            return
        try:
            d = json.loads(raw)
            self.photos = [Picked(**p) for p in d.get("photos", [])]
            self.location, self.manual = d.get("location"), bool(d.get("manual"))
            self.site_id, self.site_chosen = d.get("site"), bool(d.get("site_chosen"))
            self.category, self.office = d.get("category"), d.get("office")
            self.severity = d.get("severity") or "normal"
            self.check_type = d.get("check_type") or self.check_type
            self.description = d.get("description") or ""
        except (ValueError, TypeError) as error:
            log.info("draft not restored: %s", error)
            self.reset_state()
            return
        for p in self.photos:
            await self.load_thumb(p.sha256)
        self.render()

    # ------------------------------------------------------------------ lifecycle
    async def shown(self) -> None:
        if not self.app.sites:
            await self.app.reload_sites()
            if self.app.sites:
                self.render()
        if not self.restored:
            await self.restore_draft()
        if self.location is None and not self.locating and not self.manual:
            self._locate_task = asyncio.create_task(self.locate())

    # ------------------------------------------------------------------ photos
    async def pick_photos(self, e=None) -> None:
        await self.picker.pick()

    async def on_photos(self, files: list[bytes]) -> None:
        """Store each picked photo (hash, facts, EXIF GPS) and show it in the strip."""
        for data in files:
            try:
                photo = await self.app.call(self.ws.add_photo, data)
            except Exception as error:  # noqa: BLE001 - unsupported, too large, damaged: say so
                self.app.snack(self.app.words(error), error=True)
                continue
            if any(p.sha256 == photo.sha256 for p in self.photos):
                continue
            self.photos.append(Picked(photo.sha256, photo.gps_lat, photo.gps_lon))
            self.thumbs.setdefault(photo.sha256, data if len(data) < 400_000 else None)
            await self.load_thumb(photo.sha256)
        if self.location is None and not self.locating:
            self.use_exif_location()
        self.render()
        await self.keep_draft()

    async def load_thumb(self, sha: str) -> None:
        try:
            self.thumbs[sha] = await self.app.call(self.ws.photo, sha, "thumb")
        except Exception as error:  # noqa: BLE001 - not on this device: placeholder
            log.info("no thumbnail for %s: %s", sha, error)
            self.thumbs.setdefault(sha, None)

    async def remove_photo(self, sha: str) -> None:
        self.photos = [p for p in self.photos if p.sha256 != sha]
        if self.location and self.location.get("source") == "exif":
            self.location = None
            self.use_exif_location()
        self.render()
        await self.keep_draft()

    async def on_remove(self, e) -> None:
        await self.remove_photo(e.control.data)

    # ------------------------------------------------------------------ location
    def use_exif_location(self) -> bool:
        for p in self.photos:
            if p.gps_lat is not None and p.gps_lon is not None:
                self.set_location(p.gps_lat, p.gps_lon, None, "exif")
                return True
        return False

    def set_location(self, lat: float, lon: float, accuracy_m: float | None, source: str) -> None:
        self.location = {"lat": round(lat, 7), "lon": round(lon, 7),
                         "accuracy_m": None if accuracy_m is None else round(accuracy_m, 1), "source": source}
        if not self.site_chosen:
            near = self.nearest()
            self.site_id = near[0] if near else None

    def nearest(self):
        if not self.location:
            return None
        here = Point(self.location["lat"], self.location["lon"])
        sites = [(s.id, s.name, Point(s.lat, s.lon)) for s in self.app.sites]
        return nearest_site(here, sites, self.app.settings.site_radius_m)

    async def locate(self, e=None) -> None:
        """Device GPS first; else the first photo's EXIF position; else typed coordinates."""
        self.locating = True
        self.render()
        await self.app.reload_sites()
        try:
            fix = await self.locator.locate()
        finally:
            self.locating = False
        if fix is not None:
            self.manual = False
            self.set_location(fix.lat, fix.lon, fix.accuracy_m, "gps")
        elif self.location is None or self.location.get("source") == "gps":
            if not self.use_exif_location():
                self.location = None
                self.manual = True
        self.render()
        await self.keep_draft()

    async def on_manual(self, e=None) -> None:
        self.manual = True
        self.render()

    async def apply_manual(self, e=None) -> bool:
        try:
            lat, lon = float(self.typed.get("lat") or ""), float(self.typed.get("lon") or "")
            Point(lat, lon)
        except ValueError:
            self.app.snack(t("ui.report.bad_coordinates", self.lang), error=True)
            return False
        self.set_location(lat, lon, None, "manual")
        self.render()
        await self.keep_draft()
        return True

    async def on_coordinate(self, e) -> None:
        self.typed[e.control.data] = (e.control.value or "").strip()

    async def on_site(self, e) -> None:
        value = e.control.value
        self.site_id = None if value in (None, NO_SITE) else value
        self.site_chosen = True
        await self.keep_draft()

    # ------------------------------------------------------------------ category, office, severity
    async def pick_category(self, code: str) -> None:
        self.category = code
        self.office = catalog.category(code).default_office
        self.render()
        await self.keep_draft()

    async def on_tile(self, e) -> None:
        await self.pick_category(e.control.data)

    async def on_office(self, e) -> None:
        self.office = e.control.value
        await self.keep_draft()

    async def on_severity(self, e) -> None:
        selected = e.control.selected or ["normal"]
        self.severity = selected[0]
        await self.keep_draft()

    async def on_check_type(self, e) -> None:
        self.check_type = e.control.value or self.check_type
        await self.keep_draft()

    async def on_description(self, e) -> None:
        self.description = e.control.value or ""

    async def on_description_blur(self, e=None) -> None:
        await self.keep_draft()

    # ------------------------------------------------------------------ save
    def payload(self) -> dict:
        body = {
            "category": self.category,
            "office": self.office,
            "location": {k: v for k, v in (self.location or {}).items() if v is not None},
            "site": self.site_id,
            "severity": self.severity,
            "check_type": self.check_type,
            "photos": [p.sha256 for p in self.photos],
        }
        if self.description.strip():
            body["description"] = self.description.strip()
        return body

    async def save(self, e=None) -> None:
        lang = self.lang
        if self.saving:
            return
        if self.manual and self.location is None and (self.typed.get("lat") or self.typed.get("lon")):
            if not await self.apply_manual():
                return
        problem = None
        if not self.photos:
            problem = "ui.report.need_photo"
        elif not self.category:
            problem = "ui.report.need_category"
        elif not self.location:
            problem = "ui.report.need_location"
        if problem:
            self.app.snack(t(problem, lang), error=True)
            return
        self.saving = True
        self.save_button.disabled = True
        self.refresh()
        try:
            state = await self.app.call(self.ws.record, "reported", None, 0, self.payload())
        except Exception as error:  # noqa: BLE001 - refused: keep the form, say why
            self.saving = False
            self.save_button.disabled = False
            self.refresh()
            self.app.snack(self.app.words(error), error=True)
            return
        self.saving = False
        if state.number:
            self.app.snack(t("ui.report.saved_number", lang, number=state.number))
        else:
            self.app.snack(t("ui.report.saved_local", lang))
        self.reset_state()
        self.thumbs.clear()
        self.render()
        await self.keep_draft()
        await self.app.refresh_sync()
        self.app.update()
        self._locate_task = asyncio.create_task(self.locate())

    # ------------------------------------------------------------------ controls
    def build(self) -> ft.Control:
        lang = self.lang
        action = self.picker.action()
        self.photo_button = ft.FilledTonalButton(
            content=ft.Column([ft.Icon(ft.Icons.PHOTO_CAMERA, size=40),
                               ft.Text(t("ui.report.photo_button", lang), size=18, weight=ft.FontWeight.BOLD)],
                              horizontal_alignment=ft.CrossAxisAlignment.CENTER, spacing=4,
                              alignment=ft.MainAxisAlignment.CENTER),
            action=action, on_click=None if action else self.pick_photos, height=104,
            style=ft.ButtonStyle(shape=ft.RoundedRectangleBorder(radius=16)))
        content: list[ft.Control] = [self.photo_button]
        if self.photos:
            content.append(self.build_strip())
        content += [self.build_location(), section_title(t("ui.report.category", lang)), self.build_grid()]
        content += self.build_details()
        self.save_button = wide_button(t("ui.report.save", lang), on_click=self.save, icon=ft.Icons.SAVE,
                                       disabled=self.saving, expand=True)
        return ft.Column([
            ft.ListView(content, expand=True, spacing=14, padding=ft.Padding(16, 12, 16, 16)),
            ft.Container(ft.Row([self.save_button]), padding=ft.Padding(16, 8, 16, 8), bgcolor="#FFFFFF",
                         border=ft.Border(top=ft.BorderSide(1, "#CFD8DC"))),
        ], expand=True, spacing=0)

    def build_strip(self) -> ft.Control:
        tiles = []
        for p in self.photos:
            remove = ft.IconButton(ft.Icons.CLOSE, data=p.sha256, on_click=self.on_remove, icon_color="#FFFFFF",
                                   bgcolor="#99000000", width=theme.TAP, height=theme.TAP,
                                   tooltip=t("ui.report.remove_photo", self.lang))
            tiles.append(ft.Stack([photo_box(self.thumbs.get(p.sha256), 104),
                                   ft.Container(remove, right=0, top=0)], width=104, height=104))
        self.strip = ft.Row(tiles, scroll=ft.ScrollMode.AUTO, spacing=8)
        return ft.Column([ft.Text(t("ui.report.photo_count", self.lang, count=len(self.photos)),
                                  size=theme.SMALL, color=theme.MUTED), self.strip], spacing=4)

    def build_location(self) -> ft.Control:
        lang = self.lang
        rows: list[ft.Control] = [section_title(t("ui.report.location", lang))]
        if self.locating:
            rows.append(ft.Row([ft.ProgressRing(width=20, height=20), ft.Text(t("ui.report.locating", lang),
                                                                              size=theme.BODY)]))
        elif self.location:
            loc = self.location
            accuracy = "" if loc.get("accuracy_m") is None else f"±{loc['accuracy_m']:.0f} m · "
            rows.append(ft.Row([ft.Icon(ft.Icons.PLACE, color=theme.PRIMARY),
                                ft.Text(format_coordinates(Point(loc["lat"], loc["lon"])), size=theme.BODY,
                                        weight=ft.FontWeight.W_600)], spacing=6))
            rows.append(ft.Text(accuracy + t(f"source.{loc['source']}", lang), size=theme.SMALL, color=theme.MUTED))
        else:
            rows.append(ft.Text(t("ui.report.no_location", lang), size=theme.BODY, color=theme.DANGER))
        self.lat_field = ft.TextField(label=t("ui.report.lat", lang), expand=True, text_size=theme.BODY,
                                      keyboard_type=ft.KeyboardType.NUMBER, on_submit=self.apply_manual,
                                      data="lat", on_change=self.on_coordinate,
                                      value=self.typed.get("lat") or ("" if not self.location
                                                                       else str(self.location["lat"])))
        self.lon_field = ft.TextField(label=t("ui.report.lon", lang), expand=True, text_size=theme.BODY,
                                      keyboard_type=ft.KeyboardType.NUMBER, on_submit=self.apply_manual,
                                      data="lon", on_change=self.on_coordinate,
                                      value=self.typed.get("lon") or ("" if not self.location
                                                                       else str(self.location["lon"])))
        if self.manual:
            rows.append(ft.Row([self.lat_field, self.lon_field], spacing=8))
            rows.append(ft.OutlinedButton(t("ui.report.use_coordinates", lang), on_click=self.apply_manual,
                                          height=theme.TAP))
        self.relocate_button = ft.OutlinedButton(t("ui.report.relocate", lang), icon=ft.Icons.MY_LOCATION,
                                                 on_click=self.locate, height=theme.TAP,
                                                 disabled=self.locating)
        self.manual_button = ft.OutlinedButton(t("ui.report.manual", lang), icon=ft.Icons.EDIT_LOCATION_ALT,
                                               on_click=self.on_manual, height=theme.TAP)
        rows.append(ft.Row([self.relocate_button, self.manual_button], spacing=8, wrap=True))
        rows.append(self.build_site())
        return ft.Container(ft.Column(rows, spacing=8), padding=14, bgcolor="#FFFFFF", border_radius=12,
                            border=ft.Border.all(1, "#CFD8DC"))

    def build_site(self) -> ft.Control:
        lang = self.lang
        near = self.nearest()
        sites = list(self.app.sites)
        if self.location:
            here = Point(self.location["lat"], self.location["lon"])
            sites.sort(key=lambda s: distance_m(here, Point(s.lat, s.lon)))
        options = [ft.DropdownOption(key=NO_SITE, text=t("ui.report.no_site", lang))]
        options += [ft.DropdownOption(key=s.id, text=s.name) for s in sites]
        hint = (t("ui.report.nearest_site", lang, name=near[1], metres=f"{near[2]:.0f}") if near
                else t("ui.report.no_site_near", lang))
        self.site_dropdown = ft.Dropdown(label=t("ui.report.site", lang), options=options,
                                         value=self.site_id or NO_SITE, on_select=self.on_site, expand=True,
                                         text_size=theme.BODY, enable_filter=len(options) > 12)
        return ft.Column([ft.Row([self.site_dropdown]), ft.Text(hint, size=theme.SMALL, color=theme.MUTED)],
                         spacing=4)

    def build_grid(self) -> ft.Control:
        lang = self.lang
        self.tiles: dict[str, ft.Container] = {}
        rows, row = [], []
        for c in catalog.CATEGORIES:
            chosen = c.code == self.category
            tile = ft.Container(
                content=ft.Column([
                    ft.Icon(theme.category_icon(c.icon), size=34, color="#FFFFFF" if chosen else theme.PRIMARY),
                    ft.Text(t(f"category.{c.code}", lang), size=theme.SMALL, text_align=ft.TextAlign.CENTER,
                            max_lines=3, overflow=ft.TextOverflow.ELLIPSIS, weight=ft.FontWeight.W_600,
                            color="#FFFFFF" if chosen else "#212121"),
                ], horizontal_alignment=ft.CrossAxisAlignment.CENTER, alignment=ft.MainAxisAlignment.CENTER,
                    spacing=4),
                data=c.code, on_click=self.on_tile, height=112, expand=1, padding=6, border_radius=12,
                bgcolor=theme.PRIMARY if chosen else "#FFFFFF", ink=True,
                border=ft.Border.all(2, theme.PRIMARY if chosen else "#CFD8DC"),
            )
            self.tiles[c.code] = tile
            row.append(tile)
            if len(row) == GRID_COLUMNS:
                rows.append(ft.Row(row, spacing=8))
                row = []
        if row:
            row += [ft.Container(expand=1) for _ in range(GRID_COLUMNS - len(row))]
            rows.append(ft.Row(row, spacing=8))
        return ft.Column(rows, spacing=8)

    def build_details(self) -> list[ft.Control]:
        lang = self.lang
        self.office_dropdown = ft.Dropdown(
            label=t("ui.report.office", lang), value=self.office, on_select=self.on_office, expand=True,
            options=[ft.DropdownOption(key=o.code, text=t(f"office.{o.code}", lang)) for o in catalog.OFFICES],
            text_size=theme.BODY, hint_text=t("ui.report.office_hint", lang))
        self.severity_control = ft.SegmentedButton(
            segments=[ft.Segment(value=s, label=ft.Text(t(f"severity.{s}", lang), size=theme.BODY))
                      for s in catalog.SEVERITIES],
            selected=[self.severity], on_change=self.on_severity, show_selected_icon=False, expand=True)
        self.check_type_dropdown = ft.Dropdown(
            label=t("ui.report.check_type", lang), value=self.check_type, on_select=self.on_check_type,
            options=[ft.DropdownOption(key=c, text=t(f"check_type.{c}", lang)) for c in self.check_types],
            expand=True, text_size=theme.BODY)
        self.description_field = ft.TextField(
            label=t("ui.report.description", lang), value=self.description, multiline=True, min_lines=2,
            max_lines=4, on_change=self.on_description, on_blur=self.on_description_blur, text_size=theme.BODY)
        parts: list[ft.Control] = [ft.Row([self.office_dropdown]),
                                   section_title(t("ui.report.severity", lang)),
                                   ft.Row([self.severity_control])]
        if len(self.check_types) > 1:
            parts.append(ft.Row([self.check_type_dropdown]))
        parts.append(self.description_field)
        return parts
