"""``trucewatch serve``, ``users`` and ``tokens``, added to the main ``trucewatch`` app."""

# no "from __future__ import annotations": typer reads the option types at run time

from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table


def register(app: typer.Typer, out: Console, err: Console, db_option: Any, create_option: Any,
             open_store: Any) -> None:
    """Add ``serve``, ``users`` and ``tokens`` to ``app`` (the options and the opener are the main CLI's own)."""

    @app.command()
    def serve(
        db: db_option = None,
        host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1: this machine only).")] = "127.0.0.1",
        port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
        read: Annotated[str, typer.Option(help="public: anyone may read; token: readers need a token too.")] = "public",
        rate_limit: Annotated[int, typer.Option(min=0, help="Requests a minute per client (token, else address); "
                                                "0: no limit.")] = 1200,
        workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes (one core each); each keeps "
                                             "its own rate buckets, so a client's limit is shared out among "
                                             "them.")] = 1,
    ) -> None:
        """Serve the API (/api/v1, reference at /api/docs) until stopped."""
        import math
        import os
        import secrets

        import uvicorn

        from trucewatch.api.app import create_app
        from trucewatch.api.auth import READ_MODES
        from trucewatch.store.db import display_name

        if read not in READ_MODES:
            raise typer.BadParameter(f"--read takes {' or '.join(READ_MODES)}, got {read!r}")
        store = open_store(db)
        err.print(f"serving {display_name(store.url)} on http://{host}:{port}/api/docs "
                  f"(reading: {read}; {workers} worker{'s' if workers > 1 else ''}; Ctrl-C stops)", highlight=False)
        if workers > 1:
            from trucewatch.api import served

            store.close()  # each worker opens its own
            os.environ.setdefault("TRUCEWATCH_SESSION_SECRET", secrets.token_urlsafe(32))
            os.environ.update({served.DB: store.url, served.READ: read,
                               served.RATE: str(math.ceil(rate_limit / workers)) if rate_limit else "0"})
            uvicorn.run("trucewatch.api.served:app", factory=True, workers=workers, host=host, port=port,
                        log_level="warning")
            return
        try:
            uvicorn.run(create_app(store, read=read, per_minute=rate_limit), host=host, port=port,
                        log_level="warning")
        finally:
            store.close()

    users_app = typer.Typer(help="People and systems that may use the API, each with a role.", no_args_is_help=True)
    tokens_app = typer.Typer(help="API tokens (stored as argon2 hashes; the secret is shown once).",
                             no_args_is_help=True)
    app.add_typer(users_app, name="users")
    app.add_typer(tokens_app, name="tokens")

    def _run(db: Optional[str], create: bool, action: Any) -> Any:
        from trucewatch.errors import UsageError

        store = open_store(db, create)
        try:
            return action(store)
        except UsageError as exc:
            err.print(f"error: {escape(str(exc))}", highlight=False)
            raise typer.Exit(2) from None
        finally:
            store.close()

    @users_app.command("add")
    def users_add(
        name: Annotated[str, typer.Argument(help="The user's name (letters, digits, . @ + - _).")],
        role: Annotated[str, typer.Option(help="viewer (reads), analyst (also reviews) or admin.")] = "viewer",
        db: db_option = None,
        create: create_option = False,
    ) -> None:
        """Add a user."""
        from trucewatch.api.access import add_user

        _run(db, create, lambda store: add_user(store, name, role))
        err.print(f"added {escape(name)} ({role})", highlight=False)

    @users_app.command("remove")
    def users_remove(name: Annotated[str, typer.Argument()], db: db_option = None) -> None:
        """Remove a user; their tokens stop working at once."""
        from trucewatch.api.access import remove_user

        _run(db, False, lambda store: remove_user(store, name))
        err.print(f"removed {escape(name)}", highlight=False)

    @users_app.command("list")
    def users_list(db: db_option = None) -> None:
        """The users, their roles and how many live tokens each has."""
        from trucewatch.api.access import list_users

        table = Table("user", "role", "tokens")
        for name, role, tokens in _run(db, False, list_users):
            table.add_row(escape(name), role, str(tokens))
        out.print(table)

    @tokens_app.command("create")
    def tokens_create(
        name: Annotated[str, typer.Argument(help="The user the token acts for.")],
        label: Annotated[Optional[str], typer.Option(help="What the token is for (a partner system...).")] = None,
        db: db_option = None,
    ) -> None:
        """Make a token and print it: the only time its secret is shown."""
        from trucewatch.api.access import create_token

        token = _run(db, False, lambda store: create_token(store, name, label))
        out.print(token, highlight=False, soft_wrap=True)
        err.print("keep it safe: it is not stored, only its hash; `trucewatch tokens revoke` ends it",
                  highlight=False)

    @tokens_app.command("revoke")
    def tokens_revoke(
        token_id: Annotated[str, typer.Argument(help="The token's id (the 16 characters after tw_) or the token.")],
        db: db_option = None,
    ) -> None:
        """Revoke a token; it stops working at once."""
        from trucewatch.api.access import revoke_token

        _run(db, False, lambda store: revoke_token(store, token_id))
        err.print("revoked", highlight=False)
