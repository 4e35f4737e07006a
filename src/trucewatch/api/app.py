"""The ASGI application: the API under ``/api/v1``, its OpenAPI document and docs."""

from __future__ import annotations

from importlib.resources import files

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from trucewatch import __version__
from trucewatch.api import (auth, docs, documents, events, exports, headers, incidents, limits, problems, records,
                            review, stories, talks)
from trucewatch.store import Store
from trucewatch.web import pages, session

PREFIX = "/api/v1"


def create_app(store: Store, read: str = "public", per_minute: int = limits.PER_MINUTE,
               burst: int = limits.BURST, secure_cookies: bool = True) -> FastAPI:
    """The application over ``store`` (opened by the caller, who also closes it); ``read``:
    ``public``, or ``token`` for a server whose readers need a token too; ``per_minute``:
    each client's rate limit (0: none); ``secure_cookies``: the session cookie only over HTTPS
    (browsers treat 127.0.0.1 and localhost as secure)."""
    app = FastAPI(title="trucewatch", version=__version__,
                  description="Ceasefire monitoring from open-source reporting: incidents, their sources and evidence.",
                  openapi_url=f"{PREFIX}/openapi.json", docs_url=None, redoc_url=None)
    problems.install(app)
    auth.install(app, store, read)
    session.install(app, secure_cookies)
    limits.install(app, per_minute, burst)
    headers.install(app)  # installed last, so it runs first: a 429 carries the headers too
    docs.install(app)
    app.mount("/static", StaticFiles(directory=str(files("trucewatch") / "resources" / "web" / "static")), name="static")
    readers = [Depends(auth.reader)]
    app.include_router(incidents.router(store), prefix=PREFIX, dependencies=readers)
    app.include_router(records.router(store), prefix=PREFIX, dependencies=readers)
    for resource in (documents, events, stories, talks, exports):
        app.include_router(resource.router(store), prefix=PREFIX, dependencies=readers)
    app.include_router(review.router(store), prefix=PREFIX)
    app.include_router(pages.router(store), dependencies=readers)
    app.include_router(pages.account_router(store))
    return app
