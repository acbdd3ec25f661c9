"""The re-check pack (复核材料) as a printable PDF (A4), in the summary's type (``reports.pdf``).

One block per finding: the assessment's number and text, the office, status
and dates, then the before and after photos as thumbnails, each with its
evidence facts underneath (``recheck.facts_line``). A photo the store could
not give prints its facts without the image.
"""

import io

from fpdf.enums import XPos, YPos

from inspector.i18n import t
from inspector.reports.pdf import FAMILY, SummaryPDF, _size
from inspector.reports.recheck import FindingLine, Pack, Shot, facts_line
from inspector.services.progress import Steps

THUMB_W = 40  # mm, each photo
GAP = 4  # mm between photos
PER_ROW = 4  # photos side by side


def _dates(pack: Pack, line: FindingLine) -> str:
    item, lang = line.item, pack.lang
    parts = [(key, getattr(item, field)) for key, field in (
        ("reported_at", "reported_at"), ("assigned_at", "assigned_at"), ("deadline", "deadline"),
        ("fixed_at", "fix_submitted_at"), ("verified_at", "verified_at"))]
    return "    ".join(f"{t(f'recheck.col.{key}', lang)} {pack.shown(when)}" for key, when in parts)


def _shots(pdf: SummaryPDF, pack: Pack, label: str, shots: list[Shot]) -> None:
    lang = pack.lang
    pdf.set_font(FAMILY, size=9)
    if not shots:
        pdf.cell(0, 5, f"{label}{t('recheck.colon', lang)}{t('recheck.no_photos', lang)}",
                 new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        return
    pdf.cell(0, 5, f"{label}{t('recheck.colon', lang)}{t('recheck.photo_count', lang, count=len(shots))}",
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    images = [s for s in shots if s.thumb]
    for start in range(0, len(images), PER_ROW):
        row = images[start:start + PER_ROW]
        heights = [THUMB_W * h / max(w, 1) for w, h in (_size(s.thumb) for s in row)]
        if pdf.get_y() + max(heights) + 4 > pdf.page_break_trigger:
            pdf.add_page()
        top = pdf.get_y()
        for n, shot in enumerate(row):
            pdf.image(io.BytesIO(shot.thumb), x=pdf.l_margin + n * (THUMB_W + GAP), y=top, w=THUMB_W)
        pdf.set_xy(pdf.l_margin, top + max(heights) + 1)
    for n, shot in enumerate(shots, start=1):
        pdf.paragraph(f"{n}. {facts_line(pack, shot.evidence)}", size=7.5)


def _finding(pdf: SummaryPDF, pack: Pack, line: FindingLine) -> None:
    item, lang = line.item, pack.lang
    if pdf.get_y() > pdf.page_break_trigger - 60:
        pdf.add_page()
    pdf.set_draw_color(180)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.set_draw_color(0)
    pdf.ln(1.5)
    pdf.set_font(FAMILY, size=11)
    head = " · ".join(x for x in (f"{t('recheck.col.finding', lang)} {item.finding_number}",
                                   t(f"office.{item.office}", lang), t(f"status.{item.status}", lang),
                                   item.number or "") if x)
    pdf.cell(0, 6, head, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.paragraph(item.description, size=9.5)
    pdf.paragraph(_dates(pack, line), size=8)
    _shots(pdf, pack, t("report.before", lang), line.before)
    _shots(pdf, pack, t("report.after", lang), line.after)
    pdf.ln(2)


def write_pdf(pack: Pack, steps: Steps | None = None) -> bytes:
    """The pack as PDF bytes; ``steps`` is told each finding written and the file put together (``gather``
    counted them in its total)."""
    lang = pack.lang
    steps = steps or Steps(None)
    title = t("recheck.title", lang)
    pdf = SummaryPDF(lang, f"{title} · {pack.office_name}")
    pdf.set_title(f"{title} - {pack.office_name}")
    pdf.set_creator("Inspector 创卫巡查")
    pdf.add_page()
    pdf.set_font(FAMILY, size=18)
    pdf.cell(0, 11, title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, size=11)
    pdf.cell(0, 7, f"{t('report.office', lang)}{t('recheck.colon', lang)}{pack.office_name}", align="C",
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, size=8)
    pdf.cell(0, 5, t("report.generated_at", lang, time=pack.shown(pack.generated_at)), align="C",
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    done = sum(1 for line in pack.lines if line.item.verified_at is not None)
    pdf.paragraph(t("recheck.counts", lang, count=len(pack.lines), verified=done), size=10)
    if not pack.lines:
        pdf.paragraph(t("recheck.none", lang), size=10)
    for line in pack.lines:
        _finding(pdf, pack, line)
        steps.tick()
    data = bytes(pdf.output())
    steps.tick()
    return data
