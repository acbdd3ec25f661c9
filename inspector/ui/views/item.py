"""Item: status and deadline on top, before/after photos, facts, timeline, and my actions at the bottom.

Actions are those ``permissions.may`` allows this user in the item's status:
office staff 签收 / 提交整改 (after-photos, same-spot check against the
item's location) / 申请延期; inspectors 回头看 (the fix holds, or it
rebounded: ``views.checks``). A spot checker sees the item blind (before-photo,
place, no verdicts) with one action, 抽查复核; once their finding is recorded
the whole item shows, with the verdict they gave on top.
"""

import logging
from datetime import date, timedelta

import flet as ft

from inspector.domain.items import TRANSITIONS
from inspector.domain.permissions import may
from inspector.geo.checks import same_spot
from inspector.geo.distance import Point
from inspector.geo.places import format_coordinates
from inspector.i18n import t
from inspector.services.workspace import ItemView as ItemData
from inspector.ui import theme
from inspector.ui.views.base import View
from inspector.ui.views.checks import LookBackForm, SpotCheckForm
from inspector.ui.views.report import Picked
from inspector.ui.widgets import (badge, deadline_badge, item_number, photo_box, section_title, status_chip,
                                  wide_button)

log = logging.getLogger(__name__)
ACTIONS = ("acknowledged", "fix_submitted", "extension_requested", "look_back_passed")
FORMS = {"fix_submitted": "fix", "extension_requested": "extension", "look_back_passed": "look_back",
         "spot_checked": "spot_check"}
CHECK_FORMS = {"look_back": LookBackForm, "spot_check": SpotCheckForm}
SAVED_WORDS = ("look_back_passed", "rebounded", "spot_checked")  # snackbar: ui.oversight.saved.<kind>
ACTION_LABELS = {"look_back_passed": "ui.oversight.look_back.action", "spot_checked": "ui.oversight.spot.action"}


def allowed_actions(actor, item) -> list[str]:
    """The kinds this user may record on the item now, in the order the buttons show."""
    out = []
    for kind in ACTIONS:
        statuses, _ = TRANSITIONS[kind]
        if item.status in statuses and may(actor, kind, item):
            if kind == "extension_requested" and item.extension_pending:
                continue
            out.append(kind)
    return out


