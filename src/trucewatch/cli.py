"""The ``trucewatch`` command line: ingest, process, search, export, demo and the stage tools.

Exit status (``trucewatch.errors``): 0 when everything went through, 1 when some input
was rejected or some document failed a stage (the rest was still done), 2 for a usage
error, 3 for a store or system fault (database missing, read-only, corrupted, too new,
disk full, connection lost), 130 / 143 when `ingest` or `process` is stopped by SIGINT / SIGTERM.
"""

from __future__ import annotations

import os
import signal
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from trucewatch import __version__
from trucewatch.cli_console import err, out
from trucewatch.cli_gazetteer import gazetteer_app
from trucewatch.cli_tag import classify_command, extract_command, tag_app

app = typer.Typer(help="Ceasefire monitoring from open-source reporting.", no_args_is_help=True, add_completion=False)
app.add_typer(tag_app, name="tag")
app.add_typer(gazetteer_app, name="gazetteer")

DbOption = Annotated[
    Optional[str],
    typer.Option("--db", envvar="TRUCEWATCH_DB", help="SQLite file or SQLAlchemy URL (default: ./trucewatch.db)."),
]


CreateOption = Annotated[bool, typer.Option(
    "--create", help="Make the database if it does not exist yet (needed unless it is the default ./trucewatch.db).")]


def _open(db: str | None, create: bool = False):  # type: ignore[no-untyped-def]
    """Open the store; a database that does not exist is only made with --create, or at the default path.

    Any failure is a StoreFault naming the database (exit 3), never a traceback.
    """
    from trucewatch.errors import StoreFault
    from trucewatch.store import open_store
    from trucewatch.store.db import display_name, resolve_url

    default = db is None and not os.environ.get("TRUCEWATCH_DB")
    try:
        return open_store(db, create=create or default)
    except StoreFault:
        raise
    except Exception as exc:
        raise StoreFault(f"cannot open the database {display_name(resolve_url(db))}: "
                         f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from exc


def _version(value: bool) -> None:
    if value:
        out.print(f"trucewatch {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")] = False,
) -> None:
    """trucewatch turns news and field reports into an evidence-backed incident record."""


def _progress(label: str, total: int | None = None) -> Progress:
    columns: list[Any] = [SpinnerColumn(), TextColumn(label), BarColumn() if total else TextColumn(""),
                          MofNCompleteColumn() if total else TextColumn("{task.completed} done"), TimeElapsedColumn()]
    return Progress(*columns, console=err, transient=True, disable=not err.is_terminal)


def _parse_fields(values: list[str]) -> dict[str, str]:
    fields = {}
    for value in values:
        key, sep, name = value.partition("=")
        if not sep or not key or not name:
            raise typer.BadParameter(f"{value!r}: expected FIELD=NAME, e.g. text=body", param_hint="--field")
        fields[key.strip()] = name.strip()
    return fields


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursive), globs, or - for stdin.")],
    db: DbOption = None,
    create: CreateOption = False,
    fmt: Annotated[Optional[str], typer.Option("--format", help="Force a format: txt, html, json, jsonl, csv, tsv.")] = None,
    field: Annotated[list[str], typer.Option("--field", help="Map a record field, e.g. text=body or published=date.")] = [],
    outlet: Annotated[Optional[str], typer.Option(help="Outlet to record when the input does not name one.")] = None,
    max_size: Annotated[float, typer.Option(min=0.001, help="Largest document (or record line) in MB.")] = 20.0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors and the summary.")] = False,
) -> None:
    """Store documents: cleaned text, language, publication date, raw bytes. Re-ingesting is a no-op."""
    from trucewatch.documents.ingest import ingest as run_ingest
    from trucewatch.documents.readers import FORMATS, FieldMap, ReadOptions

    if fmt is not None and fmt not in FORMATS:
        raise typer.BadParameter(f"choose one of {', '.join(FORMATS)}", param_hint="--format")
    try:
        fields = FieldMap().with_overrides(_parse_fields(field))
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--field") from exc
    from trucewatch.documents.ingest import IngestSummary
    from trucewatch.pipeline.lifetime import StopSignals, Stopped, exit_code, signal_name

    options = ReadOptions(max_bytes=int(max_size * 1024 * 1024), fmt=fmt, fields=fields)
    store = _open(db, create)
    summary = IngestSummary()
    try:
        # SIGTERM and SIGINT raise once in here, so ingest's own cleanup commits what was read
        with StopSignals(raise_once=True) as stopper, _progress("ingesting") as progress:
            task = progress.add_task("ingest")

            def on_item(kind: str, payload: Any) -> None:
                progress.advance(task)
                if kind == "rejected":
                    err.print(f"[red]rejected[/] {escape(str(payload))}", highlight=False)

            run_ingest(store, paths, options, outlet=outlet, on_item=on_item, guard=stopper.deferred, summary=summary)
    except Stopped as stop:
        store.close()
        err.print(f"stopped by {signal_name(stop.signum)} after storing {summary.ingested} new documents; "
                  "what was read is stored; run again to continue", highlight=False)
        raise typer.Exit(exit_code(stop.signum)) from None
    store.close()
    line = f"ingested {summary.ingested}, unchanged {summary.unchanged}, rejected {len(summary.rejected)}"
    (err if quiet else out).print(line, highlight=False)
    if summary.rejected:
        raise typer.Exit(1)


