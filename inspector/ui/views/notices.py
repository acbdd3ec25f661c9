"""通知: what needs this person now, in words, most pressing first; a row opens its item.

Notices are computed from the items (``Workspace.notices``), never stored:
assigned to my office, deadline within two days, overdue, fix sent back,
look-back due, a spot checker disagreeing, a rebound escalated to the top leader.
"""

import flet as ft

from inspector.domain.oversight import whole_days
from inspector.i18n import t
from inspector.ui import theme
from inspector.ui.views.base import View
from inspector.ui.widgets import empty_state

# kind -> (icon, colour)
LOOKS = {
    "overdue": (ft.Icons.ALARM, theme.DANGER),
    "escalated": (ft.Icons.PRIORITY_HIGH, theme.DANGER),
    "spot_disagreement": (ft.Icons.HOW_TO_VOTE, "#6A1B9A"),
    "fix_rejected": (ft.Icons.UNDO, "#E65100"),
    "deadline_soon": (ft.Icons.HOURGLASS_BOTTOM, "#E65100"),
    "assigned_to_office": (ft.Icons.ASSIGNMENT_IND, theme.PRIMARY),
    "look_back_due": (ft.Icons.REPLAY, theme.OK),
}


def notice_words(notice, now, lang: str) -> str:
    """The notice's sentence: "2026-0715-003 工地污水乱排放：已逾期 2 天"."""
    days = whole_days(notice.at, now)
    key = f"notice.{notice.kind}.message"
    if notice.kind == "deadline_soon" and days == 0:
        key = "notice.deadline_soon.today"
    if notice.kind == "look_back_due" and days < 0:
        key = "notice.look_back_due.overdue"
    category = t(f"category.{notice.category}", lang) if getattr(notice, "category", "") else ""
    return t(key, lang, number=notice.number or t("notice.no_number", lang), category=category, days=abs(days),
             reason=getattr(notice, "reason", None) or "")


class NoticesView(View):
    def __init__(self, app):
        super().__init__(app)
        self.notices: list = []
        self.loaded = False
        self.error: str | None = None
        self.rows: list[ft.Container] = []
        self.render()

    def title(self) -> str:
        return t("ui.notice.title", self.lang)

    async def load(self) -> None:
        try:
            self.notices = await self.app.call(self.ws.notices)
            self.error = None
        except Exception as error:  # noqa: BLE001
            self.error = self.app.words(error)
        self.loaded = True
        self.app.header.show_count(len(self.notices) if self.error is None else None)
        self.render()

    async def on_open(self, e) -> None:
        await self.app.open_item(e.control.data)

    def row(self, notice, now) -> ft.Container:
        lang = self.lang
        icon, colour = LOOKS.get(notice.kind, (ft.Icons.NOTIFICATIONS, theme.PRIMARY))
        return ft.Container(
            ft.Row([ft.Icon(icon, color=colour, size=28),
                    ft.Column([ft.Text(t(f"notice.{notice.kind}", lang), size=theme.BODY, weight=ft.FontWeight.BOLD,
                                       color=colour),
                               ft.Text(notice_words(notice, now, lang), size=theme.BODY, color="#212121")],
                              spacing=2, expand=True),
                    ft.Icon(ft.Icons.CHEVRON_RIGHT, color=theme.MUTED)], spacing=12),
            padding=ft.Padding(14, 12, 8, 12), bgcolor="#FFFFFF", border_radius=12,
            border=ft.Border(left=ft.BorderSide(4, colour)), on_click=self.on_open, data=notice.item_id, ink=True)

    def build(self) -> ft.Control:
        lang, now = self.lang, self.app.now()
        if not self.loaded:
            return ft.Container(ft.ProgressRing(), alignment=ft.Alignment.CENTER, expand=True)
        controls: list[ft.Control] = []
        if self.error:
            controls.append(ft.Text(self.error, color=theme.DANGER, size=theme.BODY))
        self.rows = [self.row(n, now) for n in self.notices]
        controls += [ft.Semantics(content=r, identifier=f"notice-{i}", container=True) for i, r in enumerate(self.rows)]
        if not self.notices and not self.error:
            controls.append(empty_state(t("ui.notice.none", lang)))
        return ft.ListView(controls, expand=True, spacing=10, padding=16)
