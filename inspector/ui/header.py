"""The right side of the phone's app bar: the campaign's current phase as a small chip, and the
notice bell with its count. Tapping the bell opens the notices (``views.notices``) over the tabs.

Refreshed after login, on every tab change and back from an item; on the field
client both come from the local copy (the campaign as the last sync round kept it).
"""

import logging
from typing import TYPE_CHECKING

import flet as ft

from inspector.i18n import t
from inspector.ui import theme

if TYPE_CHECKING:
    from inspector.ui.app import App

log = logging.getLogger(__name__)


class Header:
    def __init__(self, app: "App"):
        self.app = app
        self.count: int | None = None
        self.campaign: dict | None = None
        self.phase_text = ft.Text("", size=theme.SMALL, weight=ft.FontWeight.W_600, color="#0D47A1")
        self.chip = ft.Container(self.phase_text, bgcolor="#E3F2FD", border_radius=14, visible=False,
                                 padding=ft.Padding.symmetric(horizontal=10, vertical=4),
                                 border=ft.Border.all(1, "#90CAF9"))
        self.bell = ft.IconButton(ft.Icons.NOTIFICATIONS_OUTLINED, on_click=self.open, icon_size=28,
                                  width=theme.TAP, height=theme.TAP)
        self.show()

    def controls(self) -> list[ft.Control]:
        """For ``AppBar.actions``; the same controls each time the bar is rebuilt."""
        return [self.chip, ft.Semantics(content=self.bell, identifier="notices-bell"), ft.Container(width=4)]

    def reset(self) -> None:
        self.count, self.campaign = None, None
        self.show()

    async def refresh(self) -> None:
        ws = self.app.ws
        if ws is None:
            return
        try:
            self.campaign = await self.app.call(ws.campaign)
        except Exception as error:  # noqa: BLE001 - no campaign known here: no chip
            log.info("no campaign: %s", error)
        try:
            notices = await self.app.call(ws.notices)
            self.count = len(notices)
        except Exception as error:  # noqa: BLE001 - the bell keeps its last count
            log.info("no notices: %s", error)
        self.show()

    def show_count(self, count: int | None) -> None:
        if count is not None:
            self.count = count
        self.show()

    def show(self) -> None:
        lang = self.app.lang
        phase = (self.campaign or {}).get("current_phase")
        self.chip.visible = bool(phase)
        self.phase_text.value = t("ui.oversight.phase_chip", lang, phase=t(f"phase.{phase}", lang)) if phase else ""
        count = self.count or 0
        self.bell.icon = ft.Icons.NOTIFICATIONS_ACTIVE if count else ft.Icons.NOTIFICATIONS_OUTLINED
        self.bell.icon_color = theme.DANGER if count else "#263238"
        self.bell.badge = ft.Badge(label=str(count) if count < 100 else "99+", bgcolor=theme.DANGER,
                                   text_color="#FFFFFF") if count else None
        self.bell.tooltip = t("ui.notice.bell", lang, count=count)

    def update(self) -> None:
        for control in (self.chip, self.bell):
            try:
                control.update()
            except RuntimeError:  # not on the page
                pass

    async def open(self, e=None) -> None:
        """The notices, over the tabs (the back arrow returns)."""
        from inspector.ui.views.notices import NoticesView

        app = self.app
        view = NoticesView(app)
        app.stack.append(view)
        app.render_shell()
        app.update()
        await view.load()
        app.render_shell()
        app.update()
