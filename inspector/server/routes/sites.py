"""The site register: register and edit sites, site types, the XLSX template, export and import, the QR sheet.

Everyone logged in reads (``GET /api/sites`` and the nearest site stay with the
catalogue); only admins write, anyone else is answered 403 ``sites.admin_only``.
"""

from typing import Annotated
from urllib.parse import quote

import anyio.to_thread
from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from inspector.domain import sites as rules
from inspector.errors import SiteImportTooLarge
from inspector.i18n import LANGUAGES
from inspector.reports import site_qr
from inspector.server.deps import MAX_WORD, ActorDep, ContextDep, LangDep, PlainParameters
from inspector.server.errors import AUTHENTICATED, WITH_BODY, error_responses
from inspector.services import site_import
from inspector.services import sites as site_service
from inspector.store.public import SitePublic
from inspector.sync.site_types import SiteTypeOut, SiteTypesOut

router = APIRouter(prefix="/api", tags=["sites"], dependencies=[PlainParameters],
                   responses=error_responses(*AUTHENTICATED))
ADMIN_ONLY = {403: {"description": "only admins change the register (sites.admin_only)"}}
MB = 1024 * 1024


class SiteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=rules.NAME_MAX)
    kind: str = Field(max_length=rules.TYPE_CODE_MAX, description="a site type's code (GET /api/site-types)")
    office_code: str = Field(max_length=MAX_WORD, description="the responsible office's code")
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    address: str = Field("", max_length=rules.ADDRESS_MAX)
    contact: str = Field("", max_length=rules.CONTACT_MAX)


class SitePatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(None, max_length=rules.NAME_MAX)
    kind: str | None = Field(None, max_length=rules.TYPE_CODE_MAX)
    office_code: str | None = Field(None, max_length=MAX_WORD)
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    address: str | None = Field(None, max_length=rules.ADDRESS_MAX)
    contact: str | None = Field(None, max_length=rules.CONTACT_MAX)
    active: bool | None = Field(None, description="false retires the site (off the phones' lists), true restores it")


class SiteTypeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(max_length=rules.TYPE_CODE_MAX, description="lower-case letters, digits and _, a letter first")
    names: dict[str, str] = Field(description='{"zh-CN": ..., "en": ...}', max_length=len(LANGUAGES))


class ImportOut(BaseModel):
    added: list[str] = Field(description="the names of the sites added")
    updated: list[str] = Field(description="the names of the sites updated (same name and type)")


def _types_out(ctx) -> SiteTypesOut:
    return SiteTypesOut(site_types=[
        SiteTypeOut(code=st.code, names={lang: site_service.site_type_name(st.code, st.names, lang)
                                         for lang in LANGUAGES}, shipped=st.code in rules.SHIPPED_TYPES)
        for st in site_service.site_types(ctx)])


def _download(data: bytes, media_type: str, filename: str) -> Response:
    disposition = f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(filename)}"
    return Response(data, media_type=media_type, headers={"Content-Disposition": disposition})


def _binary(media_type: str, what: str) -> dict:
    return {200: {"content": {media_type: {"schema": {"type": "string", "format": "binary"}}}, "description": what}}


@router.post("/sites", response_model=SitePublic, status_code=201,
             responses={**ADMIN_ONLY, **error_responses(*WITH_BODY, 409)})
def register_site(body: SiteIn, actor: ActorDep, ctx: ContextDep) -> SitePublic:
    """Put a site on the register (admins); 409 ``sites.name_taken`` when its name is another site's."""
    return site_service.register(ctx, actor, body.model_dump())


@router.patch("/sites/{site_id}", response_model=SitePublic,
              responses={**ADMIN_ONLY, **error_responses(*WITH_BODY, 404, 409)})
def edit_site(site_id: Annotated[str, Path(max_length=40)], body: SitePatch, actor: ActorDep,
              ctx: ContextDep) -> SitePublic:
    """Change a site's fields (the ones given), retire it (``active: false``) or restore it (admins)."""
    changes = {k: v for k, v in body.model_dump(exclude_unset=True).items() if v is not None}
    return site_service.edit(ctx, actor, site_id, changes)


@router.get("/site-types", response_model=SiteTypesOut)
def list_site_types(_actor: ActorDep, ctx: ContextDep) -> SiteTypesOut:
    """The kinds of site: the four shipped ones, then the ones admins added, each named in both languages."""
    return _types_out(ctx)


@router.post("/site-types", response_model=SiteTypesOut, status_code=201,
             responses={**ADMIN_ONLY, **error_responses(*WITH_BODY, 409)})
def add_site_type(body: SiteTypeIn, actor: ActorDep, ctx: ContextDep) -> SiteTypesOut:
    """Add a kind of site (admins): its code and its names in Chinese and English; answers every type."""
    site_service.add_site_type(ctx, actor, body.code, body.names)
    return _types_out(ctx)


@router.get("/sites/template.xlsx", response_class=Response,
            responses=_binary(site_import.XLSX_TYPE, "the register's headers, an example row, and a sheet of the "
                                                     "type and office codes with their names"))
def template(_actor: ActorDep, ctx: ContextDep) -> Response:
    """The register's XLSX template."""
    return _download(site_import.template(ctx), site_import.XLSX_TYPE, "sites-template.xlsx")


@router.get("/sites/export.xlsx", response_class=Response,
            responses=_binary(site_import.XLSX_TYPE, "the active sites in the template's form"))
def export(_actor: ActorDep, ctx: ContextDep) -> Response:
    """The sites on the register as the template's workbook (it imports back unchanged)."""
    return _download(site_import.export(ctx), site_import.XLSX_TYPE, "sites.xlsx")


@router.post("/sites/import", response_model=ImportOut,
             responses={**ADMIN_ONLY, **error_responses(*WITH_BODY),
                        422: {"description": "not an XLSX, headers missing, too many rows, or bad rows "
                                             "(details.rows: row, column, code, message); nothing written"}},
             openapi_extra={"requestBody": {"content": {site_import.XLSX_TYPE: {"schema": {
                 "type": "string", "format": "binary"}}}, "required": True}})
async def import_sites(request: Request, actor: ActorDep, ctx: ContextDep, lang: LangDep) -> ImportOut:
    """Import the register from an XLSX body (admins, at most 10 MB, 5000 rows): every row good, or none written."""
    site_service.require_admin(actor, "sites.import")  # before a byte of the body is read
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > site_import.MAX_BYTES:
            raise SiteImportTooLarge(size_mb=round(size / MB, 1), limit_mb=site_import.MAX_BYTES // MB)
        chunks.append(chunk)
    result = await anyio.to_thread.run_sync(site_import.import_sites, ctx, actor, b"".join(chunks), lang)
    return ImportOut(added=list(result.added), updated=list(result.updated))


@router.get("/sites/qr.pdf", response_class=Response,
            responses=_binary("application/pdf", "A4 cards, one per active site: the QR code of "
                                                 "<public url>/visit/<site id>, the name, type and office"))
def qr_sheet(request: Request, _actor: ActorDep, ctx: ContextDep, lang: LangDep,
             office: Annotated[str | None, Query(max_length=MAX_WORD, description="an office's code")] = None):
    """The printable QR sheet of the active sites, of one office or all."""
    base = site_service.public_url(ctx, str(request.base_url))
    return _download(site_qr.render(ctx, base, office or None, lang), "application/pdf", site_qr.filename(office))
