"""The web UI inside the server: the Flet app mounted at "/" after the API routes.

Each browser session logs in against the server's users and gets a
``ServerWorkspace``; its token is kept in the browser's storage, so a phone
stays logged in until logout or expiry. The web client is served without any
CDN (``no_cdn``); its CJK fonts are Inspector's own: the engine's fallback
slices and the rare-character font, which a session gets only once it shows or is typed one
of its characters (``inspector.ui.webfonts``, ``inspector.ui.rare_font``), and its
font manifest leaves out the KaTeX fonts (Flet bundles them for LaTeX in
Markdown, which Inspector never shows; the engine would load all 20 at start) and
the Cupertino icons, and names Inspector's cut of the Material icons (``inspector.ui.iconfont``).
The server sends its files compressed, with caching headers (``inspector.server.static``).
"""

import hashlib
import json
import logging
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Callable

import flet.fastapi as flet_fastapi
import flet_web
from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Mount

from inspector.server import errors
from inspector.server.static import IMMUTABLE, REVALIDATE, CompressedStatic, CompressionCache, etag_matches
from inspector.services.context import Context, utc_now
from inspector.settings import Settings
from inspector.ui.app import make_main
from inspector.ui.backend import ServerBackend
from inspector.ui import rare_font, theme
from inspector.ui.font_preload import PreloadingIndex
from inspector.ui.iconfont import CUPERTINO_FAMILY, FAMILY as ICON_FAMILY, IconFont
from inspector.ui.uploads import ENDPOINT, Uploads
from inspector.ui.webfonts import SLICE_PATH, FallbackFonts, FallbackTableError, font_response

log = logging.getLogger(__name__)
ASSETS = Path(__file__).resolve().parents[2] / "assets"
APP_NAME = "创卫巡查 Inspector"
UNUSED_FONT_FAMILIES = "packages/flutter_math_fork/"  # KaTeX, for LaTeX in Markdown


def font_manifest(icons: IconFont) -> bytes:
    """Flet's ``FontManifest.json`` as ``no_cdn`` serves it (plus Roboto), without the KaTeX and
    Cupertino icon families, its Material icons being Inspector's cut (``inspector.ui.iconfont``)."""
    manifest = json.loads((Path(flet_web.get_package_web_dir()) / "assets" / "FontManifest.json").read_text())
    kept = [family for family in manifest
            if not family["family"].startswith(UNUSED_FONT_FAMILIES) and family["family"] != CUPERTINO_FAMILY]
    for family in kept:
        if family["family"] == ICON_FAMILY:
            family["fonts"] = [{"asset": icons.asset}]
    kept.append({"family": "Roboto", "fonts": [{"asset": "fonts/roboto.woff2"}]})
    return json.dumps(kept).encode()


def add_font_routes(app: FastAPI, cache_dir: Path) -> None:
    """The engine's fallback slices (``/assets/fonts/<family>/<version>/<file>``) and the font manifest,
    ahead of Flet's static files."""
    fonts = FallbackFonts(Path(flet_web.get_package_web_dir()) / "main.dart.js", cache_dir)
    icons = IconFont(cache_dir)
    manifest = font_manifest(icons)
    manifest_etag = f'W/"{hashlib.sha256(manifest).hexdigest()[:32]}"'

    async def fallback_slice(request: Request, family: str, version: str, name: str) -> Response:
        path = f"{family}/{version}/{name}"
        if not SLICE_PATH.match(path):
            return Response(status_code=404)
        try:
            found = await run_in_threadpool(fonts.path_for, path)
        except FallbackTableError as error:  # a Flet whose client Inspector cannot read: the fonts 404
            log.error("the web client's font fallback table could not be read: %s", error)
            found = None
        return font_response(request, found)

    async def manifest_json(request: Request) -> Response:
        headers = {"ETag": manifest_etag, "Cache-Control": REVALIDATE}
        if etag_matches(request.headers.get("if-none-match"), manifest_etag):
            return Response(status_code=304, headers=headers)
        return Response(manifest, media_type="application/json", headers=headers)

    async def icon_font(request: Request) -> Response:  # its name carries its digest: kept for a year
        headers = {"ETag": f'W/"{icons.digest}"', "Cache-Control": IMMUTABLE}
        if etag_matches(request.headers.get("if-none-match"), headers["ETag"]):
            return Response(status_code=304, headers=headers)
        return FileResponse(await run_in_threadpool(icons.path), media_type="font/woff2", headers=headers)

    app.add_api_route("/assets/fonts/{family}/{version}/{name}", fallback_slice, methods=["GET", "HEAD"],
                      include_in_schema=False)
    app.add_api_route("/assets/FontManifest.json", manifest_json, methods=["GET", "HEAD"], include_in_schema=False)
    app.add_api_route(f"/assets/{icons.asset}", icon_font, methods=["GET", "HEAD"], include_in_schema=False)
    for _ in range(3):  # ahead of the static files mounted at "/"
        app.router.routes.insert(0, app.router.routes.pop())
    app.state.fallback_fonts = fonts


