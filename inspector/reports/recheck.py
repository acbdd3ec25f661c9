"""The re-check pack (复核材料): every technical assessment finding and what was done about it.

For the province's re-check (复核验收), per office or for all: per finding the
assessment's own number and text, the before and after photos with their
evidence facts (camera, device and server time, where each was taken and how
far from the item: ``services.evidence``), the status and the dates (reported,
assigned, deadline, fixed, verified). As a PDF with the photos' thumbnails
(``recheck_pdf``) and as an XLSX of the same, one row per finding, photo
hashes and links instead of images. Supervisors and admins make it for any
office or all, office staff and leaders for their own office.
"""

import io
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from inspector.domain.figures import readable_offices
from inspector.domain.findings import sort_key
from inspector.domain.items import ItemState
from inspector.domain.lifecycle import PhotoRole
from inspector.domain.permissions import Actor
from inspector.domain.text import scrub
from inspector.errors import InspectorError
from inspector.i18n import DEFAULT_LANG, t
from inspector.reports.sheets import FORMULA_STARTS, TIME_FORMAT
from inspector.services import photos
from inspector.services.context import Context
from inspector.services.evidence import PhotoEvidence, item_evidence
from inspector.services.progress import Steps
from inspector.store import findings as store
from inspector.store import photos as photo_store
from inspector.store import users
from inspector.store.engine import read_session

log = logging.getLogger(__name__)
MAX_SHOTS = 3  # photos of each side printed per finding; the XLSX lists every one
BEFORE_ROLES = (PhotoRole.BEFORE, PhotoRole.EVIDENCE)
XLSX_COLUMNS: dict[str, int] = {
    "finding": 12, "text": 44, "office": 16, "status": 10, "reported_at": 17, "assigned_at": 17,
    "deadline": 17, "fixed_at": 17, "verified_at": 17, "number": 15, "before": 48, "after": 48,
}


@dataclass(frozen=True)
class Shot:
    """One photo with its evidence facts, and its thumbnail (``None`` when the store could not give it)."""

    evidence: PhotoEvidence
    thumb: bytes | None


@dataclass(frozen=True)
class FindingLine:
    item: ItemState
    before: list[Shot]
    after: list[Shot]  # the photos of the fix the item holds now


@dataclass(frozen=True)
class Pack:
    lang: str
    office: str | None  # None: every office the reader may see
    generated_at: datetime
    zone: Any
    lines: list[FindingLine]

    def local(self, when: datetime | None) -> datetime | None:
        """A stored UTC time as a naive local time (what spreadsheets hold)."""
        return None if when is None else when.astimezone(self.zone).replace(tzinfo=None)

    def shown(self, when: datetime | None) -> str:
        return "—" if when is None else when.astimezone(self.zone).strftime("%Y-%m-%d %H:%M")

    @property
    def office_name(self) -> str:
        return t(f"office.{self.office}", self.lang) if self.office else t("report.all_offices", self.lang)


def _thumb(ctx: Context, actor: Actor, sha: str, with_images: bool) -> bytes | None:
    if not with_images:
        return None
    try:
        return photos.photo_bytes(ctx, actor, sha, "thumb")
    except (InspectorError, OSError) as error:  # a photo not (yet) in the blob store: its facts still print
        log.warning("re-check photo %s left out: %s", sha, error)
        return None


