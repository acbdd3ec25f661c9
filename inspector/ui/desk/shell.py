"""The desk's frame: a left rail (审核 · 地图 · 月考 · 报告 · 设置), a header, the section, keyboard shortcuts.

One ``DeskShell`` per logged-in supervisor or admin on a wide window. Sections
are built the first time they are shown and kept (their filters and selection
survive a trip to another section). Keys go to the section in front, unless
a text field has the focus or a dialog is open, so typing "r" in a reason
never rejects anything.
"""

import asyncio
import logging
from typing import Any

import flet as ft

from inspector.i18n import LANGUAGES, t
from inspector.services.desk import Desk
from inspector.ui import theme
from inspector.ui.desk.layout import use_phone
from inspector.ui.device import LANG_KEY
from inspector.ui.desk.parts import fresh, text
from inspector.ui.desk.sections import DESTINATIONS, SECTIONS
from inspector.ui.guard import Guard

log = logging.getLogger(__name__)
RAIL_W = 84
LOGO = 30  # the app's icon at the top of the rail


class FileSaver:
    """Hands bytes to the browser as a download (``FilePicker.save_file`` with the bytes, as Flet web needs)."""

    def __init__(self):
        self.picker = ft.FilePicker()  # held here: Flet drops services nothing references

    async def save(self, name: str, data: bytes) -> None:
        await self.picker.save_file(file_name=name, src_bytes=data)


