"""Where a message shows and when it goes: the one rule for the phone's words after an action.

- **Where.** A message is a banner in the shell's column, under the sync bar
  and above the screen (``App.enter`` puts ``Messages.root`` there). It takes
  its own room in the layout, so it never floats over a screen's buttons: the
  bottom bar with 保存 / 签收 / 核查通过 stays where it was and can be tapped.
  Where there is no phone shell (the login screen, the desk) the message is a
  floating snackbar, as before. Field errors are not messages: they sit by
  their field (``error_text`` of a ``TextField``, ``field_error`` under a
  control) and the view clears them when the field changes.
- **When it goes.** After ``SHOW_S`` (``SHOW_ERROR_S`` for a failure, to be
  read), when the person closes it, when its cause goes (``clear(cause)``: the
  view that said "请先拍照" with ``cause="report.photo"`` clears it when a photo
  is added), and on navigation (``App.show_tab``/``open``/``on_back`` call
  ``clear()``): a message never follows the person to another screen.

``history`` keeps every text shown (tests read it; nothing else does).
"""

import asyncio
from typing import TYPE_CHECKING

import flet as ft

from inspector.i18n import t
from inspector.ui import theme
from inspector.ui.widgets import refresh

if TYPE_CHECKING:
    from inspector.ui.app import App

SHOW_S, SHOW_ERROR_S = 4, 6  # how long a message stays: a failure longer, to be read


def field_error(words: str | None) -> ft.Text:
    """A field's error on the line under it (hidden when there is none)."""
    return ft.Text(words or "", size=theme.SMALL, color=theme.DANGER, visible=bool(words),
                   weight=ft.FontWeight.W_600)


class Messages:
    """The shell's message banner (see the module's docstring for the rule)."""

    def __init__(self, app: "App"):
        self.app = app
        self.attached = False  # the banner is in the phone shell's column (else: a snackbar)
        self.cause: str | None = None
        self.error = False
        self.serial = 0  # bumps with every message: a timer only hides the one it was set for
        self.history: list[str] = []
        self.text = ft.Text("", size=theme.BODY, color=theme.ON_COLOUR, weight=ft.FontWeight.W_600, expand=True)
        self.icon = ft.Icon(ft.Icons.CHECK_CIRCLE, color=theme.ON_COLOUR, size=theme.ICON_L)
        self.close = ft.IconButton(ft.Icons.CLOSE, icon_color=theme.ON_COLOUR, on_click=self.on_close,
                                   width=theme.TAP, height=theme.TAP)
        self.box = ft.Container(
            ft.Row([self.icon, self.text, self.close], spacing=theme.SPACE_M),
            padding=ft.Padding(theme.SPACE_XL, theme.SPACE_XS, theme.SPACE_XS, theme.SPACE_XS),
            bgcolor=theme.INK)
        # Hidden on the wrapper: Flet's Semantics must have a visible content.
        self.root = ft.Semantics(content=self.box, identifier="message", container=True, live_region=True,
                                 visible=False)

    @property
    def showing(self) -> str | None:
        """The words shown now, or None."""
        return self.text.value if self.root.visible else None

    def show(self, words: str, error: bool = False, cause: str | None = None) -> None:
        """Say ``words``; ``cause`` names what it is about, for ``clear(cause)`` when that goes."""
        self.history.append(words)
        if not self.attached:
            self._snack(words, error)
            return
        self.serial += 1
        self.cause, self.error = cause, error
        self.text.value = words
        self.icon.name = ft.Icons.ERROR_OUTLINE if error else ft.Icons.CHECK_CIRCLE
        self.box.bgcolor = theme.DANGER if error else theme.INK
        self.close.tooltip = t("ui.message.close", self.app.lang)
        self.root.visible = True
        refresh(self.root)
        if self.app.background:  # unit tests clear by cause and navigation, never by a timer
            self.app.page.run_task(self._hide_later, self.serial, SHOW_ERROR_S if error else SHOW_S)

    def clear(self, cause: str | None = None) -> bool:
        """Hide the message (only if it is about ``cause``, when given); True when one was hidden."""
        if not self.root.visible or (cause is not None and cause != self.cause):
            return False
        self.root.visible = False
        self.cause = None
        refresh(self.root)
        return True

    async def on_close(self, e=None) -> None:
        self.clear()

    async def _hide_later(self, serial: int, seconds: float) -> None:
        await asyncio.sleep(seconds)
        if serial == self.serial:
            self.clear()

    def _snack(self, words: str, error: bool) -> None:
        self.app.page.show_dialog(ft.SnackBar(
            ft.Text(words, size=theme.BODY, color=theme.ON_COLOUR),
            bgcolor=theme.DANGER if error else theme.INK, behavior=ft.SnackBarBehavior.FLOATING,
            duration=ft.Duration(seconds=SHOW_ERROR_S if error else SHOW_S), show_close_icon=True))
