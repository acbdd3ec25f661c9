"""Reading an uploaded XLSX into rows of text, with the problems no import takes; writing a template.

Shared by the XLSX imports (the technical assessment's findings, the site
register). The workbook is read as data and never run: a formula cell is a
row problem, not a value (``domain.imports.cell_problem``), and so is a
control character. A file that is no workbook, past 10 MB or past 5000 data
rows is refused whole with its own error; a header row without a required
column likewise. Each column is found by any of its accepted headers, in any
order; the header row is the first of the sheet's first five rows that names
every required column (lists from elsewhere often carry a title above it).
"""

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Mapping, Sequence

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from inspector.domain.imports import MAX_BYTES, MAX_ROWS, RowProblem, cell_problem, folded
from inspector.errors import BodyTooLarge, ImportMissingColumns, ImportNotXlsx, ImportTooManyRows

HEADER_ROWS = 5  # rows searched for the header row
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class SheetRows:
    """The data rows as ``(row number, {column key: text})`` (blank rows left out), and the cells refused."""

    rows: list[tuple[int, dict[str, str]]]
    problems: list[RowProblem] = field(default_factory=list)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value).strip()


def _open(data: bytes):
    if len(data) > MAX_BYTES:
        raise BodyTooLarge(size_kb=len(data) // 1024, limit_kb=MAX_BYTES // 1024)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportNotXlsx()
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError, OSError) as error:
        raise ImportNotXlsx(reason=type(error).__name__) from None


def _columns(header: Sequence, headers: Mapping[str, Sequence[str]]) -> dict[int, str]:
    """Position -> column key, for the cells of ``header`` that name a column."""
    wanted = {folded(name): key for key, names in headers.items() for name in names}
    found: dict[int, str] = {}
    for position, value in enumerate(header):
        key = wanted.get(folded(_text(value)))
        if key is not None and key not in found.values():
            found[position] = key
    return found


def read_rows(data: bytes, headers: Mapping[str, Sequence[str]], required: Sequence[str]) -> SheetRows:
    """The first sheet's rows under its header row, by column key (``headers``: key -> accepted headers)."""
    book = _open(data)
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows()
        columns: dict[int, str] = {}
        for _ in range(HEADER_ROWS):
            header = next(rows, None)
            if header is None:
                break
            columns = _columns([cell.value for cell in header], headers)
            if set(required) <= set(columns.values()):
                break
        missing = [key for key in required if key not in columns.values()]
        if missing:
            raise ImportMissingColumns(columns=", ".join(headers[key][0] for key in missing))
        return _data_rows(rows, columns)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as error:  # a damaged sheet inside
        raise ImportNotXlsx(reason=type(error).__name__) from None
    finally:
        book.close()


def _data_rows(rows, columns: dict[int, str]) -> SheetRows:
    out: list[tuple[int, dict[str, str]]] = []
    problems: list[RowProblem] = []
    for cells in rows:
        values: dict[str, str] = {}
        number = None
        for position, cell in enumerate(cells):
            number = getattr(cell, "row", None) or number
            key = columns.get(position)
            if key is None:
                continue
            text = _text(cell.value)
            refused = cell_problem(number or 0, key, text) if text else None
            if refused is None and getattr(cell, "data_type", None) == "f":
                refused = RowProblem(number or 0, key, "formula", text[:60])
            if refused is not None:
                problems.append(refused)
            values[key] = text
        if not any(values.values()):
            continue
        if len(out) >= MAX_ROWS:
            raise ImportTooManyRows(limit=MAX_ROWS)
        out.append((number or len(out) + 2, values))
    return SheetRows(out, problems)


def template(title: str, header: Sequence[str], examples: Sequence[Sequence], notes_title: str = "",
             notes: Sequence[Sequence[str]] = ()) -> bytes:
    """A workbook with the header row and example rows, and a second sheet of notes (codes and names)."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for row in examples:
        sheet.append([str(value) for value in row])
    for n, _ in enumerate(header):
        sheet.column_dimensions[chr(ord("A") + n)].width = 18 if n != 2 else 48
    if notes:
        extra = book.create_sheet((notes_title or "codes")[:31])
        for row in notes:
            extra.append([str(value) for value in row])
        extra.column_dimensions["A"].width, extra.column_dimensions["B"].width = 16, 24
        extra.column_dimensions["C"].width = 28
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
