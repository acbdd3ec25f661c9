"""巡检覆盖: the sites due and overdue for a visit, counted, listed and on the map (supervisors and admins).

Above, three counts: checks due today, checks overdue, sites visited in the last fortnight (of all
active sites). Then the filters (office, check type) and one chip, "14 天内未检查": the sites nobody
visited for any check in the last 14 local days, with every check they are scheduled for; another,
"含已覆盖", lists the covered checks too (with their last visit), so a visit just made is seen. The list has
one row per site and check: site, type, office, check, last visit, due day, days overdue (most overdue
first); the map beside it shows the same sites, red when overdue, amber when due today, green when
covered. The figures are ``services.schedules.board``: the same schedule as 待办 and ``GET
/api/visits/due``.
"""

import flet as ft

from inspector.domain.schedules import Due
from inspector.i18n import DEFAULT_LANG, LANGUAGES, t
from inspector.services import schedules, sites
from inspector.ui import theme
from inspector.ui.date_field import day_words
from inspector.ui.desk.coverage_map import COLOURS, coverage_map, site_marker
from inspector.ui.desk.parts import (ALL, SECTION_PADDING, card, cut, dropdown, head, loading, office_choices,
                                     office_short, swatch, tag, text)
from inspector.ui.desk.section import Section

# Column widths per language, each the widest of its words (tests/ui/test_text_fit.py measures them): together
# they fit beside the map at 1440 px. English has the longer type and office words, Chinese the longer dates.
WIDTHS = {
    "zh-CN": {"site": 148, "type": 84, "office": 76, "check": 84, "last": 108, "due": 108, "late": 68},
    "en": {"site": 142, "type": 142, "office": 86, "check": 84, "last": 86, "due": 86, "late": 68},
}
COLUMNS = tuple(WIDTHS["en"])
TYPE_LINES = 2  # a long type name an admin gave wraps once rather than losing its end
FILTER_W = 170
STATES = ("overdue", "due", "covered")


def state_of(entries: list[Due], today) -> str:
    """A site's colour on the map: overdue if any of its checks is, due if any is due today, else covered."""
    if any(e.overdue_on(today) for e in entries):
        return "overdue"
    if any(e.due <= today for e in entries):
        return "due"
    return "covered"


