"""督办 (D): the supervision list, items overdue past the campaign's limits, and the counts per office.

One row per item at level 1 (督办) or 2 (升级督办): its number (opens it in Review), the problem, the
office, the leader named, the level and the days overdue; above them, each office's counts. The list is
``services.supervision.supervision_board``: the same items and levels the sweep's events put them at.
"""

import flet as ft

from inspector.i18n import t
from inspector.services import supervision
from inspector.ui import theme
from inspector.ui.desk.parts import SECTION_PADDING, card, cut, head, link, loading, tag, text
from inspector.ui.desk.section import Section

NUMBER_W = 130
CATEGORY_W = 220  # the longest English category, whole (tests/ui/test_text_fit.py)
OFFICE_W = 290  # the whole English office name: the list has the width
LEADER_W = 120
LEVEL_W = 90
DAYS_W = 70
LEVEL_COLOURS = {1: (theme.DESK_EXTENSION_BG, theme.WARN), 2: (theme.DESK_ACCENT_BG, theme.DANGER)}


class SupervisionView(Section):
    def __init__(self, shell):
        super().__init__(shell)
        self.board: supervision.SupervisionBoard | None = None
        self.render()

    async def load(self) -> None:
        with self.guard() as failure:
            self.board = await self.shell.call(supervision.supervision_board, self.desk.ctx, self.desk.actor)
        self.loaded = not failure.failed
        self.render()

    async def shown(self) -> None:
        await self.load()  # fresh each time: the sweep runs in the background

    async def on_number(self, e) -> None:
        await self.shell.open_item(e.control.data)

    def build(self) -> ft.Control:
        lang = self.lang
        if self.board is None:
            return loading()
        policy = self.desk.ctx.settings.supervision_policy
        subtitle = text(t("desk.supervision.subtitle", lang, supervise=policy.supervise_after_days,
                          escalate=policy.escalate_after_days), color=theme.MUTED)
        return ft.Container(ft.Column([subtitle, self.build_counts(), self.build_list()], spacing=theme.SPACE_L,
                                      scroll=ft.ScrollMode.AUTO, expand=True), padding=SECTION_PADDING, expand=True)

    def build_counts(self) -> ft.Control:
        lang = self.lang
        chips = [ft.Container(ft.Column([text(t(f"office.{office}", lang), weight=ft.FontWeight.BOLD),
                                         text(t("desk.supervision.office_counts", lang, supervised=one,
                                                escalated=two), color=theme.MUTED)], spacing=theme.SPACE_XXS),
                              padding=theme.SPACE_M, border=ft.Border.all(theme.BORDER, theme.LINE),
                              border_radius=theme.DESK_RADIUS_XXS)
                 for office, (one, two) in sorted(self.board.counts.items())]
        body = ft.Row(chips, wrap=True, spacing=theme.SPACE_M) if chips else text(
            t("desk.supervision.empty", lang), color=theme.MUTED)
        return card([body], title=t("desk.supervision.by_office", lang))

    def build_list(self) -> ft.Control:
        lang = self.lang
        heads = ft.Row([head(t("desk.supervision.col.number", lang), NUMBER_W),
                        head(t("desk.supervision.col.category", lang), CATEGORY_W),
                        head(t("desk.supervision.col.office", lang), OFFICE_W),
                        head(t("desk.supervision.col.leader", lang), LEADER_W),
                        head(t("desk.supervision.col.level", lang), LEVEL_W),
                        head(t("desk.supervision.col.overdue", lang), DAYS_W)], spacing=theme.SPACE_M)
        rows: list[ft.Control] = [heads]
        for row in self.board.rows:
            item = row.item
            bg, fg = LEVEL_COLOURS[min(row.level, 2)]
            rows.append(ft.Row([
                ft.Container(link(item.number or t("notice.no_number", lang), self.on_number, data=item.id),
                             width=NUMBER_W),
                ft.Container(cut(t(f"category.{item.category}", lang)), width=CATEGORY_W),
                ft.Container(cut(t(f"office.{item.office}", lang)), width=OFFICE_W),
                ft.Container(cut(row.leader or t("supervision.no_leader", lang)), width=LEADER_W),
                ft.Container(tag(t(f"desk.supervision.level.{min(row.level, 2)}", lang), bg, fg), width=LEVEL_W),
                ft.Container(text(t("desk.supervision.days", lang, days=row.days_overdue), color=theme.DANGER,
                                  weight=ft.FontWeight.W_600), width=DAYS_W),
            ], spacing=theme.SPACE_M))
        if not self.board.rows:
            rows.append(text(t("desk.supervision.empty", lang), color=theme.MUTED))
        return card(rows, title=t("desk.supervision.title", lang), spacing=theme.SPACE_S)
