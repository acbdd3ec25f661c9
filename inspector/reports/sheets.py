"""The summary as spreadsheets: XLSX (items, scores and visits, for the offices' own work) and CSV.

Both hold the same item rows, one per item, with the names people read (not
codes) and local times. The CSV is UTF-8 with a byte-order mark, which is
what makes Excel on Windows open Chinese text correctly.

Text typed in the field (descriptions, leaders, site names) is data, never a
formula: in the XLSX every text cell is written as a string (``data_type``
``s``, with Excel's quote prefix when it looks like a formula), and in the CSV
a cell starting with ``=``, ``+``, ``-``, ``@``, tab or CR gets a leading
single quote (OWASP, CSV injection), so it still reads as the same text.
"""

import csv
import io
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from inspector.domain.text import scrub
from inspector.i18n import t
from inspector.reports.summary import ItemLine, Summary

# column key -> width in characters (Excel units)
COLUMNS: dict[str, int] = {
    "number": 15, "category": 18, "office": 16, "site": 20, "status": 9, "reported_at": 17, "deadline": 17,
    "leader": 10, "fixed_at": 17, "verified_at": 17, "rework_count": 8, "rebound_count": 8, "overdue": 7,
    "lat": 11, "lon": 11, "description": 40,
}
TIME_FORMAT = "yyyy-mm-dd hh:mm"
# What a spreadsheet reads as the start of a formula (OWASP), also in full-width forms an IME types.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
SCORE_COLUMNS = ("office", "assigned", "closed", "closed_on_time", "extended", "on_time_rate", "rework_rate",
                 "rebound_rate", "overdue", "avg_days_to_fix", "spot_agreement", "coverage", "visit_score",
                 "visits_failed", "score", "rank", "formula")
PERCENT_COLUMNS = ("on_time_rate", "rework_rate", "rebound_rate", "spot_agreement", "coverage", "visit_score")
# the visits sheet: one row per visit (column key -> width)
VISIT_COLUMNS: dict[str, int] = {
    "day": 12, "site": 22, "office": 16, "check_type": 10, "met": 8, "applicable": 8, "ratio": 9, "passed": 9,
}


def score_heading(key: str, lang: str) -> str:
    """Column names of the scoreboard: the measures' own names (``score.measure.*``)."""
    if key == "office":
        return t("report.col.office", lang)
    if key == "formula":
        return t("score.formula", lang)
    return t(f"score.measure.{key}", lang)


def headers(lang: str) -> list[str]:
    return [t(f"report.col.{key}", lang) for key in COLUMNS]


def item_row(summary: Summary, line: ItemLine) -> list:
    """One item as cell values: text, numbers, naive local datetimes."""
    lang, local = summary.lang, summary.local
    return [
        line.number or "",
        t(f"category.{line.category}", lang),
        t(f"office.{line.office}", lang),
        line.site or "",
        t(f"status.{line.status}", lang),
        local(line.reported_at),
        local(line.deadline),
        line.leader or "",
        local(line.fixed_at),
        local(line.verified_at),
        line.rework_count,
        line.rebound_count,
        t("report.yes" if line.overdue else "report.no", lang),
        round(line.lat, 6),
        round(line.lon, 6),
        line.description,
    ]


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def score_rows(summary: Summary) -> list[list]:
    view = summary.scores
    rows = []
    for row in (*view.board.offices, view.board.overall):
        name = t(f"office.{row.office}", summary.lang) if row.office else t("report.all_offices", summary.lang)
        rows.append([
            name, row.assigned.value, row.closed.value, row.closed_on_time.value, row.extended.value,
            _rate(row.on_time_rate.value), _rate(row.rework_rate.value), _rate(row.rebound_rate.value),
            row.overdue.value,
            None if row.avg_days_to_fix.value is None else round(row.avg_days_to_fix.value, 2),
            _rate(row.spot_agreement.value), _rate(row.coverage.value), _rate(row.visiting.visit_score.value),
            row.visiting.failed.value,
            None if row.score is None else round(row.score, 2), row.rank, view.office_formula[row.office],
        ])
    return rows


