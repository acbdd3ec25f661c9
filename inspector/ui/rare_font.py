"""The rare-ideograph font, registered for a session only once the page has a text that needs it (issue 14).

Flutter's web engine finds every common CJK character in the Noto Sans SC slices Inspector serves
(``inspector.ui.webfonts``), but has no slice for CJK Extension A and about 3,500 rare Unified
Ideographs: those are in ``theme.FONT_FILE`` (1.5 MB), which loaded with every page was most of a
plain-HTTP cold load's bytes past issue 14's 6 MB, for characters hardly any screen shows. Flet draws
every control from the server, so the server sees every text a page gets and every value typed into
it: this module watches a session's traffic and, the first time one of the font's characters goes
out or comes in, calls ``load(page)`` (``theme.use_rare_font``: the page's ``fonts`` and the theme's
family) and updates the page; once per session, and it stays.

Watched (one adapter on Flet's session, ``watch``; ``tests/ui/test_rare_font.py`` fails if Flet
stops calling what it wraps):

- out: every message the session hands its connection (``Connection.send_message``): the patches
  with the controls' texts, and method calls; the connection of a reconnect too
  (``Session.attach_connection``), whose page is read once then (messages made while disconnected
  are dropped by Flet, and the page it sends again may hold their texts);
- in: a field's value as the page reports it (``Session.apply_patch``) and event data
  (``Session.dispatch_event``): a name typed with 㐀 reaches the server with its first keystroke.

The update is queued on the session's loop right after the message that carried the character
(``call_soon_threadsafe``, never inside Flet's own patching), so the font's patch follows that text
in the same turn of the loop. The engine draws the character as a box until the font is in (one
round trip and 1.5 MB), then lays every text out again: Flutter's font loader tells every paragraph
that the fonts changed. Nothing else moves: each text's line height comes from the slices' metrics
with or without the font (the login screen, Chinese and English, is the same to the pixel).
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
import weakref
from pathlib import Path
from typing import Any, Callable

import flet as ft

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=4)
def rare_characters(font: Path) -> frozenset[str]:
    """The characters ``font`` draws past Latin: its cmap, read once per process (0.2 s for the eager font).

    Raises ImportError on the phone app, which has no fontTools (nor the web fonts' server code).
    """
    from fontTools.ttLib import TTFont  # lazy: the server's; the phone app lacks it (see watch)

    from inspector.ui.webfonts import EAGER_FROM  # lazy: with fontTools, and Starlette, server-side only

    return frozenset(chr(cp) for cp in TTFont(font, lazy=True).getBestCmap() if cp >= EAGER_FROM)


_CONTROL, _DATACLASS, _OTHER = 1, 2, 0
_kinds: dict[type, int] = {}


def _kind(cls: type) -> int:
    """How Flet's encoder reads an object of ``cls`` (``flet.messaging.protocol``): a control or value
    by its set values and structural fields, another dataclass by its fields, anything else not at all."""
    kind = _kinds.get(cls)
    if kind is None:
        if not dataclasses.is_dataclass(cls):
            kind = _OTHER
        else:
            kind = _CONTROL if isinstance(getattr(cls, "_structural_fields", None), frozenset) else _DATACLASS
        _kinds[cls] = kind
    return kind


def carries(value: Any, characters: frozenset[str]) -> bool:
    """Whether a string anywhere in ``value`` (a message, a patch, controls, event data) has one of
    ``characters``. Reads what Flet sends of each control (its set values, not ``data``), each once;
    a quarter to a third of the time Flet takes to encode the same controls (measured on 400 cards)."""
    stack, seen = [value], set()
    pop, push, extend = stack.pop, stack.append, stack.extend
    while stack:
        item = pop()
        cls = type(item)
        if cls is str:
            if not item.isascii() and not characters.isdisjoint(item):
                return True
        elif cls is list or cls is tuple:
            extend(item)
        elif cls is dict:
            extend(item.values())
        else:
            kind = _kinds.get(cls)
            kind = _kind(cls) if kind is None else kind
            if kind == _OTHER or id(item) in seen:
                continue
            seen.add(id(item))  # a control is reached once, whatever refers to it
            values = getattr(item, "_values", None) if kind == _CONTROL else None
            if isinstance(values, dict):
                extend(values.values())
                for name in cls._structural_fields:
                    push(getattr(item, name, None))
                extend(getattr(cls, "_override_props", {}).values())
            else:
                extend(getattr(item, field.name, None) for field in dataclasses.fields(item)
                       if "skip" not in field.metadata)
    return False


class RareFontWatch:
    """One session's watch: ``loaded`` once the font was registered."""

    def __init__(self, page: ft.Page, characters: frozenset[str], load: Callable[[ft.Page], None],
                 loop: asyncio.AbstractEventLoop):
        self.page, self.characters, self.load, self.loop = page, characters, load, loop
        self.loaded = False
        self._connections: weakref.WeakSet = weakref.WeakSet()

    def see(self, value: Any) -> None:
        """Register the font if ``value`` has one of its characters (and it is not registered yet)."""
        if not self.loaded and carries(value, self.characters):
            self.loaded = True
            self.load(self.page)
            log.info("session %s shows a rare character: its font is registered", self.page.session.id)
            self.loop.call_soon_threadsafe(self.page.update)

    def install(self) -> None:
        """Wrap the session's connection and the calls that bring in the page's values (the module docstring)."""
        session = self.page.session
        self._watch_connection(session.connection)
        attach, apply_patch, dispatch = session.attach_connection, session.apply_patch, session.dispatch_event

        def attach_connection(conn) -> None:
            self._watch_connection(conn)
            attach(conn)  # sends what was kept for the new connection: watched already
            self.see(session.page)

        def watched_apply_patch(control_id: int, patch: dict[str, Any]) -> None:
            self.see(patch)
            apply_patch(control_id, patch)

        async def watched_dispatch(control_id: int, event_name: str, event_data: Any) -> None:
            self.see(event_data)
            await dispatch(control_id, event_name, event_data)

        session.attach_connection = attach_connection
        session.apply_patch = watched_apply_patch
        session.dispatch_event = watched_dispatch

    def _watch_connection(self, conn) -> None:
        if conn is None or conn in self._connections:
            return
        self._connections.add(conn)
        send = conn.send_message

        def send_message(message) -> None:
            send(message)
            self.see(message)  # after: the font's patch follows the text (see the module docstring)

        conn.send_message = send_message


_watches: weakref.WeakKeyDictionary[Any, RareFontWatch] = weakref.WeakKeyDictionary()


def watch(page: ft.Page, font: Path, load: Callable[[ft.Page], None]) -> RareFontWatch:
    """Watch ``page``'s session for the characters of ``font``; ``load(page)`` registers it, once.

    Called again for the same session (the app started again) it returns the same watch. Outside an
    event loop (no way to update the page later), and in the phone app (its font is in its own
    assets: no download to save, and no fontTools to read the font with), the font is registered at once.
    """
    session = page.session
    if session in _watches:
        return _watches[session]
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        loop = None
    try:
        characters = rare_characters(font)
    except ImportError:
        characters, loop = frozenset(), None
    found = RareFontWatch(page, characters, load, loop)
    _watches[session] = found
    if loop is None:
        found.loaded = True
        load(page)
    else:
        found.install()
    return found


def loaded(page: ft.Page) -> bool:
    """Whether ``page``'s session has the font registered."""
    found = _watches.get(page.session)
    return found is not None and found.loaded
