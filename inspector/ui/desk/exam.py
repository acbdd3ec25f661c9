"""The 月考 tab's published month: the publish button (with a confirm), the published badge, amend per office
(a dialog with its reason), the amendments listed, and the bulletin (通报) PDF to download.

``ExamPanel(section)`` draws these pieces for ``ScoresView`` from its
``ScoreboardView`` (``publication``, ``steps``, ``published_score``) and calls
the use cases of ``services.exam`` and ``reports.bulletin`` as the desk's
supervisor; the rules and refusals are theirs, shown here in words.
"""

from typing import TYPE_CHECKING

import flet as ft

from inspector.domain.scoring import OfficeScore
from inspector.domain.scoring.exam import AmendmentKind, AmendmentStep
from inspector.i18n import t
from inspector.reports import bulletin
from inspector.services import exam
from inspector.ui import theme
from inspector.ui.desk.dialogs import FormDialog
from inspector.ui.desk.parts import card, office_short, tag, text
from inspector.ui.desk.work import Work
from inspector.ui.guard import Guard

if TYPE_CHECKING:
    from inspector.ui.desk.scores import ScoresView

AMEND_W = 44  # the amend column
PROGRESS_W = 200  # the bulletin's progress line beside its button (a bar in a row needs a width)


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


class ExamPanel:
    def __init__(self, section: "ScoresView"):
        self.section = section
        self.busy = False
        self.work = Work("bulletin-progress")  # the bulletin's photos take a while: a running bar meanwhile
        self.numbers: dict[str, str] = {}  # item id -> number, of the items the amendments name

    async def load(self) -> None:
        """After the board: the numbers of the items the amendments name."""
        ids = {s.amendment.item_id for s in self.view.steps if s.amendment.item_id} if self.published else set()
        if ids - set(self.numbers):
            frozen = await self.shell.call(exam.frozen_items, self.section.desk.ctx, self.month, ids)
            self.numbers.update({i: f.number or i[:8] for i, f in frozen.items()})

    @property
    def lang(self) -> str:
        return self.section.lang

    @property
    def view(self):
        return self.section.view

    @property
    def shell(self):
        return self.section.shell

    @property
    def month(self) -> str:
        return self.section.month or ""

    @property
    def published(self) -> bool:
        return self.view is not None and self.view.publication is not None

    def _time(self, when) -> str:
        return theme.local_time(when, self.section.desk.zone)

    # ------------------------------------------------------------------ the bar
    def bar(self) -> list[ft.Control]:
        """The published badge and the bulletin button, or the publish button (off until the month has ended)."""
        if self.view is None:
            return []
        lang = self.lang
        if self.published:
            pub = self.view.publication
            self.badge = tag(t("score.published", lang, time=self._time(pub.at), name=pub.by_name), theme.OK,
                             size=theme.SMALL)
            self.bulletin_button = ft.OutlinedButton(t("desk.exam.bulletin", lang), icon=ft.Icons.PICTURE_AS_PDF,
                                                     on_click=self.download, disabled=self.busy)
            return [self.badge, text(t("desk.exam.frozen", lang), color=theme.MUTED, size=theme.DENSE_S),
                    self.bulletin_button, ft.Container(self.work.progress.root, width=PROGRESS_W)]
        ended = self.section.desk.now() >= self.view.board.period.end
        self.publish_button = ft.FilledButton(
            t("desk.exam.publish", lang), icon=ft.Icons.LOCK_OUTLINE, on_click=self.confirm_publish,
            disabled=not ended, tooltip=None if ended else t("desk.exam.not_ended", lang, month=self.month))
        return [self.publish_button]

    # ------------------------------------------------------------------ publish
    async def confirm_publish(self, e=None) -> None:
        lang = self.lang
        self.dialog = FormDialog(self.shell, t("desk.exam.publish_title", lang, month=self.month), [],
                                 t("desk.exam.publish_confirm", lang), self.publish,
                                 note=t("desk.exam.publish_note", lang))
        self.dialog.open()

    async def publish(self, values: dict) -> str | None:
        desk, month = self.section.desk, self.month
        with Guard(self.lang) as failure:
            await self.shell.call(exam.publish, desk.ctx, desk.actor, month)
        if failure.failed:
            return failure.message
        self.shell.snack(t("desk.exam.published_done", self.lang, month=month))
        await self.section.load()
        return None

    # ------------------------------------------------------------------ amend
    def header(self) -> list[ft.Control]:
        """The amend column's head, once the month is published."""
        if not self.published:
            return []
        return [ft.Container(width=AMEND_W)]

    def amend_cell(self, row: OfficeScore) -> list[ft.Control]:
        """The amend button of an office's row (none for the all-offices row, none before publishing)."""
        if not self.published:
            return []
        if not row.office:
            return [ft.Container(width=AMEND_W)]
        button = ft.IconButton(ft.Icons.EDIT_NOTE, data=row.office, on_click=self.open_amend,
                               tooltip=t("desk.exam.amend", self.lang), icon_size=theme.ICON_M)
        return [ft.Container(button, width=AMEND_W, alignment=ft.Alignment.CENTER)]

    def score_cell(self, row: OfficeScore, shown: ft.Control) -> ft.Control:
        """The score, and beside it the published one struck through when an amendment changed it."""
        steps = self.view.office_steps(row.office) if self.published and row.office else ()
        if not steps:
            return shown
        was = self.view.published_score(row.office)
        reasons = "\n".join(s.amendment.reason for s in steps)
        before = text("—" if was is None else f"{was:.1f}", size=theme.DENSE_S, color=theme.MUTED,
                      style=ft.TextStyle(decoration=ft.TextDecoration.LINE_THROUGH), tooltip=reasons)
        return ft.Column([shown, before], spacing=0, horizontal_alignment=ft.CrossAxisAlignment.CENTER)

    async def open_amend(self, e) -> None:
        office, lang = e.control.data, self.lang
        row = self.view.board.office(office)
        base = self.view.board.formula.base
        kinds = [(k.value, t(f"score.amend.kind.{k.value}", lang)) for k in AmendmentKind]
        fields = [("kind", "dropdown", t("desk.exam.kind", lang), AmendmentKind.SCORE.value, kinds),
                  ("score", "text", t("desk.exam.score", lang, base=f"{base:g}"),
                   "" if row.score is None else f"{row.score:.1f}", None),
                  ("item", "text", t("desk.exam.item", lang), "", None),
                  ("reason", "multiline", t("desk.exam.reason", lang), "", None)]
        self.dialog = FormDialog(self.shell, t("desk.exam.amend_title", lang, office=office_short(office, lang),
                                               month=self.month),
                                 fields, t("desk.exam.amend_confirm", lang), lambda v: self.amend(office, v))
        self.dialog.open()

    async def amend(self, office: str, values: dict) -> str | None:
        lang, desk = self.lang, self.section.desk
        kind = values.get("kind") or AmendmentKind.SCORE.value
        score = None
        if kind == AmendmentKind.SCORE:
            try:
                score = float((values.get("score") or "").strip())
            except ValueError:
                return t("desk.exam.bad_score", lang)
        with Guard(lang) as failure:
            step = await self.shell.call(exam.amend, desk.ctx, desk.actor, self.month, office, kind,
                                         values.get("reason"), score=score, item=values.get("item"))
        if failure.failed:
            return failure.message
        self.shell.snack(t("desk.exam.amended_done", lang, what=self.what(step)))
        await self.section.load()
        return None

    # ------------------------------------------------------------------ the amendments
    def what(self, step: AmendmentStep) -> str:
        a = step.amendment
        words = t(f"score.amend.kind.{a.kind}", self.lang)
        if a.item_id:
            words = f"{words} {self.numbers.get(a.item_id, a.item_id[:8])}"
        return f"{words} {t('score.amend.from_to', self.lang, before=_score(step.before), after=_score(step.after))}"

    def amendments(self) -> list[ft.Control]:
        """The card listing the month's amendments, oldest first (nothing before publishing or without any)."""
        if not self.published or not self.view.steps:
            return []
        lang = self.lang
        lines = [text(t("desk.exam.amendment_line", lang, office=office_short(s.amendment.office, lang),
                        what=self.what(s), reason=s.amendment.reason, name=s.amendment.by_name,
                        time=self._time(s.amendment.at)), size=theme.DENSE_S, selectable=True)
                 for s in self.view.steps]
        return [card(lines, title=t("desk.exam.amendments", lang), padding=theme.SPACE_XL, spacing=theme.SPACE_XS)]

    # ------------------------------------------------------------------ the bulletin
    async def download(self, e=None) -> None:
        lang, desk = self.lang, self.section.desk
        if self.busy:  # a click that came before the button went off
            return
        self.busy = True
        self.section.render()
        with Guard(lang) as failure:
            made = await self.work.run(self.shell, t("desk.work.report", lang), None, bulletin.render, desk.ctx,
                                       desk.actor, self.month, lang)
            await self.shell.saver.save(made.filename, made.data)
        self.busy = False
        self.section.render()
        self.shell.snack(failure.message if failure.failed else
                         t("desk.exam.bulletin_made", lang, name=made.filename, size=f"{len(made.data) / 1024:.0f}"),
                         error=failure.failed)
