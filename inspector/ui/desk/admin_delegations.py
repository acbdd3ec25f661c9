"""Admin's delegations card: which spot checker may look at which offices and sites, and for which days.

Only admins list and change delegations; a supervisor sees the card with
its form switched off and the words that only an admin may do this.
"""

import flet as ft

from inspector.domain import catalog
from inspector.errors import Forbidden
from inspector.i18n import listed, t
from inspector.ui import theme
from inspector.ui.date_field import desk_day
from inspector.ui.desk.admin_panel import CARD_PAD, CHECKER_W, DAY_W, Panel
from inspector.ui.desk.parts import dropdown, card, office_short, text

NAME_W = 130


class DelegationsPanel(Panel):
    name = "delegations"

    def __init__(self, admin):
        super().__init__(admin)
        self.delegations: list | None = None  # None: this person may not list them
        self.chosen_offices: set[str] = set()
        self.chosen_sites: set[str] = set()

    async def load(self) -> None:
        try:
            self.delegations = await self.shell.call(self.desk.delegations)
        except Forbidden:  # only admins list delegations: a supervisor gets the card without them
            self.delegations = None

    def site_name(self, site_id: str) -> str:
        return next((s.name for s in self.admin.sites if s.id == site_id), site_id[:8])

    def period_words(self, starts, ends) -> str:
        zone = self.desk.zone
        a = theme.local_time(starts, zone)[:10] if starts else "…"
        b = theme.local_time(ends, zone)[:10] if ends else "…"
        return f"{a} – {b}"

    # ------------------------------------------------------------------ actions
    async def toggle_office(self, e) -> None:
        (self.chosen_offices.add if e.control.selected else self.chosen_offices.discard)(e.control.data)

    async def toggle_site(self, e) -> None:
        (self.chosen_sites.add if e.control.selected else self.chosen_sites.discard)(e.control.data)

    async def delegate(self, e=None) -> None:
        days = self.days("del_starts", "del_ends")
        if days is None:
            return
        user_id = self.values.get("checker")
        with self.guard() as failure:
            await self.shell.call(self.desk.delegate, user_id, sorted(self.chosen_offices), sorted(self.chosen_sites),
                                  *days)
            self.delegations = await self.shell.call(self.desk.delegations)
        if not failure.failed:
            self.say(t("desk.admin.delegated", self.lang, name=self.checker_name(user_id)))
            self.chosen_offices, self.chosen_sites = set(), set()
        self.render()

    async def revoke(self, e) -> None:
        with self.guard() as failure:
            await self.shell.call(self.desk.revoke, e.control.data)
            self.delegations = await self.shell.call(self.desk.delegations)
        if not failure.failed:
            self.say(t("desk.admin.revoked", self.lang))
        self.render()

    # ------------------------------------------------------------------ controls
    def build_list(self) -> list[ft.Control]:
        lang = self.lang
        if self.delegations is None:
            return []
        rows: list[ft.Control] = []
        for d in self.delegations:
            scope = [office_short(o, lang) for o in d.offices or []] + [self.site_name(s) for s in d.sites or []]
            rows.append(ft.Row([
                text(self.checker_name(d.user_id), weight=ft.FontWeight.BOLD, width=NAME_W),
                text(listed(scope, self.lang) or "—", expand=True),
                text(self.period_words(d.starts, d.ends), size=theme.DENSE_S, color=theme.MUTED),
                ft.TextButton(t("desk.admin.revoke", lang), data=d.id, on_click=self.revoke,
                              disabled=not self.is_admin),
            ], spacing=theme.SPACE_M, vertical_alignment=ft.CrossAxisAlignment.CENTER))
        if not self.delegations:
            rows.append(text(t("desk.admin.no_delegations", lang), color=theme.MUTED))
        return rows

    def build(self) -> ft.Control:
        lang, shell = self.lang, self.shell
        checkers = self.checker_choices()
        off = not self.is_admin or not checkers
        self.checker_choice = dropdown(t("desk.admin.checker", lang), checkers, self.values.get("checker"),
                                       self.on_choice, width=CHECKER_W, data="checker", disabled=off)
        office_boxes = [ft.Chip(label=text(t(f"office.{o.code}", lang)), selected=o.code in self.chosen_offices,
                                data=o.code, on_select=self.toggle_office, disabled=off) for o in catalog.OFFICES]
        site_boxes = [ft.Chip(label=text(s.name), selected=s.id in self.chosen_sites, data=s.id,
                              on_select=self.toggle_site, disabled=off) for s in self.admin.sites]
        self.delegate_button = ft.FilledButton(t("desk.admin.delegate", lang), icon=ft.Icons.HOW_TO_REG,
                                               on_click=self.delegate, disabled=off)
        chips = {"wrap": True, "spacing": theme.SPACE_S, "run_spacing": theme.SPACE_S}
        rows = [
            *self.admin_only(),
            *self.build_list(),
            ft.Divider(height=theme.SPACE_M, color=theme.LINE),
            ft.Row([self.checker_choice,
                    desk_day(shell, self.values, "del_starts", t("desk.admin.starts", lang), width=DAY_W, disabled=off),
                    desk_day(shell, self.values, "del_ends", t("desk.admin.ends", lang), width=DAY_W, disabled=off)], spacing=theme.SPACE_M, wrap=True),
            text(t("desk.admin.scope_offices", lang), size=theme.DENSE_S, color=theme.MUTED),
            ft.Row(office_boxes, **chips),
            text(t("desk.admin.scope_sites", lang), size=theme.DENSE_S, color=theme.MUTED),
            ft.Row(site_boxes, **chips),
            ft.Row([self.delegate_button]),
            *self.message(),
        ]
        return card(rows, title=t("desk.admin.delegations", lang), padding=CARD_PAD)
