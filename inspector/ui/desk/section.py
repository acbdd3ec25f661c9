"""What every section of the desk (a destination of its rail) shares: its shell, a root it redraws, one guard.

A section is built the first time it is shown and kept. ``shown`` is called
each time it comes to the front (it loads the first time); ``render`` draws
``build()`` afresh into ``root``. Every action that can fail runs inside
``guard(show)``: a refusal the rules know is shown in words, anything else
is logged and shown as "something went wrong".
"""

from typing import TYPE_CHECKING, Callable

import flet as ft

from inspector.ui import theme
from inspector.ui.desk.parts import fresh
from inspector.ui.guard import Guard
from inspector.ui.widgets import refresh

if TYPE_CHECKING:
    from inspector.ui.desk.shell import DeskShell


class Section:
    def __init__(self, shell: "DeskShell"):
        self.shell, self.desk = shell, shell.desk
        self.loaded = False
        self.root = ft.Container(expand=True, bgcolor=theme.PAGE_BG)

    @property
    def lang(self) -> str:
        return self.shell.lang

    async def shown(self) -> None:
        """Called each time the section comes to the front; the first time, it loads."""
        if not self.loaded:
            await self.load()

    async def load(self) -> None:
        """Read what the section shows, then draw it."""
        self.loaded = True
        self.render()

    def build(self) -> ft.Control:
        raise NotImplementedError

    def render(self) -> None:
        """Draw the section afresh from its state (new data, another language)."""
        self.root.content = ft.Container(self.build(), expand=True, data=fresh())
        refresh(self.root)

    def guard(self, show: Callable[[str], None] | None = None) -> Guard:
        """A ``Guard`` in the desk's language; without ``show`` the failure goes to a red snackbar."""
        return Guard(self.lang, show if show is not None else self.warn)

    def warn(self, words: str) -> None:
        self.shell.snack(words, error=True)
