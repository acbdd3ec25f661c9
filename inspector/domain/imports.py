"""What any XLSX import shares, as pure rules: a bad row's problem, the limits, codes given by name.

An import is all or nothing: every row is checked first, and one bad row
refuses the file with every bad row listed by its number in the sheet (the
header row is row 1, as Excel counts) and its reason, so the person fixes
them all in one go. ``inspector.services.xlsx_rows`` reads a workbook into
rows; each import checks its own columns (``inspector.domain.findings``).
"""

from dataclasses import asdict, dataclass
from typing import Iterable, Mapping

from inspector.domain.text import bad_character

MAX_ROWS = 5000  # data rows one import takes
MAX_BYTES = 10 * 1024 * 1024  # an uploaded workbook
MAX_CELL = 5000  # characters of one cell as read; a column's own limit is checked by its import


@dataclass(frozen=True)
class RowProblem:
    """Why row ``row`` (Excel's number) is refused; ``column`` is the column's key ("" for the row),
    ``problem`` a code (its words: ``import.problem.<code>``), ``value`` what the cell held, shortened."""

    row: int
    column: str
    problem: str
    value: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def shortened(value: str, limit: int = 60) -> str:
    """A cell's text as echoed back in a problem: at most ``limit`` characters."""
    return value if len(value) <= limit else value[:limit] + "…"


def cell_problem(row: int, column: str, value: str) -> RowProblem | None:
    """What no import takes in any cell: a formula (it is data, never run) or a control character."""
    if value.startswith(("=", "＝")):
        return RowProblem(row, column, "formula", shortened(value))
    position = bad_character(value)
    if position is not None:
        return RowProblem(row, column, "control_characters", f"U+{ord(value[position]):04X}")
    if len(value) > MAX_CELL:
        return RowProblem(row, column, "too_long", shortened(value))
    return None


def folded(value: str) -> str:
    """A name as compared: trimmed, case and width folded (``Ｃｏｎｓｔｒｕｃｔｉｏｎ`` is ``construction``)."""
    return "".join(chr(ord(c) - 0xFEE0) if "！" <= c <= "～" else c for c in value.strip()).casefold()


def code_of(value: str, names: Mapping[str, Iterable[str]]) -> str | None:
    """The code ``value`` names, by the code itself or any of its shown names; ``None`` when none does."""
    wanted = folded(value)
    if not wanted:
        return None
    for code, shown in names.items():
        if wanted in {folded(code), *(folded(name) for name in shown)}:
            return code
    return None
