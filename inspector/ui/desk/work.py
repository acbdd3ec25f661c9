"""Long work on the desk (a report, an import, a QR sheet): a progress line while it runs, the steps shown.

A section holds one ``Work`` and draws ``work.progress.root`` where the line
belongs (under its buttons), and draws those buttons disabled while
``work.running``: the same work cannot be started twice. ``run`` shows the
running bar with its words at once, calls the service off the event loop
(``DeskShell.call``) with ``progress=`` a plain ``(done, total)`` callable, and
hides the line when the service returns or fails (the failure is the
caller's to say, through its ``Guard``). The service calls ``progress`` from
its worker thread; each call is carried to the loop (``call_soon_threadsafe``)
and shows a determinate bar with ``step_words(done, total)``, at most once a
percent, so 5000 rows send about a hundred updates, not 5000.
"""

import asyncio
from typing import Callable

from inspector.ui.progress import Progress
from inspector.ui.widgets import refresh

PERCENT = 100  # steps shown at most: one update a percent


class Work:
    """The progress of one section's long work (see the module's docstring)."""

    def __init__(self, identifier: str):
        self.progress = Progress(identifier)
        self.running = False
        self.shown: list[tuple[int, int]] = []  # each (done, total) drawn; tests read it, nothing else does

    async def run(self, shell, words: str, step_words: Callable[[int, int], str] | None, fn, *args, **kwargs):
        """``fn(*args, progress=..., **kwargs)`` off the loop, with the line shown until it ends.

        ``step_words`` None: ``fn`` takes no ``progress`` and the bar runs with ``words`` throughout.
        """
        loop = asyncio.get_running_loop()
        self.running, self.shown = True, []
        self.progress.busy(words)
        refresh(self.progress.root)
        last = [-1]  # the percent last sent (the worker thread's own)

        def told(done: int, total: int) -> None:  # on the service's thread
            percent = done * PERCENT // total if total else PERCENT
            if percent != last[0] or done == total:
                last[0] = percent
                loop.call_soon_threadsafe(self._step, done, total, step_words)

        if step_words is not None:
            kwargs["progress"] = told
        try:
            return await shell.call(fn, *args, **kwargs)
        finally:
            self.running = False
            self.progress.done()
            refresh(self.progress.root)

    def _step(self, done: int, total: int, step_words: Callable[[int, int], str]) -> None:
        if not self.running:  # a step carried over after the work ended: the line stays hidden
            return
        self.shown.append((done, total))
        self.progress.step(done, total, step_words(done, total))
        refresh(self.progress.root)


def percent_of(done: int, total: int) -> int:
    """``done`` of ``total`` as a whole percent (for words like "正在生成报告… 45%")."""
    return done * PERCENT // total if total else PERCENT
