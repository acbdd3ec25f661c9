"""The FastAPI application: API routes first, then the Flet web UI at ``/``."""

from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.types import ASGIApp

from inspector import __version__
from inspector.server import errors
from inspector.server.limits import BodyLimit
from inspector.server.routes import (auth, catalog, checklists, findings, items, oversight, photos, reports,
                                     schedules, scores, sites, sync, tiles, visits)
from inspector.server.security import SecurityHeaders
from inspector.services.context import Context
from inspector.services.supervision import Supervisor


class InspectorApp(FastAPI):
    """FastAPI with ``SecurityHeaders`` outermost: around the error middleware too, so even a 500 has them."""

    def __init__(self, *, tile_url: str, hsts: bool, **options):
        super().__init__(**options)
        self.tile_url, self.hsts = tile_url, hsts

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(super().build_middleware_stack(), tile_url=self.tile_url, hsts=self.hsts)


def create_app(ctx: Context, with_ui: bool = True, tls: bool = False) -> FastAPI:
    """The server over ``ctx``; ``with_ui=False`` (``serve --no-ui``) serves the API alone (tests, headless
    nodes); ``tls=True`` when it is served over HTTPS (adds HSTS). Raises if the web UI cannot be mounted."""
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
    # schedules before any visits' routes: /api/visits/due is not the visit "due"
    for module in (catalog, auth, schedules, photos, sync, items, scores, reports, oversight, checklists, sites,
                   findings, visits):
        app.include_router(module.router)
    app.state.tiles = tiles.open_tiles(ctx.settings)  # L: INSPECTOR_TILES, maps without internet
    app.include_router(tiles.router)
    supervise_in_background(app, ctx)
    if with_ui:
        # Imported here, not at the top: the Flet UI is heavy and a server run with ``--no-ui`` (and the
        # API tests) never needs it. A UI that fails to import fails the start with its real error:
        # a server silently serving no UI would look healthy.
        from inspector.ui.web import mount_ui  # lazy: Flet loads only when the UI is served

        mount_ui(app, ctx)
    return app


def supervise_in_background(app: FastAPI, ctx: Context) -> None:
    """D: the 督办 sweep every ``INSPECTOR_SUPERVISION_INTERVAL_S`` seconds (0: never), from the app's start
    to its stop (its lifespan; ``app.state.supervisor`` while it runs)."""
    previous = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(host):
        supervisor = app.state.supervisor = Supervisor(ctx, ctx.settings.supervision_interval_s)
        supervisor.start()
        try:
            async with previous(host) as state:
                yield state
        finally:
            await supervisor.stop()

    app.router.lifespan_context = lifespan
