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
from inspector.ui.views.base import View
from inspector.ui.widgets import empty_state

WARNING_SIGNS = ("overdue", "reworks", "rebounds", "disputed")
OTHER_FACTS = ("open", "items", "escalated", "avg_days_to_fix")


def concern(record: OfficeRecord) -> int:
    """How many warning signs an office shows, summed: the order of the cards."""
    return sum(getattr(record, name) for name in WARNING_SIGNS)


class OfficesView(View):
    def __init__(self, app):
        super().__init__(app)
        self.records: list[OfficeRecord] = []
        self.at = None  # when the field client fetched them (None: live from the server)
        self.loaded = False
        self.error: str | None = None
        self.render()

    def title(self) -> str:
        return t("ui.oversight.title.offices", self.lang)

    async def shown(self) -> None:
        try:
            self.records = await self.app.call(self.ws.office_records)
            at = getattr(self.ws, "office_records_at", None)
            self.at = await self.app.call(at) if at else None
            self.error = None
        except Exception as error:  # noqa: BLE001
            self.error = self.app.words(error)
        self.loaded = True
        self.render()

    def number(self, name: str, record: OfficeRecord, warn: bool) -> ft.Control:
        value = getattr(record, name)
        shown = "—" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))
        bad = warn and bool(value)
        return ft.Container(ft.Column([
            ft.Text(shown, size=22, weight=ft.FontWeight.BOLD, color=theme.DANGER if bad else "#263238"),
            ft.Text(t(f"ui.oversight.offices.short.{name}", self.lang), size=theme.SMALL, color=theme.MUTED,
                    text_align=ft.TextAlign.CENTER, max_lines=2),
        ], horizontal_alignment=ft.CrossAxisAlignment.CENTER, spacing=0), expand=1, padding=6, border_radius=8,
            bgcolor="#FFEBEE" if bad else "#F5F7F8")

    def card(self, record: OfficeRecord) -> ft.Control:
        lang = self.lang
        signs = concern(record)
        verdict = (t("ui.oversight.offices.watch", lang, count=signs) if signs
                   else t("ui.oversight.offices.clean", lang))
        return ft.Container(ft.Column([
            ft.Row([ft.Icon(ft.Icons.BUSINESS, color=theme.PRIMARY),
                    ft.Text(t(f"office.{record.office}", lang), size=18, weight=ft.FontWeight.BOLD, expand=True)],
                   spacing=8),
            ft.Text(verdict, size=theme.BODY, weight=ft.FontWeight.W_600,
                    color=theme.DANGER if signs else theme.OK),
            ft.Row([self.number(n, record, True) for n in WARNING_SIGNS], spacing=6),
            ft.Row([self.number(n, record, False) for n in OTHER_FACTS], spacing=6),
        ], spacing=10), padding=14, bgcolor="#FFFFFF", border_radius=12,
            border=ft.Border.all(2 if signs else 1, theme.DANGER if signs else "#CFD8DC"))

    def build(self) -> ft.Control:
        lang = self.lang
        controls: list[ft.Control] = [ft.Text(t("ui.oversight.offices.intro", lang), size=theme.BODY,
                                              color=theme.MUTED)]
        if self.at is not None:
            controls.append(ft.Text(t("ui.oversight.offices.as_of", lang, time=self.app.short_time(self.at)),
                                    size=theme.SMALL, color=theme.MUTED))
        if self.error:
            controls.append(ft.Text(self.error, color=theme.DANGER, size=theme.BODY))
        for record in sorted(self.records, key=lambda r: (-concern(r), r.office)):
            controls.append(ft.Semantics(content=self.card(record), identifier=f"office-{record.office}",
                                         container=True))
        if self.loaded and not self.records and not self.error:
            controls.append(empty_state(t("ui.oversight.offices.none", lang)))
        return ft.ListView(controls, expand=True, spacing=12, padding=16)
