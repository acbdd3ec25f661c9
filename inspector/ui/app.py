"""The shell of one session: login or the four tabs, the sync bar, opened items, language.

``App(page, backend, devices, settings)`` is made per page (one browser tab,
or the field client's window). Every blocking Workspace call goes through
``App.call`` (``asyncio.to_thread``): handlers run on the shared event loop.
"""

import asyncio
import logging
from datetime import datetime
from typing import Any, Callable

import flet as ft

from inspector.errors import InspectorError
from inspector.i18n import DEFAULT_LANG, LANGUAGES, error_message, t
from inspector.services.workspace import SyncStatus, Workspace
from inspector.settings import Settings
from inspector.store.models import Site
from inspector.ui import theme
from inspector.ui.backend import Backend
from inspector.ui.device import Devices
from inspector.ui.header import Header
from inspector.ui.tabs import DEFAULT_TABS, make_views, tabs_for
from inspector.ui.widgets import SyncBar

log = logging.getLogger(__name__)
TOKEN_KEY = "inspector.token"
LANG_KEY = "inspector.lang"
SYNC_POLL_S = 5.0


class App:
    def __init__(self, page: ft.Page, backend: Backend, devices: Devices, settings: Settings,
                 background: bool = True):
        self.page, self.backend, self.devices, self.settings = page, backend, devices, settings
        self.background = background  # poll the sync status (off in unit tests)
        self.lang = DEFAULT_LANG
        self.ws: Workspace | None = None
        self.token: str | None = None
        self.sites: list[Site] = []
        self.tab = 0
        self.views: dict[str, Any] = {}
        self.tabs = DEFAULT_TABS  # the bottom navigation of the person logged in (inspector.ui.tabs)
        self.header = Header(self)  # phase chip and notice bell in the app bar
        self.stack: list[Any] = []  # opened items, over the tabs
        self.login_view = None
        self.sync_bar = SyncBar(self)
        self.body = ft.Container(expand=True)
        self.nav = ft.NavigationBar(on_change=self.on_nav, selected_index=0, bgcolor="#FFFFFF",
                                    label_behavior=ft.NavigationBarLabelBehavior.ALWAYS_SHOW)
        self.generation = 0  # bumps at login/logout: stale background loops stop
        self.prefs = devices.prefs()
        self.thumb_cache: dict[str, bytes | None] = {}

    # ------------------------------------------------------------------ helpers
    @property
    def zone(self):
        return self.settings.zone

    def now(self) -> datetime:
        return self.ws.now() if self.ws is not None else datetime.now(self.zone)

    def short_time(self, value: datetime) -> str:
        return theme.local_time(value, self.zone)

    def site_name(self, site_id: str | None) -> str | None:
        if not site_id:
            return None
        return next((s.name for s in self.sites if s.id == site_id), None)

    async def thumb(self, sha: str, variant: str = "thumb") -> bytes | None:
        """A photo's thumbnail (cached for the session), or None when it is not here."""
        key = f"{sha}:{variant}"
        if self.thumb_cache.get(key):
            return self.thumb_cache[key]
        try:
            data = await self.call(self.ws.photo, sha, variant)
        except Exception as error:  # noqa: BLE001 - not on this device yet
            log.info("no %s of %s: %s", variant, sha, error)
            return None
        if len(self.thumb_cache) > 400:
            self.thumb_cache.clear()
        self.thumb_cache[key] = data
        if variant == "thumb":
            self.thumb_cache[sha] = data
        return data

    async def call(self, fn: Callable, *args, **kwargs):
        """Run a blocking Workspace or backend call off the event loop."""
        return await asyncio.to_thread(fn, *args, **kwargs)

    def words(self, error: Exception) -> str:
        if isinstance(error, InspectorError):
            return error_message(error, self.lang)
        log.exception("unexpected error", exc_info=error)
        return t("ui.error.unexpected", self.lang)

    def snack(self, text: str, error: bool = False) -> None:
        self.page.show_dialog(ft.SnackBar(
            ft.Text(text, size=theme.BODY, color="#FFFFFF"),
            bgcolor=theme.DANGER if error else "#263238", behavior=ft.SnackBarBehavior.FLOATING,
            duration=ft.Duration(seconds=6 if error else 4), show_close_icon=True))

    def update(self) -> None:
        try:
            self.page.update()
        except Exception as error:  # noqa: BLE001 - the page went away with its session
            log.debug("page update skipped: %s", error)

    # ------------------------------------------------------------------ start, login, logout
    async def start(self) -> None:
        theme.apply_theme(self.page)
        self.page.title = "创卫巡查 Inspector"
        lang = await self.prefs.get(LANG_KEY)
        if lang in LANGUAGES:
            self.lang = lang
        token = None if self.backend.keeps_token else await self.prefs.get(TOKEN_KEY)
        ws = None
        try:
            ws = await self.call(self.backend.resume, token)
        except Exception as error:  # noqa: BLE001 - resuming failed: show the login screen
            log.info("resume failed: %s", error)
        if ws is not None:
            await self.enter(ws, token)
        else:
            self.show_login()

    def show_login(self, message: str | None = None) -> None:
        from inspector.ui.views.login import LoginView

        self.login_view = LoginView(self, message)
        self.page.appbar = None
        self.page.navigation_bar = None
        self.page.controls.clear()
        self.page.controls.append(self.login_view.root)
        self.update()

    async def login(self, username: str, password: str) -> None:
        """Raises InspectorError (wrong credentials, no network) for the login screen to word."""
        ws, token = await self.call(self.backend.login, username, password)
        if token and not self.backend.keeps_token:
            await self.prefs.set(TOKEN_KEY, token)
        await self.enter(ws, token)

    async def enter(self, ws: Workspace, token: str | None) -> None:
        from inspector.ui.desk import desk_hook  # supervisors and admins on a wide window get the desk

        if await desk_hook(self, ws, token):
            return
        self.generation += 1
        self.ws, self.token = ws, token
        self.login_view = None
        try:
            self.sites = await self.call(ws.sites)
        except Exception as error:  # noqa: BLE001 - no site list yet (field client before first sync)
            log.info("no sites: %s", error)
            self.sites = []
        self.tabs = tabs_for(ws.actor.role)
        self.views = make_views(self, self.tabs)
        self.header.reset()
        self.stack.clear()
        self.tab = 0
        self.page.controls.clear()
        self.page.controls.append(ft.Column([self.sync_bar.root, self.body], expand=True, spacing=0))
        self.page.navigation_bar = self.nav
        self.render_shell()
        self.update()
        await self.refresh_sync()
        self.update()
        if self.background:
            self.page.run_task(self._poll_sync, self.generation)
        await self.refresh_header()
        await self.views[self.tabs[0].name].shown()

    async def logout(self) -> None:
        ws, token = self.ws, self.token
        self.generation += 1
        self.ws, self.token, self.views = None, None, {}
        self.stack.clear()
        if not self.backend.keeps_token:
            await self.prefs.remove(TOKEN_KEY)
        try:
            await self.call(self.backend.logout, ws, token)
        except Exception as error:  # noqa: BLE001 - offline logout still forgets the login here
            log.info("logout at the server failed: %s", error)
        self.show_login()

    async def session_expired(self) -> None:
        """A token the server no longer takes: back to login; the outbox stays (field client)."""
        if not self.backend.keeps_token:
            await self.prefs.remove(TOKEN_KEY)
        self.generation += 1
        self.ws = None
        self.views = {}
        self.stack.clear()
        self.show_login(t("auth.token_expired", self.lang))

    # ------------------------------------------------------------------ tabs and opened items
    def render_shell(self) -> None:
        lang = self.lang
        self.nav.destinations = [
            ft.NavigationBarDestination(icon=tab.icon, selected_icon=tab.selected_icon, label=t(tab.label_key, lang))
            for tab in self.tabs
        ]
        self.nav.selected_index = self.tab
        if self.stack:
            top = self.stack[-1]
            self.page.appbar = ft.AppBar(
                leading=ft.IconButton(ft.Icons.ARROW_BACK, on_click=self.on_back, tooltip=t("ui.back", lang),
                                      icon_size=28, width=theme.TAP, height=theme.TAP),
                title=ft.Text(top.title(), size=18, weight=ft.FontWeight.BOLD), bgcolor="#FFFFFF")
            self.body.content = top.root
        else:
            tab = self.tabs[self.tab]
            name = tab.name
            self.page.appbar = ft.AppBar(
                title=ft.Text(t(tab.title_key, lang), size=18, weight=ft.FontWeight.BOLD),
                bgcolor="#FFFFFF", automatically_imply_leading=False, actions=self.header.controls())
            self.body.content = self.views[name].root
        self.sync_bar.show(self.sync_bar.status)

    async def reload_sites(self) -> None:
        """Sites arrive with the first sync on a new field client: ask again when the list is empty."""
        if self.ws is not None and not self.sites:
            try:
                self.sites = await self.call(self.ws.sites)
            except Exception as error:  # noqa: BLE001
                log.info("no sites: %s", error)

    async def show_tab(self, index: int) -> None:
        self.tab = index
        self.stack.clear()
        self.render_shell()
        self.update()
        await self.refresh_header()
        await self.views[self.tabs[index].name].shown()

    async def on_nav(self, e) -> None:
        await self.show_tab(int(e.control.selected_index))

    async def open_item(self, item_id: str) -> None:
        from inspector.ui.views.item import ItemView

        view = ItemView(self, item_id)
        self.stack.append(view)
        self.render_shell()
        self.update()
        await view.load()
        self.render_shell()
        self.update()

    async def on_back(self, e=None) -> None:
        if self.stack:
            self.stack.pop()
        self.render_shell()
        self.update()
        if not self.stack:
            await self.refresh_header()
        await self.views[self.tabs[self.tab].name].shown()

    async def refresh_header(self) -> None:
        """The phase chip and the notice count, as they are now."""
        await self.header.refresh()
        self.header.update()

    # ------------------------------------------------------------------ language
    async def set_lang(self, lang: str) -> None:
        if lang not in LANGUAGES:
            return
        self.lang = lang
        await self.prefs.set(LANG_KEY, lang)
        if self.ws is None:
            self.show_login()
            return
        for view in [*self.views.values(), *self.stack]:
            view.render()
        self.header.show()
        self.render_shell()
        self.update()

    # ------------------------------------------------------------------ sync
    async def refresh_sync(self) -> SyncStatus | None:
        ws = self.ws
        if ws is None:
            return None
        try:
            status = await self.call(ws.sync_status)
        except Exception as error:  # noqa: BLE001
            status = SyncStatus(online=False, last_error=self.words(error))
        self.sync_bar.show(status)
        return status

    async def _poll_sync(self, generation: int) -> None:
        while generation == self.generation:
            await asyncio.sleep(SYNC_POLL_S)
            if generation != self.generation:
                return
            before = self.sync_bar.status
            status = await self.refresh_sync()
            if status != before:
                try:
                    self.sync_bar.root.update()
                except Exception:  # noqa: BLE001 - page closed
                    return
                if status is not None and status.last_sync_at != getattr(before, "last_sync_at", None):
                    await self.after_sync()

    async def sync_now(self) -> SyncStatus | None:
        ws = self.ws
        if ws is None:
            return None
        try:
            status = await self.call(ws.sync_now)
        except Exception as error:  # noqa: BLE001
            status = SyncStatus(online=False, last_error=self.words(error))
        self.sync_bar.show(status)
        if status.last_error:
            self.snack(status.last_error, error=True)
        else:
            self.snack(t("ui.sync.done", self.lang))
        self.update()
        await self.after_sync()
        return status

    async def after_sync(self) -> None:
        """A round brought new data (field client): the header and the tab showing read it again;
        an opened item or form is left alone."""
        if self.ws is None or not self.views:
            return
        await self.refresh_header()
        if not self.stack:
            await self.views[self.tabs[self.tab].name].shown()
            self.update()

    async def on_sync_tap(self, e=None) -> None:
        status = self.sync_bar.status
        if status is not None and getattr(status, "login_needed", False):
            await self.session_expired()
            return
        await self.sync_now()


def make_main(backend_factory: Callable[[], Backend], settings: Settings,
              devices_factory: Callable[[], Devices] | None = None):
    """The Flet ``main`` for a backend: one App per page."""
    from inspector.ui.device import FletDevices

    async def main(page: ft.Page) -> None:
        devices = devices_factory() if devices_factory else FletDevices()
        app = App(page, backend_factory(), devices, settings)
        page.data = app  # the page holds the app, the app holds the services
        await app.start()

    return main