@app.command()
def process(
    db: DbOption = None,
    create: CreateOption = False,
    stage: Annotated[list[str], typer.Option("--stage", help="Run only this stage (and what it needs); repeatable.")] = [],
    reprocess: Annotated[bool, typer.Option(help="Run the selected stages again on every document.")] = False,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes (with --engine ray: Ray workers).")] = 1,
    engine: Annotated[str, typer.Option(help="local (this machine's processes) or ray (Ray workers; this process "
                                        "still reads and writes the store).")] = "local",
    ray_address: Annotated[Optional[str], typer.Option(
        "--ray-address", help="With --engine ray: a cluster to join ('auto', or ray://HOST:10001); "
                              "default: a local Ray instance with --workers CPUs.")] = None,
    no_fuse: Annotated[bool, typer.Option("--no-fuse", help="Do not run fuse (incidents) after the stages.")] = False,
    no_ceasefire: Annotated[bool, typer.Option("--no-ceasefire", help="Do not build agreements and talks after "
                                               "fuse.")] = False,
) -> None:
    """Run the extraction stages over documents not yet processed by their current version, then fuse,
    then build agreements and rounds of talks from the news."""
    from trucewatch.pipeline.registry import build_stages
    from trucewatch.pipeline.runner import count_documents
    from trucewatch.pipeline.runner import process as run_process

    try:
        build_stages(stage or None)
    except (KeyError, ValueError) as exc:
        raise typer.BadParameter(str(exc).strip("'\""), param_hint="--stage") from exc
    from trucewatch.pipeline.ray_engine import engine_problem

    problem = engine_problem(engine, ray_address)
    if problem is not None:
        raise typer.BadParameter(problem[1], param_hint=problem[0])
    from trucewatch.pipeline.lifetime import StopSignals, exit_code, signal_name

    store = _open(db, create)
    fused = ceasefire = None
    try:
        total = count_documents(store)
        # SIGTERM/SIGINT (a Ctrl-C reaches the workers too, which ignore it): stop after the document in hand
        with ExitStack() as stack, StopSignals() as stop, _progress("processing", total) as progress:
            if engine == "ray":  # one Ray instance for the stages and fuse's embeddings
                from trucewatch.pipeline.ray_engine import ray_session

                stack.enter_context(ray_session(workers, ray_address))
            task = progress.add_task("process", total=total)
            summary = run_process(store, stage or None, reprocess=reprocess, workers=workers,
                                  on_document=lambda *_: progress.advance(task), stop=stop, engine=engine,
                                  address=ray_address)
            if not no_fuse and summary.stopped_by is None and not stage:
                from trucewatch.fusion.run import DEFAULT
                from trucewatch.fusion.run import fuse as run_fuse

                encoder = DEFAULT
                if engine == "ray":
                    from trucewatch.pipeline.ray_engine import fuse_encoder

                    encoder = stack.enter_context(fuse_encoder(workers))
                elif workers > 1:  # the embeddings on forked workers while this process fuses
                    from trucewatch.pipeline.local_encoder import fuse_encoder as local_fuse_encoder

                    encoder = stack.enter_context(local_fuse_encoder(workers))
                fused = run_fuse(store, stop=stop, encoder=encoder)
                summary.stopped_by = fused.stopped_by
                if not no_ceasefire and summary.stopped_by is None:
                    from trucewatch.ceasefire.run import build_ceasefire

                    ceasefire = build_ceasefire(store)
    finally:
        store.close()
    for problem in summary.errors + (ceasefire.errors if ceasefire is not None else []):
        err.print(f"[red]failed[/] {escape(problem)}", highlight=False)
    out.print(f"processed {summary.documents} documents ({summary.stage_runs} stage runs, {len(summary.errors)} failed)"
              + (f"; fused {fused.documents} into incidents" if fused is not None else "")
              + (f"; {ceasefire.describe()}" if ceasefire is not None else ""), highlight=False)
    if summary.stopped_by is not None:
        err.print(f"stopped by {signal_name(summary.stopped_by)} after {summary.documents} documents; "
                  "run again to continue", highlight=False)
        raise typer.Exit(exit_code(summary.stopped_by))
    if summary.left_over:
        err.print(f"[red]error:[/] {summary.left_over} documents arrived during the run and were not processed; "
                  "run process again", highlight=False)
        raise typer.Exit(1)
    if summary.errors or (ceasefire is not None and ceasefire.errors):
        raise typer.Exit(1)


