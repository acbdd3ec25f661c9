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

from inspector.errors import NotFound, PhotoError, ServerFault, ServerUnreachable
from inspector.i18n import DEFAULT_LANG, LANGUAGES, t
from inspector.services.workspace import SyncStatus, Workspace
from inspector.settings import Settings
from inspector.store.public import SitePublic
from inspector.ui import guard, theme
from inspector.ui.backend import Backend
from inspector.ui.desk import desk_hook
from inspector.ui.device import LANG_KEY, TOKEN_KEY, Devices, FletDevices
from inspector.ui.guard import Guard
from inspector.ui.header import Header
from inspector.ui.messages import Messages
from inspector.ui.tabs import DEFAULT_TABS, make_views, navigation_for
from inspector.ui.views.item import ItemView
from inspector.ui.views.login import LoginView
from inspector.ui.views.visit import open_from_route
from inspector.ui.widgets import SyncBar, refresh

log = logging.getLogger(__name__)
ICON_FAILURE = 64  # the failure screen's one icon
SYNC_POLL_S = 5.0
THUMB_CACHE_MAX = 400  # photos kept per session before the cache starts again
# A photo that is not on this device (and cannot be fetched now) shows a placeholder, not an error.
PHOTO_NOT_HERE = (PhotoError, NotFound, ServerUnreachable, ServerFault)