class DeskShell:
    def __init__(self, app, ws, saver: Any = None):
        self.app, self.ws = app, ws
        self.desk = Desk(ws.ctx, ws.actor, app.lang)
        self.saver = saver if saver is not None else FileSaver()
        self.section = "review"
        self.views: dict[str, Any] = {}
        self.focused: set[int] = set()  # text fields holding the focus (ids), for the shortcuts
        self.dialog: ft.AlertDialog | None = None
        self.closed = False
        self.rail = ft.NavigationRail(selected_index=0, on_change=self.on_rail, bgcolor=theme.SURFACE,
                                      label_type=ft.NavigationRailLabelType.ALL, min_width=RAIL_W,
                                      group_alignment=-1.0)
        self.title = ft.Text("", size=theme.TITLE, weight=ft.FontWeight.BOLD, color=theme.INK)
        self.subtitle = ft.Text("", size=theme.DENSE, color=theme.MUTED)
        self.who = ft.Text("", size=theme.DENSE, color=theme.MUTED)
        self.body = ft.Container(expand=True)
        self.root = ft.Row([self.rail, ft.VerticalDivider(width=theme.BORDER, color=theme.LINE),
                            ft.Column([self.header(), self.body], expand=True, spacing=0)],
                           expand=True, spacing=0, vertical_alignment=ft.CrossAxisAlignment.STRETCH)

    # ------------------------------------------------------------------ helpers
    @property
    def lang(self) -> str:
        return self.app.lang

    @property
    def page(self) -> ft.Page:
        return self.app.page

    async def call(self, fn, *args, **kwargs):
        """A blocking service call, off the event loop."""
        return await asyncio.to_thread(fn, *args, **kwargs)

    def snack(self, words: str, error: bool = False) -> None:
        self.app.snack(words, error)

    def update(self) -> None:
        self.app.update()

    async def typing_on(self, e) -> None:
        self.focused.add(id(e.control))

    async def typing_off(self, e) -> None:
        self.focused.discard(id(e.control))

    def release_focus(self, control) -> None:
        """Take the keyboard out of any text field (to ``control``, a button), so the shortcuts work again.

        The client's answer is not waited for: a tap on a row must not wait on it.
        """
        self.focused.clear()

        async def move():
            try:
                await control.focus()
            except (RuntimeError, TimeoutError) as error:  # not on the page, or the client did not answer
                log.debug("focus skipped: %s", error)

        self.page.run_task(move)

    def show_dialog(self, dialog: ft.AlertDialog) -> None:
        self.dialog = dialog
        dialog.on_dismiss = self._dialog_dismissed
        self.page.show_dialog(dialog)

    def close_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog = None
            self.focused.clear()
            try:
                self.page.pop_dialog()
            except RuntimeError as error:  # already off the page (dismissed by a tap outside)
                log.debug("no dialog to pop: %s", error)

    async def _dialog_dismissed(self, e) -> None:
        self.dialog = None
        self.focused.clear()

    # ------------------------------------------------------------------ frame
    def header(self) -> ft.Control:
        return ft.Container(
            ft.Row([ft.Column([self.title, self.subtitle], spacing=0, expand=True), self.who],
                   vertical_alignment=ft.CrossAxisAlignment.CENTER),
            padding=ft.Padding.symmetric(horizontal=theme.SCREEN_PAD + theme.SPACE_XS, vertical=theme.SPACE_L),
            bgcolor=theme.SURFACE, border=ft.Border(bottom=ft.BorderSide(theme.BORDER, theme.LINE)))

    def render_frame(self) -> None:
        lang = self.lang
        self.rail.destinations = [
            ft.NavigationRailDestination(icon=icon, selected_icon=selected, label=t(f"desk.nav.{name}", lang))
            for name, (_, icon, selected) in DESTINATIONS.items()]
        self.rail.selected_index = SECTIONS.index(self.section)
        other = next(code for code in LANGUAGES if code != lang)
        self.phone_button = ft.TextButton(t("desk.to_phone", lang), icon=ft.Icons.SMARTPHONE, on_click=self.on_phone)
        self.lang_button = ft.TextButton(t("desk.lang_other", lang), icon=ft.Icons.TRANSLATE, data=other,
                                         on_click=self.on_lang)
        self.logout_button = ft.TextButton(t("desk.logout", lang), icon=ft.Icons.LOGOUT, on_click=self.on_logout)
        self.rail.leading = ft.Container(
            ft.Column([ft.Icon(ft.Icons.FACT_CHECK, color=theme.PRIMARY, size=LOGO),
                       text(t("desk.app_short", lang), size=theme.DENSE_S, weight=ft.FontWeight.BOLD)],
                      horizontal_alignment=ft.CrossAxisAlignment.CENTER, spacing=theme.SPACE_XXS),
            padding=ft.Padding.symmetric(vertical=theme.SPACE_XL), data=fresh())
        self.rail.trailing = ft.Container(
            ft.Column([self.phone_button, self.lang_button, self.logout_button], spacing=theme.SPACE_XXS,
                      horizontal_alignment=ft.CrossAxisAlignment.CENTER),
            padding=ft.Padding(0, theme.SPACE_PAGE, 0, 0), data=fresh())
        actor = self.ws.actor
        self.who.value = f"{self.ws.display_name} · {t(f'role.{actor.role}', lang)}"
        self.title.value = t(f"desk.title.{self.section}", lang)

    def view(self, name: str):
        """The section called ``name``, built the first time it is asked for."""
        if name not in self.views:
            self.views[name] = DESTINATIONS[name].view(self)
        return self.views[name]

    async def start(self) -> None:
        page = self.page
        page.appbar = None
        page.navigation_bar = None
        page.floating_action_button = None
        page.controls.clear()
        page.controls.append(self.root)
        page.on_keyboard_event = self.on_key
        self.render_frame()
        await self.campaign_line()
        await self.show("review")

    async def campaign_line(self) -> None:
        """The campaign and its phase under the title; without them the header still works (no words shown)."""
        with Guard(self.lang) as failure:
            view = await self.call(self.desk.campaign)
        if failure.failed:
            return
        phase = t(f"phase.{view.current_phase}", self.lang) if view.current_phase else t("phase.none", self.lang)
        self.subtitle.value = f"{view.campaign.name} · {t('campaign.current_phase', self.lang, phase=phase)}"

    async def show(self, name: str) -> None:
        self.section = name
        self.render_frame()
        view = self.view(name)
        self.body.content = view.root
        self.update()
        await view.shown()
        self.update()

    async def on_rail(self, e) -> None:
        await self.show(SECTIONS[int(e.control.selected_index)])

    # ------------------------------------------------------------------ cross-section links
    async def open_item(self, item_id: str) -> None:
        """Show one item in Review (from the map, a sample, a chart)."""
        review = self.view("review")
        await self.show("review")
        await review.open_item(item_id)

    async def open_ids(self, ids, title: str) -> None:
        """Review, listing just these items (the items behind a score)."""
        review = self.view("review")
        await self.show("review")
        await review.show_ids(tuple(ids), title)

    # ------------------------------------------------------------------ keys
    async def on_key(self, e) -> None:
        if self.closed or self.app.ws is None:
            return
        if self.dialog is not None or self.focused or e.ctrl or e.alt or e.meta:
            return
        view = self.views.get(self.section)
        handler = getattr(view, "on_key", None)
        if handler is not None:
            await handler(e.key or "")

    # ------------------------------------------------------------------ layout, language, logout
    def close(self) -> None:
        self.closed = True
        if self.page.on_keyboard_event == self.on_key:
            self.page.on_keyboard_event = None

    async def on_phone(self, e=None) -> None:
        await use_phone(self.app)

    async def on_lang(self, e) -> None:
        lang = e.control.data
        if lang not in LANGUAGES:
            return
        self.app.lang = self.desk.lang = lang
        await self.app.prefs.set(LANG_KEY, lang)
        self.render_frame()
        await self.campaign_line()
        for view in self.views.values():
            view.render()
        self.update()

    async def on_logout(self, e=None) -> None:
        self.close()
        await self.app.logout()
