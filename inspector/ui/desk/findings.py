"""Technical assessment findings (技术评估反馈问题整改): import the province's list, follow it, make the re-check pack.

An admin uploads the findings XLSX (Flet's ``FilePicker`` with the bytes);
``services.findings.import_findings`` answers with what it imported, with
every bad row (shown in a list, nothing imported), or with the categories and
offices it could not match, which a dialog maps to codes (dropdowns) before
the same file is imported again with the mapping. Below, the imported
findings with their number, office, status and deadline, and the re-check
pack (复核材料) of an office or of all as PDF or Excel, handed to the browser
as a download like the summary's (``ReportsView``). Both show a progress line
while they run (``desk.work``: "正在导入 第 120/800 行", the pack's percent) with
their buttons off.
"""

import flet as ft

from inspector.domain import catalog
from inspector.domain.roles import Role
from inspector.errors import ImportRowsRefused
from inspector.i18n import t
from inspector.reports import render_recheck
from inspector.services import findings
from inspector.ui import theme
from inspector.ui.desk.parts import (ALL, SECTION_PADDING, card, cut, dropdown, head, office_choices, outcome,
                                     status_tag, text)
from inspector.ui.desk.section import Section
from inspector.ui.desk.work import Work, percent_of
from inspector.ui.guard import Guard

MAX_PROBLEMS_SHOWN = 30  # rows of problems listed; the rest are counted
NUMBER_W, OFFICE_W, STATUS_W, DEADLINE_W = 110, 240, 110, 130
BUTTON_H = 44
PACK_ICONS = {"pdf": ft.Icons.PICTURE_AS_PDF, "xlsx": ft.Icons.TABLE_CHART}


def problem_words(problem: dict, lang: str) -> str:
    """One bad row in words: its number, the column's header and the reason."""
    column = t(f"findings.col.{problem['column']}", lang) if problem.get("column") else "—"
    words = t(f"import.problem.{problem['problem']}", lang)
    if problem.get("value"):
        words += f" ({problem['value']})"
    return t("desk.findings.row_problem", lang, row=problem["row"], column=column, problem=words)


