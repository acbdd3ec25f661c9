"""Request body caps per route, enforced before the body is parsed.

A body is refused with 413 as soon as it is known to be too large: at once when its
``Content-Length`` says so, else when the bytes streamed in pass the cap (chunked bodies
have no length). Nothing past the cap is read into memory, so a 50 MB push costs the
server no more than its cap.
"""

import re

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from inspector.errors import BodyTooLarge, InspectorError, PhotoTooLarge
from inspector.i18n import normalize_lang
from inspector.server.errors import error_response
from inspector.settings import Settings

KB = 1024
MB = 1024 * KB
# A push carries at most 1000 events (``PushRequest``) of capped payloads; a few KB each.
PUSH_MAX_BYTES = 8 * MB
# Every other JSON body: logins, the campaign, rounds, delegations, samples, notes.
JSON_MAX_BYTES = 256 * KB
# A pull page stops taking events once its serialised events pass this (see routes/sync.py).
PULL_PAGE_MAX_BYTES = 2 * MB

# Workbooks uploaded as a route's whole body (the site register's and the findings' imports, issue 11).
FILE_MAX_BYTES = {("POST", "/api/sites/import"): 10 * MB,
                  ("POST", "/api/findings/import"): 10 * MB}  # the technical assessment's findings

PHOTO_PUT = re.compile(r"/api/photos/[^/]+")


def too_large(method: str, path: str, size: int, settings: Settings) -> InspectorError | None:
    """The error for a body of ``size`` bytes on this route, or ``None`` if it is within the cap."""
    if method == "PUT" and PHOTO_PUT.fullmatch(path):
        limit = settings.photo_max_bytes
        if size > limit:
            return PhotoTooLarge(size_mb=round(size / MB, 1), limit_mb=round(limit / MB, 1))
        return None
    if path.startswith("/api/"):
        limit = PUSH_MAX_BYTES if (method, path) == ("POST", "/api/sync/push") else \
            FILE_MAX_BYTES.get((method, path), JSON_MAX_BYTES)
    else:
        # The web UI: its largest legitimate bodies are photos uploaded through the browser.
        limit = settings.photo_max_bytes
    if size > limit:
        return BodyTooLarge(size_kb=round(size / KB), limit_kb=round(limit / KB))
    return None


class BodyLimit:
    """ASGI middleware: 413 with the error shape for a body past its route's cap."""

    def __init__(self, app: ASGIApp, settings: Settings):
        self.app, self.settings = app, settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        headers = Headers(scope=scope)
        lang = normalize_lang(headers.get("accept-language"))
        declared = headers.get("content-length", "")
        if declared.isdigit() and (error := too_large(method, path, int(declared), self.settings)):
            await error_response(error, lang)(scope, receive, send)
            return

        received = 0
        refused: InspectorError | None = None
        started = False

        async def counted() -> Message:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if refused is None:
                    refused = too_large(method, path, received, self.settings)
                if refused is not None:
                    # Stop the app reading: whatever it makes of this, the answer is the 413 below.
                    raise refused
            return message

        async def answer(message: Message) -> None:
            nonlocal started
            if refused is not None and message["type"].startswith("http.response"):
                # The app answered a body it could not finish reading (FastAPI says 400, the photo
                # route its own 413): the one answer is the typed 413, sent once.
                if not started:
                    started = True
                    await error_response(refused, lang)(scope, receive, send)
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, answer)
        except InspectorError as error:
            if error is not refused or started:
                raise
            await answer({"type": "http.response.start", "status": error.status, "headers": []})