@app.command()
def export(
    db: DbOption = None,
    create: CreateOption = False,
    fmt: Annotated[str, typer.Option("--format", help="jsonl, csv, tsv or geojson.")] = "jsonl",
    what: Annotated[str, typer.Option(help="events, documents, incidents or agreements (jsonl).")] = "events",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
    raw: Annotated[bool, typer.Option("--raw", help="CSV/TSV: write cells as stored, without the ' that "
                                      "disarms spreadsheet formulas (=, +, -, @, tab, CR).")] = False,
    schema: Annotated[bool, typer.Option("--schema", help="Print the event schema and exit.")] = False,
) -> None:
    """Export events (ACLED-compatible columns plus ours), documents, incidents or agreements.

    -o never overwrites the database, its -wal/-shm/-journal files or any SQLite file, and
    the file is replaced only once the export is complete.
    """
    from trucewatch.export.output import check_output, safe_output
    from trucewatch.export.schema import markdown_table
    from trucewatch.export.writers import check_request
    from trucewatch.export.writers import export as run_export
    from trucewatch.errors import UsageError
    from trucewatch.store import resolve_url

    if schema:
        out.print(markdown_table(), markup=False, highlight=False)
        return
    try:
        check_request(fmt, what)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    if output is not None:
        check_output(output, resolve_url(db))  # before the store is opened: a refused -o changes nothing
    store = _open(db, create)
    try:
        if output is None:
            if sys.stdout is None:
                raise UsageError("standard output is closed; name a file with -o")
            count = run_export(store, sys.stdout, fmt, what, raw=raw)
        else:
            with safe_output(output, store.url) as handle:
                count = run_export(store, handle, fmt, what, raw=raw)
    finally:
        store.close()
    err.print(f"exported {count} {what}" + (f" to {output}" if output else ""), highlight=False)


def _register_fusion() -> None:
    from trucewatch.fusion.cli import register

    register(app, out, err, DbOption, CreateOption, _open)


def _register_ceasefire() -> None:
    from trucewatch.ceasefire.cli import register

    register(app, out, err, DbOption, CreateOption, _open)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='Words that must all appear; "quote" a phrase.')],
    db: DbOption = None,
    create: CreateOption = False,
    limit: Annotated[int, typer.Option(min=1)] = 20,
) -> None:
    """Full-text search over the stored documents."""
    from trucewatch.store.search import check_query, search_documents

    check_query(query)  # a refused query opens (or creates) nothing
    store = _open(db, create)
    try:
        hits = search_documents(store, query, limit)
    finally:
        store.close()
    table = Table("id", "published", "outlet", "title / snippet", show_lines=True)
    for hit in hits:
        snippet = f"{hit.title or ''}\n{hit.snippet}".strip()
        table.add_row(hit.id[:12], hit.published or "?", escape(hit.outlet or "?"), escape(snippet))
    out.print(table)
    out.print(f"{len(hits)} documents", highlight=False)


