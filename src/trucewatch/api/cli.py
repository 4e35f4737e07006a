"""``trucewatch serve``, added to the main ``trucewatch`` app."""

# no "from __future__ import annotations": typer reads the option types at run time

from typing import Annotated, Any

import typer
from rich.console import Console


def register(app: typer.Typer, out: Console, err: Console, db_option: Any, create_option: Any,
             open_store: Any) -> None:
    """Add ``serve`` to ``app`` (the options and the opener are the main CLI's own)."""

    @app.command()
    def serve(
        db: db_option = None,
        host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1: this machine only).")] = "127.0.0.1",
        port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    ) -> None:
        """Serve the API (/api/v1, OpenAPI document at /api/v1/openapi.json) until stopped."""
        import uvicorn

        from trucewatch.api.app import create_app
        from trucewatch.store.db import display_name

        store = open_store(db)
        try:
            err.print(f"serving {display_name(store.url)} on http://{host}:{port}/api/v1/incidents "
                      "(Ctrl-C stops)", highlight=False)
            uvicorn.run(create_app(store), host=host, port=port, log_level="warning")
        finally:
            store.close()
