"""The QR sheet: one card per active site whose drawn squares are the QR code of its visit link, with its name."""

import io

import segno
from pypdf import PdfReader
from pypdf.generic import ContentStream

from inspector.domain.roles import Role
from inspector.reports import site_qr
from inspector.services import sites
from tests.factories import person

BASE = "https://cw.example.cn/"


def register(ctx, admin, count: int, office: str = "construction") -> list:
    return [sites.register(ctx, admin, {"name": f"第{n:02d}号{office}工地·滨江花园三期安置房建设项目（北区）",
                                        "kind": "construction_site", "office_code": office,
                                        "lat": 30.27 + n / 1000, "lon": 120.15}) for n in range(count)]


def filled_squares(page, reader) -> list[tuple[float, float, float, float]]:
    """Every filled rectangle the page draws, in points from the bottom left: x, y, width, height."""
    squares, pending = [], []
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"re":
            pending.append([float(v) for v in operands])
        elif operator == b"f":
            squares += pending
            pending = []
        elif operator in (b"S", b"n"):
            pending = []
    return squares


def matrix_in(squares, rect, size: int) -> list[list[int]]:
    """The dark modules drawn inside a QR code's square ``rect`` (the link's area), ``size`` modules a side."""
    left, bottom, right, top = (float(v) for v in rect)
    unit = (right - left) / (size + 2 * site_qr.QUIET)
    grid = [[0] * size for _ in range(size)]
    for x, y, w, h in squares:
        x0, y_top = min(x, x + w), max(y, y + h)
        if not (left - 0.5 <= x0 <= right and bottom <= y_top <= top + 0.5):
            continue
        column = round((x0 - left) / unit) - site_qr.QUIET
        row = round((top - y_top) / unit) - site_qr.QUIET
        for c in range(column, column + round(abs(w) / unit)):
            grid[row][c] = 1
    return grid


def test_every_active_site_has_a_card_whose_code_is_its_link(ctx):
    admin = person(ctx, "admin1", Role.ADMIN)
    made = register(ctx, admin, 14)
    sites.set_active(ctx, admin, made[3].id, False)
    other = register(ctx, admin, 1, office="landscaping")[0]
    shown = [s for s in made if s.id != made[3].id] + [other]
    reader = PdfReader(io.BytesIO(site_qr.render(ctx, BASE, None, "zh-CN")))
    assert len(reader.pages) == 2  # 14 cards, 12 a page
    links = {}
    for page in reader.pages:
        squares = filled_squares(page, reader)
        for annotation in page["/Annots"]:
            link = annotation.get_object()
            links[link["/A"]["/URI"]] = link
            expected = segno.make(link["/A"]["/URI"], error="m", micro=False).matrix
            assert matrix_in(squares, link["/Rect"], len(expected)) == [list(row) for row in expected]
    assert sorted(links) == sorted(f"https://cw.example.cn/visit/{s.id}" for s in shown)
    text = "".join(page.extract_text() for page in reader.pages)
    assert "第00号construction工地" in text and "第03号construction工地" not in text  # retired: no card
    assert "建筑工地 · 建筑工程管理处" in text and "全部单位（14 个）" in text


def test_one_offices_sheet_and_an_empty_one(ctx):
    admin = person(ctx, "admin1", Role.ADMIN)
    register(ctx, admin, 2)
    park = register(ctx, admin, 1, office="landscaping")[0]
    reader = PdfReader(io.BytesIO(site_qr.render(ctx, BASE, "landscaping", "en")))
    assert [a.get_object()["/A"]["/URI"] for a in reader.pages[0]["/Annots"]] == \
        [f"https://cw.example.cn/visit/{park.id}"]
    assert "Park or green belt" not in reader.pages[0].extract_text()  # the type is the site's: construction
    assert "Construction site · Landscaping Management Office" in reader.pages[0].extract_text()
    empty = PdfReader(io.BytesIO(site_qr.render(ctx, BASE, "real_estate", "en")))
    assert "No sites on the register" in empty.pages[0].extract_text() and "/Annots" not in empty.pages[0]
