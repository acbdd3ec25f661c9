"""Colours, icons, fonts and the few text formats every screen shares (UI.md)."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import flet as ft

from inspector.domain.items import ItemState
from inspector.domain.oversight import whole_days
from inspector.i18n import capitalised, t
from inspector.ui import rare_font

FONT_FAMILY = "NotoSansSC"
# Under the repo's assets/: only the rare hanzi (Extension A...) the engine's fallback slices lack; every other
# CJK character comes from the slices Inspector serves, Latin from Roboto (inspector.ui.webfonts). A page
# loads it only once it has a text with one of them (inspector.ui.rare_font).
FONT_FILE = "fonts/NotoSansSC-Subset.woff2"
FONT_PATH = Path(__file__).resolve().parents[2] / "assets" / FONT_FILE
PRIMARY = "#1565C0"
DANGER = "#C62828"
OK = "#2E7D32"
MUTED = "#455A64"  # secondary text: still strong enough for sunlight
WARN = "#E65100"  # waiting, due soon: orange words and icons
INK = "#263238"  # strong text and icons, the snackbar's ground
TEXT = "#212121"  # body text on white
NEUTRAL = "#757575"  # a status without a colour of its own
ACCENT = "#6A1B9A"  # a spot checker disagreeing (purple)
AMBER = "#F9A825"  # still to do: a sample card's outline
SURFACE = "#FFFFFF"  # cards, bars, forms
ON_COLOUR = "#FFFFFF"  # words and icons on a filled colour (primary, danger, a chosen segment)
ON_PRIMARY = ON_DANGER = ON_COLOUR
PAGE_BG = "#F4F6F8"
LINE = "#CFD8DC"  # a card's hairline
PLACEHOLDER_BG = "#ECEFF1"  # a photo not here yet; a neutral badge
PLACEHOLDER = "#90A4AE"  # its icon; an unchosen segment's outline
FIGURE_BG = "#F5F7F8"  # a number's tile
OK_BG = "#E8F5E9"
WARN_BG = "#FFF8E1"
DANGER_BG = "#FFEBEE"
INFO_BG = "#E3F2FD"  # a distance, the phase chip
INFO_LINE = "#90CAF9"
INFO_INK = "#0D47A1"
SCRIM = "#99000000"  # the round behind a photo's remove button

TAP = 48  # minimum tap target, px
BODY = 16
SMALL = 14
TITLE = 18  # app bar titles, card titles, button words
HEADLINE = 20  # an item's category on its screen, a person's name
FIGURE = 22  # a count on a tile
DISPLAY = 28  # the app's name on the login screen

ICON_XS = 16
ICON_S = 18
ICON_M = 20
ICON_L = 22
ICON_XL = 28  # app bar buttons, notice rows
ICON_XXL = 48  # a person's avatar, a large photo not here yet

SPACE_XXS = 2  # lines of one block
SPACE_XS = 4  # a chip's inside, icon to its words
SPACE_S = 6  # chips in a row
SPACE_M = 8  # buttons in a row, lines of a box
SPACE_L = 10  # cards of a list, fields of a form
SPACE_XL = 12  # a card's padding, thumbnail to its words
SPACE_XXL = 14  # blocks of a screen, a boxed form's padding
SCREEN_PAD = 16  # the screen's edge
SPACE_PAGE = 24  # a whole-screen message's margin
SPACE_EMPTY = 32  # around "nothing here"

RADIUS = 12  # cards, buttons, forms
RADIUS_S = 8  # photos, small boxes
RADIUS_XS = 6  # badges
RADIUS_PILL = 14  # chips
RADIUS_L = 16  # the big photo button
BORDER = 1  # a hairline
BORDER_BOLD = 2  # chosen, rebounded, an open form
ACCENT_W = 4  # a notice row's left edge
RULE_W = 3  # a timeline entry's left edge

BUTTON_H = 56  # a full-width button at thumb height
ACTION_H = 52  # the item's action and form buttons
PHOTO_BUTTON_H = 64  # "add a photo" on a form
THUMB_XS = 52  # further photos of an item
THUMB = 64  # a list card's photo
THUMB_M = 80  # a sample card's photo
THUMB_L = 96  # a form's photo tiles
THUMB_XL = 104  # the report's photo strip
PHOTO_H = 160  # an item's first before/after photo

# Status colours, the same everywhere (UI.md): background, text.
STATUS_COLOURS: dict[str, tuple[str, str]] = {
    "reported": (PRIMARY, ON_COLOUR),  # blue
    "assigned": (AMBER, TEXT),  # amber
    "rectifying": (AMBER, TEXT),
    "fix_submitted": (ACCENT, ON_COLOUR),  # purple
    "verified": (OK, ON_COLOUR),  # green
    "closed": ("#1B5E20", ON_COLOUR),
    "dismissed": (NEUTRAL, ON_COLOUR),  # grey
    "merged": (NEUTRAL, ON_COLOUR),  # a duplicate: its target carries on
}
OVERDUE = DANGER  # red badge on top of any status
REBOUND = DANGER  # red outline

# The catalogue's icon codes, as Material icons.
CATEGORY_ICONS: dict[str, ft.IconData] = {
    "sewage": ft.Icons.PLUMBING,
    "trash": ft.Icons.DELETE,
    "broom": ft.Icons.CLEANING_SERVICES,
    "mosquito": ft.Icons.PEST_CONTROL,
    "truck": ft.Icons.LOCAL_SHIPPING,
    "soil": ft.Icons.LANDSLIDE,
    "tree": ft.Icons.PARK,
    "building": ft.Icons.APARTMENT,
    "office": ft.Icons.BUSINESS,
}


def apply_theme(page: ft.Page) -> None:
    """Light theme, phone-sized defaults; the bundled rare-character font (no CDN; see ``FONT_FILE``)
    once the session shows or is typed a character of it (``inspector.ui.rare_font``)."""
    page.theme = ft.Theme(color_scheme_seed=PRIMARY)
    page.fonts = None
    if rare_font.watch(page, FONT_PATH, use_rare_font).loaded:  # the app started again: the font stays
        use_rare_font(page)
    page.theme_mode = ft.ThemeMode.LIGHT
    page.padding = 0
    page.spacing = 0
    page.bgcolor = PAGE_BG


def use_rare_font(page: ft.Page) -> None:
    """The page draws with ``FONT_FILE`` first: registered, and the theme's family (the engine's slices
    and Roboto still draw what it lacks)."""
    page.fonts = {FONT_FAMILY: FONT_FILE}
    page.theme = ft.Theme(font_family=FONT_FAMILY, color_scheme_seed=PRIMARY)


def status_words(status: str, lang: str) -> str:
    """An item status as a chip or tag shows it: the catalogue's words (lower case in English, made for
    sentences) starting with a capital."""
    return capitalised(t(f"status.{status}", lang))


def category_icon(icon_code: str) -> ft.IconData:
    return CATEGORY_ICONS.get(icon_code, ft.Icons.REPORT)


def local_time(value: datetime | None, zone: ZoneInfo) -> str:
    """``2026-07-15 09:30`` in the campaign's zone; empty for no time."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def deadline_words(item: ItemState, now: datetime, lang: str) -> str | None:
    """"剩 2 天", "今天到期", "逾期 3 天"; None when no deadline applies."""
    days = item.days_left(now)
    if days is None:
        return None
    if days < 0:
        return t("ui.deadline.overdue", lang, days=-days)
    if days == 0:
        return t("ui.deadline.today", lang)
    return t("ui.deadline.left", lang, days=days)


