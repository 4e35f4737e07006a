"""A rate limit per client: a token bucket per API token (or per address without one).

A client may send ``burst`` requests at once and ``per_minute`` a minute on average; past
that it gets a 429 problem with ``Retry-After``. Buckets live in the server's memory (one
process), which is what a single ``serve`` needs; idle buckets are dropped.
"""

from __future__ import annotations

import math
import time
from fastapi import FastAPI, Request
from starlette.types import ASGIApp, Receive, Scope, Send

from trucewatch.api.problems import problem

#: Requests a minute per client when ``serve`` is not told otherwise, and the burst allowed.
PER_MINUTE = 1200
BURST = 120
_IDLE_SECONDS = 600.0


class Buckets:
    def __init__(self, per_minute: int, burst: int) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self._level: dict[str, tuple[float, float]] = {}  # key: (tokens left, when)
        self._swept = time.monotonic()

    def take(self, key: str) -> float:
        """0 when ``key`` may go now; else the seconds until it may."""
        now = time.monotonic()
        if now - self._swept > _IDLE_SECONDS:  # forget clients gone quiet (bounded memory)
            self._level = {k: v for k, v in self._level.items() if now - v[1] < _IDLE_SECONDS}
            self._swept = now
        tokens, then = self._level.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - then) * self.rate)
        if tokens < 1.0:
            self._level[key] = (tokens, now)
            return (1.0 - tokens) / self.rate
        self._level[key] = (tokens - 1.0, now)
        return 0.0


def _client(request: Request) -> str:
    header = request.headers.get("authorization", "")
    token = header.partition(" ")[2]
    if token.startswith("tw_") and len(token) > 19:
        return "token:" + token[3:19]  # the token's id: each token has its own bucket
    return "address:" + (request.client.host if request.client else "?")


class RateLimit:
    """The limit as a plain ASGI middleware (no extra task per request, unlike Starlette's
    ``@app.middleware("http")``): a client over its rate gets the 429 problem here."""

    def __init__(self, app: ASGIApp, per_minute: int, burst: int) -> None:
        self.app = app
        self.per_minute = per_minute
        self.buckets = Buckets(per_minute, max(1, min(burst, per_minute)))  # never more than a minute's worth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            request = Request(scope)
            wait = self.buckets.take(_client(request))
            if wait > 0:
                response = problem(request, 429, "Too many requests", f"at most {self.per_minute} requests a "
                                   f"minute; try again in {math.ceil(wait)} s", {"Retry-After": str(math.ceil(wait))})
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def install(app: FastAPI, per_minute: int = PER_MINUTE, burst: int = BURST) -> None:
    """Limit every request; ``per_minute`` 0 turns the limit off."""
    if per_minute > 0:
        app.add_middleware(RateLimit, per_minute=per_minute, burst=burst)
