"""Map tiles served by Inspector itself (``INSPECTOR_TILES``), for a bureau's network without internet.

The source is either an MBTiles file (SQLite; rows in TMS order, so the XYZ
row is flipped: ``tile_row = 2**z - 1 - y``) or a folder laid out
``{z}/{x}/{y}.png`` (or ``.jpg``/``.webp``). Coordinates are checked against
the zoom's grid before anything is read, so a hostile ``z/x/y`` is a missing
tile, never a query or a path outside the folder.
"""

import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

MAX_TILE_ZOOM = 24
FOLDER_TYPES = (("png", "image/png"), ("jpg", "image/jpeg"), ("jpeg", "image/jpeg"), ("webp", "image/webp"))
MAGIC = ((b"\x89PNG", "image/png"), (b"\xff\xd8\xff", "image/jpeg"), (b"RIFF", "image/webp"))


@dataclass(frozen=True)
class Tile:
    data: bytes
    media_type: str


def in_grid(z: int, x: int, y: int) -> bool:
    """Whether ``z/x/y`` names a tile of the Web Mercator grid (0 <= x, y < 2**z, z <= MAX_TILE_ZOOM)."""
    return 0 <= z <= MAX_TILE_ZOOM and 0 <= x < 2 ** z and 0 <= y < 2 ** z


def sniff(data: bytes) -> str:
    """The image type of a tile's bytes (MBTiles stores no type per tile); PNG when unsure."""
    return next((media for magic, media in MAGIC if data.startswith(magic)), "image/png")


class TileSource:
    """Reads tiles from an MBTiles file or a ``{z}/{x}/{y}.ext`` folder; ``tile`` returns None when absent."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.is_folder = self.path.is_dir()
        if not self.is_folder and not self.path.is_file():
            raise FileNotFoundError(f"INSPECTOR_TILES: no such file or folder: {self.path}")
        self._local = threading.local()  # one read-only connection per thread (sqlite3 objects are per thread)

    def _connection(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
            self._local.con = con
        return con

    def tile(self, z: int, x: int, y: int) -> Tile | None:
        """The tile at XYZ ``z/x/y``, or None when it is outside the grid or not in the source."""
        if not in_grid(z, x, y):
            return None
        if self.is_folder:
            return self._from_folder(z, x, y)
        row = self._connection().execute(
            "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
            (z, x, 2 ** z - 1 - y)).fetchone()
        if row is None or not row[0]:
            return None
        data = bytes(row[0])
        return Tile(data, sniff(data))

    def _from_folder(self, z: int, x: int, y: int) -> Tile | None:
        # z, x, y are checked ints: the path cannot leave the folder
        for ext, media in FOLDER_TYPES:
            file = self.path / str(z) / str(x) / f"{y}.{ext}"
            if file.is_file():
                return Tile(file.read_bytes(), media)
        return None
