"""The ``gazetteer`` commands: build, inspect, search and extend the place index."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table

from trucewatch.cli_console import err, out

gazetteer_app = typer.Typer(help="Build, inspect and extend the place gazetteer.", no_args_is_help=True)

GazetteerOption = Annotated[Optional[Path], typer.Option(
    "--gazetteer", envvar="TRUCEWATCH_GAZETTEER", help="Gazetteer index file (default: in the user cache).")]


def open_gazetteer_or_exit(path: Path | None):  # type: ignore[no-untyped-def]
    """The gazetteer at ``path`` (default: the user cache); a file that cannot be opened is exit 2."""
    from trucewatch.extract.places.gazetteer import open_gazetteer

    try:
        return open_gazetteer(path)
    except (OSError, ValueError) as exc:  # GazetteerError is a ValueError and names the file
        err.print(f"[red]error:[/] cannot open the gazetteer: {escape(str(exc))}")
        raise typer.Exit(2) from exc


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

    gaz = open_gazetteer_or_exit(gazetteer)
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
    gaz = open_gazetteer_or_exit(gazetteer)
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
    from trucewatch.extract.places.geonames_dump import import_geonames
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
