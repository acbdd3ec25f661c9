"""Photos on their way into the report form: a tile at once, progress, the slow work off the event loop.

Picking three 3 MB photos used to show nothing until all three were read,
checked, thumbnailed and stored. Now each picked photo is a placeholder tile
the moment the picker hands it over (``Incoming``, state ``reading``), and the
picker's handler takes them one by one (other taps run meanwhile: Flet runs
each event in its own task; the tiles are updated from the handler, as Flet's
auto-update at its end expects): the hash (``reading``), then the
workspace's ``add_photo``, which checks the photo, makes its variants and
keeps it (``processing``; a thread, through ``App.call``), then its
thumbnail. A tile becomes the photo's own when it is done; one refused
(damaged, too large) goes, and the refusal is said.

保存 does not wait for the person to wait: tapped while photos are still
coming in, the save shows "等待照片 2/3" and records the event once the
last of them is kept on this device, so the event never names a photo the
store does not have. Sending the originals to the server is the sync round's
(``sync.engine``: photos first, then the events naming them; an event whose
photo is not there yet waits for the next round), so nothing is lost when
the person saves and walks on.
"""

import asyncio
import hashlib
import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from inspector.i18n import t

if TYPE_CHECKING:
    from inspector.ui.views.report import ReportView

READING, PROCESSING = "reading", "processing"
SMALL_PHOTO = 400_000  # a picked photo up to this many bytes is its own thumbnail until the real one comes
_keys = itertools.count(1)


@dataclass
class Incoming:
    """A photo picked but not kept yet: its tile shows ``state`` with a spinner."""

    key: str
    data: bytes
    state: str = READING
    sha256: str | None = None


class PhotoIntake:
    """The photos of one report form on their way in (see the module's docstring)."""

    def __init__(self, view: "ReportView"):
        self.view = view
        self.incoming: list[Incoming] = []
        self.total = 0  # picked since the queue was last empty: the "n/total" of the progress line
        self.idle = asyncio.Event()
        self.idle.set()

    @property
    def busy(self) -> bool:
        return bool(self.incoming)

    @property
    def done(self) -> int:
        return self.total - len(self.incoming)

    def words(self) -> str:
        """The progress line's words for the photos still coming in."""
        key = "ui.report.photos_waiting" if self.view.saving else "ui.report.photos_progress"
        return t(key, self.view.lang, done=self.done, total=self.total)

    async def take(self, files: list[bytes]) -> None:
        """Show a tile for each file now, then keep them one by one; returns when all picked so far are in
        (a second pick while the first is being kept only adds tiles: the first handler takes them too)."""
        if not self.incoming:
            self.total = 0
        for data in files:
            self.incoming.append(Incoming(f"incoming-{next(_keys)}", data))
            self.total += 1
        self.view.show_photos()
        if self.idle.is_set():
            self.idle.clear()
            try:
                await self._work()
            finally:
                self.idle.set()
        else:
            await self.wait()

    async def wait(self) -> None:
        """Until every photo picked so far is kept (or refused)."""
        await self.idle.wait()

    def clear(self) -> None:
        """The form was reset: photos still coming in stay on the device, but not on this form."""
        for entry in self.incoming:
            entry.state = "dropped"
        self.incoming = []

    async def _work(self) -> None:
        view, app = self.view, self.view.app
        while self.incoming:
            entry = self.incoming[0]
            entry.sha256 = await asyncio.to_thread(lambda: hashlib.sha256(entry.data).hexdigest())
            entry.state = PROCESSING
            view.show_photos()
            photo = None
            with app.guard() as failure:  # unsupported, too large, damaged: said, the next one goes on
                photo = await app.call(view.ws.add_photo, entry.data)
            if entry.state == "dropped":  # the form was reset meanwhile
                continue
            self.incoming.remove(entry)
            if not failure.failed and photo is not None:
                small = len(entry.data) < SMALL_PHOTO
                await view.photo_kept(photo, entry.data if small else None)
            if self.incoming:  # after the last one the handler rebuilds the form (``photos_settled``): a
                view.show_photos()  # strip updated to its final look first would make Flet keep the old form
