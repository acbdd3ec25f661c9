"""Review (审核): queue tabs, filters, a dense sortable paged table on the left, the selected item on the right.

The table holds one page (``PAGE_SIZE`` rows) from the database: queues and
filters are an ``ItemFilter`` paged and counted by the server, so 100,000
items cost what 50 do. Keys: up/down (or J/K) move through the queue, V
verifies, R opens the rejection. Checked rows can be assigned together
(``review_batch``); the table is drawn by ``review_table``.
"""

import asyncio
import logging
from dataclasses import replace
from datetime import date

import flet as ft

from inspector.domain import catalog
from inspector.domain.items import STATUSES, ItemState
from inspector.i18n import t
from inspector.services.desk import IDS_MAX, QUEUE_SORT, Filters
from inspector.ui import theme
from inspector.ui.date_field import desk_day
from inspector.ui.desk.detail import ItemPane
from inspector.ui.desk.parts import ALL, dropdown, field, fresh, office_choices, parse_day, text
from inspector.ui.desk.review_batch import Batch
from inspector.ui.desk.review_table import QueueTable, row_colour, thumb_image
from inspector.ui.desk.section import Section
from inspector.ui.guard import Guard
from inspector.ui.widgets import refresh

log = logging.getLogger(__name__)
PAGE_SIZE = 50
SCROLL_CONTEXT = 4  # rows kept above the selected one when scrolling to it
SEARCH_W, OFFICE_W, CATEGORY_W, NARROW_W, DAY_W = 210, 150, 170, 118, 124


