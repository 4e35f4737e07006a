"""Cursor pagination and ETags.

A cursor is the sort key of the last item served, encoded: the next page starts after
it, so pages stay consistent while incidents are added (no offsets that shift). ETags
are a digest of the body: a client that sends ``If-None-Match`` with the one it holds
gets a 304 and no body when nothing changed.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from fastapi import Request, Response

from trucewatch.api.problems import ProblemError


def encode_cursor(key: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, length: int) -> list[Any]:
    """The key a cursor carries; a cursor we did not make is a 400, not a crash."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ProblemError(400, "Bad request", "cursor is not one this API gave") from None
    if not isinstance(key, list) or len(key) != length:
        raise ProblemError(400, "Bad request", "cursor is not one this API gave")
    return key


def json_response(request: Request, body: bytes, status: int = 200) -> Response:
    """``body`` with its ETag, or a bodiless 304 when the client already holds it."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    held = request.headers.get("if-none-match", "")
    if held and (held.strip() == "*" or etag in [t.strip().removeprefix("W/") for t in held.split(",")]):
        return Response(status_code=304, headers=headers)
    return Response(body, status_code=status, media_type="application/json", headers=headers)
