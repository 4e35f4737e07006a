"""The ``trucewatch`` command line: ingest, process, search, export, demo and the stage tools.

Exit status (``trucewatch.errors``): 0 when everything went through, 1 when some input
was rejected or some document failed a stage (the rest was still done), 2 for a usage
error, 3 for a store or system fault (database missing, read-only, corrupted, too new,
disk full, connection lost), 130 / 143 when `ingest` or `process` is stopped by SIGINT / SIGTERM.
"""

from __future__ import annotations

import io
import json
import os
import signal
import sys
from pathlib import Path
from typing import IO, Annotated, Any, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from trucewatch import __version__

app = typer.Typer(help="Ceasefire monitoring from open-source reporting.", no_args_is_help=True, add_completion=False)
tag_app = typer.Typer(help="Run one annotation stage on text (files, stdin or a --jsonl batch).", no_args_is_help=True)
app.add_typer(tag_app, name="tag")
gazetteer_app = typer.Typer(help="Build, inspect and extend the place gazetteer.", no_args_is_help=True)
app.add_typer(gazetteer_app, name="gazetteer")

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

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
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    no_fuse: Annotated[bool, typer.Option("--no-fuse", help="Do not run fuse (incidents) after the stages.")] = False,
) -> None:
    """Run the extraction stages over documents not yet processed by their current version, then fuse."""
    from trucewatch.pipeline.registry import build_stages
    from trucewatch.pipeline.runner import count_documents
    from trucewatch.pipeline.runner import process as run_process

    try:
        build_stages(stage or None)
    except (KeyError, ValueError) as exc:
        raise typer.BadParameter(str(exc).strip("'\""), param_hint="--stage") from exc
    from trucewatch.pipeline.lifetime import StopSignals, exit_code, signal_name

    store = _open(db, create)
    fused = None
    try:
        total = count_documents(store)
        # SIGTERM/SIGINT (a Ctrl-C reaches the workers too, which ignore it): stop after the document in hand
        with StopSignals() as stop, _progress("processing", total) as progress:
            task = progress.add_task("process", total=total)
            summary = run_process(store, stage or None, reprocess=reprocess, workers=workers,
                                  on_document=lambda *_: progress.advance(task), stop=stop)
            if not no_fuse and summary.stopped_by is None and not stage:
                from trucewatch.fusion.run import fuse as run_fuse

                fused = run_fuse(store, stop=stop)
                summary.stopped_by = fused.stopped_by
    finally:
        store.close()
    for problem in summary.errors:
        err.print(f"[red]failed[/] {escape(problem)}", highlight=False)
    out.print(f"processed {summary.documents} documents ({summary.stage_runs} stage runs, {len(summary.errors)} failed)"
              + (f"; fused {fused.documents} into incidents" if fused is not None else ""), highlight=False)
    if summary.stopped_by is not None:
        err.print(f"stopped by {signal_name(summary.stopped_by)} after {summary.documents} documents; "
                  "run again to continue", highlight=False)
        raise typer.Exit(exit_code(summary.stopped_by))
    if summary.left_over:
        err.print(f"[red]error:[/] {summary.left_over} documents arrived during the run and were not processed; "
                  "run process again", highlight=False)
        raise typer.Exit(1)
    if summary.errors:
        raise typer.Exit(1)


