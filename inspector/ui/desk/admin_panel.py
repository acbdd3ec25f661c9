"""What the cards of Admin (设置) share: the screen's typed values and messages, who may change things, dates.

Each card (campaign, delegations, samples, rounds) is a ``Panel``: its own
state, ``load`` and ``build``, and actions that say how they went under
the card (``say``; a failure also in a red snackbar). The typed values of
every card live in the one ``AdminView.values``, so a redraw keeps them.
"""

from datetime import date
from typing import TYPE_CHECKING

import flet as ft

from inspector.i18n import t
from inspector.ui import theme
from inspector.ui.desk.parts import outcome, parse_day, text
from inspector.ui.guard import Guard

if TYPE_CHECKING:
    from inspector.ui.desk.admin import AdminView

DAY_W = 170  # a date field: "Nov 30, 2026" and its calendar button
CHECKER_W = 220  # the spot checker dropdown
CARD_PAD = theme.SCREEN_PAD


class Panel:
    name = ""  # the key of its message in ``AdminView.messages``

    def __init__(self, admin: "AdminView"):
        self.admin, self.shell, self.desk = admin, admin.shell, admin.desk
        self.values = admin.values
        self.is_admin = admin.is_admin  # the person logged in stays who they are for the screen's life

    @property
    def lang(self) -> str:
        return self.shell.lang

    async def load(self) -> None:
        """Read what the card shows (the screen draws it when every card has read)."""

    def build(self) -> ft.Control:
        raise NotImplementedError

    def render(self) -> None:
        self.admin.render()

    # ------------------------------------------------------------------ saying how it went
    def say(self, words: str, error: bool = False) -> None:
        self.admin.say(self.name, words, error)

    def failed(self, words: str) -> None:
        self.say(words, error=True)

    def guard(self) -> Guard:
        """A ``Guard`` whose failure is said under this card."""
        return Guard(self.lang, self.failed)

    def message(self) -> list[ft.Control]:
        if self.name not in self.admin.messages:
            return []
        return [outcome(*self.admin.messages[self.name])]

    def admin_only(self) -> list[ft.Control]:
        return [] if self.is_admin else [text(t("desk.admin.admin_only", self.lang), color=theme.WARN)]

    # ------------------------------------------------------------------ what the cards read
    def days(self, *names: str, needed: bool = False) -> tuple[date | None, ...] | None:
        """The typed days ``names`` (None for an empty one unless ``needed``); None, said, when one is not a day."""
        try:
            days = tuple(parse_day(self.values.get(name)) for name in names)
        except ValueError:
            days = None
        if days is None or (needed and None in days):
            self.failed(t("desk.filter.bad_date", self.lang))
            self.render()
            return None
        return days

    def checker_name(self, user_id: str) -> str:
        return next((c.display_name or c.username for c in self.admin.checkers if c.id == user_id), user_id[:8])

    def checker_choices(self) -> list[tuple[str, str]]:
        return [(c.id, c.display_name or c.username) for c in self.admin.checkers]

    async def on_choice(self, e) -> None:
        """A dropdown's choice into ``values`` under its ``data``."""
        self.values[e.control.data] = e.control.value or ""
