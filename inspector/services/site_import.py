"""The site register as an XLSX workbook: the template, the export, and the import, all or nothing.

Columns: name, type, office, lat, lon, address, contact, headed in Chinese as
the template has them (``sites.column.*`` in zh-CN; the English headers are
taken too, in any order). A type or an office is written as its code or as
its name in either language. The import reads every row first and writes only
when every row is good: otherwise ``SiteImportRowsInvalid`` lists each bad row
with its number (the spreadsheet's own, the header being row 1), its column
and why, and nothing changes. A row naming a site of the register (same name
and same type) updates it, and puts a retired one back on the register; a name
the register has under another type is refused. Formulas (a cell Excel would
compute, ``=HYPERLINK(...)``) are refused: a register is typed, not computed.

A hostile file costs little: past ``MAX_BYTES`` it is refused before it is
opened, a zip that would unpack past ``MAX_UNPACKED`` before it is parsed
(openpyxl reads XML through defusedxml), and reading stops at ``MAX_ROWS``.
"""

import io
import zipfile
from dataclasses import dataclass
from typing import Any, Iterator
from xml.etree.ElementTree import ParseError

import uuid6
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from inspector.domain import catalog
from inspector.domain import sites as rules
from inspector.domain.permissions import Actor
from inspector.errors import (
    InspectorError, SiteImportEmpty, SiteImportHeadersMissing, SiteImportNotXlsx, SiteImportRowsInvalid,
    SiteImportTooLarge, SiteImportTooManyRows,
)
from inspector.i18n import CATALOGUES, error_message, t
from inspector.reports.sheets import string_cell
from inspector.services import sites as site_service
from inspector.services.context import Context
from inspector.services.progress import ProgressFn, Steps
from inspector.store import site_types as type_store
from inspector.store import sites as site_store
from inspector.store.engine import write_session
from inspector.store.public import SitePublic

MB = 1024 * 1024
MAX_BYTES = 10 * MB
MAX_UNPACKED = 50 * MB
MAX_ROWS = 5000
MAX_COLUMNS = 30  # columns read per row; a register has 7
MAX_BLANK_RUN = 2 * MAX_ROWS  # empty rows skipped before the file counts as too long
COLUMNS = ("name", "type", "office", "lat", "lon", "address", "contact")
NEEDED = ("name", "type", "office", "lat", "lon")
TEMPLATE_LANG = "zh-CN"  # the template's headers
FIELD_OF = {"name": "name", "type": "kind", "office": "office_code", "lat": "lat", "lon": "lon",
            "address": "address", "contact": "contact"}
COLUMN_OF = {**{field: column for column, field in FIELD_OF.items()}, "office": "office", "code": "type"}
WIDTHS = {"name": 28, "type": 16, "office": 18, "lat": 12, "lon": 12, "address": 32, "contact": 20}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNREADABLE = (zipfile.BadZipFile, zipfile.LargeZipFile, InvalidFileException, KeyError, ValueError, TypeError,
              IndexError, AttributeError, OSError, ParseError, EOFError)


@dataclass(frozen=True)
class ImportResult:
    """What an import did: the sites added and the sites updated, each by name."""

    added: tuple[str, ...]
    updated: tuple[str, ...]


def column_name(column: str, lang: str) -> str:
    """A column's header in ``lang`` (the template's are zh-CN)."""
    return t(f"sites.column.{column}", lang)


def _aliases() -> dict[str, str]:
    known = {}
    for column in COLUMNS:
        for words in CATALOGUES.values():
            known[words.get(f"sites.column.{column}", column).strip().casefold()] = column
        known[column] = column
    known.update({"latitude": "lat", "longitude": "lon", "lng": "lon", "kind": "type", "site type": "type",
                  "名称": "name", "场所": "name", "单位": "office", "电话": "contact"})
    return known


HEADER_ALIASES = _aliases()


