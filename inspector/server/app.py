"""The FastAPI application: API routes first, then the Flet web UI at ``/``."""

import logging

from fastapi import FastAPI
from starlette.types import ASGIApp

from inspector import __version__
from inspector.server import errors
from inspector.server.limits import BodyLimit
from inspector.server.routes import auth, catalog, items, oversight, photos, reports, scores, sync
from inspector.server.security import SecurityHeaders
from inspector.services.context import Context

log = logging.getLogger(__name__)


class InspectorApp(FastAPI):
    """FastAPI with ``SecurityHeaders`` outermost: around the error middleware too, so even a 500 has them."""

    def __init__(self, *, tile_url: str, hsts: bool, **options):
        super().__init__(**options)
        self.tile_url, self.hsts = tile_url, hsts

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(super().build_middleware_stack(), tile_url=self.tile_url, hsts=self.hsts)


def create_app(ctx: Context, with_ui: bool = True, tls: bool = False) -> FastAPI:
    """The server over ``ctx``; ``with_ui=False`` serves the API alone (tests, headless nodes);
    ``tls=True`` when it is served over HTTPS (adds HSTS)."""
    app = InspectorApp(
        tile_url=ctx.settings.tile_url,
        hsts=tls,
        title="Inspector 创卫巡查",
        version=__version__,
        description="Field inspection and rectification for city sanitation campaigns. "
        "Errors are {\"error\": {\"code\", \"message\", \"details\"}}.",
    )
    app.state.context = ctx
    errors.install(app)
    app.add_middleware(BodyLimit, settings=ctx.settings)  # 413 before a body past its route's cap is read
    for module in (catalog, auth, photos, sync, items, scores, reports, oversight):
        app.include_router(module.router)
    if with_ui:
        try:
            from inspector.ui.web import mount_ui
        except ImportError:  # the UI arrives with its own issue
            log.info("web UI not available")
        else:
            mount_ui(app, ctx)
    return app
