"""Returns (退回): how many waits for an answer, and the month's return rate by office and by category.

The rate is ``inspector.domain.returns``'s: of the month's assignments to an
office, the share it sent back. A high rate for a category means its default
office in the routing table is wrong; for an office, that it is handed what is
not its work (or that it argues). The queue itself is Review's 退回申辩 tab,
where each return is answered (``returns_pane``); this section opens it.
"""

import flet as ft

from inspector.domain.returns import ReturnRate
from inspector.i18n import t
from inspector.services.returns import ReturnRates, month_rates
from inspector.ui import theme
from inspector.ui.desk.parts import SECTION_PADDING, card, dropdown, head, text
from inspector.ui.desk.section import Section

KEY_W = 220
NUMBER_W = 90
BAR_W = 220
BAR_H = 10
HIGH_RATE = 0.2  # a rate from here on is drawn red: worth a look at the routing table


class ReturnsView(Section):
    def __init__(self, shell):
        super().__init__(shell)
        self.months: list[str] = []
        self.month: str | None = None
        self.rates: ReturnRates | None = None
        self.waiting: int | None = None
        self.error: str | None = None
        self.render()

    async def shown(self) -> None:
        await self.load()  # answers in Review change the count: read again each time

    async def load(self) -> None:
        with self.guard(self.unreadable) as failure:
            if not self.months:
                self.months = await self.shell.call(self.desk.months)
                self.month = self.desk.opening_month()
            self.rates = await self.shell.call(month_rates, self.desk.ctx, self.desk.actor, self.month)
            self.waiting = (await self.shell.call(self.desk.counts)).get("returned", 0)
        self.loaded = not failure.failed
        if not failure.failed:
            self.error = None
        self.render()

    def unreadable(self, words: str) -> None:
        self.error = words

    async def on_month(self, e) -> None:
        self.month = e.control.value
        await self.load()

    async def open_queue(self, e=None) -> None:
        review = self.shell.view("review")
        await self.shell.show("review")
        await review.set_queue("returned")

    # ------------------------------------------------------------------ controls
    def build(self) -> ft.Control:
        lang = self.lang
        if self.error:
            return ft.Container(text(self.error, color=theme.DANGER, size=theme.DENSE_L), padding=SECTION_PADDING)
        if self.rates is None:
            return ft.Container(ft.ProgressRing(), padding=SECTION_PADDING, alignment=ft.Alignment.CENTER)
        months = [(m, m) for m in self.months]
        self.month_choice = dropdown(t("desk.returns.month", lang), months, self.month, self.on_month, width=160)
        total = self.rates.total
        self.queue_button = ft.FilledButton(t("desk.returns.open_queue", lang, count=self.waiting or 0),
                                            icon=ft.Icons.UNDO, on_click=self.open_queue)
        top = ft.Row([text(t("desk.nav.returns", lang), size=theme.HEADLINE, weight=ft.FontWeight.BOLD),
                      self.month_choice,
                      text(t("desk.returns.total", lang, returned=total.returned, assigned=total.assigned,
                             rate=percent(total)), size=theme.DENSE_L, weight=ft.FontWeight.W_600),
                      ft.Container(expand=True), self.queue_button],
                     spacing=theme.SPACE_XL, vertical_alignment=ft.CrossAxisAlignment.CENTER)
        tables = ft.Row([
            ft.Container(self.table(t("desk.returns.by_office", lang), self.rates.offices, "office"), expand=1),
            ft.Container(self.table(t("desk.returns.by_category", lang), self.rates.categories, "category"),
                         expand=1),
        ], spacing=theme.SPACE_XXL, vertical_alignment=ft.CrossAxisAlignment.START)
        note = text(t("desk.returns.note", lang), size=theme.SMALL, color=theme.MUTED)
        return ft.ListView([top, note, tables], spacing=theme.SPACE_XL, padding=SECTION_PADDING, expand=True)

    def table(self, title: str, rates: list[ReturnRate], prefix: str) -> ft.Control:
        lang = self.lang
        rows: list[ft.Control] = [ft.Row([head(t(f"desk.returns.{prefix}", lang), KEY_W),
                                          head(t("desk.returns.assigned", lang), NUMBER_W),
                                          head(t("desk.returns.returned", lang), NUMBER_W),
                                          head(t("desk.returns.rate", lang), BAR_W)])]
        for rate in sorted(rates, key=lambda r: (-(r.rate or 0), r.key)):
            high = (rate.rate or 0) >= HIGH_RATE
            colour = theme.DANGER if high else theme.PRIMARY
            share = rate.rate or 0
            bar = ft.Stack([ft.Container(width=BAR_W - 60, height=BAR_H, bgcolor=theme.PLACEHOLDER_BG,
                                         border_radius=theme.RADIUS_XS),
                            ft.Container(width=max((BAR_W - 60) * share, 1), height=BAR_H, bgcolor=colour,
                                         border_radius=theme.RADIUS_XS)])
            rows.append(ft.Row([text(t(f"{prefix}.{rate.key}", lang), width=KEY_W),
                                text(str(rate.assigned), width=NUMBER_W),
                                text(str(rate.returned), width=NUMBER_W, weight=ft.FontWeight.W_600),
                                ft.Row([bar, text(percent(rate), color=colour, weight=ft.FontWeight.BOLD)],
                                       spacing=theme.SPACE_S, width=BAR_W)],
                               vertical_alignment=ft.CrossAxisAlignment.CENTER))
        if not rates:
            rows.append(text(t("desk.returns.none", lang), color=theme.MUTED))
        return card(rows, title=title, spacing=theme.SPACE_S)


def percent(rate: ReturnRate) -> str:
    return "—" if rate.rate is None else f"{rate.rate * 100:.0f}%"