# --- writing -------------------------------------------------------------------------------------
def _book(rows: list[list[Any]], type_rows: list[tuple[str, str, str]], lang: str) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(t("sites.sheet.register", TEMPLATE_LANG))
    for i, column in enumerate(COLUMNS):
        sheet.column_dimensions[chr(ord("A") + i)].width = WIDTHS[column]
    bold = Font(bold=True)
    heads = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=column_name(column, TEMPLATE_LANG))
        cell.font = bold
        heads.append(cell)
    sheet.append(heads)
    for row in rows:
        sheet.append([string_cell(sheet, v) for v in row])
    codes = book.create_sheet(t("sites.sheet.codes", TEMPLATE_LANG))
    for letter, width in zip("ABCD", (14, 22, 26, 26)):
        codes.column_dimensions[letter].width = width
    codes.append([WriteOnlyCell(codes, value=t(f"sites.codes.{key}", TEMPLATE_LANG)) for key in
                  ("what", "code", "name_zh", "name_en")])
    for what, code, zh, en in type_rows:
        codes.append([string_cell(codes, v) for v in (t(f"sites.codes.{what}", TEMPLATE_LANG), code, zh, en)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _code_rows(ctx: Context) -> list[tuple[str, str, str, str]]:
    kinds = [("type", st.code, site_service.site_type_name(st.code, st.names, "zh-CN"),
              site_service.site_type_name(st.code, st.names, "en")) for st in site_service.site_types(ctx)]
    offices = [("office", o.code, t(f"office.{o.code}", "zh-CN"), t(f"office.{o.code}", "en"))
               for o in catalog.OFFICES]
    return kinds + offices


def template(ctx: Context, lang: str = TEMPLATE_LANG) -> bytes:
    """The register's template: the headers, one example row, and a sheet of the type and office codes."""
    example = [t("sites.example.name", TEMPLATE_LANG), site_service.site_type_name("construction_site", {}, "zh-CN"),
               t("office.construction", "zh-CN"), 30.2741, 120.1551, t("sites.example.address", TEMPLATE_LANG),
               t("sites.example.contact", TEMPLATE_LANG)]
    return _book([example], _code_rows(ctx), lang)


def export(ctx: Context, lang: str = TEMPLATE_LANG) -> bytes:
    """The sites on the register in the template's form (types and offices by their Chinese names), which
    imports back unchanged."""
    names = site_service.type_names(ctx, "zh-CN")
    rows = [[s.name, names.get(s.kind, s.kind), t(f"office.{s.office_code}", "zh-CN"), s.lat, s.lon, s.address,
             s.contact] for s in site_service.list_sites(ctx)]
    return _book(rows, _code_rows(ctx), lang)


# --- reading -------------------------------------------------------------------------------------
def _open(data: bytes):
    if len(data) > MAX_BYTES:
        raise SiteImportTooLarge(size_mb=round(len(data) / MB, 1), limit_mb=MAX_BYTES // MB)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as packed:
            unpacked = sum(info.file_size for info in packed.infolist())
        if unpacked > MAX_UNPACKED:
            raise SiteImportTooLarge(size_mb=round(unpacked / MB, 1), limit_mb=MAX_UNPACKED // MB)
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except UNREADABLE:
        raise SiteImportNotXlsx() from None


def _header(cells) -> dict[str, int]:
    where: dict[str, int] = {}
    for index, cell in enumerate(cells):
        value = cell.value if cell is not None else None
        column = HEADER_ALIASES.get(str(value).strip().casefold()) if value is not None else None
        if column and column not in where:
            where[column] = index
    missing = [c for c in NEEDED if c not in where]
    if missing:
        raise SiteImportHeadersMissing(missing="、".join(column_name(c, TEMPLATE_LANG) for c in missing))
    return where


def _rows(sheet) -> Iterator[tuple[int, tuple]]:
    """The sheet's header (row 1) and its non-empty rows with their numbers; stops past ``MAX_ROWS``."""
    found = blank = 0
    for number, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS), start=1):
        if number > 1 and all(c is None or c.value is None or str(c.value).strip() == "" for c in cells):
            blank += 1
            if blank > MAX_BLANK_RUN:
                raise SiteImportTooManyRows(max=MAX_ROWS)
            continue
        blank = 0
        if number > 1:
            found += 1
            if found > MAX_ROWS:
                raise SiteImportTooManyRows(max=MAX_ROWS)
        yield number, cells


class _Refused(Exception):
    """One cell that is not data (a formula, an error value): its column and the reason's code."""

    def __init__(self, column: str, code: str):
        super().__init__(code)
        self.column, self.code = column, code


def _value(cells: tuple, index: int | None, column: str) -> Any:
    if index is None or index >= len(cells) or cells[index] is None:
        return None
    cell = cells[index]
    if cell.data_type == "f":
        raise _Refused(column, "sites.import.formula")
    if cell.data_type == "e":
        raise _Refused(column, "sites.import.cell_error")
    value = cell.value
    if isinstance(value, float) and value.is_integer() and column not in ("lat", "lon"):
        value = int(value)  # a name typed as a number
    return value


def _lookup(words: Any, known: dict[str, str]) -> str:
    text = "" if words is None else str(words).strip()
    return known.get(text.casefold(), text)


def _type_lookup(ctx: Context) -> dict[str, str]:
    known = {}
    for st in site_service.site_types(ctx):
        known[st.code.casefold()] = st.code
        for lang in CATALOGUES:
            known[site_service.site_type_name(st.code, st.names, lang).strip().casefold()] = st.code
    return known


def _office_lookup() -> dict[str, str]:
    known = {}
    for office in catalog.OFFICES:
        known[office.code.casefold()] = office.code
        for words in CATALOGUES.values():
            for key in (f"office.{office.code}", f"desk.office_short.{office.code}"):
                if words.get(key):
                    known[words[key].strip().casefold()] = office.code
    return known


def _problem(row: int, column: str, code: str, message: str) -> dict:
    return {"row": row, "column": column, "code": code, "message": message}


def read(ctx: Context, data: bytes, lang: str) -> tuple[list[tuple[int, dict]], list[dict]]:
    """The file's rows as checked site fields with their row numbers, and the problems of the rows that are
    not (each ``{"row", "column", "code", "message"}``, the message in ``lang``)."""
    book = _open(data)
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            raise SiteImportNotXlsx()
        rows = _rows(sheet)
        try:
            _, header_cells = next(rows)
        except StopIteration:
            raise SiteImportHeadersMissing(missing="、".join(column_name(c, TEMPLATE_LANG) for c in NEEDED)) from None
        where = _header(header_cells)
        kinds, offices = _type_lookup(ctx), _office_lookup()
        known_types = set(kinds.values())
        good, problems = [], []
        for number, cells in rows:
            try:
                raw = {column: _value(cells, where.get(column), column) for column in COLUMNS}
            except _Refused as refused:
                problems.append(_problem(number, refused.column, refused.code, t(refused.code, lang)))
                continue
            fields = {FIELD_OF[c]: raw[c] for c in COLUMNS}
            fields["kind"] = _lookup(raw["type"], kinds)
            fields["office_code"] = _lookup(raw["office"], offices)
            try:
                good.append((number, rules.checked_site(fields, known_types)))
            except InspectorError as error:
                field = str(error.details.get("field", "")) or ("type" if "site_type" in error.details else
                                                                "office" if "office" in error.details else "")
                problems.append(_problem(number, COLUMN_OF.get(field, field), error.code, error_message(error, lang)))
    finally:
        book.close()
    return good, problems


def import_sites(ctx: Context, actor: Actor, data: bytes, lang: str,
                 progress: ProgressFn | None = None) -> ImportResult:
    """An admin imports a register file: every row good, or nothing written (``SiteImportRowsInvalid``).

    ``progress(done, total)`` is told each row written, once every row has been checked (``total`` the rows).
    """
    site_service.require_admin(actor, "sites.import")
    good, problems = read(ctx, data, lang)
    if not good and not problems:
        raise SiteImportEmpty()
    seen: dict[str, int] = {}
    for number, fields in good:
        if fields["name"] in seen:
            problems.append(_problem(number, "name", "sites.import.duplicate",
                                     t("sites.import.duplicate", lang, other=seen[fields["name"]])))
        seen.setdefault(fields["name"], number)
    with write_session(ctx.engine) as session:
        type_codes = type_store.codes(session)
        existing = {s.name: s for s in site_store.named(session, seen)}
        for number, fields in good:
            other = existing.get(fields["name"])
            if other is not None and other.kind != fields["kind"]:
                kind = site_service.site_type_name(other.kind, {}, lang)
                problems.append(_problem(number, "name", "sites.import.name_taken",
                                         t("sites.import.name_taken", lang, kind=kind)))
        if problems:
            problems.sort(key=lambda p: (p["row"], COLUMNS.index(p["column"]) if p["column"] in COLUMNS else 9))
            raise SiteImportRowsInvalid(count=len({p["row"] for p in problems}), rows=problems)
        added, updated = [], []
        steps = Steps(progress, len(good))
        for _, fields in good:
            rules.checked_site(fields, type_codes)  # the types may have changed since the file was read
            other = existing.get(fields["name"])
            if other is None:
                site_store.add_site(session, SitePublic(id=str(uuid6.uuid7()), active=True, **fields))
                added.append(fields["name"])
            else:
                site_store.update_site(session, other.id, active=True, **fields)
                updated.append(fields["name"])
            steps.tick()
    return ImportResult(added=tuple(added), updated=tuple(updated))
