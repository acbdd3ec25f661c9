"""The summary as a printable PDF (A4): facts, the scoreboard with its formula, the visits (per office and per
site), before/after photos, overdue items.

Chinese text is set in the bundled TrueType cut of Noto Sans SC with every
CJK ideograph of GB18030 (``assets/fonts/NotoSansSC-Full.ttf.br`` unpacked by ``inspector.fonts``, see the fonts' README
for why TrueType): fpdf2 embeds only the glyphs used, so a report stays small.
"""

import io
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import TextEmphasis, WrapMode, XPos, YPos
from fpdf.fonts import FontFace
from PIL import Image

from inspector.domain.items import STATUSES
from inspector.fonts import full_font
from inspector.i18n import t
from inspector.reports.sheets import SCORE_COLUMNS, score_heading, score_rows
from inspector.reports.summary import Summary, office_visits, site_visits
from inspector.services.progress import Steps

WRITE_STEPS = 6  # the summary PDF's five sections and the file

FAMILY = "NotoSansSC"
MAX_OVERDUE_LINES = 60
MAX_SITE_LINES = 60
HEAD = FontFace(emphasis=TextEmphasis.NONE, fill_color=(221, 235, 247))
PAIR_WIDTH = 86  # mm, each photo of a pair
SCORE_TABLE = ("office", "assigned", "closed", "on_time_rate", "rework_rate", "rebound_rate", "overdue",
               "avg_days_to_fix", "spot_agreement", "score", "rank")


