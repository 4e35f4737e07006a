"""The ``trucewatch talks`` commands: list the rounds of talks, and build them from the news."""


import json
import sys
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table


def _summary(entries: list[dict[str, Any]], key: str) -> str:
    return "; ".join(str(e[key]) for e in entries if e.get(key))


def register(app: typer.Typer, out: Console, err: Console, db_option: Any, create_option: Any,
             open_store: Any) -> None:
    """Add ``talks`` to ``app`` (the options and the opener are the main CLI's own)."""
    talks_app = typer.Typer(help="Rounds of talks: forum, track, dates, venue, delegations, facilitators, outcomes.",
                            invoke_without_command=True)
    app.add_typer(talks_app, name="talks")

    @talks_app.callback()
    def list_command(
        ctx: typer.Context,
        db: db_option = None,
        create: create_option = False,
        forum: Annotated[Optional[str], typer.Option(help="Only this forum (e.g. jmc_5plus5).")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    ) -> None:
        """List the rounds of talks found in the news (run ``talks build`` after process)."""
        if ctx.invoked_subcommand is not None:
            return
        from trucewatch.ceasefire.talks_store import iter_rounds
        from trucewatch.ceasefire.talks_terms import forums

        known = [f.id for f in forums()]
        if forum is not None and forum not in known:
            raise typer.BadParameter(f"choose one of {', '.join(known)}", param_hint="--forum")
        store = open_store(db, create)
        table = Table("start", "end", "forum", "round", "venue", "track", "delegations", "facilitators", "outcomes")
        count = 0
        try:
            for record in iter_rounds(store, forum):
                count += 1
                if as_json:
                    sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
                    continue
                outcomes = ", ".join(sorted({t for o in record["outcomes"] for t in o["types"]}))
                table.add_row(record["dates"]["start"] or "?", record["dates"]["end"] or "?",
                              escape((record["forum"] or {}).get("name") or "-"),
                              str(record["round"] or "") + (f" (#{record['sequence']})" if record["sequence"] else ""),
                              escape((record["venue"] or {}).get("name") or "?"), record["track"] or "-",
                              escape(_summary(record["delegations"], "party")),
                              escape(_summary(record["facilitators"], "name")), outcomes)
        finally:
            store.close()
        if not as_json:
            out.print(table)
            out.print(f"{count} rounds of talks", highlight=False)

    @talks_app.command("build")
    def build_command(db: db_option = None, create: create_option = False) -> None:
        """Build the rounds of talks from the processed news (talks events, and the agreements a
        round produced), one record per round across reports and languages. Running it again
        changes nothing; run it after process (and after agreements build, to link agreements)."""
        from trucewatch.ceasefire.talks_store import build_talks
        from trucewatch.store.db import retry_store_write

        store = open_store(db, create)
        try:
            def write() -> Any:
                with store.session() as session:
                    return build_talks(session)

            counts = retry_store_write(store.url, write)
        finally:
            store.close()
        total = counts.new + counts.updated + counts.unchanged
        out.print(f"{total} rounds of talks ({counts.new} new, {counts.updated} updated, {counts.unchanged} "
                  f"unchanged; {counts.removed} no longer supported removed)", highlight=False)
