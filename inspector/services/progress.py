"""How far long work has come, told to whoever waits for it: a plain ``progress(done, total)`` callable.

A use case that takes a while (an import of many rows, a report with photos,
a sheet of many QR codes) takes ``progress=None``; when given, it is called
from the worker's thread with the steps done so far and the steps in all,
``done`` rising to ``total``. The service knows nothing of who listens (the
desk's progress bar, a test's list); the UI marshals the calls to its loop.
``Steps`` is the counter a service keeps: the total may grow while the work
finds out how much there is (the photos of a summary are known only once its
items are read).
"""

from typing import Callable

ProgressFn = Callable[[int, int], None]


class Steps:
    """Counts steps done of ``total`` and tells ``progress`` (if any) after each."""

    def __init__(self, progress: ProgressFn | None, total: int = 0):
        self.progress, self.total, self.done = progress, total, 0

    def add(self, steps: int) -> None:
        """More work found: ``steps`` more to do (nobody is told until one is done)."""
        self.total += max(steps, 0)

    def tick(self, steps: int = 1) -> None:
        """``steps`` more are done."""
        self.done += steps
        self.total = max(self.total, self.done)  # never more done than there is
        if self.progress is not None:
            self.progress(self.done, self.total)

    def finish(self) -> None:
        """All done: the last call says ``total`` of ``total`` (steps skipped on the way count as done)."""
        if self.done < self.total:
            self.tick(self.total - self.done)
        elif self.done == 0:  # nothing to count (an empty sheet): still one step, so the bar ends full
            self.tick()
