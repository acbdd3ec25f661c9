"""Reports: the campaign summary (小结) for a period and an office as PDF, Excel or CSV, and 信息报送 for a day.

The file is made on the server (``inspector.reports``, off the event loop)
and handed to the browser as a download through Flet's ``FilePicker.save_file``
with the bytes: no token in a URL, no second login. While it is made a
progress line under the buttons says how far (``desk.work``) and the buttons
are off, so the same file is not asked for twice.
"""

from datetime import date, timedelta

import flet as ft

from inspector.i18n import t
from inspector.reports import FORMATS
from inspector.ui import theme
from inspector.ui.date_field import desk_day
from inspector.ui.desk.parts import (ALL, SECTION_PADDING, card, dropdown, head, office_choices, parse_day, tag,
                                     text)
from inspector.ui.desk.section import Section
from inspector.ui.desk.work import Work, percent_of
from inspector.ui.guard import Guard

FORMAT_ICONS = {"pdf": ft.Icons.PICTURE_AS_PDF, "xlsx": ft.Icons.TABLE_CHART, "csv": ft.Icons.TEXT_SNIPPET}
DAY_W = 150
OFFICE_W = 200
PRESET_H = 34
DOWNLOAD_H = 44
NAME_W = 170  # the office and reporter columns of 信息报送
STATE_W = 90


