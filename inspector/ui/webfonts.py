"""The web client's CJK fonts, cut from the bundled font and served by Inspector itself.

Flutter's web engine has a table of Google Fonts' ``unicode-range`` slices of
the Noto fonts (``font_fallback_data.dart``, compiled into ``main.dart.js`` and
``main.dart.wasm``). When a text holds characters none of the loaded fonts
has, it picks the slices that cover them and fetches each from
``fontFallbackBaseUrl`` + the slice's Google path; Flet's ``no_cdn`` sets that
base to ``assets/fonts/``, so a phone asks Inspector for e.g.
``/assets/fonts/notosanssc/v37/….119.woff2``. ``FallbackFonts`` answers each
CJK and symbol slice of that table with the same characters cut from
the full font (``inspector.fonts``; emoji slices from
``NotoColorEmoji-Common.ttf``): the 101 Noto Sans SC slices were cut by
``make_subset.py`` (``assets/fonts/fallback/``); a slice of another family
(the engine may pick a JP or TC slice when it covers more of a text) is cut on
its first request into the data folder's cache, with Simplified Chinese glyphs.
A phone downloads only the slices its screens use; all are revalidated with
an ETag of their content.

The table has no font for CJK Extension A nor for about 3,500 rare Unified
Ideographs; those are in ``theme.FONT_FILE`` (``eager_code_points``: the name
is from when every page loaded it at start), which a session registers once it
shows or is typed one of them (``inspector.ui.rare_font``). The table is read from the Flet client actually
served, so a Flet upgrade that moves the slices is caught by the tests
(``tests/ui/test_webfonts.py``) and mended by running ``make_subset.py``.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from inspector.fonts import full_font
from inspector.server.static import REVALIDATE, etag_matches

FONTS = Path(__file__).resolve().parents[2] / "assets" / "fonts"
EMOJI_SOURCE = FONTS / "NotoColorEmoji-Common.ttf"  # the source of the emoji slices
MADE = FONTS / "fallback"  # the Noto Sans SC slices, cut by make_subset.py, under their engine paths
EAGER_FROM = 0x2000  # below: Latin, Greek, Cyrillic, which Roboto (Flet's bundled font) draws
# Slices of these families are answered (from the CJK font, emoji from the emoji one); others (Arabic…) 404.
SERVED_FAMILIES = ("Noto Sans SC", "Noto Sans TC", "Noto Sans HK", "Noto Sans JP", "Noto Sans KR",
                   "Noto Sans Symbols", "Noto Sans Symbols 2", "Noto Color Emoji", "Noto Sans Math")
SLICE_PATH = re.compile(r"^[a-z0-9]+/v\d+/[A-Za-z0-9_-]+(\.\d+)?\.woff2$")
MAX_CODE_POINT = 0x10FFFF
# The engine's packed alphabets (font_fallbacks.dart): digits prefix, a-z an index / a size, A-Z a value.
_FONT_ENTRY = re.compile(r'"(Noto [^"]+)","(noto[a-z0-9]*/v\d+/[A-Za-z0-9_.-]+\.woff2)"')
_PACKED = re.compile(r'"([0-9a-zA-Z,]{2000,})"')


class FallbackTableError(ValueError):
    """The Flet client's font fallback table could not be read (a new Flutter changed its form)."""


@dataclass(frozen=True)
class FallbackTable:
    """The engine's slices: ``path`` (relative to ``fontFallbackBaseUrl``) -> family and code points."""

    families: dict[str, str]
    code_points: dict[str, frozenset[int]]

    def covered(self) -> frozenset[int]:
        """Every code point some served slice claims."""
        return frozenset().union(*(cps for path, cps in self.code_points.items() if self._served(path)))

    def _served(self, path: str) -> bool:
        return served_family(self.families[path])


def served_family(name: str) -> bool:
    """Whether a slice named ``name`` ("Noto Sans SC 61", "Noto Color Emoji 3") is one Inspector answers."""
    family = re.sub(r" \d+$", "", name)
    return family in SERVED_FAMILIES


def _decode_font_sets(packed: str, count: int) -> list[list[int]]:
    sets = []
    for part in packed.split(","):
        indices, previous, prefix = [], -1, 0
        for char in part:
            if "a" <= char <= "z":
                previous += prefix * 26 + ord(char) - ord("a") + 1
                indices.append(previous)
                prefix = 0
            elif "0" <= char <= "9":
                prefix = prefix * 10 + ord(char) - ord("0")
            else:
                raise FallbackTableError(f"unexpected {char!r} in the font sets")
        if indices and indices[-1] >= count:
            raise FallbackTableError("a font set names a font past the list")
        sets.append(indices)
    return sets


def _decode_ranges(packed: str, set_count: int) -> list[tuple[int, int, int]]:
    """(start, end exclusive, font set) ranges covering every code point."""
    ranges, start, prefix, size = [], 0, 0, 1
    for char in packed:
        if "A" <= char <= "Z":
            value = prefix * 26 + ord(char) - ord("A")
            if value >= set_count:
                raise FallbackTableError("a range names a font set past the list")
            ranges.append((start, start + size, value))
            start, prefix, size = start + size, 0, 1
        elif "a" <= char <= "z":
            size, prefix = prefix * 26 + ord(char) - ord("a") + 2, 0
        elif "0" <= char <= "9":
            prefix = prefix * 10 + ord(char) - ord("0")
        else:
            raise FallbackTableError(f"unexpected {char!r} in the ranges")
    if start != MAX_CODE_POINT + 1:
        raise FallbackTableError(f"the ranges end at {start:#x}")
    return ranges


