"""``trucewatch sources check|poll|status`` and ``trucewatch watch``, added to the main app."""

# no "from __future__ import annotations": typer reads the option types at run time

import json
import os
import sys
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

SourcesOption = Annotated[str, typer.Option(
    "--sources", envvar="TRUCEWATCH_SOURCES", help="The sources file (see docs/sources.example.yaml).")]
LogFormatOption = Annotated[str, typer.Option(
    "--log-format", help="json (one object a line, for a service's journal) or text.")]


def _log_format(value: str) -> str:
    if value not in ("json", "text"):
        raise typer.BadParameter("choose json or text", param_hint="--log-format")
    return value


def _status_line(row: dict[str, Any], with_file: bool) -> str:
    """One source's state as a line that reads on any terminal width."""
    name = escape(row["source"]) + (f" ({row['kind']})" if row["kind"] else "")
    if with_file and not row["configured"]:
        name += " [not in the sources file]"
    if row["last_fetch"] is None:
        return f"{name}: never polled"
    when = row["last_fetch"].replace("T", " ")[:16]
    result = row["last_result"]
    if row["errors_in_a_row"]:
        result = f"[red]error[/] ({row['errors_in_a_row']} in a row): {escape(row['last_error'] or '')}"
    items = row["items"]
    line = (f"{name}: last fetch {when} UTC, {result}; {row['fetch_errors']} of {row['fetches']} fetches failed, "
            f"{row['not_modified']} not modified; items: {items['stored']} stored, {items['unchanged']} already "
            f"known, {items['pending']} pending, {items['failed']} failed")
    if items["failed"] and row["last_item_error"]:
        line += f" (last: {escape(row['last_item_error'])})"
    return line


def register(app: typer.Typer, out: Console, err: Console, db_option: Any, create_option: Any,
             open_store: Any) -> None:
    """Add ``sources`` and ``watch`` to ``app`` (the options and the opener are the main CLI's own)."""
    sources_app = typer.Typer(help="The feeds, sitemaps, APIs and folders that watch follows.", no_args_is_help=True)
    app.add_typer(sources_app, name="sources")

    @sources_app.command("check")
    def check(sources: SourcesOption = "sources.yaml") -> None:
        """Read the sources file and list its sources; every mistake is named with its line (exit 2)."""
        from trucewatch.sources.config import load_sources

        config = load_sources(sources)
        table = Table("name", "kind", "url or folder", "outlet", "language", "every")
        for s in config.sources:
            table.add_row(escape(s.name), s.kind, escape(s.where), escape(s.outlet or ""), s.language or "",
                          f"{s.interval:g} s")
        out.print(table)
        out.print(f"{escape(str(config.path))}: {len(config.sources)} sources, no problems", highlight=False)

    @sources_app.command("poll")
    def poll(
        sources: SourcesOption = "sources.yaml",
        db: db_option = None,
        create: create_option = False,
        force: Annotated[bool, typer.Option("--force", help="Poll every source now, due or not.")] = False,
        source: Annotated[list[str], typer.Option("--source", help="Only this source (repeatable).")] = [],
        log_format: LogFormatOption = "text",
    ) -> None:
        """One pass: fetch what is due, store new articles (as ingest does). No processing: see watch.

        Exit 1 when a source or an item failed (each is logged), 143/130 when stopped by SIGTERM/SIGINT
        (the item in hand is finished and stored)."""
        from trucewatch.errors import UsageError
        from trucewatch.pipeline.lifetime import StopSignals, exit_code
        from trucewatch.sources import events
        from trucewatch.sources.config import load_sources
        from trucewatch.sources.poll import Poller

        events.configure(_log_format(log_format))
        config = load_sources(sources)
        unknown = [name for name in source if config.by_name(name) is None]
        if unknown:
            raise UsageError(f"no source named {', '.join(unknown)} in {config.path}")
        store = open_store(db, create)
        try:
            with StopSignals() as stop:
                poller = Poller(store, config, stop=stop)
                try:
                    summary = poller.run(force=force, only=source or None)
                finally:
                    poller.close()
        finally:
            store.close()
        err.print(summary.describe(), highlight=False)
        if stop.requested is not None:
            err.print("stopped after the item in hand; run again to continue", highlight=False)
            raise typer.Exit(exit_code(stop.requested))
        if not summary.ok:
            raise typer.Exit(1)

    @sources_app.command("status")
    def status(
        sources: Annotated[str, typer.Option("--sources", envvar="TRUCEWATCH_SOURCES",
                                             help="The sources file; without it, the sources the store knows.")] = "",
        db: db_option = None,
        create: create_option = False,
        as_json: Annotated[bool, typer.Option("--json", help="One JSON object per source and line.")] = False,
    ) -> None:
        """Per source: last poll and fetch, their result and errors, and how many items were stored,
        found unchanged, are pending or failed."""
        from trucewatch.sources.config import load_sources
        from trucewatch.sources.status import collect

        config = None
        if sources or os.path.exists("sources.yaml"):
            config = load_sources(sources or "sources.yaml")
        store = open_store(db, create)
        try:
            rows = collect(store, config)
        finally:
            store.close()
        if as_json:
            for row in rows:
                sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
            return
        for row in rows:
            out.print(_status_line(row, config is not None), highlight=False)
        if not rows:
            out.print("no source has been polled yet", highlight=False)

    @app.command("watch")
    def watch(
        sources: SourcesOption = "sources.yaml",
        db: db_option = None,
        create: create_option = False,
        once: Annotated[bool, typer.Option("--once", help="One round (poll, process, fuse), then exit.")] = False,
        no_process: Annotated[bool, typer.Option("--no-process", help="Only poll and store; process later.")] = False,
        workers: Annotated[int, typer.Option(min=1, help="Worker processes for the stages.")] = 1,
        log_format: LogFormatOption = "json",
    ) -> None:
        """Follow the sources: poll what is due, store new articles, process, fuse and check alerts; repeat.

        SIGTERM or Ctrl-C finishes the item (or document) in hand, stores it and exits 143/130;
        run again to continue: nothing is lost or fetched twice."""
        from trucewatch.pipeline.lifetime import StopSignals, exit_code
        from trucewatch.sources import events
        from trucewatch.sources.config import load_sources
        from trucewatch.sources.watch import Watch, only_watch

        events.configure(_log_format(log_format))
        config = load_sources(sources)
        store = open_store(db, create)
        try:
            with only_watch(store), StopSignals() as stop:
                summary = Watch(store, config, stop=stop, process=not no_process, workers=workers).run(once=once)
        except Exception as exc:
            from trucewatch.errors import TrucewatchError

            if isinstance(exc, TrucewatchError):
                events.error("watch.failed", str(exc), exit=exc.exit_code)
            raise
        finally:
            store.close()
        if summary.stopped_by is not None:
            raise typer.Exit(exit_code(summary.stopped_by))
        if once and summary.failures:
            raise typer.Exit(1)
