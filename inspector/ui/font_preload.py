"""The font slices of the first screens, asked for by the page before the engine needs them (issue 13).

Flutter's engine asks for a CJK slice (``inspector.ui.webfonts``) only once it lays out a text
holding one of its characters, and draws a box for each such character until the slice is in: on a
cold load over a real network the login screen showed □□□□ for a round trip and 190 kB. So the
served ``index.html`` carries a ``<link rel=preload as=fetch crossorigin>`` for every Noto Sans SC
slice that covers a character of the first screens' words: the login screen's (``LoginView.WORD_KEYS``),
every role's bottom navigation and the title of the tab each role lands on (``tabs.NAVIGATION``),
in every catalogue language. The list is computed from the catalogues and the served client's
fallback table when the page is first asked for, never written by hand; the browser fetches those
slices beside the engine's own files, and they are in by the time the first screen is laid out.

The slices of every other word of the catalogues follow at low priority (``fetchpriority="low"``,
after what the page needs to start): without them the screen after login showed 逾期 and 已派遣 as
boxes for a round trip, and every new screen did again. They are 16 slices, ~470 kB, downloaded once
per device (later loads revalidate them: a 304 each). Names typed by people (sites,
offices' leaders, descriptions) are data the page cannot know; their slices come as they are shown.

``as=fetch`` with ``crossorigin``, not ``as=font``: the engine fetches its slices with a plain
``fetch()`` (mode cors, same-origin credentials), and the browser hands a preloaded response only
to a request of the same kind, so each slice still crosses the network once. The slices are the
ones the engine picks for a Chinese browser (``zh-*``: Noto Sans SC); a browser in another language
may pick a Japanese or Traditional slice for the same characters, which is then fetched as before.
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Sequence
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.types import Message, Receive, Scope, Send

from inspector.i18n import CATALOGUES, LANGUAGES, t
from inspector.ui.tabs import NAVIGATION
from inspector.ui.views.login import WORD_KEYS
from inspector.ui.webfonts import EAGER_FROM, FallbackTable, FallbackTableError

log = logging.getLogger(__name__)
PRELOADED_FAMILY = "Noto Sans SC"  # the engine's choice for CJK text on a Chinese browser
FALLBACK_BASE = "assets/fonts/"  # fontFallbackBaseUrl under no_cdn, relative to the page's <base>
MARKER = "<!-- inspector: first screens' font slices -->"


def first_screen_keys() -> list[str]:
    """The catalogue keys of the words on the first screens: login, every bottom navigation, each landing title."""
    keys = [*WORD_KEYS]
    for navigation in NAVIGATION.values():
        keys += [tab.label_key for tab in navigation.tabs]
        keys.append(navigation.landing.title_key)
    return list(dict.fromkeys(keys))


def first_screen_words() -> list[str]:
    """Those keys' words in every catalogue language."""
    return [t(key, lang) for key in first_screen_keys() for lang in LANGUAGES]


def catalogue_words() -> list[str]:
    """Every word of every catalogue: what any screen shows besides the data."""
    return [word for catalogue in CATALOGUES.values() for word in catalogue.values()]


def slices_for(table: FallbackTable, words: list[str]) -> list[str]:
    """The Noto Sans SC slices (paths under the fallback base) covering the characters of ``words``
    past Latin (Roboto draws those); characters no such slice has (the rare-character font's,
    ``inspector.ui.rare_font``) need none."""
    wanted = {ord(char) for word in words for char in word if ord(char) >= EAGER_FROM}
    return sorted(path for path, points in table.code_points.items()
                  if table.families[path].startswith(PRELOADED_FAMILY) and points & wanted)


def preload_links(paths: list[str], low: bool = False) -> str:
    """The ``<link>`` elements asking for ``paths`` as the engine's ``fetch()`` will (``low``: after
    what the page needs to start)."""
    priority = ' fetchpriority="low"' if low else ""
    return "".join(f'\n  <link rel="preload" href="{html.escape(FALLBACK_BASE + path)}" as="fetch" crossorigin{priority}>'
                   for path in paths)


def with_preloads(page: str, paths: list[str], later: Sequence[str] = ()) -> str:
    """``page`` with the links before ``</head>``, ``later``'s at low priority (once: a page that has
    them is returned as it is)."""
    if MARKER in page or "</head>" not in page:
        return page
    return page.replace("</head>", f"  {MARKER}{preload_links(paths)}{preload_links(list(later), low=True)}\n</head>", 1)


def preloaded_slices(table: FallbackTable) -> tuple[list[str], list[str]]:
    """The first screens' slices, and the rest of the catalogues' (none of the first)."""
    first = slices_for(table, first_screen_words())
    return first, [path for path in slices_for(table, catalogue_words()) if path not in first]


class PreloadingIndex:
    """ASGI wrapper of the app serving Flet's static files: before the first request is answered, the
    ``index.html`` Flet writes into its web root gets the links (``with_preloads``).

    ``files`` is Flet's ``FletStaticFiles`` (maybe inside ``inspector.server.static.CompressedStatic``);
    it makes its web root, a temporary folder with the patched page, on its first request.
    """

    def __init__(self, app, files, table) -> None:
        """``table`` is a callable returning the served client's ``FallbackTable`` (read once, blocking)."""
        self.app, self.files, self.table = app, files, table
        self._done = False
        self._lock = asyncio.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._done and scope["type"] == "http":
            async with self._lock:
                if not self._done:
                    await self._prepare(scope)
                    self._done = True
        await self.app(scope, receive, send)

    async def _prepare(self, scope: Scope) -> None:
        if getattr(self.files, "all_directories", None) is None:  # not configured yet: let it, answering nothing
            async def nothing() -> Message:
                return {"type": "http.disconnect"}

            async def discard(message: Message) -> None:
                pass

            await self.files({**scope, "method": "HEAD"}, nothing, discard)
        try:
            await run_in_threadpool(self._patch)
        except FallbackTableError as error:  # a client Inspector cannot read: the page goes without links
            log.error("no font preloads: the web client's font fallback table could not be read: %s", error)

    def _patch(self) -> None:
        index = Path(self.files.directory) / "index.html"
        first, later = preloaded_slices(self.table())
        index.write_text(with_preloads(index.read_text(encoding="utf-8"), first, later), encoding="utf-8")
        log.info("index.html preloads %d font slices for the first screens, %d more at low priority",
                 len(first), len(later))
