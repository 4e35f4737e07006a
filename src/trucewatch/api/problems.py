"""Errors as ``application/problem+json`` (RFC 9457), so a client reads every failure one way."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

MEDIA_TYPE = "application/problem+json"


class Problem(BaseModel):
    """What went wrong: ``title`` names the kind, ``detail`` this occurrence."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None


class ProblemError(Exception):
    """Raised by a route to answer with a problem (a 400 for a malformed filter, a 404...)."""

    def __init__(self, status: int, title: str, detail: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(detail or title)
        self.status, self.title, self.detail, self.headers = status, title, detail, headers


_TITLES = {500: "Internal server error", 400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found",
           405: "Method not allowed", 406: "Not acceptable", 422: "Invalid request", 429: "Too many requests"}

#: For the OpenAPI document: the problem answers every route may give.
RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem, "description": _TITLES[code], "content": {MEDIA_TYPE: {}}}
    for code in (400, 401, 403, 404, 422)
}


def problem(request: Request, status: int, title: str, detail: str | None = None,
            headers: dict[str, str] | None = None) -> JSONResponse:
    body = Problem(title=title, status=status, detail=detail, instance=request.url.path)
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, media_type=MEDIA_TYPE,
                        headers=headers)


class NoNul:
    """No identifier, filter or query holds a NUL character, and PostgreSQL refuses one in any
    text: refused here, as the client's error, before any route reads it. A plain ASGI
    middleware (no extra task per request)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            request = Request(scope)
            if "\x00" in request.url.path or any("\x00" in v for v in request.query_params.values()):
                await problem(request, 400, _TITLES[400], "the request holds a NUL character")(scope, receive, send)
                return
        await self.app(scope, receive, send)


def install(app: FastAPI) -> None:
    """Answer every error (ours, FastAPI's validation, Starlette's 404 and 405) as a problem."""

    app.add_middleware(NoNul)

    @app.exception_handler(ProblemError)
    async def _ours(request: Request, exc: ProblemError) -> JSONResponse:
        return problem(request, exc.status, exc.title, exc.detail, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        details = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in exc.errors())
        return problem(request, 422, _TITLES[422], details)

    @app.exception_handler(Exception)
    async def _fault(request: Request, exc: Exception) -> JSONResponse:
        # a fault of ours: the client gets a problem without our internals; the log gets the rest
        logging.getLogger("trucewatch.api").error("%s %s failed", request.method, request.url.path, exc_info=exc)
        return problem(request, 500, "Internal server error", "the server failed; the fault is logged")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        title = _TITLES.get(exc.status_code, "Error")
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail != title else None
        return problem(request, exc.status_code, title, detail, getattr(exc, "headers", None))
