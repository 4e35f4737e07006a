"""Processed documents written straight into a store, for fusion's tests and speed benchmark.

Fusion reads only documents, their events stage run and their events; running the
extraction stages over 100,000 texts to measure it would measure extraction instead.
These rows have the shape the events stage writes (ids, stage name, a stage run per
document, evidence spans inside the text), so fuse cannot tell them apart.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import delete, insert

from trucewatch.store import Store
from trucewatch.store.schema import Document, Event, EventEvidence, RawBlob, StageRun

STAGE = "events"
VERSION = "synthetic"


def event_row_id(doc_id: str, ordinal: int) -> str:
    """The id the pipeline gives a document's n-th event (see pipeline.runner)."""
    return f"{doc_id[:24]}-{hashlib.sha1(STAGE.encode()).hexdigest()[:8]}-{ordinal}"


def write_documents(store: Store, docs: Iterable[Mapping[str, Any]]) -> int:
    """Store documents ``{"id", "text", "outlet"?, "published"?, "events": [event columns]}``
    as if every stage had run; a document already there gets its events replaced (a re-process)."""
    now = datetime.now(timezone.utc)
    count = 0
    with store.session() as session:
        for doc in docs:
            doc_id = doc["id"]
            text = doc.get("text") or f"Report {doc_id}."
            raw = text.encode("utf-8")
            sha = hashlib.sha256(raw).hexdigest()
            if session.get(Document, doc_id) is None:
                if session.get(RawBlob, sha) is None:
                    session.add(RawBlob(sha256=sha, size=len(raw), content=raw))
                    session.flush()
                session.execute(insert(Document), [{
                    "id": doc_id, "outlet": doc.get("outlet"), "text": text, "published": doc.get("published"),
                    "published_basis": "metadata" if doc.get("published") else "unknown", "source_format": "jsonl",
                    "raw_sha256": sha, "ingested_at": now, "language": doc.get("language", "en"), "translated": False}])
            old = [e.id for e in session.query(Event.id).filter(Event.document_id == doc_id)]
            if old:
                session.execute(delete(EventEvidence).where(EventEvidence.event_id.in_(old)))
                session.execute(delete(Event).where(Event.document_id == doc_id))
            session.execute(delete(StageRun).where(StageRun.document_id == doc_id, StageRun.stage == STAGE))
            for ordinal, event in enumerate(doc.get("events") or [], start=1):
                event_id = event_row_id(doc_id, ordinal)
                row = {k: v for k, v in event.items() if k != "evidence"}
                session.execute(insert(Event), [{"status": "main", **row, "id": event_id, "document_id": doc_id,
                                                 "stage": STAGE, "stage_version": VERSION}])
                spans = event.get("evidence") or [{"field": "sentence", "start": 0, "end": min(len(text), 40),
                                                   "text": text[:40]}]
                session.execute(insert(EventEvidence), [{**span, "event_id": event_id, "document_id": doc_id}
                                                        for span in spans])
            session.execute(insert(StageRun), [{"document_id": doc_id, "stage": STAGE, "version": VERSION,
                                                "status": "ok", "error": None, "ran_at": now}])
            count += 1
    return count
