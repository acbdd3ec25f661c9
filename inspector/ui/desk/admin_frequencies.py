"""The campaign card's grid of visit frequencies: a row per site type, a column per check type, the days
between visits (empty: not scheduled). The card's typed values hold them as ``every.<type>.<check>``.

Saved as the campaign's ``visit_every`` only where the grid differs from the shipped defaults
(``domain.schedules.DEFAULT_VISIT_EVERY``): a grid left as shipped is stored empty, so it follows them
(and so is a grid emptied whole: an empty ``visit_every`` means the defaults).
The server checks the whole grid (``schedules.checked_frequencies``).
"""

from typing import Mapping

import flet as ft

from inspector.domain.schedules import DEFAULT_VISIT_EVERY, visit_every_of
from inspector.i18n import t
from inspector.ui import theme
from inspector.ui.desk.parts import field, text

CHECKS = ("self", "cross", "supervisor")  # the checks made on a schedule (spot checks are drawn, not scheduled)
TYPE_W, DAYS_W = 160, 150


def key(site_type: str, check_type: str) -> str:
    return f"every.{site_type}.{check_type}"


def fill(values: dict, visit_every: Mapping, site_types: list[str]) -> None:
    """The frequencies in force into the card's typed values."""
    in_force = visit_every_of(visit_every)
    for site_type in site_types:
        for check_type in CHECKS:
            days = in_force.get(site_type, {}).get(check_type)
            values[key(site_type, check_type)] = "" if days is None else str(days)


def changes(values: Mapping, site_types: list[str]) -> dict[str, dict[str, int]]:
    """The grid as ``visit_every`` ({} when it is the defaults); ``ValueError`` for a cell not a number."""
    grid: dict[str, dict[str, int]] = {}
    for site_type in site_types:
        for check_type in CHECKS:
            raw = (values.get(key(site_type, check_type)) or "").strip()
            if raw:
                grid.setdefault(site_type, {})[check_type] = int(raw)
    return {} if grid == {k: dict(v) for k, v in DEFAULT_VISIT_EVERY.items()} else grid


def grid(shell, values: dict, type_names: Mapping[str, str], lang: str, disabled: bool) -> list[ft.Control]:
    """The grid's title and rows."""
    rows: list[ft.Control] = [text(t("desk.admin.visit_every", lang), weight=ft.FontWeight.BOLD),
                              text(t("desk.admin.visit_every_hint", lang), color=theme.MUTED)]
    for site_type, name in type_names.items():
        rows.append(ft.Row([ft.Container(text(name), width=TYPE_W)] + [
            field(shell, values, key(site_type, check_type), t(f"check_type.{check_type}", lang), width=DAYS_W,
                  disabled=disabled, hint_text=t("desk.admin.every_days", lang))
            for check_type in CHECKS], spacing=theme.SPACE_M, vertical_alignment=ft.CrossAxisAlignment.CENTER))
    return rows
