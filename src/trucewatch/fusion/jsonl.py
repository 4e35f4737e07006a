"""``trucewatch fuse --jsonl``: the evaluation contract for fusion, in a temporary store.

Input lines: ``{"id", "text", "published"?, "title"?, "outlet"?, "url"?}``. Every valid
document is ingested, processed by every stage and fused in a store that is deleted
afterwards. Output: one line per valid input line, in input order,
``{"id", "duplicate_of", "story", "events": [...]}``, each event in the export schema
(as ``extract`` gives it) plus its ``incident_id`` and ``incident_role``. A bad line is
reported on stderr with its number and skipped, as every batch command does.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from trucewatch.batch import BatchError, BatchResult, parse_line
from trucewatch.documents.readers import RawRecord, loads_bounded
from trucewatch.export.writers import event_record
from trucewatch.fusion import documents as document_fusion
from trucewatch.store.schema import Event, IncidentEvent


def document_links(session: Session, document_ids: list[str]) -> dict[str, dict[str, Any]]:
    """{document: {"duplicate_of", "story"}} from the near-duplicate and story step."""
    duplicates = document_fusion.duplicate_links(session, document_ids)
    stories = document_fusion.story_of(session, document_ids)
    return {d: {"duplicate_of": duplicates[d][0] if d in duplicates else None, "story": stories.get(d)}
            for d in document_ids}


def _ordinal(event_id: str) -> int:
    tail = event_id.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def run_fuse_batch(infile: IO[str], outfile: IO[str], errfile: IO[str], *, name: str = "<stdin>",
                   workers: int = 1) -> BatchResult:
    from trucewatch.documents.ingest import ingest, prepare
    from trucewatch.fusion.run import fuse
    from trucewatch.pipeline.runner import process
    from trucewatch.store import open_store

    result = BatchResult()
    items: list[tuple[Any, str | None, int]] = []  # (input id, document id or None, line)
    with tempfile.TemporaryDirectory(prefix="trucewatch-fuse-") as folder:
        records = Path(folder) / "input.jsonl"
        with records.open("w", encoding="utf-8") as handle:
            for number, raw in enumerate(infile, start=1):
                if not raw.strip():
                    continue
                try:
                    item = parse_line(raw, number)
                    obj = loads_bounded(raw)
                except BatchError as exc:
                    errfile.write(f"{name}:{number}: {exc}\n")
                    result.errors += 1
                    continue
                record = {k: obj[k] for k in ("text", "published", "title", "outlet", "url") if obj.get(k) is not None}
                line = json.dumps(record, ensure_ascii=False)
                prepared = prepare(RawRecord(name, "jsonl", line.encode("utf-8"), number, record))
                if not hasattr(prepared, "row"):
                    errfile.write(f"{name}:{number}: {getattr(prepared, 'reason', 'rejected')}\n")
                    result.errors += 1
                    items.append((item.id, None, number))
                    continue
                handle.write(line + "\n")
                items.append((item.id, prepared.id, number))  # type: ignore[union-attr]
        store = open_store(str(Path(folder) / "fuse.db"), create=True)
        try:
            ingest(store, [str(records)])
            summary = process(store, workers=workers)
            for problem in summary.errors:
                errfile.write(f"{name}: {problem.splitlines()[0]}\n")
            fuse(store)
            doc_ids = sorted({d for _, d, _ in items if d})
            with store.sessions() as session:
                links = document_links(session, doc_ids)
                events = _events_by_document(session, doc_ids)
        finally:
            store.close()
    for input_id, doc_id, _ in items:
        if doc_id is None:
            continue
        outfile.write(json.dumps({"id": input_id, **links.get(doc_id, {"duplicate_of": None, "story": None}),
                                  "events": events.get(doc_id, [])}, ensure_ascii=False) + "\n")
        result.processed += 1
    outfile.flush()
    return result


def _events_by_document(session: Session, doc_ids: list[str]) -> Mapping[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {d: [] for d in doc_ids}
    for start in range(0, len(doc_ids), 500):
        chunk = doc_ids[start:start + 500]
        linked = {e: (i, r) for e, i, r in session.execute(
            select(IncidentEvent.event_id, IncidentEvent.incident_id, IncidentEvent.role)
            .where(IncidentEvent.document_id.in_(chunk)))}
        rows = session.scalars(select(Event).where(Event.document_id.in_(chunk), Event.stage == "events")
                               .options(selectinload(Event.evidence)))
        for event in sorted(rows, key=lambda e: (e.document_id, _ordinal(e.id))):
            record = event_record(event, None)
            incident, role = linked.get(event.id, (None, None))
            record["incident_id"] = incident if role in ("member", "corroborates") else None
            record["incident_role"] = role
            if role == "disputes":
                record["disputes_incident"] = incident
            out[event.document_id].append(record)
    return out
