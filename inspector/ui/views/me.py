"""Me: who I am, language, sync now, log out."""

import flet as ft

from inspector.i18n import LANGUAGES, t
from inspector.ui import theme
from inspector.ui.views.base import View
from inspector.ui.widgets import boxed, error_text, section_title, wide_button

LANGUAGE_NAMES = {"zh-CN": "中文", "en": "English"}
LABEL_W = 96  # the width of a fact's label column


class MeView(View):
    title_key = "ui.title.me"

    def __init__(self, app):
        super().__init__(app)
        self.render()

    async def shown(self) -> None:
        await self.app.refresh_sync()
        self.render()

    def fact(self, key: str, value: str) -> ft.Control:
        return ft.Row([ft.Text(t(key, self.lang), size=theme.BODY, color=theme.MUTED, width=LABEL_W),
                       ft.Text(value, size=theme.BODY, weight=ft.FontWeight.W_600, expand=True)])

    def build(self) -> ft.Control:
        lang, ws, app = self.lang, self.app.ws, self.app
        actor = ws.actor
        status = app.sync_bar.status
        who = [
            ft.Row([ft.Icon(ft.Icons.ACCOUNT_CIRCLE, size=theme.ICON_XXL, color=theme.PRIMARY),
                    ft.Column([ft.Text(ws.display_name, size=theme.HEADLINE, weight=ft.FontWeight.BOLD),
                               ft.Text(actor.username, size=theme.SMALL, color=theme.MUTED)],
                              spacing=theme.SPACE_XXS)]),
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
                sync_lines.append(error_text(status.last_error))
        self.sync_button = wide_button(t("ui.sync.now", lang), on_click=self.on_sync, icon=ft.Icons.SYNC,
                                       filled=False, expand=True)
        self.logout_button = wide_button(t("ui.me.logout", lang), on_click=self.on_logout, icon=ft.Icons.LOGOUT,
                                         filled=False, danger=True, expand=True)
        return ft.ListView([
            boxed(who, padding=theme.SCREEN_PAD),
            boxed([section_title(t("ui.me.language", lang)), ft.Row([self.lang_control])], padding=theme.SCREEN_PAD),
            boxed([*sync_lines, ft.Row([self.sync_button])], padding=theme.SCREEN_PAD),
            # the phone app's server address and its change button (inspector.phone.PhoneBackend)
            *([boxed(app.backend.me_section(self), padding=theme.SCREEN_PAD)]
              if hasattr(app.backend, "me_section") else []),
            ft.Row([self.logout_button]),
        ], expand=True, spacing=theme.SPACE_XXL, padding=theme.SCREEN_PAD)

    async def on_lang(self, e) -> None:
        selected = e.control.selected or [self.lang]
        await self.app.set_lang(selected[0])

    async def on_sync(self, e=None) -> None:
        await self.app.sync_now()
        self.render()

    async def on_logout(self, e=None) -> None:
        await self.app.logout()
