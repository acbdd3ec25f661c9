"""Reports: the campaign summary (小结) for a period and an office as PDF, Excel or CSV, and 信息报送 for a day.

The file is made on the server (``inspector.reports``, off the event loop)
and handed to the browser as a download through Flet's ``FilePicker.save_file``
with the bytes: no token in a URL, no second login.
"""

import logging
from datetime import date, timedelta

import flet as ft

from inspector.domain import catalog
from inspector.i18n import t
from inspector.reports import FORMATS
from inspector.ui import theme
from inspector.ui.desk.parts import ALL, LINE, card, dropdown, field, fresh, parse_day, tag, text

log = logging.getLogger(__name__)
FORMAT_ICONS = {"pdf": ft.Icons.PICTURE_AS_PDF, "xlsx": ft.Icons.TABLE_CHART, "csv": ft.Icons.TEXT_SNIPPET}


class ReportsView:
    def __init__(self, shell):
        self.shell, self.desk = shell, shell.desk
        first = self.desk.today().replace(day=1)
        self.values: dict[str, str] = {"from": first.isoformat(), "to": self.desk.today().isoformat(),
                                       "day": self.desk.today().isoformat()}
        self.office: str | None = None
        self.busy: str | None = None  # the format being made
        self.last: str | None = None  # words about the last file made
        self.board = None
        self.board_error: str | None = None
        self.root = ft.Container(expand=True, bgcolor="#F4F6F8")
        self.render()

    @property
    def lang(self) -> str:
        return self.shell.lang

    async def shown(self) -> None:
        if self.board is None:
            await self.load_board()

    def render(self) -> None:
        self.root.content = ft.Container(self.build(), expand=True, data=fresh())
        try:
            self.root.update()
        except RuntimeError:
            pass

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
            campaign = (await self.shell.call(self.desk.campaign)).campaign
            first = min(p.starts for p in campaign.phases)
            last = max(p.ends for p in campaign.phases)
        self.values["from"], self.values["to"] = first.isoformat(), last.isoformat()
        self.render()

    async def on_office(self, e) -> None:
        self.office = None if e.control.value in (None, "", ALL) else e.control.value

    async def download(self, e) -> None:
        fmt = e.control.data
        lang = self.lang
        try:
            first, last = self.period()
        except ValueError:
            self.shell.snack(t("desk.filter.bad_date", lang), error=True)
            return
        self.busy = fmt
        self.render()
        words, failed = None, False
        try:
            rendered = await self.shell.call(self.desk.report, fmt, self.office, first, last)
            await self.shell.saver.save(rendered.filename, rendered.data)
            self.last = words = t("desk.reports.made", lang, name=rendered.filename, count=rendered.item_count,
                                  size=f"{len(rendered.data) / 1024:.0f}")
        except Exception as error:  # noqa: BLE001
            words, failed = self.shell.words(error), True
        self.busy = None
        self.render()  # the buttons are back before the message says so
        self.shell.snack(words, error=failed)

    # ------------------------------------------------------------------ 信息报送
    async def load_board(self, e=None) -> None:
        try:
            day = parse_day(self.values.get("day"))
        except ValueError:
            self.shell.snack(t("desk.filter.bad_date", self.lang), error=True)
            return
        try:
            self.board = (day, await self.shell.call(self.desk.info_board, day))
            self.board_error = None
        except Exception as error:  # noqa: BLE001
            self.board, self.board_error = None, self.shell.words(error)
        self.render()

    async def step_day(self, e) -> None:
        try:
            day = parse_day(self.values.get("day")) or self.desk.today()
        except ValueError:
            day = self.desk.today()
        self.values["day"] = (day + timedelta(days=int(e.control.data))).isoformat()
        await self.load_board()

    # ------------------------------------------------------------------ controls
    def build(self) -> ft.Control:
        return ft.Container(ft.Column([self.build_summary(), self.build_info()], spacing=14, scroll=ft.ScrollMode.AUTO,
                                      expand=True), padding=ft.Padding(18, 14, 18, 14), expand=True)

    def build_summary(self) -> ft.Control:
        lang, shell = self.lang, self.shell
        self.from_field = field(shell, self.values, "from", t("desk.filter.from", lang), width=150,
                                hint_text="2026-07-01")
        self.to_field = field(shell, self.values, "to", t("desk.filter.to", lang), width=150, hint_text="2026-07-31")
        presets = [ft.OutlinedButton(t(f"desk.reports.{p}", lang), data=p, on_click=self.preset, height=34)
                   for p in ("this_month", "last_month", "campaign")]
        self.office_choice = dropdown(t("desk.filter.office", lang),
                                      [(ALL, t("desk.reports.all_offices", lang))]
                                      + [(o.code, t(f"office.{o.code}", lang)) for o in catalog.OFFICES],
                                      self.office or ALL, self.on_office, width=200)
        self.download_buttons = {}
        buttons = []
        for fmt in FORMATS:
            label = t(f"desk.reports.download_{fmt}", lang)
            if self.busy == fmt:
                label = t("desk.reports.making", lang)
            button = ft.FilledButton(label, icon=FORMAT_ICONS[fmt], data=fmt, on_click=self.download,
                                     disabled=self.busy is not None, height=44)
            self.download_buttons[fmt] = button
            buttons.append(button)
        rows: list[ft.Control] = [
            text(t("desk.reports.summary_hint", lang), size=13, color=theme.MUTED),
            ft.Row([self.from_field, self.to_field, *presets], spacing=10, wrap=True,
                   vertical_alignment=ft.CrossAxisAlignment.CENTER),
            ft.Row([self.office_choice], spacing=10),
            ft.Row(buttons, spacing=12, wrap=True),
        ]
        if self.last:
            rows.append(ft.Row([ft.Icon(ft.Icons.CHECK_CIRCLE, color=theme.OK, size=18),
                                text(self.last, size=13, color=theme.OK)], spacing=6))
        return card(rows, title=t("desk.reports.summary", lang), padding=16, spacing=12)

    def build_info(self) -> ft.Control:
        lang, shell, zone = self.lang, self.shell, self.desk.zone
        self.day_field = field(shell, self.values, "day", t("info.day", lang), width=150, on_submit=self.load_board)
        head = ft.Row([ft.IconButton(ft.Icons.CHEVRON_LEFT, data=-1, on_click=self.step_day),
                       self.day_field,
                       ft.IconButton(ft.Icons.CHEVRON_RIGHT, data=1, on_click=self.step_day),
                       ft.FilledTonalButton(t("desk.reports.show_day", lang), on_click=self.load_board, height=36)],
                      spacing=4, vertical_alignment=ft.CrossAxisAlignment.CENTER)
        rows: list[ft.Control] = [head]
        if self.board_error:
            rows.append(text(self.board_error, color=theme.DANGER, size=14))
        elif self.board is not None:
            day, offices = self.board
            done = sum(1 for o in offices if o.reported)
            missing = len(offices) - done
            rows.append(text(t("info.board", lang, day=(day or self.desk.today()).isoformat(), done=done,
                               missing=missing), size=15, weight=ft.FontWeight.BOLD,
                             color=theme.DANGER if missing else theme.OK))
            table = [ft.Container(ft.Row([
                ft.Container(text(t("desk.scores.office", lang), size=12, weight=ft.FontWeight.BOLD), width=170),
                ft.Container(text(t("info.reporter", lang), size=12, weight=ft.FontWeight.BOLD), width=170),
                ft.Container(text(t("desk.reports.state", lang), size=12, weight=ft.FontWeight.BOLD), width=90),
                ft.Container(text(t("info.note", lang), size=12, weight=ft.FontWeight.BOLD), expand=True),
            ]), bgcolor="#ECEFF1", padding=8)]
            for o in offices:
                who = o.reporter.display_name if o.reporter else t("info.no_reporter", lang)
                state = tag(t("info.reported", lang), theme.OK) if o.reported \
                    else tag(t("info.not_reported", lang), theme.DANGER)
                notes = [text(f"{theme.local_time(n.created_at, zone)[11:]} {n.text}", size=13) for n in o.notes] \
                    or [text("—", color=theme.MUTED)]
                table.append(ft.Container(ft.Row([
                    ft.Container(text(t(f"office.{o.office}", lang), size=13, weight=ft.FontWeight.W_600), width=170),
                    ft.Container(text(who, size=13, color=None if o.reporter else theme.DANGER), width=170),
                    ft.Container(state, width=90),
                    ft.Container(ft.Column(notes, spacing=2), expand=True),
                ], vertical_alignment=ft.CrossAxisAlignment.START), padding=8,
                    border=ft.Border(top=ft.BorderSide(1, LINE))))
            rows.append(ft.Container(ft.Column(table, spacing=0), border=ft.Border.all(1, LINE), border_radius=8,
                                     bgcolor="#FFFFFF"))
        return card(rows, title=t("info.title", lang), padding=16, spacing=10)
