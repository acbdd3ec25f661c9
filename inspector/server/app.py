"""The FastAPI application: API routes first, then the Flet web UI at ``/``."""

import logging

from fastapi import FastAPI

from inspector import __version__
from inspector.server import errors
from inspector.server.routes import auth, catalog, items, oversight, photos, reports, scores, sync
from inspector.services.context import Context

log = logging.getLogger(__name__)


def create_app(ctx: Context, with_ui: bool = True) -> FastAPI:
    """The server over ``ctx``; ``with_ui=False`` serves the API alone (tests, headless nodes)."""
    app = FastAPI(
        title="Inspector 创卫巡查",
        version=__version__,
        description="Field inspection and rectification for city sanitation campaigns. "
        "Errors are {\"error\": {\"code\", \"message\", \"details\"}}.",
    )
    app.state.context = ctx
    errors.install(app)
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
