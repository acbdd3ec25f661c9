"""退回/申辩 on the item screen: the lead office says the item is not (only) its own.

The office's staff or leader choose why (not our area, not a real problem,
another office is needed too), say it in words, may name the office it
belongs to and add photos, and save. It is recorded as ``returned`` through
``ItemView.record``, so on the field client it waits in the outbox like any
other action and is pushed when the phone is online. The deadline does not
stop: the form says so, and the item screen keeps counting until the
supervisor answers (reassigned: a new office and deadline; insisted: the
office keeps it).
"""

from typing import TYPE_CHECKING

import flet as ft

from inspector.domain import catalog
from inspector.domain.payloads import RETURN_REASONS
from inspector.i18n import t
from inspector.ui import theme
from inspector.ui.widgets import boxed, form_buttons, muted, section_title, wide_button

if TYPE_CHECKING:
    from inspector.ui.views.item import ItemView

NO_OFFICE = "_none"  # the office picker's "I don't know" choice


class ReturnForm:
    """Why (three big choices), the words, the office it belongs to (optional), photos (optional), save."""

    def __init__(self, view: "ItemView"):
        self.view = view
        self.reason: str | None = None  # chosen on purpose: nothing is preselected
        self.office: str | None = None

    @property
    def app(self):
        return self.view.app

    @property
    def lang(self) -> str:
        return self.view.lang

    async def start(self) -> None:
        """Nothing to fetch: the choices are the catalogue's."""

    async def on_reason(self, e) -> None:
        self.reason = e.control.data
        self.view.render()

    async def on_office(self, e) -> None:
        value = e.control.data
        self.office = None if value in (None, "", NO_OFFICE) else value
        self.view.render()

    def payload(self) -> dict | None:
        """The ``returned`` payload of what is on the form; ``None`` (and a warning) when something is missing."""
        lang, view = self.lang, self.view
        if self.reason is None:
            self.app.warn(t("ui.return.need_choice", lang))
            return None
        words = view.value("reason")
        if not words:
            self.app.warn(t("ui.item.need_reason", lang))
            return None
        payload: dict = {"reason_code": self.reason, "reason": words}
        if self.office and self.office != view.item.office:
            payload["suggested_office"] = self.office
        if view.new_photos:
            payload["photos"] = [p.sha256 for p in view.new_photos]
        return payload

    async def submit(self, e=None) -> None:
        payload = self.payload()
        if payload is not None:
            await self.view.record("returned", payload)

    def office_chip(self, code: str, words: str) -> ft.Control:
        """One office the item may belong to, as a chip at thumb height (a dropdown is fiddly in a glove)."""
        chosen = (self.office or NO_OFFICE) == code
        return ft.Container(
            ft.Text(words, size=theme.BODY, weight=ft.FontWeight.W_600,
                    color=theme.ON_COLOUR if chosen else theme.TEXT),
            height=theme.TAP, padding=ft.Padding.symmetric(horizontal=theme.SPACE_XL, vertical=theme.SPACE_L),
            bgcolor=theme.PRIMARY if chosen else theme.SURFACE, border_radius=theme.RADIUS_PILL,
            border=ft.Border.all(theme.BORDER, theme.PRIMARY if chosen else theme.PLACEHOLDER),
            on_click=self.on_office, data=code, ink=True)

    def choice(self, code: str) -> ft.Control:
        chosen = code == self.reason
        colour = theme.WARN if chosen else theme.PLACEHOLDER
        return ft.Container(
            ft.Row([ft.Icon(ft.Icons.RADIO_BUTTON_CHECKED if chosen else ft.Icons.RADIO_BUTTON_UNCHECKED,
                            color=theme.WARN if chosen else theme.MUTED, size=theme.ICON_L),
                    ft.Text(t(f"return.reason.{code}", self.lang), size=theme.BODY, weight=ft.FontWeight.W_600,
                            expand=True)], spacing=theme.SPACE_M),
            height=theme.ACTION_H, padding=ft.Padding.symmetric(horizontal=theme.SPACE_XL),
            bgcolor=theme.WARN_BG if chosen else theme.SURFACE, border_radius=theme.RADIUS_S,
            border=ft.Border.all(theme.BORDER_BOLD if chosen else theme.BORDER, colour),
            on_click=self.on_reason, data=code, ink=True)

    def build(self) -> ft.Control:
        view, lang, item = self.view, self.lang, self.view.item
        self.choices = {code: self.choice(code) for code in RETURN_REASONS}
        self.reason_field = view.field("reason", "ui.return.reason", multiline=True, min_lines=2, max_lines=4,
                                       expand=True)
        others = [(o.code, t(f"office.{o.code}", lang)) for o in catalog.OFFICES if o.code != item.office]
        self.office_chips = {code: self.office_chip(code, words)
                             for code, words in [(NO_OFFICE, t("ui.return.office_unknown", lang)), *others]}
        self.submit_button = wide_button(t("ui.return.save", lang), on_click=self.submit, height=theme.ACTION_H,
                                         expand=True)
        view.submit_button = self.submit_button
        parts: list[ft.Control] = [
            section_title(t("ui.return.title", lang)),
            muted(t("ui.return.clock_runs", lang), theme.SMALL),
            *self.choices.values(),
            ft.Row([self.reason_field]),
            muted(t("ui.return.office", lang), theme.SMALL),
            ft.Row(list(self.office_chips.values()), wrap=True, spacing=theme.SPACE_S, run_spacing=theme.SPACE_S),
            view.build_new_photos(),
            form_buttons(view.cancel_form, self.submit_button, lang),
        ]
        return boxed(parts, outline=theme.WARN, width=theme.BORDER_BOLD)
