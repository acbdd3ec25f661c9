"""Scores (月考): the visits' columns of the board and the list of what is behind each of their numbers.

Three columns beside the score: visit coverage (windows covered / windows
due, ``inspector.domain.scoring.coverage``), the average visit score (with the
number of visits) and the failed visits. A number opens a dialog listing
exactly the visits behind it (site, date, check type, met / applicable,
result; under each visit the items its failed points became, each opening
in Review) and, for coverage, the windows missed (site, check type, the
window's days). The rules stand in words under the formula, saying whether
coverage is in the score.
"""

from typing import Sequence

import flet as ft

from inspector.domain.scoring import OfficeScore, VisitFact, Window
from inspector.domain.scoring.coverage import missed
from inspector.i18n import t
from inspector.services import visit_links
from inspector.services.visit_links import VisitItem
from inspector.ui import theme
from inspector.ui.desk.parts import head, link, office_short, text
from inspector.ui.desk.visit_summary import item_links
from inspector.ui.guard import Guard

COVERAGE_W, VISIT_SCORE_W, FAILED_W = 70, 70, 60
DIALOG_W = 640
SITE_W, DAY_W, CHECK_W, MET_W, PASSED_W, WINDOW_W = 180, 90, 110, 90, 70, 170
SCROLL_FROM = 12  # rows: a shorter list keeps the dialog its own height
MAX_LISTED = 300  # rows in one dialog: a month of one office's visits fits


