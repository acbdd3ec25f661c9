"""A visit being walked on a phone, and the events it becomes when it is finished.

An inspector starts a visit at a site with the current checklist of its type
and marks each point 合格 / 不合格 / 不适用; a failed point takes photos (at
least one) and an optional note. Until it is finished the visit is a draft
(``VisitDraft``), kept on the device as plain JSON so it survives leaving the
screen and a restart of the app. Finishing makes, in this order, ONE
``visited`` event (the visit: the checklist version, the check type, a verdict
per point) and one ``reported`` event per failed point, in the checklist's
order, each pre-filled from the point and the site (category, office, site,
location, check type, and the visit's cross-inspection round when it names one)
and naming the visit and the point. The server scores
the visit and links the items (``inspector.domain.visits``); the score shown
before sending is the same formula (``checklists.score``).
"""

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Callable, Mapping

from inspector.domain import catalog
from inspector.domain.checklists import Checklist, Verdict, VisitScore, score
from inspector.domain.permissions import check_types
from inspector.domain.roles import OFFICE_ROLES, Role
from inspector.domain.rounds import CROSS

MAX_NOTE = 500  # a failed point's note: a line or two, the photos say the rest


@dataclass(frozen=True)
class Mark:
    """One point's verdict; a failed point's photos (sha256) and note."""

    verdict: str
    photos: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class VisitDraft:
    """A visit not finished yet: where, against which checklist version, as what check, the marks so far."""

    id: str  # the visit's id (a uuid7 made on the device): the ``visited`` event's item id
    site_id: str
    checklist_id: str
    check_type: str
    started_at: datetime
    marks: Mapping[str, Mark] = field(default_factory=dict)
    location: Mapping[str, Any] | None = None  # lat, lon, accuracy_m, source
    round_id: str | None = None  # the cross-inspection round a cross check names (``rounds.fitting_rounds``)

    def mark(self, code: str, verdict: str) -> "VisitDraft":
        """The draft with ``code`` marked ``verdict`` (a failed point keeps its photos and note)."""
        Verdict(verdict)  # a ValueError for anything but pass, fail, na
        kept = self.marks.get(code) or Mark(verdict)
        kept = replace(kept, verdict=verdict) if verdict == Verdict.FAIL else Mark(verdict)
        return replace(self, marks={**self.marks, code: kept})

    def with_photos(self, code: str, photos: tuple[str, ...]) -> "VisitDraft":
        """The draft with the failed point ``code``'s photos replaced by ``photos``."""
        kept = self.marks.get(code) or Mark(Verdict.FAIL)
        return replace(self, marks={**self.marks, code: replace(kept, photos=tuple(dict.fromkeys(photos)))})

    def with_note(self, code: str, note: str) -> "VisitDraft":
        kept = self.marks.get(code) or Mark(Verdict.FAIL)
        return replace(self, marks={**self.marks, code: replace(kept, note=note[:MAX_NOTE])})


def to_json(draft: VisitDraft) -> dict:
    """The draft as plain JSON, as it is kept on the device."""
    return {"id": draft.id, "site": draft.site_id, "checklist": draft.checklist_id, "check_type": draft.check_type,
            "started_at": draft.started_at.isoformat(), "location": dict(draft.location) if draft.location else None,
            "round": draft.round_id,
            "marks": {code: {"verdict": m.verdict, "photos": list(m.photos), "note": m.note}
                      for code, m in draft.marks.items()}}


def from_json(data: Mapping[str, Any]) -> VisitDraft:
    """A kept draft back; ``KeyError``/``ValueError``/``TypeError`` when it is not one."""
    marks = {}
    for code, m in dict(data.get("marks") or {}).items():
        marks[str(code)] = Mark(Verdict(m["verdict"]).value, tuple(str(s) for s in m.get("photos") or ()),
                                str(m.get("note") or "")[:MAX_NOTE])
    return VisitDraft(id=str(data["id"]), site_id=str(data["site"]), checklist_id=str(data["checklist"]),
                      check_type=str(data["check_type"]), started_at=datetime.fromisoformat(data["started_at"]),
                      marks=marks, location=data.get("location") or None, round_id=data.get("round") or None)