class CoverageView(Section):
    def __init__(self, shell):
        super().__init__(shell)
        self.board: schedules.Board | None = None
        self.type_names: dict[str, dict[str, str]] = {}  # language -> site type -> its name
        self.office: str | None = None
        self.check_type: str | None = None
        self.unseen_only = False
        self.with_covered = False  # the covered checks listed too, with their last visit
        self.render()

    async def load(self) -> None:
        with self.guard() as failure:
            self.board = await self.shell.call(schedules.board, self.desk.ctx, self.desk.actor)
            # both languages: switching language redraws without reading again
            self.type_names = {lang: await self.shell.call(sites.type_names, self.desk.ctx, lang)
                               for lang in LANGUAGES}
        self.loaded = not failure.failed
        self.render()

    async def shown(self) -> None:
        await self.load()  # fresh each time: visits arrive all day

    # ------------------------------------------------------------------ filters
    def entries(self) -> list[Due]:
        """The rows shown: the due and overdue checks, or every check of the sites unseen this fortnight."""
        board = self.board
        if self.unseen_only:
            unseen = board.unseen()
            rows = [e for e in board.entries if e.site_id in unseen]
        elif self.with_covered:
            rows = list(board.entries)  # soonest due first: the overdue, then today's, then the covered
        else:
            rows = board.due()
        return [e for e in rows if (self.office is None or board.sites[e.site_id].office_code == self.office)
                and (self.check_type is None or e.check_type == self.check_type)]

    def site_states(self) -> dict[str, str]:
        """Each site the filters keep, with its colour (judged on the checks the filters keep)."""
        board, found = self.board, {}
        for site_id, site in board.sites.items():
            if self.office is not None and site.office_code != self.office:
                continue
            if self.unseen_only and site_id not in board.unseen():
                continue
            mine = [e for e in board.entries if e.site_id == site_id
                    and (self.check_type is None or e.check_type == self.check_type)]
            if mine:
                found[site_id] = state_of(mine, board.today)
        return found

    async def on_office(self, e) -> None:
        self.office = None if e.control.value in (None, "", ALL) else e.control.value
        self.render()

    async def on_check(self, e) -> None:
        self.check_type = None if e.control.value in (None, "", ALL) else e.control.value
        self.render()

    async def on_unseen(self, e=None) -> None:
        self.unseen_only, self.with_covered = not self.unseen_only, False
        self.render()

    async def on_covered(self, e=None) -> None:
        self.with_covered, self.unseen_only = not self.with_covered, False
        self.render()

    # ------------------------------------------------------------------ drawing
    def build(self) -> ft.Control:
        if self.board is None:
            return loading()
        return ft.Container(ft.Column([self.build_counts(), self.build_bar(),
                                       ft.Row([self.build_list(), self.build_map()], spacing=theme.SPACE_L,
                                              expand=True, vertical_alignment=ft.CrossAxisAlignment.STRETCH)],
                                      spacing=theme.SPACE_L, expand=True), padding=SECTION_PADDING, expand=True)

    def build_counts(self) -> ft.Control:
        lang, counts = self.lang, self.board.counts()
        tiles = [("due_today", counts["due_today"], theme.WARN), ("overdue", counts["overdue"], theme.DANGER),
                 ("visited", counts["visited"], theme.OK)]
        out = []
        for name, figure, colour in tiles:
            words = t(f"desk.coverage.count.{name}", lang, total=len(self.board.sites), days=schedules.FORTNIGHT)
            out.append(ft.Container(ft.Column([text(str(figure), size=theme.FIGURE, weight=ft.FontWeight.BOLD,
                                                    color=colour), text(words, color=theme.MUTED)],
                                              spacing=theme.SPACE_XXS),
                                    padding=theme.SPACE_M, bgcolor=theme.SURFACE, width=220,
                                    border=ft.Border.all(theme.BORDER, theme.LINE), border_radius=theme.DESK_RADIUS,
                                    data=f"coverage-count-{name}"))
        return ft.Row(out, spacing=theme.SPACE_L)

    def build_bar(self) -> ft.Control:
        lang = self.lang
        any_words = t("desk.filter.any", lang)
        checks = sorted({e.check_type for e in self.board.entries})
        self.office_choice = dropdown(t("desk.filter.office", lang), office_choices(lang, any_words),
                                      self.office or ALL, self.on_office, width=FILTER_W)
        self.check_choice = dropdown(t("desk.coverage.check_type", lang),
                                     [(ALL, any_words)] + [(c, t(f"check_type.{c}", lang)) for c in checks],
                                     self.check_type or ALL, self.on_check, width=FILTER_W)
        # one click: filled while it filters, outlined while it does not
        button = ft.FilledButton if self.unseen_only else ft.OutlinedButton
        self.unseen_chip = button(t("desk.coverage.unseen", lang, days=schedules.FORTNIGHT), on_click=self.on_unseen,
                                  icon=ft.Icons.CHECK if self.unseen_only else ft.Icons.VISIBILITY_OFF)
        button = ft.FilledButton if self.with_covered else ft.OutlinedButton
        self.covered_chip = button(t("desk.coverage.with_covered", lang), on_click=self.on_covered,
                                   icon=ft.Icons.CHECK if self.with_covered else ft.Icons.TASK_ALT)
        legend = ft.Row([swatch(COLOURS[s], t(f"desk.coverage.state.{s}", lang)) for s in STATES],
                        spacing=theme.SPACE_XL)
        return ft.Row([self.office_choice, self.check_choice, self.unseen_chip, self.covered_chip,
                       ft.Container(expand=True), legend],
                      spacing=theme.SPACE_XL, vertical_alignment=ft.CrossAxisAlignment.CENTER)

    def build_list(self) -> ft.Control:
        lang, board = self.lang, self.board
        widths = WIDTHS.get(lang, WIDTHS[DEFAULT_LANG])
        heads = ft.Row([head(t(f"desk.coverage.col.{name}", lang), widths[name]) for name in COLUMNS],
                       spacing=theme.SPACE_M)
        self.rows = self.entries()
        lines: list[ft.Control] = [self.build_row(entry) for entry in self.rows]
        if not lines:
            lines.append(text(t("desk.coverage.none_unseen" if self.unseen_only else "desk.coverage.none", lang,
                                days=schedules.FORTNIGHT), color=theme.MUTED))
        title_key = ("desk.coverage.unseen_title" if self.unseen_only
                     else "desk.coverage.all_title" if self.with_covered else "desk.coverage.title")
        title = t(title_key, lang, count=len({e.site_id for e in self.rows}), days=schedules.FORTNIGHT)
        self.list_column = ft.Column(lines, spacing=theme.SPACE_S, scroll=ft.ScrollMode.AUTO, expand=True)
        return card([heads, self.list_column], title=title, spacing=theme.SPACE_S, expand=3)

    def build_row(self, entry: Due) -> ft.Control:
        """One site and check: a stable name for the browser tests, its state in words when not late."""
        lang, board = self.lang, self.board
        site = board.sites[entry.site_id]
        late = entry.days_overdue(board.today)
        state = state_of([entry], board.today)
        widths = WIDTHS.get(lang, WIDTHS[DEFAULT_LANG])
        kind = self.type_names.get(lang, {}).get(site.kind, site.kind)
        check = cut(t(f"desk.coverage.check_short.{entry.check_type}", lang))
        check.tooltip = t(f"check_type.{entry.check_type}", lang)  # the short word on the row, the whole name here
        cells = {
            "site": cut(site.name, weight=ft.FontWeight.W_600),
            "type": cut(kind, max_lines=TYPE_LINES),
            "office": cut(office_short(site.office_code, lang)),
            "check": check,
            "last": cut(day_words(entry.last_visit, lang) or t("desk.coverage.never", lang),
                        color=None if entry.last_visit else theme.MUTED),
            "due": cut(day_words(entry.due, lang)),
            "late": (tag(t("desk.coverage.days", lang, days=late), COLOURS[state]) if late
                     else text(t(f"desk.coverage.state.{state}", lang), color=theme.MUTED)),
        }
        row = ft.Row([ft.Container(cells[name], width=widths[name]) for name in COLUMNS], spacing=theme.SPACE_M,
                     data=(entry.site_id, entry.check_type), vertical_alignment=ft.CrossAxisAlignment.CENTER)
        return ft.Semantics(content=row, identifier=f"coverage-{entry.site_id}-{entry.check_type}", container=True)

    def build_map(self) -> ft.Control:
        lang, board = self.lang, self.board
        settings = self.shell.app.settings
        self.states = self.site_states()
        shown = [board.sites[s] for s in self.states]
        markers = [site_marker(board.sites[s], state,
                               f"{board.sites[s].name} · {t(f'desk.coverage.state.{state}', lang)}",
                               settings.map_gcj02) for s, state in self.states.items()]
        self.map = coverage_map(markers, shown, settings.map_tile_url, settings.map_gcj02)
        return ft.Container(self.map, expand=2, border_radius=theme.DESK_RADIUS, clip_behavior=ft.ClipBehavior.HARD_EDGE,
                            border=ft.Border.all(theme.BORDER, theme.LINE))
