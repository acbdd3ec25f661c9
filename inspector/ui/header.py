"""The right side of the phone's app bar: the campaign's current phase as a small chip, and the
notice bell with its count. Tapping the bell opens the notices (``views.notices``) over the tabs.

Refreshed after login, on every tab change and back from an item; on the field
client both come from the local copy (the campaign as the last sync round kept it).
"""

from typing import TYPE_CHECKING

import flet as ft

from inspector.i18n import t
from inspector.ui import theme
from inspector.ui.views.notices import NoticesView
from inspector.ui.widgets import refresh

if TYPE_CHECKING:
    from inspector.ui.app import App

MAX_COUNT = 99  # the badge shows "99+" past this


class Header:
    def __init__(self, app: "App"):
        self.app = app
        self.count: int | None = None
        self.campaign: dict | None = None
        self.phase_text = ft.Text("", size=theme.SMALL, weight=ft.FontWeight.W_600, color=theme.INFO_INK)
        self.chip = ft.Container(self.phase_text, bgcolor=theme.INFO_BG, border_radius=theme.RADIUS_PILL,
                                 visible=False,
                                 padding=ft.Padding.symmetric(horizontal=theme.SPACE_L, vertical=theme.SPACE_XS),
                                 border=ft.Border.all(theme.BORDER, theme.INFO_LINE))
        self.bell = ft.IconButton(ft.Icons.NOTIFICATIONS_OUTLINED, on_click=self.open, icon_size=theme.ICON_XL,
                                  width=theme.TAP, height=theme.TAP)
        self.show()

    def controls(self) -> list[ft.Control]:
        """For ``AppBar.actions``; the same controls each time the bar is rebuilt."""
        # the badge stands out past the bell's right edge: room for "99+" before the screen's edge
        return [self.chip, ft.Semantics(content=self.bell, identifier="notices-bell"),
                ft.Container(width=theme.SPACE_XXL)]

    def reset(self) -> None:
        self.count, self.campaign = None, None
        self.show()

    async def refresh(self) -> None:
        """Read the phase and the notice count again; a failure is shown, the last values stay."""
        ws = self.app.ws
        if ws is None:
            return
        with self.app.guard():
            self.campaign = await self.app.call(ws.campaign)
        with self.app.guard():
            self.count = len(await self.app.call(ws.notices))
        self.show()

    def show_count(self, count: int | None) -> None:
        if count is not None:
            self.count = count
        self.show()

    def show(self) -> None:
        lang = self.app.lang
        phase = (self.campaign or {}).get("current_phase")
        self.chip.visible = bool(phase)
        self.phase_text.value = t("ui.oversight.phase_chip", lang, phase=t(f"phase_short.{phase}", lang)) if phase else ""
        count = self.count or 0
        self.bell.icon = ft.Icons.NOTIFICATIONS_ACTIVE if count else ft.Icons.NOTIFICATIONS_OUTLINED
        self.bell.icon_color = theme.DANGER if count else theme.INK
        self.bell.badge = ft.Badge(label=str(count) if count <= MAX_COUNT else f"{MAX_COUNT}+",
                                   bgcolor=theme.DANGER, text_color=theme.ON_DANGER) if count else None
        self.bell.tooltip = t("ui.notice.bell", lang, count=count)

    def update(self) -> None:
        for control in (self.chip, self.bell):
            refresh(control)

    async def open(self, e=None) -> None:
        """The notices, over the tabs (the back arrow returns)."""
        await self.app.open(NoticesView(self.app))