def flet_web_app(main, settings: Settings, clock: Callable[[], datetime] = utc_now) -> FastAPI:
    """The Flet web client and its websocket, as a FastAPI sub-application.

    Flet's own ``/upload`` is left out (no ``upload_dir``) and replaced by the
    guarded one of ``inspector.ui.uploads``, reachable as ``app.state.uploads``;
    the upload URLs are signed with the data folder's key (``resolved_secret_key``).
    """
    secret_key = settings.resolved_secret_key()
    uploads = Uploads(settings.data_dir / "uploads", settings.photo_max_bytes, secret_key, clock)
    app = flet_fastapi.app(main, before_main=uploads.watch, assets_dir=str(ASSETS), secret_key=secret_key,
                           no_cdn=True, app_name=APP_NAME, app_short_name="创卫巡查",
                           app_description="创卫巡查：现场上报、整改、核查")
    app.add_api_route(f"/{ENDPOINT}", uploads.receive, methods=["PUT"], include_in_schema=False)
    app.router.routes.insert(0, app.router.routes.pop())  # ahead of the static files mounted at "/"
    add_font_routes(app, settings.data_dir / "cache" / "fonts")
    errors.install(app)  # refusals leave as {"error": ...} with their 4xx, as on the API
    app.state.uploads = uploads
    return app


def compress_static_files(app: FastAPI, cache: CompressionCache) -> None:
    """Serve Flet's static files (its mount at "/") compressed and with caching headers."""
    for route in app.router.routes:
        if isinstance(route, Mount) and isinstance(route.app, flet_fastapi.FletStaticFiles):
            route.app = CompressedStatic(route.app, cache)
            return
    raise RuntimeError("Flet's static files are not mounted where expected")  # a Flet upgrade moved them


def preload_first_fonts(app: FastAPI) -> None:
    """The served page asks for the first screens' font slices itself (``inspector.ui.font_preload``)."""
    for route in app.router.routes:
        if isinstance(route, Mount) and route.path == "":
            files = getattr(route.app, "files", route.app)  # Flet's, maybe inside CompressedStatic
            if isinstance(files, flet_fastapi.FletStaticFiles):
                route.app = PreloadingIndex(route.app, files, app.state.fallback_fonts.table)
                return
    raise RuntimeError("Flet's static files are not mounted where expected")  # a Flet upgrade moved them


def run_flet_manager_with(app: FastAPI) -> None:
    """A mounted sub-app's lifespan never runs: start Flet's session manager with the host app's."""
    previous = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(host):
        await flet_fastapi.app_manager.start()
        try:
            async with previous(host) as state:
                yield state
        finally:
            await flet_fastapi.app_manager.shutdown()

    app.router.lifespan_context = lifespan


def mount_ui(app: FastAPI, ctx: Context) -> None:
    """Serve the phone UI at "/" of ``app`` (mount after the API routes)."""
    backend = ServerBackend(ctx)
    main = make_main(lambda: backend, ctx.settings)
    ui = flet_web_app(main, ctx.settings, ctx.now)
    # phones fetch it over the network; the field client (same UI on loopback) has no use for it
    compress_static_files(ui, CompressionCache(ctx.settings.data_dir / "cache" / "static",
                                               best=ctx.settings.static_best_compression))
    preload_first_fonts(ui)
    rare_font.rare_characters(theme.FONT_PATH)  # read now (0.2 s), not on the loop when the first page opens
    app.mount("/", ui)
    app.state.uploads = ui.state.uploads
    run_flet_manager_with(app)
    log.info("web UI mounted at /")
