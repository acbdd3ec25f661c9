"""Admin's campaign card: its name, the phases' days, each office's top leader, the look-back days, and
how often each site type is visited per check type (``admin_frequencies``).

Admins change them; supervisors read them. Look-back days are stored only
where they differ from the catalogue's, so the catalogue can still move them.
"""

import flet as ft

from inspector.domain import catalog
from inspector.domain.campaign import PHASE_CODES
from inspector.i18n import t
from inspector.services import sites
from inspector.ui import theme
from inspector.ui.date_field import desk_day
from inspector.ui.desk import admin_frequencies as frequencies
from inspector.ui.desk.admin_panel import CARD_PAD, DAY_W, Panel
from inspector.ui.desk.parts import card, field, office_short, parse_day, text

NAME_W, PHASE_W, LEADER_W, DAYS_W = 420, 110, 200, 250  # the fields' widths (a category's name is the label)


class CampaignPanel(Panel):
    name = "campaign"
    campaign = None  # the CampaignView shown, once read
    type_names: dict[str, str] = {}  # the register's site types, code -> shown name

    async def load(self) -> None:
        self.campaign = await self.shell.call(self.desk.campaign)
        self.type_names = await self.shell.call(sites.type_names, self.desk.ctx, self.lang)
        self.fill_values()

    def fill_values(self) -> None:
        c = self.campaign.campaign
        self.values["name"] = c.name
        for p in c.phases:
            self.values[f"phase.{p.code}.starts"] = p.starts.isoformat()
            self.values[f"phase.{p.code}.ends"] = p.ends.isoformat()
        for o in catalog.OFFICES:
            self.values[f"leader.{o.code}"] = c.top_leaders.get(o.code, "")
        for cat in catalog.CATEGORIES:
            self.values[f"look_back.{cat.code}"] = str(c.look_back_days.get(cat.code) or cat.look_back_days)
        frequencies.fill(self.values, c.visit_every, list(self.type_names))

    def changes(self) -> dict:
        """What was typed, as ``Desk.save_campaign`` takes it; ``ValueError`` for a bad day or number."""
        phases = []
        for code in PHASE_CODES:
            starts = parse_day(self.values.get(f"phase.{code}.starts"))
            ends = parse_day(self.values.get(f"phase.{code}.ends"))
            if starts and ends:
                phases.append({"code": code, "starts": starts.isoformat(), "ends": ends.isoformat()})
        look_back = {}  # only where the campaign differs from the catalogue
        for cat in catalog.CATEGORIES:
            raw = (self.values.get(f"look_back.{cat.code}") or "").strip()
            if raw and int(raw) != cat.look_back_days:
                look_back[cat.code] = int(raw)
        leaders = {o.code: (self.values.get(f"leader.{o.code}") or "").strip() for o in catalog.OFFICES}
        return {"name": (self.values.get("name") or "").strip(), "phases": phases, "look_back_days": look_back,
                "top_leaders": {k: v for k, v in leaders.items() if v},
                "visit_every": frequencies.changes(self.values, list(self.type_names))}

    async def save(self, e=None) -> None:
        try:
            changes = self.changes()
        except ValueError:
            self.failed(t("desk.admin.bad_number_or_date", self.lang))
            self.render()
            return
        with self.guard() as failure:
            self.campaign = await self.shell.call(self.desk.save_campaign, changes)
        if not failure.failed:
            self.fill_values()
            self.say(t("desk.admin.saved", self.lang))
            await self.shell.campaign_line()
        self.render()
        self.shell.update()

    def build(self) -> ft.Control:
        lang, shell, values = self.lang, self.shell, self.values
        off = not self.is_admin
        view = self.campaign
        phase = t(f"phase.{view.current_phase}", lang) if view.current_phase else t("phase.none", lang)
        rows: list[ft.Control] = [
            *self.admin_only(),
            text(t("campaign.current_phase", lang, phase=phase), color=theme.MUTED),
            field(shell, values, "name", t("desk.admin.name", lang), width=NAME_W, disabled=off),
            text(t("desk.admin.phases", lang), weight=ft.FontWeight.BOLD),
        ]
        for code in PHASE_CODES:
            rows.append(ft.Row([
                ft.Container(text(t(f"phase.{code}", lang)), width=PHASE_W),
                desk_day(shell, values, f"phase.{code}.starts", t("desk.admin.starts", lang), width=DAY_W, disabled=off),
                desk_day(shell, values, f"phase.{code}.ends", t("desk.admin.ends", lang), width=DAY_W, disabled=off),
            ], spacing=theme.SPACE_M, vertical_alignment=ft.CrossAxisAlignment.CENTER))
        rows.append(text(t("desk.admin.top_leaders", lang), weight=ft.FontWeight.BOLD))
        rows.append(ft.Row([field(shell, values, f"leader.{o.code}", office_short(o.code, lang), width=LEADER_W,
                                  disabled=off) for o in catalog.OFFICES],
                           wrap=True, spacing=theme.SPACE_M, run_spacing=theme.SPACE_M))
        rows.append(text(t("desk.admin.look_back_days", lang), weight=ft.FontWeight.BOLD))
        rows.append(ft.Row([field(shell, values, f"look_back.{c.code}", t(f"category.{c.code}", lang), width=DAYS_W,
                                  disabled=off, hint_text=t("desk.admin.default_days", lang, days=c.look_back_days))
                            for c in catalog.CATEGORIES], wrap=True, spacing=theme.SPACE_M, run_spacing=theme.SPACE_M))
        rows += frequencies.grid(shell, values, self.type_names, lang, off)
        self.save_button = ft.FilledButton(t("desk.admin.save", lang), icon=ft.Icons.SAVE, on_click=self.save,
                                           disabled=off)
        rows += [ft.Row([self.save_button]), *self.message()]
        return card(rows, title=t("campaign.title", lang), padding=CARD_PAD, spacing=theme.SPACE_L)
