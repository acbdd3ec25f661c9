"""An inspector's look-backs (回头看) due: nearest first from where the phone is, each with its distance
and how long until (or since) it is due. Without a GPS fix the list is ordered by due date.

A ``lists.CardSection`` with the section's shape (reset, load_more, build, load_thumbs), so the to-do
view takes it like the others.
"""

import flet as ft

from inspector.i18n import t
from inspector.ui import theme
from inspector.ui.guard import Guard
from inspector.ui.views.lists import CardSection
from inspector.ui.widgets import badge, muted, section_title

WITHIN_DAYS = 2  # due within two days, or overdue


class LookBackSection(CardSection):
    def __init__(self, view):
        super().__init__(view)
        self.reset()

    def reset(self) -> None:
        self.rows: list[tuple] = []  # (ItemState, distance_m | None)
        self.fix = None
        self.loaded = False
        self.error = None
        self.cards = []

    @property
    def items(self):
        return [item for item, _ in self.rows]

    async def load_more(self) -> None:
        self.fix = await self.app.devices.locator().locate()
        lat, lon = (self.fix.lat, self.fix.lon) if self.fix else (None, None)
        with Guard(self.app.lang) as failure:  # shown in place of the list
            self.rows = await self.app.call(self.app.ws.look_backs_due, lat, lon, WITHIN_DAYS)
        self.error = failure.message
        self.loaded = True

    def build(self) -> list[ft.Control]:
        lang = self.app.lang
        out: list[ft.Control] = [section_title(t("ui.oversight.look_back.list_title", lang, count=len(self.rows)))]
        if self.loaded:
            if self.fix is not None:
                accuracy = "" if self.fix.accuracy_m is None else f" ±{self.fix.accuracy_m:.0f} m"
                where = t("ui.oversight.look_back.by_distance", lang, accuracy=accuracy)
            else:
                where = t("ui.oversight.look_back.no_fix", lang)
            out.append(ft.Row([ft.Icon(ft.Icons.MY_LOCATION if self.fix else ft.Icons.LOCATION_DISABLED,
                                       size=theme.ICON_S, color=theme.MUTED),
                               muted(where, theme.SMALL, expand=True)], spacing=theme.SPACE_S))
        out += self.card_rows(((item, self.distance_badge(metres)) for item, metres in self.rows),
                              "ui.oversight.look_back.none")
        return out

    @staticmethod
    def distance_badge(metres: float | None) -> list[ft.Control]:
        words = theme.distance_words(metres)
        return [] if words is None else [badge(words, bg=theme.INFO_BG, fg=theme.PRIMARY)]
