"""The web UI inside the server: the Flet app mounted at "/" after the API routes.

Each browser session logs in against the server's users and gets a
``ServerWorkspace``; its token is kept in the browser's storage, so a phone
stays logged in until logout or expiry. The web client is served without any
CDN (``no_cdn``) and with the bundled CJK font from the repo's ``assets/``.
"""

import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from inspector.services.context import Context
from inspector.ui.app import make_main
from inspector.ui.backend import ServerBackend

log = logging.getLogger(__name__)
ASSETS = Path(__file__).resolve().parents[2] / "assets"
APP_NAME = "创卫巡查 Inspector"


def flet_web_app(main, upload_dir: Path, secret_key: str):
    """The Flet web client and its websocket, as a FastAPI sub-application."""
    import flet.fastapi as flet_fastapi

    upload_dir.mkdir(parents=True, exist_ok=True)
    return flet_fastapi.app(main, assets_dir=str(ASSETS), upload_dir=str(upload_dir), secret_key=secret_key,
                            no_cdn=True, app_name=APP_NAME, app_short_name="创卫巡查",
                            app_description="创卫巡查：现场上报、整改、核查")


def run_flet_manager_with(app: FastAPI) -> None:
    """A mounted sub-app's lifespan never runs: start Flet's session manager with the host app's."""
    import flet.fastapi as flet_fastapi

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
    app.mount("/", flet_web_app(main, ctx.settings.data_dir / "uploads", ctx.settings.secret_key))
    run_flet_manager_with(app)
    log.info("web UI mounted at /")
