"""Security headers on every response: API, web UI, static files and errors alike.

``SecurityHeaders`` is plain ASGI and wraps the whole application (outside
Starlette's error middleware, so a 500 gets them too). The Content-Security-
Policy is the one the Flet web client runs under: scripts from this origin
only, plus the inline scripts of the page being served (allowed by their
SHA-256, computed from the page itself, so Flet's patched index needs no
'unsafe-inline'), WebAssembly (CanvasKit, skwasm: 'wasm-unsafe-eval'), workers
from blob:, images from data: and blob:, the websocket to the same origin
('self'), and the map tiles' host from ``INSPECTOR_TILE_URL``. The API docs
page (Swagger UI, loaded from its CDN) gets that CDN on top. HSTS is sent only
when the server speaks HTTPS (``serve --tls``/``--cert``).
"""

import base64
import hashlib
import re
from functools import lru_cache
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HSTS = "max-age=31536000"
DOCS_PATHS = ("/docs", "/redoc")
DOCS_CDN = "https://cdn.jsdelivr.net"
DOCS_ICON = "https://fastapi.tiangolo.com"
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)


def tile_source(tile_url: str) -> str | None:
    """The CSP source of a tile URL template: its origin, with templated labels as a wildcard
    (``https://{s}.tile.example.org/...`` -> ``https://*.tile.example.org``)."""
    parts = urlsplit(tile_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    labels = parts.netloc.split(".")
    templated = [i for i, label in enumerate(labels) if "{" in label]
    if templated:
        rest = labels[templated[-1] + 1:]
        if len(rest) < 2:  # "*.org" would allow far too much; leave tiles out instead
            return None
        return f"{parts.scheme}://*." + ".".join(rest)
    return f"{parts.scheme}://{parts.netloc}"


@lru_cache(maxsize=32)
def inline_script_hashes(html: bytes) -> tuple[str, ...]:
    """The CSP hash sources of the inline scripts in ``html``."""
    return tuple(f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'"
                 for body in _INLINE_SCRIPT.findall(html))


def content_security_policy(tile_url: str, path: str = "/", inline_hashes: tuple[str, ...] = ()) -> str:
    """The policy for a response to ``path`` whose page has inline scripts hashed ``inline_hashes``."""
    return _policy(tile_url, path in DOCS_PATHS, tuple(inline_hashes))


@lru_cache(maxsize=64)
def _policy(tile_url: str, docs: bool, inline_hashes: tuple[str, ...]) -> str:
    tiles = tile_source(tile_url)
    extra_script = (DOCS_CDN,) if docs else ()
    directives = {
        "default-src": ("'self'",),
        "script-src": ("'self'", "'wasm-unsafe-eval'", *inline_hashes, *extra_script),
        # Flutter makes <style> elements and style attributes at run time
        "style-src": ("'self'", "'unsafe-inline'", *extra_script),
        "img-src": ("'self'", "data:", "blob:", *((tiles,) if tiles else ()), *((DOCS_ICON,) if docs else ())),
        "font-src": ("'self'", "data:"),
        # 'self' covers ws:/wss: to this host; CanvasKit fetches tile images, hence the tiles here too
        "connect-src": ("'self'", *((tiles,) if tiles else ())),
        "worker-src": ("'self'", "blob:"),
        "manifest-src": ("'self'",),
        "object-src": ("'none'",),
        "base-uri": ("'self'",),
        "form-action": ("'self'",),
        "frame-ancestors": ("'none'",),
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


_NAMES = frozenset({b"content-security-policy", b"x-content-type-options", b"referrer-policy", b"x-frame-options",
                    b"strict-transport-security"})


@lru_cache(maxsize=64)
def _security_headers(tile_url: str, hsts: bool, docs: bool,
                      hashes: tuple[str, ...]) -> tuple[tuple[bytes, bytes], ...]:
    """The raw security headers of a response (``SecurityHeaders``)."""
    headers = [
        (b"content-security-policy", _policy(tile_url, docs, hashes).encode("latin-1")),
        (b"x-content-type-options", b"nosniff"),
        # only the origin leaves this site: tile servers (OpenStreetMap's policy) refuse requests with no referrer
        (b"referrer-policy", b"strict-origin-when-cross-origin"),
        (b"x-frame-options", b"DENY"),  # frame-ancestors for browsers that predate it
    ]
    if hsts:
        headers.append((b"strict-transport-security", HSTS.encode()))
    return tuple(headers)


class SecurityHeaders:
    """Adds the security headers to every HTTP response of ``app``.

    HTML responses are held until their body is complete (pages here are a few
    kB), so the policy can allow exactly the inline scripts they carry.
    """

    def __init__(self, app: ASGIApp, tile_url: str, hsts: bool = False):
        self.app, self.tile_url, self.hsts = app, tile_url, hsts

    def _headers(self, message: Message, path: str, body: bytes | None) -> None:
        raw = message.get("headers", [])
        encoded = body is not None and "content-encoding" in MutableHeaders(raw=list(raw))
        hashes = inline_script_hashes(body) if body and not encoded else ()
        added = _security_headers(self.tile_url, self.hsts, path in DOCS_PATHS, hashes)
        # Ours replace any the app set; built once per policy, not per response.
        message["headers"] = [h for h in raw if h[0].lower() not in _NAMES] + list(added)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # a file sent by path would bypass the body we hash: ask for ordinary body messages
        extensions = {k: v for k, v in scope.get("extensions", {}).items() if k != "http.response.pathsend"}
        scope = {**scope, "extensions": extensions}
        path = scope.get("path", "/")
        held: Message | None = None
        chunks: list[bytes] = []

        async def send_with_headers(message: Message) -> None:
            nonlocal held
            if message["type"] == "http.response.start":
                content_type = MutableHeaders(raw=list(message.get("headers", []))).get("content-type", "")
                if content_type.startswith("text/html"):
                    held = message
                    return
                self._headers(message, path, None)
            elif held is not None and message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                body = b"".join(chunks)
                self._headers(held, path, body)
                start, held = held, None
                await send(start)
                message = {"type": "http.response.body", "body": body}
            await send(message)

        await self.app(scope, receive, send_with_headers)
