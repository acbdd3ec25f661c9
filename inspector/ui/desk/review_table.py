"""The queue table of Review, drawn from its state: the queue tabs, the sortable column heads, the rows.

``QueueTable`` is the drawing half of ``ReviewView`` (which holds the state
and the handlers these controls call). The controls a test or a key needs
again are kept: ``tab_controls``, ``row_controls``, ``thumbs``, ``list``.
"""

from datetime import datetime

import flet as ft

from inspector.domain.items import ItemState
from inspector.i18n import t
from inspector.services.desk import QUEUES
from inspector.ui import theme
from inspector.ui.desk.parts import age_words, cut, item_flags, office_short, status_tag, tag, text
from inspector.ui.widgets import item_number

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
QUEUE_COLOURS = {"overdue": theme.OVERDUE, "disputed": theme.ACCENT, "verify": theme.ACCENT,
                 "dispatch": theme.PRIMARY, "extension": theme.WARN, "returned": theme.WARN, "all": theme.MUTED,
                 "ids": theme.MUTED}
URGENT_QUEUES = ("overdue", "disputed")  # their count stands out even when not chosen
CELL_PADDING = ft.Padding.symmetric(horizontal=theme.SPACE_XS)
TAB_LINE = 3  # under the chosen tab
CLOSE_W = 28  # the ✕ of the "these items" tab
SORT_ARROW = theme.SMALL


def row_colour(item: ItemState | None, selected: bool, now: datetime) -> str:
    """A row's ground: chosen, overdue (a light red), or plain."""
    if selected:
        return theme.INFO_BG
    return theme.DESK_ROW_OVERDUE if item is not None and item.overdue(now) else theme.SURFACE


def thumb_image(data: bytes) -> ft.Image:
    return ft.Image(src=data, width=theme.DESK_THUMB, height=theme.DESK_THUMB, fit=ft.BoxFit.COVER,
                    border_radius=theme.DESK_RADIUS_XXS)


