"""待办's "待检查": the visits due for this person (due today or overdue), nearest first from where the
phone is, by due day without a fix. Each row says the site, the check, how late and the last visit, and
its "检查" button opens the visit (``views.visit.open_visit``).

On the field client the list is the one the last sync round kept (``sync.due``), so it works offline,
and a site visited on this device drops out at once. A section of the to-do view (reset, load_more,
build, load_thumbs), like ``views.lookback``.
"""

import flet as ft

from inspector.i18n import t
from inspector.services.schedules import DueVisit
from inspector.ui import theme
from inspector.ui.date_field import day_words
from inspector.ui.guard import Guard
from inspector.ui.views.visit import open_visit
from inspector.ui.widgets import badge, error_text, muted, section_title, tagged


class DueSection:
    def __init__(self, view):
        self.view = view
        self.reset()

    @property
    def app(self):
        return self.view.app

    def reset(self) -> None:
        self.rows: list[DueVisit] = []
        self.fix = None
        self.loaded = False
        self.error: str | None = None
        self.buttons: list[ft.Control] = []

    async def load_more(self) -> None:
        self.fix = await self.app.devices.locator().locate()
        lat, lon = (self.fix.lat, self.fix.lon) if self.fix else (None, None)
        with Guard(self.app.lang) as failure:  # shown in place of the list
            self.rows = await self.app.call(self.app.ws.visits_due, lat, lon)
        self.error = failure.message
        self.loaded = True

    async def load_thumbs(self) -> None:
        """No photos."""

    async def on_visit(self, e) -> None:
        site_id, check_type = e.control.data
        await open_visit(self.app, site_id, check_type)

    def when(self, row: DueVisit) -> tuple[str, str]:
        """"逾期 3 天" in red, or "今天到期" in orange."""
        lang = self.app.lang
        if row.days_overdue > 0:
            return t("ui.due.overdue", lang, days=row.days_overdue), theme.DANGER
        return t("ui.due.today", lang), theme.WARN

    def row(self, index: int, row: DueVisit) -> ft.Control:
        lang = self.app.lang
        words, colour = self.when(row)
        entry = row.due
        name = row.site.name if row.site else t("ui.due.unknown_site", lang)
        last = (t("ui.due.last_visit", lang, day=day_words(entry.last_visit, lang)) if entry.last_visit
                else t("ui.due.never", lang))
        chips = [badge(words, bg=colour)]
        distance = theme.distance_words(row.distance_m)
        if distance:
            chips.append(badge(distance, bg=theme.INFO_BG, fg=theme.PRIMARY))
        button = ft.FilledButton(t("ui.due.visit", lang), icon=ft.Icons.FACT_CHECK, height=theme.TAP,
                                 on_click=self.on_visit, data=(entry.site_id, entry.check_type),
                                 disabled=row.site is None)
        self.buttons.append(button)
        return tagged(ft.Container(
            ft.Row([ft.Column([ft.Text(name, size=theme.BODY, weight=ft.FontWeight.BOLD, color=theme.TEXT),
                               ft.Row([ft.Text(t(f"check_type.{entry.check_type}", lang), size=theme.SMALL,
                                               color=theme.INK), *chips], spacing=theme.SPACE_S, wrap=True),
                               muted(last, theme.SMALL)], spacing=theme.SPACE_XS, expand=True),
                    button], spacing=theme.SPACE_M, vertical_alignment=ft.CrossAxisAlignment.CENTER),
            padding=ft.Padding(theme.SPACE_XXL, theme.SPACE_XL, theme.SPACE_M, theme.SPACE_XL),
            bgcolor=theme.SURFACE, border_radius=theme.RADIUS,
            border=ft.Border(left=ft.BorderSide(theme.ACCENT_W, colour))), f"due-{index}")

    def build(self) -> list[ft.Control]:
        lang = self.app.lang
        out: list[ft.Control] = [section_title(t("ui.due.title", lang, count=len(self.rows)))]
        self.buttons = []
        if self.error:
            return [*out, error_text(self.error)]
        if self.loaded and self.rows:
            where = t("ui.due.by_distance", lang) if self.fix else t("ui.due.by_day", lang)
            out.append(ft.Row([ft.Icon(ft.Icons.MY_LOCATION if self.fix else ft.Icons.LOCATION_DISABLED,
                                       size=theme.ICON_S, color=theme.MUTED),
                               muted(where, theme.SMALL, expand=True)], spacing=theme.SPACE_S))
        out += [self.row(i, r) for i, r in enumerate(self.rows)]
        if self.loaded and not self.rows:
            out.append(muted(t("ui.due.none", lang)))
        return out
