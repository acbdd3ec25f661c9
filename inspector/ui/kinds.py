"""How each kind of event shows on a screen: one table, keyed by the registry's kinds.

The rules of a kind live in ``inspector.domain.lifecycle``; this says only how
it looks: the colour of its button on the desk, whether its confirmation is
red, whether it reads as bad news in a timeline, which form the phone opens
for it and the words of its button and of the message after it is saved.
"""

from dataclasses import dataclass
from typing import Mapping

from inspector.domain.lifecycle import Kind
from inspector.ui import theme


@dataclass(frozen=True)
class Look:
    filled: str | None = None  # the desk draws its button filled, in this colour
    danger: bool = False  # its form's confirming button is red
    bad_news: bool = False  # red in a timeline: the office's work was sent back or refused
    form: str | None = None  # the phone's form for it: fix, extension, look_back, spot_check
    saved_words: bool = False  # the message after it is saved is ui.oversight.saved.<kind>
    label: str | None = None  # its button's words, when not ui.action.<kind>


LOOKS: Mapping[Kind, Look] = {
    Kind.ASSIGNED: Look(filled=theme.PRIMARY),
    Kind.FIX_SUBMITTED: Look(form="fix"),
    Kind.EXTENSION_REQUESTED: Look(form="extension"),
    Kind.VERIFIED: Look(filled=theme.OK),
    Kind.REJECTED: Look(filled=theme.DANGER, danger=True, bad_news=True),
    Kind.EXTENSION_GRANTED: Look(filled=theme.PRIMARY),
    Kind.EXTENSION_REFUSED: Look(danger=True, bad_news=True),
    Kind.REOPENED: Look(filled=theme.DANGER, danger=True, bad_news=True),
    Kind.DISMISSED: Look(danger=True),
    Kind.LOOK_BACK_PASSED: Look(form="look_back", saved_words=True, label="ui.oversight.look_back.action"),
    Kind.REBOUNDED: Look(bad_news=True, saved_words=True),
    Kind.SPOT_CHECKED: Look(form="spot_check", saved_words=True, label="ui.oversight.spot.action"),
}
PLAIN = Look()


def look(kind: str) -> Look:
    """How ``kind`` shows; a plain look for a kind the table does not dress."""
    return LOOKS.get(kind, PLAIN)
