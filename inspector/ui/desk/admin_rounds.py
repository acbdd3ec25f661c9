"""Admin's rounds card: cross-inspection rounds (one office inspects another for some days); supervisors add them."""

import flet as ft

from inspector.i18n import t
from inspector.ui import theme
from inspector.ui.date_field import desk_day
from inspector.ui.desk.admin_panel import CARD_PAD, DAY_W, Panel
from inspector.ui.desk.parts import card, dropdown, field, office_choices, office_short, text

ROUNDS_SHOWN = 12
NAME_W, OFFICE_W = 220, 170  # the form's widths


class RoundsPanel(Panel):
    name = "rounds"
    rounds: tuple | list = ()  # the campaign's rounds, newest first, once read

    async def load(self) -> None:
        self.rounds = await self.shell.call(self.desk.rounds)

    async def create_round(self, e=None) -> None:
        days = self.days("round_starts", "round_ends", needed=True)
        if days is None:
            return
        with self.guard() as failure:
            await self.shell.call(self.desk.create_round, self.values.get("round_name") or "",
                                  self.values.get("inspecting") or "", self.values.get("inspected") or "", *days)
            self.rounds = await self.shell.call(self.desk.rounds)
        if not failure.failed:
            self.say(t("desk.admin.round_made", self.lang))
        self.render()

    def build(self) -> ft.Control:
        lang, shell = self.lang, self.shell
        offices = office_choices(lang)
        rows: list[ft.Control] = []
        today = self.desk.today()
        for r in self.rounds[:ROUNDS_SHOWN]:
            current = r.starts <= today <= r.ends
            rows.append(ft.Row([
                text(r.name, weight=ft.FontWeight.BOLD, expand=True),
                text(t("desk.admin.round_line", lang, a=office_short(r.inspecting_office, lang),
                       b=office_short(r.inspected_office, lang))),
                text(f"{r.starts.isoformat()} – {r.ends.isoformat()}", size=theme.DENSE_S,
                     color=theme.OK if current else theme.MUTED),
            ], spacing=theme.SPACE_L))
        if not self.rounds:
            rows.append(text(t("desk.admin.no_rounds", lang), color=theme.MUTED))
        self.round_button = ft.FilledButton(t("desk.admin.create_round", lang), icon=ft.Icons.ADD,
                                            on_click=self.create_round)
        rows += [
            ft.Divider(height=theme.SPACE_M, color=theme.LINE),
            ft.Row([field(shell, self.values, "round_name", t("desk.admin.round_name", lang), width=NAME_W),
                    dropdown(t("desk.admin.inspecting", lang), offices, self.values.get("inspecting"), self.on_choice,
                             width=OFFICE_W, data="inspecting"),
                    dropdown(t("desk.admin.inspected", lang), offices, self.values.get("inspected"), self.on_choice,
                             width=OFFICE_W, data="inspected")], spacing=theme.SPACE_M, wrap=True),
            ft.Row([desk_day(shell, self.values, "round_starts", t("desk.admin.starts", lang), width=DAY_W),
                    desk_day(shell, self.values, "round_ends", t("desk.admin.ends", lang), width=DAY_W), self.round_button], spacing=theme.SPACE_M, wrap=True),
            *self.message(),
        ]
        return card(rows, title=t("campaign.rounds", lang), padding=CARD_PAD)
