"""Reports: the campaign summary (小结) as PDF, XLSX or CSV; information reporting (信息报送)."""

from datetime import date, datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from inspector import reports
from inspector.i18n import t
from inspector.server.deps import MAX_WORD, ActorDep, BodyDay, ContextDep, LangDep, PlainParameters, day_query
from inspector.server.errors import AUTHENTICATED, WITH_BODY, error_responses
from inspector.server.shapes import model_of
from inspector.services import info_reports

router = APIRouter(dependencies=[PlainParameters], responses=error_responses(*AUTHENTICATED))

OfficeQuery = Annotated[str | None, Query(max_length=MAX_WORD,
                                          description="an office's code; office staff always get their own")]
FromQuery = Annotated[date | None, day_query("first local day (items reported from); default: the first item",
                                             alias="from")]
ToQuery = Annotated[date | None, day_query("last local day, included; default: today")]
FORBIDDEN = {403: {"description": "not a supervisor or admin, nor staff of the office asked for"}}


def _file(ctx, actor, lang, fmt: str, office, first_day, last_day) -> Response:
    rendered = reports.render(ctx, actor, fmt, office or None, first_day, last_day, lang)
    disposition = f"attachment; filename=\"{rendered.filename}\"; filename*=UTF-8''{quote(rendered.filename)}"
    return Response(rendered.data, media_type=rendered.media_type,
                    headers={"Content-Disposition": disposition, "X-Item-Count": str(rendered.item_count)})


def _binary(media_type: str, what: str) -> dict:
    return {200: {"content": {media_type: {"schema": {"type": "string", "format": "binary"}}}, "description": what},
            **FORBIDDEN}


@router.get("/api/reports/summary.pdf", tags=["reports"], response_class=Response,
            responses=_binary("application/pdf", "A4 summary: facts, scoreboard and formula, before/after photos, "
                                                 "overdue items; Chinese text embedded. X-Item-Count: items in it."))
def summary_pdf(actor: ActorDep, ctx: ContextDep, lang: LangDep, office: OfficeQuery = None,
                from_: FromQuery = None, to: ToQuery = None):
    """The campaign summary (小结) of a period and an office (or all) as a printable PDF."""
    return _file(ctx, actor, lang, "pdf", office, from_, to)


@router.get("/api/reports/summary.xlsx", tags=["reports"], response_class=Response,
            responses=_binary(reports.MEDIA_TYPES["xlsx"], "Sheet 1: every item reported in the period with its "
                                                           "facts; sheet 2: the period's scoreboard and formula."))
def summary_xlsx(actor: ActorDep, ctx: ContextDep, lang: LangDep, office: OfficeQuery = None,
                 from_: FromQuery = None, to: ToQuery = None):
    """Every item of the period with its facts, as an Excel workbook."""
    return _file(ctx, actor, lang, "xlsx", office, from_, to)


@router.get("/api/reports/summary.csv", tags=["reports"], response_class=Response,
            responses=_binary("text/csv", "The item rows of the XLSX, UTF-8 with BOM (opens in Excel)."))
def summary_csv(actor: ActorDep, ctx: ContextDep, lang: LangDep, office: OfficeQuery = None,
                from_: FromQuery = None, to: ToQuery = None):
    """Every item of the period with its facts, as CSV."""
    return _file(ctx, actor, lang, "csv", office, from_, to)


# --- information reporting ----------------------------------------------------------------
class ReporterOut(BaseModel):
    user_id: str
    username: str
    display_name: str
    named_at: datetime
    named_by: str


class OfficeReporterOut(BaseModel):
    office: str
    name: str
    reporter: ReporterOut | None = Field(description="null until the office names one")


class ReporterIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=80, description="a staff member or leader of the office")


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    day: BodyDay | None = Field(None, description="the local day reported on; default today; never a future day")
    text: str = Field(min_length=1, max_length=2000)
    photos: list[str] = Field(default_factory=list, max_length=9,
                              description="SHA-256 of photos uploaded first with PUT /api/photos/{sha256}")


# A note's answer has the fields of the service's view of it, and no list of its own.
NoteOut = model_of(info_reports.NoteView, "NoteOut")


