"""The UI test harness: a real Flet session without a browser, real workspaces, fake device services.

A ``flet.messaging.session.Session`` runs over a ``Connection`` that records
what would go to the client; the page patch is serialised once (as when a
client connects); views are built by the real ``App``; events are dispatched
with ``session.dispatch_event`` the way the websocket does it. Any exception
in a handler reaches the client as SESSION_CRASHED: ``UI.click`` fails the
test on it. Only device services (file picker, GPS, on-device storage) are
fakes, behind ``inspector.ui.device``'s interfaces. The database is a copy of
one filled with the demo data once per worker.
"""

import asyncio
import functools
import shutil
from pathlib import Path

import flet as ft
import msgpack
import pytest
from flet.controls.context import _context_page
from flet.messaging.connection import Connection
from flet.messaging.protocol import MessageAction, configure_encode_object_for_msgpack
from flet.messaging.session import Session
from flet.pubsub.pubsub_hub import PubSubHub

from inspector.services import demo
from inspector.services.context import bootstrap
from inspector.settings import Settings
from inspector.ui.app import App
from inspector.ui.backend import ServerBackend
from inspector.ui.device import Fix
from tests.conftest import Clock

START = None  # set from the clock fixture's start, below


def run_async(fn):
    """Run an async test function on a fresh event loop (no pytest-asyncio here)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return asyncio.run(fn(*args, **kwargs))

    return wrapper


class RecordingConnection(Connection):
    """Serialises every message as the websocket does (that is also what snapshots controls for diffs)."""

    def __init__(self):
        super().__init__()
        self.messages = []
        self.bytes_sent = 0

    def send_message(self, message):
        self.messages.append(message)
        self.bytes_sent += len(msgpack.packb([message.action, message.body],
                                             default=configure_encode_object_for_msgpack(ft.BaseControl)))


class FakePrefs:
    def __init__(self, values: dict | None = None):
        self.values = dict(values or {})

    async def get(self, key):
        return self.values.get(key)

    async def set(self, key, value):
        self.values[key] = value

    async def remove(self, key):
        self.values.pop(key, None)


class FakeLocator:
    def __init__(self, fix: Fix | None = None):
        self.fix = fix
        self.calls = 0

    async def locate(self):
        self.calls += 1
        return self.fix


class FakePicker:
    """What the phone's picker would hand over; ``queued`` is delivered on the next pick."""

    def __init__(self, on_photos):
        self.on_photos = on_photos
        self.queued: list[bytes] = []

    def action(self):
        return None  # the button calls pick() instead of a client action

    async def pick(self):
        files, self.queued = self.queued, []
        if files:
            await self.on_photos(files)


class FakeDevices:
    def __init__(self, fix: Fix | None = None, prefs: FakePrefs | None = None):
        self.pickers: dict[str, FakePicker] = {}
        self._locator = FakeLocator(fix)
        self._prefs = prefs or FakePrefs()

    def photo_picker(self, purpose, on_photos):
        picker = self.pickers.get(purpose)
        if picker is None:
            picker = self.pickers[purpose] = FakePicker(on_photos)
        picker.on_photos = on_photos
        return picker

    def locator(self):
        return self._locator

    def prefs(self):
        return self._prefs


def walk(control):
    """Every control under ``control`` (content, controls, actions...)."""
    seen = set()
    stack = [control]
    while stack:
        c = stack.pop()
        if c is None or id(c) in seen:
            continue
        seen.add(id(c))
        if isinstance(c, (list, tuple)):
            stack.extend(c)
            continue
        if not isinstance(c, ft.BaseControl):
            continue
        yield c
        for name in ("content", "controls", "actions", "leading", "title", "segments", "label", "destinations",
                     "tabs"):
            value = getattr(c, name, None)
            if isinstance(value, (ft.BaseControl, list, tuple)):
                stack.append(value)


