"""How wide a text is drawn, without a browser: the advance widths of the fonts the web client draws with.

Latin comes from Flet's Roboto (``flet_web``'s ``roboto.woff2``), CJK from Noto Sans SC, whose ideographs
and full-width punctuation are all one em wide (``inspector.ui.theme``). Bold is Roboto drawn emboldened,
a little wider: ``BOLD`` allows for it, so a column sized by ``width`` holds its words on the screen too.
"""

import functools
import unicodedata
from pathlib import Path

import flet_web
from fontTools.ttLib import TTFont

ROBOTO = Path(flet_web.__file__).parent / "web" / "assets" / "fonts" / "roboto.woff2"
BOLD = 1.06  # synthetic bold's extra width, with a margin


@functools.cache
def _roboto() -> tuple[dict[int, int], float]:
    font = TTFont(ROBOTO)
    widths, cmap = font["hmtx"].metrics, font.getBestCmap()
    return {code: widths[glyph][0] for code, glyph in cmap.items()}, font["head"].unitsPerEm


def width(value: str, size: float, bold: bool = False) -> float:
    """The drawn width in logical pixels of one line of ``value`` at ``size``."""
    advances, em = _roboto()
    total = 0.0
    for char in value:
        if ord(char) in advances:
            total += advances[ord(char)] / em
        elif unicodedata.east_asian_width(char) in ("W", "F"):
            total += 1.0  # CJK: one em
        else:
            total += 0.6  # a symbol neither font names: an average glyph
    return total * size * (BOLD if bold else 1.0)

MARGIN = 1.08  # Flutter ellipsises a line a few per cent before its advances fill the box (seen at 1440 px)
SLACK = 2


def fits(value: str, size: float, box: float, bold: bool = False, lines: int = 1) -> bool:
    """Whether ``value`` is drawn whole in a box ``box`` wide: on one line, or on ``lines`` broken at spaces."""
    if lines == 1:
        return width(value, size, bold) * MARGIN + SLACK <= box
    words, used, line = value.split(" "), 1, ""
    for word in words:
        trial = f"{line} {word}".strip()
        if fits(trial, size, box, bold):
            line = trial
            continue
        if not fits(word, size, box, bold):
            return False
        used, line = used + 1, word
    return used <= lines


def _bold(text) -> bool:
    """W_500 and heavier are drawn emboldened."""
    weight = str(getattr(text.weight, "value", text.weight or "")).lower()
    return weight == "bold" or (weight.lstrip("w").isdigit() and int(weight.lstrip("w")) >= 500)


def cut_cells(row) -> list[str]:
    """The texts of a table row (an ``ft.Row`` of fixed-width ``ft.Container`` cells) that do not fit their cell;
    a cell holding a tag (a padded ``ft.Container`` around a text) counts the tag's padding."""
    import flet as ft  # lazy: the measuring above needs no Flet

    out = []
    for cell in row.controls:
        if not isinstance(cell, ft.Container) or cell.width is None:
            continue
        inner, box = cell.content, cell.width
        if isinstance(inner, ft.Container) and isinstance(inner.content, ft.Text):
            pad = inner.padding
            box -= (getattr(pad, "left", 0) or 0) + (getattr(pad, "right", 0) or 0)
            inner = inner.content
        if not isinstance(inner, ft.Text) or not isinstance(inner.value, str):
            continue
        lines = inner.max_lines or 1
        if not fits(inner.value, inner.size or 14, box, _bold(inner), lines):
            out.append(f"{inner.value!r} in {cell.width} px")
    return out
