"""Who may claim a check as part of a cross-inspection round (交叉检查), and of what.

A round (``GET /api/rounds``, made by supervisors) says that one office
inspects another over a span of local days. A visit or a report that names a
round (``round`` in its payload) claims to be part of it, and the claim binds:
the check type is ``cross``, the office answering for the place is the round's
inspected office, the day (the server's time of receipt, in the campaign's
zone) lies within the round, and an office's people are of the inspecting
office (the round's team). The bureau's own people (inspectors, supervisors,
admins) organise rounds and may walk with any of them. A cross check that
names no round stays allowed: not every cross check is organised as one.

``check_round`` is the one rule; visits (``domain.visits.decide_visit``) and
reports (``services.visits.check_report``) both call it. ``fitting_rounds`` asks
the same rule the other way round: which rounds a phone may name for a cross
check of an office's work today (the visit and report screens offer those).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol, TypeVar
from zoneinfo import ZoneInfo

from inspector.domain.permissions import Actor
from inspector.errors import (InspectorError, NotInRound, RoundNotCross, RoundNotRunning, RoundOtherOffice,
                              UnknownRound)

CROSS = "cross"


@dataclass(frozen=True)
class CrossRound:
    """What a claim is checked against: the round's offices and its local days (both ends included)."""

    id: str
    inspecting_office: str
    inspected_office: str
    starts: date
    ends: date


class RoundLike(Protocol):
    """What the rule reads of a round: a ``CrossRound``, or the kept ``store.campaigns.RoundPublic``."""

    @property
    def id(self) -> str: ...
    @property
    def inspecting_office(self) -> str: ...
    @property
    def inspected_office(self) -> str: ...
    @property
    def starts(self) -> date: ...
    @property
    def ends(self) -> date: ...


R = TypeVar("R", bound=RoundLike)


def round_refusal(actor: Actor, round_id: str, found: RoundLike | None, check_type: str, office: str,
                  day: date) -> InspectorError | None:
    """Why ``actor`` may not claim a ``check_type`` check of ``office``'s work on local ``day`` as part of
    round ``round_id`` (``found``: the round, ``None`` when there is none); ``None`` when it may."""
    if found is None:
        return UnknownRound(round=round_id)
    if check_type != CROSS:
        return RoundNotCross(round=round_id)
    if office != found.inspected_office:
        return RoundOtherOffice(round=round_id, office=found.inspected_office)
    if actor.is_office and actor.office != found.inspecting_office:
        return NotInRound(round=round_id, office=found.inspecting_office)
    if not found.starts <= day <= found.ends:
        return RoundNotRunning(round=round_id, starts=found.starts.isoformat(), ends=found.ends.isoformat(),
                               day=day.isoformat())
    return None


def check_round(actor: Actor, round_id: str | None, found: CrossRound | None, check_type: str, office: str,
                at: datetime, zone: ZoneInfo) -> None:
    """Raise unless ``actor``'s claim of a ``check_type`` check of ``office``'s work at ``at`` may be part of
    round ``round_id`` (``found``: the stored round, ``None`` when there is none). No round named: nothing
    to check."""
    if round_id is None:
        return
    problem = round_refusal(actor, round_id, found, check_type, office, at.astimezone(zone).date())
    if problem is not None:
        raise problem


def fitting_rounds(actor: Actor, rounds: Iterable[R], office: str, day: date) -> list[R]:
    """The rounds among ``rounds`` (in their order) that ``actor``'s cross check of ``office``'s work on
    local ``day`` may name: those ``check_round`` would take. None fitting: a free cross check."""
    return [r for r in rounds if round_refusal(actor, r.id, r, CROSS, office, day) is None]