class ReviewView(Section, QueueTable):
    def __init__(self, shell):
        super().__init__(shell)
        self.queue = "dispatch"
        self.filters = Filters()
        self.values: dict[str, str] = {}  # typed filter text: q, from, to
        self.sort: str | None = None  # None: the queue's own order
        self.page_no = 1
        self.ids: tuple[str, ...] = ()
        self.ids_title = ""
        self.counts: dict[str, int] = {}
        self.rows: list[ItemState] = []
        self.total = 0
        self.error: str | None = None
        self.selected_id: str | None = None
        self.checked: set[str] = set()
        self.sites: list = []
        self.row_controls: dict[str, ft.Container] = {}
        self.thumbs: dict[str, ft.Container] = {}
        self.more_open = False  # the second line of filters
        self.pane = ItemPane(self)
        self.batch = Batch(self)
        self.master = ft.Container(expand=5)
        self.root = ft.Row([self.master, ft.VerticalDivider(width=theme.BORDER, color=theme.LINE), self.pane.root],
                           expand=True, spacing=0, vertical_alignment=ft.CrossAxisAlignment.STRETCH)
        self.render()

    # ------------------------------------------------------------------ loading
    async def shown(self) -> None:
        if not self.loaded:
            with Guard(self.lang):  # without the sites the filters still work: the failure is only logged
                self.sites = await self.shell.call(self.desk.sites)
            await self.load()

    def current_sort(self) -> str:
        return self.sort or QUEUE_SORT[self.queue]

    async def load(self, select_first: bool = True) -> None:
        """This page of the queue and every tab's count, from the database."""
        desk, shell = self.desk, self.shell
        with self.guard(self.unreadable) as failure:
            page, counts = await asyncio.gather(
                shell.call(desk.queue, self.queue, self.filters, self.current_sort(), self.page_no, PAGE_SIZE,
                           self.ids),
                shell.call(desk.counts, self.filters))
        if not failure.failed:
            self.rows, self.total, self.counts = page.items, page.total, counts
            self.error = None
        self.loaded = True
        visible = {i.id for i in self.rows}
        self.checked &= visible
        self.render()
        self.shell.update()
        if self.selected_id not in visible and select_first and self.rows and not self.pane.pinned:
            await self.select(self.rows[0].id)
        await self.load_thumbs()

    def unreadable(self, words: str) -> None:
        self.error = words  # above the table
        self.rows, self.total = [], 0

    async def load_thumbs(self) -> None:
        app = self.shell.app
        changed = False
        for item in list(self.rows):
            box = self.thumbs.get(item.id)
            if box is None or not item.photos:
                continue
            data = await app.thumb(item.photos[0])
            if data and self.thumbs.get(item.id) is box:
                box.content = thumb_image(data)
                changed = True
        if changed:
            self.refresh()

    def refresh(self) -> None:
        refresh(self.master)

    # ------------------------------------------------------------------ controls
    def render(self) -> None:
        self.master.content = self.build_master()
        self.pane.render()

    def build_master(self) -> ft.Control:
        parts: list[ft.Control] = [self.build_tabs(), self.build_filters()]
        if self.error:
            parts.append(ft.Container(text(self.error, color=theme.DANGER, size=theme.SMALL),
                                      padding=ft.Padding.symmetric(horizontal=theme.SCREEN_PAD,
                                                                   vertical=theme.SPACE_XS)))
        if self.checked:
            parts.append(self.batch.build_bar())
        parts += [self.build_header(), self.build_rows(), self.build_pager()]
        return ft.Column(parts, spacing=0, expand=True, data=fresh())

    def build_filters(self) -> ft.Control:
        lang, f, shell = self.lang, self.filters, self.shell
        any_ = [(ALL, t("desk.filter.any", lang))]
        self.search = field(shell, self.values, "q", t("desk.filter.search", lang), width=SEARCH_W,
                            on_submit=self.apply_filters, prefix_icon=ft.Icons.SEARCH)
        self.office_filter = dropdown(t("desk.filter.office", lang), office_choices(lang, any_[0][1]),
                                      f.office or ALL, self.on_filter, width=OFFICE_W, data="office")
        self.category_filter = dropdown(t("desk.filter.category", lang),
                                        any_ + [(c.code, t(f"category.{c.code}", lang)) for c in catalog.CATEGORIES],
                                        f.category or ALL, self.on_filter, width=CATEGORY_W, data="category")
        self.status_filter = dropdown(t("desk.filter.status", lang), any_ + [(s, t(f"status.{s}", lang))
                                                                              for s in STATUSES],
                                      f.status or ALL, self.on_filter, width=NARROW_W, data="status")
        self.site_filter = dropdown(t("desk.filter.site", lang), any_ + [(s.id, s.name) for s in self.sites],
                                    f.site or ALL, self.on_filter, width=CATEGORY_W, data="site")
        self.check_filter = dropdown(t("desk.filter.check_type", lang),
                                     any_ + [(c, t(f"check_type.{c}", lang)) for c in catalog.CHECK_TYPES],
                                     f.check_type or ALL, self.on_filter, width=NARROW_W, data="check_type")
        self.from_field = desk_day(shell, self.values, "from", t("desk.filter.from", lang), width=DAY_W,
                                   on_submit=self.apply_filters, clearable=True)
        self.to_field = desk_day(shell, self.values, "to", t("desk.filter.to", lang), width=DAY_W,
                                 on_submit=self.apply_filters, clearable=True)
        self.overdue_box = ft.Chip(label=text(t("desk.filter.overdue", lang)), selected=bool(f.overdue),
                                   on_select=self.on_flag, data="overdue", disabled=self.queue == "overdue",
                                   selected_color=theme.DESK_CHOSEN_RED)
        self.rebound_box = ft.Chip(label=text(t("desk.filter.rebound", lang)), selected=bool(f.rebound),
                                   on_select=self.on_flag, data="rebound", selected_color=theme.DESK_CHOSEN_RED)
        more = sum(1 for v in (f.site, f.check_type, f.reported_from, f.reported_to, f.overdue, f.rebound) if v)
        more_label = t("desk.filter.more", lang) + (f" ({more})" if more else "")
        self.more_button = ft.TextButton(more_label, icon=ft.Icons.EXPAND_LESS if self.more_open else ft.Icons.TUNE,
                                         on_click=self.toggle_more, height=theme.DESK_BUTTON_H)
        self.apply_button = ft.FilledTonalButton(t("desk.filter.apply", lang), icon=ft.Icons.FILTER_ALT,
                                                 on_click=self.apply_filters, height=theme.DESK_BUTTON_H)
        self.clear_button = ft.TextButton(t("desk.filter.clear", lang), on_click=self.clear_filters,
                                          height=theme.DESK_BUTTON_H)
        lines = [ft.Row([self.search, self.office_filter, self.category_filter, self.status_filter],
                        spacing=theme.SPACE_M, vertical_alignment=ft.CrossAxisAlignment.CENTER),
                 ft.Row([self.more_button, self.apply_button, self.clear_button], spacing=theme.SPACE_XS)]
        if self.more_open:
            lines.insert(1, ft.Row([self.site_filter, self.check_filter, self.from_field, self.to_field,
                                    self.overdue_box, self.rebound_box], wrap=True, spacing=theme.SPACE_M,
                                   run_spacing=theme.SPACE_M, vertical_alignment=ft.CrossAxisAlignment.CENTER))
        return ft.Container(ft.Column(lines, spacing=theme.SPACE_S), bgcolor=theme.DESK_BAR_BG,
                            padding=ft.Padding(theme.SPACE_XL, theme.SPACE_L, theme.SPACE_XL, theme.SPACE_S),
                            border=ft.Border(bottom=ft.BorderSide(theme.BORDER, theme.LINE)))

    async def toggle_more(self, e=None) -> None:
        self.more_open = not self.more_open
        self.render_master()

    def build_pager(self) -> ft.Control:
        lang = self.lang
        first = (self.page_no - 1) * PAGE_SIZE + 1 if self.rows else 0
        last = (self.page_no - 1) * PAGE_SIZE + len(self.rows)
        self.prev_button = ft.IconButton(ft.Icons.CHEVRON_LEFT, on_click=self.on_prev, disabled=self.page_no <= 1,
                                         tooltip=t("desk.review.prev", lang))
        self.next_button = ft.IconButton(ft.Icons.CHEVRON_RIGHT, on_click=self.on_next, disabled=last >= self.total,
                                         tooltip=t("desk.review.next", lang))
        hint = text(t("desk.review.keys", lang), size=theme.DENSE_S, color=theme.MUTED)
        return ft.Container(
            ft.Row([text(t("desk.review.range", lang, first=first, last=last, total=self.total)),
                    self.prev_button, self.next_button, ft.Container(expand=True), hint],
                   vertical_alignment=ft.CrossAxisAlignment.CENTER),
            padding=ft.Padding.symmetric(horizontal=theme.SPACE_XL, vertical=theme.SPACE_XXS),
            bgcolor=theme.DESK_BAR_BG, border=ft.Border(top=ft.BorderSide(theme.BORDER, theme.LINE)))

    def site_name(self, site_id: str | None) -> str | None:
        if not site_id:
            return None
        return next((s.name for s in self.sites if s.id == site_id), None)

    # ------------------------------------------------------------------ selection
    async def select(self, item_id: str) -> None:
        previous = self.selected_id
        self.selected_id = item_id
        self.pane.pinned = False
        for key in (previous, item_id):
            row = self.row_controls.get(key) if key else None
            if row is not None:
                item = next((i for i in self.rows if i.id == key), None)
                row.bgcolor = row_colour(item, key == item_id, self.desk.now())
        self.refresh()
        await self.pane.load(item_id)

    async def on_row(self, e) -> None:
        if self.shell.focused:  # a tap on a row leaves the search box: the keys move through the queue again
            self.shell.release_focus(self.apply_button)
        await self.select(e.control.data)

    async def open_item(self, item_id: str) -> None:
        """Show an item from elsewhere (map, sample, chart), whether or not it is in this list."""
        await self.select(item_id)
        self.pane.pinned = item_id not in {i.id for i in self.rows}

    async def move(self, step: int) -> None:
        if not self.rows:
            return
        ids = [i.id for i in self.rows]
        index = ids.index(self.selected_id) if self.selected_id in ids else -1
        target = index + step
        if 0 <= target < len(ids):
            await self.select(ids[target])
            await self.scroll_to(target)
        elif target >= len(ids) and self.page_no * PAGE_SIZE < self.total:
            self.page_no += 1
            self.selected_id = None
            await self.load()
        elif target < 0 and self.page_no > 1:
            self.page_no -= 1
            await self.load(select_first=False)
            await self.select(self.rows[-1].id)
            await self.scroll_to(len(self.rows) - 1)

    async def scroll_to(self, index: int) -> None:
        """Keep the selected row in view; the client's answer is not waited for."""
        async def scroll():
            try:
                await self.list.scroll_to(offset=max(index - SCROLL_CONTEXT, 0) * theme.DESK_ROW_H, duration=120)
            except (RuntimeError, TimeoutError) as error:  # not on the page, or the client did not answer
                log.debug("scroll skipped: %s", error)

        self.shell.page.run_task(scroll)

    async def on_key(self, key: str) -> None:
        k = key.lower()
        if k in ("arrow down", "j"):
            await self.move(1)
        elif k in ("arrow up", "k"):
            await self.move(-1)
        elif k == "v":
            await self.pane.shortcut("verified")
        elif k == "r":
            await self.pane.shortcut("rejected")

    async def after_decision(self, item_id: str) -> None:
        """Reload the queue; when the item left it, the one now in its place is selected."""
        ids = [i.id for i in self.rows]
        index = ids.index(item_id) if item_id in ids else 0
        await self.load(select_first=False)
        now_ids = [i.id for i in self.rows]
        if item_id in now_ids or self.pane.pinned:
            await self.pane.load(item_id)
        elif now_ids:
            await self.select(now_ids[min(index, len(now_ids) - 1)])
        else:
            self.selected_id = None
            await self.pane.load(None)

    # ------------------------------------------------------------------ queues, sorting, paging
    async def on_tab(self, e) -> None:
        await self.set_queue(e.control.data)

    async def set_queue(self, name: str) -> None:
        self.queue = name
        if name != "ids":
            self.ids, self.ids_title = (), ""
        self.sort = None
        self.page_no = 1
        self.selected_id = None
        self.checked.clear()
        await self.load()

    async def show_ids(self, ids: tuple[str, ...], title: str) -> None:
        self.ids, self.ids_title = ids[:IDS_MAX], title
        self.filters = Filters()
        self.values = {}
        await self.set_queue("ids")

    async def close_ids(self, e=None) -> None:
        self.ids, self.ids_title = (), ""
        await self.set_queue("all")

    async def on_sort(self, e) -> None:
        key = e.control.data
        current = self.current_sort()
        if current.lstrip("-") == key:
            self.sort = key if current.startswith("-") else f"-{key}"
        else:
            self.sort = key
        self.page_no = 1
        await self.load(select_first=False)

    async def on_prev(self, e=None) -> None:
        if self.page_no > 1:
            self.page_no -= 1
            await self.load()

    async def on_next(self, e=None) -> None:
        if self.page_no * PAGE_SIZE < self.total:
            self.page_no += 1
            await self.load()

    # ------------------------------------------------------------------ filters
    def day(self, name: str) -> date | None:
        return parse_day(self.values.get(name))

    async def on_filter(self, e) -> None:
        value = e.control.value
        self.filters = self.with_filter(e.control.data, None if value in (None, "", ALL) else value)
        await self.apply_filters()

    def with_filter(self, name: str, value):
        return replace(self.filters, **{name: value})

    async def on_flag(self, e) -> None:
        self.filters = self.with_filter(e.control.data, True if e.control.selected else None)
        await self.apply_filters()

    async def apply_filters(self, e=None) -> None:
        try:
            first, last = self.day("from"), self.day("to")
        except ValueError:
            self.shell.snack(t("desk.filter.bad_date", self.lang), error=True)
            return
        self.filters = replace(self.filters, q=(self.values.get("q") or "").strip() or None, reported_from=first,
                               reported_to=last)
        self.page_no = 1
        typed = bool(self.shell.focused)
        await self.load()
        if typed:  # Enter in a field: the results are in front, the keys work on them
            self.shell.release_focus(self.apply_button)

    async def clear_filters(self, e=None) -> None:
        self.filters = Filters()
        self.values = {}
        self.page_no = 1
        await self.load()

    # ------------------------------------------------------------------ checked rows
    async def on_check(self, e) -> None:
        if e.control.value:
            self.checked.add(e.control.data)
        else:
            self.checked.discard(e.control.data)
        self.render_master()

    async def on_check_all(self, e) -> None:
        ids = {i.id for i in self.rows}
        if e.control.value:
            self.checked |= ids
        else:
            self.checked -= ids
        self.render_master()

    async def clear_checked(self, e=None) -> None:
        self.checked.clear()
        self.render_master()

    def render_master(self) -> None:
        self.master.content = self.build_master()
        self.refresh()

    def checked_items(self) -> list[ItemState]:
        return [i for i in self.rows if i.id in self.checked]