class FindingsView(Section):
    def __init__(self, shell):
        super().__init__(shell)
        self.items = []
        self.office: str | None = None
        self.busy: str | None = None  # "import" or the pack's format being made
        self.last: tuple[str, bool] | None = None  # words about the last import or file, and whether it failed
        self.problems: list[dict] = []  # the refused file's bad rows
        self.problem_count = 0
        self.pending: bytes | None = None  # the file waiting for its mapping
        self.unknown = []
        self.mapping: dict[str, dict[str, str]] = {}
        self.picker = ft.FilePicker()  # held here: Flet drops services nothing references
        self.import_work = Work("findings-import-progress")
        self.pack_work = Work("recheck-progress")
        self.render()

    @property
    def admin(self) -> bool:
        return self.desk.actor.role == Role.ADMIN

    async def load(self) -> None:
        with self.guard() as failure:
            self.items = await self.shell.call(findings.listed, self.desk.ctx, self.desk.actor, self.office)
        self.loaded = not failure.failed
        self.render()

    async def on_office(self, e) -> None:
        self.office = None if e.control.value in (None, "", ALL) else e.control.value
        await self.load()

    # ------------------------------------------------------------------ import
    async def template(self, e=None) -> None:
        with self.guard():
            data = await self.shell.call(findings.template, self.lang)
            await self.shell.saver.save("findings-template.xlsx", data)

    async def choose(self, e=None) -> None:
        files = await self.picker.pick_files(allowed_extensions=["xlsx"], with_data=True)
        chosen = next((f for f in files or [] if f.bytes), None)
        if chosen is not None:
            await self.upload(chosen.bytes)

    async def upload(self, data: bytes, mapping: dict | None = None) -> None:
        """Import ``data`` (with ``mapping`` for the unknown values); show what came of it."""
        lang = self.lang
        if self.busy is not None:  # a click that came before the buttons went off
            return
        self.busy, self.problems, self.problem_count, self.last = "import", [], 0, None
        self.render()
        result = None
        with Guard(lang) as failure:
            try:
                result = await self.import_work.run(
                    self.shell, t("desk.work.reading", lang),
                    lambda done, total: t("desk.work.import_rows", lang, done=done, total=total),
                    findings.import_findings, self.desk.ctx, self.desk.actor, data, mapping, lang)
            except ImportRowsRefused as refused:
                self.problems = list(refused.details.get("rows") or [])
                self.problem_count = int(refused.details.get("count") or len(self.problems))
                raise
        self.busy = None
        if failure.failed:
            self.last = (failure.message, True)
            self.shell.snack(failure.message, error=True)  # the message row too: the card may be scrolled away
        elif result.status == "needs_mapping":
            self.pending, self.unknown, self.mapping = data, result.unknown, {}
            self.render()
            self.open_mapping()
            return
        else:
            self.pending = None
            self.last = (t("desk.findings.imported", lang, count=len(result.imported), already=len(result.already))
                         if result.status == "imported"
                         else t("desk.findings.nothing_new", lang, rows=result.rows), False)
        await self.load()

    # ------------------------------------------------------------------ mapping
    def choices(self, column: str) -> list[tuple[str, str]]:
        codes = [c.code for c in catalog.CATEGORIES] if column == "category" else [o.code for o in catalog.OFFICES]
        return [(code, t(f"{column}.{code}", self.lang)) for code in codes]

    async def on_map(self, e) -> None:
        column, value = e.control.data
        self.mapping.setdefault(column, {})[value] = e.control.value

    def open_mapping(self) -> None:
        lang = self.lang
        rows: list[ft.Control] = [text(t("desk.findings.mapping_hint", lang), color=theme.MUTED)]
        for u in self.unknown:
            shown = u.value or t("desk.findings.blank", lang)
            where = t("desk.findings.mapping_rows", lang, rows=", ".join(str(r) for r in u.rows[:12])
                      + ("…" if len(u.rows) > 12 else ""))
            rows.append(ft.Row([
                ft.Column([text(f"{t(f'findings.col.{u.column}', lang)} · {shown}", weight=ft.FontWeight.W_600),
                           text(where, size=theme.DENSE_S, color=theme.MUTED)], spacing=0, expand=True),
                dropdown(t("desk.findings.mapping_choose", lang), self.choices(u.column), None, self.on_map,
                         width=240, data=(u.column, u.value)),
            ], vertical_alignment=ft.CrossAxisAlignment.CENTER))
        self.mapping_error = text("", color=theme.DANGER)
        rows.append(self.mapping_error)
        self.shell.show_dialog(ft.AlertDialog(
            modal=True, title=ft.Text(t("desk.findings.mapping_title", lang)),
            content=ft.Container(ft.Column(rows, spacing=theme.SPACE_M, scroll=ft.ScrollMode.AUTO, tight=True),
                                 width=620),
            actions=[ft.TextButton(t("desk.findings.cancel", lang), on_click=self.cancel_mapping),
                     ft.FilledButton(t("desk.findings.mapping_import", lang), on_click=self.import_mapped)]))

    async def cancel_mapping(self, e=None) -> None:
        self.pending, self.unknown = None, []
        self.shell.close_dialog()
        self.render()

    async def import_mapped(self, e=None) -> None:
        if any(not self.mapping.get(u.column, {}).get(u.value) for u in self.unknown):
            self.mapping_error.value = t("desk.findings.mapping_incomplete", self.lang)
            self.shell.update()
            return
        data, mapping = self.pending, self.mapping
        self.shell.close_dialog()
        await self.upload(data, mapping)

    # ------------------------------------------------------------------ the re-check pack
    async def download(self, e) -> None:
        fmt, lang = e.control.data, self.lang
        if self.busy is not None:  # a click that came before the buttons went off
            return
        self.busy = fmt
        self.render()
        with Guard(lang) as failure:
            rendered = await self.pack_work.run(
                self.shell, t("desk.work.report", lang),
                lambda done, total: t("desk.work.report_step", lang, percent=percent_of(done, total)),
                render_recheck, self.desk.ctx, self.desk.actor, fmt, self.office, lang)
            await self.shell.saver.save(rendered.filename, rendered.data)
            self.last = (t("desk.findings.made", lang, name=rendered.filename, count=rendered.item_count), False)
        self.busy = None
        if failure.failed:
            self.last = (failure.message, True)
        self.render()  # the buttons are back before the message says so
        if failure.failed:
            self.shell.snack(failure.message, error=True)  # the message row too: the card may be scrolled away

    # ------------------------------------------------------------------ controls
    def build(self) -> ft.Control:
        return ft.Container(ft.Column([self.build_import(), self.build_list()], spacing=theme.SPACE_XXL,
                                      scroll=ft.ScrollMode.AUTO, expand=True), padding=SECTION_PADDING, expand=True)

    def build_import(self) -> ft.Control:
        lang = self.lang
        choose = t("desk.findings.importing", lang) if self.busy == "import" else t("desk.findings.choose", lang)
        self.choose_button = ft.FilledButton(choose, icon=ft.Icons.UPLOAD_FILE, on_click=self.choose, height=BUTTON_H,
                                             disabled=not self.admin or self.busy is not None)
        self.template_button = ft.OutlinedButton(t("desk.findings.template", lang), icon=ft.Icons.DOWNLOAD,
                                                 on_click=self.template, height=BUTTON_H)
        rows: list[ft.Control] = [text(t("desk.findings.import_hint", lang), color=theme.MUTED),
                                  ft.Row([self.template_button, self.choose_button], spacing=theme.SPACE_XL),
                                  self.import_work.progress.root]
        if not self.admin:
            rows.append(text(t("desk.findings.admin_only", lang), color=theme.MUTED, size=theme.DENSE_S))
        if self.last:
            rows.append(outcome(*self.last))
        if self.problems:
            rows.append(text(t("desk.findings.refused", lang), color=theme.DANGER, weight=ft.FontWeight.W_600))
            rows += [text(problem_words(p, lang), color=theme.DANGER, size=theme.DENSE_S)
                     for p in self.problems[:MAX_PROBLEMS_SHOWN]]
            if self.problem_count > MAX_PROBLEMS_SHOWN:
                rows.append(text(t("desk.findings.more_problems", lang, count=self.problem_count - MAX_PROBLEMS_SHOWN),
                                 color=theme.DANGER, size=theme.DENSE_S))
        return card(rows, title=t("desk.findings.import_title", lang), padding=theme.SCREEN_PAD,
                    spacing=theme.SPACE_L)

    def build_list(self) -> ft.Control:
        lang = self.lang
        self.office_choice = dropdown(t("desk.filter.office", lang),
                                      office_choices(lang, t("desk.findings.all_offices", lang)),
                                      self.office or ALL, self.on_office, width=220)
        self.pack_buttons = {
            fmt: ft.FilledTonalButton(t("desk.findings.making", lang) if self.busy == fmt
                                      else t(f"desk.findings.pack_{fmt}", lang), icon=PACK_ICONS[fmt], data=fmt,
                                      on_click=self.download, disabled=self.busy is not None, height=BUTTON_H)
            for fmt in ("pdf", "xlsx")}
        bar = ft.Row([self.office_choice, *self.pack_buttons.values()], spacing=theme.SPACE_XL, wrap=True,
                     vertical_alignment=ft.CrossAxisAlignment.CENTER)
        rows: list[ft.Control] = [text(t("desk.findings.pack_hint", lang), color=theme.MUTED), bar,
                                  self.pack_work.progress.root]
        rows.append(self.table() if self.items else text(t("desk.findings.none", lang), color=theme.MUTED))
        return card(rows, title=t("desk.findings.list_title", lang, count=len(self.items)),
                    padding=theme.SCREEN_PAD, spacing=theme.SPACE_L)

    def table(self) -> ft.Control:
        lang, zone = self.lang, self.desk.zone
        what = head(t("desk.findings.col.text", lang))
        what.expand = True
        lines: list[ft.Control] = [ft.Container(ft.Row([
            head(t("desk.findings.col.number", lang), NUMBER_W), what, head(t("desk.findings.col.office", lang),
                                                                            OFFICE_W),
            head(t("desk.findings.col.status", lang), STATUS_W), head(t("desk.findings.col.deadline", lang),
                                                                      DEADLINE_W),
        ]), bgcolor=theme.PLACEHOLDER_BG, padding=theme.SPACE_M)]
        for item in self.items:
            deadline = theme.local_time(item.deadline, zone)[:10] if item.deadline else "—"
            lines.append(ft.Container(ft.Row([
                ft.Container(text(item.finding_number or "", weight=ft.FontWeight.W_600), width=NUMBER_W),
                ft.Container(cut(item.description.replace("\n", " · ")), expand=True),
                ft.Container(text(t(f"office.{item.office}", lang)), width=OFFICE_W),
                ft.Container(status_tag(item.status, lang), width=STATUS_W),
                ft.Container(text(deadline), width=DEADLINE_W),
            ], vertical_alignment=ft.CrossAxisAlignment.CENTER), padding=theme.SPACE_M,
                border=ft.Border(top=ft.BorderSide(theme.BORDER, theme.LINE)), data=item.id))
        return ft.Container(ft.Column(lines, spacing=0), border=ft.Border.all(theme.BORDER, theme.LINE),
                            border_radius=theme.RADIUS_S, bgcolor=theme.SURFACE)
