"""The evidence stamp: item number, category, office, time, place, inspector.

Supervisors and the campaign's reviewers receive photos as files (reports,
chat groups); a photo that carries its own item number and time cannot be
filed under the wrong problem. The stamp goes on a copy of the display JPEG,
in a semi-transparent band at the bottom; originals are never touched.

Rendering is deterministic - same inputs, same bytes - because text is laid
out by FreeType's basic engine (not Raqm, which may or may not be installed)
with one bundled font, and JPEG encoding of equal pixels is stable. The font
is Noto Sans CJK SC cut to every CJK ideograph of GB18030 (Unified and
Extension A, ``inspector.fonts``), so rare characters in
people's and place names (喆, 堃, 㐀) show as themselves; beyond it (most of
Extension B, emoji) a character shows as an empty box.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from inspector.fonts import full_font
from inspector.i18n import t
from inspector.photos.derive import encode_jpeg

_BAND_RGBA = (0, 0, 0, 150)  # ~60 % black: white text stays readable on snow or sky
_TEXT_RGBA = (255, 255, 255, 255)
_MAX_LINES_PER_FIELD = 2  # a very long place name must not swallow the photo


@dataclass(frozen=True)
class Stamp:
    """What the stamp says; values already formatted for people."""

    item_number: str
    category: str
    office: str
    taken_at: str
    coordinates: str
    place: str | None
    inspector: str


def stamp_lines(stamp: Stamp, lang: str = "zh-CN") -> list[str]:
    """The stamp's lines, labelled from the language catalogue."""
    fields = [
        ("watermark.item_number", stamp.item_number),
        ("watermark.category", stamp.category),
        ("watermark.office", stamp.office),
        ("watermark.taken_at", stamp.taken_at),
        ("watermark.coordinates", stamp.coordinates),
        ("watermark.place", stamp.place),
        ("watermark.inspector", stamp.inspector),
    ]
    return [
        t("watermark.line", lang, label=t(key, lang), value=value)
        for key, value in fields
        if value is not None
    ]


def apply_stamp(display_jpeg: bytes, stamp: Stamp, lang: str = "zh-CN") -> bytes:
    """A stamped JPEG copy of ``display_jpeg`` (no EXIF), same size."""
    with Image.open(io.BytesIO(display_jpeg), formats=["JPEG"]) as source:
        picture = source.convert("RGB")
    width, height = picture.size
    font = _font(_font_size(width, height))
    margin = max(4, font.size // 2)
    line_height = round(font.size * 1.35)
    lines = _wrap(stamp_lines(stamp, lang), font, width - 2 * margin)
    band_height = min(height, len(lines) * line_height + 2 * margin)
    top = height - band_height

    # Work on the band only: compositing the whole picture would cost more
    # than everything else in the stamp.
    band = picture.crop((0, top, width, height)).convert("RGBA")
    overlay = Image.new("RGBA", band.size, _BAND_RGBA)
    draw = ImageDraw.Draw(overlay)
    for index, line in enumerate(lines):
        draw.text((margin, margin + index * line_height), line, font=font, fill=_TEXT_RGBA)
    picture.paste(Image.alpha_composite(band, overlay).convert("RGB"), (0, top))
    return encode_jpeg(picture)


def _font_size(width: int, height: int) -> int:
    # Scaled to the short side so portrait and landscape read alike; 1600x1200
    # gives 25 px, legible on a phone yet leaving ~80 % of the photo clear.
    return max(12, min(48, round(min(width, height) / 48)))


@functools.lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(full_font()), size, layout_engine=ImageFont.Layout.BASIC)


def _wrap(lines: list[str], font: ImageFont.FreeTypeFont, max_width: int) -> list[str]:
    """Break lines by character (Chinese has no spaces) to fit ``max_width``."""
    wrapped: list[str] = []
    for line in lines:
        pieces: list[str] = []
        current = ""
        for char in line:
            if current and font.getlength(current + char) > max_width:
                pieces.append(current)
                current = char
            else:
                current += char
        pieces.append(current)
        if len(pieces) > _MAX_LINES_PER_FIELD:
            pieces = pieces[:_MAX_LINES_PER_FIELD]
            pieces[-1] = pieces[-1][:-1] + "…"
        wrapped.extend(pieces)
    return wrapped
