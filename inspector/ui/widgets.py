"""Small pieces every screen uses: status chip, deadline badge, item card, sync bar, photo tile."""

from datetime import datetime
from typing import TYPE_CHECKING, Callable

import flet as ft

from inspector.domain.catalog import category
from inspector.domain.items import ItemState
from inspector.i18n import t
from inspector.services.workspace import SyncStatus
from inspector.ui import theme

if TYPE_CHECKING:
    from inspector.ui.app import App


def label(text: str, size: int = theme.BODY, weight=None, color=None, **kw) -> ft.Text:
    return ft.Text(text, size=size, weight=weight, color=color, **kw)


def status_chip(status: str, lang: str) -> ft.Container:
    bg, fg = theme.STATUS_COLOURS.get(status, ("#757575", "#FFFFFF"))
    return ft.Container(
        content=ft.Text(t(f"status.{status}", lang), size=theme.SMALL, color=fg, weight=ft.FontWeight.W_600),
        bgcolor=bg, padding=ft.Padding.symmetric(horizontal=10, vertical=4), border_radius=14,
    )


def badge(text: str, bg: str = theme.OVERDUE, fg: str = "#FFFFFF") -> ft.Container:
    return ft.Container(
        content=ft.Text(text, size=theme.SMALL, color=fg, weight=ft.FontWeight.BOLD),
        bgcolor=bg, padding=ft.Padding.symmetric(horizontal=8, vertical=4), border_radius=6,
    )


def deadline_badge(item: ItemState, now: datetime, lang: str) -> ft.Control | None:
    words = theme.deadline_words(item, now, lang)
    if words is None:
        return None
    if item.overdue(now):
        return badge(words)
    return ft.Text(words, size=theme.SMALL, color=theme.MUTED, weight=ft.FontWeight.W_600)


