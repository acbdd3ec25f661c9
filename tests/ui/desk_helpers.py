"""The desk in the UI harness: a wide page, a supervisor or admin logged in, a fake file saver.

``DeskUI`` is the phone harness's ``UI`` with a 1440 px wide page and a
walk that also enters the rail's trailing buttons, semantics wrappers,
dialogs and map markers (what a person can reach on the desk).
"""

import uuid

import flet as ft

from inspector.services import events
from inspector.services.desk import Desk
from inspector.ui.desk.sections import SECTIONS
from tests.factories import stored_photo
from tests.ui.conftest import UI
from tests.ui.oversight_helpers import actor_of

ATTRS = ("content", "controls", "actions", "leading", "trailing", "title", "segments", "label", "destinations",
         "tabs", "layers", "markers", "options")


def desk_walk(control):
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
        for name in ATTRS:
            value = getattr(c, name, None)
            if isinstance(value, (ft.BaseControl, list, tuple)):
                stack.append(value)


class FakeSaver:
    def __init__(self):
        self.saved: list[tuple[str, bytes]] = []

    async def save(self, name: str, data: bytes) -> None:
        self.saved.append((name, data))


class DeskUI(UI):
    def __init__(self, ctx, width: int = 1440, **kw):
        super().__init__(ctx, **kw)
        self.page.width, self.page.height = width, 900
        self.saver = FakeSaver()
        self.app.desk_saver = self.saver

    @property
    def shell(self):
        return self.app.desk

    @property
    def review(self):
        return self.shell.views["review"]

    def roots(self):
        dialogs = getattr(getattr(self.page, "_dialogs", None), "controls", [])
        return [self.page.appbar, *self.page.controls, self.page.navigation_bar, *dialogs]

    def on_screen(self, control) -> bool:
        return any(c is control for r in self.roots() for c in desk_walk(r))

    def all(self, cls, where=lambda c: True):
        return [c for r in self.roots() for c in desk_walk(r) if isinstance(c, cls) and where(c)]

    def find(self, cls, text=None, label=None, data=None):
        for c in self.all(cls):
            if text is not None and getattr(c, "content", None) != text and getattr(c, "value", None) != text:
                continue
            if label is not None and getattr(c, "label", None) != label:
                continue
            if data is not None and getattr(c, "data", None) != data:
                continue
            return c
        raise AssertionError(f"no {cls.__name__} text={text!r} label={label!r} data={data!r} on the screen")

    def texts(self, root=None) -> list[str]:
        out = []
        for r in ([root] if root is not None else self.roots()):
            for c in desk_walk(r):
                if isinstance(c, ft.Text) and isinstance(c.value, str):
                    out.append(c.value)
                elif isinstance(c, (ft.Button, ft.OutlinedButton, ft.TextButton)) and isinstance(c.content, str):
                    out.append(c.content)
                elif isinstance(c, (ft.TextField, ft.Dropdown)) and isinstance(c.label, str):
                    out.append(c.label)
                elif isinstance(c, ft.NavigationRailDestination) and isinstance(c.label, str):
                    out.append(c.label)
        return out

    def dialog(self):
        return self.shell.dialog

    async def key(self, key: str) -> None:
        """A key press as the browser sends it to the page."""
        await self.session.dispatch_event(self.page._i, "keyboard_event",
                                          {"key": key, "shift": False, "ctrl": False, "alt": False, "meta": False})
        self.assert_no_crash()

    async def rail(self, section: str) -> None:
        self.shell.rail.selected_index = SECTIONS.index(section)
        await self.fire(self.shell.rail, "change")


actor = actor_of  # the Actor of a demo user


def desk_of(ctx, username: str):
    return Desk(ctx, actor(ctx, username))


def disagree(ctx, item, note: str = "现场仍有污水外溢", seed: int = 77):
    """The demo spot checker (renda) records a disagreement with a verified construction item."""
    checker = actor(ctx, "renda")
    photo = stored_photo(ctx, checker, seed)
    out = events.push(ctx, checker, [events.EventIn(
        id=str(uuid.uuid4()), item_id=item.id, kind="spot_checked", at=ctx.now(), base_version=item.version,
        payload={"verdict": "disagree", "photos": [photo], "note": note})], device_id="test")[0]
    assert out.status == "accepted", out.error
    return out.item
