"""What every screen shares: its root container, rebuild on demand, safe update."""

from typing import TYPE_CHECKING

import flet as ft

if TYPE_CHECKING:
    from inspector.ui.app import App


class View:
    def __init__(self, app: "App"):
        self.app = app
        self.root = ft.Container(expand=True)

    @property
    def lang(self) -> str:
        return self.app.lang

    @property
    def ws(self):
        return self.app.ws

    def title(self) -> str:
        return ""

    def build(self) -> ft.Control:
        raise NotImplementedError

    def render(self) -> None:
        """Rebuild the controls from the view's state (language switch, new data)."""
        self.root.content = self.build()
        self.refresh()

    def refresh(self) -> None:
        try:
            self.root.update()
        except RuntimeError:  # not on the page (another tab is showing)
            pass

    async def shown(self) -> None:
        """Called each time the tab comes to the front."""
