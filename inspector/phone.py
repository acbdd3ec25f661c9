"""The phone app: the field client run natively by Flet, as ``flet build apk`` / ``ipa`` packages it.

``field_app.py`` (the ``[tool.flet.app] module`` in pyproject.toml) calls
``ft.run(main)``. There is no local web server and no uvicorn: Flet's embedded
Python runs ``main(page)`` and the Flutter shell draws the same views the web
UI uses, over a ``FieldWorkspace``.

- Data: the app's own storage folder, which Flet names in ``FLET_APP_STORAGE_DATA``
  (a ``data`` folder under the platform's application-support directory); the
  local store (``field.db`` + ``blobs/``) lives there, made private (0700).
- The server's address is asked once, on first start (``ServerScreen``), and
  kept in the local store (``SERVER_CHOICE``); the 我 tab shows it and can change it.
- Then the usual login and tabs (``inspector.ui.app.make_main`` over a
  ``PhoneBackend``); sync runs in the background as on ``inspector field``.

Nothing here imports the server's packages (uvicorn, FastAPI, psycopg, argon2,
Alembic, fpdf2, openpyxl, brotli): tests/ui/test_phone_entry.py runs this
module with them made unimportable.
"""

import asyncio
import os
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

import flet as ft

from inspector.i18n import LANGUAGES, t
from inspector.store.private import private_dir
from inspector.sync.field import FieldClient
from inspector.sync.local import LocalStore
from inspector.ui import theme
from inspector.ui.app import make_main
from inspector.ui.device import LANG_KEY, Devices, FletDevices
from inspector.ui.field import FieldBackend, open_field_client
from inspector.ui.widgets import refresh, wide_button

STORAGE_ENV = "FLET_APP_STORAGE_DATA"  # set by the Flet app shell on the phone
FALLBACK_DIR = Path.home() / ".inspector-field"  # `flet run field_app.py` on a laptop: no storage variable
SERVER_CHOICE = "phone_server_url"  # client_state: the address typed here (keys.SERVER is the logged-in one)
FIELD_W = 480  # the address form's width on a wide window


def app_data_dir(environ=os.environ) -> Path:
    """The folder the phone app keeps its local store in: the app's storage folder, made private."""
    folder = Path(environ.get(STORAGE_ENV) or FALLBACK_DIR) / "inspector"
    private_dir(folder)
    return folder


def server_address(text: str | None) -> str | None:
    """The typed address as the client uses it (``https://`` added when no scheme is given), or None."""
    value = (text or "").strip()
    if not value:
        return None
    if "://" not in value:
        value = f"https://{value}"
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        return None
    return value.rstrip("/")


def kept_server(data_dir: Path) -> str | None:
    """The server address kept in this phone's local store, or None on first start."""
    store = LocalStore(data_dir)
    try:
        return store.get(SERVER_CHOICE)
    finally:
        store.close()


def keep_server(data_dir: Path, url: str) -> None:
    """Keep ``url`` as this phone's server address."""
    store = LocalStore(data_dir)
    try:
        store.set(**{SERVER_CHOICE: url})
    finally:
        store.close()


class PhoneBackend(FieldBackend):
    """The field client's logins, plus the 我 tab's server section (``MeView`` asks for ``me_section``)."""

    def __init__(self, client: FieldClient, phone: "PhoneApp"):
        super().__init__(client)
        self.phone = phone

    def me_section(self, view) -> list[ft.Control]:
        """The server address and the button that changes it."""
        lang = view.lang
        return [view.fact("ui.phone.server", self.client.server_url),
                ft.Row([wide_button(t("ui.phone.change_server", lang), icon=ft.Icons.DNS, filled=False,
                                    expand=True, on_click=lambda e: self.phone.ask_new_server(view.app))])]


