"""A summary of what the store holds, for ``trucewatch status`` and the demo."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trucewatch.store import Store
from trucewatch.store.schema import Document, Event, IngestError, StageRun


@dataclass
class StoreStatus:
    documents: int = 0
    by_language: dict[str, int] = field(default_factory=dict)
    by_basis: dict[str, int] = field(default_factory=dict)
    by_outlet: dict[str, int] = field(default_factory=dict)
    stage_runs: dict[tuple[str, str, str], int] = field(default_factory=dict)
    events: dict[str, int] = field(default_factory=dict)
    rejections: int = 0


def _grouped(session, column) -> dict[str, int]:  # type: ignore[no-untyped-def]
    rows = session.execute(select(column, func.count()).group_by(column).order_by(func.count().desc()))
    return {str(key) if key is not None else "unknown": n for key, n in rows}


def collect_status(store: Store) -> StoreStatus:
    """Counts for ``trucewatch status``, read under the statement timeout (an interactive
    command must not run for hours on a huge or damaged store)."""
    with store.reading() as conn, Session(bind=conn) as session:
        status = StoreStatus(
            documents=session.scalar(select(func.count()).select_from(Document)) or 0,
            by_language=_grouped(session, Document.language),
            by_basis=_grouped(session, Document.published_basis),
            by_outlet=_grouped(session, Document.outlet),
            events=_grouped(session, Event.status),
            rejections=session.scalar(select(func.count()).select_from(IngestError)) or 0,
        )
        rows = session.execute(
            select(StageRun.stage, StageRun.version, StageRun.status, func.count()).group_by(
                StageRun.stage, StageRun.version, StageRun.status
            )
        )
        status.stage_runs = {(s, v, st): n for s, v, st, n in rows}
    return status


def _counts(title: str, counts: dict[str, int]) -> Table:
    table = Table(title, "n", title_justify="left")
    for key, n in counts.items():
        table.add_row(key, str(n))
    return table


def render_status(console: Console, status: StoreStatus) -> None:
    console.print(f"[bold]{status.documents}[/] documents, [bold]{sum(status.events.values())}[/] events, "
                  f"[bold]{status.rejections}[/] inputs rejected so far")
    console.print(_counts("language", status.by_language))
    console.print(_counts("publication date basis", status.by_basis))
    console.print(_counts("outlet", status.by_outlet))
    runs = Table("stage", "version", "status", "documents", title_justify="left")
    for (stage, version, state), n in sorted(status.stage_runs.items()):
        runs.add_row(stage, version, state, str(n))
    console.print(runs)
    if status.events:
        console.print(_counts("events by status", status.events))
