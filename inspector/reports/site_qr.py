"""The sites' QR sheet: an A4 PDF of cut-out cards, one per site, to stick up at the site's gate.

Each card holds the QR code of ``<public url>/visit/<site id>`` (the phone's
camera opens the app there, at a new visit of the site; ``domain.sites.
visit_route``), the site's name, type and office, and the link in small print
for a phone without a camera app. The code is drawn as vector squares (segno
makes the matrix), so it prints sharp at any size, and the card is also a
link in the PDF. Text is set in the summary's CJK font (``reports.pdf``).
"""

from dataclasses import dataclass

import segno
from fpdf.enums import WrapMode

from inspector.domain import catalog
from inspector.domain.sites import visit_route
from inspector.errors import UnknownOffice
from inspector.i18n import t
from inspector.reports.pdf import FAMILY, SummaryPDF
from inspector.services import sites as site_service
from inspector.services.context import Context
from inspector.services.progress import ProgressFn, Steps
from inspector.store.public import SitePublic

COLUMNS, ROWS = 3, 4  # cards per page
MARGIN, GAP = 10.0, 4.0  # mm
TITLE_H = 12.0
CARD_H = 60.0
QR_MM = 36.0
QUIET = 1  # modules of white around the code inside its square (the card's margin adds more)
NAME_LINES = 2


@dataclass(frozen=True)
class Card:
    """What one card shows."""

    site_id: str
    name: str
    type_name: str
    office_name: str
    url: str


def link(base_url: str, site_id: str) -> str:
    """The link a site's QR code holds: ``<base_url>/visit/<site_id>``."""
    return base_url.rstrip("/") + visit_route(site_id)


def cards(sites: list[SitePublic], type_names: dict[str, str], base_url: str, lang: str) -> list[Card]:
    """The cards of ``sites``, in their order."""
    return [Card(s.id, s.name, type_names.get(s.kind, s.kind), t(f"office.{s.office_code}", lang),
                 link(base_url, s.id)) for s in sites]


def _qr(pdf: SummaryPDF, url: str, x: float, y: float, size: float) -> None:
    """The QR code of ``url`` as black squares in the ``size`` mm square at ``x``, ``y``."""
    matrix = segno.make(url, error="m", micro=False).matrix
    modules = len(matrix) + 2 * QUIET
    unit = size / modules
    pdf.set_fill_color(0)
    for row, line in enumerate(matrix):
        column = 0
        while column < len(line):
            if not line[column]:
                column += 1
                continue
            start = column
            while column < len(line) and line[column]:
                column += 1  # one rectangle per run of dark modules: a smaller, faster file
            pdf.rect(x + (start + QUIET) * unit, y + (row + QUIET) * unit, (column - start) * unit, unit, style="F")


def _lines(pdf: SummaryPDF, text: str, width: float, most: int) -> list[str]:
    lines = pdf.multi_cell(width, 4.5, text, dry_run=True, output="LINES", wrapmode=WrapMode.CHAR)
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1][:-1] + "…"
    return lines


def _card(pdf: SummaryPDF, card: Card, x: float, y: float, width: float) -> None:
    pdf.set_draw_color(170)
    pdf.set_dash_pattern(dash=1.5, gap=1.5)
    pdf.rect(x, y, width, CARD_H)  # where to cut
    pdf.set_dash_pattern()
    qr_x = x + (width - QR_MM) / 2
    _qr(pdf, card.url, qr_x, y + 2, QR_MM)
    pdf.link(qr_x, y + 2, QR_MM, QR_MM, card.url)
    inner = width - 6
    pdf.set_font(FAMILY, size=10)
    line_y = y + 2 + QR_MM + 1
    for line in _lines(pdf, card.name, inner, NAME_LINES):
        pdf.set_xy(x + 3, line_y)
        pdf.cell(inner, 4.5, line, align="C")
        line_y += 4.5
    pdf.set_font(FAMILY, size=7.5)
    pdf.set_text_color(80)
    pdf.set_xy(x + 3, y + CARD_H - 10)
    pdf.cell(inner, 4, f"{card.type_name} · {card.office_name}", align="C")
    pdf.set_font(FAMILY, size=5.5)
    pdf.set_xy(x + 3, y + CARD_H - 5.5)
    pdf.cell(inner, 3, card.url, align="C")
    pdf.set_text_color(0)


def write_pdf(all_cards: list[Card], title: str, lang: str, steps: Steps | None = None) -> bytes:
    """The sheet: ``title`` on every page, ``COLUMNS`` x ``ROWS`` cards a page (a line when there are none);
    ``steps`` counts each card drawn and the file put together."""
    steps = steps or Steps(None)
    steps.add(len(all_cards) + 1)
    pdf = SummaryPDF(lang, title)
    pdf.set_auto_page_break(False)
    width = (pdf.w - 2 * MARGIN - (COLUMNS - 1) * GAP) / COLUMNS
    per_page = COLUMNS * ROWS
    pages = [all_cards[i:i + per_page] for i in range(0, len(all_cards), per_page)] or [[]]
    for page in pages:
        pdf.add_page()
        pdf.set_xy(MARGIN, MARGIN)
        pdf.set_font(FAMILY, size=13)
        pdf.cell(0, 8, title)
        if not page:
            pdf.set_xy(MARGIN, MARGIN + TITLE_H)
            pdf.set_font(FAMILY, size=10)
            pdf.cell(0, 6, t("sites.qr.none", lang))
        for n, card in enumerate(page):
            row, column = divmod(n, COLUMNS)
            _card(pdf, card, MARGIN + column * (width + GAP), MARGIN + TITLE_H + row * (CARD_H + GAP), width)
            steps.tick()
    data = bytes(pdf.output())
    steps.tick()
    return data


def render(ctx: Context, base_url: str, office: str | None = None, lang: str = "zh-CN",
           progress: ProgressFn | None = None) -> bytes:
    """The QR sheet of the active sites (of ``office``, a code, when given), linking to ``base_url``;
    ``progress(done, total)`` is told each card drawn, then the file put together."""
    if office is not None and office not in {o.code for o in catalog.OFFICES}:
        raise UnknownOffice(office=office)
    sites = site_service.list_sites(ctx, office)
    whose = t(f"office.{office}", lang) if office else t("sites.qr.all_offices", lang)
    title = t("sites.qr.title", lang, whose=whose, count=len(sites))
    return write_pdf(cards(sites, site_service.type_names(ctx, lang), base_url, lang), title, lang,
                     Steps(progress))


def filename(office: str | None) -> str:
    """The sheet's file name: ``site-qr-<office>.pdf`` or ``site-qr.pdf``."""
    return f"site-qr-{office}.pdf" if office else "site-qr.pdf"
