"""Admin (设置): the campaign (name, phases, top leaders, look-back days), delegations to spot checkers,
spot-check samples (with their seed and the items drawn), and cross-inspection rounds.

Admins change everything here; supervisors see it, may add check rounds, and
are told what only an admin may do. The services check it all again.
"""

import logging

import flet as ft

from inspector.domain import catalog
from inspector.domain.campaign import PHASE_CODES
from inspector.i18n import t
from inspector.ui import theme
from inspector.ui.desk.parts import LINE, card, dropdown, field, fresh, office_short, parse_day, status_tag, text
from inspector.ui.widgets import item_number

log = logging.getLogger(__name__)


class AdminView:
    def __init__(self, shell):
        self.shell, self.desk = shell, shell.desk
        self.is_admin = shell.ws.actor.role == "admin"
        self.values: dict[str, str] = {"size": "5"}
        self.campaign = None
        self.checkers: list = []
        self.sites: list = []
        self.delegations: list | None = None
        self.samples: list = []
        self.rounds: list = []
        self.drawn = None  # SampleView of the last draw, or of a sample opened
        self.checks: dict[str, bool] = {}  # sample id -> redraw matches
        self.chosen_offices: set[str] = set()
        self.chosen_sites: set[str] = set()
        self.messages: dict[str, tuple[str, bool]] = {}  # section -> (words, is_error)
        self.loaded = False
        self.root = ft.Container(expand=True, bgcolor="#F4F6F8")
        self.render()

    @property
    def lang(self) -> str:
        return self.shell.lang

    async def shown(self) -> None:
        if not self.loaded:
            await self.load()

    async def load(self) -> None:
        call, desk = self.shell.call, self.desk
        self.campaign = await call(desk.campaign)
        self.fill_campaign_values()
        self.checkers = await call(desk.checkers)
        self.sites = await call(desk.sites)
        if self.checkers:
            self.values.setdefault("checker", self.checkers[0].id)
            self.values.setdefault("sample_checker", self.checkers[0].id)
        try:
            self.delegations = await call(desk.delegations)
        except Exception as error:  # noqa: BLE001 - supervisors may not list delegations
            log.info("no delegations: %s", error)
            self.delegations = None
        self.samples = await call(desk.samples)
        self.rounds = await call(desk.rounds)
        self.loaded = True
        self.render()

    def fill_campaign_values(self) -> None:
        c = self.campaign.campaign
        self.values["name"] = c.name
        for p in c.phases:
            self.values[f"phase.{p.code}.starts"] = p.starts.isoformat()
            self.values[f"phase.{p.code}.ends"] = p.ends.isoformat()
        for o in catalog.OFFICES:
            self.values[f"leader.{o.code}"] = c.top_leaders.get(o.code, "")
        for cat in catalog.CATEGORIES:
            self.values[f"look_back.{cat.code}"] = str(c.look_back_days.get(cat.code) or cat.look_back_days)

    def say(self, section: str, words: str, error: bool = False) -> None:
        self.messages[section] = (words, error)
        if error:
            self.shell.snack(words, error=True)

    def render(self) -> None:
        self.root.content = ft.Container(self.build(), expand=True, data=fresh())
        try:
            self.root.update()
        except RuntimeError:
            pass

    def message(self, section: str) -> list[ft.Control]:
        if section not in self.messages:
            return []
        words, error = self.messages[section]
        return [text(words, size=13, color=theme.DANGER if error else theme.OK, weight=ft.FontWeight.W_600)]

    def admin_only(self) -> list[ft.Control]:
        return [] if self.is_admin else [text(t("desk.admin.admin_only", self.lang), size=13, color="#E65100")]

    # ------------------------------------------------------------------ campaign
    async def save_campaign(self, e=None) -> None:
        lang = self.lang
        try:
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
        except ValueError:
            self.say("campaign", t("desk.admin.bad_number_or_date", lang), error=True)
            self.render()
            return
        leaders = {o.code: (self.values.get(f"leader.{o.code}") or "").strip() for o in catalog.OFFICES}
        changes = {"name": (self.values.get("name") or "").strip(), "phases": phases, "look_back_days": look_back,
                   "top_leaders": {k: v for k, v in leaders.items() if v}}
        try:
            self.campaign = await self.shell.call(self.desk.save_campaign, changes)
        except Exception as error:  # noqa: BLE001
            self.say("campaign", self.shell.words(error), error=True)
        else:
            self.fill_campaign_values()
            self.say("campaign", t("desk.admin.saved", lang))
            await self.shell.campaign_line()
        self.render()
        self.shell.update()

    def build_campaign(self) -> ft.Control:
        lang, shell, values = self.lang, self.shell, self.values
        off = not self.is_admin
        view = self.campaign
        phase = t(f"phase.{view.current_phase}", lang) if view.current_phase else t("phase.none", lang)
        rows: list[ft.Control] = [
            *self.admin_only(),
            text(t("campaign.current_phase", lang, phase=phase), size=13, color=theme.MUTED),
            field(shell, values, "name", t("desk.admin.name", lang), width=420, disabled=off),
            text(t("desk.admin.phases", lang), size=13, weight=ft.FontWeight.BOLD),
        ]
        for code in PHASE_CODES:
            rows.append(ft.Row([
                ft.Container(text(t(f"phase.{code}", lang), size=13), width=110),
                field(shell, values, f"phase.{code}.starts", t("desk.admin.starts", lang), width=140, disabled=off),
                field(shell, values, f"phase.{code}.ends", t("desk.admin.ends", lang), width=140, disabled=off),
            ], spacing=8, vertical_alignment=ft.CrossAxisAlignment.CENTER))
        rows.append(text(t("desk.admin.top_leaders", lang), size=13, weight=ft.FontWeight.BOLD))
        rows.append(ft.Row([field(shell, values, f"leader.{o.code}", t(f"office.{o.code}", lang), width=200,
                                  disabled=off) for o in catalog.OFFICES], wrap=True, spacing=8, run_spacing=8))
        rows.append(text(t("desk.admin.look_back_days", lang), size=13, weight=ft.FontWeight.BOLD))
        rows.append(ft.Row([field(shell, values, f"look_back.{c.code}", t(f"category.{c.code}", lang), width=150,
                                  disabled=off, hint_text=t("desk.admin.default_days", lang, days=c.look_back_days))
                            for c in catalog.CATEGORIES], wrap=True, spacing=8, run_spacing=8))
        self.save_button = ft.FilledButton(t("desk.admin.save", lang), icon=ft.Icons.SAVE, on_click=self.save_campaign,
                                           disabled=off)
        rows += [ft.Row([self.save_button]), *self.message("campaign")]
        return card(rows, title=t("campaign.title", lang), padding=16, spacing=10)

    # ------------------------------------------------------------------ delegations
    def checker_name(self, user_id: str) -> str:
        return next((c.display_name or c.username for c in self.checkers if c.id == user_id), user_id[:8])

    def site_name(self, site_id: str) -> str:
        return next((s.name for s in self.sites if s.id == site_id), site_id[:8])

    async def on_choice(self, e) -> None:
        self.values[e.control.data] = e.control.value or ""

    async def toggle_office(self, e) -> None:
        (self.chosen_offices.add if e.control.selected else self.chosen_offices.discard)(e.control.data)

    async def toggle_site(self, e) -> None:
        (self.chosen_sites.add if e.control.selected else self.chosen_sites.discard)(e.control.data)

    async def delegate(self, e=None) -> None:
        lang = self.lang
        try:
            starts, ends = parse_day(self.values.get("del_starts")), parse_day(self.values.get("del_ends"))
        except ValueError:
            self.say("delegations", t("desk.filter.bad_date", lang), error=True)
            self.render()
            return
        user_id = self.values.get("checker")
        try:
            await self.shell.call(self.desk.delegate, user_id, sorted(self.chosen_offices), sorted(self.chosen_sites),
                                  starts, ends)
            self.delegations = await self.shell.call(self.desk.delegations)
        except Exception as error:  # noqa: BLE001
            self.say("delegations", self.shell.words(error), error=True)
        else:
            self.say("delegations", t("desk.admin.delegated", lang, name=self.checker_name(user_id)))
            self.chosen_offices, self.chosen_sites = set(), set()
        self.render()

    async def revoke(self, e) -> None:
        try:
            await self.shell.call(self.desk.revoke, e.control.data)
            self.delegations = await self.shell.call(self.desk.delegations)
            self.say("delegations", t("desk.admin.revoked", self.lang))
        except Exception as error:  # noqa: BLE001
            self.say("delegations", self.shell.words(error), error=True)
        self.render()

    def period_words(self, starts, ends) -> str:
        zone = self.desk.zone
        a = theme.local_time(starts, zone)[:10] if starts else "…"
        b = theme.local_time(ends, zone)[:10] if ends else "…"
        return f"{a} – {b}"

    def build_delegations(self) -> ft.Control:
        lang, shell = self.lang, self.shell
        rows: list[ft.Control] = [*self.admin_only()]
        if self.delegations is not None:
            for d in self.delegations:
                scope = [office_short(o, lang) for o in d.offices or []] + [self.site_name(s) for s in d.sites or []]
                rows.append(ft.Row([
                    text(self.checker_name(d.user_id), size=13, weight=ft.FontWeight.BOLD, width=130),
                    text("、".join(scope) or "—", size=13, expand=True),
                    text(self.period_words(d.starts, d.ends), size=12, color=theme.MUTED),
                    ft.TextButton(t("desk.admin.revoke", lang), data=d.id, on_click=self.revoke,
                                  disabled=not self.is_admin),
                ], spacing=8, vertical_alignment=ft.CrossAxisAlignment.CENTER))
            if not self.delegations:
                rows.append(text(t("desk.admin.no_delegations", lang), size=13, color=theme.MUTED))
        checkers = [(c.id, c.display_name or c.username) for c in self.checkers]
        off = not self.is_admin or not checkers
        self.checker_choice = dropdown(t("desk.admin.checker", lang), checkers, self.values.get("checker"),
                                       self.on_choice, width=220, data="checker", disabled=off)
        office_boxes = [ft.Chip(label=text(t(f"office.{o.code}", lang)), selected=o.code in self.chosen_offices,
                                data=o.code, on_select=self.toggle_office, disabled=off) for o in catalog.OFFICES]
        site_boxes = [ft.Chip(label=text(s.name), selected=s.id in self.chosen_sites, data=s.id,
                              on_select=self.toggle_site, disabled=off) for s in self.sites]
        self.delegate_button = ft.FilledButton(t("desk.admin.delegate", lang), icon=ft.Icons.HOW_TO_REG,
                                               on_click=self.delegate, disabled=off)
        rows += [
            ft.Divider(height=8, color=LINE),
            ft.Row([self.checker_choice,
                    field(shell, self.values, "del_starts", t("desk.admin.starts", lang), width=140, disabled=off,
                          hint_text="2026-07-01"),
                    field(shell, self.values, "del_ends", t("desk.admin.ends", lang), width=140, disabled=off,
                          hint_text="2026-08-31")], spacing=8, wrap=True),
            text(t("desk.admin.scope_offices", lang), size=12, color=theme.MUTED),
            ft.Row(office_boxes, wrap=True, spacing=6, run_spacing=6),
            text(t("desk.admin.scope_sites", lang), size=12, color=theme.MUTED),
            ft.Row(site_boxes, wrap=True, spacing=6, run_spacing=6),
            ft.Row([self.delegate_button]),
            *self.message("delegations"),
        ]
        return card(rows, title=t("desk.admin.delegations", lang), padding=16, spacing=8)

    # ------------------------------------------------------------------ samples
    async def draw(self, e=None) -> None:
        lang = self.lang
        try:
            size = int((self.values.get("size") or "").strip())
            seed_text = (self.values.get("seed") or "").strip()
            seed = int(seed_text) if seed_text else None
        except ValueError:
            self.say("samples", t("desk.admin.bad_number_or_date", lang), error=True)
            self.render()
            return
        try:
            self.drawn = await self.shell.call(self.desk.draw, self.values.get("sample_checker"), size, seed)
            self.samples = await self.shell.call(self.desk.samples)
        except Exception as error:  # noqa: BLE001
            self.say("samples", self.shell.words(error), error=True)
        else:
            s = self.drawn.sample
            self.say("samples", t("desk.admin.drawn", lang, count=len(s.item_ids or []),
                                  candidates=len(s.candidate_ids or []), seed=s.seed))
        self.render()

    async def open_sample(self, e) -> None:
        sample = next((s for s in self.samples if s.id == e.control.data), None)
        if sample is not None:
            self.drawn = await self.shell.call(self.desk.sample_view, sample)
            self.render()

    async def check_sample(self, e) -> None:
        try:
            result = await self.shell.call(self.desk.check_sample, e.control.data)
        except Exception as error:  # noqa: BLE001
            self.say("samples", self.shell.words(error), error=True)
        else:
            self.checks[e.control.data] = result.matches
            self.say("samples", t("oversight.sample.matches" if result.matches else "oversight.sample.differs",
                                  self.lang), error=not result.matches)
        self.render()

    async def open_item(self, e) -> None:
        await self.shell.open_item(e.control.data)

    def build_samples(self) -> ft.Control:
        lang, shell = self.lang, self.shell
        checkers = [(c.id, c.display_name or c.username) for c in self.checkers]
        off = not self.is_admin or not checkers
        self.sample_checker_choice = dropdown(t("desk.admin.checker", lang), checkers,
                                              self.values.get("sample_checker"), self.on_choice, width=220,
                                              data="sample_checker", disabled=off)
        self.draw_button = ft.FilledButton(t("desk.admin.draw", lang), icon=ft.Icons.CASINO, on_click=self.draw,
                                           disabled=off)
        rows: list[ft.Control] = [
            *self.admin_only(),
            text(t("desk.admin.sample_hint", lang), size=12, color=theme.MUTED),
            ft.Row([self.sample_checker_choice,
                    field(shell, self.values, "size", t("desk.admin.size", lang), width=90, disabled=off),
                    field(shell, self.values, "seed", t("desk.admin.seed_optional", lang), width=220, disabled=off),
                    self.draw_button], spacing=8, wrap=True, vertical_alignment=ft.CrossAxisAlignment.CENTER),
            *self.message("samples"),
        ]
        if self.drawn is not None:
            s = self.drawn.sample
            lines: list[ft.Control] = [
                text(t("desk.admin.sample_head", lang, name=self.drawn.checker_name,
                       time=theme.local_time(s.drawn_at, self.desk.zone)), size=13, weight=ft.FontWeight.BOLD),
                ft.Row([text(t("desk.admin.seed", lang), size=13),
                        text(s.seed, size=14, weight=ft.FontWeight.BOLD, selectable=True, color=theme.PRIMARY),
                        text(t("desk.admin.from_candidates", lang, candidates=len(s.candidate_ids or []),
                               count=len(s.item_ids or [])), size=13, color=theme.MUTED)], spacing=8, wrap=True),
            ]
            for item in self.drawn.items:
                checked = item.id in self.drawn.checked
                lines.append(ft.Container(ft.Row([
                    text(item_number(item, lang), size=13, weight=ft.FontWeight.W_600, width=120),
                    text(t(f"category.{item.category}", lang), size=13, expand=True),
                    text(office_short(item.office, lang), size=13, width=70),
                    status_tag(item.status, lang),
                    text(t("desk.admin.checked" if checked else "desk.admin.not_checked", lang), size=12,
                         color=theme.OK if checked else theme.MUTED, width=64),
                ], spacing=8, vertical_alignment=ft.CrossAxisAlignment.CENTER), data=item.id, on_click=self.open_item,
                    ink=True, padding=ft.Padding(6, 4, 6, 4), border=ft.Border(top=ft.BorderSide(1, "#ECEFF1"))))
            rows.append(ft.Container(ft.Column(lines, spacing=4), bgcolor="#F5F9FF", padding=10, border_radius=8,
                                     border=ft.Border.all(1, "#BBDEFB")))
        if self.samples:
            rows.append(text(t("desk.admin.past_samples", lang), size=13, weight=ft.FontWeight.BOLD))
            for s in self.samples[:6]:
                verdict = self.checks.get(s.id)
                rows.append(ft.Row([
                    text(theme.local_time(s.drawn_at, self.desk.zone), size=12, color=theme.MUTED, width=120),
                    text(self.checker_name(s.user_id), size=13, width=120),
                    text(t("desk.admin.sample_line", lang, count=len(s.item_ids or []), seed=s.seed), size=12,
                         expand=True),
                    ft.TextButton(t("desk.admin.show", lang), data=s.id, on_click=self.open_sample),
                    ft.TextButton(t("desk.admin.recheck", lang), data=s.id, on_click=self.check_sample),
                    *([] if verdict is None else [ft.Icon(ft.Icons.VERIFIED if verdict else ft.Icons.ERROR,
                                                          color=theme.OK if verdict else theme.DANGER, size=18)]),
                ], spacing=6, vertical_alignment=ft.CrossAxisAlignment.CENTER))
        return card(rows, title=t("desk.admin.samples", lang), padding=16, spacing=8)

    # ------------------------------------------------------------------ rounds
    async def create_round(self, e=None) -> None:
        lang = self.lang
        try:
            starts, ends = parse_day(self.values.get("round_starts")), parse_day(self.values.get("round_ends"))
        except ValueError:
            self.say("rounds", t("desk.filter.bad_date", lang), error=True)
            self.render()
            return
        if starts is None or ends is None:
            self.say("rounds", t("desk.filter.bad_date", lang), error=True)
            self.render()
            return
        try:
            await self.shell.call(self.desk.create_round, self.values.get("round_name") or "",
                                  self.values.get("inspecting") or "", self.values.get("inspected") or "", starts, ends)
            self.rounds = await self.shell.call(self.desk.rounds)
        except Exception as error:  # noqa: BLE001
            self.say("rounds", self.shell.words(error), error=True)
        else:
            self.say("rounds", t("desk.admin.round_made", lang))
        self.render()

    def build_rounds(self) -> ft.Control:
        lang, shell = self.lang, self.shell
        offices = [(o.code, t(f"office.{o.code}", lang)) for o in catalog.OFFICES]
        rows: list[ft.Control] = []
        today = self.desk.today()
        for r in self.rounds[:12]:
            current = r.starts <= today <= r.ends
            rows.append(ft.Row([
                text(r.name, size=13, weight=ft.FontWeight.BOLD, expand=True),
                text(t("desk.admin.round_line", lang, a=office_short(r.inspecting_office, lang),
                       b=office_short(r.inspected_office, lang)), size=13),
                text(f"{r.starts.isoformat()} – {r.ends.isoformat()}", size=12,
                     color=theme.OK if current else theme.MUTED),
            ], spacing=10))
        if not self.rounds:
            rows.append(text(t("desk.admin.no_rounds", lang), size=13, color=theme.MUTED))
        self.round_button = ft.FilledButton(t("desk.admin.create_round", lang), icon=ft.Icons.ADD,
                                            on_click=self.create_round)
        rows += [
            ft.Divider(height=8, color=LINE),
            ft.Row([field(shell, self.values, "round_name", t("desk.admin.round_name", lang), width=220),
                    dropdown(t("desk.admin.inspecting", lang), offices, self.values.get("inspecting"), self.on_choice,
                             width=170, data="inspecting"),
                    dropdown(t("desk.admin.inspected", lang), offices, self.values.get("inspected"), self.on_choice,
                             width=170, data="inspected")], spacing=8, wrap=True),
            ft.Row([field(shell, self.values, "round_starts", t("desk.admin.starts", lang), width=140,
                          hint_text="2026-07-20"),
                    field(shell, self.values, "round_ends", t("desk.admin.ends", lang), width=140,
                          hint_text="2026-07-25"), self.round_button], spacing=8, wrap=True),
            *self.message("rounds"),
        ]
        return card(rows, title=t("campaign.rounds", lang), padding=16, spacing=8)

    # ------------------------------------------------------------------ page
    def build(self) -> ft.Control:
        if not self.loaded:
            return ft.Container(ft.ProgressRing(), padding=24)
        left = ft.Column([self.build_campaign()], spacing=14, expand=1, scroll=ft.ScrollMode.AUTO,
                         horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
        right = ft.Column([self.build_delegations(), self.build_samples(), self.build_rounds()], spacing=14, expand=1,
                          scroll=ft.ScrollMode.AUTO, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
        return ft.Container(ft.Row([left, right], spacing=14, expand=True,
                                   vertical_alignment=ft.CrossAxisAlignment.START),
                            padding=ft.Padding(18, 14, 18, 14), expand=True)
