"""抽查: a spot checker's sample, as blind cards.

Each card shows only what a blind re-inspection may go by: the before-photo,
the category, the office, the site and the position; never the status, the
office's after-photos or anyone's verdict. Items still to check come first;
a card opens the item, where the check is recorded (``views.checks``).
"""

import logging

import flet as ft

from inspector.domain.catalog import category
from inspector.geo.distance import Point
from inspector.geo.places import format_coordinates
from inspector.i18n import t
from inspector.services.workspace import Sample, SampleEntry
from inspector.ui import theme
from inspector.ui.views.base import View
from inspector.ui.widgets import badge, empty_state, photo_box, section_title

log = logging.getLogger(__name__)


class SampleCard:
    """One drawn item, blind: before-photo, category, office, site, position; checked or still to check."""

    def __init__(self, view: "SpotView", entry: SampleEntry):
        self.view, self.entry = view, entry
        app, lang, item = view.app, view.lang, entry.item
        cached = app.thumb_cache.get(item.photos[0]) if item is not None and item.photos else None
        self.thumb = photo_box(cached, 80)
        state = (badge(t("ui.oversight.spot.checked", lang), bg="#E8F5E9", fg=theme.OK) if entry.checked
                 else badge(t("ui.oversight.spot.to_check", lang), bg="#FFF8E1", fg="#E65100"))
        if item is None:
            lines: list[ft.Control] = [ft.Text(t("ui.oversight.spot.not_here", lang), size=theme.BODY,
                                               color=theme.MUTED), ft.Row([state])]
        else:
            cat = category(item.category)
            lines = [
                ft.Row([ft.Icon(theme.category_icon(cat.icon), size=20, color=theme.PRIMARY),
                        ft.Text(t(f"category.{item.category}", lang), size=theme.BODY, weight=ft.FontWeight.BOLD,
                                expand=True, max_lines=2, overflow=ft.TextOverflow.ELLIPSIS)], spacing=6),
                ft.Text(t(f"office.{item.office}", lang), size=theme.SMALL, color=theme.MUTED),
            ]
            if site := app.site_name(item.site_id):
                lines.append(ft.Row([ft.Icon(ft.Icons.PLACE, size=16, color=theme.MUTED),
                                     ft.Text(site, size=theme.SMALL, color="#263238", expand=True)], spacing=4))
            lines.append(ft.Text(format_coordinates(Point(item.location.lat, item.location.lon)), size=theme.SMALL,
                                 color=theme.MUTED))
            lines.append(ft.Row([state], spacing=6))
        self.root = ft.Container(
            content=ft.Row([self.thumb, ft.Column(lines, spacing=4, expand=True)], spacing=12,
                           vertical_alignment=ft.CrossAxisAlignment.START),
            padding=12, bgcolor="#FFFFFF", border_radius=12, data=entry.item_id,
            border=ft.Border.all(1, "#CFD8DC" if entry.checked else "#F9A825"),
            on_click=view.on_open if item is not None else None, ink=item is not None)

    def show_thumb(self, data: bytes | None) -> None:
        self.thumb.content = photo_box(data, 80).content


class SpotView(View):
    def __init__(self, app):
        super().__init__(app)
        self.samples: list[Sample] = []
        self.loaded = False
        self.error: str | None = None
        self.cards: list[SampleCard] = []
        self.render()

    def title(self) -> str:
        return t("ui.oversight.title.spot", self.lang)

    async def shown(self) -> None:
        await self.reload()

    async def reload(self, e=None) -> None:
        try:
            self.samples = await self.app.call(self.ws.spot_samples)
            self.error = None
        except Exception as error:  # noqa: BLE001
            self.error = self.app.words(error)
        self.loaded = True
        self.render()
        await self.load_thumbs()

    async def on_open(self, e) -> None:
        await self.app.open_item(e.control.data)

    async def load_thumbs(self) -> None:
        for card in list(self.cards):
            item = card.entry.item
            if item is None or not item.photos or self.app.thumb_cache.get(item.photos[0]):
                continue
            data = await self.app.thumb(item.photos[0])
            if data:
                card.show_thumb(data)
                try:
                    card.root.update()
                except RuntimeError:
                    return

    def build(self) -> ft.Control:
        lang = self.lang
        controls: list[ft.Control] = [ft.Text(t("ui.oversight.spot.intro", lang), size=theme.BODY,
                                              color=theme.MUTED)]
        if self.error:
            controls.append(ft.Text(self.error, color=theme.DANGER, size=theme.BODY))
        self.cards = []
        for sample in self.samples:
            done = sum(1 for e in sample.entries if e.checked)
            controls.append(section_title(t("ui.oversight.spot.sample_title", lang,
                                            date=theme.local_time(sample.drawn_at, self.app.zone)[:10],
                                            done=done, total=len(sample.entries))))
            for entry in sorted(sample.entries, key=lambda e: e.checked):  # still to check first
                card = SampleCard(self, entry)
                self.cards.append(card)
                controls.append(ft.Semantics(content=card.root, identifier=f"sample-{entry.item_id}",
                                             container=True))
        if self.loaded and not self.samples and not self.error:
            controls.append(empty_state(t("ui.oversight.spot.no_sample", lang)))
        return ft.ListView(controls, expand=True, spacing=10, padding=16)
