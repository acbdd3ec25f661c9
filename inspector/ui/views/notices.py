"""通知: what needs this person now, in words, most pressing first; a row opens its item.

Notices are computed from the items (``Workspace.notices``), never stored:
assigned to my office, deadline within two days, overdue, fix sent back,
look-back due, a spot checker disagreeing, a rebound escalated to the top leader, a site overdue for a
visit (opens that visit for those who make the check).
"""

import flet as ft

from inspector.i18n import t
from inspector.domain.visit_drafts import visit_check_types
from inspector.i18n.notices import notice_message
from inspector.services.schedules import SiteNotice
from inspector.ui import theme
from inspector.ui.guard import Guard
from inspector.ui.views.base import View
from inspector.ui.views.visit import open_visit
from inspector.ui.widgets import listing, loading, tagged

# kind -> (icon, colour)
LOOKS = {
    "supervision_escalated": (ft.Icons.CAMPAIGN, theme.DANGER),  # D: 升级督办
    "supervision": (ft.Icons.GAVEL, theme.DANGER),  # D: 督办
    "overdue": (ft.Icons.ALARM, theme.DANGER),
    "escalated": (ft.Icons.PRIORITY_HIGH, theme.DANGER),
    "spot_disagreement": (ft.Icons.HOW_TO_VOTE, theme.ACCENT),
    "fix_rejected": (ft.Icons.UNDO, theme.WARN),
    "deadline_soon": (ft.Icons.HOURGLASS_BOTTOM, theme.WARN),
    "assigned_to_office": (ft.Icons.ASSIGNMENT_IND, theme.PRIMARY),
    "look_back_due": (ft.Icons.REPLAY, theme.OK),
    "site_overdue": (ft.Icons.PLACE, theme.DANGER),  # a site overdue for a visit (``services.schedules``)
}


def notice_words(notice, now, lang: str) -> str:
    """The notice's sentence: "2026-0715-003 工地污水乱排放：已逾期 2 天" (the same words as the API's)."""
    return notice_message(notice.kind, notice.at, now, lang, number=notice.number,
                          category=getattr(notice, "category", "") or None, reason=getattr(notice, "reason", None),
                          site=getattr(notice, "site_name", None), check_type=getattr(notice, "check_type", None))


class NoticesView(View):
    title_key = "ui.notice.title"

    def __init__(self, app):
        super().__init__(app)
        self.notices: list = []
        self.loaded = False
        self.error: str | None = None
        self.rows: list[ft.Container] = []
        self.render()

    async def load(self) -> None:
        with Guard(self.lang) as failure:  # shown in place of the list
            self.notices = await self.app.call(self.ws.notices)
        self.error = failure.message
        self.loaded = True
        self.app.header.show_count(len(self.notices) if self.error is None else None)
        self.render()

    async def on_open(self, e) -> None:
        notice = e.control.data
        if isinstance(notice, SiteNotice):  # a site overdue: its visit, for those who make that check
            if notice.check_type in visit_check_types(self.app.ws.actor.role):
                await open_visit(self.app, notice.site_id, notice.check_type)
            return
        await self.app.open_item(notice.item_id)

    def row(self, notice, now) -> ft.Container:
        lang = self.lang
        icon, colour = LOOKS.get(notice.kind, (ft.Icons.NOTIFICATIONS, theme.PRIMARY))
        return ft.Container(
            ft.Row([ft.Icon(icon, color=colour, size=theme.ICON_XL),
                    ft.Column([ft.Text(t(f"notice.{notice.kind}", lang), size=theme.BODY, weight=ft.FontWeight.BOLD,
                                       color=colour),
                               ft.Text(notice_words(notice, now, lang), size=theme.BODY, color=theme.TEXT)],
                              spacing=theme.SPACE_XXS, expand=True),
                    ft.Icon(ft.Icons.CHEVRON_RIGHT, color=theme.MUTED)], spacing=theme.SPACE_XL),
            padding=ft.Padding(theme.SPACE_XXL, theme.SPACE_XL, theme.SPACE_M, theme.SPACE_XL),
            bgcolor=theme.SURFACE, border_radius=theme.RADIUS,
            border=ft.Border(left=ft.BorderSide(theme.ACCENT_W, colour)), on_click=self.on_open,
            data=notice, ink=True)

    def build(self) -> ft.Control:
        if not self.loaded:
            return loading()
        now = self.app.now()
        self.rows = [self.row(n, now) for n in self.notices]
        return listing([tagged(r, f"notice-{i}") for i, r in enumerate(self.rows)], error=self.error,
                       empty=t("ui.notice.none", self.lang))
