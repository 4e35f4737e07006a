"""Browser sessions: an analyst signs in with an API token; the browser then holds a signed
cookie (HttpOnly, SameSite=Strict, Secure unless told otherwise) naming the token, never
its secret. Every form that changes anything carries the session's CSRF token."""

from __future__ import annotations

import hmac
import os
import secrets

from fastapi import FastAPI, Request
from starlette.middleware.sessions import SessionMiddleware

from trucewatch.api.problems import ProblemError

COOKIE = "trucewatch_session"
#: Seconds a session lasts without signing in again.
MAX_AGE = 8 * 3600


def install(app: FastAPI, secure_cookies: bool = True) -> None:
    """Sessions signed with ``TRUCEWATCH_SESSION_SECRET``, or a key of this process's own
    (then a restart signs everyone out)."""
    secret = os.environ.get("TRUCEWATCH_SESSION_SECRET") or secrets.token_urlsafe(32)
    app.add_middleware(SessionMiddleware, secret_key=secret, session_cookie=COOKIE, max_age=MAX_AGE,
                       same_site="strict", https_only=secure_cookies)


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return str(token)


def check_csrf(request: Request, sent: str | None) -> None:
    """A form's CSRF token must be the session's (a 403 problem otherwise)."""
    held = request.session.get("csrf")
    if not held or not sent or not hmac.compare_digest(str(held), sent):
        raise ProblemError(403, "Forbidden", "the form's CSRF token is missing or stale; reload the page")
