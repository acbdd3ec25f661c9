"""The web UI's file uploads (Flet's ``PUT /upload``), guarded.

Flet's own handler takes any size, leaves files behind for ever and accepts
whatever was signed with the key; this one replaces it. An upload is accepted
only when all of these hold, else it is refused with a 4xx:

- the URL was signed with the server's secret key (403 ``upload.refused``) and
  has not expired by the clock (410 ``upload.expired``);
- it names a grant made by ``Uploads.url`` for a page session that is still
  connected, and that grant has not been used yet (403 ``upload.refused``);
- the body is within the photo size cap (413 ``photo.too_large``; the partial
  file is removed).

A view that wants a big file through the browser instead of the websocket
(``FilePicker.pick_files(with_data=False)``) asks ``Uploads.url(page.session.id,
name)`` for each file, passes the URLs to ``FilePicker.upload``, and when
``on_upload`` reports progress 1.0 reads the bytes with ``Uploads.take(name)``,
which removes the file. Files nobody took are removed by ``sweep``: at start-up
(no session is live then, so all of them) and after every upload (those whose
session has gone or whose grant is older than ``KEEP_S``). Today's views pick
photos ``with_data=True`` (bytes over the websocket) and do not upload.
"""

import hmac
import logging
import os
import secrets
import shutil
import threading
import weakref
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable

from fastapi import Request, Response
from starlette.websockets import WebSocketState
from flet_web.uploads import build_upload_query_string, get_upload_signature

from inspector.errors import UploadExpired, UploadRefused
from inspector.photos.ingest import check_size
from inspector.store.private import private_dir

log = logging.getLogger(__name__)
ENDPOINT = "upload"  # where Flet's web client is told to PUT (FletApp's default for an app at "/")
URL_S = 300  # how long a signed upload URL may be used
KEEP_S = 900  # how long an upload, once granted, may wait to be taken before a sweep removes it


@dataclass
class _Grant:
    session_id: str
    name: str
    expires: datetime
    received: bool = False


def _safe_name(file_name: str) -> str:
    name = os.path.basename(file_name.replace("\\", "/")).strip()
    return name if name not in ("", ".", "..") else "file"


class Uploads:
    """Upload grants of live page sessions, the guarded endpoint, and the folder's clean-up."""

    def __init__(self, folder: Path, max_bytes: int, secret_key: str, clock: Callable[[], datetime]):
        self.folder = private_dir(folder).resolve()
        self.max_bytes, self.secret_key, self.clock = max_bytes, secret_key, clock
        self._sessions: dict[str, weakref.ref] = {}
        self._grants: dict[str, _Grant] = {}
        self._lock = threading.Lock()  # url() may run in a handler thread, the endpoint on the event loop
        self.sweep()

    # --- sessions and grants --------------------------------------------------------------
    def watch(self, page) -> None:
        """Remember a new page's session (Flet's ``before_main``), weakly: it may upload while connected."""
        with self._lock:
            self._sessions[page.session.id] = weakref.ref(page.session)

    def _live(self, session_id: str) -> bool:
        ref = self._sessions.get(session_id)
        session = ref() if ref else None
        if session is None or session.connection is None:
            return False
        # Flet 1.0.5 leaves a session "connected" when its websocket closed during a send (its handler
        # raises before it disconnects the session): ask the websocket itself (FletApp's, pinned version).
        websocket = getattr(session.connection, "_FletApp__websocket", None)
        return websocket is not None and websocket.client_state is WebSocketState.CONNECTED \
            and websocket.application_state is WebSocketState.CONNECTED

    def url(self, session_id: str, file_name: str, expires_s: int = URL_S) -> tuple[str, str]:
        """A signed URL for one upload by the connected session ``session_id``, and the name to
        ``take`` the file by. Raises ``UploadRefused`` when the session is not connected."""
        if not self._live(session_id):
            raise UploadRefused(reason="no live session")
        grant_id = secrets.token_urlsafe(16)
        name = f"{grant_id}/{_safe_name(file_name)}"
        expires = self.clock() + timedelta(seconds=expires_s)
        query = build_upload_query_string(name, expires)
        signature = get_upload_signature(ENDPOINT, query, expires, self.secret_key)
        with self._lock:
            self._grants[grant_id] = _Grant(session_id, name, expires)
        return f"/{ENDPOINT}?{query}&s={signature}", name

    def take(self, name: str) -> bytes:
        """The bytes uploaded under ``name``; the file and its grant are removed."""
        grant_id = name.split("/", 1)[0]
        with self._lock:
            grant = self._grants.get(grant_id)
            if grant is None or grant.name != name or not grant.received:
                raise UploadRefused(reason="nothing uploaded under this name")
            del self._grants[grant_id]
        try:
            return (self.folder / name).read_bytes()
        finally:
            shutil.rmtree(self.folder / grant_id, ignore_errors=True)

    def sweep(self) -> None:
        """Remove uploads nobody will take: grants past ``KEEP_S`` or of sessions gone, and stray files."""
        now = self.clock()
        with self._lock:
            for grant_id, grant in list(self._grants.items()):
                if now >= grant.expires + timedelta(seconds=KEEP_S) or not self._live(grant.session_id):
                    del self._grants[grant_id]
            for session_id, ref in list(self._sessions.items()):
                if ref() is None:
                    del self._sessions[session_id]
            keep = set(self._grants)
        for entry in self.folder.iterdir():
            if entry.name not in keep:
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)

    # --- the endpoint ---------------------------------------------------------------------
    def _granted(self, request: Request) -> _Grant:
        query = request.query_params
        name, expires_text, signature = query.get("f"), query.get("e"), query.get("s")
        if not name or not expires_text or not signature:
            raise UploadRefused(reason="unsigned")
        try:
            expires = datetime.fromisoformat(expires_text)
        except ValueError:
            raise UploadRefused(reason="unsigned") from None
        if expires.utcoffset() is None:
            raise UploadRefused(reason="unsigned")
        expected = get_upload_signature(ENDPOINT, build_upload_query_string(name, expires), expires,
                                        self.secret_key)
        if not hmac.compare_digest(expected, signature):
            raise UploadRefused(reason="bad signature")
        if self.clock() >= expires:
            raise UploadExpired()
        with self._lock:
            grant = self._grants.get(name.split("/", 1)[0])
            if grant is None or grant.name != name or grant.received or not self._live(grant.session_id):
                raise UploadRefused(reason="no live session")
            grant.received = True  # one upload per grant, even while this one is still arriving
        return grant

    async def receive(self, request: Request) -> Response:
        """``PUT /upload``: the raw file as the body, stored for ``take``."""
        grant = self._granted(request)
        declared = request.headers.get("content-length", "")
        if declared.isdigit():
            check_size(int(declared), self.max_bytes)  # refuse before reading a byte
        target = (self.folder / grant.name).resolve()
        if target.parent.parent != self.folder:
            raise UploadRefused(reason="bad name")
        target.parent.mkdir(mode=0o700, exist_ok=True)
        partial = target.with_name(f".{target.name}.part")
        size = 0
        try:
            with open(partial, "wb") as out:
                async for chunk in request.stream():
                    size += len(chunk)
                    check_size(size, self.max_bytes)
                    out.write(chunk)
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)  # an oversize or broken upload leaves nothing behind
        self.sweep()
        return Response(status_code=200)