def read_fallback_table(main_dart_js: str) -> FallbackTable:
    """The engine's fallback table as compiled into Flet's ``main.dart.js`` (dart2js keeps Dart's strings).

    The font list is the ``("Noto …", "noto…/v…/….woff2")`` pairs in order; the font sets are the long
    string of lower-case runs split by commas, the ranges the long string that decodes to every code point.
    """
    fonts = _FONT_ENTRY.findall(main_dart_js)
    if len({path for _name, path in fonts}) != len(fonts) or not fonts:
        raise FallbackTableError(f"{len(fonts)} fallback fonts found, or some twice")
    packed = _PACKED.findall(main_dart_js)
    sets_text = [s for s in packed if "," in s and not any(c.isupper() for c in s)]
    if len(sets_text) != 1:
        raise FallbackTableError(f"{len(sets_text)} candidates for the font sets")
    sets = _decode_font_sets(sets_text[0], len(fonts))
    ranges = None
    for candidate in (s for s in packed if "," not in s):
        try:
            ranges = _decode_ranges(candidate, len(sets))
            break
        except FallbackTableError:
            continue
    if ranges is None:
        raise FallbackTableError("no string decodes to the code point ranges")
    points: dict[int, set[int]] = {}
    for start, end, value in ranges:
        for index in sets[value]:
            points.setdefault(index, set()).update(range(start, end))
    return FallbackTable({path: name for name, path in fonts},
                         {fonts[i][1]: frozenset(points.get(i, ())) for i in range(len(fonts))})


def cut(source: bytes, code_points: set[int] | frozenset[int]) -> bytes:
    """``source`` cut to ``code_points`` (those it has), as WOFF2; keeps the names (OFL) and the metrics."""
    font = TTFont(io.BytesIO(source), lazy=True)
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    options.hinting = False
    options.flavor = "woff2"
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=sorted(code_points))
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue()


class FallbackFonts:
    """The engine's slices for the web client: the committed cut if there is one, else one cut on demand."""

    def __init__(self, main_dart_js: Path, cache_dir: Path, source: Path | None = None, made: Path = MADE):
        """``source`` (a test's small font) stands for both fonts; by default the server's full font
        (``inspector.fonts``, unpacked at the first cut) and the emoji font are cut."""
        self.main_dart_js, self.cache_dir, self.source, self.made = main_dart_js, Path(cache_dir), source, made
        self.emoji_path = EMOJI_SOURCE if source is None else source
        self._lock = threading.Lock()  # one cut at a time: each takes a core for a second or two
        self._table: FallbackTable | None = None
        self._sources: dict[Path, tuple[bytes, str, frozenset[int]]] = {}

    def table(self) -> FallbackTable:
        """The served client's table, read once."""
        with self._lock:
            if self._table is None:
                self._table = read_fallback_table(self.main_dart_js.read_text(encoding="utf-8"))
            return self._table

    def _font(self, path: Path) -> tuple[bytes, str, frozenset[int]]:
        if path not in self._sources:
            data = path.read_bytes()
            cmap = TTFont(io.BytesIO(data), lazy=True).getBestCmap()
            self._sources[path] = (data, hashlib.sha256(data).hexdigest()[:16], frozenset(cmap))
        return self._sources[path]

    def path_for(self, name: str) -> Path | None:
        """The file answering the slice ``name`` (its path under the fallback base); None if none is served.

        Blocking (a cut takes a second or two): call it from a worker thread.
        """
        table = self.table()
        if name not in table.families or not served_family(table.families[name]):
            return None
        committed = self.made / name
        if committed.is_file():
            return committed
        emoji = table.families[name].startswith("Noto Color Emoji")
        with self._lock:
            data, digest, cmap = self._font(self.emoji_path if emoji else (self.source or full_font()))
            wanted = frozenset(table.code_points[name] & cmap)
            key = hashlib.sha256(f"{digest} {sorted(wanted)}".encode()).hexdigest()[:32]
            target = self.cache_dir / f"{key}.woff2"
            if not target.is_file():
                self.cache_dir.mkdir(parents=True, exist_ok=True)
                tmp = target.with_name(f".tmp-{key}")
                tmp.write_bytes(cut(data, wanted))
                tmp.replace(target)
            return target


def eager_code_points(table: FallbackTable, cmap: set[int] | frozenset[int]) -> set[int]:
    """The characters of ``cmap`` no served slice covers, past Latin (Roboto has those): the rare-character
    font's (``theme.FONT_FILE``)."""
    return {cp for cp in set(cmap) - table.covered() if cp >= EAGER_FROM}


@functools.lru_cache(maxsize=1024)
def _digest(path: str, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:32]


def etag_of(path: Path) -> str:
    """An ETag of the file's content (a committed slice keeps its engine name when it is cut again)."""
    stat = path.stat()
    return f'W/"{_digest(str(path), stat.st_mtime_ns, stat.st_size)}"'


def font_response(request: Request, path: Path | None) -> Response:
    """The cut as ``font/woff2`` (revalidated with its ETag), or a 404."""
    if path is None:
        return Response(status_code=404)
    headers = {"ETag": etag_of(path), "Cache-Control": REVALIDATE}
    if etag_matches(request.headers.get("if-none-match"), headers["ETag"]):
        return Response(status_code=304, headers=headers)
    return FileResponse(path, media_type="font/woff2", headers=headers)
