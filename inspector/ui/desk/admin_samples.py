"""Admin's samples card: draw a spot-check sample for a checker, see its seed and items, redo a past draw.

A draw records its seed, so anyone can redo it later and get the same
items (重算核对); a drawn item opens in Review.
"""

import flet as ft

from inspector.i18n import t
from inspector.ui import theme
from inspector.ui.desk.admin_panel import CARD_PAD, CHECKER_W, Panel
from inspector.ui.desk.parts import card, dropdown, field, office_short, status_tag, text
from inspector.ui.widgets import item_number

PAST_SHOWN = 6  # past samples listed
SIZE_W = 90
SEED_W = 220
NUMBER_W = TIME_W = NAME_W = 120
OFFICE_W = 70
CHECKED_W = 64


class SamplesPanel(Panel):
    name = "samples"

    def __init__(self, admin):
        super().__init__(admin)
        self.samples: list = []
        self.drawn = None  # SampleView of the last draw, or of a sample opened
        self.checks: dict[str, bool] = {}  # sample id -> redraw matches

    async def load(self) -> None:
        self.samples = await self.shell.call(self.desk.samples)

    # ------------------------------------------------------------------ actions
    async def draw(self, e=None) -> None:
        lang = self.lang
        try:
            size = int((self.values.get("size") or "").strip())
            seed_text = (self.values.get("seed") or "").strip()
            seed = int(seed_text) if seed_text else None
        except ValueError:
            self.failed(t("desk.admin.bad_number_or_date", lang))
            self.render()
            return
        with self.guard() as failure:
            self.drawn = await self.shell.call(self.desk.draw, self.values.get("sample_checker"), size, seed)
            self.samples = await self.shell.call(self.desk.samples)
        if not failure.failed:
            s = self.drawn.sample
            self.say(t("desk.admin.drawn", lang, count=len(s.item_ids or []), candidates=len(s.candidate_ids or []),
                       seed=s.seed))
        self.render()

    async def open_sample(self, e) -> None:
        sample = next((s for s in self.samples if s.id == e.control.data), None)
        if sample is None:
            return
        with self.guard():
            self.drawn = await self.shell.call(self.desk.sample_view, sample)
        self.render()

    async def check_sample(self, e) -> None:
        with self.guard() as failure:
            result = await self.shell.call(self.desk.check_sample, e.control.data)
        if not failure.failed:
            self.checks[e.control.data] = result.matches
            self.say(t("oversight.sample.matches" if result.matches else "oversight.sample.differs", self.lang),
                     error=not result.matches)
        self.render()

    async def open_item(self, e) -> None:
        await self.shell.open_item(e.control.data)

    # ------------------------------------------------------------------ controls
    def build_drawn(self) -> ft.Control:
        lang, drawn = self.lang, self.drawn
        s = drawn.sample
        lines: list[ft.Control] = [
            text(t("desk.admin.sample_head", lang, name=drawn.checker_name,
                   time=theme.local_time(s.drawn_at, self.desk.zone)), weight=ft.FontWeight.BOLD),
            ft.Row([text(t("desk.admin.seed", lang)),
                    text(s.seed, size=theme.SMALL, weight=ft.FontWeight.BOLD, selectable=True, color=theme.PRIMARY),
                    text(t("desk.admin.from_candidates", lang, candidates=len(s.candidate_ids or []),
                           count=len(s.item_ids or [])), color=theme.MUTED)], spacing=theme.SPACE_M, wrap=True),
        ]
        for item in drawn.items:
            checked = item.id in drawn.checked
            lines.append(ft.Container(ft.Row([
                text(item_number(item, lang), weight=ft.FontWeight.W_600, width=NUMBER_W),
                text(t(f"category.{item.category}", lang), expand=True),
                text(office_short(item.office, lang), width=OFFICE_W),
                status_tag(item.status, lang),
                text(t("desk.admin.checked" if checked else "desk.admin.not_checked", lang), size=theme.DENSE_S,
                     color=theme.OK if checked else theme.MUTED, width=CHECKED_W),
            ], spacing=theme.SPACE_M, vertical_alignment=ft.CrossAxisAlignment.CENTER), data=item.id,
                on_click=self.open_item, ink=True,
                padding=ft.Padding.symmetric(horizontal=theme.SPACE_S, vertical=theme.SPACE_XS),
                border=ft.Border(top=ft.BorderSide(theme.BORDER, theme.PLACEHOLDER_BG))))
        return ft.Container(ft.Column(lines, spacing=theme.SPACE_XS), bgcolor=theme.DESK_SAMPLE_BG,
                            padding=theme.SPACE_L, border_radius=theme.RADIUS_S,
                            border=ft.Border.all(theme.BORDER, theme.DESK_SAMPLE_LINE))

    def build_past(self) -> list[ft.Control]:
        lang = self.lang
        rows: list[ft.Control] = [text(t("desk.admin.past_samples", lang), weight=ft.FontWeight.BOLD)]
        for s in self.samples[:PAST_SHOWN]:
            verdict = self.checks.get(s.id)
            rows.append(ft.Row([
                text(theme.local_time(s.drawn_at, self.desk.zone), size=theme.DENSE_S, color=theme.MUTED,
                     width=TIME_W),
                text(self.checker_name(s.user_id), width=NAME_W),
                text(t("desk.admin.sample_line", lang, count=len(s.item_ids or []), seed=s.seed), size=theme.DENSE_S,
                     expand=True),
                ft.TextButton(t("desk.admin.show", lang), data=s.id, on_click=self.open_sample),
                ft.TextButton(t("desk.admin.recheck", lang), data=s.id, on_click=self.check_sample),
                *([] if verdict is None else [ft.Icon(ft.Icons.VERIFIED if verdict else ft.Icons.ERROR,
                                                      color=theme.OK if verdict else theme.DANGER,
                                                      size=theme.ICON_S)]),
            ], spacing=theme.SPACE_S, vertical_alignment=ft.CrossAxisAlignment.CENTER))
        return rows

    def build(self) -> ft.Control:
        lang, shell = self.lang, self.shell
        checkers = self.checker_choices()
        off = not self.is_admin or not checkers
        self.sample_checker_choice = dropdown(t("desk.admin.checker", lang), checkers,
                                              self.values.get("sample_checker"), self.on_choice, width=CHECKER_W,
                                              data="sample_checker", disabled=off)
        self.draw_button = ft.FilledButton(t("desk.admin.draw", lang), icon=ft.Icons.CASINO, on_click=self.draw,
                                           disabled=off)
        rows: list[ft.Control] = [
            *self.admin_only(),
            text(t("desk.admin.sample_hint", lang), size=theme.DENSE_S, color=theme.MUTED),
            ft.Row([self.sample_checker_choice,
                    field(shell, self.values, "size", t("desk.admin.size", lang), width=SIZE_W, disabled=off),
                    field(shell, self.values, "seed", t("desk.admin.seed_optional", lang), width=SEED_W, disabled=off),
                    self.draw_button], spacing=theme.SPACE_M, wrap=True,
                   vertical_alignment=ft.CrossAxisAlignment.CENTER),
            *self.message(),
        ]
        if self.drawn is not None:
            rows.append(self.build_drawn())
        if self.samples:
            rows += self.build_past()
        return card(rows, title=t("desk.admin.samples", lang), padding=CARD_PAD)