class ReportsView(Section):
    def __init__(self, shell):
        super().__init__(shell)
        first = self.desk.today().replace(day=1)
        self.values: dict[str, str] = {"from": first.isoformat(), "to": self.desk.today().isoformat(),
                                       "day": self.desk.today().isoformat()}
        self.office: str | None = None
        self.busy: str | None = None  # the format being made
        self.last: str | None = None  # words about the last file made
        self.work = Work("report-progress")
        self.board = None
        self.board_error: str | None = None
        self.render()

    async def load(self) -> None:
        await self.load_board()
        self.loaded = self.board is not None

    # ------------------------------------------------------------------ summary files
    def period(self) -> tuple[date | None, date | None]:
        return parse_day(self.values.get("from")), parse_day(self.values.get("to"))

    async def preset(self, e) -> None:
        today = self.desk.today()
        which = e.control.data
        if which == "this_month":
            first, last = today.replace(day=1), today
        elif which == "last_month":
            last = today.replace(day=1) - timedelta(days=1)
            first = last.replace(day=1)
        else:  # the campaign
            with self.guard() as failure:
                campaign = (await self.shell.call(self.desk.campaign)).campaign
            if failure.failed:
                return
            first = min(p.starts for p in campaign.phases)
            last = max(p.ends for p in campaign.phases)
        self.values["from"], self.values["to"] = first.isoformat(), last.isoformat()
        self.render()

    async def on_office(self, e) -> None:
        self.office = None if e.control.value in (None, "", ALL) else e.control.value

    async def download(self, e) -> None:
        fmt = e.control.data
        lang = self.lang
        if self.busy is not None:  # a click that came before the buttons went off
            return
        try:
            first, last = self.period()
        except ValueError:
            self.shell.snack(t("desk.filter.bad_date", lang), error=True)
            return
        self.busy = fmt
        self.render()
        with Guard(self.lang) as failure:  # said below, once the buttons are back
            rendered = await self.work.run(
                self.shell, t("desk.work.report", lang),
                lambda done, total: t("desk.work.report_step", lang, percent=percent_of(done, total)),
                self.desk.report, fmt, self.office, first, last)
            await self.shell.saver.save(rendered.filename, rendered.data)
            self.last = t("desk.reports.made", lang, name=rendered.filename, count=rendered.item_count,
                          size=f"{len(rendered.data) / 1024:.0f}")
        self.busy = None
        self.render()  # the buttons are back before the message says so
        self.shell.snack(failure.message if failure.failed else self.last, error=failure.failed)

    # ------------------------------------------------------------------ 信息报送
    async def load_board(self, e=None) -> None:
        try:
            day = parse_day(self.values.get("day"))
        except ValueError:
            self.shell.snack(t("desk.filter.bad_date", self.lang), error=True)
            return
        with self.guard(self.unreadable) as failure:
            self.board = (day, await self.shell.call(self.desk.info_board, day))
        if not failure.failed:
            self.board_error = None
        self.render()

    def unreadable(self, words: str) -> None:
        self.board, self.board_error = None, words

    async def step_day(self, e) -> None:
        try:
            day = parse_day(self.values.get("day")) or self.desk.today()
        except ValueError:
            day = self.desk.today()
        self.values["day"] = (day + timedelta(days=int(e.control.data))).isoformat()
        await self.load_board()

    # ------------------------------------------------------------------ controls
    def build(self) -> ft.Control:
        return ft.Container(ft.Column([self.build_summary(), self.build_info()], spacing=theme.SPACE_XXL,
                                      scroll=ft.ScrollMode.AUTO, expand=True), padding=SECTION_PADDING, expand=True)

    def build_summary(self) -> ft.Control:
        lang, shell = self.lang, self.shell
        self.from_field = desk_day(shell, self.values, "from", t("desk.filter.from", lang), width=DAY_W)
        self.to_field = desk_day(shell, self.values, "to", t("desk.filter.to", lang), width=DAY_W)
        presets = [ft.OutlinedButton(t(f"desk.reports.{p}", lang), data=p, on_click=self.preset, height=PRESET_H)
                   for p in ("this_month", "last_month", "campaign")]
        self.office_choice = dropdown(t("desk.filter.office", lang),
                                      office_choices(lang, t("desk.reports.all_offices", lang)),
                                      self.office or ALL, self.on_office, width=OFFICE_W)
        self.download_buttons = {}
        buttons = []
        for fmt in FORMATS:
            label = t(f"desk.reports.download_{fmt}", lang)
            if self.busy == fmt:
                label = t("desk.reports.making", lang)
            button = ft.FilledButton(label, icon=FORMAT_ICONS[fmt], data=fmt, on_click=self.download,
                                     disabled=self.busy is not None, height=DOWNLOAD_H)
            self.download_buttons[fmt] = button
            buttons.append(button)
        rows: list[ft.Control] = [
            text(t("desk.reports.summary_hint", lang), color=theme.MUTED),
            ft.Row([self.from_field, self.to_field, *presets], spacing=theme.SPACE_L, wrap=True,
                   vertical_alignment=ft.CrossAxisAlignment.CENTER),
            ft.Row([self.office_choice], spacing=theme.SPACE_L),
            ft.Row(buttons, spacing=theme.SPACE_XL, wrap=True),
            self.work.progress.root,
        ]
        if self.last:
            rows.append(ft.Row([ft.Icon(ft.Icons.CHECK_CIRCLE, color=theme.OK, size=theme.ICON_S),
                                text(self.last, color=theme.OK)], spacing=theme.SPACE_S))
        return card(rows, title=t("desk.reports.summary", lang), padding=theme.SCREEN_PAD, spacing=theme.SPACE_XL)

    def build_info(self) -> ft.Control:
        lang, shell, zone = self.lang, self.shell, self.desk.zone
        self.day_field = desk_day(shell, self.values, "day", t("info.day", lang), width=DAY_W, on_submit=self.load_board)
        day_bar = ft.Row([ft.IconButton(ft.Icons.CHEVRON_LEFT, data=-1, on_click=self.step_day),
                          self.day_field,
                          ft.IconButton(ft.Icons.CHEVRON_RIGHT, data=1, on_click=self.step_day),
                          ft.FilledTonalButton(t("desk.reports.show_day", lang), on_click=self.load_board,
                                               height=theme.DESK_BUTTON_H)],
                         spacing=theme.SPACE_XS, vertical_alignment=ft.CrossAxisAlignment.CENTER)
        rows: list[ft.Control] = [day_bar]
        if self.board_error:
            rows.append(text(self.board_error, color=theme.DANGER, size=theme.SMALL))
        elif self.board is not None:
            day, offices = self.board
            done = sum(1 for o in offices if o.reported)
            missing = len(offices) - done
            rows.append(text(t("info.board", lang, day=(day or self.desk.today()).isoformat(), done=done,
                               missing=missing), size=theme.DENSE_L, weight=ft.FontWeight.BOLD,
                             color=theme.DANGER if missing else theme.OK))
            note_head = head(t("info.note", lang))
            note_head.expand = True
            table = [ft.Container(ft.Row([
                head(t("desk.scores.office", lang), NAME_W), head(t("info.reporter", lang), NAME_W),
                head(t("desk.reports.state", lang), STATE_W), note_head,
            ]), bgcolor=theme.PLACEHOLDER_BG, padding=theme.SPACE_M)]
            for o in offices:
                who = o.reporter.display_name if o.reporter else t("info.no_reporter", lang)
                state = tag(t("info.reported", lang), theme.OK) if o.reported \
                    else tag(t("info.not_reported", lang), theme.DANGER)
                notes = [text(f"{theme.local_time(n.created_at, zone)[11:]} {n.text}") for n in o.notes] \
                    or [text("—", color=theme.MUTED)]
                table.append(ft.Container(ft.Row([
                    ft.Container(text(t(f"office.{o.office}", lang), weight=ft.FontWeight.W_600), width=NAME_W),
                    ft.Container(text(who, color=None if o.reporter else theme.DANGER), width=NAME_W),
                    ft.Container(state, width=STATE_W),
                    ft.Container(ft.Column(notes, spacing=theme.SPACE_XXS), expand=True),
                ], vertical_alignment=ft.CrossAxisAlignment.START), padding=theme.SPACE_M,
                    border=ft.Border(top=ft.BorderSide(theme.BORDER, theme.LINE))))
            rows.append(ft.Container(ft.Column(table, spacing=0), border=ft.Border.all(theme.BORDER, theme.LINE),
                                     border_radius=theme.RADIUS_S, bgcolor=theme.SURFACE))
        return card(rows, title=t("info.title", lang), padding=theme.SCREEN_PAD, spacing=theme.SPACE_L)