@app.command()
def export(
    db: DbOption = None,
    create: CreateOption = False,
    fmt: Annotated[str, typer.Option("--format", help="jsonl, csv, tsv or geojson.")] = "jsonl",
    what: Annotated[str, typer.Option(help="events, documents or incidents.")] = "events",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
    raw: Annotated[bool, typer.Option("--raw", help="CSV/TSV: write cells as stored, without the ' that "
                                      "disarms spreadsheet formulas (=, +, -, @, tab, CR).")] = False,
    schema: Annotated[bool, typer.Option("--schema", help="Print the event schema and exit.")] = False,
) -> None:
    """Export events (ACLED-compatible columns plus ours) or documents.

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


def _open_source(source: str) -> IO[bytes]:
    """The bytes of a tag command's input: stdin, or a regular file (never a FIFO, a device,
    a folder or a symlink loop, which would hang or fail half-way); a clear InputError otherwise."""
    from trucewatch.documents.files import Refused, display_path, open_regular
    from trucewatch.errors import InputError

    if source == "-":
        if sys.stdin is None:
            raise InputError("standard input is closed; pipe a text in, or name a file instead of -")
        return sys.stdin.buffer
    try:
        handle, _size = open_regular(Path(source))
    except Refused as exc:
        raise InputError(f"{display_path(source)}: {exc}") from None
    return handle


def _check_source(source: str) -> None:
    """Fail before loading models when the input cannot be read."""
    if source != "-":
        _open_source(source).close()
    else:
        _open_source(source)


def _read_text(source: str, handle: IO[bytes]) -> str:
    """The text as given (decoded, not cleaned), so the spans a tagger prints point into it."""
    from trucewatch.documents.decode import DecodeError, decode_bytes

    try:
        data = handle.read()
    except OSError as exc:
        from trucewatch.errors import InputError

        raise InputError(f"{source}: cannot read: {exc.strerror or exc}") from exc
    finally:
        if source != "-":
            handle.close()
    try:
        return decode_bytes(data).text
    except DecodeError as exc:
        err.print(f"[red]error:[/] {escape(source)}: {escape(str(exc))}")
        raise typer.Exit(1) from exc


def _run_tagger(source: str, jsonl: bool, handler: Any, *, published: Any = None, render: Any = None) -> None:
    """Shared driver for the tag commands: a --jsonl batch, or one text from a file or stdin.

    A single text gets ``published`` as its date; ``render(item, fields)``, when given,
    returns what to print for it instead of the JSON object (batch output is always JSON).
    """
    from trucewatch.batch import BatchItem, run_batch

    raw = _open_source(source)
    if jsonl:
        # utf-8-sig: a BOM from a Windows editor is not part of line 1; a bad byte must not
        # end the batch, so it becomes U+FFFD and the line is judged on its JSON.
        infile = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace")
        try:
            result = run_batch(infile, sys.stdout, sys.stderr, handler, name="<stdin>" if source == "-" else source)
        finally:
            if source != "-":
                infile.close()
        if result.errors:
            raise typer.Exit(1)
        return
    text = _read_text(source, raw)
    item = BatchItem(id=source, text=text, published=published, line=1)
    fields = handler(item)
    if render is not None:
        sys.stdout.write(render(item, fields))
        sys.stdout.flush()
        return
    payload = json.dumps({"id": source, **fields}, ensure_ascii=False, indent=2)
    if sys.stdout.isatty() and len(payload) < 200_000:
        out.print_json(payload)  # coloured for people; rich is slow on megabytes of JSON
    else:
        sys.stdout.write(payload + "\n")
        sys.stdout.flush()


SourceArg = Annotated[str, typer.Argument(help="A file, or - for stdin.")]
LangOption = Annotated[Optional[str], typer.Option("--lang", help="Language code (default: detected).")]


def _language(lang: str | None, text: str) -> str:
    """--lang as given (trimmed, lower case), else the language detected in ``text``."""
    from trucewatch.documents.language import identify

    return (lang.strip().lower() if lang and lang.strip() else None) or identify(text)[0]
JsonlOption = Annotated[bool, typer.Option("--jsonl", help='Batch mode: {"id","text","published"?} per line in, one JSON line out.')]


@tag_app.command("language")
def tag_language(source: SourceArg = "-", jsonl: JsonlOption = False) -> None:
    """Identify the language of a text."""
    from trucewatch.documents.language import identify

    def handler(item: Any) -> dict[str, Any]:
        language, confidence = identify(item.text)
        return {"language": language, "confidence": confidence}

    _run_tagger(source, jsonl, handler)


@tag_app.command("sentences")
def tag_sentences(source: SourceArg = "-", jsonl: JsonlOption = False) -> None:
    """Split a text into sentences with their character spans."""
    from trucewatch.extract.sentences import split_sentences

    def handler(item: Any) -> dict[str, Any]:
        return {"sentences": [{"start": s, "end": e, "text": item.text[s:e]} for s, e in split_sentences(item.text)]}

    _run_tagger(source, jsonl, handler)


TIME_FORMATS = ("jsonl", "timeml")


def _parse_published(value: str | None) -> str | None:
    """--published as YYYY-MM-DD (the anchor), or YYYY-MM / YYYY (a bound for inference)."""
    from trucewatch.documents.pubdate import parse_iso

    if value is None:
        return None
    parsed = parse_iso(value.strip())
    if parsed is None:
        raise typer.BadParameter(
            f"{value!r} is not a date: use YYYY-MM-DD or an ISO datetime (or YYYY-MM / YYYY)", param_hint="--published"
        )
    return parsed[0]  # a datetime anchors on its own local day


def time_fields(text: str, published: Any, lang: str | None) -> dict[str, Any]:
    """What ``tag time`` reports for one text: its publication date, the anchor and the expressions."""
    from trucewatch.documents.language import identify
    from trucewatch.extract.time import tag_time

    language = lang or identify(text)[0] or "en"
    tagging = tag_time(text, published=published, lang=language)
    anchor = tagging.anchor
    if anchor.value and anchor.basis in ("given", "inferred", "dateline"):
        pub, basis = anchor.value, anchor.basis
    else:
        pub, basis = None, "unknown"
    return {
        "published": pub,
        "published_basis": basis,
        "anchor": anchor.to_dict(),
        "times": [t.to_dict() for t in sorted(tagging.timexes, key=lambda t: (t.start, t.end))],
    }


_XML_INVALID = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF], "\ufffd")


def _xml_text(text: str) -> str:
    """Text as XML character data that parses back to itself (a CR survives as &#13;;
    characters XML 1.0 cannot carry at all become U+FFFD)."""
    from xml.sax.saxutils import escape

    return escape(text.translate(_XML_INVALID), {"\r": "&#13;"})


def _xml_attr(value: Any) -> str:
    from xml.sax.saxutils import quoteattr

    return quoteattr(str(value).translate(_XML_INVALID), {"\r": "&#13;", "\n": "&#10;", "\t": "&#9;"})


def timeml(text: str, fields: dict[str, Any]) -> str:
    """A TimeML document: the anchor as DCT, the text with each expression in a TIMEX3."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<TimeML>\n']
    if fields["published"]:
        value = _xml_attr(fields["published"])
        parts.append(f'<DCT><TIMEX3 tid="t0" type="DATE" value={value} functionInDocument="CREATION_TIME">'
                     f'{_xml_text(fields["published"])}</TIMEX3></DCT>\n')
    parts.append("<TEXT>")
    at = 0
    for n, t in enumerate(fields["times"], start=1):
        if t["start"] < at:  # overlapping expressions cannot nest in TimeML; keep the first
            continue
        attrs = f'tid="t{n}" type={_xml_attr(t["type"])}'
        for key in ("value", "mod", "freq", "quant"):
            if t.get(key) is not None:
                attrs += f" {key}={_xml_attr(t[key])}"
        parts.append(_xml_text(text[at : t["start"]]))
        parts.append(f"<TIMEX3 {attrs}>{_xml_text(text[t['start'] : t['end']])}</TIMEX3>")
        at = t["end"]
    parts.append(_xml_text(text[at:]))
    parts.append("</TEXT>\n</TimeML>\n")
    return "".join(parts)


