"""While reporting: the items already on record here, offered instead of a new one (可能重复, 反弹).

Once the form knows where and which category, it asks the workspace
(``report_candidates``: the server's database, or the field client's copy,
offline too, by the same rule in ``inspector.domain.duplicates``) and shows a
card per item: its before-photo, number, status, distance and what it is to
this report. One tap records the report's photos on it instead of a new item:
"加到此问题" as ``evidence_added`` (an open item), "记为反弹" as ``rebounded``
(a fixed one, the look-back's payload: ``Workspace.rebound_payload``). The
form is then cleared as after 保存, and a message says what happened.
"""

import asyncio
import logging
from typing import TYPE_CHECKING

import flet as ft

from inspector.domain.duplicates import Candidate, Offer
from inspector.domain.lifecycle import Kind
from inspector.i18n import t
from inspector.ui import theme
from inspector.ui.device import SERVICE_FAILURES
from inspector.ui.guard import Guard
from inspector.ui.widgets import badge, card_box, category_line, item_number, muted, photo_box, status_chip

if TYPE_CHECKING:
    from inspector.ui.views.report import ReportView

log = logging.getLogger(__name__)
BUTTON_H = 48  # a card's one button: a thumb's tap
SCROLL_KEY = "report-candidates"
SCROLL_MS = 300
SCROLL_WAIT_S = 5.0


