"""Item: status and deadline on top, before/after photos, facts, timeline, and my actions at the bottom.

Actions are those the decision core (``decision.moves_on``) offers this user on the phone:
office staff 签收 / 提交整改 (after-photos, same-spot check against the
item's location) / 申请延期 / 退回申辩 (``views.item_return``; the lead office's
only: a supporting office (配合) sees the item, marked so, and may comment);
inspectors 回头看 (the fix holds, or it
rebounded: ``views.checks``). A spot checker sees the item blind (before-photo,
place, no verdicts) with one action, 抽查复核; once their finding is recorded
the whole item shows, with the verdict they gave on top.
"""

import logging
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import flet as ft

from inspector.domain.decision import moves_on
from inspector.domain.lifecycle import Surface, offered_on
from inspector.domain.permissions import may
from inspector.geo.checks import same_spot
from inspector.geo.distance import Point
from inspector.geo.position import exif_position
from inspector.i18n import t
from inspector.services.workspace import ItemView as ItemData
from inspector.ui import theme
from inspector.ui.date_field import date_field, earliest_extension_day
from inspector.ui.guard import Guard
from inspector.ui.kinds import look
from inspector.ui.views import item_parts
from inspector.ui.views.base import View
from inspector.ui.views.checks import LookBackForm, SpotCheckForm
from inspector.ui.views.item_return import ReturnForm
from inspector.ui.views.report import Picked
from inspector.ui.zoom import page_size, photo_zoom
from inspector.ui.widgets import (boxed, bottom_bar, button_text_style, error_text, form_buttons, item_number,
                                  loading, photo_box, photo_tile, section_title, wide_button)

log = logging.getLogger(__name__)
ACTIONS = offered_on(Surface.PHONE)  # the buttons of the item screen, from the registry
CHECK_FORMS = {"look_back": LookBackForm, "spot_check": SpotCheckForm, "return": ReturnForm}
EXTENSION_DAYS = 3  # the extension form proposes the deadline (today, once it has passed) plus this


def extension_default(deadline: datetime | None, now: datetime, zone: ZoneInfo) -> date:
    """The day the extension form proposes: ``EXTENSION_DAYS`` after the deadline, or after today
    when the deadline has passed (never a day gone by: the decision refuses those)."""
    today = now.astimezone(zone).date()
    base = deadline.astimezone(zone).date() if deadline is not None else today
    return max(base, today) + timedelta(days=EXTENSION_DAYS)


def allowed_actions(actor, item) -> list[str]:
    """The kinds this user may record on the item now, in the order the buttons show."""
    return list(moves_on(actor, item, Surface.PHONE))


