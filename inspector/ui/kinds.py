"""How each kind of event shows on a screen: one table, keyed by the registry's kinds.

The rules of a kind live in ``inspector.domain.lifecycle``; this says only how
it looks: the colour of its button on the desk, whether its confirmation is
red, whether it reads as bad news in a timeline, which form the phone opens
for it and the words of its button and of the message after it is saved.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping
from zoneinfo import ZoneInfo

from inspector.domain.lifecycle import Kind
from inspector.i18n import t
from inspector.i18n.notices import step_words
from inspector.ui import theme


@dataclass(frozen=True)
class Look:
    filled: str | None = None  # the desk draws its button filled, in this colour
    danger: bool = False  # its form's confirming button is red
    bad_news: bool = False  # red in a timeline: the office's work was sent back or refused
    form: str | None = None  # the phone's form for it: fix, extension, look_back, spot_check
    saved_words: bool = False  # the message after it is saved is ui.oversight.saved.<kind>
    label: str | None = None  # its button's words, when not ui.action.<kind>
    step: bool = False  # D: a 督办 step: its timeline entry reads ``step_line`` instead of the payload's fields


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
    # A: returns (退回/申辩) and their answers
    Kind.RETURNED: Look(form="return", saved_words=True, label="ui.return.action"),
    Kind.REASSIGNED: Look(filled=theme.PRIMARY),
    Kind.RETURN_INSISTED: Look(bad_news=True),
    # D: the server's 督办 steps: never a button; in a timeline, a line of words (``step_line``)
    Kind.REMINDED: Look(step=True),
    Kind.SUPERVISED: Look(bad_news=True, step=True),
    Kind.ESCALATED: Look(bad_news=True, step=True),
}
PLAIN = Look()


def look(kind: str) -> Look:
    """How ``kind`` shows; a plain look for a kind the table does not dress."""
    return LOOKS.get(kind, PLAIN)


def step_line(kind: str, payload: Mapping[str, Any], lang: str, zone: ZoneInfo) -> str:
    """D: a 督办 step's words in a timeline: "到期前 2 天提醒：整改期限 2026-07-31", "逾期 4 天，列入督办；责任领导：陈处长"."""
    try:
        day = datetime.fromisoformat(str(payload.get("deadline"))).astimezone(zone).date().isoformat()
    except ValueError:
        day = str(payload.get("deadline", ""))[:10]
    if kind == Kind.REMINDED:
        return t("supervision.timeline.reminded", lang, step=step_words(str(payload.get("step", "")), lang), date=day)
    return t(f"supervision.timeline.{kind}", lang, days=payload.get("days_overdue", 0),
             leader=payload.get("leader") or t("supervision.no_leader", lang))