class SummaryPDF(FPDF):
    def __init__(self, lang: str, footer_text: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.lang, self.footer_text = lang, footer_text
        self.set_auto_page_break(True, margin=16)
        self.add_font(FAMILY, "", str(full_font()))
        self.set_font(FAMILY, size=10)
        self.set_lang("zh-CN" if lang == "zh-CN" else "en")

    def footer(self):
        self.set_y(-12)
        self.set_font(FAMILY, size=8)
        self.set_text_color(120)
        self.cell(0, 6, f"{self.footer_text}    {t('report.page', self.lang, page=self.page_no())}", align="C")
        self.set_text_color(0)

    def heading(self, text: str) -> None:
        if self.get_y() > self.page_break_trigger - 30:
            self.add_page()
        self.ln(3)
        self.set_font(FAMILY, size=13)
        self.cell(0, 8, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(90, 130, 180)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.set_draw_color(0)
        self.ln(2)
        self.set_font(FAMILY, size=10)

    def paragraph(self, text: str, size: float = 10) -> None:
        self.set_font(FAMILY, size=size)
        self.multi_cell(0, size * 0.55, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=WrapMode.CHAR)
        self.set_font(FAMILY, size=10)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _cell(key: str, value) -> str:
    if value is None:
        return "—"
    if key in ("on_time_rate", "rework_rate", "rebound_rate", "spot_agreement"):
        return _percent(value)
    if key in ("avg_days_to_fix", "score"):
        return f"{value:.1f}"
    return str(value)


def _facts(pdf: SummaryPDF, s: Summary) -> None:
    lang = s.lang
    pdf.heading(t("report.section.facts", lang))
    overdue = sum(1 for line in s.items if line.overdue)
    pdf.paragraph(t("report.item_count", lang, count=len(s.items)) + "    "
                  + t("report.overdue_count", lang, count=overdue))
    counts = {status: 0 for status in STATUSES}
    for line in s.items:
        counts[line.status] = counts.get(line.status, 0) + 1
    parts = [f"{t(f'status.{status}', lang)} {n}" for status, n in counts.items() if n]
    if parts:
        pdf.paragraph(t("report.by_status", lang) + "，".join(parts) if lang == "zh-CN"
                      else t("report.by_status", lang) + ", ".join(parts))
    if len(s.offices) > 1:
        per_office = {o: 0 for o in s.offices}
        for line in s.items:
            per_office[line.office] = per_office.get(line.office, 0) + 1
        sep = "，" if lang == "zh-CN" else ", "
        pdf.paragraph(t("report.by_office", lang) + sep.join(
            f"{t(f'office.{o}', lang)} {n}" for o, n in per_office.items()))


def _scoreboard(pdf: SummaryPDF, s: Summary) -> None:
    lang = s.lang
    pdf.heading(t("report.section.scores", lang))
    index = {key: i for i, key in enumerate(SCORE_COLUMNS)}
    widths = (34, 13, 13, 17, 15, 15, 13, 17, 17, 15, 11)
    pdf.set_font(FAMILY, size=8.5)
    with pdf.table(col_widths=widths, width=sum(widths), headings_style=HEAD, text_align="CENTER",
                   line_height=4.6, wrapmode=WrapMode.CHAR, padding=1) as table:
        head = table.row()
        for key in SCORE_TABLE:
            head.cell(score_heading(key, lang))
        for values in score_rows(s):
            row = table.row()
            for key in SCORE_TABLE:
                row.cell(_cell(key, values[index[key]]))
    pdf.set_font(FAMILY, size=10)
    pdf.ln(2)
    pdf.paragraph(t("score.formula", lang) + "：" + s.scores.formula_text, size=9)
    redistributed = sorted({text for office, text in s.scores.office_formula.items()
                            if text != s.scores.formula_text and text != "—"})
    for text in redistributed:
        pdf.paragraph(t("score.formula_in_force", lang) + "：" + text, size=8)
    pdf.paragraph(t("score.on_time_rule", lang), size=8)
    pdf.paragraph(t("score.redistribution_rule", lang), size=8)


def _visits(pdf: SummaryPDF, s: Summary) -> None:
    lang = s.lang
    pdf.heading(t("report.section.visits", lang))
    sites = site_visits(s)
    if not sites:
        pdf.paragraph(t("report.visits.none", lang), size=9)
        return
    pdf.paragraph(t("report.visits.by_office", lang), size=10)
    pdf.set_font(FAMILY, size=8.5)
    widths = (46, 22, 26, 26, 24, 24, 22)
    with pdf.table(col_widths=widths, width=sum(widths), headings_style=HEAD, text_align="CENTER",
                   line_height=4.6, wrapmode=WrapMode.CHAR, padding=1) as table:
        head = table.row()
        for key in ("office", "visits", "covered", "due", "coverage", "visit_score", "failed"):
            head.cell(t(f"report.vcol.{key}", lang))
        for line in office_visits(s):
            row = table.row()
            name = t(f"office.{line.office}", lang) if line.office else t("report.all_offices", lang)
            for text in (name, str(line.visits), str(line.covered), str(line.due), _percent(line.coverage),
                         _percent(line.visit_score), str(line.failed)):
                row.cell(text)
    pdf.set_font(FAMILY, size=10)
    pdf.ln(2)
    pdf.paragraph(t("report.visits.by_site", lang), size=10)
    pdf.set_font(FAMILY, size=8.5)
    widths = (46, 34, 18, 26, 22, 22, 22)
    with pdf.table(col_widths=widths, width=sum(widths), headings_style=HEAD, text_align="CENTER",
                   line_height=4.6, wrapmode=WrapMode.CHAR, padding=1) as table:
        head = table.row()
        for key in ("site", "office", "visits", "last_visit", "visit_score", "coverage", "failed"):
            head.cell(t(f"report.vcol.{key}", lang))
        for line in sites[:MAX_SITE_LINES]:
            row = table.row()
            coverage = _percent(line.covered / line.due) if line.due else "—"
            for text in (line.name, t(f"office.{line.office}", lang), str(line.visits),
                         line.last_visit.isoformat() if line.last_visit else "—", _percent(line.visit_score),
                         coverage, str(line.failed)):
                row.cell(text)
    pdf.set_font(FAMILY, size=10)
    if len(sites) > MAX_SITE_LINES:
        pdf.paragraph(t("report.visits.more_sites", lang, count=len(sites) - MAX_SITE_LINES), size=9)
    pdf.ln(1)
    pdf.paragraph(t("score.coverage_rule", lang), size=8)
    pdf.paragraph(t("score.visit_score_rule", lang), size=8)


def _size(jpeg: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(jpeg)) as image:
        return image.size


def _pairs(pdf: SummaryPDF, s: Summary) -> None:
    if not s.pairs:
        return
    lang = s.lang
    pdf.heading(t("report.section.photos", lang))
    for pair in s.pairs:
        line = pair.item
        heights = [PAIR_WIDTH * h / max(w, 1) for w, h in (_size(pair.before), _size(pair.after))]
        height = max(heights)
        if pdf.get_y() + height + 14 > pdf.page_break_trigger:
            pdf.add_page()
        caption = " · ".join(x for x in (line.number or "", t(f"category.{line.category}", lang),
                                          t(f"office.{line.office}", lang), line.site or "") if x)
        pdf.set_font(FAMILY, size=9)
        pdf.cell(0, 5, caption, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        top = pdf.get_y()
        for n, (label, data) in enumerate(((t("report.before", lang), pair.before),
                                           (t("report.after", lang), pair.after))):
            x = pdf.l_margin + n * (PAIR_WIDTH + 6)
            pdf.image(io.BytesIO(data), x=x, y=top, w=PAIR_WIDTH)
            pdf.set_xy(x, top + heights[n])
            pdf.cell(PAIR_WIDTH, 5, label, align="C")
        pdf.set_xy(pdf.l_margin, top + height + 7)
    pdf.set_font(FAMILY, size=10)


def _overdue(pdf: SummaryPDF, s: Summary) -> None:
    lines = sorted((line for line in s.items if line.overdue), key=lambda line: line.deadline)
    if not lines:
        return
    lang = s.lang
    pdf.heading(t("report.section.overdue", lang))
    pdf.set_font(FAMILY, size=8.5)
    widths = (28, 40, 34, 42, 28, 18)
    with pdf.table(col_widths=widths, width=sum(widths), headings_style=HEAD, text_align="LEFT",
                   line_height=4.6, wrapmode=WrapMode.CHAR, padding=1) as table:
        head = table.row()
        for key in ("number", "category", "office", "site", "deadline", "leader"):
            head.cell(t(f"report.col.{key}", lang))
        for line in lines[:MAX_OVERDUE_LINES]:
            row = table.row()
            deadline = s.local(line.deadline)
            for text in (line.number or "", t(f"category.{line.category}", lang), t(f"office.{line.office}", lang),
                         line.site or "", deadline.strftime("%Y-%m-%d") if deadline else "", line.leader or ""):
                row.cell(text)
    pdf.set_font(FAMILY, size=10)
    if len(lines) > MAX_OVERDUE_LINES:
        pdf.paragraph(t("report.more_overdue", lang, count=len(lines) - MAX_OVERDUE_LINES), size=9)


def write_pdf(summary: Summary, steps: Steps | None = None) -> bytes:
    """The summary as PDF bytes; ``steps`` is told each section written and the file put together
    (``WRITE_STEPS``, which the caller counted in its total)."""
    s, lang = summary, summary.lang
    steps = steps or Steps(None)
    sections = (_facts, _scoreboard, _visits, _pairs, _overdue)
    period = t("report.period", lang, first=s.period.first_day.isoformat(), last=s.period.last_day.isoformat())
    pdf = SummaryPDF(lang, f"{t('report.title', lang)} · {s.office_name} · {period}")
    pdf.set_title(f"{t('report.title', lang)} - {s.office_name}")
    pdf.set_creator("Inspector 创卫巡查")
    pdf.add_page()
    pdf.set_font(FAMILY, size=18)
    pdf.cell(0, 11, t("report.title", lang), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, size=11)
    pdf.cell(0, 7, f"{t('report.office', lang)}：{s.office_name}", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.cell(0, 7, period, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    generated = s.generated_at.astimezone(s.zone).strftime("%Y-%m-%d %H:%M")
    pdf.set_font(FAMILY, size=8)
    pdf.cell(0, 5, t("report.generated_at", lang, time=generated), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for section in sections:
        section(pdf, s)
        steps.tick()
    data = bytes(pdf.output())
    steps.tick()
    return data
