"""Review (审核): queue tabs, filters, a dense sortable paged table on the left, the selected item on the right.

The table holds one page (``PAGE_SIZE`` rows) from the database: queues and
filters are an ``ItemFilter`` paged and counted by the server, so 100,000
items cost what 50 do. Keys: up/down (or J/K) move through the queue, V
verifies, R opens the rejection. Checked rows can be assigned together.
"""

import asyncio
import logging
from datetime import date

import flet as ft

from inspector.domain import catalog
from inspector.domain.items import STATUSES, ItemState
from inspector.i18n import t
from inspector.services.desk import QUEUE_SORT, QUEUES, Filters
from inspector.ui import theme
from inspector.ui.desk.detail import ItemPane
from inspector.ui.desk.dialogs import FormDialog
from inspector.ui.desk.parts import (ALL, HEADER_BG, LINE, SELECTED_ROW, age_words, cut, dropdown, field, fresh,
                                     office_short, parse_day, status_tag, tag, text)
from inspector.ui.widgets import item_number

log = logging.getLogger(__name__)
PAGE_SIZE = 50
# column: (width or None for a share of the rest, sort key or None)
COLUMNS = {
    "check": (36, None),
    "thumb": (46, None),
    "number": (112, "number"),
    "category": (None, "category"),
    "office": (70, "office"),
    "site": (None, None),
    "status": (78, "status"),
    "deadline": (84, "deadline"),
    "age": (56, "reported_at"),
}
SHARES = {"category": 3, "site": 2}
QUEUE_COLOURS = {"overdue": theme.OVERDUE, "disputed": "#6A1B9A", "verify": "#6A1B9A", "dispatch": theme.PRIMARY,
                 "extension": "#E65100", "all": "#455A64", "ids": "#455A64"}


