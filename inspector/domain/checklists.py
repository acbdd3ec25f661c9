"""Checklists against the standard, and the score of a visit made with one.

A site type has a checklist; each change an admin makes is a new version, and
a visit names the version it used, so no edit ever changes a past visit's
score. A point says what is checked, which problem category a failure becomes
and whether it is starred (带*号): one starred failure fails the whole visit.

The score is the plain formula people read on the scoreboard: points met over
points applicable (合格 / (合格 + 不合格); 不适用 counts for nothing), and a
visit passes when that holds no starred failure and at least one point applied.
"""

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Mapping

from inspector.domain import catalog
from inspector.domain.text import bad_character
from inspector.errors import InvalidPayload

LANGUAGES = ("zh-CN", "en")
MAX_POINTS = 80  # points in one checklist: a visit is walked in one go on a phone
MAX_POINT_TEXT = 300
POINT_CODE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")


class Verdict(StrEnum):
    """What an inspector marks a point: 合格, 不合格, 不适用."""

    PASS = "pass"
    FAIL = "fail"
    NOT_APPLICABLE = "na"


@dataclass(frozen=True)
class CheckPoint:
    code: str
    text: Mapping[str, str]  # language -> words
    category: str  # the problem category a failure of this point becomes
    starred: bool = False

    def words(self, lang: str) -> str:
        """The point's text in ``lang``, else in the other language."""
        return self.text.get(lang) or next((t for t in self.text.values() if t), self.code)


@dataclass(frozen=True)
class Checklist:
    id: str
    site_type: str
    version: int
    points: tuple[CheckPoint, ...]

    def point(self, code: str) -> CheckPoint | None:
        return next((p for p in self.points if p.code == code), None)


@dataclass(frozen=True)
class VisitScore:
    met: int
    applicable: int
    starred_failed: int
    failed: tuple[str, ...]  # the failed points' codes, in the checklist's order

    @property
    def ratio(self) -> float | None:
        """Points met over points applicable; ``None`` when none applied."""
        return self.met / self.applicable if self.applicable else None

    @property
    def passed(self) -> bool:
        return self.applicable > 0 and self.starred_failed == 0


def score(checklist: Checklist, results: Mapping[str, str]) -> VisitScore:
    """Score ``results`` (point code -> verdict) against ``checklist``.

    Every point must have a verdict and no other code may appear: a visit
    is of the whole checklist, so a skipped point is a refusal, not a pass.
    """
    codes = [p.code for p in checklist.points]
    unknown = sorted(set(results) - set(codes))
    if unknown:
        raise InvalidPayload(field="results", problem=f"points {', '.join(unknown)} are not on this checklist")
    missing = [code for code in codes if code not in results]
    if missing:
        raise InvalidPayload(field="results", problem=f"points {', '.join(missing)} have no verdict")
    verdicts = {}
    for code, verdict in results.items():
        try:
            verdicts[code] = Verdict(verdict)
        except ValueError:
            raise InvalidPayload(field="results", problem=f"{verdict!r} is not pass, fail or na") from None
    failed = tuple(p.code for p in checklist.points if verdicts[p.code] is Verdict.FAIL)
    met = sum(1 for v in verdicts.values() if v is Verdict.PASS)
    starred = sum(1 for p in checklist.points if p.starred and verdicts[p.code] is Verdict.FAIL)
    return VisitScore(met=met, applicable=met + len(failed), starred_failed=starred, failed=failed)


def checked_points(raw: object) -> tuple[CheckPoint, ...]:
    """The points of an admin's edit, checked: codes unique and well formed, categories known,
    some words in at least one language, at most ``MAX_POINTS``. Raises ``InvalidPayload``."""
    if not isinstance(raw, (list, tuple)) or not raw:
        raise InvalidPayload(field="points", problem="a checklist needs at least one point")
    if len(raw) > MAX_POINTS:
        raise InvalidPayload(field="points", problem=f"a checklist holds at most {MAX_POINTS} points")
    points, seen = [], set()
    for number, entry in enumerate(raw, start=1):
        point = entry if isinstance(entry, CheckPoint) else _point_of(entry, number)
        if point.code in seen:
            raise InvalidPayload(field="points", problem=f"point {number}: code {point.code} is used twice")
        seen.add(point.code)
        points.append(point)
    return tuple(points)


def _point_of(entry: object, number: int) -> CheckPoint:
    where = f"point {number}"
    if not isinstance(entry, Mapping):
        raise InvalidPayload(field="points", problem=f"{where} is not a point")
    code, category, text = entry.get("code"), entry.get("category"), entry.get("text") or {}
    if not isinstance(code, str) or not POINT_CODE.match(code):
        raise InvalidPayload(field="points", problem=f"{where}: code must be lower-case letters, digits and _")
    if category not in catalog.CATEGORY_BY_CODE:
        raise InvalidPayload(field="points", problem=f"{where}: {category!r} is not a problem category")
    if not isinstance(text, Mapping) or set(text) - set(LANGUAGES):
        raise InvalidPayload(field="points", problem=f"{where}: text is words per language ({', '.join(LANGUAGES)})")
    words = {lang: value.strip() for lang, value in text.items() if isinstance(value, str) and value.strip()}
    if not words:
        raise InvalidPayload(field="points", problem=f"{where} has no words")
    if any(len(value) > MAX_POINT_TEXT for value in words.values()):
        raise InvalidPayload(field="points", problem=f"{where}: at most {MAX_POINT_TEXT} characters")
    if any(bad_character(value) is not None for value in words.values()):
        raise InvalidPayload(field="points", problem=f"{where}: the words hold a control character")
    return CheckPoint(code=code, text=words, category=category, starred=entry.get("starred") is True)


def point_dict(point: CheckPoint) -> dict:
    """A point as stored and sent: ``{code, text, category, starred}``."""
    return {"code": point.code, "text": dict(point.text), "category": point.category, "starred": point.starred}
