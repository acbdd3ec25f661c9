"""Campaign summaries (小结) as PDF, XLSX and CSV, for the HTTP routes and ``inspector report``.

``render(ctx, actor, fmt, ...)`` checks who may see what (supervisors and
admins: any office or all; office staff and leaders: their own office),
gathers the period's items and scores once (``summary.gather``) and writes
the chosen format (``pdf.write_pdf``, ``sheets.write_xlsx``,
``sheets.write_csv``). ``render_recheck`` does the same for the re-check pack (复核材料) of the
technical assessment's findings (``recheck``, ``recheck_pdf``).
"""

from dataclasses import dataclass
from datetime import date

from inspector.domain.permissions import Actor
from inspector.errors import InvalidRequest
from inspector.i18n import DEFAULT_LANG
from inspector.reports import pdf, recheck, recheck_pdf, sheets, summary
from inspector.services.context import Context
from inspector.services.progress import ProgressFn, Steps

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
FORMATS = tuple(MEDIA_TYPES)


@dataclass(frozen=True)
class Rendered:
    data: bytes
    media_type: str
    filename: str  # ASCII, for Content-Disposition and the CLI's default
    item_count: int
    office: str | None
    first_day: date
    last_day: date


def render(ctx: Context, actor: Actor, fmt: str, office: str | None = None, first_day: date | None = None,
           last_day: date | None = None, lang: str = DEFAULT_LANG, progress: ProgressFn | None = None) -> Rendered:
    """The summary of ``office`` (or every office the actor may see) for the local days given.

    ``progress(done, total)`` is told each step: the items and scores read, each photo pair, each PDF section.
    """
    if fmt not in MEDIA_TYPES:
        raise InvalidRequest(problem=f"format must be one of {', '.join(FORMATS)}")
    steps = Steps(progress, pdf.WRITE_STEPS if fmt == "pdf" else 1)  # the writing counted first: the bar only rises
    s = summary.gather(ctx, actor, office, first_day, last_day, lang, with_photos=fmt == "pdf", steps=steps)
    if fmt == "pdf":
        data = pdf.write_pdf(s, steps)
    else:
        data = {"xlsx": sheets.write_xlsx, "csv": sheets.write_csv}[fmt](s)
    steps.finish()
    name = f"summary-{s.office or 'all'}-{s.period.first_day:%Y%m%d}-{s.period.last_day:%Y%m%d}.{fmt}"
    return Rendered(data=data, media_type=MEDIA_TYPES[fmt], filename=name, item_count=len(s.items),
                    office=s.office, first_day=s.period.first_day, last_day=s.period.last_day)


def render_recheck(ctx: Context, actor: Actor, fmt: str, office: str | None = None,
                   lang: str = DEFAULT_LANG, progress: ProgressFn | None = None) -> Rendered:
    """The re-check pack of ``office`` (or of every office the actor may read) as PDF or XLSX.

    ``progress(done, total)`` is told each finding read (with its photos), then each written to the PDF.
    """
    if fmt not in ("pdf", "xlsx"):
        raise InvalidRequest(problem="format must be one of pdf, xlsx")
    steps = Steps(progress)
    pack = recheck.gather(ctx, actor, office, lang, with_images=fmt == "pdf", steps=steps)
    data = recheck_pdf.write_pdf(pack, steps) if fmt == "pdf" else recheck.write_xlsx(pack)
    steps.finish()
    day = pack.generated_at.astimezone(pack.zone).date()
    name = f"recheck-{pack.office or 'all'}-{day:%Y%m%d}.{fmt}"
    return Rendered(data=data, media_type=MEDIA_TYPES[fmt], filename=name, item_count=len(pack.lines),
                    office=pack.office, first_day=day, last_day=day)
