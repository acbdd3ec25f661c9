"""单位: the offices a spot checker was delegated, with their record: how slow or passive each has been.

The plan asks that slow or passive offices get closer supervision. Each card
leads with the four signs of it (overdue now, fixes sent back, rebounds,
spot checks disagreeing with the verdict), red when not zero, and the
office that shows most of them comes first.
"""

import flet as ft

from inspector.domain.oversight import OfficeRecord
from inspector.i18n import t
from inspector.ui import theme
from inspector.ui.guard import Guard
from inspector.ui.views.base import View
from inspector.ui.widgets import listing, muted, tagged

WARNING_SIGNS = ("overdue", "reworks", "rebounds", "disputed")
OTHER_FACTS = ("open", "items", "escalated", "avg_days_to_fix")


def concern(record: OfficeRecord) -> int:
    """How many warning signs an office shows, summed: the order of the cards."""
    return sum(getattr(record, name) for name in WARNING_SIGNS)


class OfficesView(View):
    title_key = "ui.oversight.title.offices"

    def __init__(self, app):
        super().__init__(app)
        self.records: list[OfficeRecord] = []
        self.at = None  # when the field client fetched them (None: live from the server)
        self.loaded = False
        self.error: str | None = None
        self.render()

    async def reload(self, e=None) -> None:
        with Guard(self.lang) as failure:  # shown in place of the cards
            self.records = await self.app.call(self.ws.office_records)
            at = getattr(self.ws, "office_records_at", None)
            self.at = await self.app.call(at) if at else None
        self.error = failure.message
        self.loaded = True
        self.render()

    def number(self, name: str, record: OfficeRecord, warn: bool) -> ft.Control:
        value = getattr(record, name)
        shown = "—" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))
        bad = warn and bool(value)
        return ft.Container(ft.Column([
            ft.Text(shown, size=theme.FIGURE, weight=ft.FontWeight.BOLD, color=theme.DANGER if bad else theme.INK),
            muted(t(f"ui.oversight.offices.short.{name}", self.lang), theme.SMALL, text_align=ft.TextAlign.CENTER,
                  max_lines=2),
        ], horizontal_alignment=ft.CrossAxisAlignment.CENTER, spacing=0), expand=1, padding=theme.SPACE_S,
            border_radius=theme.RADIUS_S, bgcolor=theme.DANGER_BG if bad else theme.FIGURE_BG)

    def card(self, record: OfficeRecord) -> ft.Control:
        lang = self.lang
        signs = concern(record)
        verdict = (t("ui.oversight.offices.watch", lang, count=signs) if signs
                   else t("ui.oversight.offices.clean", lang))
        return ft.Container(ft.Column([
            ft.Row([ft.Icon(ft.Icons.BUSINESS, color=theme.PRIMARY),
                    ft.Text(t(f"office.{record.office}", lang), size=theme.TITLE, weight=ft.FontWeight.BOLD,
                            expand=True)], spacing=theme.SPACE_M),
            ft.Text(verdict, size=theme.BODY, weight=ft.FontWeight.W_600,
                    color=theme.DANGER if signs else theme.OK),
            ft.Row([self.number(n, record, True) for n in WARNING_SIGNS], spacing=theme.SPACE_S),
            ft.Row([self.number(n, record, False) for n in OTHER_FACTS], spacing=theme.SPACE_S),
        ], spacing=theme.SPACE_L), padding=theme.SPACE_XXL, bgcolor=theme.SURFACE, border_radius=theme.RADIUS,
            border=ft.Border.all(theme.BORDER_BOLD if signs else theme.BORDER, theme.DANGER if signs else theme.LINE))

    def build(self) -> ft.Control:
        lang = self.lang
        head: list[ft.Control] = [muted(t("ui.oversight.offices.intro", lang))]
        if self.at is not None:
            head.append(muted(t("ui.oversight.offices.as_of", lang, time=self.app.short_time(self.at)), theme.SMALL))
        cards = [tagged(self.card(record), f"office-{record.office}")
                 for record in sorted(self.records, key=lambda r: (-concern(r), r.office))]
        return listing(cards, head=head, error=self.error,
                       empty=t("ui.oversight.offices.none", lang) if self.loaded else None, spacing=theme.SPACE_XL)
