"""The 通报 (bulletin) of a published month as a printable PDF (A4), in the summary's type and layout.

What it holds, all read from the month's record (``services.exam``), never
from the live figures: the ranking with 末位 flagged (``exam_last_places``
lowest places, ties included: ``domain.scoring.exam.last_places``), each
office's figures and the formula with its numbers, the amendments beside the
figures they changed, and the worst items (``bulletin_worst_items``) with
their before photo and, when there is one, the after photo. Supervisors and
admins make it; an unpublished month has none (``MonthNotPublished``).
"""

import io
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fpdf.enums import WrapMode, XPos, YPos

from inspector.domain import catalog
from inspector.domain.permissions import Actor
from inspector.domain.roles import DECIDERS
from inspector.domain.scoring import SCORED_MEASURES, OfficeScore, Rate
from inspector.domain.scoring.exam import AmendmentStep, WorstItem, last_places, worst_items
from inspector.errors import ExamDecidersOnly, InspectorError, MonthNotPublished
from inspector.i18n import DEFAULT_LANG, t
from inspector.reports.pdf import FAMILY, HEAD, SummaryPDF, _size
from inspector.reports.summary import _shrunk
from inspector.services import exam, photos, scores
from inspector.services.context import Context
from inspector.store.published import FrozenItem

log = logging.getLogger(__name__)
PHOTO_W = 70  # mm, each photo of a worst item
RANK_TABLE = ("rank", "office", "score", "on_time_rate", "rework_rate", "rebound_rate", "spot_agreement", "overdue",
              "note")
RANK_WIDTHS = (12, 42, 16, 20, 16, 16, 20, 14, 34)


@dataclass(frozen=True)
class Worst:
    why: WorstItem
    item: FrozenItem
    before: bytes | None  # JPEG display copies, shrunk
    after: bytes | None


@dataclass(frozen=True)
class Bulletin:
    lang: str
    month: str
    zone: Any
    generated_at: datetime
    view: scores.ScoreboardView  # the published month, amendments applied
    last: frozenset[str]  # offices flagged 末位
    worst: list[Worst]
    numbers: dict[str, str]  # item id -> its number, for the amendments' lines
    last_n: int  # the setting: how many of the lowest places are flagged


@dataclass(frozen=True)
class BulletinFile:
    data: bytes
    filename: str


def _photo(ctx: Context, actor: Actor, sha256: str | None) -> bytes | None:
    if not sha256:
        return None
    try:
        return _shrunk(photos.photo_bytes(ctx, actor, sha256, "display"))
    except (InspectorError, OSError) as error:  # a photo not (yet) in the blob store: printed without it
        log.warning("bulletin photo %s left out: %s", sha256, error)
        return None


def gather(ctx: Context, actor: Actor, month: str, lang: str = DEFAULT_LANG) -> Bulletin:
    """Everything the bulletin of published ``month`` prints."""
    if actor.role not in DECIDERS:
        raise ExamDecidersOnly(action="exam.bulletin", role=actor.role)
    exam.period_of(ctx, month)
    found = exam.published(ctx, month)
    if found is None:
        raise MonthNotPublished(month=month)
    view = scores.published_view(ctx, found, [o.code for o in catalog.OFFICES], lang)
    board = view.board
    worst = worst_items(board, found.record.facts, found.amended.excluded, ctx.settings.bulletin_worst_items)
    ids = {w.id for w in worst} | {s.amendment.item_id for s in view.steps if s.amendment.item_id}
    frozen = exam.frozen_items(ctx, month, ids)
    return Bulletin(
        lang=lang, month=month, zone=ctx.settings.zone, generated_at=ctx.now(), view=view,
        last=last_places(board.offices, ctx.settings.exam_last_places),
        worst=[Worst(w, frozen[w.id], _photo(ctx, actor, frozen[w.id].before_photo),
                     _photo(ctx, actor, frozen[w.id].after_photo)) for w in worst if w.id in frozen],
        numbers={i: f.number or i[:8] for i, f in frozen.items()}, last_n=ctx.settings.exam_last_places,
    )


# --- words and numbers ------------------------------------------------------------------------------
def _colon(lang: str) -> str:
    return "：" if lang == "zh-CN" else ": "


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _rate(rate: Rate) -> str:
    return f"{rate.numerator.value}/{rate.denominator.value} ({_percent(rate.value)})"


