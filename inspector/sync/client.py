"""The field client's side of the HTTP API: one method per route, failures as typed errors.

Every failure leaves here as an ``InspectorError`` the sync engine and the UI
already know how to word:

- no connection, a timeout, a connection cut mid-answer -> ``ServerUnreachable``
- 401 -> ``TokenExpired``, ``InvalidCredentials`` or ``NotAuthenticated`` (by the body's code)
- 5xx -> ``ServerFault``
- any other 4xx -> the error of the body's code (``error_for_code``)

The server's own words for an error are kept on it as ``server_message``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from inspector.errors import (
    InspectorError,
    InvalidCredentials,
    NotAuthenticated,
    ServerFault,
    ServerUnreachable,
    TokenExpired,
    error_for_code,
)

_AUTH_ERRORS = {cls.code: cls for cls in (TokenExpired, InvalidCredentials, NotAuthenticated)}


def error_of(response: httpx.Response) -> InspectorError:
    """The typed error an HTTP error answer stands for."""
    status = response.status_code
    body: Any = None
    if response.content:
        try:
            body = response.json()
        except ValueError:
            body = None
    err = body.get("error") if isinstance(body, dict) and isinstance(body.get("error"), dict) else {}
    code = err.get("code") or ""
    details = err.get("details") if isinstance(err.get("details"), dict) else {}
    if status >= 500:
        error: InspectorError = ServerFault(http_status=status, server_code=code or None)
    elif status == 401:
        error = _AUTH_ERRORS.get(code, NotAuthenticated)()
    else:
        try:
            error = error_for_code(code or f"http.{status}", details)
        except TypeError:  # a details shape the error class does not take
            error = error_for_code(code or f"http.{status}", {})
    error.server_message = err.get("message")
    error.http_status = status
    return error


class ApiClient:
    """A blocking client of one server, carrying the bearer token and the user's language."""

    def __init__(self, base_url: str, token: str | None = None, lang: str = "zh-CN", timeout: float = 30.0,
                 transport: httpx.BaseTransport | None = None):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.lang = lang
        # A short connect timeout: offline is the common case in the field, and it should be found out fast.
        self._http = httpx.Client(base_url=self.base_url, timeout=httpx.Timeout(timeout, connect=min(5.0, timeout)),
                                  transport=transport)
        self._owns_http = True

    def with_token(self, token: str | None) -> "ApiClient":
        """A client for another token sharing this one's connections (one per sync round, or a login)."""
        other = object.__new__(ApiClient)
        other.__dict__.update(self.__dict__, token=token, _owns_http=False)
        return other

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> "ApiClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- plumbing ---------------------------------------------------------------------
    def _headers(self, auth: bool = True) -> dict[str, str]:
        headers = {"Accept-Language": self.lang}
        if auth and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def _send(self, method: str, path: str, *, auth: bool = True, ok_statuses: tuple[int, ...] = (),
              headers: dict[str, str] | None = None, **kwargs) -> httpx.Response:
        try:
            response = self._http.request(method, path, headers={**self._headers(auth), **(headers or {})},
                                          **kwargs)
        except httpx.TransportError as exc:  # connect, read, write, timeouts, a cut connection
            raise ServerUnreachable(reason=type(exc).__name__) from exc
        if response.status_code >= 400 and response.status_code not in ok_statuses:
            raise error_of(response)
        return response

    # --- routes ------------------------------------------------------------------------
    def health(self) -> bool:
        """Does the server answer at all?"""
        try:
            return self._send("GET", "/api/health", auth=False).status_code == 200
        except InspectorError:
            return False

    def login(self, username: str, password: str, device_id: str | None = None) -> dict:
        """Trade credentials for a token (kept on this client too): the token response body."""
        body = self._send("POST", "/api/auth/token", auth=False,
                          json={"username": username, "password": password, "device_id": device_id}).json()
        self.token = body["access_token"]
        return body

    def logout(self) -> None:
        """Revoke this client's token on the server and forget it."""
        if self.token:
            self._send("POST", "/api/auth/logout")
        self.token = None

    def me(self) -> dict:
        return self._send("GET", "/api/auth/me").json()

    def catalogue(self) -> dict:
        return self._send("GET", "/api/catalog").json()

    def sites(self) -> list[dict]:
        return self._send("GET", "/api/sites").json()["sites"]

    def has_photo(self, sha256: str) -> bool:
        response = self._send("HEAD", f"/api/photos/{sha256}", ok_statuses=(401, 404))
        if response.status_code == 401:
            # A HEAD answer has no body to say why: ask a route that does.
            self.me()
            raise NotAuthenticated()
        return response.status_code == 200

    def put_photo(self, sha256: str, data: bytes) -> dict:
        """Upload a photo's bytes: its facts (201 the first time, 200 on a repeat)."""
        return self._send("PUT", f"/api/photos/{sha256}", content=data,
                          headers={"Content-Type": "application/octet-stream"}).json()

    def push(self, device_id: str, events: list[dict]) -> list[dict]:
        """Send a batch of event envelopes; one result per event, in the order sent."""
        body = self._send("POST", "/api/sync/push", json={"device_id": device_id, "events": events}).json()
        return body["results"]

    def pull(self, after: int, limit: int = 500) -> dict:
        """``{"events", "next_after", "has_more"}``: visible events after the cursor."""
        return self._send("GET", "/api/sync/pull", params={"after": after, "limit": limit}).json()

    def item(self, item_id: str) -> dict:
        """One item with its whole timeline (``events``) and ``photo_facts``."""
        return self._send("GET", f"/api/items/{item_id}").json()

    def photo(self, sha256: str, variant: str = "display") -> bytes:
        return self._send("GET", f"/api/photos/{sha256}", params={"variant": variant}).content

    # --- oversight ---------------------------------------------------------------------
    def campaign(self) -> dict:
        """The campaign in force: phases, top leaders, ``current_phase``."""
        return self._send("GET", "/api/campaign").json()

    def look_backs(self, lat: float | None = None, lon: float | None = None, within_days: int = 2) -> list[dict]:
        params = {"within_days": within_days, **({"lat": lat, "lon": lon} if lat is not None and lon is not None
                                                  else {})}
        return self._send("GET", "/api/look-backs", params=params).json()

    def spot_samples(self) -> list[dict]:
        """A spot checker's own recorded draws, newest first (item ids and a ``checked`` flag each)."""
        return self._send("GET", "/api/spot-samples").json()

    def delegations(self) -> list[dict]:
        """A spot checker's own delegated scopes."""
        return self._send("GET", "/api/delegations").json()

    def office_record(self, office: str) -> dict:
        return self._send("GET", f"/api/offices/{office}/record").json()

    def notifications(self, limit: int = 100) -> dict:
        return self._send("GET", "/api/notifications", params={"limit": limit}).json()


def sync_once_cli(server_url: str, data_dir: Path) -> int:
    """``inspector sync --server URL --data DIR``: one round (see ``inspector.sync.engine``)."""
    from inspector.sync.engine import sync_once_cli as run

    return run(server_url, data_dir)
