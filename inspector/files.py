"""Files written whole: a reader sees the old file or the new one, never a part.

The caches of made files (compressed static copies, the cut icon font, the unpacked full CJK font) are
shared by threads and by servers started side by side on one data folder, so each is written to a
temporary file in the same folder and moved into place.
"""

import os
import tempfile
from pathlib import Path


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` in one move; nothing is left behind when writing fails."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")  # leftovers of a kill are swept by that prefix
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
