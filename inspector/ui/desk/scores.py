"""Scores (月考): a month's offices × measures with the formula in sight, two charts, every number a link.

The formula and the table take the width, the charts follow beneath.
A number opens Review listing exactly the items behind it (``Count.ids``);
a rate's two halves open its numerator and its denominator. Beside the score
stand the visits' figures (coverage, the average visit score, failed visits:
``ui.desk.scores_visits``), each opening the visits and windows behind it. The bar chart
shows the month's reported items by office and present status, the line
chart the weekly trend of reported and closed items. A month that has ended
is published here, and then amended office by office (``ui.desk.exam``).
"""

import flet as ft
import flet_charts as fch

from inspector.domain.items import STATUSES
from inspector.domain.scoring import Count, OfficeScore, Rate
from inspector.i18n import capitalised, listed, t
from inspector.ui import theme
from inspector.services.returns import month_supporting
from inspector.ui.desk.exam import ExamPanel
from inspector.ui.desk.parts import SECTION_PADDING, card, head, link, loading, office_short, swatch, text
from inspector.ui.desk.scores_visits import VisitColumns
from inspector.ui.desk.section import Section

# columns of the table: (measure, kind)
MEASURES = (("assigned", "count"), ("closed", "count"), ("closed_on_time", "count"), ("extended", "count"),
            ("on_time_rate", "rate"), ("rework_rate", "rate"), ("rebound_rate", "rate"), ("overdue", "count"),
            ("avg_days_to_fix", "average"), ("spot_agreement", "rate"))
OFFICE_W, CELL_W, SCORE_W, RANK_W = 84, 60, 70, 40
BAR_W, BAR_RADIUS = 34, 3  # one office's bar
STROKE = 3  # the weekly lines
BAR_H, LINE_H = 230, 210  # the charts' heights
AXIS_LEFT, AXIS_BOTTOM = 32, 28  # room for the axes' labels
MONTH_W = 140
RATE = theme.DENSE_L  # a rate's percentage
SCORE = 17  # an office's score


def chart(control: ft.Control) -> ft.Semantics:
    """A chart, marked: its axis labels sit in boxes taller than their text (tests/e2e/test_layout.py skips them)."""
    return ft.Semantics(content=control, identifier="chart", container=True)


