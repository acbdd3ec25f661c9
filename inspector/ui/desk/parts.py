"""Small pieces the desk screens share: dense text, cards, links, form fields that mute the shortcuts."""

import itertools
from datetime import date, datetime
from typing import TYPE_CHECKING, Callable

import flet as ft

from inspector.domain.items import ItemState
from inspector.i18n import t
from inspector.ui import theme

if TYPE_CHECKING:
    from inspector.ui.desk.shell import DeskShell

DENSE = 13  # table text, px
LINE = "#CFD8DC"
SELECTED_ROW = "#E3F2FD"
HEADER_BG = "#ECEFF1"
WARN_BG = "#FFEBEE"
CARD_BG = "#FFFFFF"


def text(value: str, size: int = DENSE, weight=None, color=None, **kw) -> ft.Text:
    return ft.Text(value, size=size, weight=weight, color=color, **kw)


def cut(value: str, size: int = DENSE, weight=None, color=None, **kw) -> ft.Text:
    """One line, ellipsised, with the whole text as a tooltip."""
    return ft.Text(value, size=size, weight=weight, color=color, max_lines=1, overflow=ft.TextOverflow.ELLIPSIS,
                   tooltip=value or None, **kw)


def card(controls: list[ft.Control], title: str | None = None, padding: int = 14, spacing: int = 8,
         border: str = LINE, bgcolor: str = CARD_BG, **kw) -> ft.Container:
    body = list(controls)
    if title:
        body.insert(0, ft.Text(title, size=15, weight=ft.FontWeight.BOLD, color="#263238"))
    return ft.Container(ft.Column(body, spacing=spacing), padding=padding, bgcolor=bgcolor, border_radius=10,
                        border=ft.Border.all(1, border), **kw)


def tag(value: str, bg: str, fg: str = "#FFFFFF", outline: str | None = None, size: int = 12) -> ft.Container:
    return ft.Container(ft.Text(value, size=size, color=fg, weight=ft.FontWeight.W_600), bgcolor=bg,
                        padding=ft.Padding.symmetric(horizontal=6, vertical=2), border_radius=5,
                        border=ft.Border.all(1, outline) if outline else None)


def status_tag(status: str, lang: str, size: int = 12) -> ft.Container:
    bg, fg = theme.STATUS_COLOURS.get(status, ("#757575", "#FFFFFF"))
    return tag(t(f"status.{status}", lang), bg, fg, size=size)


def link(value: str, on_click: Callable, data=None, size: int = DENSE, bold: bool = False, color: str = theme.PRIMARY,
         tooltip: str | None = None) -> ft.Container:
    """A number or word that opens what is behind it (underlined, pointer on hover)."""
    return ft.Container(
        ft.Text(value, size=size, color=color, weight=ft.FontWeight.BOLD if bold else ft.FontWeight.W_600,
                style=ft.TextStyle(decoration=ft.TextDecoration.UNDERLINE, decoration_color=color)),
        on_click=on_click, data=data, tooltip=tooltip, ink=True, border_radius=4,
        padding=ft.Padding.symmetric(horizontal=2, vertical=1))


def office_short(code: str | None, lang: str) -> str:
    return t(f"desk.office_short.{code}", lang) if code else ""


def days_between(later: datetime, earlier: datetime) -> float:
    return (later - earlier).total_seconds() / 86400


def age_words(item: ItemState, now: datetime, lang: str) -> str:
    """How long ago the item was reported: "3 天", "5 小时"."""
    days = days_between(now, item.reported_at)
    if days >= 1:
        return t("desk.age.days", lang, days=int(days))
    return t("desk.age.hours", lang, hours=max(int(days * 24), 0))


def parse_day(value: str | None) -> date | None:
    """``YYYY-MM-DD`` (or empty: None); ``ValueError`` for anything else."""
    value = (value or "").strip()
    if not value:
        return None
    return date.fromisoformat(value)


class Field:
    """A text field whose value lives in ``values[name]``, that silences the desk's letter shortcuts while focused."""

    def __init__(self, shell: "DeskShell", values: dict, name: str, label: str, width: int | None = None,
                 on_submit: Callable | None = None, on_change: Callable | None = None, **kw):
        self.shell, self.values, self.name = shell, values, name
        self.extra_change = on_change
        self.control = ft.TextField(label=label, value=str(values.get(name) or ""), width=width, dense=True,
                                    text_size=DENSE + 1, on_change=self._change, on_focus=shell.typing_on,
                                    on_blur=shell.typing_off, on_submit=on_submit, data=name, **kw)

    async def _change(self, e) -> None:
        self.values[self.name] = e.control.value or ""
        if self.extra_change is not None:
            await self.extra_change(e)


def field(shell: "DeskShell", values: dict, name: str, label: str, **kw) -> ft.TextField:
    return Field(shell, values, name, label, **kw).control


def dropdown(label: str, options: list[tuple[str, str]], value: str | None, on_select: Callable, width: int = 150,
             data=None, **kw) -> ft.Dropdown:
    return ft.Dropdown(label=label, options=[ft.DropdownOption(key=k, text=v) for k, v in options],
                       value=value, on_select=on_select, width=width, dense=True, text_size=DENSE + 1,
                       enable_search=False, data=data, **kw)


ALL = "_all"  # the "any" choice of a filter dropdown
_RENDERS = itertools.count(1)


def fresh() -> int:
    """A new render number, put in the ``data`` of a rebuilt subtree's root.

    Flet keeps the old control when a property is assigned an *equal* one
    (dataclass equality), which would leave the views holding the new,
    detached controls; a different ``data`` makes every rebuild its own.
    """
    return next(_RENDERS)
