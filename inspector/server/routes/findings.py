"""The technical assessment's findings: their XLSX import and template, and the re-check pack (复核材料)."""

import json
from typing import Annotated
from urllib.parse import quote

import anyio.to_thread
from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from inspector import reports
from inspector.domain.imports import MAX_BYTES
from inspector.domain.permissions import Actor
from inspector.domain.roles import Role
from inspector.errors import BodyTooLarge, FindingsAdminOnly, InvalidRequest
from inspector.server.deps import MAX_WORD, ActorDep, ContextDep, LangDep, PlainParameters
from inspector.server.errors import AUTHENTICATED, WITH_BODY, error_responses
from inspector.services import findings
from inspector.services.xlsx_rows import XLSX_MEDIA_TYPE

router = APIRouter(dependencies=[PlainParameters], responses=error_responses(*AUTHENTICATED))
OfficeQuery = Annotated[str | None, Query(max_length=MAX_WORD,
                                          description="an office's code; office staff always get their own")]
MappingQuery = Annotated[str | None, Query(
    max_length=2000, description='JSON: the unknown values mapped to codes, {"office": {"建管处": '
                                   '"construction"}, "category": {"": "site_garbage"}} ("" is a blank cell)')]
_MAPPING = TypeAdapter(dict[str, dict[Annotated[str, Field(max_length=200)], Annotated[str, Field(max_length=40)]]])
FORBIDDEN = {403: {"description": "not a supervisor or admin, nor staff of the office asked for"}}


class UnknownOut(BaseModel):
    column: str = Field(description="category or office")
    value: str = Field(description="as written in the file; \"\" for a blank cell")
    rows: list[int] = Field(description="the rows that give it (Excel's numbers)")


class ImportOut(BaseModel):
    status: str = Field(description="imported, nothing_new (every finding was imported before) or needs_mapping "
                                    "(nothing written: map the unknown values and send the file again)")
    rows: int = Field(description="data rows read")
    imported: list[str] = Field(description="finding numbers imported now")
    already: list[str] = Field(description="finding numbers imported before, skipped")
    unknown: list[UnknownOut]


def _mapping(text: str | None) -> dict | None:
    if not text:
        return None
    try:
        return _MAPPING.validate_python(json.loads(text))
    except (ValueError, ValidationError):
        raise InvalidRequest(problem='mapping must be JSON like {"office": {"value": "code"}}') from None


def _download(data: bytes, media_type: str, filename: str, count: int | None = None) -> Response:
    headers = {"Content-Disposition": f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(filename)}"}
    if count is not None:
        headers["X-Item-Count"] = str(count)
    return Response(data, media_type=media_type, headers=headers)


def _require_admin(actor: Actor) -> None:
    if actor.role != Role.ADMIN:
        raise FindingsAdminOnly()


@router.post("/api/findings/import", tags=["findings"], response_model=ImportOut,
             responses={403: {"description": "only admins import findings"}, **error_responses(*WITH_BODY),
                        422: {"description": "not an XLSX, columns missing, too many rows, a bad mapping, or bad "
                                             "rows (details.rows: row, column, problem, value); nothing written"}},
             openapi_extra={"requestBody": {"content": {XLSX_MEDIA_TYPE: {"schema": {
                 "type": "string", "format": "binary"}}}, "required": True}})
async def import_findings(request: Request, actor: ActorDep, ctx: ContextDep, lang: LangDep,
                          mapping: MappingQuery = None) -> ImportOut:
    """Import the assessment's findings list from an XLSX body (admins; at most 10 MB and 5000 rows): every
    row good, or nothing written. Unknown categories or offices come back to be mapped (``mapping``)."""
    _require_admin(actor)  # before a byte of the body is read
    chosen = _mapping(mapping)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BYTES:
            raise BodyTooLarge(size_kb=size // 1024, limit_kb=MAX_BYTES // 1024)
        chunks.append(chunk)
    result = await anyio.to_thread.run_sync(findings.import_findings, ctx, actor, b"".join(chunks), chosen, lang)
    return ImportOut(status=result.status, rows=result.rows, imported=result.imported, already=result.already,
                     unknown=[UnknownOut(**u.as_dict()) for u in result.unknown])


@router.get("/api/findings/template.xlsx", tags=["findings"], response_class=Response,
            responses={200: {"content": {XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
                             "description": "the list's headers, two example rows, a sheet of the codes"}})
def template(_actor: ActorDep, lang: LangDep) -> Response:
    """The findings list's XLSX template, headed in the request's language (both are accepted on import)."""
    return _download(findings.template(lang), XLSX_MEDIA_TYPE, "findings-template.xlsx")


def _pack(ctx, actor, lang, fmt: str, office: str | None) -> Response:
    rendered = reports.render_recheck(ctx, actor, fmt, office or None, lang)
    return _download(rendered.data, rendered.media_type, rendered.filename, rendered.item_count)


@router.get("/api/reports/recheck.pdf", tags=["reports"], response_class=Response,
            responses={200: {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
                             "description": "per finding: number, text, office, status, dates, before/after "
                                            "thumbnails with their evidence. X-Item-Count: findings in it."},
                       **FORBIDDEN})
def recheck_pdf(actor: ActorDep, ctx: ContextDep, lang: LangDep, office: OfficeQuery = None):
    """The re-check pack (复核材料) of an office's findings, or of all, as a printable PDF."""
    return _pack(ctx, actor, lang, "pdf", office)


@router.get("/api/reports/recheck.xlsx", tags=["reports"], response_class=Response,
            responses={200: {"content": {XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
                             "description": "one row per finding; photo hashes, links and evidence instead of "
                                            "images"}, **FORBIDDEN})
def recheck_xlsx(actor: ActorDep, ctx: ContextDep, lang: LangDep, office: OfficeQuery = None):
    """The re-check pack as an Excel workbook, one row per finding."""
    return _pack(ctx, actor, lang, "xlsx", office)
