"""Me: who I am, language, sync now, log out."""

import flet as ft

from inspector.i18n import LANGUAGES, t
from inspector.ui import theme
from inspector.ui.views.base import View
from inspector.ui.widgets import section_title, wide_button

LANGUAGE_NAMES = {"zh-CN": "中文", "en": "English"}


class MeView(View):
    def __init__(self, app):
        super().__init__(app)
        self.render()

    def title(self) -> str:
        return t("ui.title.me", self.lang)

    async def shown(self) -> None:
        await self.app.refresh_sync()
        self.render()

    def fact(self, key: str, value: str) -> ft.Control:
        return ft.Row([ft.Text(t(key, self.lang), size=theme.BODY, color=theme.MUTED, width=96),
                       ft.Text(value, size=theme.BODY, weight=ft.FontWeight.W_600, expand=True)])

    def build(self) -> ft.Control:
        lang, ws, app = self.lang, self.app.ws, self.app
        actor = ws.actor
        status = app.sync_bar.status
        who = [
            ft.Row([ft.Icon(ft.Icons.ACCOUNT_CIRCLE, size=48, color=theme.PRIMARY),
                    ft.Column([ft.Text(ws.display_name, size=20, weight=ft.FontWeight.BOLD),
                               ft.Text(actor.username, size=theme.SMALL, color=theme.MUTED)], spacing=2)]),
            self.fact("ui.me.role", t(f"role.{actor.role}", lang)),
        ]
        if actor.office:
            who.append(self.fact("ui.me.office", t(f"office.{actor.office}", lang)))
        who.append(self.fact("ui.me.mode", t(f"ui.me.mode_{app.backend.mode}", lang)))
        self.lang_control = ft.SegmentedButton(
            segments=[ft.Segment(value=code, label=ft.Text(LANGUAGE_NAMES[code], size=theme.BODY))
                      for code in LANGUAGES],
            selected=[lang], on_change=self.on_lang, show_selected_icon=False, expand=True)
        sync_lines = [section_title(t("ui.me.sync", lang))]
        if status is not None:
            sync_lines.append(self.fact("ui.me.connection", t("ui.sync.online" if status.online
                                                              else "ui.sync.offline", lang)))
            sync_lines.append(self.fact("ui.me.pending", str(status.pending)))
            if status.rejected:
                sync_lines.append(self.fact("ui.me.rejected", str(status.rejected)))
            sync_lines.append(self.fact("ui.me.last_sync", app.short_time(status.last_sync_at)
                                        if status.last_sync_at else t("ui.me.never", lang)))
            if status.last_error:
                sync_lines.append(ft.Text(status.last_error, color=theme.DANGER, size=theme.BODY))
        self.sync_button = wide_button(t("ui.sync.now", lang), on_click=self.on_sync, icon=ft.Icons.SYNC,
                                       filled=False, expand=True)
        self.logout_button = wide_button(t("ui.me.logout", lang), on_click=self.on_logout, icon=ft.Icons.LOGOUT,
                                         filled=False, danger=True, expand=True)
        card = lambda controls: ft.Container(ft.Column(controls, spacing=10), padding=16, bgcolor="#FFFFFF",  # noqa: E731
                                             border_radius=12, border=ft.Border.all(1, "#CFD8DC"))
        return ft.ListView([
            card(who),
            card([section_title(t("ui.me.language", lang)), ft.Row([self.lang_control])]),
            card([*sync_lines, ft.Row([self.sync_button])]),
            ft.Row([self.logout_button]),
        ], expand=True, spacing=14, padding=16)

    async def on_lang(self, e) -> None:
        selected = e.control.selected or [self.lang]
        await self.app.set_lang(selected[0])

    async def on_sync(self, e=None) -> None:
        await self.app.sync_now()
        self.render()

    async def on_logout(self, e=None) -> None:
        await self.app.logout()
