"""Login: username, password, one big button; wrong credentials and no network in plain words."""

import flet as ft

from inspector.errors import ServerFault, ServerUnreachable
from inspector.i18n import t
from inspector.ui import theme
from inspector.ui.guard import Guard
from inspector.ui.views.base import View
from inspector.ui.widgets import wide_button

ICON_LOGO = 64  # the app's mark above its name

FORM_MAX_W = 420  # the login form's widest (issue 13: it stretched to 1,400 px on a desktop)
# The catalogue keys of the words this screen shows before anything is typed: the web page preloads the
# font slices of their characters (inspector.ui.font_preload; a test fails if a word here is missing).
WORD_KEYS = ("ui.app_name", "ui.login.tagline", "ui.login.username", "ui.login.password", "ui.login.submit",
             "ui.lang.switch_to")


class LoginView(View):
    def __init__(self, app, message: str | None = None):
        super().__init__(app)
        self.error_words = message or ""
        self.busy = False
        self.username_value = ""
        self.password_value = ""
        self.render()

    def build(self) -> ft.Control:
        lang = self.lang
        self.username = ft.TextField(label=t("ui.login.username", lang), value=self.username_value,
                                     text_size=theme.TITLE, autofocus=True, on_submit=self.focus_password,
                                     on_change=self.on_username,
                                     prefix_icon=ft.Icons.PERSON)
        self.password = ft.TextField(label=t("ui.login.password", lang), password=True,
                                     can_reveal_password=True, text_size=theme.TITLE, on_submit=self.submit,
                                     on_change=self.on_password,
                                     prefix_icon=ft.Icons.LOCK)
        self.error = ft.Text(self.error_words, color=theme.DANGER, size=theme.BODY, visible=bool(self.error_words),
                             weight=ft.FontWeight.W_600)
        self.button = wide_button(t("ui.login.submit", lang), on_click=self.submit, disabled=self.busy)
        other = "en" if lang == "zh-CN" else "zh-CN"
        self.lang_button = ft.TextButton(t("ui.lang.switch_to", lang), on_click=self.switch_lang,
                                         data=other, height=theme.TAP)
        return ft.Container(  # the form keeps a phone's width on a desktop screen (FORM_MAX_W), centred
            content=ft.Container(width=FORM_MAX_W, content=ft.Column([
                ft.Column([
                    ft.Icon(ft.Icons.FACT_CHECK, size=ICON_LOGO, color=theme.PRIMARY),
                    ft.Text(t("ui.app_name", lang), size=theme.DISPLAY, weight=ft.FontWeight.BOLD),
                    ft.Text(t("ui.login.tagline", lang), size=theme.BODY, color=theme.MUTED,
                            text_align=ft.TextAlign.CENTER),
                ], horizontal_alignment=ft.CrossAxisAlignment.CENTER, spacing=theme.SPACE_S),
                ft.Container(height=theme.SPACE_XL),
                self.username, self.password, self.error, self.button,
                ft.Row([self.lang_button], alignment=ft.MainAxisAlignment.CENTER),
            ], horizontal_alignment=ft.CrossAxisAlignment.STRETCH, spacing=theme.SCREEN_PAD,
                scroll=ft.ScrollMode.AUTO)),
            padding=theme.SPACE_PAGE, expand=True, bgcolor=theme.SURFACE, alignment=ft.Alignment.TOP_CENTER,
        )

    async def on_username(self, e) -> None:
        self.username_value = e.control.value or ""

    async def on_password(self, e) -> None:
        self.password_value = e.control.value or ""

    async def focus_password(self, e=None) -> None:
        await self.password.focus()

    async def switch_lang(self, e) -> None:
        await self.app.set_lang(e.control.data)

    async def submit(self, e=None) -> None:
        lang = self.lang
        username, password = self.username_value.strip(), self.password_value
        if not username or not password:
            self.show_error(t("ui.login.missing", lang))
            return
        self.busy = True
        self.button.disabled = True
        self.error.visible = False
        self.refresh()
        try:
            with Guard(lang, self.show_error):  # wrong credentials, too many tries, a bug: in words here
                try:
                    await self.app.login(username, password)
                except (ServerUnreachable, ServerFault, OSError):  # no network: this screen's own words
                    self.show_error(t("ui.login.no_network", lang))
        finally:
            self.busy = False

    def show_error(self, words: str) -> None:
        self.error_words = words
        self.error.value = words
        self.error.visible = True
        self.button.disabled = False
        self.refresh()
