"""The technical assessment's findings (技术评估反馈问题): the rows of the province's list, checked, and
the report each good row becomes.

The province hands over a list: its own number for each finding (编号), the
place (地点), the problem (问题) and, where given, the category (类别) and the
responsible office (责任单位), by code or by the name people read in either
language. Each good row becomes an ordinary ``reported`` event with check type
``technical``, the number kept in the payload (``finding``), recorded by the
importing admin through the one write path; it comes without photos, which
only an admin's technical report may (``decision.check_report_photos``).

Nothing is imported half: ``check_rows`` lists every bad row (number or
problem missing, a number twice in the file, one already imported for another
problem, text too long), and ``unknown_values`` every category or office the
catalogue does not know, with its rows, for the admin to map to a code. A row
whose number is already imported for the same problem is the same finding
again: it is skipped, so importing a file twice adds nothing.
"""

import re
import uuid
from dataclasses import dataclass
from typing import Iterable, Mapping

from inspector.domain.imports import RowProblem, code_of, shortened

TECHNICAL = "technical"  # the check type of an imported finding (catalog.CHECK_TYPES)
# column key -> the headers accepted for it (Chinese as the template has them, English, common variants)
HEADERS: dict[str, tuple[str, ...]] = {
    "number": ("编号", "问题编号", "序号编号", "number", "no.", "finding number", "finding no."),
    "place": ("地点", "点位", "问题地点", "place", "location"),
    "problem": ("问题", "问题描述", "存在问题", "problem", "description"),
    "category": ("类别", "问题类别", "category"),
    "office": ("责任单位", "责任部门", "office", "responsible office"),
}
REQUIRED = ("number", "problem")
MAPPED = ("category", "office")  # columns whose values must name a catalogue code
MAX_NUMBER = 40  # payloads.FindingNumber
MAX_PLACE = 200
MAX_PROBLEM = 1500  # with the place, within a description's 2000 characters
_LIMITS = {"number": MAX_NUMBER, "place": MAX_PLACE, "problem": MAX_PROBLEM}
_IDS = uuid.UUID("6f1d3c2e-8a4b-5c7d-9e0f-112233445566")  # the namespace of findings' item and event ids


@dataclass(frozen=True)
class Finding:
    """One good row: the number, place and problem as given, the category and office as written."""

    row: int
    number: str
    place: str
    problem: str
    category: str = ""
    office: str = ""


@dataclass(frozen=True)
class Unknown:
    """A category or office value no code matches, and the rows that give it ("" is a blank cell)."""

    column: str
    value: str
    rows: tuple[int, ...]

    def as_dict(self) -> dict:
        return {"column": self.column, "value": self.value, "rows": list(self.rows)}


def check_rows(rows: Iterable[tuple[int, Mapping[str, str]]],
               imported: Mapping[str, str] | None = None) -> tuple[list[Finding], list[Finding], list[RowProblem]]:
    """Split the rows into new findings, findings already imported, and problems.

    ``imported``: the stored description of each finding number already
    imported. A number seen there with the same problem is the same finding
    (kept apart, not imported again); with another problem the row is refused.
    """
    imported = imported or {}
    new, again, problems, seen = [], [], [], {}
    for row, values in rows:
        found = _row_problems(row, values)
        number = values.get("number", "")
        if number and number in seen:
            found.append(RowProblem(row, "number", "duplicate_number", f"{shortened(number)} (#{seen[number]})"))
        elif number in imported and not same_problem(imported[number], values.get("problem", "")):
            found.append(RowProblem(row, "number", "number_taken", shortened(number)))
        seen.setdefault(number, row)
        if found:
            problems += found
            continue
        finding = Finding(row, number, values.get("place", ""), values["problem"],
                          values.get("category", ""), values.get("office", ""))
        (again if number in imported else new).append(finding)
    return new, again, problems


def same_problem(stored: str, problem: str) -> bool:
    """Does a stored finding's description (``description``) tell ``problem``, whatever the place's label?"""
    return stored == problem or stored.startswith(problem + "\n")


def _row_problems(row: int, values: Mapping[str, str]) -> list[RowProblem]:
    found = [RowProblem(row, key, "missing") for key in REQUIRED if not values.get(key)]
    found += [RowProblem(row, key, "too_long", shortened(values[key]))
              for key, limit in _LIMITS.items() if len(values.get(key, "")) > limit]
    return found


def resolve(findings: Iterable[Finding], names: Mapping[str, Mapping[str, Iterable[str]]],
            mapping: Mapping[str, Mapping[str, str]] | None = None
            ) -> tuple[dict[int, dict[str, str | None]], list[Unknown]]:
    """Each finding's category and office as codes (by row), and the values nothing matched.

    ``names``: for ``category`` and ``office``, each code's shown names. A value
    the admin mapped (``mapping[column][value] = code``) takes that code. A blank
    office is no office (the category's default office takes the item); a blank
    category is unknown like any other: a report needs one.
    """
    mapping = mapping or {}
    codes: dict[int, dict[str, str | None]] = {}
    missing: dict[tuple[str, str], list[int]] = {}
    for finding in findings:
        codes[finding.row] = {}
        for column in MAPPED:
            value = getattr(finding, column).strip()
            code = mapping.get(column, {}).get(value) or code_of(value, names[column])
            if code is None and not (column == "office" and not value):
                missing.setdefault((column, value), []).append(finding.row)
            codes[finding.row][column] = code
    unknown = [Unknown(column, value, tuple(rows)) for (column, value), rows in missing.items()]
    return codes, sorted(unknown, key=lambda u: (MAPPED.index(u.column), u.value))


def sort_key(number: str | None) -> list:
    """A finding number's sort key: its digits as numbers (JP-2 before JP-10)."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", number or "")]


def ids_of(number: str) -> tuple[str, str]:
    """The item id and the report's event id of finding ``number``: the same on every import, so two
    imports of one finding meet in the event log as one (a duplicate) instead of making two items."""
    return str(uuid.uuid5(_IDS, f"item:{number}")), str(uuid.uuid5(_IDS, f"report:{number}"))


def description(finding: Finding, place_label: str) -> str:
    """What the item's description says: the problem, then the place (``place_label`` in the reader's words)."""
    return f"{finding.problem}\n{place_label}{finding.place}" if finding.place else finding.problem


def payload(finding: Finding, category: str, office: str | None, location: tuple[float, float],
            site: str | None, place_label: str) -> dict:
    """The ``reported`` payload of a finding: technical, its number kept, no photos, the location manual."""
    body = {
        "category": category, "location": {"lat": location[0], "lon": location[1], "source": "manual"},
        "photos": [], "check_type": TECHNICAL, "severity": "normal",
        "description": description(finding, place_label), "finding": finding.number,
    }
    if office:
        body["office"] = office
    if site:
        body["site"] = site
    return body


def site_for(place: str, sites: Iterable[tuple[str, str, float, float]]) -> tuple[str, float, float] | None:
    """The site whose name is the place (trimmed, case-folded): ``(id, lat, lon)``; ``None`` when none is."""
    wanted = place.strip().casefold()
    for site_id, name, lat, lon in sites:
        if wanted and name.strip().casefold() == wanted:
            return site_id, lat, lon
    return None
