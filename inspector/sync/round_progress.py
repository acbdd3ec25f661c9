"""What a sync round tells: how far it is while it runs (``RoundProgress``), what it did when it ends
(``RoundReport``).

A round with photos takes a while on a phone's network: the sync bar says "上传照片 3/12" while it
uploads. ``SyncEngine`` counts here (``expect`` at the start of its push, ``each`` around every photo
it checks or sends, ``round`` around the whole round); the field client's sync bars listen
(``inspector.ui.widgets.SyncBar``). Listeners are called on the round's thread and must hand the count
over to their own event loop; they are held weakly, so a page that has gone stops listening by itself.
"""

from __future__ import annotations

import threading
import weakref
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from inspector.errors import InspectorError, InvalidCredentials, NotAuthenticated, TokenExpired
from inspector.i18n import error_message

AUTH_ERRORS = (NotAuthenticated, TokenExpired, InvalidCredentials)

Photos = tuple[int, int] | None  # (done, total) of the round under way; None: no photo is on its way
Listener = Callable[[Photos], None]


class RoundProgress:
    """The photos of the round under way: how many of how many are done (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: list[weakref.ref] = []
        self._expected: set[str] = set()
        self._done: set[str] = set()
        self._shown: Photos = None

    @property
    def photos(self) -> Photos:
        """(done, total) while a round checks or sends its photos, else None."""
        with self._lock:
            return self._shown

    def listen(self, listener: Listener) -> None:
        """Call ``listener`` with every new count (on the round's thread); held weakly."""
        ref = weakref.WeakMethod(listener) if hasattr(listener, "__self__") else weakref.ref(listener)
        with self._lock:
            self._listeners.append(ref)

    @contextmanager
    def round(self) -> Iterator[None]:
        """Around one round: it starts from nothing, and its count goes when it ends, however it ends."""
        self._reset()
        try:
            yield
        finally:
            self._reset()

    def expect(self, shas: Iterable[str]) -> None:
        """The photos this round will go through (those named by the whole outbox, as the round starts)."""
        with self._lock:
            self._expected.update(shas)

    def each(self, shas: Iterable[str]) -> Iterator[str]:
        """``shas`` one by one; each counts as done when the caller asks for the next one (``continue``
        included). A photo not expected (saved while the round runs) adds to the total."""
        for sha in shas:
            with self._lock:
                self._expected.add(sha)
            self._publish()  # "0/12" as the first one starts
            yield sha
            with self._lock:
                self._done.add(sha)
            self._publish()

    def _reset(self) -> None:
        with self._lock:
            self._expected.clear()
            self._done.clear()
        self._publish()

    def _publish(self) -> None:
        """Tell the listeners the count, when it changed."""
        with self._lock:
            photos = (len(self._done), len(self._expected)) if self._expected else None
            if photos == self._shown:
                return
            self._shown = photos
            alive = [ref for ref in self._listeners if ref() is not None]
            self._listeners = alive
        for ref in alive:
            listener = ref()
            if listener is not None:
                listener(photos)


@dataclass(frozen=True)
class RoundReport:
    """What a round did; ``error`` is why it stopped early (None: it finished)."""

    pushed: int = 0  # accepted or already there
    rejected: int = 0
    pulled: int = 0  # events new to this device
    waiting: int = 0  # pending in the outbox afterwards
    photos_uploaded: int = 0
    backfilled: int = 0  # items whose whole timeline was fetched
    error: InspectorError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def login_needed(self) -> bool:
        return isinstance(self.error, AUTH_ERRORS)

    def summary(self, lang: str = "zh-CN") -> str:
        line = (f"pushed {self.pushed}, rejected {self.rejected}, pulled {self.pulled}, waiting {self.waiting}")
        if self.error is not None:
            line += f"; stopped: {error_message(self.error, lang)} ({self.error.code})"
        return line
