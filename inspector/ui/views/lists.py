"""Lists of item cards: what every one shares (``CardSection``), the paged list (``ItemSection``: "more"
loads the next page), and a view made of sections (``SectionsView``). Thumbnails load after the rows."""

import logging
from typing import Callable, Iterable

import flet as ft

from inspector.domain.items import ItemState
from inspector.i18n import t
from inspector.store.queries import ItemFilter
from inspector.ui import theme
from inspector.ui.guard import Guard
from inspector.ui.views.base import View
from inspector.ui.widgets import ItemCard, empty_state, error_text, listing, load_thumbs, muted, section_title, tagged

log = logging.getLogger(__name__)
PAGE_SIZE = 20
MAX_SKIP_PAGES = 5  # pages fetched in one "more" when a local filter drops rows


class CardSection:
    """A titled run of item cards in a view: tap opens the item, thumbnails come after the rows."""

    def __init__(self, view: View):
        self.view = view
        self.cards: list[ItemCard] = []
        self.loaded = False
        self.error: str | None = None

    @property
    def app(self):
        return self.view.app

    def card_rows(self, entries: Iterable[tuple[ItemState, list[ft.Control]]], empty_key: str) -> list[ft.Control]:
        """The failure in words, one card per (item, extra chips), or "nothing here" once loaded."""
        out: list[ft.Control] = [error_text(self.error)] if self.error else []
        self.cards = [ItemCard(self.app, item, on_open=self.on_open, extra=extra) for item, extra in entries]
        out += [tagged(card.root, f"item-{card.item.id}") for card in self.cards]
        if self.loaded and not self.cards and not self.error:
            out.append(muted(t(empty_key, self.app.lang)))
        return out

    async def on_open(self, e) -> None:
        await self.app.open_item(e.control.data)

    async def load_thumbs(self) -> None:
        await load_thumbs(self.app, self.cards)


class ItemSection(CardSection):
    """A titled, paged list of the items ``make_filter`` asks for (``keep`` drops some here)."""

    def __init__(self, view: View, title_key: str, make_filter: Callable[[], ItemFilter],
                 keep: Callable[[ItemState], bool] | None = None,
                 order: Callable[[ItemState], object] | None = None, page_size: int = PAGE_SIZE):
        super().__init__(view)
        self.title_key, self.make_filter = title_key, make_filter
        self.keep, self.order, self.page_size = keep, order, page_size
        self.reset()

    def reset(self) -> None:
        self.items: list[ItemState] = []
        self.page = 0
        self.total = 0
        self.exhausted = False
        self.loaded = False
        self.error = None

    async def load_more(self) -> None:
        ws = self.app.ws
        with Guard(self.app.lang) as failure:  # shown in place of the list
            found = 0
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
        self.error = failure.message
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
        out += self.card_rows(((item, []) for item in self.items), "ui.list.empty")
        self.more_button = None
        if self.loaded and not self.exhausted:
            self.more_button = ft.OutlinedButton(t("ui.list.more", lang), on_click=self.on_more,
                                                 height=theme.TAP, icon=ft.Icons.EXPAND_MORE)
            out.append(ft.Row([self.more_button], alignment=ft.MainAxisAlignment.CENTER))
        return out


class SectionsView(View):
    """A tab made of sections (``reset``, ``load_more``, ``build``, ``load_thumbs``), read again when shown."""

    nothing_key = ""  # the words when the person has no sections at all

    def __init__(self, app, sections: list):
        super().__init__(app)
        self.sections = sections
        self.render()

    async def reload(self, e=None) -> None:
        for section in self.sections:
            section.reset()
            await section.load_more()
        self.render()
        for section in self.sections:
            await section.load_thumbs()

    def build(self) -> ft.Control:
        if not self.sections:
            return empty_state(t(self.nothing_key, self.lang))
        return listing([control for section in self.sections for control in section.build()])
