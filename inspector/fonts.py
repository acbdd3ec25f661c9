"""The server's full CJK font: kept compressed in the repository, unpacked once to a cache file.

``assets/fonts/NotoSansSC-Full.ttf.br`` is the TrueType font with every CJK
Unified Ideograph and Extension A (see ``assets/fonts/README.md``), brotli-compressed
so no file in the repository passes 8 MB (WOFF2 would be smaller still, but
fontTools rebuilds its outlines in Python: 23 s; brotli unpacks in 70 ms). The
watermark (Pillow), the PDF reports (fpdf2) and the web font slices read a
file path, so ``full_font()`` writes the TrueType to the system's temporary
folder under a name made of the compressed file's digest: once per machine and
font version, atomically, so processes racing to make it read the same complete file.
"""

import hashlib
import tempfile
import threading
from functools import cache
from pathlib import Path

from inspector.files import write_atomically

FONTS = Path(__file__).resolve().parents[1] / "assets" / "fonts"
FULL_FONT_PACKED = FONTS / "NotoSansSC-Full.ttf.br"

_making = threading.Lock()


@cache
def full_font() -> Path:
    """The path of the full font as TrueType, unpacking it on first use."""
    data = FULL_FONT_PACKED.read_bytes()
    target = Path(tempfile.gettempdir()) / f"inspector-NotoSansSC-Full-{hashlib.sha256(data).hexdigest()[:16]}.ttf"
    with _making:
        if not target.exists():
            _unpack(data, target)
    return target


def _unpack(packed: bytes, target: Path) -> None:
    import brotli  # lazy: a server-side dependency; the phone app imports this module but never stamps

    write_atomically(target, brotli.decompress(packed))