class ScoresView(Section):
    def __init__(self, shell):
        super().__init__(shell)
        self.months: list[str] = []
        self.month: str | None = None
        self.view = None  # ScoreboardView
        self.error: str | None = None
        self.exam = ExamPanel(self)
        self.visits = VisitColumns(self)  # coverage, the visit score, failed visits: beside the score
        self.supporting: dict[str, int] = {}  # A: items each office supports (配合), shown, not scored
        self.render()

    async def shown(self) -> None:
        """Every time: the scores move with each decision."""
        await self.load()

    async def load(self) -> None:
        self.desk.lang = self.lang
        with self.guard(self.unreadable) as failure:
            if not self.months:
                self.months = await self.shell.call(self.desk.months)
                self.month = self.desk.opening_month()
            self.view = await self.shell.call(self.desk.scoreboard, self.month)
            self.supporting = await self.shell.call(month_supporting, self.desk.ctx, self.desk.actor, self.month)
            await self.exam.load()
        if not failure.failed:
            self.error = None
        self.loaded = True
        self.render()

    def unreadable(self, words: str) -> None:
        self.view, self.error = None, words

    # ------------------------------------------------------------------ month
    async def on_month(self, e) -> None:
        self.month = e.control.value
        await self.load()

    async def step(self, e) -> None:
        """◀ an older month, ▶ a newer one."""
        if self.month not in self.months:
            return
        index = self.months.index(self.month) + int(e.control.data)
        if 0 <= index < len(self.months):
            self.month = self.months[index]
            await self.load()

    # ------------------------------------------------------------------ links
    def measure_name(self, measure: str) -> str:
        return t(f"score.measure.{measure}", self.lang)

    def title_for(self, office: str, what: str) -> str:
        who = office_short(office, self.lang) if office else t("desk.scores.all_offices", self.lang)
        return f"{self.month} {who} · {what}"

    async def on_link(self, e) -> None:
        title, ids = e.control.data
        await self.shell.open_ids(ids, title)

    def count_link(self, office: str, what: str, count: Count, bold: bool = False) -> ft.Control:
        return link(str(count.value), self.on_link, data=(self.title_for(office, what), count.ids), bold=bold,
                    tooltip=t("desk.scores.open_items", self.lang, count=len(count.ids)))

    def rate_cell(self, office: str, measure: str, rate: Rate) -> ft.Control:
        lang = self.lang
        name = self.measure_name(measure)
        if rate.value is None:
            shown: ft.Control = text("—", size=RATE, color=theme.PLACEHOLDER, tooltip=t("score.no_score", lang))
        else:
            shown = link(f"{rate.value * 100:.0f}%", self.on_link, size=RATE, bold=True,
                         data=(self.title_for(office, name), rate.numerator.ids),
                         tooltip=t("desk.scores.open_items", lang, count=len(rate.numerator.ids)))
        parts = ft.Row([link(str(rate.numerator.value), self.on_link, size=theme.DENSE_S,
                             data=(self.title_for(office, f"{name} · {t('desk.scores.numerator', lang)}"),
                                   rate.numerator.ids)),
                        text("/", size=theme.DENSE_S, color=theme.MUTED),
                        link(str(rate.denominator.value), self.on_link, size=theme.DENSE_S,
                             data=(self.title_for(office, f"{name} · {t('desk.scores.denominator', lang)}"),
                                   rate.denominator.ids))], spacing=0, tight=True)
        return ft.Column([shown, parts], spacing=0, horizontal_alignment=ft.CrossAxisAlignment.CENTER)

    # ------------------------------------------------------------------ controls
    def build(self) -> ft.Control:
        lang = self.lang
        picker = ft.Row([
            ft.IconButton(ft.Icons.CHEVRON_LEFT, data=1, on_click=self.step, tooltip=t("desk.scores.older", lang)),
            ft.Dropdown(value=self.month, options=[ft.DropdownOption(key=m, text=m) for m in self.months],
                        on_select=self.on_month, width=MONTH_W, dense=True, label=t("desk.scores.month", lang),
                        enable_search=False),
            ft.IconButton(ft.Icons.CHEVRON_RIGHT, data=-1, on_click=self.step, tooltip=t("desk.scores.newer", lang)),
        ], spacing=theme.SPACE_XXS)
        self.month_picker = picker.controls[1]
        top: list[ft.Control] = [picker]
        if self.view is not None:
            board = self.view.board
            top.append(text(t("desk.scores.as_of", lang, time=theme.local_time(board.as_of, self.desk.zone)),
                            color=theme.MUTED))
            top.extend(self.exam.bar())
        bar = ft.Row(top, spacing=theme.SCREEN_PAD, vertical_alignment=ft.CrossAxisAlignment.CENTER)
        if self.error:
            return ft.Container(ft.Column([bar, text(self.error, color=theme.DANGER, size=theme.DENSE_L)]),
                                padding=SECTION_PADDING)
        if self.view is None:
            return ft.Container(ft.Column([bar, loading()]), padding=SECTION_PADDING)
        formula = card([
            ft.Row([text(t("desk.scores.formula", lang), size=theme.SMALL, weight=ft.FontWeight.BOLD),
                    text(self.view.formula_text, size=theme.DENSE_L, weight=ft.FontWeight.W_600, color=theme.PRIMARY,
                         selectable=True, expand=True)], spacing=theme.SPACE_M),
            text(t("score.on_time_rule", lang), size=theme.DENSE_S, color=theme.MUTED),
            text(t("score.redistribution_rule", lang), size=theme.DENSE_S, color=theme.MUTED),
            *self.visits.rules(),
            *self.adjusted_lines(),
        ], spacing=theme.SPACE_XS, padding=theme.SPACE_XL)
        table = ft.Row([self.build_table()], scroll=ft.ScrollMode.AUTO)
        # The table takes the width (its measures and the visits' columns beside the score); the charts follow.
        charts = ft.Row([ft.Container(self.build_bar(), expand=1), ft.Container(self.build_line(), expand=1)],
                        spacing=theme.SPACE_XL, vertical_alignment=ft.CrossAxisAlignment.START)
        body = ft.Column([formula, table, charts, *self.exam.amendments()], spacing=theme.SPACE_XL, expand=True,
                         scroll=ft.ScrollMode.AUTO)
        return ft.Container(ft.Column([bar, body], spacing=theme.SPACE_L, expand=True), padding=SECTION_PADDING,
                            expand=True)

    def adjusted(self, row: OfficeScore) -> bool:
        """Scored with weights shared out (a measure had no data)."""
        return row.score is not None and dict(row.weights) != dict(self.view.board.formula.weights)

    def adjusted_lines(self) -> list[ft.Control]:
        """One line per weighting in force other than the configured one, naming the offices it applies to."""
        lang, board = self.lang, self.view.board
        groups: dict[str, list[str]] = {}
        for row in board.offices:
            if self.adjusted(row):
                groups.setdefault(self.view.office_formula[row.office], []).append(office_short(row.office, lang))
        return [text(t("desk.scores.in_force", lang, offices=listed(names, lang), formula=formula), size=theme.DENSE_S,
                     color=theme.WARN, selectable=True) for formula, names in groups.items()]

    def header_cell(self, words: str, width: int) -> ft.Control:
        cell = head(capitalised(words), width, text_align=ft.TextAlign.CENTER)
        cell.alignment = ft.Alignment.CENTER
        return cell

    def build_table(self) -> ft.Control:
        lang, board = self.lang, self.view.board
        heads = [head(t("desk.scores.office", lang), OFFICE_W)]
        for measure, _ in MEASURES:
            heads.append(self.header_cell(self.measure_name(measure), CELL_W))
        heads.extend(self.visits.header())
        heads.append(self.header_cell(t("score.measure.score", lang), SCORE_W))
        heads.append(self.header_cell(t("score.measure.rank", lang), RANK_W))
        heads.extend(self.exam.header())
        rows: list[ft.Control] = [ft.Container(ft.Row(heads, spacing=0), bgcolor=theme.PLACEHOLDER_BG,
                                               padding=theme.SPACE_M)]
        for row in (*board.offices, board.overall):
            rows.append(self.build_row(row))
        return ft.Container(ft.Column(rows, spacing=0), bgcolor=theme.SURFACE, border_radius=theme.DESK_RADIUS,
                            border=ft.Border.all(theme.BORDER, theme.LINE))

    def build_row(self, row: OfficeScore) -> ft.Control:
        lang = self.lang
        overall = row.office == ""
        name = t("desk.scores.all_offices", lang) if overall else office_short(row.office, lang)
        label: ft.Control = text(name, weight=ft.FontWeight.BOLD,
                                 tooltip=None if overall else t(f"office.{row.office}", lang))
        if self.supporting.get(row.office):  # 配合: beside the figures, not in them
            label = ft.Column([label, text(t("desk.scores.supporting", lang, count=self.supporting[row.office]),
                                           size=theme.DENSE_XS, color=theme.INFO_INK,
                                           tooltip=t("desk.scores.supporting_hint", lang))], spacing=0, tight=True)
        cells: list[ft.Control] = [ft.Container(label, width=OFFICE_W)]
        for measure, kind in MEASURES:
            value = getattr(row, measure)
            if kind == "count":
                inner: ft.Control = self.count_link(row.office, self.measure_name(measure), value)
                if measure == "overdue" and value.value:
                    inner = ft.Container(inner, bgcolor=theme.DANGER_BG, border_radius=theme.DESK_RADIUS_XXS)
            elif kind == "rate":
                inner = self.rate_cell(row.office, measure, value)
            elif value.value is None:
                inner = text("—", color=theme.PLACEHOLDER)
            else:
                inner = link(f"{value.value:.1f}", self.on_link,
                             data=(self.title_for(row.office, self.measure_name(measure)), value.ids))
            cells.append(ft.Container(inner, width=CELL_W, alignment=ft.Alignment.CENTER))
        cells.extend(self.visits.cells(row))
        if row.score is None:
            score: ft.Control = text(t("score.no_score", lang), color=theme.PLACEHOLDER)
        else:
            score = link(f"{row.score:.1f}", self.on_link, size=SCORE, bold=True,
                         data=(self.title_for(row.office, t("score.measure.score", lang)), row.assigned.ids),
                         tooltip=t("desk.scores.open_items", lang, count=len(row.assigned.ids)))
            if self.adjusted(row):
                score = ft.Row([score, text("*", size=theme.DENSE_L, color=theme.WARN, weight=ft.FontWeight.BOLD,
                                            tooltip=self.view.office_formula.get(row.office))], spacing=1, tight=True)
        cells.append(ft.Container(self.exam.score_cell(row, score), width=SCORE_W, alignment=ft.Alignment.CENTER))
        cells.append(ft.Container(text(str(row.rank) if row.rank else "—", size=theme.SMALL,
                                       weight=ft.FontWeight.BOLD), width=RANK_W, alignment=ft.Alignment.CENTER))
        cells.extend(self.exam.amend_cell(row))
        return ft.Container(ft.Row(cells, spacing=0, vertical_alignment=ft.CrossAxisAlignment.CENTER),
                            padding=ft.Padding.symmetric(horizontal=theme.SPACE_M, vertical=theme.SPACE_S),
                            bgcolor=theme.FIGURE_BG if overall else None,
                            border=ft.Border(top=ft.BorderSide(theme.BORDER_BOLD if overall else theme.BORDER,
                                                               theme.LINE)))

    # ------------------------------------------------------------------ charts
    def build_bar(self) -> ft.Control:
        lang, board = self.lang, self.view.board
        offices = [row.office for row in board.offices]
        groups, top = [], 1
        for x, office in enumerate(offices):
            cells = board.status_by_office.get(office, {})
            stack, y = [], 0
            for status in STATUSES:
                n = cells.get(status, Count()).value
                if n:
                    stack.append(fch.BarChartRodStackItem(from_y=y, to_y=y + n,
                                                          color=theme.STATUS_COLOURS[status][0]))
                    y += n
            top = max(top, y)
            groups.append(fch.BarChartGroup(x=x, rods=[fch.BarChartRod(from_y=0, to_y=y, width=BAR_W, stack_items=stack,
                                                                        border_radius=BAR_RADIUS,
                                                                        tooltip=f"{office_short(office, lang)} {y}")]))
        self.bar = fch.BarChart(
            groups=groups, height=BAR_H, max_y=top + max(1, top // 5), interactive=True, on_event=self.on_bar,
            bottom_axis=fch.ChartAxis(labels=[fch.ChartAxisLabel(value=x, label=text(office_short(o, lang),
                                                                                     size=theme.DENSE_S))
                                              for x, o in enumerate(offices)], label_size=AXIS_BOTTOM),
            left_axis=fch.ChartAxis(label_size=AXIS_LEFT),
            horizontal_grid_lines=fch.ChartGridLines(color=theme.PLACEHOLDER_BG, width=theme.BORDER))
        legend = ft.Row([swatch(theme.STATUS_COLOURS[s][0], t(f"status.{s}", lang), width=theme.SPACE_L,
                                height=theme.SPACE_L, radius=theme.SPACE_XXS, size=theme.DENSE_XS) for s in STATUSES],
                        wrap=True, spacing=theme.SPACE_L, run_spacing=theme.SPACE_XS)
        return card([chart(self.bar), legend], title=t("desk.scores.by_status", lang), padding=theme.SPACE_XL)

    async def on_bar(self, e) -> None:
        if e.type != fch.ChartEventType.TAP_UP or e.group_index is None:
            return
        board = self.view.board
        office = board.offices[e.group_index].office
        cells = board.status_by_office.get(office, {})
        ids = tuple(i for c in cells.values() for i in c.ids)
        await self.shell.open_ids(ids, self.title_for(office, t("desk.scores.reported_in_month", self.lang)))

    def build_line(self) -> ft.Control:
        lang, weeks = self.lang, self.view.board.weekly
        reported = [fch.LineChartDataPoint(x=i, y=w.reported.value) for i, w in enumerate(weeks)]
        closed = [fch.LineChartDataPoint(x=i, y=w.closed.value) for i, w in enumerate(weeks)]
        top = max([1, *(w.reported.value for w in weeks), *(w.closed.value for w in weeks)])
        self.line = fch.LineChart(
            data_series=[fch.LineChartData(points=reported, color=theme.PRIMARY, stroke_width=STROKE, point=True),
                         fch.LineChartData(points=closed, color=theme.OK, stroke_width=STROKE, point=True)],
            height=LINE_H, min_y=0, max_y=top + max(1, top // 5), min_x=0, max_x=max(len(weeks) - 1, 1),
            bottom_axis=fch.ChartAxis(labels=[fch.ChartAxisLabel(value=i, label=text(w.week[-3:], size=theme.DENSE_XS))
                                              for i, w in enumerate(weeks)], label_size=theme.SPACE_PAGE),
            left_axis=fch.ChartAxis(label_size=AXIS_LEFT),
            right_axis=fch.ChartAxis(show_labels=False, label_size=theme.SCREEN_PAD),
            horizontal_grid_lines=fch.ChartGridLines(color=theme.PLACEHOLDER_BG, width=theme.BORDER),
            on_event=self.on_line)
        legend = ft.Row([swatch(c, w, width=theme.SPACE_XXL, height=theme.RULE_W, radius=0)
                         for c, w in ((theme.PRIMARY, t("desk.scores.reported", lang)),
                                      (theme.OK, t("desk.scores.closed", lang)))], spacing=theme.SCREEN_PAD)
        return card([chart(self.line), legend], title=t("desk.scores.weekly", lang), padding=theme.SPACE_XL)

    async def on_line(self, e) -> None:
        if e.type != fch.ChartEventType.TAP_UP or not e.spots:
            return
        spot = e.spots[0]
        week = self.view.board.weekly[spot.spot_index]
        count = week.reported if spot.bar_index == 0 else week.closed
        what = t("desk.scores.reported" if spot.bar_index == 0 else "desk.scores.closed", self.lang)
        await self.shell.open_ids(count.ids, f"{week.week} · {what}")