def gather(ctx: Context, actor: Actor, office: str | None = None, lang: str = DEFAULT_LANG,
           with_images: bool = True, steps: Steps | None = None) -> Pack:
    """Every finding of ``office`` (or of every office ``actor`` may read), by number, with its photos;
    ``steps`` counts each finding read (its thumbnails are the slow part), and counts in its total the
    steps of writing: each finding and the file for the PDF (``with_images``), the workbook at once."""
    steps = steps or Steps(None)
    offices = readable_offices(actor, office, action="recheck")
    if actor.is_office:
        office = actor.office
    with read_session(ctx.engine) as session:
        items = store.finding_items(session, offices)
        logs = store.logs_of(session, [item.id for item in items])
        shas = {sha for events in logs.values() for e in events for sha in (e.payload or {}).get("photos") or ()}
        facts = {p.sha256: p for p in photo_store.photos(session, shas)}
        names = users.display_names(session, {e.actor_id for events in logs.values() for e in events})
    lines = []
    steps.add(2 * len(items) + 1 if with_images else len(items) + 1)  # known now: the bar need never go back
    for item in sorted(items, key=lambda i: (sort_key(i.finding_number), i.id)):
        evidence = item_evidence(ctx, item, logs[item.id], facts, names)
        before = [e for e in evidence if e.role in BEFORE_ROLES]
        after = [e for e in evidence if e.role == PhotoRole.AFTER and e.sha256 in item.fix_photos]
        lines.append(FindingLine(
            item,
            [Shot(e, _thumb(ctx, actor, e.sha256, with_images and n < MAX_SHOTS)) for n, e in enumerate(before)],
            [Shot(e, _thumb(ctx, actor, e.sha256, with_images and n < MAX_SHOTS)) for n, e in enumerate(after)]))
        steps.tick()
    return Pack(lang=lang, office=office, generated_at=ctx.now(), zone=ctx.settings.zone, lines=lines)


def facts_line(pack: Pack, e: PhotoEvidence) -> str:
    """A photo's evidence in one line: camera, device and server time, where, how far, what is flagged."""
    lang = pack.lang
    parts = [f"{t('recheck.camera_time', lang)} {pack.shown(e.camera_time)}",
             f"{t('recheck.device_time', lang)} {pack.shown(e.device_time)}",
             f"{t('recheck.server_time', lang)} {pack.shown(e.server_time)}"]
    if e.photo_lat is not None and e.photo_lon is not None:
        parts.append(f"GPS {e.photo_lat:.6f}, {e.photo_lon:.6f}")
    else:
        parts.append(t("recheck.no_position", lang))
    if e.distance_m is not None:
        parts.append(t("recheck.distance", lang, metres=f"{e.distance_m:.0f}"))
    flags = [t("recheck.flag.time", lang)] if e.time_flagged else []
    flags += [t("recheck.flag.distance", lang)] if e.distance_flagged else []
    flags += [t(f"recheck.flag.{flag}", lang) for flag in e.location_flags]
    if flags:
        parts.append(t("recheck.flagged", lang) + ("，".join(flags) if lang == "zh-CN" else ", ".join(flags)))
    return " · ".join(parts)


def _photo_cell(pack: Pack, shots: list[Shot]) -> str:
    return "\n".join(f"{s.evidence.sha256} /api/photos/{s.evidence.sha256}?variant=display — "
                     f"{facts_line(pack, s.evidence)}" for s in shots)


def xlsx_row(pack: Pack, line: FindingLine) -> list:
    """One finding as cell values (naive local datetimes, names people read)."""
    item, lang, local = line.item, pack.lang, pack.local
    return [item.finding_number or "", item.description, t(f"office.{item.office}", lang),
            t(f"status.{item.status}", lang), local(item.reported_at), local(item.assigned_at), local(item.deadline),
            local(item.fix_submitted_at), local(item.verified_at), item.number or "",
            _photo_cell(pack, line.before), _photo_cell(pack, line.after)]


def write_xlsx(pack: Pack) -> bytes:
    """The pack as one sheet, one row per finding. Text is data, never a formula: every text cell is a
    string, with Excel's quote prefix when it starts like one (as the summary's sheets do)."""
    lang = pack.lang
    book = Workbook()
    sheet = book.active
    sheet.title = t("recheck.sheet", lang)[:31]
    sheet.append([t(f"recheck.col.{key}", lang) for key in XLSX_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for line in pack.lines:
        sheet.append(xlsx_row(pack, line))
    for n, width in enumerate(XLSX_COLUMNS.values(), start=1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, datetime):
                cell.number_format = TIME_FORMAT
            elif isinstance(cell.value, str):
                cell.value, cell.data_type = scrub(cell.value), "s"
                cell.quotePrefix = cell.value.startswith(FORMULA_STARTS)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
