"""Make the bundled fonts: Noto Sans CJK SC Regular cut to GB2312.

Two files come out of the same cut:

- ``NotoSansSC-Subset.otf`` (CFF outlines, layout features kept) for the
  photo watermark (Pillow);
- ``NotoSansSC-Subset.ttf`` (TrueType outlines, no layout features, no
  hinting, a few more symbol blocks such as the minus sign U+2212) for the
  PDF reports. fpdf2 embeds a CFF font only through a custom encoding CMap,
  which text extractors (pypdf, search, copy-paste) read as garbage; a
  TrueType font is embedded as CIDFontType2 with Identity-H and reads back
  as the text that was written. The cubic CFF curves are turned into
  quadratic ones with ``cu2qu`` (at most 1 font unit of error in 1000, far
  below a printed dot).

Run from the project root (needs Debian's ``fonts-noto-cjk`` and the dev
dependency ``fonttools``)::

    uv run python assets/fonts/make_subset.py            # both
    uv run python assets/fonts/make_subset.py --only ttf # the report font alone

The full collection is ~20 MB and holds five regional fonts; a watermark only
needs the everyday simplified characters (GB2312's 6,763 hanzi cover item
texts, office and site names in practice) plus ASCII, so the subset is a few
MB and can live in the repository. Characters outside the subset render as
boxes, so keep user text in the watermark to what GB2312 covers or extend
``wanted_codepoints``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, newTable

SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
TARGET = Path(__file__).resolve().parent / "NotoSansSC-Subset.otf"
TTF_TARGET = Path(__file__).resolve().parent / "NotoSansSC-Subset.ttf"
FAMILY = "Noto Sans CJK SC"
MAX_BYTES = 8 * 1024 * 1024


def gb2312_characters() -> set[int]:
    """Every character GB2312 can encode, found by decoding each 2-byte code.

    GB2312 in EUC-CN uses lead and trail bytes 0xA1..0xFE; the codec refuses
    the unassigned cells, so what decodes is exactly the character set.
    """
    found: set[int] = set()
    for lead in range(0xA1, 0xFF):
        for trail in range(0xA1, 0xFF):
            try:
                text = bytes((lead, trail)).decode("gb2312")
            except UnicodeDecodeError:
                continue
            found.update(ord(ch) for ch in text)
    return found


def wanted_codepoints() -> set[int]:
    """GB2312 plus the Latin and punctuation a watermark line may contain."""
    points = gb2312_characters()
    points.update(range(0x20, 0x7F))  # ASCII
    points.update(range(0xA0, 0x100))  # Latin-1 (°, ·, ×, accented names)
    points.update(range(0x2000, 0x2070))  # general punctuation (—, ‘’, “”, …)
    points.update(range(0x3000, 0x3040))  # CJK symbols and punctuation
    points.update(range(0xFF00, 0xFFF0))  # full-width forms (，：（）)
    return points


def report_codepoints() -> set[int]:
    """The watermark's characters plus symbol blocks reports print (−, →, ✓, ■, ①...)."""
    points = wanted_codepoints()
    points.update(range(0x2190, 0x2200))  # arrows
    points.update(range(0x2200, 0x2300))  # mathematical operators (− U+2212, ≈, ≤)
    points.update(range(0x2460, 0x2500))  # enclosed alphanumerics (①)
    points.update(range(0x25A0, 0x2600))  # geometric shapes (■ □ ●)
    points.update(range(0x2713, 0x2718))  # check and ballot marks
    return points


def simplified_chinese_font(collection_path: Path):
    """The SC member of the Noto CJK collection (its order is not promised)."""
    collection = TTCollection(str(collection_path), lazy=False)
    for font in collection.fonts:
        if font["name"].getDebugName(1) == FAMILY:
            return font
    raise SystemExit(f"{FAMILY} not found in {collection_path}")


def truetype_outlines(font, max_err: float = 1.0) -> None:
    """Replace a font's CFF outlines by TrueType (quadratic) ones, in place.

    After fontTools' ``Snippets/otf2ttf.py``: each glyph is drawn through
    ``Cu2QuPen`` into a ``TTGlyphPen``; ``maxp`` becomes version 1.0 and
    ``post`` format 3 (CID-keyed fonts have no glyph names worth keeping).
    """
    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in glyph_order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = glyphs
    del font["CFF "]
    for table in ("VORG",):
        if table in font:
            del font[table]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for name in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, name, 0)
    maxp.compile(font)
    post = font["post"]
    post.formatType = 3.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = None
    font.sfntVersion = "\x00\x01\x00\x00"


def _written(path: Path, font) -> int:
    size = path.stat().st_size
    print(f"wrote {path} ({size / 1e6:.2f} MB, {len(font.getBestCmap())} characters)")
    if size > MAX_BYTES:
        print(f"{path.name} is larger than {MAX_BYTES} bytes", file=sys.stderr)
        return 1
    return 0


def make_watermark_font() -> int:
    font = simplified_chinese_font(SOURCE)
    options = subset.Options()
    options.layout_features = ["*"]  # keep kerning and vertical forms usable
    options.name_IDs = ["*"]  # keep copyright and licence names (OFL asks for it)
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    options.hinting = True
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=sorted(wanted_codepoints()))
    subsetter.subset(font)
    font.recalcTimestamp = False  # keep the source's date: same input, same file
    font.save(str(TARGET))
    return _written(TARGET, font)


def make_report_font() -> int:
    font = simplified_chinese_font(SOURCE)
    options = subset.Options()
    options.layout_features = []  # PDF text is laid out glyph by glyph: alternates are dead weight
    options.name_IDs = ["*"]  # keep copyright and licence names (OFL asks for it)
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    options.hinting = False  # CFF hints do not carry over to TrueType outlines
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=sorted(report_codepoints()))
    subsetter.subset(font)
    truetype_outlines(font)
    font.recalcTimestamp = False  # same input, same file
    font.save(str(TTF_TARGET))
    return _written(TTF_TARGET, font)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    only = argv[1] if len(argv) == 2 and argv[0] == "--only" else None
    if not SOURCE.exists():
        print(f"missing {SOURCE}: apt-get install -y fonts-noto-cjk", file=sys.stderr)
        return 1
    failed = 0
    if only in (None, "otf"):
        failed |= make_watermark_font()
    if only in (None, "ttf"):
        failed |= make_report_font()
    return failed


if __name__ == "__main__":
    sys.exit(main())
