"""Map tiles from ``INSPECTOR_TILES`` (an MBTiles file or a tile folder), for maps inside a bureau's network.

Unauthenticated, as any tile server is: the browser's map fetches tiles
without the API's token, and a tile shows nothing a printed map does not.
Coordinates are bounded ints; a tile outside the grid or not in the source is
a 404, and with no ``INSPECTOR_TILES`` every tile is a 404.
"""

import hashlib
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from inspector.errors import NotFound
from inspector.server.deps import PlainParameters
from inspector.server.errors import error_responses
from inspector.server.static import etag_matches
from inspector.store.tiles import MAX_TILE_ZOOM, TileSource

router = APIRouter(prefix="/tiles", tags=["tiles"], dependencies=[PlainParameters])
CACHE = "public, max-age=86400"  # a day: a bureau that swaps its tile file sees it the next day
EXTENSIONS = (".png", ".jpg", ".jpeg", ".webp")
Coordinate = Annotated[int, Path(ge=0, le=2 ** MAX_TILE_ZOOM - 1)]


def open_tiles(settings) -> TileSource | None:
    """The configured tile source, or None when ``INSPECTOR_TILES`` is unset (fails at start on a wrong path)."""
    return TileSource(settings.tiles) if settings.tiles else None


@router.get("/{z}/{x}/{y}", response_class=Response,
            responses={200: {"content": {"image/png": {}, "image/jpeg": {}, "image/webp": {}}},
                       304: {"description": "not modified"}, **error_responses(404, 422)})
def tile(z: Annotated[int, Path(ge=0, le=MAX_TILE_ZOOM)], x: Coordinate, y: str, request: Request) -> Response:
    """The tile ``z/x/y`` (XYZ numbering; ``y`` may end in .png/.jpg/.webp)."""
    row = next((y[:-len(e)] for e in EXTENSIONS if y.endswith(e)), y)
    source: TileSource | None = getattr(request.app.state, "tiles", None)
    if not row.isascii() or not row.isdigit() or len(row) > 9 or source is None:
        raise NotFound()
    found = source.tile(z, x, int(row))
    if found is None:
        raise NotFound()
    etag = '"' + hashlib.sha256(found.data).hexdigest()[:32] + '"'
    headers = {"Cache-Control": CACHE, "ETag": etag}
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    return Response(found.data, media_type=found.media_type, headers=headers)
