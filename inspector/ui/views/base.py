"""What every screen shares: its root container, its title, rebuild on demand, safe update."""

from typing import TYPE_CHECKING

import flet as ft

from inspector.i18n import t
from inspector.ui.widgets import refresh

if TYPE_CHECKING:
    from inspector.ui.app import App


class View:
    title_key = ""  # the app bar's words for this screen (``title`` may say more)

    def __init__(self, app: "App"):
        self.app = app
        self.root = ft.Container(expand=True)

    @property
    def lang(self) -> str:
        return self.app.lang

    def title(self) -> str:
        return t(self.title_key, self.lang) if self.title_key else ""

    @property
    def ws(self):
        """The logged-in person's workspace (None once they logged out)."""
        return self.app.ws

    def build(self) -> ft.Control:
        raise NotImplementedError

    def render(self) -> None:
        """Rebuild the controls from the view's state (language switch, new data)."""
        self.root.content = self.build()
        self.refresh()

    def refresh(self) -> None:
        refresh(self.root)  # not on the page when another tab is showing: nothing to send

    async def shown(self) -> None:
        """Called each time the tab comes to the front: read the data again."""
        await self.reload()

    async def reload(self, e=None) -> None:
        """Read the view's data again and show it (nothing to read by default)."""