def formula_with_numbers(view: scores.ScoreboardView, row: OfficeScore) -> str:
    """E.g. ``100 × (0.5 × 50.0% + 0.25 × (1 − 0.0%) + 0.25 × (1 − 0.0%)) = 75.0``: the weights in force, the
    measures' values, and the score they give (the score as published, before any amendment)."""
    values = {name: _percent(getattr(row, name).value) for name in SCORED_MEASURES}
    if not row.weights:
        return t("score.no_score", view.lang)
    return f"{view.board.formula.text(values, row.weights)} = {_score(row.score)}"


def _note(b: Bulletin, row: OfficeScore) -> str:
    lang, parts = b.lang, []
    if row.office in b.last:
        parts.append(t("bulletin.last_place", lang))
    if b.view.office_steps(row.office):
        parts.append(t("bulletin.amended_from", lang, score=_score(b.view.published_score(row.office))))
    return "；".join(parts) if lang == "zh-CN" else "; ".join(parts)


def amendment_words(step: AmendmentStep, numbers: dict[str, str], lang: str) -> str:
    """``改分 由 75.0 改为 90.0`` or ``剔除 2026-0715-032 由 75.0 改为 100.0``: what changed, the score before and
    after."""
    a = step.amendment
    what = t(f"score.amend.kind.{a.kind}", lang)
    if a.item_id:
        what = f"{what} {numbers.get(a.item_id, a.item_id[:8])}"
    return f"{what} {t('score.amend.from_to', lang, before=_score(step.before), after=_score(step.after))}"


# --- the PDF ------------------------------------------------------------------------------------------
def _ranking(pdf: SummaryPDF, b: Bulletin) -> None:
    lang = b.lang
    pdf.heading(t("bulletin.section.ranking", lang))
    rows = sorted(b.view.board.offices, key=lambda r: (r.rank is None, r.rank or 0, r.office))
    pdf.set_font(FAMILY, size=8.5)
    with pdf.table(col_widths=RANK_WIDTHS, width=sum(RANK_WIDTHS), headings_style=HEAD, text_align="CENTER",
                   line_height=5, wrapmode=WrapMode.CHAR if lang == "zh-CN" else WrapMode.WORD, padding=1) as table:
        head = table.row()
        for key in RANK_TABLE:
            head.cell(t(f"bulletin.col.{key}", lang) if key in ("note", "office") else t(f"score.measure.{key}", lang))
        for row in rows:
            cells = table.row()
            flagged = row.office in b.last
            for key in RANK_TABLE:
                if key == "rank":
                    value = str(row.rank) if row.rank else "—"
                elif key == "office":
                    value = t(f"office.{row.office}", lang)
                elif key == "score":
                    value = _score(row.score)
                elif key == "overdue":
                    value = str(row.overdue.value)
                elif key == "note":
                    value = _note(b, row)
                else:
                    value = _percent(getattr(row, key).value)
                cells.cell(value, style=HEAD if flagged and key in ("rank", "office", "note") else None)
    pdf.set_font(FAMILY, size=10)
    pdf.ln(2)
    pdf.paragraph(t("bulletin.last_rule", lang, count=b.last_n), size=8)


