"""Colours, icons, fonts and the few text formats every screen shares (UI.md)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import flet as ft

from inspector.domain.items import ItemState
from inspector.domain.oversight import whole_days
from inspector.i18n import t

FONT_FAMILY = "NotoSansSC"
FONT_FILE = "fonts/NotoSansSC-Subset.otf"  # under the repo's assets/
PRIMARY = "#1565C0"
DANGER = "#C62828"
OK = "#2E7D32"
MUTED = "#455A64"  # secondary text: still strong enough for sunlight
TAP = 48  # minimum tap target, px
BODY = 16
SMALL = 14

# Status colours, the same everywhere (UI.md): background, text.
STATUS_COLOURS: dict[str, tuple[str, str]] = {
    "reported": ("#1565C0", "#FFFFFF"),  # blue
    "assigned": ("#F9A825", "#212121"),  # amber
    "rectifying": ("#F9A825", "#212121"),
    "fix_submitted": ("#6A1B9A", "#FFFFFF"),  # purple
    "verified": ("#2E7D32", "#FFFFFF"),  # green
    "closed": ("#1B5E20", "#FFFFFF"),
    "dismissed": ("#757575", "#FFFFFF"),  # grey
}
OVERDUE = "#C62828"  # red badge on top of any status
REBOUND = "#C62828"  # red outline

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
    """Bundled CJK font (no CDN), light theme, phone-sized defaults."""
    page.fonts = {FONT_FAMILY: FONT_FILE}
    page.theme = ft.Theme(font_family=FONT_FAMILY, color_scheme_seed=PRIMARY)
    page.theme_mode = ft.ThemeMode.LIGHT
    page.padding = 0
    page.spacing = 0
    page.bgcolor = "#F4F6F8"


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
