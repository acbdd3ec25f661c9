"""Assigning the checked rows of Review together: the bar above the table, the form, the outcome in words.

Each item is assigned on its own (``Desk.assign_many``); the ones refused
are named with why, the others are done.
"""

import flet as ft

from inspector.i18n import t
from inspector.ui import theme
from inspector.ui.desk.dialogs import FormDialog
from inspector.ui.desk.parts import office_choices, parse_day, text
from inspector.ui.guard import Guard, words

BUTTON_H = 34
NAMED = 3  # refused items named in the snackbar


class Batch:
    def __init__(self, review):
        self.review, self.shell = review, review.shell
        self.dialog: FormDialog | None = None

    @property
    def lang(self) -> str:
        return self.shell.lang

    def build_bar(self) -> ft.Control:
        lang = self.lang
        self.button = ft.FilledButton(t("desk.batch.assign", lang), icon=ft.Icons.ASSIGNMENT_IND,
                                      on_click=self.open, height=BUTTON_H)
        return ft.Container(
            ft.Row([text(t("desk.batch.selected", lang, count=len(self.review.checked)), size=theme.SMALL,
                         weight=ft.FontWeight.BOLD, color=theme.PRIMARY),
                    self.button,
                    ft.TextButton(t("desk.batch.clear", lang), on_click=self.review.clear_checked, height=BUTTON_H)],
                   spacing=theme.SPACE_XL),
            bgcolor=theme.INFO_BG, padding=ft.Padding.symmetric(horizontal=theme.SPACE_XL, vertical=theme.SPACE_S))

    async def open(self, e=None) -> None:
        lang = self.lang
        targets = self.review.checked_items()
        if not targets:
            return
        offices = [("", t("desk.batch.own_office", lang)), *office_choices(lang)]
        self.dialog = FormDialog(self.shell, t("desk.batch.title", lang, count=len(targets)), [
            ("office", "dropdown", t("desk.form.office", lang), "", offices),
            ("leader", "text", t("desk.form.leader", lang), "", None),
            ("deadline", "date", t("desk.form.deadline_optional", lang), "", self.review.desk.today()),
        ], t("desk.batch.confirm", lang), self.submit, note=t("desk.batch.note", lang))
        self.dialog.open()

    async def submit(self, values: dict) -> str | None:
        """None closes the form; words keep it open and say what is wrong."""
        lang, review = self.lang, self.review
        leader = (values.get("leader") or "").strip()
        if not leader:
            return t("ui.item.need_leader", lang)
        try:
            deadline = parse_day(values.get("deadline"))
        except ValueError:
            return t("ui.item.bad_date", lang)
        with Guard(lang) as failure:  # the form says it
            results = await self.shell.call(review.desk.assign_many, review.checked_items(),
                                            values.get("office") or None, leader, deadline)
        if failure.failed:
            return failure.message
        done = [r for r in results if r.ok]
        failed = [r for r in results if not r.ok]
        if failed:
            why = "；".join(f"{r.number or ''} {words(r.error, lang)}" for r in failed[:NAMED])
            self.shell.snack(t("desk.batch.partly", lang, done=len(done), failed=len(failed), why=why), error=True)
        else:
            self.shell.snack(t("desk.batch.done", lang, count=len(done)))
        review.checked.clear()
        if review.selected_id:
            await review.after_decision(review.selected_id)
        else:
            await review.load()
        return None