class NoteList(BaseModel):
    notes: list[NoteOut]


class BoardRowOut(BaseModel):
    office: str
    name: str
    reported: bool
    reporter: ReporterOut | None
    notes: list[NoteOut]


class BoardOut(BaseModel):
    day: date
    reported: int = Field(description="offices that filed at least one note for the day")
    missing: int = Field(description="offices that have not")
    summary: str = Field(description="the same in words, in the request's language")
    offices: list[BoardRowOut]


def _reporter(view: info_reports.ReporterView | None) -> ReporterOut | None:
    if view is None:
        return None
    return ReporterOut(user_id=view.user_id, username=view.username, display_name=view.display_name,
                       named_at=view.named_at, named_by=view.named_by)


def _note(view: info_reports.NoteView) -> NoteOut:
    return NoteOut.model_validate(view)


@router.get("/api/info/reporters", tags=["info"], response_model=list[OfficeReporterOut], responses=FORBIDDEN)
def list_reporters(actor: ActorDep, ctx: ContextDep, lang: LangDep) -> list[OfficeReporterOut]:
    """Each office (that the user may see) and the person it named to report progress."""
    named = info_reports.reporters(ctx, actor)
    return [OfficeReporterOut(office=o, name=t(f"office.{o}", lang), reporter=_reporter(r)) for o, r in named.items()]


@router.put("/api/info/reporters/{office}", tags=["info"], response_model=OfficeReporterOut,
            responses={**FORBIDDEN, **error_responses(*WITH_BODY, 404),
                       422: {"description": "unknown office, or the user is not staff of it"}})
def name_reporter(office: str, body: ReporterIn, actor: ActorDep, ctx: ContextDep, lang: LangDep) -> OfficeReporterOut:
    """Name the office's reporter (supervisors and admins for any office, an office leader for their own)."""
    view = info_reports.name_reporter(ctx, actor, office, body.username)
    return OfficeReporterOut(office=office, name=t(f"office.{office}", lang), reporter=_reporter(view))


@router.post("/api/info/notes", tags=["info"], response_model=NoteOut, status_code=201,
             responses={**error_responses(*WITH_BODY),
                        403: {"description": "only the office's named reporter files notes"},
                        422: {"description": "empty text, a future day, or a photo not uploaded"}})
def file_note(body: NoteIn, actor: ActorDep, ctx: ContextDep) -> NoteOut:
    """The office's named reporter files a progress note for a day (text, optional photos)."""
    return _note(info_reports.file_note(ctx, actor, body.text, body.day, body.photos))


@router.get("/api/info/notes", tags=["info"], response_model=NoteList, responses=FORBIDDEN)
def list_notes(actor: ActorDep, ctx: ContextDep, office: OfficeQuery = None,
               from_: Annotated[date | None, day_query("first local day; default today", alias="from")] = None,
               to: Annotated[date | None, day_query("last local day, included; default = from")] = None):
    """Notes filed for a span of days (at most a year), oldest first."""
    first = from_ or ctx.now().astimezone(ctx.settings.zone).date()
    return NoteList(notes=[_note(n) for n in info_reports.notes(ctx, actor, first, to or first, office or None)])


@router.get("/api/info/board", tags=["info"], response_model=BoardOut, responses=FORBIDDEN)
def day_board(actor: ActorDep, ctx: ContextDep, lang: LangDep,
              day: Annotated[date | None, day_query("local day; default today")] = None):
    """For one day: which offices have reported and which have not, with their notes."""
    rows = info_reports.day_board(ctx, actor, day)
    day = day or ctx.now().astimezone(ctx.settings.zone).date()
    done = sum(1 for r in rows if r.reported)
    return BoardOut(
        day=day, reported=done, missing=len(rows) - done,
        summary=t("info.board", lang, day=day.isoformat(), done=done, missing=len(rows) - done),
        offices=[BoardRowOut(office=r.office, name=t(f"office.{r.office}", lang), reported=r.reported,
                             reporter=_reporter(r.reporter), notes=[_note(n) for n in r.notes]) for r in rows],
    )
