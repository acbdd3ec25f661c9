"""Small pieces the desk screens share: dense text, cards, tags, links, form fields that mute the shortcuts."""

import itertools
from datetime import date, datetime
from typing import TYPE_CHECKING, Callable

import flet as ft

from inspector.domain import catalog
from inspector.domain.items import ItemState
from inspector.i18n import t
from inspector.ui import theme

if TYPE_CHECKING:
    from inspector.ui.desk.shell import DeskShell

ALL = "_all"  # the "any" choice of a filter dropdown
BAR_PADDING = ft.Padding.symmetric(horizontal=theme.SPACE_XXL, vertical=theme.SPACE_L)  # a header or footer bar
SECTION_PADDING = ft.Padding.symmetric(horizontal=theme.DESK_EDGE, vertical=theme.SPACE_XXL)  # around a section
_RENDERS = itertools.count(1)


# ------------------------------------------------------------------ words
def text(value: str, size: int = theme.DENSE, weight=None, color=None, **kw) -> ft.Text:
    return ft.Text(value, size=size, weight=weight, color=color, **kw)


def cut(value: str, size: int = theme.DENSE, weight=None, color=None, max_lines: int = 1, **kw) -> ft.Text:
    """One line (or ``max_lines``), ellipsised, with the whole text as a tooltip."""
    return ft.Text(value, size=size, weight=weight, color=color, max_lines=max_lines, overflow=ft.TextOverflow.ELLIPSIS,
                   tooltip=value or None, **kw)


def head(value: str, width: int | None = None, **kw) -> ft.Container:
    """A column head of a desk table."""
    return ft.Container(text(value, size=theme.DENSE_S, weight=ft.FontWeight.BOLD, color=theme.DESK_HEAD_INK, **kw),
                        width=width)


def outcome(words: str, error: bool) -> ft.Text:
    """What the last action did, under its form: red when it failed, green when it worked."""
    return text(words, color=theme.DANGER if error else theme.OK, weight=ft.FontWeight.W_600)


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


# ------------------------------------------------------------------ boxes
def card(controls: list[ft.Control], title: str | None = None, padding: int = theme.SPACE_XXL,
         spacing: int = theme.SPACE_M, border: str = theme.LINE, bgcolor: str = theme.SURFACE, **kw) -> ft.Container:
    body = list(controls)
    if title:
        body.insert(0, ft.Text(title, size=theme.DENSE_L, weight=ft.FontWeight.BOLD, color=theme.INK))
    return ft.Container(ft.Column(body, spacing=spacing), padding=padding, bgcolor=bgcolor,
                        border_radius=theme.DESK_RADIUS, border=ft.Border.all(theme.BORDER, border), **kw)


def tag(value: str, bg: str, fg: str = theme.ON_COLOUR, outline: str | None = None,
        size: int = theme.DENSE_S) -> ft.Container:
    return ft.Container(ft.Text(value, size=size, color=fg, weight=ft.FontWeight.W_600), bgcolor=bg,
                        padding=ft.Padding.symmetric(horizontal=theme.SPACE_S, vertical=theme.SPACE_XXS),
                        border_radius=theme.DESK_RADIUS_TAG,
                        border=ft.Border.all(theme.BORDER, outline) if outline else None)


def status_tag(status: str, lang: str, size: int = theme.DENSE_S) -> ft.Container:
    bg, fg = theme.STATUS_COLOURS.get(status, (theme.NEUTRAL, theme.ON_COLOUR))
    return tag(theme.status_words(status, lang), bg, fg, size=size)


def item_flags(item: ItemState, lang: str, size: int = theme.DENSE_S,
               extension: str = "desk.flag.extension") -> list[ft.Control]:
    """The red "rebounded", orange "extension asked" (in the words of ``extension``) and purple "disputed" tags."""
    flags: list[ft.Control] = []
    if item.rebounded:
        flags.append(tag(t("ui.item.rebounded", lang, count=item.rebound_count), theme.SURFACE, theme.REBOUND,
                         outline=theme.REBOUND, size=size))
    if item.extension_pending:
        flags.append(tag(t(extension, lang), theme.DESK_EXTENSION_BG, theme.WARN, size=size))
    if item.disputed:
        flags.append(tag(t("desk.flag.disputed", lang), theme.DESK_ACCENT_BG, theme.ACCENT, size=size))
    return flags


def link(value: str, on_click: Callable, data=None, size: int = theme.DENSE, bold: bool = False,
         color: str = theme.PRIMARY, tooltip: str | None = None) -> ft.Container:
    """A number or word that opens what is behind it (underlined, pointer on hover)."""
    return ft.Container(
        ft.Text(value, size=size, color=color, weight=ft.FontWeight.BOLD if bold else ft.FontWeight.W_600,
                style=ft.TextStyle(decoration=ft.TextDecoration.UNDERLINE, decoration_color=color)),
        on_click=on_click, data=data, tooltip=tooltip, ink=True, border_radius=theme.DESK_RADIUS_XXS,
        padding=ft.Padding.symmetric(horizontal=theme.SPACE_XXS, vertical=1))


def loading(**kw) -> ft.Container:
    """A spinner where a section's content will be."""
    return ft.Container(ft.ProgressRing(), padding=theme.SPACE_PAGE, alignment=ft.Alignment.CENTER, **kw)


def swatch(colour: str, words: str, width: int = theme.SPACE_XL, height: int = theme.SPACE_XL,
           radius: float = theme.SPACE_S, size: int = theme.DENSE_S) -> ft.Row:
    """One entry of a chart's or map's legend: a colour and what it means."""
    return ft.Row([ft.Container(width=width, height=height, bgcolor=colour, border_radius=radius),
                   text(words, size=size)], spacing=theme.SPACE_XS, tight=True)


# ------------------------------------------------------------------ fields
class Field:
    """A text field whose value lives in ``values[name]``, that silences the desk's letter shortcuts while focused."""

    def __init__(self, shell: "DeskShell", values: dict, name: str, label: str, width: int | None = None,
                 on_submit: Callable | None = None, on_change: Callable | None = None, **kw):
        self.shell, self.values, self.name = shell, values, name
        self.extra_change = on_change
        self.control = ft.TextField(label=label, value=str(values.get(name) or ""), width=width, dense=True,
                                    text_size=theme.SMALL, on_change=self._change, on_focus=shell.typing_on,
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
                       value=value, on_select=on_select, width=width, dense=True, text_size=theme.SMALL,
                       enable_search=False, data=data, **kw)


def office_choices(lang: str, any_words: str | None = None) -> list[tuple[str, str]]:
    """The offices as a dropdown's choices, after an "any office" choice when ``any_words`` is given."""
    from_catalog = [(o.code, t(f"office.{o.code}", lang)) for o in catalog.OFFICES]
    return ([(ALL, any_words)] if any_words else []) + from_catalog


# ------------------------------------------------------------------ rebuilding
def fresh() -> int:
    """A new render number, put in the ``data`` of a rebuilt subtree's root.

    Flet keeps the old control when a property is assigned an *equal* one
    (dataclass equality), which would leave the views holding the new,
    detached controls; a different ``data`` makes every rebuild its own.
    """
    return next(_RENDERS)
