"""``trucewatch demo``: the whole flow on the bundled corpus, in a fresh database.

The corpus (``resources/demo``) was written by the trucewatch developers for this
demo: invented reports by fictional outlets about the real 2020 Libya ceasefire
process. What the demo prints grows as extraction stages are added.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from trucewatch.ceasefire.run import build_ceasefire
from trucewatch.documents.ingest import ingest
from trucewatch.errors import UsageError
from trucewatch.export.output import SIDE_FILES, check_output, safe_output
from trucewatch.export.writers import export
from trucewatch.fusion.run import fuse
from trucewatch.pipeline.runner import process
from trucewatch.reports.status import collect_status, render_status
from trucewatch.store import open_store
from trucewatch.store.schema import Annotation, Document, Event, IncidentScope

DEMO_PARTS = ("text", "html", "batch")
# The files the demo writes, with their format and table.
DEMO_REPORT = "report.html"
DEMO_EXPORTS = {"events.jsonl": ("jsonl", "events"), "events.csv": ("csv", "events"),
                "events.geojson": ("geojson", "events"), "documents.jsonl": ("jsonl", "documents"),
                "incidents.jsonl": ("jsonl", "incidents"), "agreements.jsonl": ("jsonl", "agreements")}


def demo_corpus() -> Path:
    """The folder holding the bundled demo corpus."""
    return Path(str(resources.files("trucewatch.resources").joinpath("demo")))


DEMO_MARK = ".trucewatch-demo"


def _check_demo_dir(directory: Path, db_path: Path) -> None:
    """The demo starts from an empty database, so it replaces only a database it made itself:
    a user's own store in the folder given (``demo --dir .``) is never deleted."""
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory} is not a folder; give --dir a folder for the demo's database and exports")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot make the folder {directory}: {exc.strerror or exc}") from exc
    leftovers = [Path(f"{db_path}{suffix}") for suffix in ("", *SIDE_FILES)]
    if any(p.exists() or p.is_symlink() for p in leftovers) and not (directory / DEMO_MARK).is_file():
        raise UsageError(f"{db_path} exists and was not made by trucewatch demo; the demo starts from an empty "
                         "database and will not replace it: choose another --dir")


def run_demo(directory: Path, out: Console, err: Console, *, workers: int = 1) -> bool:
    """Build the demo database in ``directory`` and print what was found; False if anything failed."""
    db_path = directory / "trucewatch.db"
    _check_demo_dir(directory, db_path)
    for name in (*DEMO_EXPORTS, DEMO_REPORT):  # refuse before any work, not after it
        check_output(directory / name, str(db_path))
    for suffix in ("", *SIDE_FILES):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    store = open_store(str(db_path))
    (directory / DEMO_MARK).write_text("made by trucewatch demo; the demo may replace this folder's database\n",
                                       encoding="utf-8")
    corpus = demo_corpus()
    out.rule("[bold]trucewatch demo")
    out.print(f"corpus: {corpus}\ndatabase: {db_path.resolve()}\n")

    summary = ingest(store, [str(corpus / part) for part in DEMO_PARTS])
    for rejection in summary.rejected:
        err.print(f"[red]rejected[/] {escape(str(rejection))}", highlight=False)
    out.print(f"[bold]ingest[/]: {summary.ingested} documents stored, {summary.unchanged} exact duplicates skipped, "
              f"{len(summary.rejected)} rejected")
    processed = process(store, workers=workers)
    for problem in processed.errors:
        err.print(f"[red]failed[/] {escape(problem)}", highlight=False)
    out.print(f"[bold]process[/]: {processed.documents} documents through {processed.stage_runs} stage runs, "
              f"{len(processed.errors)} failed")
    fused = fuse(store)
    out.print(f"[bold]fuse[/]: {fused.documents} documents' events linked into incidents")
    ceasefire = build_ceasefire(store)
    for problem in ceasefire.errors:
        err.print(f"[red]failed[/] {escape(problem)}", highlight=False)
    out.print(f"[bold]agreements and talks[/]: {escape(ceasefire.describe())}\n", highlight=False)

    render_status(out, collect_status(store))
    _documents_table(out, store)
    _incidents_table(out, store)
    _agreements_table(out, store)
    _talks_table(out, store)
    for name, (fmt, what) in DEMO_EXPORTS.items():
        with safe_output(directory / name, store.url) as handle:
            count = export(store, handle, fmt, what)
        out.print(f"wrote {directory / name} ({count} {what})")
    _write_report(out, store, directory)
    store.close()
    out.print(f"\nnext: [cyan]trucewatch search --db {db_path} \"Tarhuna\"[/], "
              f"[cyan]trucewatch status --db {db_path}[/], [cyan]trucewatch agreements show --db {db_path} ID[/]")
    out.print(f"the dashboard: [cyan]trucewatch serve --db {db_path}[/], then open http://127.0.0.1:8000/")
    return not summary.rejected and not processed.errors and not ceasefire.errors


