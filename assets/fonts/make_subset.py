"""Make the bundled fonts from Debian's Noto Sans CJK SC Regular (``fonts-noto-cjk``).

- ``NotoSansSC-Full.ttf.br``: every CJK Unified Ideograph and Extension A
  character the font has (U+4E00-9FEF, U+3400-4DB5: all of GB18030's), 𠮷,
  radicals, CJK punctuation and compatibility forms, Latin and the symbol
  blocks reports print. TrueType outlines, no layout features, no hinting.
  The server's font: the photo watermark (Pillow) and the PDF reports (fpdf2;
  it embeds a CFF font only through a custom encoding CMap that text
  extractors read as garbage, a TrueType one as CIDFontType2 with Identity-H,
  which reads back as written). Cubic curves become quadratic with ``cu2qu``
  (at most 1 font unit of error in 1000). The source of every web cut below.
- ``fallback/<engine path>``: the web client's Noto Sans SC slices, one file
  per slice of Flutter's font fallback table, each with the characters the
  engine expects in it, as WOFF2 (``inspector/ui/webfonts.py``).
- ``NotoColorEmoji-Common.ttf``: Debian's Noto Color Emoji (``fonts-noto-color-emoji``)
  cut to the common emoji, the source of the engine's emoji slices.
- ``NotoSansSC-Subset.woff2``: the characters of the full font that no slice
  of the table covers (Extension A, ~3,500 rare hanzi, 𠮷), which the web
  page loads eagerly as its theme font.

The table is read from the installed Flet client (``flet_web``'s
``main.dart.js``), so run the ``web`` step again after a Flet upgrade
(``tests/ui/test_webfonts.py`` says when it is due).

Run from the project root (needs ``fonts-noto-cjk`` for the full font and the
dev dependency ``fonttools``)::

    uv run python assets/fonts/make_subset.py             # all steps (~10 minutes)
    uv run python assets/fonts/make_subset.py --only web  # the web cuts from the committed full font
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import brotli
from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # the cuts are made by the same code that serves them

from inspector.fonts import full_font  # noqa: E402
from inspector.ui import webfonts  # noqa: E402

SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
EMOJI_SOURCE = Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf")  # fonts-noto-color-emoji
HERE = Path(__file__).resolve().parent
FULL_TARGET = HERE / "NotoSansSC-Full.ttf.br"  # kept compressed; inspector.fonts unpacks it once
EAGER_TARGET = HERE / "NotoSansSC-Subset.woff2"
SLICES = HERE / "fallback"
FAMILY = "Noto Sans CJK SC"
MAX_BYTES = 12 * 1024 * 1024


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


def full_codepoints() -> set[int]:
    """GB18030's ideographs (Unified, Extension A) and the blocks around them, plus the report symbols."""
    points = report_codepoints()
    points.update(range(0x4E00, 0xA000))  # CJK Unified Ideographs
    points.update(range(0x3400, 0x4DC0))  # Extension A
    points.update(range(0x2E80, 0x2FE0))  # radicals (supplement, Kangxi)
    points.update(range(0x3100, 0x3130))  # bopomofo
    points.update(range(0x31C0, 0x3400))  # strokes, enclosed CJK, CJK compatibility (㎡ ℃-like units)
    points.update(range(0xF900, 0xFB00))  # compatibility ideographs
    points.update(range(0xFE10, 0xFE20))  # vertical forms
    points.update(range(0xFE30, 0xFE50))  # CJK compatibility forms
    points.add(0x20BB7)  # 𠮷, common in names (Extension B)
    return points


def _written(path: Path, characters: int) -> int:
    size = path.stat().st_size
    print(f"wrote {path} ({size / 1e6:.2f} MB, {characters} characters)")
    if size > MAX_BYTES:
        print(f"{path.name} is larger than {MAX_BYTES} bytes", file=sys.stderr)
        return 1
    return 0


def make_full_font() -> int:
    font = simplified_chinese_font(SOURCE)
    options = subset.Options()
    options.layout_features = []  # text is laid out glyph by glyph (Pillow BASIC, fpdf2, web cuts)
    options.name_IDs = ["*"]  # keep copyright and licence names (OFL asks for it)
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    options.hinting = False  # CFF hints do not carry over to TrueType outlines
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=sorted(full_codepoints()))
    subsetter.subset(font)
    truetype_outlines(font)
    font.recalcTimestamp = False  # keep the source's date: same input, same file
    out = io.BytesIO()
    font.save(out)
    FULL_TARGET.write_bytes(brotli.compress(out.getvalue(), quality=11, lgwin=24))
    return _written(FULL_TARGET, len(font.getBestCmap()))


