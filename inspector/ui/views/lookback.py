"""An inspector's look-backs (回头看) due: nearest first from where the phone is, each with its distance
and how long until (or since) it is due. Without a GPS fix the list is ordered by due date.

Shaped like ``lists.ItemSection`` (reset, load_more, build, load_thumbs) so the to-do view takes either.
"""

import logging

import flet as ft

from inspector.i18n import t
from inspector.ui import theme
from inspector.ui.widgets import ItemCard, badge, section_title

log = logging.getLogger(__name__)
WITHIN_DAYS = 2  # due within two days, or overdue


class LookBackSection:
    def __init__(self, view):
        self.view = view
        self.reset()

    @property
    def app(self):
        return self.view.app

    def reset(self) -> None:
        self.rows: list[tuple] = []  # (ItemState, distance_m | None)
        self.fix = None
        self.loaded = False
        self.error: str | None = None
        self.cards: list[ItemCard] = []

    @property
    def items(self):
        return [item for item, _ in self.rows]

    async def load_more(self) -> None:
        self.fix = await self.app.devices.locator().locate()
        lat, lon = (self.fix.lat, self.fix.lon) if self.fix else (None, None)
        try:
            self.rows = await self.app.call(self.app.ws.look_backs_due, lat, lon, WITHIN_DAYS)
            self.error = None
        except Exception as error:  # noqa: BLE001 - shown in place of the list
            self.error = self.app.words(error)
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
                                       size=18, color=theme.MUTED),
                               ft.Text(where, size=theme.SMALL, color=theme.MUTED, expand=True)], spacing=6))
        if self.error:
            out.append(ft.Text(self.error, color=theme.DANGER, size=theme.BODY))
        self.cards = []
        for item, metres in self.rows:
            extra = []
            if (words := theme.distance_words(metres)) is not None:
                extra.append(badge(words, bg="#E3F2FD", fg=theme.PRIMARY))
            card = ItemCard(self.app, item, on_open=self.on_open, extra=extra)
            card.root.data = item.id
            if item.photos and (thumb := self.app.thumb_cache.get(item.photos[0])):
                card.show_thumb(thumb)
            self.cards.append(card)
            out.append(ft.Semantics(content=card.root, identifier=f"item-{item.id}", container=True))
        if self.loaded and not self.rows and not self.error:
            out.append(ft.Text(t("ui.oversight.look_back.none", lang), size=theme.BODY, color=theme.MUTED))
        return out

    async def on_open(self, e) -> None:
        await self.app.open_item(e.control.data)

    async def load_thumbs(self) -> None:
        for card in list(self.cards):
            item = card.item
            if not item.photos or self.app.thumb_cache.get(item.photos[0]):
                continue
            data = await self.app.thumb(item.photos[0])
            if data:
                card.show_thumb(data)
                try:
                    card.root.update()
                except RuntimeError:
                    return
