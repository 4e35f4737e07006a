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
from sqlalchemy import and_, or_

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


def keyset_order(column: Any, ident: Any) -> tuple[Any, ...]:
    """The order a keyset page walks: by ``column`` with the empty ones last, ties by ``ident``."""
    return (column.is_(None), column, ident)


def keyset_after(column: Any, ident: Any, cursor: str) -> Any:
    """The rows after the cursor's key in :func:`keyset_order`; a 400 for a cursor we did not give."""
    empty, value, last = decode_cursor(cursor, 3)
    if empty not in (0, 1) or isinstance(empty, bool) or not isinstance(value, str) or not isinstance(last, str):
        raise ProblemError(400, "Bad request", "cursor is not one this API gave")
    if empty:
        return and_(column.is_(None), ident > last)
    return or_(column.is_(None), column > value, and_(column == value, ident > last))


def keyset_page(session: Any, query: Any, column: Any, ident: Any, limit: int,
                cursor: str | None) -> tuple[list[tuple[Any, ...]], str | None]:
    """One page of ``query``'s rows in :func:`keyset_order`, and the cursor of the next page
    (None on the last). The cursor carries the last row's key, so rows added meanwhile never
    shift a page."""
    if cursor is not None:
        query = query.where(keyset_after(column, ident, cursor))
    rows = session.execute(query.add_columns(column, ident).order_by(*keyset_order(column, ident))
                           .limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    following = None
    if more and rows:
        value, last = rows[-1][-2], rows[-1][-1]
        following = encode_cursor([int(value is None), value or "", last])
    return [tuple(r[:-2]) for r in rows], following
