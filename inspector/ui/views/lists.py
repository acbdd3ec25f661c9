"""A titled, paged list of item cards: "more" loads the next page; thumbnails load after the rows."""

import logging
from typing import Callable

import flet as ft

from inspector.domain.items import ItemState
from inspector.i18n import t
from inspector.store.queries import ItemFilter
from inspector.ui import theme
from inspector.ui.widgets import ItemCard, section_title

log = logging.getLogger(__name__)
PAGE_SIZE = 20
MAX_SKIP_PAGES = 5  # pages fetched in one "more" when a local filter drops rows


class ItemSection:
    def __init__(self, view, title_key: str, make_filter: Callable[[], ItemFilter],
                 keep: Callable[[ItemState], bool] | None = None,
                 order: Callable[[ItemState], object] | None = None, page_size: int = PAGE_SIZE):
        self.view, self.title_key, self.make_filter = view, title_key, make_filter
        self.keep, self.order, self.page_size = keep, order, page_size
        self.reset()

    def reset(self) -> None:
        self.items: list[ItemState] = []
        self.page = 0
        self.total = 0
        self.exhausted = False
        self.loaded = False
        self.error: str | None = None

    @property
    def app(self):
        return self.view.app

    async def load_more(self) -> None:
        ws = self.app.ws
        found = 0
        try:
            for _ in range(MAX_SKIP_PAGES):
                self.page += 1
                result = await self.app.call(ws.list_items, self.make_filter(), self.page, self.page_size)
                self.total = result.total
                rows = [i for i in result.items if self.keep is None or self.keep(i)]
                known = {i.id for i in self.items}
                self.items += [i for i in rows if i.id not in known]
                found += len(rows)
                self.exhausted = self.page * self.page_size >= result.total or not result.items
                if self.exhausted or found >= self.page_size // 2 or self.keep is None:
                    break
            self.error = None
        except Exception as error:  # noqa: BLE001 - shown in place of the list
            self.error = self.app.words(error)
        if self.order is not None:
            self.items.sort(key=self.order)
        self.loaded = True

    async def on_more(self, e=None) -> None:
        await self.load_more()
        self.view.render()
        await self.load_thumbs()

    def count(self) -> int:
        return len(self.items) if self.keep is not None else self.total

    def build(self) -> list[ft.Control]:
        lang = self.app.lang
        out: list[ft.Control] = [section_title(t(self.title_key, lang, count=self.count()))]
        if self.error:
            out.append(ft.Text(self.error, color=theme.DANGER, size=theme.BODY))
        self.cards = []
        for item in self.items:
            card = ItemCard(self.app, item, on_open=self.on_open)
            card.root.data = item.id
            thumb = self.app.thumb_cache.get(item.photos[0]) if item.photos else None
            if thumb:
                card.show_thumb(thumb)
            self.cards.append(card)
            out.append(ft.Semantics(content=card.root, identifier=f"item-{item.id}", container=True))
        if self.loaded and not self.items and not self.error:
            out.append(ft.Text(t("ui.list.empty", lang), size=theme.BODY, color=theme.MUTED))
        self.more_button = None
        if self.loaded and not self.exhausted:
            self.more_button = ft.OutlinedButton(t("ui.list.more", lang), on_click=self.on_more,
                                                 height=theme.TAP, icon=ft.Icons.EXPAND_MORE)
            out.append(ft.Row([self.more_button], alignment=ft.MainAxisAlignment.CENTER))
        return out

    async def on_open(self, e) -> None:
        await self.app.open_item(e.control.data)

    async def load_thumbs(self) -> None:
        """Thumbnails after the rows are up: each one off the event loop, a placeholder when missing."""
        for card in list(getattr(self, "cards", [])):
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
