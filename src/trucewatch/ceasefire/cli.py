"""The ``trucewatch agreements`` commands (import, list, show, export), added to the main app."""

import json
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table


def _names(entries: list[dict[str, Any]]) -> str:
    return "; ".join(e["name"] + (f" ({e['actor_id']})" if e["actor_id"] else "") for e in entries)


def register(app: typer.Typer, out: Console, err: Console, db_option: Any, create_option: Any,
             open_store: Any) -> None:
    """Add ``agreements`` to ``app`` (the options and the opener are the main CLI's own)."""
    agreements_app = typer.Typer(help="Ceasefire and peace agreements: import research tables, list, show, export.",
                                 no_args_is_help=True)
    app.add_typer(agreements_app, name="agreements")

    @agreements_app.command("import")
    def import_command(
        path: Annotated[Path, typer.Argument(help="A CSV copy of the PA-X, UCDP peace agreements or ETH/PRIO "
                                                  "ceasefires table.")],
        db: db_option = None,
        create: create_option = False,
        fmt: Annotated[Optional[str], typer.Option("--format", help="pax, ucdp or ethprio (default: told from "
                                                                    "the header).")] = None,
    ) -> None:
        """Import agreements from a research table. Running it again changes nothing.

        A bad row is reported with its file and line, and the rest is imported.
        """
        from trucewatch.ceasefire.importer import import_table
        from trucewatch.ceasefire.tables import FORMATS, TableError
        from trucewatch.errors import InputError

        if fmt is not None and fmt not in FORMATS:
            raise typer.BadParameter(f"choose one of {', '.join(FORMATS)}", param_hint="--format")
        if not path.is_file():
            raise InputError(f"{path}: not a file")
        store = open_store(db, create)
        try:
            report = import_table(store, path, fmt,
                                  on_error=lambda message: err.print(f"rejected {escape(message)}", highlight=False))
        except TableError as exc:
            raise InputError(str(exc)) from exc
        finally:
            store.close()
        c = report.counts
        out.print(f"imported {escape(str(path))} ({report.format}): {report.records} agreements ({c.new} new, "
                  f"{c.updated} updated, {c.unchanged} unchanged)"
                  + (f"; {len(report.errors)} rows rejected" if report.errors else ""), highlight=False)
        if report.errors:
            raise typer.Exit(1)

    @agreements_app.command("build")
    def build_command(db: db_option = None, create: create_option = False) -> None:
        """Build agreement records from the processed news (ceasefire and agreement events, talks
        that produced a text), one record per agreement across reports. Running it again changes
        nothing; run it after process."""
        from trucewatch.ceasefire.news import build_from_news
        from trucewatch.store.db import retry_store_write

        store = open_store(db, create)
        try:
            def write() -> tuple[Any, int]:
                with store.session() as session:
                    return build_from_news(session)

            counts, removed = retry_store_write(store.url, write)
        finally:
            store.close()
        total = counts.new + counts.updated + counts.unchanged
        out.print(f"{total} agreements from the news ({counts.new} new, {counts.updated} updated, "
                  f"{counts.unchanged} unchanged; {removed} no longer supported removed)", highlight=False)

    @agreements_app.command("list")
    def list_command(
        db: db_option = None,
        create: create_option = False,
        country: Annotated[Optional[str], typer.Option(help="Country as recorded (e.g. Libya).")] = None,
        kind: Annotated[Optional[str], typer.Option(help="ceasefire, truce, unilateral_declaration, ...")] = None,
        actor: Annotated[Optional[str], typer.Option(help="Only agreements this knowledge-base actor is in.")] = None,
        origin: Annotated[Optional[str], typer.Option(help="import (research tables) or news.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
        limit: Annotated[Optional[int], typer.Option(min=1, help="At most this many.")] = None,
    ) -> None:
        """List agreements: id, dates, kind, status, parties."""
        from trucewatch.ceasefire.query import AgreementFilter, iter_agreements
        from trucewatch.ceasefire.terms import kinds

        if kind is not None and kind not in kinds():
            raise typer.BadParameter(f"choose one of {', '.join(kinds())}", param_hint="--kind")
        if origin is not None and origin not in ("import", "news"):
            raise typer.BadParameter("choose import or news", param_hint="--origin")
        store = open_store(db, create)
        table = Table("id", "signed", "effective", "kind", "status", "name", "parties")
        count = 0
        try:
            for record in iter_agreements(store, AgreementFilter(country, kind, actor, origin)):
                if limit is not None and count >= limit:
                    break
                count += 1
                if as_json:
                    sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
                    continue
                table.add_row(record["id"], record["signed"] or "?", record["effective_from"] or "?",
                              record["kind"], record["status"], escape(record["name"]),
                              escape(_names(record["parties"])))
        finally:
            store.close()
        if not as_json:
            out.print(table)
            out.print(f"{count} agreements", highlight=False)

    @agreements_app.command("show")
    def show_command(
        agreement_id: Annotated[str, typer.Argument(help="An agreement id, or an external id such as pax:2232.")],
        db: db_option = None,
        create: create_option = False,
        as_json: Annotated[bool, typer.Option("--json", help="The whole record as JSON.")] = False,
    ) -> None:
        """One agreement: terms, parties, provisions, status history, external ids and every source."""
        from trucewatch.ceasefire.query import detail
        from trucewatch.errors import UsageError

        store = open_store(db, create)
        try:
            record = detail(store, agreement_id)
        finally:
            store.close()
        if record is None:
            raise UsageError(f"no agreement {agreement_id!r} in this database (see trucewatch agreements list)")
        if as_json:
            sys.stdout.write(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
            return
        out.print(f"[bold]{escape(record['id'])}[/]  {escape(record['name'])}", highlight=False)
        out.print(f"kind {record['kind']}; status {record['status']}; signed {record['signed'] or '?'}; "
                  f"effective {record['effective_from'] or '?'}; expires {record['expires'] or '?'}"
                  + (f"; duration {record['duration']}" if record["duration"] else ""), highlight=False)
        places = ", ".join(p["name"] for p in (record["scope"] or {}).get("places", []))
        lines = ", ".join(str(line) for line in (record["scope"] or {}).get("lines", []))
        out.print(f"scope: {escape(places or '?')}" + (f"; lines: {escape(lines)}" if lines else ""), highlight=False)
        for key in ("parties", "mediators", "guarantors", "monitors", "third_parties"):
            if record[key]:
                out.print(f"{key.replace('_', ' ')}: {escape(_names(record[key]))}", highlight=False)
        if record["provisions"]:
            out.print("provisions: " + ", ".join(p["type"] + (f" (due {p['due']})" if p["due"] else "")
                                                 for p in record["provisions"]), highlight=False)
        for step in record["status_history"]:
            out.print(f"  {step['date'] or '?'} {step['status']}: {escape(step['evidence'] or '')} "
                      + escape(f"[{step['source']}]"), highlight=False)
        ids = "; ".join(f"{scheme} {', '.join(values)}" for scheme, values in record["external_ids"].items())
        out.print(f"external ids: {escape(ids or 'none')}", highlight=False)
        for source in record["sources"]:
            where = source["document_id"] or f"{source['dataset']} {source['record']}"
            out.print(f"source {escape(where)}:", highlight=False)
            for ev in source["evidence"]:
                span = escape(f" [{ev['start']}:{ev['end']}]") if ev["start"] is not None else ""
                text = " ".join(ev["text"].split())
                out.print(f"    {ev['field'] or 'text'}{span} {escape(text[:300])}", highlight=False)

    @agreements_app.command("export")
    def export_command(
        db: db_option = None,
        create: create_option = False,
        output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
    ) -> None:
        """Export every agreement as JSONL (the shape of list --json, with schema_version); the same file as
        ``trucewatch export --what agreements``. -o is replaced only when complete."""
        from trucewatch.errors import UsageError
        from trucewatch.export.output import check_output, safe_output
        from trucewatch.export.writers import export
        from trucewatch.store import resolve_url

        if output is not None:
            check_output(output, resolve_url(db))
        store = open_store(db, create)
        try:
            if output is None:
                if sys.stdout is None:
                    raise UsageError("standard output is closed; name a file with -o")
                count = export(store, sys.stdout, "jsonl", "agreements")
            else:
                with safe_output(output, store.url) as handle:
                    count = export(store, handle, "jsonl", "agreements")
        finally:
            store.close()
        err.print(f"exported {count} agreements" + (f" to {output}" if output else ""), highlight=False)
