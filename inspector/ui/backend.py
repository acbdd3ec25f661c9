"""Where a session's Workspace comes from: the server's database, or the field client's store.

A ``Backend`` turns a username and password into a ``Workspace`` and back.
``ServerBackend`` checks passwords against the server's own users (the web UI
inside the server); the field client's backend (``inspector.ui.field``)
logs in over HTTP and keeps its token in the local store. Calls block: views
run them through ``asyncio.to_thread``.
"""

from typing import TYPE_CHECKING, Protocol

from inspector.errors import NotAuthenticated, TokenExpired
from inspector.services.context import Context
from inspector.services.workspace import ServerWorkspace, Workspace

if TYPE_CHECKING:
    from inspector.sync.round_progress import RoundProgress


class Backend(Protocol):
    mode: str  # "server" or "field"
    keeps_token: bool  # False: the UI keeps the token on the device (browser storage)
    sync_progress: "RoundProgress | None"  # the field client's rounds, for the sync bar's photo count

    def resume(self, token: str | None) -> Workspace | None:
        """The workspace of a login still valid on this device, or None when the person must log in.

        Only a token the server no longer takes means "log in again"; any other
        failure (the database down) raises, for the UI's guard to word."""

    def login(self, username: str, password: str) -> tuple[Workspace, str | None]:
        """A workspace for these credentials and the token to keep (None when the backend keeps it)."""

    def logout(self, workspace: Workspace, token: str | None) -> None: ...


class ServerBackend:
    """Logins checked against the server's users; each browser session gets a ServerWorkspace."""

    mode = "server"
    keeps_token = False
    sync_progress = None  # no sync rounds: the server is the store

    def __init__(self, ctx: Context):
        self.ctx = ctx

    def resume(self, token: str | None) -> Workspace | None:
        if not token:
            return None
        from inspector.services import auth  # lazy: password hashing (argon2) is the server's, not the phone app's
        try:
            actor, user = auth.authenticate(self.ctx, token)
        except (NotAuthenticated, TokenExpired):  # unknown, revoked, expired or disabled: log in again
            return None
        return ServerWorkspace(self.ctx, actor, user.display_name)

    def login(self, username: str, password: str) -> tuple[Workspace, str | None]:
        from inspector.services import auth  # lazy: as in resume
        token, _row, user = auth.login(self.ctx, username, password)
        actor, user = auth.authenticate(self.ctx, token)
        return ServerWorkspace(self.ctx, actor, user.display_name), token

    def logout(self, workspace: Workspace, token: str | None) -> None:
        if token:
            from inspector.services import auth  # lazy: as in resume
            auth.logout(self.ctx, token)
