"""Photos: write-once upload under their SHA-256, existence check, variants."""

from fastapi import APIRouter, Request, Response

from inspector.errors import PhotoNotFound, PhotoTooLarge
from inspector.server.deps import ActorDep, ContextDep, PlainParameters
from inspector.server.errors import AUTHENTICATED, error_responses
from inspector.server.shapes import photo_out
from inspector.server.threads import run_gated
from inspector.services import photos
from inspector.sync.wire import PhotoFactsOut

router = APIRouter(prefix="/api/photos", tags=["photos"], dependencies=[PlainParameters],
                   responses=error_responses(*AUTHENTICATED))
MB = 1024 * 1024


async def _read_capped(request: Request, limit: int) -> bytes:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PhotoTooLarge(size_mb=round(size / MB, 1), limit_mb=round(limit / MB, 1))
        chunks.append(chunk)
    return b"".join(chunks)


@router.put("/{sha256}", response_model=PhotoFactsOut, status_code=201,
            responses={200: {"description": "already stored: the same facts"}, **error_responses(400, 404, 413, 415)},
            openapi_extra={"requestBody": {"content": {"image/*": {"schema": {"type": "string", "format": "binary"}}},
                                           "required": True}})
async def put_photo(sha256: str, request: Request, response: Response, actor: ActorDep,
                    ctx: ContextDep) -> PhotoFactsOut:
    """Upload a photo's bytes; the server recomputes the hash and checks the image."""
    data = await _read_capped(request, ctx.settings.photo_max_bytes)
    # A crowd of uploads decodes a core's worth at a time, holding no thread the pushes need.
    stored = await run_gated("photo", photos.put_photo, ctx, actor, sha256.lower(), data)
    response.status_code = 201 if stored.created else 200
    return photo_out(stored.photo)


@router.head("/{sha256}", response_class=Response,
             responses={200: {"description": "stored"}, 404: {"description": "not stored"}})
def head_photo(sha256: str, _actor: ActorDep, ctx: ContextDep) -> Response:
    """200 when the server has the photo, 404 when not."""
    return Response(status_code=200 if photos.has_photo(ctx, sha256.lower()) else 404)


@router.get("/{sha256}", response_class=Response,
            responses={200: {"content": {"image/jpeg": {}}}, **error_responses(404)})
def get_photo(sha256: str, actor: ActorDep, ctx: ContextDep, variant: str = "display") -> Response:
    """The image (display, thumb or original) for users who may see an item that uses it."""
    if variant not in photos.VARIANTS:
        raise PhotoNotFound(sha256=sha256)
    data = photos.photo_bytes(ctx, actor, sha256.lower(), variant)
    media = "image/jpeg" if variant != "original" else "application/octet-stream"
    return Response(data, media_type=media, headers={"Cache-Control": "private, max-age=86400, immutable"})