def look_back_words(item: ItemState, now: datetime, lang: str) -> str | None:
    """"回头看：剩 3 天" / "回头看：今天到期" / "回头看：逾期 1 天" for verified items."""
    if item.status != "verified" or item.look_back_due is None:
        return None
    days = whole_days(item.look_back_due, now)
    if days < 0:
        return t("ui.oversight.look_back.overdue", lang, days=-days)
    if days == 0:
        return t("ui.oversight.look_back.today", lang)
    return t("ui.look_back.due_in", lang, days=days)


def distance_words(metres: float | None) -> str | None:
    """"320 m", "1.4 km": a distance to walk, rounded as a person would say it."""
    if metres is None:
        return None
    if metres < 1000:
        return f"{max(round(metres / 10) * 10, 10):.0f} m"
    return f"{metres / 1000:.1f} km"


# --- the desk (inspector/ui/desk): a wide screen read up close, so denser type, and its few shades of its own
DENSE_XS = 11  # a flag on a row, a chart's axis
DENSE_S = 12  # column heads, hints, tags
DENSE = 13  # table text
DENSE_L = 15  # a card's title, a rate in a table
DESK_HEAD_INK = "#37474F"  # column heads, plain lines of evidence
DESK_BAR_BG = "#FAFBFC"  # the filter bar and the pager
DESK_PANE_BG = "#F7F9FA"  # behind the selected item
DESK_ROW_OVERDUE = "#FFF5F5"  # an overdue row of the queue
DESK_CHOSEN_RED = "#FFCDD2"  # a chosen red filter chip
DESK_EXTENSION_BG = "#FFF3E0"  # the "extension asked" flag
DESK_ACCENT_BG = "#F3E5F5"  # the "disputed" flag
DESK_FINDING_BG = "#FBF5FC"  # a spot checker's finding
DESK_SAMPLE_BG = "#F5F9FF"  # a drawn sample
DESK_SAMPLE_LINE = "#BBDEFB"
DESK_MAP_BG = "#E4EAEE"  # the map where no tile came
DESK_THUMB_ICON = "#B0BEC5"  # a row's photo not here yet
DESK_RADIUS_XXS = 4  # a row's photo, a link
DESK_RADIUS_TAG = 5
DESK_RADIUS = 10  # a card, a table
DESK_ROW_H = 50  # a queue row
DESK_HEAD_H = 34  # the queue's column heads
DESK_BUTTON_H = 36  # a button beside dense fields (the filter bar, the day picker)
DESK_THUMB = 40  # a row's photo
DESK_PHOTO_H = 230  # the selected item's before/after photos
DESK_EDGE = 18  # a section's left and right margin