class ServerScreen:
    """The first start's one question: which server this phone reports to."""

    def __init__(self, lang: str, on_address: Callable, value: str = ""):
        self.lang, self.on_address = lang, on_address
        self.field = ft.TextField(label=t("ui.phone.server_label", lang), hint_text=t("ui.phone.server_hint", lang),
                                  value=value, text_size=theme.TITLE, autofocus=True, prefix_icon=ft.Icons.DNS,
                                  keyboard_type=ft.KeyboardType.URL, on_submit=self.submit)
        self.button = wide_button(t("ui.phone.connect", lang), on_click=self.submit)
        self.root = ft.Container(
            ft.Column([
                ft.Icon(ft.Icons.FACT_CHECK, size=theme.ICON_XXL, color=theme.PRIMARY),
                ft.Text(t("ui.phone.server_title", lang), size=theme.HEADLINE, weight=ft.FontWeight.BOLD),
                ft.Text(t("ui.phone.server_intro", lang), size=theme.BODY, color=theme.MUTED),
                self.field, self.button,
            ], spacing=theme.SCREEN_PAD, width=FIELD_W, scroll=ft.ScrollMode.AUTO),
            padding=theme.SPACE_PAGE, expand=True, bgcolor=theme.SURFACE, alignment=ft.Alignment.TOP_CENTER)

    async def submit(self, e=None) -> None:
        url = server_address(self.field.value)
        # the message sits on the field it is about, and goes once the address reads right
        self.field.error_text = None if url else t("ui.phone.server_invalid", self.lang)
        if url is None:
            refresh(self.field)
            return
        self.button.disabled = True
        await self.on_address(url)


class PhoneApp:
    """One phone: the address screen on first start, then the field client's App."""

    def __init__(self, page: ft.Page, data_dir: Path, devices_factory: Callable[[], Devices] | None = None):
        self.page, self.data_dir = page, Path(data_dir)
        self.devices_factory = devices_factory or FletDevices
        self.client: FieldClient | None = None
        self.screen: ServerScreen | None = None
        self.lang = "zh-CN"

    async def start(self) -> None:
        """The field client with the kept address, or the address screen when there is none yet."""
        theme.apply_theme(self.page)
        self.page.title = "创卫巡查 Inspector"
        lang = await self.devices_factory().prefs().get(LANG_KEY)
        self.lang = lang if lang in LANGUAGES else self.lang
        url = await asyncio.to_thread(kept_server, self.data_dir)
        if url:
            await self.open(url)
        else:
            self.ask_server()

    def ask_server(self) -> None:
        self.screen = ServerScreen(self.lang, self.connect)
        self.page.appbar = self.page.navigation_bar = None
        self.page.controls.clear()
        self.page.controls.append(self.screen.root)
        refresh(self.page)

    async def connect(self, url: str) -> None:
        """Keep the address and open the field client on it (no network needed: login asks the server)."""
        await asyncio.to_thread(keep_server, self.data_dir, url)
        await self.open(url)

    async def open(self, url: str) -> None:
        self.client = await asyncio.to_thread(open_field_client, url, self.data_dir)
        backend = PhoneBackend(self.client, self)
        await make_main(lambda: backend, self.client.settings, self.devices_factory)(self.page)

    def ask_new_server(self, app) -> None:
        """The 我 tab's 更改服务器地址: a dialog; a new address logs out and opens the client on it."""
        lang = app.lang
        screen = ServerScreen(lang, lambda url: self.switch(app, url), self.client.server_url if self.client else "")

        async def cancel(e=None) -> None:
            self.page.pop_dialog()

        self.page.show_dialog(ft.AlertDialog(
            title=ft.Text(t("ui.phone.change_server", lang)),
            content=ft.Column([ft.Text(t("ui.phone.change_note", lang), size=theme.BODY, color=theme.MUTED),
                               screen.field], tight=True, width=FIELD_W),
            actions=[ft.TextButton(t("ui.phone.cancel", lang), on_click=cancel),
                     ft.FilledButton(t("ui.phone.save", lang), on_click=screen.submit)]))
        self.screen = screen

    async def switch(self, app, url: str) -> None:
        self.page.pop_dialog()
        if self.client is not None and url == self.client.server_url:
            return
        await app.logout()  # the token is the old server's; waiting records stay in the outbox
        old, self.client = self.client, None
        if old is not None:
            await asyncio.to_thread(old.close)
        await self.connect(url)


async def main(page: ft.Page) -> None:
    """The Flet ``main`` of the phone app (``ft.run(main)`` in field_app.py)."""
    await PhoneApp(page, await asyncio.to_thread(app_data_dir)).start()
