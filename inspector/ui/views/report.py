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
from inspector.domain.roles import OFFICE_ROLES, Role
from inspector.geo.distance import Point, nearest_site
from inspector.geo.position import exif_position
from inspector.i18n import t
from inspector.ui.views import report_parts, round_choice
from inspector.ui.views.base import View
from inspector.ui.views.report_candidates import Candidates
from inspector.ui.views.report_parts import NO_SITE
from inspector.ui.views.report_photos import PhotoIntake
from inspector.ui.widgets import refresh

log = logging.getLogger(__name__)


@dataclass
class Picked:
    sha256: str
    gps_lat: float | None = None
    gps_lon: float | None = None


def default_check_type(role: str) -> str:
    """The check type a new report starts with: an office checks itself, a spot checker spot checks."""
    if role in OFFICE_ROLES:
        return "self"
    if role == Role.SPOT_CHECKER:
        return "spot"
    return "supervisor"  # the check type 督查 (not the role of that name)


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
        self.candidates = Candidates(self)  # what is on record here already (可能重复, 反弹)
        self.intake = PhotoIntake(self)  # photos on their way in: a tile at once (views.report_photos)
        self.rounds = []  # the cross-inspection rounds known here (``ws.visits.rounds``, ``views.round_choice``)
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
        self.round_id: str | None = None  # a cross check's round (``settle_round``)
        self.typed: dict[str, str] = {}  # typed coordinates, kept while the controls are rebuilt
        # What 保存 found missing, said beside it until its cause goes; a bad coordinate, under its field.
        self.problem: str | None = None
        self.coordinate_error: str | None = None
        self.candidates.clear()
        self.intake.clear()

    def draft(self) -> dict:
        return {"photos": [asdict(p) for p in self.photos], "location": self.location, "manual": self.manual,
                "site": self.site_id, "site_chosen": self.site_chosen, "category": self.category,
                "office": self.office, "severity": self.severity, "check_type": self.check_type,
                "description": self.description, "round": self.round_id}

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
            self.round_id = d.get("round") or None
        except (ValueError, TypeError) as error:
            log.info("draft not restored: %s", error)
            self.reset_state()
            return
        for p in self.photos:
            await self.load_thumb(p.sha256)
        await self.candidates.refresh()
        self.render()

    # ------------------------------------------------------------------ lifecycle
    async def shown(self) -> None:
        if not self.app.sites:
            await self.app.reload_sites()
            if self.app.sites:
                self.render()
        if await round_choice.reload(self):  # a sync round since the form was last shown brought others
            self.render()
        if not self.restored:
            await self.restore_draft()
        if self.location is None and not self.locating and not self.manual:
            self._locate_task = asyncio.create_task(self.locate())

    # ------------------------------------------------------------------ photos
    async def pick_photos(self, e=None) -> None:
        await self.picker.pick()

    async def on_photos(self, files: list[bytes]) -> None:
        """A tile for each picked photo at once; each is then kept (hash, facts, EXIF GPS) off the event
        loop (``views.report_photos``). Returns when they all are; other taps run meanwhile."""
        self.resolve("ui.report.need_photo")  # its cause went: a photo is coming in
        await self.intake.take(files)
        await self.photos_settled()

    async def photo_kept(self, photo, thumb: bytes | None) -> None:
        """One picked photo is kept on this device: into the strip (once), with its thumbnail."""
        if any(p.sha256 == photo.sha256 for p in self.photos):
            return
        self.photos.append(Picked(photo.sha256, photo.gps_lat, photo.gps_lon))
        self.thumbs.setdefault(photo.sha256, thumb)
        await self.load_thumb(photo.sha256)
        if self.location is None and not self.locating and self.use_exif_location():
            self.resolve("ui.report.need_location")

    async def photos_settled(self) -> None:
        """All picked photos are in: what is on record here, the whole form, the draft."""
        if not self.photos and not self.saving:
            self.resolve("ui.report.need_photo")
        await self.candidates.refresh()
        self.render()
        await self.keep_draft()

    def show_photos(self) -> None:
        """Only the photo strip again (tiles come and go while the rest of the form is being filled)."""
        report_parts.fill_photos(self)
        refresh(self.photos_box)
        report_parts.fill_save_bar(self)
        refresh(self.save_bar)

    def resolve(self, problem: str) -> None:
        """``problem``'s cause went: its words go with it (``inspector.ui.messages``' rule)."""
        if self.problem == problem:
            self.problem = None
            report_parts.fill_save_bar(self)
            refresh(self.save_bar)

    async def load_thumb(self, sha: str) -> None:
        """The photo's thumbnail (``App.thumb``); until it is here, what the strip had, or a placeholder."""
        data = await self.app.thumb(sha)
        if data:
            self.thumbs[sha] = data
        else:
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
        exif = exif_position(self.photos)
        if exif is not None:
            self.set_location(exif.lat, exif.lon, None, exif.source)
        return exif is not None

    def set_location(self, lat: float, lon: float, accuracy_m: float | None, source: str,
                     mocked: bool | None = None) -> None:
        self.location = {"lat": round(lat, 7), "lon": round(lon, 7),
                         "accuracy_m": None if accuracy_m is None else round(accuracy_m, 1), "source": source}
        if mocked:  # the platform said the fix came from a mock provider: kept for the evidence panel
            self.location["mocked"] = True
        if self.problem == "ui.report.need_location":
            self.problem = None  # the callers render
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
            self.set_location(fix.lat, fix.lon, fix.accuracy_m, "gps", fix.mocked)
        elif self.location is None or self.location.get("source") == "gps":
            if not self.use_exif_location():
                self.location = None
                self.manual = True
        await self.candidates.refresh()
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
            self.coordinate_error = t("ui.report.bad_coordinates", self.lang)  # under the field, not a snackbar
            self.render()
            return False
        self.coordinate_error = None
        self.set_location(lat, lon, None, "manual")
        await self.candidates.refresh()
        self.render()
        await self.keep_draft()
        return True

    async def on_coordinate(self, e) -> None:
        self.typed[e.control.data] = (e.control.value or "").strip()
        if self.coordinate_error:  # being corrected: the error goes
            self.coordinate_error = None
            self.coordinate_line.visible = False
            refresh(self.coordinate_line)

    async def on_site(self, e) -> None:
        value = e.control.value
        self.site_id = None if value in (None, NO_SITE) else value
        self.site_chosen = True
        await self.keep_draft()

    # ------------------------------------------------------------------ category, office, severity
    async def pick_category(self, code: str) -> None:
        self.category = code
        self.office = catalog.category(code).default_office
        if self.problem == "ui.report.need_category":
            self.problem = None
        shown = await self.candidates.refresh()
        self.render()
        if shown:
            self.candidates.show()
        await self.keep_draft()

    async def on_tile(self, e) -> None:
        await self.pick_category(e.control.data)

    async def on_office(self, e) -> None:
        self.office = e.control.value
        round_choice.show(self, self.check_type, self.office, self.settle_round(), self.on_round)  # the office's
        await self.keep_draft()

    async def on_severity(self, e) -> None:
        selected = e.control.selected or ["normal"]
        self.severity = selected[0]
        await self.keep_draft()

    async def on_check_type(self, e) -> None:
        self.check_type = e.control.value or self.check_type
        round_choice.show(self, self.check_type, self.office, self.settle_round(), self.on_round)  # cross only
        await self.keep_draft()

    def settle_round(self) -> str | None:
        """The round the report names: one fitting today (``views.round_choice``), none off a cross check."""
        self.round_id = round_choice.settle(self, self.check_type, self.office, self.round_id)
        return self.round_id

    async def on_round(self, e) -> None:
        self.round_id = e.control.value  # one of those offered (``settle_round`` holds it to them)
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
        if self.settle_round():
            body["round"] = self.round_id
        return body

    def missing(self) -> str | None:
        """What 保存 needs first and the form has not (a message key), or None."""
        if not self.photos and not self.intake.busy:
            return "ui.report.need_photo"
        if not self.category:
            return "ui.report.need_category"
        if not self.location:
            return "ui.report.need_location"
        return None

    async def save(self, e=None) -> None:
        lang = self.lang
        if self.saving:
            return
        if self.manual and self.location is None and (self.typed.get("lat") or self.typed.get("lon")):
            if not await self.apply_manual():
                return
        self.problem = self.missing()
        if self.problem:  # said beside 保存, never over it; it goes when its cause goes (``resolve``)
            self.render()
            return
        self.saving = True
        self.show_photos()
        await self.intake.wait()  # photos still coming in: 保存 was possible, the event waits for them
        if not self.photos:
            self.saving = False
            self.problem = "ui.report.need_photo"  # all of them were refused (and said)
            self.render()
            return
        with self.app.guard() as failure:  # refused: said, the form kept
            state = await self.app.call(self.ws.record, "reported", None, 0, self.payload())
        self.saving = False
        if failure.failed:
            self.render()
            return
        if state.number:
            self.app.snack(t("ui.report.saved_number", lang, number=state.number))
        else:
            self.app.snack(t("ui.report.saved_local", lang))
        await self.after_saved()

    async def after_saved(self) -> None:
        """Back to an empty form, ready for the next problem (after 保存, or a candidate took the photos)."""
        self.reset_state()
        self.thumbs.clear()
        self.render()
        await self.keep_draft()
        await self.app.refresh_sync()
        self.app.update()
        self._locate_task = asyncio.create_task(self.locate())

    # ------------------------------------------------------------------ controls
    def build(self) -> ft.Control:
        self.settle_round()  # what the form shows is what 保存 sends
        return report_parts.screen(self)