def _write_report(out: Console, store, directory: Path) -> None:  # type: ignore[no-untyped-def]
    """The compliance report of the agreement with the most incidents in its scope (the January
    truce on the demo corpus), as `trucewatch report --agreement ID -o report.html` writes it."""
    from trucewatch.reports.compliance import collect
    from trucewatch.reports.render import write_report

    with store.sessions() as session:
        busiest = session.execute(
            select(IncidentScope.agreement_id, func.count()).where(IncidentScope.in_scope.is_(True))
            .group_by(IncidentScope.agreement_id).order_by(func.count().desc(), IncidentScope.agreement_id)
        ).first()
    if busiest is None:
        out.print("no incident is in the scope of an agreement: no report written")
        return
    target = directory / DEMO_REPORT
    data = collect(store, busiest[0])
    write_report(data, "html", target)
    out.print(f"wrote {target} (compliance report: {escape(data.agreement.get('name') or busiest[0])}, "
              f"{data.total} incidents in scope)", highlight=False)


def _documents_table(out: Console, store) -> None:  # type: ignore[no-untyped-def]
    sentences = func.count(Annotation.id)
    events = select(func.count(Event.id)).where(Event.document_id == Document.id).scalar_subquery()
    timex = aliased(Annotation)
    times = (
        select(func.count(timex.id))
        .where((timex.document_id == Document.id) & (timex.kind == "time"))
        .correlate(Document)
        .scalar_subquery()
    )
    place = aliased(Annotation)
    places = (
        select(func.count(place.id))
        .where((place.document_id == Document.id) & (place.kind == "place"))
        .correlate(Document)
        .scalar_subquery()
    )
    query = (
        select(Document.published, Document.published_basis, Document.outlet, Document.language,
               Document.title, Document.text, sentences, times, places, events)
        .outerjoin(Annotation, (Annotation.document_id == Document.id) & (Annotation.kind == "sentence"))
        .group_by(Document.id)
        .order_by(Document.published, Document.outlet)
    )
    table = Table("published", "basis", "outlet", "lang", "headline", "s/t/p/e", title="documents",
                  title_justify="left", caption="s/t/p/e: sentences, time expressions, places, events")
    for column in table.columns:  # one line per document, however narrow the terminal
        column.no_wrap, column.overflow = True, "ellipsis"
    table.columns[0].min_width, table.columns[1].min_width, table.columns[3].min_width = 10, 8, 4
    table.columns[5].min_width = 11
    table.columns[2].max_width, table.columns[4].max_width = 12, 30
    with store.sessions() as session:
        for published, basis, outlet, language, title, text, n_sent, n_times, n_places, n_events in session.execute(query):
            headline = title or text.split("\n", 1)[0]
            table.add_row(published or "?", basis, escape(outlet or "?"), language or "?", escape(headline),
                          f"{n_sent}/{n_times}/{n_places}/{n_events}")
    out.print(table)
    _places_table(out, store)
    _events_table(out, store)
    _unknown_actors_table(out, store)


def _places_table(out: Console, store, limit: int = 12) -> None:  # type: ignore[no-untyped-def]
    """The places the corpus names most, as resolved (so a monitor sees where the news is)."""
    from collections import Counter

    from trucewatch.text.ner import ner_status

    counts: Counter[tuple[str, str, str, str]] = Counter()
    with store.sessions() as session:
        rows = session.execute(select(Annotation.value).where(Annotation.kind == "place"))
        for (value,) in rows:
            value = value or {}
            if value.get("geonameid") is None or value.get("kind") != "name":
                continue
            counts[(value.get("name") or "?", value.get("country") or "", str(value.get("feature_code") or ""),
                    f"{value.get('lat'):.2f}, {value.get('lon'):.2f}")] += 1
    status = ner_status()
    table = Table("place", "country", "feature", "lat, lon", "mentions", title_justify="left",
                  title=f"places most named (NER {'on' if status.available else 'off: ' + status.reason})")
    for (name, country, code, point), n in counts.most_common(limit):
        table.add_row(escape(name), country, code, point, str(n))
    out.print(table)


def _events_table(out: Console, store, limit: int = 15) -> None:  # type: ignore[no-untyped-def]
    """The documents' news (status main), newest first, then counts of everything by status."""
    from collections import Counter

    with store.sessions() as session:
        rows = session.execute(
            select(Event.event_date, Event.sub_event_type, Event.process_type, Event.actor1, Event.actor2,
                   Event.location, Event.fatalities, Event.claimant, Event.status)
            .where(Event.stage == "events")
            .order_by(Event.event_date.desc(), Event.id)
        ).all()
    table = Table("date", "what", "actor1", "where", "killed", "says who", title_justify="left",
                  title="events reported as news (status main)")
    for column in table.columns:
        column.no_wrap, column.overflow = True, "ellipsis"
    table.columns[0].min_width, table.columns[4].min_width = 10, 6
    for column in table.columns[1:4]:
        column.max_width = 20
    table.columns[5].max_width = 20
    shown = 0
    for date, sub, process_type, actor1, _actor2, where, killed, claimant, status in rows:
        if status != "main" or shown >= limit:
            continue
        shown += 1
        table.add_row(date or "?", escape(process_type or sub or "?"), escape(actor1 or ""), escape(where or ""),
                      "" if killed is None else str(killed), escape(claimant or ""))
    statuses = Counter(row[-1] for row in rows)
    table.caption = "all events by status: " + ", ".join(f"{k} {v}" for k, v in statuses.most_common())
    out.print(table)