class QueueTable:
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
            filled = selected or (name in URGENT_QUEUES and bool(count))
            badge = ft.Container(
                text("" if count is None else str(count), size=theme.DENSE_S, weight=ft.FontWeight.BOLD,
                     color=theme.ON_COLOUR if filled else colour),
                bgcolor=colour if filled else theme.SURFACE, border_radius=theme.SPACE_L,
                padding=ft.Padding.symmetric(horizontal=7, vertical=1), border=ft.Border.all(theme.BORDER, colour))
            inner = [text(label, size=theme.SMALL, weight=ft.FontWeight.BOLD if selected else ft.FontWeight.W_500,
                          color=colour if filled else theme.DESK_HEAD_INK), badge]
            if name == "ids":
                inner.append(ft.IconButton(ft.Icons.CLOSE, icon_size=theme.ICON_XS, on_click=self.close_ids,
                                           width=CLOSE_W, height=CLOSE_W, tooltip=t("desk.review.close_ids", lang)))
            tab = ft.Container(
                ft.Row(inner, spacing=theme.SPACE_S, tight=True), data=name, on_click=self.on_tab, ink=True,
                padding=ft.Padding(theme.SPACE_XL, theme.SPACE_L, theme.SPACE_XL, theme.SPACE_M),
                border=ft.Border(bottom=ft.BorderSide(TAB_LINE, colour if selected else "transparent")))
            self.tab_controls[name] = tab
            tabs.append(ft.Semantics(content=tab, identifier=f"queue-{name}", button=True, container=True))
        return ft.Container(ft.Row(tabs, spacing=theme.SPACE_XXS, scroll=ft.ScrollMode.AUTO), bgcolor=theme.SURFACE,
                            border=ft.Border(bottom=ft.BorderSide(theme.BORDER, theme.LINE)),
                            padding=ft.Padding.symmetric(horizontal=theme.SPACE_M))

    def cell(self, name: str, content: ft.Control) -> ft.Control:
        width, _ = COLUMNS[name]
        if width is None:
            return ft.Container(content, expand=SHARES[name], padding=CELL_PADDING)
        return ft.Container(content, width=width, padding=CELL_PADDING)

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
            label = text(t(f"desk.col.{name}", lang), size=theme.DENSE_S, weight=ft.FontWeight.BOLD,
                         color=theme.DESK_HEAD_INK)
            if sort_key is None:
                cells.append(self.cell(name, label))
                continue
            arrow = []
            if sort_key == key:
                arrow = [ft.Icon(ft.Icons.ARROW_DOWNWARD if descending else ft.Icons.ARROW_UPWARD, size=SORT_ARROW,
                                 color=theme.PRIMARY)]
            head = ft.Container(ft.Row([label, *arrow], spacing=theme.SPACE_XXS, tight=True),
                                on_click=self.on_sort, data=sort_key, ink=True,
                                tooltip=t("desk.review.sort_hint", lang))
            cells.append(self.cell(name, ft.Semantics(content=head, identifier=f"sort-{name}", button=True)))
        self.header_row = ft.Container(ft.Row(cells, spacing=0), bgcolor=theme.PLACEHOLDER_BG,
                                       height=theme.DESK_HEAD_H,
                                       border=ft.Border(bottom=ft.BorderSide(theme.BORDER, theme.LINE)))
        return self.header_row

    def build_thumb(self, item: ItemState) -> ft.Container:
        thumb = ft.Container(ft.Icon(ft.Icons.IMAGE, size=theme.ICON_S, color=theme.DESK_THUMB_ICON),
                             width=theme.DESK_THUMB, height=theme.DESK_THUMB, bgcolor=theme.PLACEHOLDER_BG,
                             border_radius=theme.DESK_RADIUS_XXS, alignment=ft.Alignment.CENTER)
        cached = self.shell.app.thumb_cache.get(item.photos[0]) if item.photos else None
        if cached:
            thumb.content = thumb_image(cached)
        self.thumbs[item.id] = thumb
        return thumb

    def build_row(self, item: ItemState) -> ft.Control:
        lang, now = self.lang, self.desk.now()
        overdue = item.overdue(now)
        words = theme.deadline_words(item, now, lang)
        if overdue:
            deadline: ft.Control = tag(words, theme.OVERDUE)
        elif words is not None:
            deadline = text(words, color=theme.MUTED, weight=ft.FontWeight.W_600)
        else:
            deadline = text("—", color=theme.PLACEHOLDER)
        category = [cut(t(f"category.{item.category}", lang), weight=ft.FontWeight.W_600)]
        flags = item_flags(item, lang, size=theme.DENSE_XS)
        if flags:
            category.append(ft.Row(flags, spacing=theme.SPACE_XS))
        check = ft.Checkbox(value=item.id in self.checked, on_change=self.on_check, data=item.id)
        cells = [
            self.cell("check", check),
            self.cell("thumb", self.build_thumb(item)),
            self.cell("number", cut(item_number(item, lang), weight=ft.FontWeight.W_600)),
            self.cell("category", ft.Column(category, spacing=theme.SPACE_XXS, tight=True)),
            self.cell("office", cut(office_short(item.office, lang))),
            self.cell("site", cut(self.site_name(item.site_id) or "—", color=theme.MUTED)),
            self.cell("status", status_tag(item.status, lang)),
            self.cell("deadline", deadline),
            self.cell("age", text(age_words(item, now, lang), color=theme.MUTED)),
        ]
        row = ft.Container(
            ft.Row(cells, spacing=0, vertical_alignment=ft.CrossAxisAlignment.CENTER), height=theme.DESK_ROW_H,
            bgcolor=row_colour(item, item.id == self.selected_id, now),
            border=ft.Border(bottom=ft.BorderSide(theme.BORDER, theme.PLACEHOLDER_BG),
                             left=ft.BorderSide(TAB_LINE, theme.OVERDUE if overdue else "transparent")),
            on_click=self.on_row, data=item.id, ink=True)
        self.row_controls[item.id] = row
        return ft.Semantics(content=row, identifier=f"row-{item.number or item.id}", container=True)

    def build_rows(self) -> ft.Control:
        self.row_controls, self.thumbs = {}, {}
        lines = [self.build_row(item) for item in self.rows]
        if self.loaded and not self.rows and not self.error:
            lines.append(ft.Container(text(t("desk.review.empty", self.lang), size=theme.SMALL, color=theme.MUTED),
                                      padding=theme.SPACE_PAGE, alignment=ft.Alignment.CENTER))
        self.list = ft.ListView(lines, expand=True, spacing=0)
        return ft.Container(self.list, expand=True, bgcolor=theme.SURFACE)
