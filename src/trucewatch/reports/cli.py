"""The ``trucewatch report`` command: a compliance report for one agreement, added to the main app."""

from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.markup import escape


def _day(value: str | None, name: str) -> str | None:
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise typer.BadParameter(f"must be a YYYY-MM-DD date, got {value!r}", param_hint=name) from None


def register(app: typer.Typer, out: Console, err: Console, db_option: Any, create_option: Any,
             open_store: Any) -> None:
    """Add ``report`` to ``app`` (the options and the opener are the main CLI's own)."""

    @app.command()
    def report(
        agreement: Annotated[str, typer.Option(help="The agreement: its id, or pax:/ucdp:/ethprio: id.")],
        output: Annotated[Path, typer.Option("-o", "--output", help="The file to write.")],
        db: db_option = None,
        create: create_option = False,
        since: Annotated[Optional[str], typer.Option("--from", help="Incidents from this date (YYYY-MM-DD).")] = None,
        until: Annotated[Optional[str], typer.Option("--to", help="Incidents up to this date (YYYY-MM-DD).")] = None,
        fmt: Annotated[str, typer.Option("--format", help="html, md or pdf.")] = "html",
    ) -> None:
        """A compliance report: the agreement and its terms, the incidents in its scope by week, side,
        type and place (charts and a map), each with its sources and evidence, allegations by whom
        against whom, and caveats on coverage. Scope is checked afresh first."""
        from trucewatch.errors import UsageError
        from trucewatch.reports.compliance import collect
        from trucewatch.reports.render import FORMATS, write_report

        if fmt not in FORMATS:
            raise typer.BadParameter(f"choose one of {', '.join(FORMATS)}", param_hint="--format")
        from trucewatch.export.output import check_output
        from trucewatch.store.db import resolve_url

        first, last = _day(since, "--from"), _day(until, "--to")
        if first and last and first > last:
            raise typer.BadParameter(f"--from {first} is after --to {last}")
        target = check_output(output, resolve_url(db))  # never onto the database, before it is opened
        if fmt == "md":  # the charts go beside it
            for name in ("week", "side", "type", "place", "map"):
                check_output(target.with_name(f"{target.stem}-{name}.svg"), resolve_url(db))
        store = open_store(db, create)
        try:
            try:
                data = collect(store, agreement, first, last)
            except LookupError as exc:
                raise UsageError(str(exc)) from None
        finally:
            store.close()
        try:
            written = write_report(data, fmt, target)
        except RuntimeError as exc:
            raise UsageError(str(exc)) from None
        out.print(f"{data.total} incidents in scope ({data.undetermined} undetermined) -> "
                  + ", ".join(escape(str(p)) for p in written), highlight=False)
