"""Who may do what: reading is public or needs a token (``serve --read``); writing needs a
token of a role high enough. Tokens come as ``Authorization: Bearer tw_...``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from trucewatch.api.access import Principal, Verifier
from trucewatch.api.problems import ProblemError
from trucewatch.store import Store

READ_MODES = ("public", "token")
_bearer = HTTPBearer(auto_error=False, description="An API token: `trucewatch tokens create NAME`.")
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="trucewatch"'}


def install(app: FastAPI, store: Store, read: str) -> None:
    if read not in READ_MODES:
        raise ValueError(f"read must be one of {', '.join(READ_MODES)}, got {read!r}")
    app.state.verifier = Verifier(store)
    app.state.read = read
    if read == "public":
        _document_optional_reading(app)


def _document_optional_reading(app: FastAPI) -> None:
    """On a public server a reading route takes a token but does not need one: say so in the
    OpenAPI document (an empty requirement beside the bearer one)."""
    plain = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = plain()
            for methods in spec.get("paths", {}).values():
                operation = methods.get("get")
                if operation and operation.get("security") and {} not in operation["security"]:
                    operation["security"] = [{}, *operation["security"]]
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def caller(request: Request,
           _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)] = None) -> Principal | None:
    """The token's holder, None without a token; a token that is malformed, unknown or
    revoked is a 401 (never silently anonymous)."""
    header = request.headers.get("authorization")
    if header is None:
        return signed_in(request)
    scheme, _, value = header.partition(" ")
    principal = request.app.state.verifier.principal(value) if scheme.lower() == "bearer" and value else None
    if principal is None:
        raise ProblemError(401, "Unauthorized", "the token is not valid (malformed, unknown or revoked)", _CHALLENGE)
    request.state.principal = principal
    return principal


def signed_in(request: Request) -> Principal | None:
    """The holder of a browser session (``trucewatch.web.session``), checked again on each
    request: a revoked token or a removed user ends the session."""
    session = request.scope.get("session")
    token_id = session.get("token_id") if session else None
    if not token_id:
        return None
    principal = request.app.state.verifier.by_id(token_id)
    if principal is None:
        session.clear()
    return principal


def reader(request: Request, who: Annotated[Principal | None, Depends(caller)]) -> Principal | None:
    """Anyone may read a public server; a token-only server wants a token of any role."""
    if who is None and request.app.state.read == "token":
        raise ProblemError(401, "Unauthorized", "this server wants a token to read", _CHALLENGE)
    return who


def role(required: str) -> Callable[..., Principal]:
    """A dependency that wants a token whose role is ``required`` or higher, sent with the
    request: a browser session's cookie is not enough to change anything through the API
    (the dashboard's own forms carry a CSRF token instead)."""

    def check(request: Request, who: Annotated[Principal | None, Depends(caller)]) -> Principal:
        if who is None or request.headers.get("authorization") is None:
            raise ProblemError(401, "Unauthorized", f"this needs a token of an {required} or higher", _CHALLENGE)
        if not who.may(required):
            raise ProblemError(403, "Forbidden", f"this needs the {required} role; {who.user} is a {who.role}")
        return who

    return check