class UI:
    """One phone session of the app, driven from a test."""

    def __init__(self, ctx, devices: FakeDevices | None = None):
        self.ctx = ctx
        self.devices = devices or FakeDevices(Fix(30.2741, 120.1551, 8.0))
        self.conn = RecordingConnection()
        self.conn.loop = asyncio.get_running_loop()
        self.conn.pubsubhub = PubSubHub(loop=self.conn.loop)
        self.session = Session(self.conn)
        _context_page.set(self.session.page)
        msgpack.packb(self.session.get_page_patch(),  # the client connects and gets the page
                      default=configure_encode_object_for_msgpack(ft.BaseControl))
        self.page = self.session.page
        self.app = App(self.page, ServerBackend(ctx), self.devices, ctx.settings, background=False)

    async def start(self, username: str | None = None, password: str = demo.PASSWORD) -> "UI":
        await self.app.start()
        if username:
            await self.app.login(username, password)
        self.assert_no_crash()
        return self

    def on_screen(self, control) -> bool:
        """Is this very control in the page's tree (what a person could tap)?"""
        roots = [self.page.appbar, *self.page.controls, self.page.navigation_bar,
                 *getattr(getattr(self.page, "_dialogs", None), "controls", [])]
        return any(c is control for r in roots for c in walk(r))

    def find(self, cls, text=None, label=None, data=None):
        """The live control of type ``cls`` with this text (button content), label (field) or data."""
        roots = [self.page.appbar, *self.page.controls, self.page.navigation_bar]
        for r in roots:
            for c in walk(r):
                if not isinstance(c, cls):
                    continue
                if text is not None and getattr(c, "content", None) != text and getattr(c, "value", None) != text:
                    continue
                if label is not None and getattr(c, "label", None) != label:
                    continue
                if data is not None and getattr(c, "data", None) != data:
                    continue
                return c
        raise AssertionError(f"no {cls.__name__} text={text!r} label={label!r} data={data!r} on the screen")

    def crashes(self) -> list[str]:
        return [m.body.message if hasattr(m.body, "message") else str(m.body)
                for m in self.conn.messages if m.action == MessageAction.SESSION_CRASHED]

    def assert_no_crash(self) -> None:
        assert not self.crashes(), self.crashes()

    async def fire(self, control, event: str, data=None) -> None:
        assert self.on_screen(control), f"{type(control).__name__} {control._i} is not on the screen"
        await self.session.dispatch_event(control._i, event, data)
        self.assert_no_crash()

    async def goto(self, tab: str) -> None:
        """Tap a bottom-navigation destination (by its name: "report", "spot"...)."""
        self.app.nav.selected_index = [t.name for t in self.app.tabs].index(tab)
        await self.fire(self.app.nav, "change")

    async def click(self, control) -> None:
        await self.fire(control, "click")

    async def select(self, dropdown, value) -> None:
        dropdown.value = value
        await self.fire(dropdown, "select", value)

    async def segment(self, control, value) -> None:
        control.selected = [value]
        await self.fire(control, "change")

    async def type(self, field, text) -> None:
        field.value = text
        await self.fire(field, "change", text)

    def texts(self, root=None) -> list[str]:
        roots = [root] if root is not None else [self.page.appbar, *self.page.controls, self.page.navigation_bar]
        out = []
        for r in roots:
            for c in walk(r):
                if isinstance(c, ft.Text) and isinstance(c.value, str):
                    out.append(c.value)
                elif isinstance(c, ft.NavigationBarDestination) and c.label:
                    out.append(c.label)
                elif isinstance(c, (ft.Button, ft.OutlinedButton, ft.TextButton)) and isinstance(c.content, str):
                    out.append(c.content)
                elif isinstance(c, (ft.TextField, ft.Dropdown)) and isinstance(c.label, str):
                    out.append(c.label)
        return out

    def text(self, root=None) -> str:
        return "\n".join(self.texts(root))

    def snacks(self) -> list[str]:
        found = []
        for d in self.page._dialogs.controls if hasattr(self.page, "_dialogs") else []:
            if isinstance(d, ft.SnackBar):
                found.append(d.content.value if isinstance(d.content, ft.Text) else str(d.content))
        # Everything said through App.snack, banner or snackbar (inspector.ui.messages), in order, then any
        # snackbar shown some other way.
        messages = getattr(self.app, "messages", None)
        said = list(messages.history) if messages is not None else []
        return said + [w for w in found if w not in said]

    def last_snack(self) -> str | None:
        snacks = self.snacks()
        return snacks[-1] if snacks else None


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    """A database and blob store filled with the demo data once, at the test clock's time."""
    from datetime import datetime, timezone

    folder = tmp_path_factory.mktemp("demo-template")
    settings = Settings(data_dir=folder / "data", database_url=f"sqlite:///{folder / 'inspector.db'}")
    ctx = bootstrap(settings, clock=Clock(datetime(2026, 7, 15, 1, 30, tzinfo=timezone.utc)))
    demo.fill_if_empty(ctx)
    ctx.engine.dispose()
    return folder


@pytest.fixture
def database_url(tmp_path, demo_template):
    """The UI tests' database: a copy of the demo one (overrides the root conftest's empty one)."""
    for path in Path(demo_template).glob("inspector.db*"):
        shutil.copy(path, tmp_path / path.name)
    shutil.copytree(demo_template / "data" / "blobs", tmp_path / "data" / "blobs")
    return f"sqlite:///{tmp_path / 'inspector.db'}"


@pytest.fixture
def web_client(ctx):
    """An HTTP client of the real server with its web UI (``create_app(ctx)``) over a live socket."""
    import httpx  # lazy: only the tests of what the server hands the page use it

    from inspector.server.app import create_app  # lazy: the server, for those tests only
    from tests.conftest import LiveServer  # lazy: with the server

    server = LiveServer(create_app(ctx)).start()
    try:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            yield client
    finally:
        server.stop()
