"""Security headers on every answer: a strict Content-Security-Policy (our own files only,
no inline script, no framing), no MIME sniffing, no referrer. CORS stays off (FastAPI adds
no CORS headers unless told), so other sites' pages cannot read the API from a browser."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

#: Scripts, styles and images from our own files only: nothing inline, nothing from elsewhere.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
           "X-Frame-Options": "DENY", "Cross-Origin-Opener-Policy": "same-origin"}


def install(app: FastAPI) -> None:
    @app.middleware("http")
    async def _secure(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response