def _offices(pdf: SummaryPDF, b: Bulletin) -> None:
    lang, view = b.lang, b.view
    pdf.heading(t("bulletin.section.offices", lang))
    pdf.paragraph(t("score.formula", lang) + _colon(lang) + view.formula_text, size=9)
    original = {row.office: row for row in (view.original.offices if view.original else ())}
    for row in sorted(view.board.offices, key=lambda r: (r.rank is None, r.rank or 0, r.office)):
        rank = t("bulletin.rank", lang, rank=row.rank) if row.rank else t("score.no_score", lang)
        flag = f"  【{t('bulletin.last_place', lang)}】" if row.office in b.last else ""
        pdf.set_font(FAMILY, size=11)
        pdf.cell(0, 7, f"{t(f'office.{row.office}', lang)}  {_score(row.score)}  {rank}{flag}",
                 new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.paragraph(t("bulletin.figures", lang, assigned=row.assigned.value, closed=row.closed.value,
                        on_time=_rate(row.on_time_rate), rework=_rate(row.rework_rate),
                        rebound=_rate(row.rebound_rate), spot=_rate(row.spot_agreement), overdue=row.overdue.value,
                        days="—" if row.avg_days_to_fix.value is None else f"{row.avg_days_to_fix.value:.1f}"),
                      size=9)
        published = original.get(row.office, row)
        pdf.paragraph(t("bulletin.formula_numbers", lang, formula=formula_with_numbers(view, published)), size=9)
        for step in view.office_steps(row.office):
            a = step.amendment
            pdf.paragraph(t("bulletin.amendment", lang, what=amendment_words(step, b.numbers, lang), reason=a.reason,
                            name=a.by_name, time=a.at.astimezone(b.zone).strftime("%Y-%m-%d %H:%M")), size=9)
        pdf.ln(1.5)


def _worst(pdf: SummaryPDF, b: Bulletin) -> None:
    if not b.worst:
        return
    lang = b.lang
    if pdf.get_y() > pdf.page_break_trigger - 90:  # the heading goes with its first item and photo
        pdf.add_page()
    pdf.heading(t("bulletin.section.worst", lang))
    for w in b.worst:
        item, why = w.item, w.why
        shots = [(t("report.before", lang), w.before), (t("report.after", lang), w.after)]
        shots = [(label, data) for label, data in shots if data]
        heights = [PHOTO_W * h / max(wd, 1) for wd, h in (_size(data) for _, data in shots)]
        if pdf.get_y() + max(heights, default=0) + 20 > pdf.page_break_trigger:
            pdf.add_page()
        caption = " · ".join(x for x in (item.number or "", t(f"category.{item.category}", lang),
                                          t(f"office.{item.office}", lang), item.site_name or "") if x)
        pdf.set_font(FAMILY, size=10)
        pdf.cell(0, 6, caption, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        faults = []
        if why.overdue:
            faults.append(t("bulletin.overdue_days", lang, days=why.overdue_days))
        if why.rebounds:
            faults.append(t("bulletin.rebounds", lang, count=why.rebounds))
        if why.reworks:
            faults.append(t("bulletin.reworks", lang, count=why.reworks))
        if item.leader:
            faults.append(f"{t('report.col.leader', lang)}{_colon(lang)}{item.leader}")
        pdf.paragraph("；".join(faults) if lang == "zh-CN" else "; ".join(faults), size=9)
        top = pdf.get_y()
        for n, ((label, data), height) in enumerate(zip(shots, heights)):
            x = pdf.l_margin + n * (PHOTO_W + 6)
            pdf.image(io.BytesIO(data), x=x, y=top, w=PHOTO_W)
            pdf.set_xy(x, top + height)
            pdf.cell(PHOTO_W, 5, label, align="C")
        pdf.set_xy(pdf.l_margin, top + max(heights, default=0) + (7 if shots else 1))


def write_pdf(b: Bulletin) -> bytes:
    """The bulletin as PDF bytes."""
    lang, view = b.lang, b.view
    title = t("bulletin.title", lang)
    year, month = b.month.split("-")
    when = t("bulletin.month", lang, year=year, month=int(month))
    pdf = SummaryPDF(lang, f"{title} · {when}")
    pdf.set_title(f"{title} {b.month}")
    pdf.set_creator("Inspector 创卫巡查")
    pdf.add_page()
    pdf.set_font(FAMILY, size=18)
    pdf.cell(0, 11, title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, size=12)
    pdf.cell(0, 7, when, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pub = view.publication
    pdf.set_font(FAMILY, size=8)
    if pub is not None:
        pdf.cell(0, 5, t("score.published", lang, time=pub.at.astimezone(b.zone).strftime("%Y-%m-%d %H:%M"),
                         name=pub.by_name), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.cell(0, 5, t("report.generated_at", lang, time=b.generated_at.astimezone(b.zone).strftime("%Y-%m-%d %H:%M")),
             align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _ranking(pdf, b)
    _offices(pdf, b)
    _worst(pdf, b)
    return bytes(pdf.output())


def render(ctx: Context, actor: Actor, month: str, lang: str = DEFAULT_LANG) -> BulletinFile:
    """The bulletin of published ``month`` as a PDF file, with its (ASCII) name."""
    return BulletinFile(write_pdf(gather(ctx, actor, month, lang)), f"bulletin-{month}.pdf")
