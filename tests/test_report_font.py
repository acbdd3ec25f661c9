"""Rare characters of names in a PDF report: set in the report's font (``SummaryPDF``), they read back
as written (pypdf) and the font embedded in the file has a drawn glyph for each of them."""

import io

from fontTools.ttLib import TTFont
from pypdf import PdfReader

from inspector.reports.pdf import SummaryPDF

NAMES = "责任人：王喆 李堃 张垚 刘犇 陈昇 赵㐀 吉𠮷"


def embedded_fonts(reader: PdfReader) -> list[TTFont]:
    fonts = []
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        for descendant in font.get_object().get("/DescendantFonts", []):
            descriptor = descendant.get_object()["/FontDescriptor"].get_object()
            fonts.append(TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data())))
    return fonts


def test_rare_names_read_back_and_have_glyphs_in_the_embedded_font():
    pdf = SummaryPDF("zh-CN", "测试")
    pdf.add_page()
    pdf.paragraph(NAMES)
    reader = PdfReader(io.BytesIO(bytes(pdf.output())))

    text = reader.pages[0].extract_text()
    assert all(name in text for name in ("王喆", "李堃", "张垚", "刘犇", "陈昇", "赵㐀", "吉𠮷")), text
    (font,) = embedded_fonts(reader)
    glyf = font["glyf"]
    drawn = [name for name in font.getGlyphOrder() if glyf[name].numberOfContours not in (0, None)]
    distinct = set(NAMES) - {" "}
    assert len(drawn) >= len(distinct)  # every character of the line, drawn (none fell back to nothing)
