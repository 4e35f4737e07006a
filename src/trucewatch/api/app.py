"""The ASGI application: the API under ``/api/v1``, its OpenAPI document and docs."""

from __future__ import annotations

from importlib.resources import files

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from trucewatch import __version__
from trucewatch.api import docs, headers, incidents, problems, records
from trucewatch.store import Store

PREFIX = "/api/v1"


def create_app(store: Store) -> FastAPI:
    """The application over ``store`` (opened by the caller, who also closes it)."""
    app = FastAPI(title="trucewatch", version=__version__,
                  description="Ceasefire monitoring from open-source reporting: incidents, their sources and evidence.",
                  openapi_url=f"{PREFIX}/openapi.json", docs_url=None, redoc_url=None)
    problems.install(app)
    headers.install(app)
    docs.install(app)
    app.mount("/static", StaticFiles(directory=str(files("trucewatch") / "resources" / "web" / "static")), name="static")
    app.include_router(incidents.router(store), prefix=PREFIX)
    app.include_router(records.router(store), prefix=PREFIX)
    return app