def write_xlsx(summary: Summary) -> bytes:
    """Sheet 1: every item; sheet 2: the scoreboard of the period with its formula; sheet 3 (检查): every
    visit of the period."""
    lang = summary.lang
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")

    sheet = book.create_sheet(t("report.sheet.items", lang))
    sheet.freeze_panes = "A2"
    for index, width in enumerate(COLUMNS.values(), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    last = get_column_letter(len(COLUMNS))
    sheet.auto_filter.ref = f"A1:{last}{len(summary.items) + 1}"
    sheet.append([_heading(sheet, text, bold, fill) for text in headers(lang)])
    time_columns = {i for i, key in enumerate(COLUMNS) if key in ("reported_at", "deadline", "fixed_at", "verified_at")}
    for line in summary.items:
        values = [string_cell(sheet, v) for v in item_row(summary, line)]
        for i in time_columns:
            if values[i] is not None:
                cell = WriteOnlyCell(sheet, value=values[i])
                cell.number_format = TIME_FORMAT
                values[i] = cell
        sheet.append(values)

    scores = book.create_sheet(t("report.sheet.scores", lang))
    scores.column_dimensions["A"].width = 16
    scores.column_dimensions[get_column_letter(len(SCORE_COLUMNS))].width = 70
    scores.append([_heading(scores, t("report.period", lang, first=summary.period.first_day.isoformat(),
                                      last=summary.period.last_day.isoformat()), bold, None)])
    scores.append([_heading(scores, score_heading(key, lang), bold, fill) for key in SCORE_COLUMNS])
    rate_columns = {i for i, key in enumerate(SCORE_COLUMNS) if key in PERCENT_COLUMNS}
    for row in score_rows(summary):
        row = [string_cell(scores, v) for v in row]
        for i in rate_columns:
            if row[i] is not None:
                cell = WriteOnlyCell(scores, value=row[i])
                cell.number_format = "0.0%"
                row[i] = cell
        scores.append(row)
    scores.append([])
    scores.append([string_cell(scores, t("score.formula", lang)), string_cell(scores, summary.scores.formula_text)])
    scores.append([string_cell(scores, t("score.on_time_rule", lang))])
    for key in ("score.coverage_rule", "score.visit_score_rule"):
        scores.append([string_cell(scores, t(key, lang))])
    _visits_sheet(book, summary, bold, fill)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def visit_rows(summary: Summary) -> list[list]:
    """One row per visit of the period, oldest first: the names people read, the day, the points."""
    lang = summary.lang
    return [[v.day, v.site_name, t(f"office.{v.office}", lang), t(f"check_type.{v.check_type}", lang), v.met,
             v.applicable, _rate(v.ratio), t("report.yes" if v.passed else "report.no", lang)]
            for v in summary.scores.board.visits]


def _visits_sheet(book, summary: Summary, bold: Font, fill: PatternFill) -> None:
    sheet = book.create_sheet(t("report.sheet.visits", summary.lang))
    sheet.freeze_panes = "A2"
    for index, width in enumerate(VISIT_COLUMNS.values(), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append([_heading(sheet, t(f"report.vcol.{key}", summary.lang), bold, fill) for key in VISIT_COLUMNS])
    for values in visit_rows(summary):
        cells = [string_cell(sheet, v) for v in values]
        day = WriteOnlyCell(sheet, value=values[0])
        day.number_format = "yyyy-mm-dd"
        cells[0] = day
        if values[6] is not None:
            ratio = WriteOnlyCell(sheet, value=values[6])
            ratio.number_format = "0.0%"
            cells[6] = ratio
        sheet.append(cells)


def string_cell(sheet, value):
    """A text value as a cell that holds a string whatever it starts with; other values as they are.

    openpyxl reads a string starting with ``=`` as a formula: the cell's type is
    set back to string, and Excel's quote prefix keeps it text when edited.
    Characters XML cannot hold (text stored before they were refused) become U+FFFD.
    """
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=scrub(value))
    cell.data_type = "s"
    if value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def _heading(sheet, text: str, font: Font, fill: PatternFill | None) -> WriteOnlyCell:
    cell = string_cell(sheet, text)
    cell.font = font
    cell.alignment = Alignment(vertical="center", wrap_text=True)
    if fill is not None:
        cell.fill = fill
    return cell


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


def neutralised(text: str) -> str:
    """A CSV cell a spreadsheet will not run: a leading single quote when it starts like a formula (OWASP)."""
    text = scrub(text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(summary: Summary) -> bytes:
    """The item rows as CSV, UTF-8 with BOM, CRLF line ends; text cells neutralised (numbers and times
    are written by us and cannot carry a formula, so a negative longitude stays a number)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers(summary.lang))
    for line in summary.items:
        writer.writerow([neutralised(v) if isinstance(v, str) else _text(v) for v in item_row(summary, line)])
    return out.getvalue().encode("utf-8-sig")
