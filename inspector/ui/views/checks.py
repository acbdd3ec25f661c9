"""The two re-inspections on an item: the inspector's look-back (回头看) and the spot checker's blind check.

Both read the same way: photos first (the picker), a verdict as a big
segmented control, a note, one save button. Look-back: the fix holds
(``look_back_passed``) or the problem is back (``rebounded``: the leader and
deadline come from ``Workspace.rebound_payload``; the deadline may only be made
shorter; from the second rebound on the office's top leader takes it, shown as a
warning). Spot check: 一致 / 不一致 with the supervisor's verdict, recorded as
``spot_checked``. Saving goes through ``ItemView.record``: on the field client
it is in the outbox before the snackbar says so.
"""

from datetime import date, timedelta
from typing import TYPE_CHECKING

import flet as ft

from inspector.i18n import t
from inspector.ui import theme
from inspector.ui.widgets import boxed, form_buttons, muted, section_title, wide_button

if TYPE_CHECKING:
    from inspector.ui.views.item import ItemView

HOLDS, REBOUNDED = "holds", "rebounded"
AGREE, DISAGREE = "agree", "disagree"
SHORTER_DAYS = (1, 3, 7)  # offered below the category's default deadline


def deadline_choices(default_days: int) -> list[int]:
    """Days a rebound's new deadline may be set to: a few shorter ones and the default, never longer."""
    default_days = max(default_days, 1)
    return sorted({d for d in SHORTER_DAYS if d < default_days} | {default_days})


class Segments:
    """A segmented control at thumb size: a row of joined segments, one chosen (or none yet).

    Flutter's SegmentedButton stays about 40 px high whatever its padding; a
    muddy glove needs 48 px or more, so the segments are plain tappable boxes.
    ``options``: (value, words, colour when chosen); ``on_change(value)`` is awaited after a tap.
    """

    def __init__(self, options: list[tuple[str, str, str]], selected: str | None, on_change,
                 height: int = theme.BUTTON_H, size: int = theme.TITLE):
        self.selected = selected
        self.on_change = on_change
        self.segments: dict[str, ft.Container] = {}
        last = len(options) - 1
        for i, (value, words, colour) in enumerate(options):
            chosen = value == selected
            left, right = theme.RADIUS if i == 0 else 0, theme.RADIUS if i == last else 0
            radius = ft.BorderRadius(top_left=left, bottom_left=left, top_right=right, bottom_right=right)
            label = [ft.Text(words, size=size, weight=ft.FontWeight.BOLD,
                             color=theme.ON_COLOUR if chosen else theme.TEXT, text_align=ft.TextAlign.CENTER)]
            if chosen:
                label.insert(0, ft.Icon(ft.Icons.CHECK, color=theme.ON_COLOUR, size=theme.ICON_L))
            self.segments[value] = ft.Container(
                ft.Row(label, alignment=ft.MainAxisAlignment.CENTER, spacing=theme.SPACE_XS, tight=True),
                height=height, expand=1, alignment=ft.Alignment.CENTER, bgcolor=colour if chosen else theme.SURFACE,
                border=ft.Border.all(theme.BORDER_BOLD, colour if chosen else theme.PLACEHOLDER), border_radius=radius,
                data=value,
                on_click=self._tap, ink=True)
        self.root = ft.Row(list(self.segments.values()), spacing=0, expand=True)

    async def _tap(self, e) -> None:
        self.selected = e.control.data
        await self.on_change(self.selected)


def warning_box(text: str, colour: str = theme.DANGER, bg: str = theme.DANGER_BG) -> ft.Container:
    return ft.Container(ft.Row([ft.Icon(ft.Icons.WARNING_AMBER, color=colour),
                                ft.Text(text, size=theme.BODY, color=colour, weight=ft.FontWeight.W_600,
                                        expand=True)], spacing=theme.SPACE_M),
                        padding=theme.SPACE_XL, bgcolor=bg, border_radius=theme.RADIUS_S,
                        border=ft.Border.all(theme.BORDER, colour))


