"""The fusion commands: ``fuse``, ``incidents`` and ``show``, added to the main ``trucewatch`` app."""


import json
import sys
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table


def _fmt_sources(sources: list[dict[str, Any]] | None) -> str:
    return ", ".join((s.get("outlet") or s["source"].split(":", 1)[-1][:12]) for s in sources or [])


def register(app: typer.Typer, out: Console, err: Console, db_option: Any, create_option: Any,
             open_store: Any) -> None:
    """Add the fusion commands to ``app`` (the options and the opener are the main CLI's own)."""

    @app.command()
    def fuse(
        db: db_option = None,
        create: create_option = False,
        jsonl: Annotated[bool, typer.Option("--jsonl", help="Batch contract: documents on stdin, fused in a "
                                            "temporary store, one result line per document on stdout.")] = False,
        engine: Annotated[str, typer.Option(help="local, or ray: the documents' sentence embeddings on Ray "
                                            "workers while this process fuses.")] = "local",
        workers: Annotated[int, typer.Option(min=1, help="Processes (or with --engine ray, Ray workers) that "
                                             "embed the next documents while this process fuses.")] = 1,
        ray_address: Annotated[Optional[str], typer.Option(
            "--ray-address", help="With --engine ray: a cluster to join ('auto', or ray://HOST:10001); "
                                  "default: a local Ray instance with --workers CPUs.")] = None,
    ) -> None:
        """Merge events of different documents into incidents (runs after process; process runs it too).

        Only documents whose events changed since the last fuse are looked at; a fuse that is
        stopped or killed is finished by running it again.
        """
        if jsonl:
            from trucewatch.fusion.jsonl import run_fuse_batch

            result = run_fuse_batch(sys.stdin, sys.stdout, sys.stderr)
            if result.errors:
                raise typer.Exit(1)
            return
        from contextlib import ExitStack

        from trucewatch.fusion.run import DEFAULT
        from trucewatch.fusion.run import fuse as run_fuse
        from trucewatch.pipeline.lifetime import StopSignals, exit_code, signal_name

        from trucewatch.pipeline.ray_engine import engine_problem

        problem = engine_problem(engine, ray_address)
        if problem is not None:
            raise typer.BadParameter(problem[1], param_hint=problem[0])
        store = open_store(db, create)
        try:
            with ExitStack() as stack, StopSignals() as stop:
                encoder = DEFAULT
                if engine == "ray":
                    from trucewatch.pipeline.ray_engine import fuse_encoder, ray_session

                    stack.enter_context(ray_session(workers, ray_address))
                    encoder = stack.enter_context(fuse_encoder(workers))
                elif workers > 1:
                    from trucewatch.pipeline.local_encoder import fuse_encoder as local_fuse_encoder

                    encoder = stack.enter_context(local_fuse_encoder(workers))
                summary = run_fuse(store, stop=stop, encoder=encoder)
        finally:
            store.close()
        out.print(f"fused {summary.documents} documents ({summary.changed} changed)", highlight=False)
        if summary.stopped_by is not None:
            err.print(f"stopped by {signal_name(summary.stopped_by)}; run fuse again to continue", highlight=False)
            raise typer.Exit(exit_code(summary.stopped_by))

    @app.command()
    def incidents(
        db: db_option = None,
        create: create_option = False,
        since: Annotated[Optional[str], typer.Option(help="From this date (YYYY-MM-DD).")] = None,
        until: Annotated[Optional[str], typer.Option(help="Up to this date (YYYY-MM-DD).")] = None,
        country: Annotated[Optional[str], typer.Option(help="Country name, as exported (e.g. Libya).")] = None,
        type_: Annotated[Optional[str], typer.Option("--type", help="Event type, sub-event type or process type.")] = None,
        min_corroboration: Annotated[Optional[int], typer.Option(min=1, help="At least this many independent sources.")] = None,
        disputed: Annotated[Optional[bool], typer.Option("--disputed/--undisputed", help="Only incidents where "
                                                         "sources disagree (or only where they do not).")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
        limit: Annotated[Optional[int], typer.Option(min=1, help="At most this many.")] = None,
        agreement: Annotated[Optional[str], typer.Option(help="Only incidents in this agreement's scope (its id "
                                                         "or pax:/ucdp:/ethprio: id), with their ladder step.")] = None,
        undetermined: Annotated[bool, typer.Option("--undetermined", help="With --agreement: also incidents "
                                                   "whose scope is undetermined.")] = False,
        step: Annotated[Optional[str], typer.Option(help="Violation ladder step (alleged, reported, corroborated, "
                                                    "confirmed): under --agreement, else the highest under any "
                                                    "agreement (after trucewatch scope).")] = None,
        min_step: Annotated[Optional[str], typer.Option(help="This ladder step or higher.")] = None,
        min_confidence: Annotated[Optional[float], typer.Option(help="Best extraction confidence of the reports "
                                                                "carrying it (0-1).")] = None,
        language: Annotated[Optional[str], typer.Option(help="A source document in this language (e.g. ar).")] = None,
    ) -> None:
        """List incidents: date, type, place, actors, fatalities, corroboration and disputed fields."""
        import dataclasses

        from trucewatch.fusion.query import IncidentFilter, iter_incidents, summary

        flt = IncidentFilter(since, until, country, type_, min_corroboration, disputed, step=step, min_step=min_step,
                             min_confidence=min_confidence, language=language)
        try:
            flt.check()
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from exc
        store = open_store(db, create)
        table = Table("incident", "date", "type", "place", "actors", "killed", "sources", "disputed")
        count = 0
        try:
            scoped = None
            if agreement is not None:
                from trucewatch.ceasefire.scope import agreement_id_of
                from trucewatch.ceasefire.scope_cli import scoped_rows

                scoped = scoped_rows(store, agreement, undetermined)  # checks the scope afresh
                flt = dataclasses.replace(flt, agreement=agreement_id_of(store, agreement), undetermined=undetermined)
                table.add_column("scope / step")
            for incident in iter_incidents(store, flt):
                if scoped is not None and incident.id not in scoped:
                    continue
                if limit is not None and count >= limit:
                    break
                count += 1
                if as_json:
                    extra = {} if scoped is None else {"agreement": scoped[incident.id]}
                    sys.stdout.write(json.dumps({**summary(incident), **extra}, ensure_ascii=False) + "\n")
                    continue
                kind = incident.process_type or incident.sub_event_type or incident.event_type or "?"
                actors = " / ".join(a for a in (incident.actor1, incident.actor2) if a)
                killed = "" if incident.fatalities is None else str(incident.fatalities)
                if incident.fatalities_low is not None and incident.fatalities_high not in (None, incident.fatalities_low):
                    killed += f" ({incident.fatalities_low}-{incident.fatalities_high})"
                table.add_row(incident.id, incident.event_date or "?", escape(kind),
                              escape(incident.location or incident.country or "?"), escape(actors), killed,
                              f"{incident.corroboration}: {escape(_fmt_sources(incident.sources))}",
                              escape(", ".join(incident.disputed or [])),
                              *([] if scoped is None else [f"{scoped[incident.id]['in_scope']} / "
                                                           f"{scoped[incident.id]['step'] or '?'}"]))
        finally:
            store.close()
        if not as_json:
            out.print(table)
            out.print(f"{count} incidents", highlight=False)

    @app.command()
    def show(
        incident_id: Annotated[str, typer.Argument(help="An incident id (see trucewatch incidents).")],
        db: db_option = None,
        create: create_option = False,
        as_json: Annotated[bool, typer.Option("--json", help="The whole record as JSON.")] = False,
    ) -> None:
        """One incident: consensus values and rules, every source, every value and its evidence span."""
        from trucewatch.errors import UsageError
        from trucewatch.fusion.query import detail
        from trucewatch.review.structure import merged_into

        store = open_store(db, create)
        try:
            record = detail(store, incident_id)
            if record is None:
                with store.sessions() as session:
                    went = merged_into(session, incident_id)
                if went is not None:
                    raise UsageError(f"incident {incident_id!r} was merged into {went!r} by a reviewer")
        finally:
            store.close()
        if record is None:
            raise UsageError(f"no incident {incident_id!r} in this database (see trucewatch incidents)")
        if as_json:
            sys.stdout.write(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
            return
        kind = record["process_type"] or record["sub_event_type"] or record["event_type"] or "?"
        out.print(f"[bold]{record['id']}[/]  {escape(kind)}  {record['event_date'] or '?'}  "
                  f"{escape(record['location'] or record['country'] or '?')}", highlight=False)
        out.print(f"corroboration {record['corroboration']}; disputed: {', '.join(record['disputed'] or []) or 'nothing'}",
                  highlight=False)
        rules = (record.get("consensus") or {}).get("rules", {})
        out.print(f"fatalities best {record['fatalities']} (low {record['fatalities_low']}, high "
                  f"{record['fatalities_high']}): {escape(rules.get('fatalities', ''))}", highlight=False)
        for field, values in ((record.get("consensus") or {}).get("values") or {}).items():
            if values:
                shown = "; ".join(f"{v['value']} <- {', '.join(s.split(':', 1)[-1] for s in v['sources'])}"
                                  for v in values)
                out.print(f"  {field}: {escape(shown)}", highlight=False)
        for source in record["sources"] or []:
            reposts = f" (reposts: {', '.join(source['reposts'])})" if source.get("reposts") else ""
            out.print(f"source {escape(source.get('outlet') or source['source'])}: documents "
                      f"{', '.join(source['documents'])}{reposts}", highlight=False)
        for report in record["reports"]:
            out.print(f"\n[bold]{report['role']}[/] {report['event_id']} in {report['document_id']} "
                      f"({escape(report['outlet'] or 'outlet unknown')}, {report['published'] or 'undated'}); "
                      f"status {report['status']}" + (f", claimed by {escape(report['claimant'])}"
                                                        if report["claimant"] else ""), highlight=False)
            for ev in report["evidence"]:
                out.print(f"    {ev['field'] or 'text'} [{ev['start']}:{ev['end']}] {escape(ev['text'])}",
                          highlight=False)
