"""The web client's Material icon font, cut to the icons Inspector can show (issue 14).

Flet's client cannot tree-shake icons (a Python app may name any of the 8,800), so its font
manifest makes the engine load all of ``MaterialIcons-Regular.otf`` at start: 1.26 MB, 470 kB
even gzip-compressed, the third-largest file of a cold load. Inspector shows about a hundred:
the ``ft.Icons`` its own code names (found by reading its source, so an icon added to a view is
in the cut without a list to keep), and those Flutter's widgets and Flet's client draw by
themselves (``FRAMEWORK_ICONS``: back, close, the dropdown arrow, the date picker's, the password
field's eye, ...), each of those in its four styles. The cut keeps the code points, metrics and
glyph names of Flet's font, as WOFF2 (which the engine reads, like Roboto's), made once on first
request into the data folder's cache and served under a name carrying its digest, so the browser
keeps it for a year and a new Flet or a new icon gives a new name through the font manifest.

The Cupertino icon font (210 kB) leaves the manifest altogether: Inspector uses no Cupertino
widget (``tests/ui/test_iconfont.py`` fails when one appears).
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
from functools import cache
from pathlib import Path

import fontTools
import flet_web
from fontTools import subset
from fontTools.ttLib import TTFont

from inspector.files import write_atomically

PACKAGE = Path(__file__).resolve().parents[1]  # inspector/
SOURCE = Path(flet_web.get_package_web_dir()) / "assets" / "fonts" / "MaterialIcons-Regular.otf"
FAMILY = "MaterialIcons"
CUPERTINO_FAMILY = "packages/cupertino_icons/CupertinoIcons"
ASSET_PREFIX = "fonts/MaterialIcons-"  # + digest + ".woff2", under /assets/
_ICON_IN_SOURCE = re.compile(r"\bIcons\.([A-Z][A-Z0-9_]*)\b")
STYLES = ("", "_outlined", "_rounded", "_sharp")
# Icons Flutter's Material widgets and Flet's client draw without Inspector naming them: the app bar's
# back (Android, and iOS's arrow_back_ios_new), close and menu buttons; Dropdown's arrows; the date
# picker's month arrows, year arrow, input-mode pencil and calendar; a selected segment's check;
# a chip's delete; a text field's overflow menu; a sortable table's arrows; Flet's password eye and
# its boot screen's error; the lists' drag handle. Kept in every style (a theme may pick one).
FRAMEWORK_ICONS = (
    "arrow_back", "arrow_back_ios", "arrow_back_ios_new", "arrow_forward", "arrow_forward_ios", "close",
    "menu", "more_vert", "more_horiz", "arrow_drop_down", "arrow_drop_up", "arrow_left", "arrow_right",
    "chevron_left", "chevron_right", "keyboard_arrow_left", "keyboard_arrow_right", "keyboard_arrow_up",
    "keyboard_arrow_down", "expand_more", "expand_less", "edit", "calendar_today", "calendar_month",
    "date_range", "keyboard", "access_time", "schedule", "check", "clear", "cancel", "search",
    "arrow_upward", "arrow_downward", "first_page", "last_page", "drag_handle", "visibility",
    "visibility_off", "error", "error_outline", "copy", "content_copy", "content_cut", "content_paste",
    "select_all", "add", "remove", "navigate_before", "navigate_next", "info", "info_outline", "warning",
    "done", "refresh",
)
_making = threading.Lock()


def glyph_name(icon: str) -> str:
    """The glyph of Flutter's ``Icons.<icon>`` in Flet's font: ``close`` -> ``close_baseline``."""
    icon = icon.lower()
    return icon if icon.endswith(STYLES[1:]) else f"{icon}_baseline"


def app_icons(package: Path = PACKAGE) -> frozenset[str]:
    """The ``ft.Icons`` members Inspector's code names (lower case, as Flutter spells them)."""
    names = set()
    for path in package.rglob("*.py"):
        names.update(name.lower() for name in _ICON_IN_SOURCE.findall(path.read_text(encoding="utf-8")))
    return frozenset(names)


def kept_glyphs(package: Path = PACKAGE) -> frozenset[str]:
    """The glyph names the cut keeps: the app's icons, and the framework's in every style."""
    framework = {glyph_name(icon + style) for icon in FRAMEWORK_ICONS for style in STYLES}
    return frozenset({glyph_name(icon) for icon in app_icons(package)} | framework)


class IconFontError(ValueError):
    """An icon Inspector names has no glyph in Flet's font (a Flet upgrade renamed it, or a typo)."""


class IconFont:
    """The cut of Flet's Material icon font, named by its digest and made on first request."""

    def __init__(self, cache_dir: Path, source: Path = SOURCE, package: Path = PACKAGE):
        self.cache_dir, self.source, self.package = Path(cache_dir), source, package
        self.glyphs = kept_glyphs(package)
        key = hashlib.sha256(_digest(source).encode())
        key.update(fontTools.version.encode())
        key.update("\n".join(sorted(self.glyphs)).encode())
        self.digest = key.hexdigest()[:16]
        self.asset = f"{ASSET_PREFIX}{self.digest}.woff2"  # relative to /assets/, as the manifest names fonts

    def path(self) -> Path:
        """The cut's file, made once (blocking: call it from a worker thread)."""
        target = self.cache_dir / f"MaterialIcons-{self.digest}.woff2"
        with _making:
            if not target.is_file():
                self.cache_dir.mkdir(parents=True, exist_ok=True)
                write_atomically(target, self.cut())
        return target

    def cut(self) -> bytes:
        """The WOFF2 bytes of the cut: the kept glyphs, with their code points and metrics."""
        font = TTFont(self.source)
        cmap = font.getBestCmap()
        missing = self.glyphs - set(cmap.values())
        kept = self.glyphs - missing
        unknown = {glyph_name(icon) for icon in app_icons(self.package)} & missing  # framework names may differ by Flet
        if unknown:
            raise IconFontError(f"no glyph in {self.source.name} for {sorted(unknown)}")
        options = subset.Options()
        options.flavor = "woff2"
        options.glyph_names = True
        options.notdef_outline = True
        options.name_IDs = ["*"]
        options.layout_features = []
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=[code for code, glyph in cmap.items() if glyph in kept])
        subsetter.subset(font)
        out = io.BytesIO()
        font.flavor = "woff2"
        font.save(out)
        return out.getvalue()


@cache
def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