class LookBackForm:
    """回头看: photos, 整改保持 / 发现反弹, (rebound: deadline and leader), note, save."""

    def __init__(self, view: "ItemView"):
        self.view = view
        self.verdict = HOLDS
        self.proposal: dict | None = None  # rebound_payload without photos: the leader and default deadline
        self.days: int | None = None

    @property
    def app(self):
        return self.view.app

    @property
    def lang(self) -> str:
        return self.view.lang

    def today(self) -> date:
        return self.app.now().astimezone(self.app.zone).date()

    def default_days(self) -> int:
        if not self.proposal:
            return 1
        return max((date.fromisoformat(str(self.proposal["deadline"])[:10]) - self.today()).days, 1)

    @property
    def escalates(self) -> bool:
        return self.view.item.rebound_count >= 1

    async def start(self) -> None:
        item = self.view.item
        with self.app.guard() as failure:
            self.proposal = await self.app.call(self.view.ws.rebound_payload, item, [], None, None)
        if failure.failed:  # said; with no proposal the person types the leader
            self.proposal = {"leader": item.leader or "", "deadline": self.today().isoformat()}
        self.days = self.default_days()
        self.view.values["leader"] = self.proposal.get("leader") or ""

    async def on_verdict(self, value: str) -> None:
        self.verdict = value
        self.view.render()

    async def on_days(self, value: str) -> None:
        self.days = int(value)
        self.view.render()

    async def submit(self, e=None) -> None:
        view, lang = self.view, self.lang
        if not view.new_photos:
            self.app.warn(t("ui.item.need_look_back_photo", lang))
            return
        photos = [p.sha256 for p in view.new_photos]
        note = view.note_value()
        if self.verdict == HOLDS:
            payload: dict = {"photos": photos}
            if note:
                payload["note"] = note
            await view.record("look_back_passed", payload)
            return
        leader = view.value("leader")
        if not leader:
            self.app.warn(t("ui.item.need_leader", lang))
            return
        days = min(self.days or self.default_days(), self.default_days())
        deadline = self.today() + timedelta(days=days)
        with self.app.guard() as failure:
            payload = await self.app.call(view.ws.rebound_payload, view.item, photos, deadline, note or None)
        if failure.failed:
            return
        payload["leader"] = leader  # as shown (and perhaps corrected) on the form
        await view.record("rebounded", payload)

    def build(self) -> ft.Control:
        view, lang, item = self.view, self.lang, self.view.item
        self.verdict_control = Segments(
            [(HOLDS, t("ui.oversight.look_back.holds", lang), theme.OK),
             (REBOUNDED, t("ui.oversight.look_back.rebounded", lang), theme.DANGER)],
            self.verdict, self.on_verdict)
        view.note_field = view.field("note", "ui.item.note", multiline=True, min_lines=1, max_lines=3, expand=True)
        parts: list[ft.Control] = [section_title(t("ui.item.look_back_title", lang)),
                                   ft.Text(t("ui.oversight.look_back.guide", lang), size=theme.BODY),
                                   view.build_new_photos(), view.build_spot(),
                                   section_title(t("ui.oversight.look_back.verdict", lang)),
                                   ft.Row([self.verdict_control.root])]
        if self.verdict == REBOUNDED:
            if self.escalates:
                parts.append(warning_box(self.escalation_words()))
            default = self.default_days()
            self.days_control = Segments(
                [(str(d), t("ui.oversight.look_back.days_default" if d == default else "ui.oversight.look_back.days",
                            lang, days=d), theme.PRIMARY) for d in deadline_choices(default)],
                str(self.days or default), self.on_days, height=theme.ACTION_H, size=theme.BODY)
            self.leader_field = view.field("leader", "ui.item.leader_label", expand=True)
            parts += [muted(t("ui.oversight.look_back.deadline", lang), theme.SMALL),
                      ft.Row([self.days_control.root]), ft.Row([self.leader_field])]
        parts.append(ft.Row([view.note_field]))
        self.submit_button = wide_button(t("ui.oversight.look_back.save", lang), on_click=self.submit,
                                         height=theme.ACTION_H, expand=True, danger=self.verdict == REBOUNDED)
        view.submit_button = self.submit_button
        parts.append(form_buttons(view.cancel_form, self.submit_button, lang))
        return boxed(parts, outline=theme.DANGER if self.verdict == REBOUNDED else theme.PRIMARY,
                     width=theme.BORDER_BOLD)

    def escalation_words(self) -> str:
        lang, item = self.lang, self.view.item
        leader = (self.proposal or {}).get("leader") or ""
        count = item.rebound_count + 1
        if leader and leader != (item.leader or ""):
            return t("ui.oversight.look_back.escalated", lang, count=count, leader=leader)
        return t("ui.oversight.look_back.escalated_no_top", lang, count=count)


class SpotCheckForm:
    """抽查复核: judged blind, on the spot: photos, 一致 / 不一致, note, save."""

    def __init__(self, view: "ItemView"):
        self.view = view
        self.verdict: str | None = None  # chosen on purpose: nothing is preselected

    @property
    def lang(self) -> str:
        return self.view.lang

    async def start(self) -> None:
        pass

    async def on_verdict(self, value: str) -> None:
        self.verdict = value
        self.view.render()

    async def submit(self, e=None) -> None:
        view, app, lang = self.view, self.view.app, self.lang
        if not view.new_photos:
            app.warn(t("ui.oversight.spot.need_photo", lang))
            return
        if self.verdict not in (AGREE, DISAGREE):
            app.warn(t("ui.oversight.spot.need_verdict", lang))
            return
        payload: dict = {"verdict": self.verdict, "photos": [p.sha256 for p in view.new_photos]}
        if note := view.note_value():
            payload["note"] = note
        if (where := view.location_payload()) is not None:
            payload["location"] = where
        await view.record("spot_checked", payload)

    def build(self) -> ft.Control:
        view, lang = self.view, self.lang
        self.verdict_control = Segments(
            [(AGREE, t("ui.oversight.spot.agree", lang), theme.OK),
             (DISAGREE, t("ui.oversight.spot.disagree", lang), theme.DANGER)],
            self.verdict, self.on_verdict)
        view.note_field = view.field(
            "note", "ui.oversight.spot.note_disagree" if self.verdict == DISAGREE else "ui.item.note",
            multiline=True, min_lines=2 if self.verdict == DISAGREE else 1, max_lines=4, expand=True)
        self.submit_button = wide_button(t("ui.oversight.spot.save", lang), on_click=self.submit,
                                         height=theme.ACTION_H, expand=True)
        view.submit_button = self.submit_button
        parts = [section_title(t("ui.oversight.spot.title", lang)),
                 ft.Text(t("ui.oversight.spot.guide", lang), size=theme.BODY),
                 view.build_new_photos(), view.build_spot(),
                 section_title(t("ui.oversight.spot.verdict", lang)), ft.Row([self.verdict_control.root]),
                 ft.Row([view.note_field]), form_buttons(view.cancel_form, self.submit_button, lang)]
        return boxed(parts, outline=theme.PRIMARY, width=theme.BORDER_BOLD)