def _incidents_table(out: Console, store, limit: int = 15) -> None:  # type: ignore[no-untyped-def]
    """Incidents across the documents, best corroborated first: what a monitor counts."""
    from trucewatch.fusion.query import iter_incidents

    rows = sorted(iter_incidents(store), key=lambda i: (-i.corroboration, i.event_date or "9999", i.id))
    table = Table("date", "what", "where", "killed", "sources", "disputed", title_justify="left",
                  title="incidents (events of several reports merged; corroboration = independent outlets)")
    for column in table.columns:
        column.no_wrap, column.overflow = True, "ellipsis"
    table.columns[0].min_width, table.columns[3].min_width, table.columns[5].min_width = 10, 6, 10
    table.columns[1].max_width, table.columns[2].max_width, table.columns[4].max_width = 16, 14, 24
    for incident in rows[:limit]:
        killed = "" if incident.fatalities is None else str(incident.fatalities)
        if incident.fatalities_high not in (None, incident.fatalities_low):
            killed += f" ({incident.fatalities_low}-{incident.fatalities_high})"
        outlets = ", ".join(s.get("outlet") or "?" for s in incident.sources or [])
        table.add_row(incident.event_date or "?",
                      escape(incident.process_type or incident.sub_event_type or incident.event_type or "?"),
                      escape(incident.location or incident.country or ""), killed,
                      f"{incident.corroboration} {escape(outlets)}", escape(", ".join(incident.disputed or [])))
    corroborated = sum(1 for i in rows if i.corroboration > 1)
    table.caption = f"{len(rows)} incidents, {corroborated} reported by more than one outlet"
    out.print(table)


def _agreements_table(out: Console, store) -> None:  # type: ignore[no-untyped-def]
    """Every agreement found, in date order: what a monitor checks incidents against. Two lines
    each rather than a table, so the parties' full names fit an 80-column terminal."""
    from trucewatch.ceasefire.query import iter_agreements

    out.print("[bold]agreements[/] (from the news and imported tables; trucewatch agreements show ID)")
    count = 0
    for record in iter_agreements(store):
        count += 1
        parties = "; ".join(p["name"] for p in record["parties"]) or "?"
        out.print(f"  [bold]{escape(record['name'])}[/]: {record['kind']}, {record['status']}", highlight=False)
        out.print(f"    parties {escape(parties)}; signed {record['signed'] or '?'}, effective from "
                  f"{record['effective_from'] or '?'}, expires {record['expires'] or '-'}", highlight=False)
    out.print(f"{count} agreements (expires -: open-ended or not stated)\n", highlight=False)


def _talks_table(out: Console, store) -> None:  # type: ignore[no-untyped-def]
    """The rounds of talks found, by first day: forum, round, dates and venue."""
    from trucewatch.ceasefire.talks_store import iter_rounds

    table = Table("forum", "round", "from", "to", "venue", title_justify="left",
                  title="rounds of talks (trucewatch talks)")
    for column in table.columns:
        column.overflow = "fold"
    table.columns[0].max_width = 34
    table.columns[2].min_width, table.columns[3].min_width = 10, 10
    count = 0
    for record in iter_rounds(store):
        count += 1
        number = str(record["round"] or "") + (f" (#{record['sequence']})" if record["sequence"] else "")
        venue = record["venue"] or {}
        where = (venue.get("name") or "?") + (f", {venue['country']}" if venue.get("country") else "")
        table.add_row(escape((record["forum"] or {}).get("name") or record["name"]), number or "-",
                      record["dates"]["start"] or "?", record["dates"]["end"] or "?", escape(where))
    table.caption = f"{count} rounds; round: as a report numbers it, (#n) its place among the forum's rounds found"
    out.print(table)


def _unknown_actors_table(out: Console, store, limit: int = 10) -> None:  # type: ignore[no-untyped-def]
    """Names the NER model took for actors that the knowledge base does not know: the
    list a curator works from (add them to resources/actors/actors.yaml, or not)."""
    from collections import Counter

    counts: Counter[tuple[str, str]] = Counter()
    with store.sessions() as session:
        for text, value in session.execute(select(Annotation.text, Annotation.value).where(Annotation.kind == "actor")):
            value = value or {}
            if value.get("kind") == "ner" and value.get("actor_id") is None:
                counts[(" ".join(text.split()), value.get("label") or "")] += 1
    if not counts:
        return
    table = Table("name", "NER label", "mentions", title_justify="left",
                  title="actors the knowledge base does not know (most named)")
    for (name, label), n in counts.most_common(limit):
        table.add_row(escape(name), label, str(n))
    out.print(table)
