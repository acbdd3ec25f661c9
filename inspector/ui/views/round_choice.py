"""The cross-inspection round a cross check names, on the visit and report screens (issue 11).

A check of type 互查 (cross) may be part of a round (``GET /api/rounds``, kept
offline by ``sync.check_rounds``): the screens offer the rounds that fit, by the
domain's one rule (``domain.rounds.fitting_rounds``: running on the device's
local day, inspecting office the person's own for an office's people, any for
the bureau's, inspected office the site's or the item's). Exactly one fits: it
is named and shown; several: a dropdown (the newest chosen first); none: no
round, a free cross check. The payload carries ``round`` only when one is named.

Each screen keeps the rounds it read on ``view.rounds`` (``ws.visits.rounds``)
and the chosen id in its own state; ``settle`` says which id to keep as the
check type, the office or the day changes, and ``show`` fills the round's place
(``box``) again without rebuilding the rest of the screen.
"""

from datetime import date
from typing import Any, Callable

import flet as ft

from inspector.domain.rounds import CROSS, fitting_rounds
from inspector.i18n import t
from inspector.store.campaigns import RoundPublic
from inspector.ui import theme
from inspector.ui.widgets import muted, refresh, tagged


async def reload(view) -> bool:
    """Read the rounds known here again (on a phone: the last sync round's); True when they changed."""
    fresh = view.rounds
    with view.app.guard():
        fresh = await view.app.call(view.ws.visits.rounds)
    changed, view.rounds = fresh != view.rounds, fresh
    return changed


def local_day(app) -> date:
    """The device's local day (the campaign's zone), the day a round must be running on."""
    return app.now().astimezone(app.zone).date()


def fitting(view, office: str | None) -> list[RoundPublic]:
    """The rounds ``view``'s person may name for a cross check of ``office``'s work today."""
    if not office:
        return []
    return fitting_rounds(view.ws.actor, view.rounds, office, local_day(view.app))


def settle(view, check_type: str, office: str | None, current: str | None) -> str | None:
    """The round a check names: ``current`` while it still fits, else the first fitting; none off a cross
    check or when none fits."""
    if check_type != CROSS:
        return None
    ids = [r.id for r in fitting(view, office)]
    return current if current in ids else (ids[0] if ids else None)


def words(r: RoundPublic, lang: str) -> str:
    """"第一轮交叉检查 · 园林管理处查建筑工程管理处"."""
    return t("ui.round.named", lang, name=r.name, inspecting=t(f"office.{r.inspecting_office}", lang),
             inspected=t(f"office.{r.inspected_office}", lang))


def named(view, round_id: str | None) -> RoundPublic | None:
    """The kept round of ``round_id`` (None: no round named, or not known here)."""
    return next((r for r in view.rounds if r.id == round_id), None) if round_id else None


def controls(view, check_type: str, office: str | None, chosen: str | None,
             on_select: Callable[[Any], Any]) -> list[ft.Control]:
    """Under the check type, for a cross check: the one round named, a dropdown of several, or "none"."""
    if check_type != CROSS:
        return []
    lang = view.lang
    fit = fitting(view, office)
    if not fit:
        return [tagged(muted(t("ui.round.none", lang), theme.SMALL), "round-none")]
    if len(fit) == 1:
        view.round_text = ft.Text(words(fit[0], lang), size=theme.BODY, weight=ft.FontWeight.W_600,
                                  color=theme.INK)
        return [tagged(ft.Row([ft.Icon(ft.Icons.GROUPS, color=theme.PRIMARY),
                               ft.Column([muted(t("ui.round.label", lang), theme.SMALL), view.round_text],
                                         spacing=theme.SPACE_XXS, expand=True)], spacing=theme.SPACE_M),
                       "round-named")]
    view.round_dropdown = ft.Dropdown(label=t("ui.round.label", lang), value=chosen, on_select=on_select,
                                      options=[ft.DropdownOption(key=r.id, text=words(r, lang)) for r in fit],
                                      expand=True, text_size=theme.BODY)
    return [ft.Row([view.round_dropdown])]


def box(view, check_type: str, office: str | None, chosen: str | None,
        on_select: Callable[[Any], Any]) -> ft.Container:
    """``controls`` in a place of their own (``view.round_box``) that ``show`` fills again."""
    view.round_box = ft.Container()
    _fill(view.round_box, controls(view, check_type, office, chosen, on_select))
    return view.round_box


def show(view, check_type: str, office: str | None, chosen: str | None, on_select: Callable[[Any], Any]) -> None:
    """The round's place again, alone (the check type or the office changed): the rest of the form stays."""
    place = getattr(view, "round_box", None)
    if place is not None:
        _fill(place, controls(view, check_type, office, chosen, on_select))
        refresh(place)


def _fill(place: ft.Container, shown: list[ft.Control]) -> None:
    place.content = ft.Column(shown, spacing=theme.SPACE_XS)
    place.visible = bool(shown)  # no gap in the form off a cross check


def sheet_line(view, round_id: str | None) -> list[ft.Control]:
    """The finish sheet's line naming the round (nothing when none is named)."""
    r = named(view, round_id)
    return [muted(t("ui.round.line", view.lang, round=words(r, view.lang)))] if r else []