class ReviewView:
    def __init__(self, shell):
        self.shell, self.desk = shell, shell.desk
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
        self.loaded = False
        self.more_open = False  # the second line of filters
        self.pane = ItemPane(self)
        self.master = ft.Container(expand=5)
        self.root = ft.Row([self.master, ft.VerticalDivider(width=1, color=LINE), self.pane.root], expand=True,
                           spacing=0, vertical_alignment=ft.CrossAxisAlignment.STRETCH)
        self.render()

    @property
    def lang(self) -> str:
        return self.shell.lang

    # ------------------------------------------------------------------ loading
    async def shown(self) -> None:
        if not self.loaded:
            try:
                self.sites = await self.shell.call(self.desk.sites)
            except Exception as error:  # noqa: BLE001 - filters without sites
                log.info("no sites: %s", error)
            await self.load()

    def current_sort(self) -> str:
        return self.sort or QUEUE_SORT[self.queue]

    async def load(self, select_first: bool = True) -> None:
        """This page of the queue and every tab's count, from the database."""
        desk, shell = self.desk, self.shell
        try:
            page, counts = await asyncio.gather(
                shell.call(desk.queue, self.queue, self.filters, self.current_sort(), self.page_no, PAGE_SIZE,
                           self.ids),
                shell.call(desk.counts, self.filters))
            self.rows, self.total, self.counts = page.items, page.total, counts
            self.error = None
        except Exception as error:  # noqa: BLE001 - shown above the table
            self.error = shell.words(error)
            self.rows, self.total = [], 0
        self.loaded = True
        visible = {i.id for i in self.rows}
        self.checked &= visible
        self.render()
        self.shell.update()
        if self.selected_id not in visible and select_first and self.rows and not self.pane.pinned:
            await self.select(self.rows[0].id)
        await self.load_thumbs()

    async def load_thumbs(self) -> None:
        app = self.shell.app
        changed = False
        for item in list(self.rows):
            box = self.thumbs.get(item.id)
            if box is None or not item.photos:
                continue
            data = await app.thumb(item.photos[0])
            if data and self.thumbs.get(item.id) is box:
                box.content = ft.Image(src=data, width=40, height=40, fit=ft.BoxFit.COVER, border_radius=4)
                changed = True
        if changed:
            self.refresh()

    def refresh(self) -> None:
        try:
            self.master.update()
        except RuntimeError:  # another section is in front
            pass

    # ------------------------------------------------------------------ controls
    def render(self) -> None:
        self.master.content = self.build_master()
        self.pane.render()

    def build_master(self) -> ft.Control:
        parts: list[ft.Control] = [self.build_tabs(), self.build_filters()]
        if self.error:
            parts.append(ft.Container(text(self.error, color=theme.DANGER, size=14), padding=ft.Padding(16, 4, 16, 4)))
        if self.checked:
            parts.append(self.build_batch_bar())
        parts += [self.build_header(), self.build_rows(), self.build_pager()]
        return ft.Column(parts, spacing=0, expand=True, data=fresh())

    def build_tabs(self) -> ft.Control:
        lang = self.lang
        self.tab_controls: dict[str, ft.Container] = {}
        tabs = []
        names = list(QUEUES) + (["ids"] if self.ids else [])
        for name in names:
            selected = name == self.queue
            count = len(self.ids) if name == "ids" else self.counts.get(name)
            colour = QUEUE_COLOURS[name]
            label = self.ids_title if name == "ids" else t(f"desk.queue.{name}", lang)
            urgent = name in ("overdue", "disputed") and bool(count)
            badge = ft.Container(
                text("" if count is None else str(count), size=12, weight=ft.FontWeight.BOLD,
                     color="#FFFFFF" if urgent or selected else colour),
                bgcolor=colour if urgent or selected else "#FFFFFF", border_radius=10,
                padding=ft.Padding.symmetric(horizontal=7, vertical=1), border=ft.Border.all(1, colour))
            inner = [text(label, size=14, weight=ft.FontWeight.BOLD if selected else ft.FontWeight.W_500,
                          color=colour if selected or urgent else "#37474F"), badge]
            if name == "ids":
                inner.append(ft.IconButton(ft.Icons.CLOSE, icon_size=16, on_click=self.close_ids, width=28, height=28,
                                           tooltip=t("desk.review.close_ids", lang)))
            tab = ft.Container(
                ft.Row(inner, spacing=6, tight=True), data=name, on_click=self.on_tab, ink=True,
                padding=ft.Padding(12, 10, 12, 8),
                border=ft.Border(bottom=ft.BorderSide(3, colour if selected else "transparent")))
            self.tab_controls[name] = tab
            tabs.append(ft.Semantics(content=tab, identifier=f"queue-{name}", button=True, container=True))
        return ft.Container(ft.Row(tabs, spacing=2, scroll=ft.ScrollMode.AUTO), bgcolor="#FFFFFF",
                            border=ft.Border(bottom=ft.BorderSide(1, LINE)), padding=ft.Padding(8, 0, 8, 0))

    def build_filters(self) -> ft.Control:
        lang, f, shell = self.lang, self.filters, self.shell
        any_ = [(ALL, t("desk.filter.any", lang))]
        self.search = field(shell, self.values, "q", t("desk.filter.search", lang), width=210,
                            on_submit=self.apply_filters, prefix_icon=ft.Icons.SEARCH)
        self.office_filter = dropdown(t("desk.filter.office", lang),
                                      any_ + [(o.code, t(f"office.{o.code}", lang)) for o in catalog.OFFICES],
                                      f.office or ALL, self.on_filter, width=150, data="office")
        self.category_filter = dropdown(t("desk.filter.category", lang),
                                        any_ + [(c.code, t(f"category.{c.code}", lang)) for c in catalog.CATEGORIES],
                                        f.category or ALL, self.on_filter, width=170, data="category")
        self.status_filter = dropdown(t("desk.filter.status", lang), any_ + [(s, t(f"status.{s}", lang))
                                                                              for s in STATUSES],
                                      f.status or ALL, self.on_filter, width=118, data="status")
        self.site_filter = dropdown(t("desk.filter.site", lang), any_ + [(s.id, s.name) for s in self.sites],
                                    f.site or ALL, self.on_filter, width=170, data="site")
        self.check_filter = dropdown(t("desk.filter.check_type", lang),
                                     any_ + [(c, t(f"check_type.{c}", lang)) for c in catalog.CHECK_TYPES],
                                     f.check_type or ALL, self.on_filter, width=118, data="check_type")
        self.from_field = field(shell, self.values, "from", t("desk.filter.from", lang), width=124,
                                on_submit=self.apply_filters, hint_text="2026-07-01")
        self.to_field = field(shell, self.values, "to", t("desk.filter.to", lang), width=124,
                              on_submit=self.apply_filters, hint_text="2026-07-31")
        self.overdue_box = ft.Chip(label=text(t("desk.filter.overdue", lang)), selected=bool(f.overdue),
                                   on_select=self.on_flag, data="overdue", disabled=self.queue == "overdue",
                                   selected_color="#FFCDD2")
        self.rebound_box = ft.Chip(label=text(t("desk.filter.rebound", lang)), selected=bool(f.rebound),
                                   on_select=self.on_flag, data="rebound", selected_color="#FFCDD2")
        more = sum(1 for v in (f.site, f.check_type, f.reported_from, f.reported_to, f.overdue, f.rebound) if v)
        more_label = t("desk.filter.more", lang) + (f" ({more})" if more else "")
        self.more_button = ft.TextButton(more_label, icon=ft.Icons.EXPAND_LESS if self.more_open else ft.Icons.TUNE,
                                         on_click=self.toggle_more, height=36)
        self.apply_button = ft.FilledTonalButton(t("desk.filter.apply", lang), icon=ft.Icons.FILTER_ALT,
                                                 on_click=self.apply_filters, height=36)
        self.clear_button = ft.TextButton(t("desk.filter.clear", lang), on_click=self.clear_filters, height=36)
        lines = [ft.Row([self.search, self.office_filter, self.category_filter, self.status_filter], spacing=8,
                        vertical_alignment=ft.CrossAxisAlignment.CENTER),
                 ft.Row([self.more_button, self.apply_button, self.clear_button], spacing=4)]
        if self.more_open:
            lines.insert(1, ft.Row([self.site_filter, self.check_filter, self.from_field, self.to_field,
                                    self.overdue_box, self.rebound_box], wrap=True, spacing=8, run_spacing=8,
                                   vertical_alignment=ft.CrossAxisAlignment.CENTER))
        return ft.Container(ft.Column(lines, spacing=6), padding=ft.Padding(12, 10, 12, 6), bgcolor="#FAFBFC",
                            border=ft.Border(bottom=ft.BorderSide(1, LINE)))

    async def toggle_more(self, e=None) -> None:
        self.more_open = not self.more_open
        self.render_master()

    def build_batch_bar(self) -> ft.Control:
        lang = self.lang
        self.batch_button = ft.FilledButton(t("desk.batch.assign", lang), icon=ft.Icons.ASSIGNMENT_IND,
                                            on_click=self.open_batch, height=34)
        return ft.Container(
            ft.Row([text(t("desk.batch.selected", lang, count=len(self.checked)), size=14, weight=ft.FontWeight.BOLD,
                         color=theme.PRIMARY),
                    self.batch_button,
                    ft.TextButton(t("desk.batch.clear", lang), on_click=self.clear_checked, height=34)], spacing=12),
            bgcolor="#E3F2FD", padding=ft.Padding(12, 6, 12, 6))

    def cell(self, name: str, content: ft.Control) -> ft.Control:
        width, _ = COLUMNS[name]
        if width is None:
            return ft.Container(content, expand=SHARES[name], padding=ft.Padding(4, 0, 4, 0))
        return ft.Container(content, width=width, padding=ft.Padding(4, 0, 4, 0))

    def build_header(self) -> ft.Control:
        lang, current = self.lang, self.current_sort()
        key, descending = current.lstrip("-"), current.startswith("-")
        page_ids = {i.id for i in self.rows}
        self.check_all = ft.Checkbox(value=bool(page_ids) and page_ids <= self.checked, on_change=self.on_check_all,
                                     tooltip=t("desk.batch.all_on_page", lang))
        cells = []
        for name, (_, sort_key) in COLUMNS.items():
            if name == "check":
                cells.append(self.cell(name, self.check_all))
                continue
            label = text(t(f"desk.col.{name}", lang), size=12, weight=ft.FontWeight.BOLD, color="#37474F")
            if sort_key is None:
                cells.append(self.cell(name, label))
                continue
            arrow = None
            if sort_key == key:
                arrow = ft.Icon(ft.Icons.ARROW_DOWNWARD if descending else ft.Icons.ARROW_UPWARD, size=14,
                                color=theme.PRIMARY)
            head = ft.Container(ft.Row([label] + ([arrow] if arrow else []), spacing=2, tight=True),
                                on_click=self.on_sort, data=sort_key, ink=True,
                                tooltip=t("desk.review.sort_hint", lang))
            cells.append(self.cell(name, ft.Semantics(content=head, identifier=f"sort-{name}", button=True)))
        self.header_row = ft.Container(ft.Row(cells, spacing=0), bgcolor=HEADER_BG, height=34,
                                       border=ft.Border(bottom=ft.BorderSide(1, LINE)))
        return self.header_row

    def build_row(self, item: ItemState) -> ft.Control:
        lang, now = self.lang, self.desk.now()
        overdue = item.overdue(now)
        days = item.days_left(now)
        if overdue:
            deadline: ft.Control = tag(theme.deadline_words(item, now, lang), theme.OVERDUE)
        elif days is not None:
            deadline = text(theme.deadline_words(item, now, lang), color=theme.MUTED, weight=ft.FontWeight.W_600)
        else:
            deadline = text("—", color="#90A4AE")
        flags: list[ft.Control] = []
        if item.rebounded:
            flags.append(tag(t("ui.item.rebounded", lang, count=item.rebound_count), "#FFFFFF", theme.REBOUND,
                             outline=theme.REBOUND, size=11))
        if item.extension_pending:
            flags.append(tag(t("desk.flag.extension", lang), "#FFF3E0", "#E65100", size=11))
        if item.disputed:
            flags.append(tag(t("desk.flag.disputed", lang), "#F3E5F5", "#6A1B9A", size=11))
        category = [cut(t(f"category.{item.category}", lang), weight=ft.FontWeight.W_600)]
        if flags:
            category.append(ft.Row(flags, spacing=4))
        thumb = ft.Container(ft.Icon(ft.Icons.IMAGE, size=18, color="#B0BEC5"), width=40, height=40,
                             bgcolor="#ECEFF1", border_radius=4, alignment=ft.Alignment.CENTER)
        cached = self.shell.app.thumb_cache.get(item.photos[0]) if item.photos else None
        if cached:
            thumb.content = ft.Image(src=cached, width=40, height=40, fit=ft.BoxFit.COVER, border_radius=4)
        self.thumbs[item.id] = thumb
        check = ft.Checkbox(value=item.id in self.checked, on_change=self.on_check, data=item.id)
        cells = [
            self.cell("check", check),
            self.cell("thumb", thumb),
            self.cell("number", cut(item_number(item, lang), weight=ft.FontWeight.W_600)),
            self.cell("category", ft.Column(category, spacing=2, tight=True)),
            self.cell("office", cut(office_short(item.office, lang))),
            self.cell("site", cut(self.site_name(item.site_id) or "—", color=theme.MUTED)),
            self.cell("status", status_tag(item.status, lang)),
            self.cell("deadline", deadline),
            self.cell("age", text(age_words(item, now, lang), color=theme.MUTED)),
        ]
        row = ft.Container(
            ft.Row(cells, spacing=0, vertical_alignment=ft.CrossAxisAlignment.CENTER), height=50,
            bgcolor=SELECTED_ROW if item.id == self.selected_id else ("#FFF5F5" if overdue else "#FFFFFF"),
            border=ft.Border(bottom=ft.BorderSide(1, "#ECEFF1"),
                             left=ft.BorderSide(3, theme.OVERDUE if overdue else "transparent")),
            on_click=self.on_row, data=item.id, ink=True)
        self.row_controls[item.id] = row
        return ft.Semantics(content=row, identifier=f"row-{item.number or item.id}", container=True)

    def build_rows(self) -> ft.Control:
        self.row_controls, self.thumbs = {}, {}
        lines = [self.build_row(item) for item in self.rows]
        if self.loaded and not self.rows and not self.error:
            lines.append(ft.Container(text(t("desk.review.empty", self.lang), size=14, color=theme.MUTED),
                                      padding=24, alignment=ft.Alignment.CENTER))
        self.list = ft.ListView(lines, expand=True, spacing=0)
        return ft.Container(self.list, expand=True, bgcolor="#FFFFFF")

    def build_pager(self) -> ft.Control:
        lang = self.lang
        first = (self.page_no - 1) * PAGE_SIZE + 1 if self.rows else 0
        last = (self.page_no - 1) * PAGE_SIZE + len(self.rows)
        self.prev_button = ft.IconButton(ft.Icons.CHEVRON_LEFT, on_click=self.on_prev, disabled=self.page_no <= 1,
                                         tooltip=t("desk.review.prev", lang))
        self.next_button = ft.IconButton(ft.Icons.CHEVRON_RIGHT, on_click=self.on_next, disabled=last >= self.total,
                                         tooltip=t("desk.review.next", lang))
        hint = text(t("desk.review.keys", lang), size=12, color=theme.MUTED)
        return ft.Container(
            ft.Row([text(t("desk.review.range", lang, first=first, last=last, total=self.total), size=13),
                    self.prev_button, self.next_button, ft.Container(expand=True), hint],
                   vertical_alignment=ft.CrossAxisAlignment.CENTER),
            padding=ft.Padding(12, 2, 12, 2), bgcolor="#FAFBFC", border=ft.Border(top=ft.BorderSide(1, LINE)))

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
                overdue = item is not None and item.overdue(self.desk.now())
                row.bgcolor = SELECTED_ROW if key == item_id else ("#FFF5F5" if overdue else "#FFFFFF")
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
                await self.list.scroll_to(offset=max(index - 4, 0) * 50, duration=120)
            except Exception as error:  # noqa: BLE001 - not on the page, or no client to answer
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
        from inspector.services.desk import IDS_MAX

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
        from dataclasses import replace

        return replace(self.filters, **{name: value})

    async def on_flag(self, e) -> None:
        self.filters = self.with_filter(e.control.data, True if e.control.selected else None)
        await self.apply_filters()

    async def apply_filters(self, e=None) -> None:
        from dataclasses import replace

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

    # ------------------------------------------------------------------ batch
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

    async def open_batch(self, e=None) -> None:
        lang = self.lang
        targets = self.checked_items()
        if not targets:
            return
        offices = [("", t("desk.batch.own_office", lang))] + [(o.code, t(f"office.{o.code}", lang))
                                                              for o in catalog.OFFICES]
        dialog = FormDialog(self.shell, t("desk.batch.title", lang, count=len(targets)), [
            ("office", "dropdown", t("desk.form.office", lang), "", offices),
            ("leader", "text", t("desk.form.leader", lang), "", None),
            ("deadline", "date", t("desk.form.deadline_optional", lang), "", None),
        ], t("desk.batch.confirm", lang), self.submit_batch,
            note=t("desk.batch.note", lang))
        self.batch_dialog = dialog
        dialog.open()

    async def submit_batch(self, values: dict) -> str | None:
        lang = self.lang
        leader = (values.get("leader") or "").strip()
        if not leader:
            return t("ui.item.need_leader", lang)
        try:
            deadline = parse_day(values.get("deadline"))
        except ValueError:
            return t("ui.item.bad_date", lang)
        targets = self.checked_items()
        try:
            results = await self.shell.call(self.desk.assign_many, targets, values.get("office") or None, leader,
                                            deadline)
        except Exception as error:  # noqa: BLE001
            return self.shell.words(error)
        done = [r for r in results if r.ok]
        failed = [r for r in results if not r.ok]
        if failed:
            words = "；".join(f"{r.number or ''} {self.shell.words(r.error)}" for r in failed[:3])
            self.shell.snack(t("desk.batch.partly", lang, done=len(done), failed=len(failed), why=words), error=True)
        else:
            self.shell.snack(t("desk.batch.done", lang, count=len(done)))
        self.checked.clear()
        await self.after_decision(self.selected_id) if self.selected_id else await self.load()
        return None