class ItemView(View):
    def __init__(self, app, item_id: str):
        super().__init__(app)
        self.item_id = item_id
        self.data: ItemData | None = None
        self.error: str | None = None
        self.form: str | None = None  # None, "fix", "extension", "look_back", "spot_check"
        self.check_form: LookBackForm | SpotCheckForm | None = None
        self.busy = False
        self.new_photos: list[Picked] = []
        self.note = ""
        self.values: dict[str, str] = {}  # what the person typed in the open form, by field
        self.device_fix = None
        self.picker = app.devices.photo_picker("item", self.on_photos)
        self.render()

    def title(self) -> str:
        if self.data is None:
            return t("ui.item.title", self.lang)
        return item_number(self.data.item, self.lang)

    @property
    def item(self):
        return self.data.item

    async def load(self) -> None:
        try:
            self.data = await self.app.call(self.ws.item, self.item_id)
            self.error = None
        except Exception as error:  # noqa: BLE001
            self.error = self.app.words(error)
        self.render()
        if self.data is not None:
            for sha in [*self.item.photos[:1], *self.item.fix_photos[:1]]:
                await self.app.thumb(sha, "display")
            for sha in [*self.item.photos, *self.item.fix_photos]:
                await self.app.thumb(sha)
            self.render()

    # ------------------------------------------------------------------ actions
    def actions(self) -> list[str]:
        if self.data is None:
            return []
        kinds = allowed_actions(self.ws.actor, self.item)
        if self.data.blind and may(self.ws.actor, "spot_checked", self.item):
            kinds.append("spot_checked")  # a finding, not a change of status
        return kinds

    def my_findings(self) -> list:
        """This person's spot checks of the item, newest last (refused ones left out)."""
        me = self.ws.actor.id
        return [e for e in self.data.timeline if e.kind == "spot_checked" and e.actor_id == me and not e.rejection]

    async def on_action(self, e) -> None:
        await self.start_action(e.control.data)

    async def start_action(self, kind: str) -> None:
        if kind == "acknowledged":
            await self.record("acknowledged", {})
            return
        self.form = FORMS[kind]
        self.new_photos, self.values, self.device_fix = [], {}, None
        self.check_form = CHECK_FORMS[self.form](self) if self.form in CHECK_FORMS else None
        if self.check_form is not None:
            await self.check_form.start()
        self.render()
        if self.form in ("fix", "look_back", "spot_check"):
            self.device_fix = await self.app.devices.locator().locate()
            self.render()

    async def cancel_form(self, e=None) -> None:
        self.form, self.check_form = None, None
        self.render()

    async def record(self, kind: str, payload: dict) -> bool:
        if self.busy:
            return False
        self.busy = True
        try:
            await self.app.call(self.ws.record, kind, self.item.id, self.item.version, payload)
        except Exception as error:  # noqa: BLE001 - stale, refused: in words, form kept
            self.app.snack(self.app.words(error), error=True)
            return False
        finally:
            self.busy = False
        if kind in SAVED_WORDS:
            self.app.snack(t(f"ui.oversight.saved.{kind}", self.lang))
        else:
            self.app.snack(t("ui.item.done", self.lang, action=t(f"kind.{kind}", self.lang)))
        self.form, self.check_form = None, None
        await self.load()
        await self.app.refresh_sync()
        self.app.update()
        return True

    async def on_photos(self, files: list[bytes]) -> None:
        for data in files:
            try:
                photo = await self.app.call(self.ws.add_photo, data)
            except Exception as error:  # noqa: BLE001
                self.app.snack(self.app.words(error), error=True)
                continue
            if all(p.sha256 != photo.sha256 for p in self.new_photos):
                self.new_photos.append(Picked(photo.sha256, photo.gps_lat, photo.gps_lon))
                await self.app.thumb(photo.sha256)
        self.render()

    async def pick_photos(self, e=None) -> None:
        await self.picker.pick()

    async def on_remove(self, e) -> None:
        self.new_photos = [p for p in self.new_photos if p.sha256 != e.control.data]
        self.render()

    def spot(self):
        """Same-spot check of the new photos (their EXIF GPS, else this device's GPS) against the item."""
        item_point = Point(self.item.location.lat, self.item.location.lon)
        for p in self.new_photos:
            if p.gps_lat is not None and p.gps_lon is not None:
                return same_spot(item_point, Point(p.gps_lat, p.gps_lon), self.app.settings.same_spot_m), "exif"
        if self.device_fix is not None:
            here = Point(self.device_fix.lat, self.device_fix.lon)
            return same_spot(item_point, here, self.app.settings.same_spot_m), "gps"
        return same_spot(item_point, None, self.app.settings.same_spot_m), None

    def location_payload(self) -> dict | None:
        for p in self.new_photos:
            if p.gps_lat is not None and p.gps_lon is not None:
                return {"lat": p.gps_lat, "lon": p.gps_lon, "source": "exif"}
        if self.device_fix is not None:
            fix = self.device_fix
            return {"lat": fix.lat, "lon": fix.lon, "accuracy_m": fix.accuracy_m, "source": "gps"}
        return None

    def value(self, name: str) -> str:
        return (self.values.get(name) or "").strip()

    def note_value(self) -> str:
        return self.value("note")

    async def on_field(self, e) -> None:
        """Keep what is typed in the view's state: the controls are rebuilt on every render."""
        self.values[e.control.data] = e.control.value or ""

    def field(self, name: str, label_key: str, default: str = "", **kw) -> ft.TextField:
        self.values.setdefault(name, default)
        return ft.TextField(label=t(label_key, self.lang), value=self.values[name], data=name,
                            on_change=self.on_field, text_size=theme.BODY, **kw)

    async def submit_fix(self, e=None) -> None:
        if not self.new_photos:
            self.app.snack(t("ui.item.need_after_photo", self.lang), error=True)
            return
        payload: dict = {"photos": [p.sha256 for p in self.new_photos]}
        if note := self.note_value():
            payload["note"] = note
        if (where := self.location_payload()) is not None:
            payload["location"] = where
        await self.record("fix_submitted", payload)

    async def submit_extension(self, e=None) -> None:
        lang = self.lang
        try:
            until = date.fromisoformat(self.value("until"))
        except ValueError:
            self.app.snack(t("ui.item.bad_date", lang), error=True)
            return
        reason = self.value("reason")
        if not reason:
            self.app.snack(t("ui.item.need_reason", lang), error=True)
            return
        await self.record("extension_requested", {"until": until.isoformat(), "reason": reason})

    # ------------------------------------------------------------------ zoom
    async def zoom(self, e) -> None:
        sha = e.control.data
        data = await self.app.thumb(sha, "display")
        if not data:
            self.app.snack(t("ui.item.photo_missing", self.lang), error=True)
            return
        self.zoom_dialog = ft.AlertDialog(
            content=ft.Container(ft.InteractiveViewer(ft.Image(src=data, fit=ft.BoxFit.CONTAIN), max_scale=6,
                                                      min_scale=1), width=380, height=520),
            actions=[ft.TextButton(t("ui.close", self.lang), on_click=self.close_zoom, height=theme.TAP)],
            inset_padding=8, content_padding=4)
        self.app.page.show_dialog(self.zoom_dialog)

    async def close_zoom(self, e=None) -> None:
        self.app.page.pop_dialog()

    # ------------------------------------------------------------------ controls
    def build(self) -> ft.Control:
        lang = self.lang
        if self.error:
            return ft.Container(ft.Text(self.error, color=theme.DANGER, size=theme.BODY), padding=24)
        if self.data is None:
            return ft.Container(ft.ProgressRing(), alignment=ft.Alignment.CENTER, expand=True)
        body = [self.build_header()]
        if (finding := self.build_finding()) is not None:
            body.append(finding)
        body.append(self.build_photos())
        if self.form:
            body.append(self.build_form())
        body += [self.build_facts(), self.build_timeline()]
        self.action_buttons: dict[str, ft.Control] = {}
        bottom = None
        kinds = self.actions()
        if kinds and not self.form:
            buttons = []
            for i, kind in enumerate(kinds):
                button = wide_button(t(ACTION_LABELS.get(kind, f"ui.action.{kind}"), lang), filled=i == 0,
                                     height=52, expand=True, on_click=self.on_action, data=kind)
                self.action_buttons[kind] = button
                buttons.append(button)
            rows = [ft.Row(buttons[:2], spacing=8)]
            if len(buttons) > 2:
                rows.append(ft.Row(buttons[2:], spacing=8))
            bottom = ft.Container(ft.Column(rows, spacing=8), padding=ft.Padding(16, 8, 16, 8), bgcolor="#FFFFFF",
                                  border=ft.Border(top=ft.BorderSide(1, "#CFD8DC")))
        column: list[ft.Control] = [ft.ListView(body, expand=True, spacing=14, padding=16)]
        if bottom:
            column.append(bottom)
        return ft.Column(column, expand=True, spacing=0)

    def build_header(self) -> ft.Control:
        lang, item, now = self.lang, self.item, self.app.now()
        if self.data.blind:  # no status, deadline or verdict: the site is judged as it is
            return ft.Column([ft.Row([badge(t("ui.oversight.spot.blind", lang), bg="#ECEFF1", fg="#263238")]),
                              ft.Text(t(f"category.{item.category}", lang), size=20, weight=ft.FontWeight.BOLD),
                              ft.Text(t("ui.oversight.spot.blind_hint", lang), size=theme.BODY,
                                      color=theme.MUTED)], spacing=8)
        chips: list[ft.Control] = [status_chip(item.status, lang)]
        if (d := deadline_badge(item, now, lang)) is not None:
            chips.append(d)
        if item.rebounded:
            chips.append(badge(t("ui.item.rebounded", lang, count=item.rebound_count), bg="#FFFFFF",
                               fg=theme.REBOUND))
        if item.extension_pending:
            chips.append(badge(t("ui.item.extension_pending", lang), bg="#FFF8E1", fg="#E65100"))
        lines = [ft.Row(chips, wrap=True, spacing=6, run_spacing=4),
                 ft.Text(t(f"category.{item.category}", lang), size=20, weight=ft.FontWeight.BOLD)]
        if item.last_reason and item.status in ("rectifying", "assigned"):
            lines.append(ft.Text(t("ui.item.last_reason", lang, reason=item.last_reason), color=theme.DANGER,
                                 size=theme.BODY))
        return ft.Column(lines, spacing=8)

    def photo_side(self, title: str, shas: tuple[str, ...] | list[str], empty: str) -> ft.Control:
        lang = self.lang
        if not shas:
            main: ft.Control = ft.Container(ft.Text(empty, size=theme.SMALL, color=theme.MUTED,
                                                    text_align=ft.TextAlign.CENTER),
                                            height=160, bgcolor="#ECEFF1", border_radius=8,
                                            alignment=ft.Alignment.CENTER)
            extra: list[ft.Control] = []
        else:
            cache = self.app.thumb_cache
            first = cache.get(f"{shas[0]}:display") or cache.get(shas[0])
            main = ft.Container(
                ft.Image(src=first, height=160, fit=ft.BoxFit.COVER, border_radius=8) if first
                else ft.Icon(ft.Icons.IMAGE, size=48, color="#90A4AE"),
                height=160, bgcolor="#ECEFF1", border_radius=8, alignment=ft.Alignment.CENTER,
                on_click=self.zoom, data=shas[0], tooltip=t("ui.item.zoom", lang), ink=True)
            extra = [photo_box(cache.get(s), 52, on_click=self.zoom) for s in shas[1:5]]
            for box, sha in zip(extra, shas[1:5]):
                box.data = sha
        return ft.Column([ft.Text(title, size=theme.SMALL, weight=ft.FontWeight.BOLD, color=theme.MUTED), main,
                          ft.Row(extra, spacing=4, wrap=True)], spacing=4, expand=True)

    def build_finding(self) -> ft.Control | None:
        """The verdict this spot checker gave, on top, once they gave one."""
        findings = self.my_findings() if self.ws.actor.role == "spot_checker" and not self.data.blind else []
        if not findings:
            return None
        lang, last = self.lang, findings[-1]
        agree = last.payload.get("verdict") == "agree"
        colour = theme.OK if agree else theme.DANGER
        lines: list[ft.Control] = [ft.Text(t("ui.oversight.spot.your_verdict", lang, verdict=t(
            f"ui.oversight.spot.{'agree' if agree else 'disagree'}", lang)), size=18, weight=ft.FontWeight.BOLD,
            color=colour)]
        if last.payload.get("note"):
            lines.append(ft.Text(str(last.payload["note"]), size=theme.BODY))
        if last.pending:
            lines.append(ft.Text(t("ui.oversight.spot.full_after_sync", lang), size=theme.SMALL, color=theme.MUTED))
        return ft.Container(ft.Column(lines, spacing=4), padding=12, border_radius=8, bgcolor="#FFFFFF",
                            border=ft.Border.all(2, colour))

    def build_photos(self) -> ft.Control:
        lang = self.lang
        after = (t("ui.oversight.spot.after_hidden", lang) if self.data.blind else t("ui.item.no_fix_yet", lang))
        return ft.Row([
            self.photo_side(t("ui.item.before", lang), self.item.photos, t("ui.item.no_photo", lang)),
            self.photo_side(t("ui.item.after", lang), self.item.fix_photos, after),
        ], spacing=10, vertical_alignment=ft.CrossAxisAlignment.START)

    def fact(self, key: str, value: str | None) -> ft.Control | None:
        if not value:
            return None
        return ft.Row([ft.Text(t(key, self.lang), size=theme.SMALL, color=theme.MUTED, width=88),
                       ft.Text(value, size=theme.BODY, expand=True, selectable=True)],
                      vertical_alignment=ft.CrossAxisAlignment.START)

    def build_facts(self) -> ft.Control:
        lang, item, zone = self.lang, self.item, self.app.zone
        loc = item.location
        where = format_coordinates(Point(loc.lat, loc.lon)) + " · " + t(f"source.{loc.source}", lang)
        if loc.accuracy_m is not None:
            where += f" · ±{loc.accuracy_m:.0f} m"
        rows = [
            self.fact("ui.item.office", t(f"office.{item.office}", lang)),
            self.fact("ui.item.leader", item.leader),
            self.fact("ui.item.site", self.app.site_name(item.site_id)),
            self.fact("ui.item.check_type", t(f"check_type.{item.check_type}", lang)),
            self.fact("ui.item.severity", t(f"severity.{item.severity}", lang)),
            self.fact("ui.item.location", where),
            self.fact("ui.item.reported_at", theme.local_time(item.reported_at, zone)),
            None if self.data.blind else self.fact("ui.item.deadline", theme.local_time(item.deadline, zone)),
            self.fact("ui.item.extension_until", theme.local_time(item.extension_until, zone)),
            self.fact("ui.item.description", item.description),
        ]
        return ft.Container(ft.Column([r for r in rows if r is not None], spacing=8), padding=14,
                            bgcolor="#FFFFFF", border_radius=12, border=ft.Border.all(1, "#CFD8DC"))

    def build_timeline(self) -> ft.Control:
        lang, zone = self.lang, self.app.zone
        rows: list[ft.Control] = [section_title(t("ui.item.timeline", lang))]
        for entry in reversed(self.data.timeline):
            head = [ft.Text(t(f"kind.{entry.kind}", lang), size=theme.BODY, weight=ft.FontWeight.BOLD)]
            if entry.pending:
                head.append(badge(t("ui.item.pending", lang), bg="#FFF8E1", fg="#E65100"))
            if entry.rejection:
                head.append(badge(t("ui.item.refused", lang)))
            lines: list[ft.Control] = [
                ft.Row(head, spacing=6, wrap=True),
                ft.Text(f"{entry.actor_name} · {theme.local_time(entry.at, zone)}", size=theme.SMALL,
                        color=theme.MUTED),
            ]
            p = entry.payload
            for key in ("reason", "note", "text"):
                if p.get(key):
                    lines.append(ft.Text(str(p[key]), size=theme.BODY))
            if p.get("until"):
                lines.append(ft.Text(t("ui.item.until", lang, date=str(p["until"])[:10]), size=theme.BODY))
            if entry.kind == "spot_checked" and p.get("verdict") in ("agree", "disagree"):
                lines.append(ft.Text(t("ui.oversight.spot.verdict_line", lang,
                                       verdict=t(f"ui.oversight.spot.{p['verdict']}", lang)), size=theme.BODY,
                                     weight=ft.FontWeight.W_600,
                                     color=theme.OK if p["verdict"] == "agree" else theme.DANGER))
            if p.get("leader") and p.get("deadline"):
                lines.append(ft.Text(t("ui.item.leader_deadline", lang, leader=p["leader"],
                                       date=str(p["deadline"])[:10]), size=theme.BODY))
            if entry.rejection:
                lines.append(ft.Text(t("ui.item.refused_because", lang, reason=entry.rejection),
                                     size=theme.BODY, color=theme.DANGER, weight=ft.FontWeight.W_600))
            rows.append(ft.Container(ft.Column(lines, spacing=2), padding=ft.Padding(12, 8, 8, 8),
                                     border=ft.Border(left=ft.BorderSide(3, theme.DANGER if entry.rejection
                                                                         else theme.PRIMARY))))
        return ft.Column(rows, spacing=8)

    # ------------------------------------------------------------------ forms
    def build_new_photos(self) -> ft.Control:
        lang = self.lang
        action = self.picker.action()
        self.photo_button = ft.FilledTonalButton(
            content=t("ui.item.add_after_photo" if self.form == "fix" else "ui.item.add_photo", lang),
            icon=ft.Icons.PHOTO_CAMERA, action=action, on_click=None if action else self.pick_photos, height=64,
            style=ft.ButtonStyle(text_style=ft.TextStyle(font_family=theme.FONT_FAMILY, size=18, weight=ft.FontWeight.BOLD),
                                 shape=ft.RoundedRectangleBorder(radius=12)))
        tiles = []
        for p in self.new_photos:
            remove = ft.IconButton(ft.Icons.CLOSE, data=p.sha256, on_click=self.on_remove, icon_color="#FFFFFF",
                                   bgcolor="#99000000", width=theme.TAP, height=theme.TAP)
            tiles.append(ft.Stack([photo_box(self.app.thumb_cache.get(p.sha256), 96),
                                   ft.Container(remove, right=0, top=0)], width=96, height=96))
        return ft.Column([ft.Row([self.photo_button], expand=True), ft.Row(tiles, scroll=ft.ScrollMode.AUTO)],
                         spacing=8)

    def build_spot(self) -> ft.Control:
        lang = self.lang
        check, source = self.spot()
        limit = f"{self.app.settings.same_spot_m:.0f}"
        if not check.known:
            words, colour, icon = t("ui.item.spot_unknown", lang), theme.MUTED, ft.Icons.HELP_OUTLINE
        elif check.flagged:
            words = t("ui.item.spot_far", lang, metres=f"{check.distance_m:.0f}", limit=limit)
            colour, icon = theme.DANGER, ft.Icons.WARNING
        else:
            words = t("ui.item.spot_ok", lang, metres=f"{check.distance_m:.0f}")
            colour, icon = theme.OK, ft.Icons.CHECK_CIRCLE
        if source:
            words += " · " + t(f"source.{source}", lang)
        self.spot_text = ft.Text(words, size=theme.BODY, color=colour, weight=ft.FontWeight.W_600, expand=True)
        return ft.Row([ft.Icon(icon, color=colour), self.spot_text], spacing=6)

    def build_form(self) -> ft.Control:
        lang, item = self.lang, self.item
        if self.check_form is not None:  # look_back, spot_check: views.checks
            return self.check_form.build()
        self.note_field = self.field("note", "ui.item.note", multiline=True, min_lines=1, max_lines=3)
        cancel = wide_button(t("ui.cancel", lang), on_click=self.cancel_form, filled=False, height=52, expand=True)
        if self.form == "fix":
            guide = self.app.thumb_cache.get(item.photos[0]) if item.photos else None
            parts = [section_title(t("ui.item.fix_title", lang)),
                     ft.Row([photo_box(guide, 96), ft.Text(t("ui.item.same_angle", lang), size=theme.BODY,
                                                            expand=True)], spacing=10),
                     self.build_new_photos(), self.build_spot(), self.note_field]
            self.submit_button = wide_button(t("ui.action.fix_submitted", lang), on_click=self.submit_fix,
                                             height=52, expand=True)
            parts.append(ft.Row([cancel, self.submit_button], spacing=8))
        else:  # extension
            default_until = (item.deadline or self.app.now()).astimezone(self.app.zone).date() + timedelta(days=3)
            self.until_field = self.field("until", "ui.item.until_label", default_until.isoformat(),
                                          keyboard_type=ft.KeyboardType.DATETIME)
            self.reason_field = self.field("reason", "ui.item.reason", multiline=True, min_lines=2, max_lines=4)
            self.submit_button = wide_button(t("ui.action.extension_requested", lang),
                                             on_click=self.submit_extension, height=52, expand=True)
            parts = [section_title(t("ui.item.extension_title", lang)), self.until_field, self.reason_field,
                     ft.Row([cancel, self.submit_button], spacing=8)]
        return ft.Container(ft.Column(parts, spacing=10), padding=14, bgcolor="#FFFFFF", border_radius=12,
                            border=ft.Border.all(2, theme.PRIMARY))
