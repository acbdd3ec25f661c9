"""抽查: a spot checker's sample, as blind cards.

Each card shows only what a blind re-inspection may go by: the before-photo,
the category, the office, the site and the position; never the status, the
office's after-photos or anyone's verdict. Items still to check come first;
a card opens the item, where the check is recorded (``views.checks``).
"""

import flet as ft

from inspector.geo.distance import Point
from inspector.geo.places import format_coordinates
from inspector.i18n import t
from inspector.services.workspace import Sample, SampleEntry
from inspector.ui import theme
from inspector.ui.guard import Guard
from inspector.ui.views.base import View
from inspector.ui.widgets import (badge, card_box, category_line, listing, load_thumbs, muted, photo_box,
                                  section_title, tagged, waiting_badge)


class SampleCard:
    """One drawn item, blind: before-photo, category, office, site, position; checked or still to check."""

    def __init__(self, view: "SpotView", entry: SampleEntry):
        self.view, self.entry = view, entry
        app, lang, item = view.app, view.lang, entry.item
        self.photo = item.photos[0] if item is not None and item.photos else None
        self.thumb = photo_box(app.thumb_cache.get(self.photo) if self.photo else None, theme.THUMB_M)
        state = (badge(t("ui.oversight.spot.checked", lang), bg=theme.OK_BG, fg=theme.OK) if entry.checked
                 else waiting_badge(t("ui.oversight.spot.to_check", lang)))
        if item is None:
            lines: list[ft.Control] = [muted(t("ui.oversight.spot.not_here", lang)), ft.Row([state])]
        else:
            lines = [category_line(item, lang, max_lines=2), muted(t(f"office.{item.office}", lang), theme.SMALL)]
            if site := app.site_name(item.site_id):
                lines.append(ft.Row([ft.Icon(ft.Icons.PLACE, size=theme.ICON_XS, color=theme.MUTED),
                                     ft.Text(site, size=theme.SMALL, color=theme.INK, expand=True)],
                                    spacing=theme.SPACE_XS))
            lines.append(muted(format_coordinates(Point(item.location.lat, item.location.lon)), theme.SMALL))
            lines.append(ft.Row([state], spacing=theme.SPACE_S))
        self.root = card_box(lines, self.thumb, data=entry.item_id,
                             border=ft.Border.all(theme.BORDER, theme.LINE if entry.checked else theme.AMBER),
                             on_click=view.on_open if item is not None else None, ink=item is not None)

    def show_thumb(self, data: bytes | None) -> None:
        self.thumb.content = photo_box(data, theme.THUMB_M).content


class SpotView(View):
    title_key = "ui.oversight.title.spot"

    def __init__(self, app):
        super().__init__(app)
        self.samples: list[Sample] = []
        self.loaded = False
        self.error: str | None = None
        self.cards: list[SampleCard] = []
        self.render()

    async def reload(self, e=None) -> None:
        with Guard(self.lang) as failure:  # shown in place of the cards
            self.samples = await self.app.call(self.ws.spot_samples)
        self.error = failure.message
        self.loaded = True
        self.render()
        await load_thumbs(self.app, self.cards)

    async def on_open(self, e) -> None:
        await self.app.open_item(e.control.data)

    def build(self) -> ft.Control:
        lang = self.lang
        rows: list[ft.Control] = []
        self.cards = []
        for sample in self.samples:
            done = sum(1 for e in sample.entries if e.checked)
            rows.append(section_title(t("ui.oversight.spot.sample_title", lang,
                                        date=theme.local_time(sample.drawn_at, self.app.zone)[:10],
                                        done=done, total=len(sample.entries))))
            for entry in sorted(sample.entries, key=lambda e: e.checked):  # still to check first
                card = SampleCard(self, entry)
                self.cards.append(card)
                rows.append(tagged(card.root, f"sample-{entry.item_id}"))
        return listing(rows, head=[muted(t("ui.oversight.spot.intro", lang))], error=self.error,
                       empty=t("ui.oversight.spot.no_sample", lang) if self.loaded else None)