class VisitColumns:
    """The visits' part of ``ScoresView``: head cells, a row's cells, the rules, the drill-down dialog."""

    def __init__(self, view):
        self.view = view
        self.dialog: ft.AlertDialog | None = None
        self.listed: tuple[str, ...] = ()  # the visits the open dialog lists (what tests read)
        self.missed: tuple[Window, ...] = ()  # the windows missed it lists
        self.items: dict[str, tuple[VisitItem, ...]] = {}  # each listed visit's items, as linked

    @property
    def lang(self) -> str:
        return self.view.lang

    def weighed(self) -> bool:
        return any(name == "coverage" and weight > 0 for name, weight in self.view.view.board.formula.weights)

    def rules(self) -> list[ft.Control]:
        """The rules in words, under the formula."""
        lang = self.lang
        beside = "score.coverage_weighed" if self.weighed() else "score.coverage_beside"
        return [text(t(key, lang), size=theme.DENSE_S, color=theme.MUTED)
                for key in ("score.coverage_rule", "score.visit_score_rule", beside)]

    def header(self) -> list[ft.Control]:
        lang = self.lang
        return [self.view.header_cell(t("score.measure.coverage", lang), COVERAGE_W),
                self.view.header_cell(t("score.measure.visit_score", lang), VISIT_SCORE_W),
                self.view.header_cell(t("score.measure.visits_failed", lang), FAILED_W)]

    # ------------------------------------------------------------------ cells
    def _link(self, words: str, office: str, what: str, ids: Sequence[str], windows: bool = False,
              size: int = theme.DENSE, bold: bool = False) -> ft.Control:
        tip = t("desk.scores.open_visits", self.lang, count=len(ids))
        return link(words, self.on_open, data=(self.view.title_for(office, what), tuple(ids), windows, office),
                    size=size, bold=bold, tooltip=tip)

    def cells(self, row: OfficeScore) -> list[ft.Control]:
        lang, figures = self.lang, row.visiting
        name = t("score.measure.coverage", lang)
        rate = figures.coverage
        if rate.value is None:
            top: ft.Control = text("—", size=theme.DENSE_L, color=theme.PLACEHOLDER, tooltip=t("score.no_score", lang))
        else:
            top = self._link(f"{rate.value * 100:.0f}%", row.office, name, rate.numerator.ids, True,
                             size=theme.DENSE_L, bold=True)
        halves = ft.Row([self._link(str(rate.numerator.value), row.office, f"{name} · {t('desk.scores.numerator', lang)}",
                                    rate.numerator.ids, True, size=theme.DENSE_S),
                         text("/", size=theme.DENSE_S, color=theme.MUTED),
                         self._link(str(rate.denominator.value), row.office,
                                    f"{name} · {t('desk.scores.denominator', lang)}", rate.numerator.ids, True,
                                    size=theme.DENSE_S)], spacing=0, tight=True)
        coverage = ft.Column([top, halves], spacing=0, horizontal_alignment=ft.CrossAxisAlignment.CENTER)
        average = figures.visit_score
        score_name = t("score.measure.visit_score", lang)
        if average.value is None:
            shown: ft.Control = text("—", color=theme.PLACEHOLDER, tooltip=t("score.no_score", lang))
        else:
            shown = self._link(f"{average.value * 100:.0f}%", row.office, score_name, average.ids, bold=True)
        visits = ft.Column([shown, self._link(t("desk.scores.visit.count", lang, count=figures.visits.value), row.office,
                                              t("score.measure.visits", lang), figures.visits.ids,
                                              size=theme.DENSE_XS)],
                           spacing=0, horizontal_alignment=ft.CrossAxisAlignment.CENTER)
        failed: ft.Control = self._link(str(figures.failed.value), row.office, t("score.measure.visits_failed", lang),
                                        figures.failed.ids)
        if figures.failed.value:
            failed = ft.Container(failed, bgcolor=theme.DANGER_BG, border_radius=theme.DESK_RADIUS_XXS)
        return [ft.Container(coverage, width=COVERAGE_W, alignment=ft.Alignment.CENTER),
                ft.Container(visits, width=VISIT_SCORE_W, alignment=ft.Alignment.CENTER),
                ft.Container(failed, width=FAILED_W, alignment=ft.Alignment.CENTER)]

    # ------------------------------------------------------------------ the drill-down
    async def on_open(self, e) -> None:
        title, ids, windows, office = e.control.data
        board, desk = self.view.view.board, self.view.shell.desk
        asked = set(ids)
        wanted = [v.id for v in board.visits if v.id in asked][:MAX_LISTED]
        with Guard(self.lang, lambda words: self.view.shell.snack(words, error=True)) as failure:
            found = await self.view.shell.call(visit_links.summaries, desk.ctx, desk.actor, wanted)
        if failure.failed:
            return
        self.open(title, ids, windows, office, {v: summary.items for v, summary in found.items()})

    def open(self, title: str, ids: Sequence[str], windows: bool, office: str,
             items: dict[str, tuple[VisitItem, ...]] | None = None) -> None:
        """A dialog listing the visits ``ids`` (each with its ``items``) and, for coverage, ``office``'s windows
        missed."""
        board = self.view.view.board
        wanted = set(ids)
        visits = [v for v in board.visits if v.id in wanted]
        self.listed = tuple(v.id for v in visits)
        self.items = dict(items or {})
        gaps = missed(w for w in board.windows if not office or w.office == office) if windows else []
        self.missed = tuple(gaps)
        lang = self.lang
        body: list[ft.Control] = [text(t("desk.scores.visits_of", lang, count=len(visits)),
                                       size=theme.SMALL, weight=ft.FontWeight.BOLD)]
        body.append(self.visit_table(visits) if visits else text(t("desk.scores.visits_none", lang), color=theme.MUTED))
        if windows:
            body.append(text(t("desk.scores.windows_missed", lang, count=len(gaps)), size=theme.SMALL,
                             weight=ft.FontWeight.BOLD))
            body.append(self.window_table(gaps) if gaps else text(t("desk.scores.windows_none", lang),
                                                                  color=theme.MUTED))
        self.dialog = ft.AlertDialog(
            title=text(title, size=theme.TITLE, weight=ft.FontWeight.BOLD),
            content=ft.Container(ft.Column(body, spacing=theme.SPACE_L, tight=True,
                                           scroll=ft.ScrollMode.AUTO if len(visits) + len(gaps) > SCROLL_FROM else None),
                                 width=DIALOG_W),
            actions=[ft.TextButton(t("desk.scores.close", lang), on_click=self.close)])
        self.view.shell.show_dialog(self.dialog)

    async def close(self, e=None) -> None:
        self.view.shell.close_dialog()

    async def on_item(self, e) -> None:
        """An item under a visit: the dialog closes and Review shows the item."""
        await self.close()
        await self.view.shell.open_item(e.control.data)

    def _row(self, cells: list[tuple[str, int]], bold: bool = False) -> ft.Control:
        if bold:
            return ft.Container(ft.Row([head(words, width) for words, width in cells], spacing=0),
                                bgcolor=theme.PLACEHOLDER_BG, padding=theme.SPACE_XS)
        return ft.Container(ft.Row([ft.Container(text(words, size=theme.DENSE_S), width=width)
                                    for words, width in cells], spacing=0),
                            padding=theme.SPACE_XS, border=ft.Border(top=ft.BorderSide(theme.BORDER, theme.LINE)))

    def visit_table(self, visits: list[VisitFact]) -> ft.Control:
        lang = self.lang
        rows = [self._row([(t("desk.scores.visit.site", lang), SITE_W), (t("desk.scores.visit.day", lang), DAY_W),
                           (t("desk.scores.visit.check_type", lang), CHECK_W),
                           (t("desk.scores.visit.met", lang), MET_W),
                           (t("desk.scores.visit.passed", lang), PASSED_W)], bold=True)]
        for v in visits[:MAX_LISTED]:
            verdict = t("desk.scores.visit.pass" if v.passed else "desk.scores.visit.fail", lang)
            rows.append(self._row([(v.site_name, SITE_W), (v.day.isoformat(), DAY_W),
                                   (t(f"check_type.{v.check_type}", lang), CHECK_W),
                                   (f"{v.met}/{v.applicable}", MET_W), (verdict, PASSED_W)]))
            if self.items.get(v.id):
                links = item_links(self.items[v.id], lang, self.on_item, size=theme.DENSE_S)
                rows.append(ft.Container(ft.Row([text(t("desk.visit.items_short", lang), size=theme.DENSE_S,
                                                      color=theme.MUTED), *links], wrap=True, spacing=theme.SPACE_XS),
                                         padding=ft.Padding(theme.SPACE_L, 0, theme.SPACE_XS, theme.SPACE_XS)))
        return ft.Column(rows, spacing=0)

    def window_table(self, windows: list[Window]) -> ft.Control:
        lang = self.lang
        rows = [self._row([(t("desk.scores.visit.site", lang), SITE_W),
                           (t("desk.scores.visit.check_type", lang), CHECK_W),
                           (t("desk.scores.visit.window", lang), WINDOW_W)], bold=True)]
        for w in windows[:MAX_LISTED]:
            rows.append(self._row([(w.site_name, SITE_W), (t(f"check_type.{w.check_type}", lang), CHECK_W),
                                   (f"{w.first.isoformat()} – {w.last.isoformat()}", WINDOW_W)]))
        return ft.Column(rows, spacing=0)