# --- who checks as what ------------------------------------------------------------------------
def visit_check_types(role: str) -> list[str]:
    """The check types ``role`` may make a visit as, in the catalogue's order (never "technical": those are
    the provincial assessment's findings, imported)."""
    allowed = check_types(role)
    return [c for c in catalog.CHECK_TYPES if c in allowed and c != "technical"]


def usual_check_type(role: str) -> str:
    """The check type a visit starts as: an office checks itself, a spot checker spot checks, the rest 督查."""
    if role in OFFICE_ROLES:
        return "self"
    if role == Role.SPOT_CHECKER:
        return "spot"
    return "supervisor"  # the check type 督查 (not the role of that name)


# --- where a draft stands ---------------------------------------------------------------------
@dataclass(frozen=True)
class Standing:
    """How far a draft is: points checked of all, the failed ones lacking a photo, the score when complete."""

    checked: int
    total: int
    unmarked: tuple[str, ...]  # codes, in the checklist's order
    failed_without_photo: tuple[str, ...]
    score: VisitScore | None  # once every point has a verdict

    @property
    def ready(self) -> bool:
        return not self.unmarked and not self.failed_without_photo

    @property
    def reports(self) -> int:
        """How many items finishing makes: one per failed point."""
        return len(self.score.failed) if self.score else 0


def standing(draft: VisitDraft, checklist: Checklist) -> Standing:
    """Where ``draft`` stands against ``checklist`` (the version it was started with)."""
    codes = [p.code for p in checklist.points]
    unmarked = tuple(c for c in codes if c not in draft.marks)
    no_photo = tuple(c for c in codes if c in draft.marks and draft.marks[c].verdict == Verdict.FAIL
                     and not draft.marks[c].photos)
    results = {c: draft.marks[c].verdict for c in codes if c in draft.marks}
    return Standing(checked=len(codes) - len(unmarked), total=len(codes), unmarked=unmarked,
                    failed_without_photo=no_photo, score=None if unmarked else score(checklist, results))


# --- the events ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Made:
    """One event a finished visit makes: its item id (the visit's, or a new item's), kind and payload."""

    item_id: str
    kind: str
    payload: dict


def visit_events(draft: VisitDraft, checklist: Checklist, site_office: str, site_location: Mapping[str, Any],
                 visited_kind: str, new_id: Callable[[], str]) -> list[Made]:
    """The ``visited`` event, then a ``reported`` per failed point (checklist order). ``ValueError`` when the
    draft is not ready (a point unmarked, a failure without a photo): the screen says which first.

    ``site_location`` stands in for the phone's own position when it has none (the site's registered point).
    """
    where = standing(draft, checklist)
    if not where.ready:
        raise ValueError(f"visit {draft.id} is not ready: {where.unmarked or where.failed_without_photo}")
    location = {k: v for k, v in dict(draft.location or site_location).items() if v is not None}
    visit: dict[str, Any] = {"site": draft.site_id, "checklist": checklist.id, "check_type": draft.check_type,
                             "results": {p.code: draft.marks[p.code].verdict for p in checklist.points}}
    if draft.location:
        visit["location"] = location
    named = draft.round_id if draft.check_type == CROSS else None  # a round is a cross check's only
    if named:
        visit["round"] = named
    made = [Made(draft.id, visited_kind, visit)]
    for code in where.score.failed:
        point, mark = checklist.point(code), draft.marks[code]
        report: dict[str, Any] = {"category": point.category, "office": site_office, "location": location,
                                  "site": draft.site_id, "severity": "normal", "check_type": draft.check_type,
                                  "photos": list(mark.photos), "visit": draft.id, "check_point": code}
        if mark.note.strip():
            report["description"] = mark.note.strip()
        if named:
            report["round"] = named  # the server holds the reports to the visit's round too
        made.append(Made(new_id(), "reported", report))
    return made