# The emoji people put in remarks and names most (Unicode's emoji frequency list, its top ~120) and the
# campaign's own things; a cut, not all 1,487: Debian's Noto Color Emoji is bitmaps, 3 kB an emoji.
COMMON_EMOJI = (
    "😂❤🤣👍😭🙏😘🥰😍😊🎉😁💕🥺😅🔥☺🤦♥🤷🙄😆🤗😉🎂🤔👏🙂😳🥳😎👌💜😔💪✨💖👀😋😏😢👉💗😩💯🌹💞🎈💙😃"
    "😡💐😜🙈🤞😄🤤🙌🤪❣😀💋💀👇💔😌💓🤩🙃😬😱😴🤭😐🌞😒😇🌸😈🎶✌🎊🥵😞💚☀🖤💰😚👑🎁💥🙋☹😑🥴👈💩"
    "✅👋🤮😤🤢🌟❗😥🌈💛😝😫😲🔴🌻🤯💃👊🏃😕⚡☕🍀💦⭐🦋🤨🌺🤘🌷💝💤🤝😓💘🍻😟😣🧐😠🤠🙊"
    "⚠❌✔❓📷📸📍🗑🚧🏗🚮🧹🦟🐀🚛🚚🌳🏢🏠🏫🏥📋📝📌🔔⏰📅📞☎🚫🆗👮💧🌧🚰🧻🐛🐕🐈"
)


def make_emoji_font() -> int:
    """Debian's Noto Color Emoji (CBDT bitmaps) cut to ``COMMON_EMOJI``: the source of the emoji slices."""
    font = TTFont(EMOJI_SOURCE)
    options = subset.Options()
    options.layout_features = []  # no ZWJ sequences or skin tones: each emoji alone
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=sorted({ord(char) for char in COMMON_EMOJI}))
    subsetter.subset(font)
    font.recalcTimestamp = False
    font.save(str(webfonts.EMOJI_SOURCE))
    return _written(webfonts.EMOJI_SOURCE, len(font.getBestCmap()))


def make_web_fonts() -> int:
    """The Noto Sans SC slices of the installed Flet client's table and the eager font, cut from the full one."""
    import flet_web  # lazy: only this step needs the Flet client's files

    table = webfonts.read_fallback_table((Path(flet_web.get_package_web_dir()) / "main.dart.js").read_text())
    data = full_font().read_bytes()
    cmap = set(TTFont(full_font(), lazy=True).getBestCmap())
    wanted = {path for path, name in table.families.items() if name.startswith("Noto Sans SC")}
    for stale in SLICES.rglob("*.woff2") if SLICES.is_dir() else ():
        if stale.relative_to(SLICES).as_posix() not in wanted:
            stale.unlink()
    total = 0
    for path in sorted(wanted):
        target = SLICES / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(webfonts.cut(data, table.code_points[path] & cmap))
        total += target.stat().st_size
    print(f"wrote {len(wanted)} slices under {SLICES} ({total / 1e6:.2f} MB)")
    eager = webfonts.eager_code_points(table, cmap)
    EAGER_TARGET.write_bytes(webfonts.cut(data, eager))
    return _written(EAGER_TARGET, len(eager))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    only = argv[1] if len(argv) == 2 and argv[0] == "--only" else None
    failed = 0
    if only in (None, "full"):
        if not SOURCE.exists():
            print(f"missing {SOURCE}: apt-get install -y fonts-noto-cjk", file=sys.stderr)
            return 1
        failed |= make_full_font()
    if only in (None, "emoji"):
        if not EMOJI_SOURCE.exists():
            print(f"missing {EMOJI_SOURCE}: apt-get install -y fonts-noto-color-emoji", file=sys.stderr)
            return 1
        failed |= make_emoji_font()
    if only in (None, "web"):
        failed |= make_web_fonts()
    return failed


if __name__ == "__main__":
    sys.exit(main())