@app.command()
def check(db: DbOption = None) -> None:
    """Check the database for damage: page integrity and foreign keys (SQLite), orphaned rows (every backend).

    Exit 0 when sound, 3 when damaged (the problems are listed). Nothing is written.
    """
    from trucewatch.errors import StoreDamaged, StoreFault
    from trucewatch.store.check import check_store
    from trucewatch.store.db import display_name, resolve_url

    try:
        store = _open_unmigrated(db)
        report = check_store(store)
        store.close()
    except StoreDamaged as fault:
        report = None
        problems = [str(fault)]
    else:
        problems = report.problems
    name = display_name(resolve_url(db))
    for problem in problems:
        out.print(f"[red]problem[/] {escape(problem)}", highlight=False)
    if problems:
        raise StoreFault(f"the database {name} is damaged: {len(problems)} problem(s) found; restore it from a "
                         "backup, or copy what it still holds with trucewatch export")
    out.print(f"{escape(name)}: no problems found ({', '.join(report.checks) if report else ''})", highlight=False)


def _open_unmigrated(db: str | None):  # type: ignore[no-untyped-def]
    """Open an existing database as it is: check must never create or upgrade what it inspects."""
    from trucewatch.errors import StoreFault, StoreMissing
    from trucewatch.store import open_store
    from trucewatch.store.db import display_name, resolve_url

    try:
        return open_store(db, upgrade=False, create=False)
    except StoreMissing as exc:  # check has no --create: there is nothing to make, only nothing to check
        raise StoreFault(f"{exc.what}: nothing to check") from exc
    except StoreFault:
        raise
    except Exception as exc:
        raise StoreFault(f"cannot open the database {display_name(resolve_url(db))}: {exc}") from exc


@app.command()
def status(db: DbOption = None, create: CreateOption = False) -> None:
    """What the database holds: documents by language and date basis, stage runs, events, rejections."""
    from trucewatch.reports.status import collect_status, render_status

    store = _open(db, create)
    try:
        render_status(out, collect_status(store))
    finally:
        store.close()


@app.command()
def demo(
    directory: Annotated[Path, typer.Option("--dir", help="Where to put the demo database and exports.")] = Path("trucewatch-demo"),
    workers: Annotated[int, typer.Option(min=1)] = 1,
) -> None:
    """Ingest the bundled demo corpus into a fresh database, process it and show what was found."""
    from trucewatch.demo import run_demo

    ok = run_demo(directory, out, err, workers=workers)
    if not ok:
        raise typer.Exit(1)


app.command("classify")(classify_command)
app.command("extract")(extract_command)


_register_fusion()
_register_ceasefire()


def _register_alerts() -> None:
    from trucewatch.alerts.cli import register

    register(app, out, err, DbOption, CreateOption, _open)


_register_alerts()


def _register_talks() -> None:
    from trucewatch.ceasefire.talks_cli import register

    register(app, out, err, DbOption, CreateOption, _open)


_register_talks()


def _register_reports() -> None:
    from trucewatch.ceasefire.scope_cli import register as register_scope
    from trucewatch.reports.cli import register

    register_scope(app, out, err, DbOption, CreateOption, _open)
    register(app, out, err, DbOption, CreateOption, _open)


_register_reports()


def _register_api() -> None:
    from trucewatch.api.cli import register
    from trucewatch.review.cli import register as register_review

    register(app, out, err, DbOption, CreateOption, _open)
    register_review(app, out, err, DbOption, CreateOption, _open)


_register_api()


def _register_sources() -> None:
    from trucewatch.sources.cli import register

    register(app, out, err, DbOption, CreateOption, _open)


_register_sources()


class _Terminated(SystemExit):
    """SIGTERM as an exception, so ``finally`` blocks run (an export removes its temporary file)."""


def _on_sigterm(signum: int, _frame: Any) -> None:
    signal.signal(signum, signal.SIG_DFL)  # a second SIGTERM ends us at once
    raise _Terminated(128 + signum)


def main() -> None:
    """Run the CLI; a known failure is one message on stderr and its exit code, never a traceback.

    ``ingest`` and ``process`` stop on SIGTERM/SIGINT after the document in hand (their own
    handlers); every other command cleans up and exits 143 on SIGTERM, 130 on SIGINT.
    """
    from trucewatch.errors import EXIT_FAULT, TrucewatchError

    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        app()
    except TrucewatchError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}", highlight=False)
        sys.exit(exc.exit_code)
    except _Terminated as exc:
        err.print("[yellow]stopped by SIGTERM[/]", highlight=False)
        sys.exit(exc.code)
    except OSError as exc:  # the system refused: a full disk, a closed output, an I/O error
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        err.print(f"[red]error:[/] {escape(exc.strerror or str(exc))}{escape(where)}", highlight=False)
        sys.exit(EXIT_FAULT)


if __name__ == "__main__":
    main()