def photo_box(data: bytes | None, size: int, on_click=None, label_text: str | None = None) -> ft.Container:
    """A square photo (or a placeholder while it loads or when it is not on this device)."""
    if data:
        inner: ft.Control = ft.Image(src=data, width=size, height=size, fit=ft.BoxFit.COVER, border_radius=8)
    else:
        inner = ft.Icon(ft.Icons.IMAGE, size=size // 2, color="#90A4AE")
    return ft.Container(content=inner, width=size, height=size, bgcolor="#ECEFF1", border_radius=8,
                        alignment=ft.Alignment.CENTER, on_click=on_click, tooltip=label_text)


class ItemCard:
    """One row of a list: thumbnail, category, number, office, status, deadline; tap opens the item."""

    def __init__(self, app: "App", item: ItemState, on_open: Callable, extra: list[ft.Control] | None = None):
        self.app, self.item = app, item
        lang, now = app.lang, app.now()
        cat = category(item.category)
        self.thumb = photo_box(None, 64)
        chips: list[ft.Control] = [status_chip(item.status, lang)]
        deadline = deadline_badge(item, now, lang)
        if deadline is not None:
            chips.append(deadline)
        look_back = theme.look_back_words(item, now, lang)
        if look_back:
            due = item.look_back_due is not None and now >= item.look_back_due
            chips.append(badge(look_back) if due else badge(look_back, bg="#E8F5E9", fg=theme.OK))
        if item.rebounded:
            chips.append(badge(t("ui.item.rebounded", lang, count=item.rebound_count), bg="#FFFFFF", fg=theme.REBOUND))
        site = app.site_name(item.site_id)
        lines = [
            ft.Row([ft.Icon(theme.category_icon(cat.icon), size=20, color=theme.PRIMARY),
                    ft.Text(t(f"category.{item.category}", lang), size=theme.BODY, weight=ft.FontWeight.BOLD,
                            expand=True, max_lines=1, overflow=ft.TextOverflow.ELLIPSIS)], spacing=6),
            ft.Text(f"{item_number(item, lang)} · {t(f'office.{item.office}', lang)}",
                    size=theme.SMALL, color=theme.MUTED, max_lines=1, overflow=ft.TextOverflow.ELLIPSIS),
        ]
        if site:
            lines.append(ft.Text(site, size=theme.SMALL, color=theme.MUTED, max_lines=1,
                                 overflow=ft.TextOverflow.ELLIPSIS))
        lines.append(ft.Row([*(extra or []), *chips], spacing=6, wrap=True, run_spacing=4))
        self.root = ft.Container(
            content=ft.Row([self.thumb, ft.Column(lines, spacing=4, expand=True)], spacing=12,
                           vertical_alignment=ft.CrossAxisAlignment.START),
            padding=12, bgcolor="#FFFFFF", border_radius=12,
            border=ft.Border.all(2, theme.REBOUND) if item.rebounded else ft.Border.all(1, "#CFD8DC"),
            on_click=on_open, ink=True, key=item.id,
        )

    def show_thumb(self, data: bytes | None) -> None:
        self.thumb.content = photo_box(data, 64).content


class SyncBar:
    """Always visible: online or not, how many records wait, last sync, the last error in words."""

    def __init__(self, app: "App"):
        self.app = app
        self.status: SyncStatus | None = None
        self.text = ft.Text("", size=theme.SMALL, weight=ft.FontWeight.W_600, expand=True)
        self.error = ft.Text("", size=theme.SMALL, color=theme.DANGER, visible=False)
        self.icon = ft.Icon(ft.Icons.CLOUD_DONE, size=22)
        self.action = ft.Text("", size=theme.SMALL, color=theme.PRIMARY, weight=ft.FontWeight.BOLD)
        self.root = ft.Container(
            content=ft.Column([ft.Row([self.icon, self.text, self.action], spacing=8), self.error], spacing=2),
            padding=ft.Padding.symmetric(horizontal=12, vertical=8), bgcolor="#E8F5E9",
            on_click=app.on_sync_tap, ink=True,
        )

    def show(self, status: SyncStatus | None) -> None:
        self.status = status
        lang = self.app.lang
        if status is None:
            self.text.value = t("ui.sync.checking", lang)
            return
        parts = [t("ui.sync.online" if status.online else "ui.sync.offline", lang)]
        if status.pending:
            parts.append(t("ui.sync.pending", lang, count=status.pending))
        elif self.app.backend.mode == "field":
            parts.append(t("ui.sync.all_sent", lang))
        if status.rejected:
            parts.append(t("ui.sync.rejected", lang, count=status.rejected))
        if status.last_sync_at:
            parts.append(t("ui.sync.last", lang, time=self.app.short_time(status.last_sync_at)))
        self.text.value = " · ".join(parts)
        error = status.last_error or ""
        if getattr(status, "login_needed", False):
            error = t("auth.token_expired", lang) + t("ui.sync.tap_to_login", lang)
        self.error.value = error
        self.error.visible = bool(error)
        self.action.value = t("ui.sync.now", lang) if self.app.backend.mode == "field" else ""
        if not status.online or error or status.rejected:
            self.icon.name, self.icon.color, self.root.bgcolor = ft.Icons.CLOUD_OFF, theme.DANGER, "#FFEBEE"
        elif status.pending:
            self.icon.name, self.icon.color, self.root.bgcolor = ft.Icons.CLOUD_UPLOAD, "#E65100", "#FFF8E1"
        else:
            self.icon.name, self.icon.color, self.root.bgcolor = ft.Icons.CLOUD_DONE, theme.OK, "#E8F5E9"


def section_title(text: str) -> ft.Text:
    return ft.Text(text, size=theme.BODY, weight=ft.FontWeight.BOLD, color="#263238")


def empty_state(text: str) -> ft.Container:
    return ft.Container(content=ft.Text(text, size=theme.BODY, color=theme.MUTED, text_align=ft.TextAlign.CENTER),
                        padding=32, alignment=ft.Alignment.CENTER)


def wide_button(text: str, on_click=None, icon=None, filled: bool = True, danger: bool = False,
                height: int = 56, **kw) -> ft.Control:
    """A full-width button at thumb height."""
    style = ft.ButtonStyle(text_style=ft.TextStyle(font_family=theme.FONT_FAMILY, size=18, weight=ft.FontWeight.BOLD),
                           shape=ft.RoundedRectangleBorder(radius=12))
    cls = ft.FilledButton if filled else ft.OutlinedButton
    button = cls(content=text, icon=icon, on_click=on_click, style=style, height=height,
                 expand=kw.pop("expand", False), **kw)
    if filled and not danger:
        button.bgcolor, button.color = theme.PRIMARY, "#FFFFFF"
    if danger:
        if filled:
            button.bgcolor = theme.DANGER
        else:
            button.style = ft.ButtonStyle(text_style=style.text_style, shape=style.shape,
                                          color=theme.DANGER, side=ft.BorderSide(1, theme.DANGER))
    return button


def item_number(item, lang: str) -> str:
    """The server's number, or until the server has it a provisional one made from the item's id."""
    return item.number or t("ui.item.provisional", lang, short=item.id.replace("-", "")[-6:].upper())