class ItemView(View):
    def __init__(self, app, item_id: str):
        super().__init__(app)
        self.item_id = item_id
        self.data: ItemData | None = None
        self.error: str | None = None
        self.form: str | None = None  # None, "fix", "extension", "look_back", "spot_check"
        self.check_form: LookBackForm | SpotCheckForm | ReturnForm | None = None
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
        with Guard(self.lang) as failure:  # shown in place of the item
            self.data = await self.app.call(self.ws.item, self.item_id)
        self.error = failure.message
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
        return item_parts.my_findings(self)

    async def on_action(self, e) -> None:
        await self.start_action(e.control.data)

    async def start_action(self, kind: str) -> None:
        if kind == "acknowledged":
            await self.record("acknowledged", {})
            return
        self.form = look(kind).form
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
        """Record ``kind`` on the item; a refusal (stale, not allowed) is said and the form kept."""
        if self.busy:
            return False
        self.busy = True
        try:
            with self.app.guard() as failure:
                await self.app.call(self.ws.record, kind, self.item.id, self.item.version, payload)
        finally:
            self.busy = False
        if failure.failed:
            return False
        if look(kind).saved_words:
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
            with self.app.guard() as failure:  # unsupported, too large, damaged: said, the next one goes on
                photo = await self.app.call(self.ws.add_photo, data)
            if failure.failed:
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
        exif = exif_position(self.new_photos)
        if exif is not None:
            return same_spot(item_point, Point(exif.lat, exif.lon), self.app.settings.same_spot_m), "exif"
        if self.device_fix is not None:
            here = Point(self.device_fix.lat, self.device_fix.lon)
            return same_spot(item_point, here, self.app.settings.same_spot_m), "gps"
        return same_spot(item_point, None, self.app.settings.same_spot_m), None

    def location_payload(self) -> dict | None:
        exif = exif_position(self.new_photos)
        if exif is not None:
            return exif.payload()
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
            self.app.warn(t("ui.item.need_after_photo", self.lang))
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
        except ValueError:  # not a date as typed: said, the form kept
            self.app.warn(t("ui.item.bad_date", lang))
            return
        reason = self.value("reason")
        if not reason:
            self.app.warn(t("ui.item.need_reason", lang))
            return
        await self.record("extension_requested", {"until": until.isoformat(), "reason": reason})

    # ------------------------------------------------------------------ zoom
    async def zoom(self, e) -> None:
        sha = e.control.data
        data = await self.app.thumb(sha, "display")
        if not data:
            self.app.warn(t("ui.item.photo_missing", self.lang))
            return
        # L: full screen, pinch and pan (inspector.ui.zoom, shared with the desk)
        self.zoom_dialog = photo_zoom(data, self.lang, self.close_zoom, page_size(self.app.page))
        self.app.page.show_dialog(self.zoom_dialog)

    async def close_zoom(self, e=None) -> None:
        self.app.page.pop_dialog()

    # ------------------------------------------------------------------ controls
    def build(self) -> ft.Control:
        if self.error:
            return ft.Container(error_text(self.error), padding=theme.SPACE_PAGE)
        if self.data is None:
            return loading()
        body = [item_parts.header(self)]
        if (finding := item_parts.finding(self)) is not None:
            body.append(finding)
        body.append(item_parts.photos(self))
        if self.form:
            body.append(self.build_form())
        body += [item_parts.facts(self), item_parts.timeline(self)]
        column: list[ft.Control] = [ft.ListView(body, expand=True, spacing=theme.SPACE_XXL, padding=theme.SCREEN_PAD)]
        if (buttons := self.build_actions()) is not None:
            column.append(buttons)
        return ft.Column(column, expand=True, spacing=0)

    def build_actions(self) -> ft.Control | None:
        """The bar of what I may do now, two buttons a row, the first filled; none while a form is open."""
        self.action_buttons: dict[str, ft.Control] = {}
        kinds = self.actions()
        if not kinds or self.form:
            return None
        for i, kind in enumerate(kinds):
            self.action_buttons[kind] = wide_button(t(look(kind).label or f"ui.action.{kind}", self.lang),
                                                    filled=i == 0, height=theme.ACTION_H, expand=True,
                                                    on_click=self.on_action, data=kind)
        buttons = list(self.action_buttons.values())
        rows = [ft.Row(part, spacing=theme.SPACE_M) for part in (buttons[:2], buttons[2:]) if part]
        return bottom_bar(ft.Column(rows, spacing=theme.SPACE_M))

    # ------------------------------------------------------------------ forms
    def build_new_photos(self) -> ft.Control:
        """The photo button and the photos picked so far (each with its remove button)."""
        lang = self.lang
        action = self.picker.action()
        self.photo_button = ft.FilledTonalButton(
            content=t("ui.item.add_after_photo" if self.form == "fix" else "ui.item.add_photo", lang),
            icon=ft.Icons.PHOTO_CAMERA, action=action, on_click=None if action else self.pick_photos,
            height=theme.PHOTO_BUTTON_H,
            style=ft.ButtonStyle(text_style=button_text_style(), shape=ft.RoundedRectangleBorder(radius=theme.RADIUS)))
        tiles = [photo_tile(self.app.thumb_cache.get(p.sha256), theme.THUMB_L, p.sha256, self.on_remove,
                            tooltip=t("ui.report.remove_photo", lang)) for p in self.new_photos]
        return ft.Column([ft.Row([self.photo_button], expand=True), ft.Row(tiles, scroll=ft.ScrollMode.AUTO)],
                         spacing=theme.SPACE_M)

    def build_spot(self) -> ft.Control:
        """Whether the new photos were taken at the item's spot, in words and colour."""
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
        return ft.Row([ft.Icon(icon, color=colour), self.spot_text], spacing=theme.SPACE_S)

    def build_form(self) -> ft.Control:
        lang, item = self.lang, self.item
        if self.check_form is not None:  # look_back, spot_check: views.checks
            return self.check_form.build()
        self.note_field = self.field("note", "ui.item.note", multiline=True, min_lines=1, max_lines=3)
        if self.form == "fix":
            guide = self.app.thumb_cache.get(item.photos[0]) if item.photos else None
            self.submit_button = wide_button(t("ui.action.fix_submitted", lang), on_click=self.submit_fix,
                                             height=theme.ACTION_H, expand=True)
            parts = [section_title(t("ui.item.fix_title", lang)),
                     ft.Row([photo_box(guide, theme.THUMB_L),
                             ft.Text(t("ui.item.same_angle", lang), size=theme.BODY, expand=True)],
                            spacing=theme.SPACE_L),
                     self.build_new_photos(), self.build_spot(), self.note_field]
        else:  # extension
            default_until = extension_default(item.deadline, self.app.now(), self.app.zone)
            self.values.setdefault("until", default_until.isoformat())  # picked, never typed: ui.date_field
            self.until_field = date_field(self.app.page, self.values, "until", t("ui.item.until_label", lang), lang,
                                          first=earliest_extension_day(self.app.now(), self.app.zone),
                                          text_size=theme.BODY, dense=False)
            self.reason_field = self.field("reason", "ui.item.reason", multiline=True, min_lines=2, max_lines=4)
            self.submit_button = wide_button(t("ui.action.extension_requested", lang),
                                             on_click=self.submit_extension, height=theme.ACTION_H, expand=True)
            parts = [section_title(t("ui.item.extension_title", lang)), self.until_field, self.reason_field]
        parts.append(form_buttons(self.cancel_form, self.submit_button, lang))
        return boxed(parts, outline=theme.PRIMARY, width=theme.BORDER_BOLD)
