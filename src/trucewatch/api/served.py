"""The application as each uvicorn worker process builds it, for ``trucewatch serve --workers N``.

One Python process answers on one core; several workers (uvicorn's, each a process with its
own store connection) share the listening socket. ``serve`` hands them its settings in the
environment, with one session secret for all, so a browser signed in through one worker is
signed in on every other.
"""

from __future__ import annotations

import os

from fastapi import FastAPI

from trucewatch.api.app import create_app
from trucewatch.api.limits import PER_MINUTE
from trucewatch.store import open_store

DB = "TRUCEWATCH_SERVE_DB"
READ = "TRUCEWATCH_SERVE_READ"
RATE = "TRUCEWATCH_SERVE_RATE"
SECURE = "TRUCEWATCH_SERVE_SECURE_COOKIES"


def app() -> FastAPI:
    """The app over the store ``serve`` opened (the store is closed when the worker exits)."""
    store = open_store(os.environ[DB], create=False)
    return create_app(store, read=os.environ.get(READ, "public"), per_minute=int(os.environ.get(RATE, PER_MINUTE)),
                      secure_cookies=os.environ.get(SECURE, "1") == "1")
