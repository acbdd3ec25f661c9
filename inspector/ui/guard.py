"""The one place the UI turns a failure into words for the person using it.

A refusal the rules know (an ``InspectorError``) becomes its message in the
session's language; anything else is a bug: it is logged with its traceback
and the person sees a plain "something went wrong", never a stack trace and
never silence. Views write::

    with Guard(self.lang, lambda words: self.say("samples", words, error=True)) as guard:
        result = await self.shell.call(self.desk.draw, ...)
    if guard.failed:
        return

instead of their own ``try/except``. ``words(error, lang)`` is the same rule
for code that keeps the message (an inline error under a form); ``App.guard()``
is a ``Guard`` that shows as a red message (``inspector.ui.messages``: above the screen, never over its
buttons, gone on navigation), and ``Guard(lang)`` with no ``show``
keeps ``message`` for the view to put where its list would be.

Where one failure is expected (a photo not on this device yet, a token the
server no longer takes) the code catches that typed exception itself, inside
or instead of the guard, and says why in a comment.
"""

import logging
from types import TracebackType
from typing import Callable

from inspector.errors import InspectorError
from inspector.i18n import error_message, t

log = logging.getLogger(__name__)


def words(error: BaseException, lang: str) -> str:
    """What to tell the person about ``error``: its message when typed, else logged and "unexpected"."""
    if isinstance(error, InspectorError):
        return error_message(error, lang)
    log.error("unexpected error in the UI", exc_info=error)
    return t("ui.error.unexpected", lang)


class Guard:
    """A ``with`` block whose ``Exception`` is shown through ``show`` (see the module's docstring).

    ``failed`` and ``error`` tell the code after the block what happened. Only
    ``Exception`` is caught: cancellation and interpreter exits pass through.
    """

    def __init__(self, lang: str, show: Callable[[str], None] | None = None):
        self.lang, self.show = lang, show
        self.error: Exception | None = None
        self.message: str | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None

    def __enter__(self) -> "Guard":
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> bool:
        if error is None or not isinstance(error, Exception):
            return False
        self.error = error
        self.message = words(error, self.lang)
        if self.show is not None:
            self.show(self.message)
        return True
