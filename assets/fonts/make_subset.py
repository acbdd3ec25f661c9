"""Make the bundled watermark font: Noto Sans CJK SC Regular cut to GB2312.

Run from the project root (needs Debian's ``fonts-noto-cjk`` and the dev
dependency ``fonttools``)::

    uv run python assets/fonts/make_subset.py

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
from fontTools.ttLib import TTCollection

SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
TARGET = Path(__file__).resolve().parent / "NotoSansSC-Subset.otf"
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


def simplified_chinese_font(collection_path: Path):
    """The SC member of the Noto CJK collection (its order is not promised)."""
    collection = TTCollection(str(collection_path), lazy=False)
    for font in collection.fonts:
        if font["name"].getDebugName(1) == FAMILY:
            return font
    raise SystemExit(f"{FAMILY} not found in {collection_path}")


def main() -> int:
    if not SOURCE.exists():
        print(f"missing {SOURCE}: apt-get install -y fonts-noto-cjk", file=sys.stderr)
        return 1
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
    size = TARGET.stat().st_size
    print(f"wrote {TARGET} ({size / 1e6:.2f} MB, {len(font.getBestCmap())} characters)")
    if size > MAX_BYTES:
        print(f"subset is larger than {MAX_BYTES} bytes", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