@tag_app.command("time")
def tag_time_command(
    source: SourceArg = "-",
    published: Annotated[Optional[str], typer.Option(
        "--published", help="Publication date (YYYY-MM-DD or ISO datetime) to anchor on; YYYY-MM or YYYY only bounds the inferred one.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="jsonl (one JSON object) or timeml (TimeML XML).")] = "jsonl",
    lang: LangOption = None,
    jsonl: JsonlOption = False,
) -> None:
    """Find time expressions and resolve them against the publication date (given, or inferred from the text).

    In --jsonl mode a line's own "published" wins over --published.
    """
    if fmt not in TIME_FORMATS:
        raise typer.BadParameter(f"choose one of {', '.join(TIME_FORMATS)}", param_hint="--format")
    if jsonl and fmt != "jsonl":
        raise typer.BadParameter("--jsonl batches are written as JSON lines only", param_hint="--format")
    default = _parse_published(published)
    language = lang.strip().lower() if lang and lang.strip() else None

    def handler(item: Any) -> dict[str, Any]:
        return time_fields(item.text, item.published or default, language)

    render = (lambda item, fields: timeml(item.text, fields)) if fmt == "timeml" else None
    _run_tagger(source, jsonl, handler, published=default, render=render)


PLACE_FIELDS = ("start", "end", "text", "name", "geonameid", "feature_code", "country", "admin1", "lat", "lon",
                "geo_precision", "confidence", "kind", "role", "qualifier", "qualifier_span", "alternatives",
                "located_by")
GazetteerOption = Annotated[Optional[Path], typer.Option(
    "--gazetteer", envvar="TRUCEWATCH_GAZETTEER", help="Gazetteer index file (default: in the user cache).")]


def _gazetteer(path: Path | None):  # type: ignore[no-untyped-def]
    from trucewatch.extract.places.gazetteer import open_gazetteer

    try:
        return open_gazetteer(path)
    except (OSError, ValueError) as exc:  # GazetteerError is a ValueError and names the file
        err.print(f"[red]error:[/] cannot open the gazetteer: {escape(str(exc))}")
        raise typer.Exit(2) from exc


@tag_app.command("places")
def tag_places_command(
    source: SourceArg = "-",
    jsonl: JsonlOption = False,
    lang: LangOption = None,
    no_ner: Annotated[bool, typer.Option("--no-ner", help="Gazetteer-only recognition, without the NER model.")] = False,
    country: Annotated[Optional[str], typer.Option("--country", help="ISO2 code of the country the text is about.")] = None,
    gazetteer: GazetteerOption = None,
) -> None:
    """Find the places a text names and resolve them (GeoNames id, point, ACLED geo_precision)."""
    from trucewatch.documents.language import identify
    from trucewatch.text.ner import ner_status
    from trucewatch.extract.places.tagger import tag_places

    _check_source(source)
    gaz = _gazetteer(gazetteer)
    if not no_ner:
        status = ner_status()
        if not status.available:
            err.print(f"[yellow]warning:[/] NER model not used ({escape(status.reason)}); gazetteer-only recognition")
    hint = country.strip().upper() if country else None

    def handler(item: Any) -> dict[str, Any]:
        language = lang or identify(item.text)[0]
        places = tag_places(item.text, lang=language, gazetteer=gaz, use_ner=not no_ner, country_hint=hint)
        return {"places": [{k: getattr(p, k) for k in PLACE_FIELDS} for p in places]}

    _run_tagger(source, jsonl, handler)


@tag_app.command("actors")
def tag_actors_command(
    source: SourceArg = "-",
    jsonl: JsonlOption = False,
    lang: LangOption = None,
    no_ner: Annotated[bool, typer.Option("--no-ner", help="Knowledge base and generic actors only, without the NER model.")] = False,
    country: Annotated[Optional[str], typer.Option("--country", help="ISO2 code for generic actors (default: from the places named).")] = None,
) -> None:
    """Find the actors a text names: knowledge-base actors, generic ones, and unknown named ones (unresolved)."""
    from trucewatch.extract.actors.mentions import tag_actors
    from trucewatch.extract.actors.stage import actor_value, without_places
    from trucewatch.extract.events.extract import country_name, main_country
    from trucewatch.extract.places.tagger import ner_result, tag_places

    code = country.strip().upper() if country else None
    if code is not None and country_name(code) == code:
        raise typer.BadParameter(f"{country!r} is not an ISO 3166 two-letter country code (e.g. LY)",
                                 param_hint="--country")

    def handler(item: Any) -> dict[str, Any]:
        language = _language(lang, item.text)
        ner = ner_result(item.text, language, not no_ner)
        places = tag_places(item.text, lang=language, ner=ner)
        where = code or main_country(places)
        day = item.published if hasattr(item.published, "isoformat") else None
        mentions = tag_actors(item.text, lang=language, use_ner=False, country=where, day=day, nlp_doc=ner)
        mentions = without_places(mentions, places)
        return {"actors": [{"start": m.start, "end": m.end, "text": m.text, **actor_value(m)} for m in mentions]}

    _run_tagger(source, jsonl, handler)


@app.command("classify")
def classify_command(
    source: SourceArg = "-",
    jsonl: JsonlOption = False,
    explain: Annotated[bool, typer.Option("--explain", help="Also print each class's score and the cues that decided.")] = False,
) -> None:
    """Label a snippet with the ACLED sub-event type it reports (null when it reports none)."""
    from trucewatch.extract.events.classify import classify

    def handler(item: Any) -> dict[str, Any]:
        result = classify(item.text)
        fields: dict[str, Any] = {
            "event_type": result.event_type,
            "sub_event_type": result.sub_event_type,
            "score": result.score,
        }
        if explain:
            fields["class"] = result.code
            fields["scores"] = result.scores
            fields["evidence"] = [{"start": e.start, "end": e.end, "text": e.text, "weight": e.weight}
                                  for e in result.evidence]
        return fields

    _run_tagger(source, jsonl, handler)


@app.command("extract")
def extract_command(
    source: SourceArg = "-",
    jsonl: JsonlOption = False,
    published: Annotated[Optional[str], typer.Option(
        "--published", help="Publication date (YYYY-MM-DD); inferred from the text when not given.")] = None,
    lang: LangOption = None,
    no_ner: Annotated[bool, typer.Option("--no-ner", help="Without the NER model (gazetteer and knowledge base only).")] = False,
) -> None:
    """Extract a document's events: type, actors, place, date, figures, status, claimant, evidence.

    Output: {"id", "published", "events": [...]}, each event in the export schema
    (``trucewatch export --schema``). In --jsonl mode a line's own "published" wins.
    """
    from trucewatch.extract.events.extract import extract_events
    from trucewatch.text.ner import ner_status

    default = _parse_published(published)
    if not no_ner:
        status = ner_status()
        if not status.available:
            err.print(f"[yellow]warning:[/] NER model not used ({escape(status.reason)}); "
                      "places and actors from the gazetteer and knowledge base only")

    def handler(item: Any) -> dict[str, Any]:
        language = _language(lang, item.text)
        day = item.published or default
        day = day.isoformat() if hasattr(day, "isoformat") else day
        result = extract_events(item.text, published=day, lang=language,
                                doc_id=str(item.id), use_ner=not no_ner)
        return {"published": result.published, "events": result.events}

    _run_tagger(source, jsonl, handler, published=default)


@gazetteer_app.command("build")
def gazetteer_build(
    gazetteer: GazetteerOption = None,
    force: Annotated[bool, typer.Option("--force", help="Rebuild even if the index exists.")] = False,
) -> None:
    """Build the gazetteer index from the bundled data (done on first use anyway)."""
    from trucewatch.extract.places.build import build_gazetteer
    from trucewatch.extract.places.gazetteer import default_path

    target = gazetteer or default_path()
    if target.exists() and not force:
        out.print(f"{target} exists (use --force to rebuild)")
        return
    build_gazetteer(target, progress=lambda message: err.print(message))


@gazetteer_app.command("info")
def gazetteer_info(gazetteer: GazetteerOption = None) -> None:
    """Where the index is, what it holds and whether the NER model is in use."""
    from trucewatch.text.ner import ner_status

    gaz = _gazetteer(gazetteer)
    status = ner_status()
    out.print_json(json.dumps({"path": str(gaz.path), "size_bytes": gaz.path.stat().st_size, **gaz.counts(),
                               "meta": gaz.meta(), "ner": {"available": status.available, "model": status.model,
                                                          "reason": status.reason}}, ensure_ascii=False))


@gazetteer_app.command("search")
def gazetteer_search(
    name: Annotated[str, typer.Argument(help="A place name in any spelling or script.")],
    gazetteer: GazetteerOption = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many places.")] = 10,
) -> None:
    """Every place the gazetteer knows under a name, most populous first."""
    gaz = _gazetteer(gazetteer)
    table = Table("geonameid", "name", "country", "admin1", "feature", "population", "lat", "lon", "source")
    for e in gaz.search(name)[:limit]:
        table.add_row(str(e.geonameid), escape(e.name), e.country, escape(gaz.admin1_name(e.country, e.admin1) or e.admin1),
                      e.feature_code, f"{e.population:,}", f"{e.lat:.4f}", f"{e.lon:.4f}", e.source)
    out.print(table)


@gazetteer_app.command("import")
def gazetteer_import(
    dump: Annotated[Path, typer.Argument(help="A GeoNames dump: allCountries.txt, a country file (LY.txt) or its zip.")],
    gazetteer: GazetteerOption = None,
) -> None:
    """Add every place of a GeoNames dump to the index (re-importing replaces, never doubles)."""
    from trucewatch.extract.places.build import import_geonames
    from trucewatch.extract.places.gazetteer import default_path, open_gazetteer

    target = gazetteer or default_path()
    try:
        if not target.exists():
            open_gazetteer(target)  # builds the bundled index first
        report = import_geonames(dump, target)
    except (OSError, ValueError) as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(1) from exc
    for problem in report.errors:
        err.print(f"[red]error:[/] {escape(problem)}")
    if report.error_count > len(report.errors):
        err.print(f"[red]error:[/] ... and {report.error_count - len(report.errors)} more line(s) skipped")
    if report.fatal:
        err.print(f"[red]error:[/] {escape(report.fatal)}")
    out.print(f"imported {report.places} places from {escape(str(dump))} into {escape(str(target))}"
              + (f"; {report.error_count} line(s) skipped" if report.error_count else ""))
    if report.error_count or report.fatal:
        raise typer.Exit(1)


_register_fusion()
_register_ceasefire()


def _register_alerts() -> None:
    from trucewatch.alerts.cli import register

    register(app, out, err, DbOption, CreateOption, _open)


_register_alerts()


def _register_reports() -> None:
    from trucewatch.ceasefire.scope_cli import register as register_scope
    from trucewatch.reports.cli import register

    register_scope(app, out, err, DbOption, CreateOption, _open)
    register(app, out, err, DbOption, CreateOption, _open)


_register_reports()


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
