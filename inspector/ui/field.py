"""The field client's UI: the same views over a FieldWorkspace, in a browser or natively on a phone.

``open_field_client(server_url, data_dir)`` opens the local store
(``inspector.sync.field.open_field``) in a private data folder. Two shells run
it: ``run_field(server_url, data_dir, host, port)`` serves the phone UI on
``host:port`` (``inspector field``), and ``inspector.phone`` runs it natively
in the app ``flet build apk`` packages (no local web server; see
docs/field-app.md, "Building the phone app"). Everything the person saves goes
to the local store and its outbox first, so the app works with no network;
sync rounds push and pull when the server answers.

The web server's pieces (uvicorn, the security headers, Flet's FastAPI app) are
imported only by ``build_field_app``/``run_field``: the phone app ships none of them.
"""

import logging
from pathlib import Path

from inspector.services.context import settings_clock
from inspector.services.workspace import Workspace
from inspector.settings import Settings
from inspector.store.private import private_dir
from inspector.sync.field import FieldClient, open_field
from inspector.ui.app import make_main

log = logging.getLogger(__name__)


class FieldBackend:
    """Logins through the field client: the token lives in its local store, not in the browser."""

    mode = "field"
    keeps_token = True

    def __init__(self, client: FieldClient):
        self.client = client
        self.sync_progress = client.engine.progress  # "上传照片 3/12" in the sync bar (``sync.round_progress``)

    def resume(self, token: str | None) -> Workspace | None:
        ws = self.client.workspace()
        if ws is not None:
            self.client.start_auto_sync()
        return ws

    def login(self, username: str, password: str) -> tuple[Workspace, str | None]:
        ws = self.client.login(username, password)
        self.client.start_auto_sync()
        return ws, None

    def logout(self, workspace: Workspace | None, token: str | None) -> None:
        self.client.logout()


def open_field_client(server_url: str, data_dir: Path) -> FieldClient:
    """The field client (local store, sync) over ``data_dir``, made private (0700) first."""
    data_dir = Path(data_dir)
    private_dir(data_dir)  # 0700: the local store keeps a login token and photos
    settings = Settings(data_dir=data_dir)
    return open_field(server_url, data_dir, settings, clock=settings_clock(settings))


def build_field_app(server_url: str, data_dir: Path):
    """The field client (local store, sync) and the ASGI app serving its UI."""
    from inspector.server.security import SecurityHeaders  # lazy: the web shell only; not on the phone
    from inspector.ui.web import flet_web_app  # lazy: Flet's FastAPI app, the web shell only
    client = open_field_client(server_url, data_dir)
    backend = FieldBackend(client)
    main = make_main(lambda: backend, client.settings)
    # its own key in its own data folder, and the same security headers as the server
    asgi = SecurityHeaders(flet_web_app(main, client.settings, client.clock), tile_url=client.settings.tile_url)
    return client, asgi


def run_field(server_url: str, data_dir: Path, host: str = "127.0.0.1", port: int = 8551) -> int:
    """Serve the field client's UI until interrupted; returns the exit code."""
    from inspector.server.serve import run_uvicorn  # lazy: uvicorn is the web shell's, not the phone's
    client, asgi = build_field_app(server_url, data_dir)
    if client.is_logged_in:
        client.start_auto_sync()
    try:
        run_uvicorn(asgi, host, port, f"Inspector 创卫巡查 field client: http://{host}:{{port}}/  "
                    f"(server {server_url}, data {data_dir})", "warning")
    finally:
        client.close()
    return 0
