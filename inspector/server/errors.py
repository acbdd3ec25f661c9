"""Every failure leaves the server as ``{"error": {"code", "message", "details"}}``."""

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from inspector.errors import InspectorError
from inspector.i18n import error_message, normalize_lang, t
from inspector.server.shapes import ErrorOut

log = logging.getLogger(__name__)

HTTP_CODES = {401: "auth.unauthenticated", 403: "auth.forbidden", 404: "request.not_found"}

# What each error status means on this API, for the OpenAPI schema (every one has the error shape).
STATUS_WORDS = {
    400: "the body could not be read as the declared content (e.g. not UTF-8)",
    401: "no bearer token, or one that is unknown, expired or revoked",
    403: "the role may not do this",
    404: "nothing there, or nothing this user may see",
    409: "conflicts with the current state",
    413: "the body is past this route's cap (code request.too_large or photo.too_large)",
    415: "not an image of a supported kind (JPEG, PNG, WebP, HEIC)",
    422: "a parameter or the body is not valid; details.problems names each field",
    429: "too many attempts; the Retry-After header says how many seconds to wait",
}


def error_responses(*statuses: int) -> dict:
    """OpenAPI ``responses`` declaring these error statuses, each with the error shape."""
    return {status: {"model": ErrorOut, "description": STATUS_WORDS[status]} for status in statuses}


# Every authenticated route: a missing or dead token, a bad parameter.
AUTHENTICATED = (401, 422)
# Routes that read a body besides.
WITH_BODY = (400, 413)


def error_body(code: str, message: str, details: dict | None = None) -> dict:
    """The one error shape: ``{"error": {"code", "message", "details"}}``."""
    return {"error": {"code": code, "message": message, "details": details or {}}}


def request_lang(request: Request) -> str:
    """The request's language, from ``Accept-Language``: the words of its answers, errors or not."""
    return normalize_lang(request.headers.get("accept-language"))


def _jsonable(details: dict) -> dict:
    return {k: v if isinstance(v, (str, int, float, bool, type(None), list, dict)) else str(v)
            for k, v in details.items()}


def error_response(error: InspectorError, lang: str) -> JSONResponse:
    """The one HTTP answer to a typed error: its status, the error shape in ``lang``, its headers.
    Also used by the body-size middleware, which answers before the app runs."""
    headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else {}
    headers.update(error.headers())  # e.g. Retry-After on a throttled login
    return JSONResponse(error_body(error.code, error_message(error, lang), _jsonable(error.details)),
                        status_code=error.status, headers=headers)


def install(app: FastAPI) -> None:
    """Map typed errors, validation failures and stray HTTP errors to the one error shape."""

    @app.exception_handler(InspectorError)
    async def _inspector_error(request: Request, error: InspectorError):
        return error_response(error, request_lang(request))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError):
        problems = []
        for e in error.errors():
            where = ".".join(str(p) for p in e.get("loc", ()) if p != "body")
            problems.append({"field": where, "problem": e.get("msg", "")})
        summary = "; ".join(f"{p['field']}: {p['problem']}" for p in problems[:5])
        message = t("request.invalid", request_lang(request), problem=summary)
        return JSONResponse(error_body("request.invalid", message, {"problems": problems}), status_code=422)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, error: HTTPException):
        code = HTTP_CODES.get(error.status_code, f"http.{error.status_code}")
        message = t(code, request_lang(request)) if code in HTTP_CODES.values() else str(error.detail)
        return JSONResponse(error_body(code, message), status_code=error.status_code)

    @app.exception_handler(Exception)
    async def _fault(request: Request, error: Exception):
        log.exception("unhandled error on %s", request.url.path)
        return JSONResponse(error_body("server.fault", t("inspector.error", request_lang(request))), status_code=500)
