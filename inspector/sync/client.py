"""The field client's side of the HTTP API: one method per route, failures as typed errors.

Every failure leaves here as an ``InspectorError`` the sync engine and the UI
already know how to word:

- no connection, a timeout, a connection cut mid-answer -> ``ServerUnreachable``
- 401 -> ``TokenExpired``, ``InvalidCredentials`` or ``NotAuthenticated`` (by the body's code)
- 5xx -> ``ServerFault``
- any other 4xx -> the error of the body's code (``error_for_code``)
- a success whose body is not what the route promises -> ``ServerAnswerUnreadable``

Answers are read into the wire models of ``inspector.sync.wire``; requests are
built from them.

The server's own words for an error are kept on it as ``server_message``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, TypeVar

import httpx
from pydantic import TypeAdapter, ValidationError

from inspector.domain.checklists import Checklist
from inspector.domain.oversight import OfficeRecord
from inspector.errors import (
    InspectorError,
    InvalidCredentials,
    InvalidRequest,
    NotAuthenticated,
    ServerAnswerUnreadable,
    ServerFault,
    ServerUnreachable,
    TokenExpired,
    error_for_code,
)
from inspector.store.campaigns import RoundPublic
from inspector.store.public import SitePublic
from inspector.sync.due import DueListOut
from inspector.sync.site_types import SiteTypesOut
from inspector.sync.wire import (
    CampaignOut,
    CatalogOut,
    ChecklistsOut,
    DelegatedOffices,
    ItemDetailOut,
    LookBackOut,
    NoticesOut,
    PhotoFactsOut,
    PullResponse,
    PushRequest,
    PushResponse,
    SampleKept,
    SiteList,
    TokenRequest,
    TokenResponse,
    UserPublic,
)

T = TypeVar("T")

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

    def _read(self, shape: type[T], method: str, path: str, **kwargs) -> T:
        """The answer to a request, read as ``shape`` (a wire model, or a list or dict of them)."""
        response = self._send(method, path, **kwargs)
        try:
            return _adapter(shape).validate_json(response.content)
        except ValidationError as exc:
            raise ServerAnswerUnreadable(route=path, problem=str(exc.errors()[0]["msg"])) from exc

    # --- routes ------------------------------------------------------------------------
    def health(self) -> bool:
        """Does the server answer at all?"""
        try:
            return self._send("GET", "/api/health", auth=False).status_code == 200
        except InspectorError:
            return False

    def login(self, username: str, password: str, device_id: str | None = None) -> TokenResponse:
        """Trade credentials for a token (kept on this client too)."""
        try:
            request = TokenRequest(username=username, password=password, device_id=device_id)
        except ValidationError as exc:  # as the server would answer it (an empty or over-long field)
            raise InvalidRequest(problem=str(exc.errors()[0]["msg"])) from exc
        token = self._read(TokenResponse, "POST", "/api/auth/token", auth=False, json=request.model_dump(mode="json"))
        self.token = token.access_token
        return token

    def logout(self) -> None:
        """Revoke this client's token on the server and forget it."""
        if self.token:
            self._send("POST", "/api/auth/logout")
        self.token = None

    def me(self) -> UserPublic:
        return self._read(UserPublic, "GET", "/api/auth/me")

    def catalogue(self) -> CatalogOut:
        return self._read(CatalogOut, "GET", "/api/catalog")

    def sites(self) -> list[SitePublic]:
        return self._read(SiteList, "GET", "/api/sites").sites

    def checklists(self) -> list[Checklist]:
        """The current version of every site type's checklist (``GET /api/checklists``)."""
        return [c.checklist() for c in self._read(ChecklistsOut, "GET", "/api/checklists").checklists]

    def site_types(self) -> SiteTypesOut:
        """Every site type with its names (``GET /api/site-types``), kept for visits offline."""
        return self._read(SiteTypesOut, "GET", "/api/site-types")

    def rounds(self) -> list[RoundPublic]:
        """Every cross-inspection round, newest first (``GET /api/rounds``), kept to name one offline."""
        return self._read(list[RoundPublic], "GET", "/api/rounds")

    def has_photo(self, sha256: str) -> bool:
        response = self._send("HEAD", f"/api/photos/{sha256}", ok_statuses=(401, 404))
        if response.status_code == 401:
            # A HEAD answer has no body to say why: ask a route that does.
            self.me()
            raise NotAuthenticated()
        return response.status_code == 200

    def put_photo(self, sha256: str, data: bytes) -> PhotoFactsOut:
        """Upload a photo's bytes: its facts (201 the first time, 200 on a repeat)."""
        return self._read(PhotoFactsOut, "PUT", f"/api/photos/{sha256}", content=data,
                          headers={"Content-Type": "application/octet-stream"})

    def push(self, request: PushRequest) -> PushResponse:
        """Send a batch of event envelopes; one result per event, in the order sent."""
        return self._read(PushResponse, "POST", "/api/sync/push", json=request.model_dump(mode="json"))

    def pull(self, after: int, limit: int = 500) -> PullResponse:
        """Visible events after the cursor, the next cursor, and whether more wait."""
        return self._read(PullResponse, "GET", "/api/sync/pull", params={"after": after, "limit": limit})

    def item(self, item_id: str) -> ItemDetailOut:
        """One item with its whole timeline (``events``) and ``photo_facts``."""
        return self._read(ItemDetailOut, "GET", f"/api/items/{item_id}")

    def photo(self, sha256: str, variant: str = "display") -> bytes:
        return self._send("GET", f"/api/photos/{sha256}", params={"variant": variant}).content

    # --- oversight: kept as the server sent them, for offline use ----------------------------
    def campaign(self) -> CampaignOut:
        """The campaign in force: phases, top leaders, ``current_phase``."""
        return self._read(CampaignOut, "GET", "/api/campaign")

    def look_backs(self, lat: float | None = None, lon: float | None = None,
                   within_days: int = 2) -> list[LookBackOut]:
        params = {"within_days": within_days, **({"lat": lat, "lon": lon} if lat is not None and lon is not None
                                                  else {})}
        return self._read(list[LookBackOut], "GET", "/api/look-backs", params=params)

    def spot_samples(self) -> list[SampleKept]:
        """A spot checker's own recorded draws, newest first (item ids and a ``checked`` flag each)."""
        return self._read(list[SampleKept], "GET", "/api/spot-samples")

    def delegations(self) -> list[DelegatedOffices]:
        """A spot checker's own delegated scopes."""
        return self._read(list[DelegatedOffices], "GET", "/api/delegations")

    def office_record(self, office: str) -> OfficeRecord:
        """An office's counts (the answer's other fields, such as the office's name, are not kept)."""
        return self._read(OfficeRecord, "GET", f"/api/offices/{office}/record")

    def visits_due(self) -> DueListOut:
        """The visits due for this person now (``sync.due``), kept for 待办 offline."""
        return self._read(DueListOut, "GET", "/api/visits/due")

    def notifications(self, limit: int = 100) -> NoticesOut:
        return self._read(NoticesOut, "GET", "/api/notifications", params={"limit": limit})


@lru_cache(maxsize=None)
def _adapter(shape: Any) -> TypeAdapter:
    """One validator per answer shape, made once."""
    return TypeAdapter(shape)
