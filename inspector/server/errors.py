"""Every failure leaves the server as ``{"error": {"code", "message", "details"}}``."""

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from inspector.errors import InspectorError
from inspector.i18n import error_message, normalize_lang, t

log = logging.getLogger(__name__)

HTTP_CODES = {401: "auth.unauthenticated", 403: "auth.forbidden", 404: "request.not_found"}


def error_body(code: str, message: str, details: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "details": details or {}}}


def _lang(request: Request) -> str:
    return normalize_lang(request.headers.get("accept-language"))


def _jsonable(details: dict) -> dict:
    return {k: v if isinstance(v, (str, int, float, bool, type(None), list, dict)) else str(v)
            for k, v in details.items()}


def install(app: FastAPI) -> None:
    """Map typed errors, validation failures and stray HTTP errors to the one error shape."""

    @app.exception_handler(InspectorError)
    async def _inspector_error(request: Request, error: InspectorError):
        headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
        return JSONResponse(
            error_body(error.code, error_message(error, _lang(request)), _jsonable(error.details)),
            status_code=error.status,
            headers=headers,
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError):
        problems = []
        for e in error.errors():
            where = ".".join(str(p) for p in e.get("loc", ()) if p != "body")
            problems.append({"field": where, "problem": e.get("msg", "")})
        summary = "; ".join(f"{p['field']}: {p['problem']}" for p in problems[:5])
        message = t("request.invalid", _lang(request), problem=summary)
        return JSONResponse(error_body("request.invalid", message, {"problems": problems}), status_code=422)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, error: HTTPException):
        code = HTTP_CODES.get(error.status_code, f"http.{error.status_code}")
        message = t(code, _lang(request)) if code in HTTP_CODES.values() else str(error.detail)
        return JSONResponse(error_body(code, message), status_code=error.status_code)

    @app.exception_handler(Exception)
    async def _fault(request: Request, error: Exception):
        log.exception("unhandled error on %s", request.url.path)
        return JSONResponse(error_body("server.fault", t("inspector.error", _lang(request))), status_code=500)