class App:
    def __init__(self, page: ft.Page, backend: Backend, devices: Devices, settings: Settings,
                 background: bool = True):
        self.page, self.backend, self.devices, self.settings = page, backend, devices, settings
        self.background = background  # poll the sync status (off in unit tests)
        self.lang = DEFAULT_LANG
        self.ws: Workspace | None = None
        self.token: str | None = None
        self.sites: list[SitePublic] = []
        self.tab = 0
        self.views: dict[str, Any] = {}
        self.tabs = DEFAULT_TABS  # the bottom navigation of the person logged in (inspector.ui.tabs)
        self.header = Header(self)  # phase chip and notice bell in the app bar
        self.stack: list[Any] = []  # opened items, over the tabs
        self.login_view = None
        self.sync_bar = SyncBar(self)
        self.messages = Messages(self)  # where messages show and when they go (inspector.ui.messages)
        self.body = ft.Container(expand=True)
        self.nav = ft.NavigationBar(on_change=self.on_nav, selected_index=0, bgcolor=theme.SURFACE,
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
        with self.guard() as failure:
            try:
                data = await self.call(self.ws.photo, sha, variant)
            except PHOTO_NOT_HERE as error:  # not on this device yet (or the server is away): a placeholder
                log.info("no %s of %s: %s", variant, sha, error)
                return None
        if failure.failed:
            return None
        if len(self.thumb_cache) > THUMB_CACHE_MAX:
            self.thumb_cache.clear()
        self.thumb_cache[key] = data
        if variant == "thumb":
            self.thumb_cache[sha] = data
        return data

    async def call(self, fn: Callable, *args, **kwargs):
        """Run a blocking Workspace or backend call off the event loop."""
        return await asyncio.to_thread(fn, *args, **kwargs)

    def words(self, error: Exception) -> str:
        """What to tell the person about ``error`` (``guard.words``: the one rule)."""
        return guard.words(error, self.lang)

    def guard(self) -> Guard:
        """A ``Guard`` whose failure shows in a red snackbar."""
        return Guard(self.lang, self.warn)

    def warn(self, text: str, cause: str | None = None) -> None:
        self.snack(text, error=True, cause=cause)

    def snack(self, text: str, error: bool = False, cause: str | None = None) -> None:
        """Say ``text`` after an action (``inspector.ui.messages``: never over the buttons, gone on navigation)."""
        self.messages.show(text, error, cause)

    def update(self) -> None:
        refresh(self.page)

    # ------------------------------------------------------------------ start, login, logout
    async def start(self) -> None:
        theme.apply_theme(self.page)
        self.page.title = "创卫巡查 Inspector"
        self.page.on_route_change = self.on_route
        lang = await self.prefs.get(LANG_KEY)
        if lang in LANGUAGES:
            self.lang = lang
        token = None if self.backend.keeps_token else await self.prefs.get(TOKEN_KEY)
        with Guard(self.lang) as failure:
            ws = await self.call(self.backend.resume, token)
        if failure.failed:  # not the login screen: logging in again cannot mend a database outage
            self.show_failure(failure.message)
        elif ws is not None:
            await self.enter(ws, token)
        else:
            self.show_login()

    def show_login(self, message: str | None = None) -> None:
        self.login_view = LoginView(self, message)
        self.show_alone(self.login_view.root)

    def show_failure(self, message: str) -> None:
        """The app could not start: the words and a button to try again."""
        self.failure_text = ft.Text(message, size=theme.BODY, color=theme.DANGER, weight=ft.FontWeight.W_600,
                                    text_align=ft.TextAlign.CENTER)
        self.retry_button = ft.OutlinedButton(t("ui.retry", self.lang), icon=ft.Icons.REFRESH, height=theme.TAP,
                                              on_click=self.on_retry)
        self.show_alone(ft.Container(
            ft.Column([ft.Icon(ft.Icons.CLOUD_OFF, size=ICON_FAILURE, color=theme.DANGER), self.failure_text,
                       self.retry_button], horizontal_alignment=ft.CrossAxisAlignment.CENTER,
                      spacing=theme.SCREEN_PAD),
            padding=theme.SPACE_PAGE, expand=True, bgcolor=theme.SURFACE, alignment=ft.Alignment.CENTER))

    async def on_retry(self, e=None) -> None:
        await self.start()

    def show_alone(self, root: ft.Control) -> None:
        """One screen with no app bar and no tabs (login, a failure to start)."""
        self.page.appbar = None
        self.page.navigation_bar = None
        self.messages.attached = False
        self.page.controls.clear()
        self.page.controls.append(root)
        self.update()

    async def login(self, username: str, password: str) -> None:
        """Raises InspectorError (wrong credentials, no network) for the login screen to word."""
        ws, token = await self.call(self.backend.login, username, password)
        if token and not self.backend.keeps_token:
            await self.prefs.set(TOKEN_KEY, token)
        await self.enter(ws, token)

    async def enter(self, ws: Workspace, token: str | None) -> None:
        if await desk_hook(self, ws, token):  # supervisors and admins on a wide window get the desk
            return
        self.generation += 1
        self.ws, self.token = ws, token
        self.login_view = None
        self.sites = []  # a field client before its first sync has none yet (reload_sites asks again)
        await self.reload_sites()
        navigation = navigation_for(ws.actor.role)
        self.tabs = navigation.tabs
        self.views = make_views(self, self.tabs)
        self.header.reset()
        self.stack.clear()
        self.tab = navigation.landing_index  # where this role's work is (inspector.ui.tabs.NAVIGATION)
        self.page.controls.clear()
        self.page.controls.append(ft.Column([self.sync_bar.root, self.messages.root, self.body], expand=True,
                                            spacing=0))
        self.messages.attached = True
        self.messages.clear()
        self.page.navigation_bar = self.nav
        self.render_shell()
        self.update()
        await self.refresh_sync()
        self.update()
        if self.background:
            self.page.run_task(self._poll_sync, self.generation)
        await self.refresh_header()
        await self.views[self.tabs[self.tab].name].shown()
        await open_from_route(self)  # started at a site's QR link (``/visit/<site_id>``): its visit, now

    async def on_route(self, e) -> None:
        """A link opened while the app runs: a site's QR link opens its visit."""
        await open_from_route(self, e.route)

    async def logout(self) -> None:
        ws, token = self.ws, self.token
        self.generation += 1
        self.ws, self.token, self.views = None, None, {}
        self.stack.clear()
        if not self.backend.keeps_token:
            await self.prefs.remove(TOKEN_KEY)
        with self.guard():  # a failure is shown, and the login is forgotten here all the same
            await self.call(self.backend.logout, ws, token)
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
                                      icon_size=theme.ICON_XL, width=theme.TAP, height=theme.TAP),
                title=ft.Text(top.title(), size=theme.TITLE, weight=ft.FontWeight.BOLD), bgcolor=theme.SURFACE)
            self.body.content = top.root
        else:
            tab = self.tabs[self.tab]
            name = tab.name
            self.page.appbar = ft.AppBar(
                title=ft.Text(t(tab.title_key, lang), size=theme.TITLE, weight=ft.FontWeight.BOLD),
                bgcolor=theme.SURFACE, automatically_imply_leading=False, actions=self.header.controls())
            self.body.content = self.views[name].root
        self.sync_bar.show(self.sync_bar.status)

    async def reload_sites(self) -> None:
        """Sites arrive with the first sync on a new field client: ask again when the list is empty."""
        if self.ws is not None and not self.sites:
            with self.guard():
                self.sites = await self.call(self.ws.sites)

    async def show_tab(self, index: int) -> None:
        self.tab = index
        self.stack.clear()
        self.messages.clear()  # a message is about the screen it was said on
        self.render_shell()
        self.update()
        await self.refresh_header()
        await self.views[self.tabs[index].name].shown()

    async def on_nav(self, e) -> None:
        await self.show_tab(int(e.control.selected_index))

    async def open_item(self, item_id: str) -> None:
        await self.open(ItemView(self, item_id))

    async def open(self, view) -> None:
        """Show ``view`` over the tabs (the back arrow returns), then let it load."""
        self.stack.append(view)
        self.messages.clear()
        self.render_shell()
        self.update()
        await view.load()
        self.render_shell()
        self.update()

    async def on_back(self, e=None) -> None:
        if self.stack:
            self.stack.pop()
        self.messages.clear()
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
        """The sync bar, as the workspace says it is now."""
        return await self._sync("sync_status")

    async def _sync(self, name: str) -> SyncStatus | None:
        """Ask the workspace's ``sync_status`` or ``sync_now``; a failure is the bar's error."""
        ws = self.ws
        if ws is None:
            return None
        with Guard(self.lang) as failure:
            status = await self.call(getattr(ws, name))
        if failure.failed:
            status = SyncStatus(online=False, last_error=failure.message)
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
                if not refresh(self.sync_bar.root):  # the page closed: this loop ends with it
                    return
                if status is not None and status.last_sync_at != getattr(before, "last_sync_at", None):
                    await self.after_sync()

    async def sync_now(self) -> SyncStatus | None:
        self.sync_bar.round_started()  # a round with photos takes a while: the bar says how far it is
        try:
            status = await self._sync("sync_now")
        finally:
            self.sync_bar.round_ended()
        if status is None:
            return None
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
    async def main(page: ft.Page) -> None:
        devices = devices_factory() if devices_factory else FletDevices()
        app = App(page, backend_factory(), devices, settings)
        page.data = app  # the page holds the app, the app holds the services
        await app.start()

    return main