class Candidates:
    """The candidates part of one report form; its state lives here, its cards in ``controls``."""

    def __init__(self, view: "ReportView"):
        self.view = view
        self.rows: list[Candidate] = []
        self.asked: tuple | None = None  # (lat, lon, category) the rows answer
        self.error: str | None = None
        self.busy = False
        self.buttons: dict[str, ft.Control] = {}  # item id -> its card's button (tests tap them)

    @property
    def app(self):
        return self.view.app

    def question(self) -> tuple | None:
        loc, category = self.view.location, self.view.category
        if not loc or not category:
            return None
        return (loc["lat"], loc["lon"], category)

    def clear(self) -> None:
        self.rows, self.asked, self.error = [], None, None

    async def refresh(self) -> bool:
        """Ask again when the point or the category changed; True when the rows changed."""
        asked = self.question()
        if asked == self.asked:
            return False
        self.asked = asked
        if asked is None:
            changed = bool(self.rows)
            self.rows = []
            return changed
        with Guard(self.view.lang) as failure:  # shown in place of the cards; the form works on
            rows = await self.app.call(self.view.ws.report_candidates, *asked)
        if self.asked != asked:  # the form moved on meanwhile
            return False
        self.rows, self.error = ([] if failure.failed else rows), failure.message
        for c in self.rows:
            if c.item.photos:
                await self.app.thumb(c.item.photos[0])
        return True

    # ------------------------------------------------------------------ controls
    def controls(self) -> list[ft.Control]:
        """A title, a hint and a card per candidate; nothing when there is none."""
        lang = self.view.lang
        self.buttons = {}
        if self.error:
            return [ft.Text(self.error, size=theme.SMALL, color=theme.DANGER)]
        if not self.rows:
            return []
        out: list[ft.Control] = [
            ft.Text(t("ui.report.candidates_title", lang, count=len(self.rows)), size=theme.TITLE,
                    weight=ft.FontWeight.BOLD, color=theme.WARN),
            muted(t("ui.report.candidates_hint", lang), theme.SMALL)]
        out += [self.card(c) for c in self.rows]
        return [ft.Container(ft.Column(out, spacing=theme.SPACE_M), padding=theme.SPACE_L, bgcolor=theme.WARN_BG,
                             border_radius=theme.RADIUS, border=ft.Border.all(theme.BORDER_BOLD, theme.WARN),
                             data="candidates", key=ft.ScrollKey(SCROLL_KEY))]

    def show(self) -> None:
        """Bring the cards into view (they appear under the tiles, where the eye may not be), without waiting
        for the client's answer: a handler must not hang on a client that never answers."""
        column = getattr(self.view, "form_column", None)
        if self.rows and column is not None:
            self._scrolling = asyncio.create_task(self._scroll(column))  # held: a task nothing holds may go

    @staticmethod
    async def _scroll(column: ft.Column) -> None:
        try:
            await asyncio.wait_for(column.scroll_to(scroll_key=SCROLL_KEY, duration=SCROLL_MS), SCROLL_WAIT_S)
        except SERVICE_FAILURES as error:  # off the page, no answer in time: the cards are there all the same
            log.info("candidates not scrolled to: %s", error)

    def card(self, c: Candidate) -> ft.Control:
        lang, item = self.view.lang, c.item
        sha = item.photos[0] if item.photos else None
        thumb = photo_box(self.app.thumb_cache.get(sha) if sha else None, theme.THUMB_L)
        rebound = c.offer == Offer.REBOUND
        offer = badge(t(f"ui.report.offer.{c.offer}", lang), bg=theme.SURFACE if rebound else theme.WARN,
                      fg=theme.REBOUND if rebound else theme.ON_COLOUR)
        words = t("ui.report.record_rebound" if rebound else "ui.report.add_to_item", lang)
        button = ft.FilledButton(words, icon=ft.Icons.REPLAY if rebound else ft.Icons.ADD_PHOTO_ALTERNATE,
                                 on_click=self.on_take, data=item.id, height=BUTTON_H, disabled=self.busy,
                                 style=ft.ButtonStyle(bgcolor=theme.DANGER if rebound else theme.PRIMARY,
                                                      color=theme.ON_COLOUR))
        self.buttons[item.id] = button
        lines: list[ft.Control] = [
            ft.Row([ft.Text(item_number(item, lang), size=theme.BODY, weight=ft.FontWeight.BOLD), offer],
                   spacing=theme.SPACE_S, wrap=True),
            category_line(item, lang),
            ft.Row([status_chip(item.status, lang),
                    muted(t("ui.report.candidate_distance", lang, metres=f"{c.distance_m:.0f}"), theme.SMALL)],
                   spacing=theme.SPACE_S, wrap=True),
            ft.Row([button]),
        ]
        border = ft.Border.all(theme.BORDER_BOLD, theme.REBOUND if rebound else theme.LINE)
        return card_box(lines, thumb, border=border, data=item.id)

    # ------------------------------------------------------------------ one tap
    async def on_take(self, e) -> None:
        await self.take(e.control.data)

    async def take(self, item_id: str) -> None:
        """Record the report's photos on the candidate ``item_id`` instead of a new item, then clear the form."""
        view, lang = self.view, self.view.lang
        chosen = next((c for c in self.rows if c.item.id == item_id), None)
        if chosen is None or self.busy or view.saving:
            return
        if not view.photos:
            self.app.warn(t("ui.report.candidate_need_photo", lang))
            return
        item, photos = chosen.item, [p.sha256 for p in view.photos]
        note = view.description.strip() or None
        self.busy = True
        view.render()
        with self.app.guard() as failure:  # refused (the item moved on, no longer seen): said, the form kept
            if chosen.offer == Offer.REBOUND:
                payload = await self.app.call(view.ws.rebound_payload, item, photos, None, note)
            else:
                payload = {"photos": photos}
                if note:
                    payload["note"] = note
                if view.location:
                    payload["location"] = {k: v for k, v in view.location.items() if v is not None}
            state = await self.app.call(view.ws.record, chosen.kind, item.id, item.version, payload)
        self.busy = False
        if failure.failed:
            self.asked = None  # read again: the item may have moved on
            await self.refresh()
            view.render()
            return
        status = await self.app.refresh_sync()
        waiting = bool(status and status.pending)
        key = {(Kind.EVIDENCE_ADDED, False): "ui.report.added_to", (Kind.EVIDENCE_ADDED, True): "ui.report.added_to_local",
               (Kind.REBOUNDED, False): "ui.report.rebound_recorded", (Kind.REBOUNDED, True): "ui.report.rebound_local"}
        self.app.snack(t(key[(chosen.kind, waiting)], lang, number=item_number(state, lang)))
        await view.after_saved()
