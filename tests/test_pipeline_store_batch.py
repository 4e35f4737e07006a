"""The runner stores a batch of documents' stage outputs in one transaction, a few statements
per table for the whole batch.

A refused output still fails only its own stage of its own document (the batch falls back
to one transaction per document, then per stage), every document is wholly stored or not at all, and what is
stored is what one transaction per stage stored before: annotations in order, events with
their evidence, one run record per stage.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from trucewatch.documents.ingest import ingest
from trucewatch.extract.sentences import split_sentences
from trucewatch.pipeline import registry
from trucewatch.pipeline.runner import process
from trucewatch.pipeline.stage import Annotation, DocumentInput, StageOutput
from trucewatch.store.schema import Annotation as AnnotationRow
from trucewatch.store.schema import Event, EventEvidence, StageRun

TEXTS = {
    "a.txt": "Truce holds in the capital\n\nThe truce held overnight. Residents said the night was quiet.",
    "b.txt": "Shelling reported\n\nShells hit two houses on Monday. Nobody was hurt, officials said. Talks go on.",
    "c.txt": "Talks resume\n\nBoth delegations met again on Tuesday. The truce was extended by a week.",
}


class TwoEventsStage:
    """Test stage: two events per document with evidence, and an annotation per sentence."""

    name = "two_events"
    version = "1"
    requires = ("sentences",)

    def process(self, doc: DocumentInput, upstream: Mapping[str, StageOutput]) -> StageOutput:
        sentences = upstream["sentences"].annotations
        events = [{"event_type": "Strategic developments", "status": "main", "notes": s.text, "confidence": 0.5,
                   "evidence": [{"start": s.start, "end": s.end, "text": s.text, "field": "notes"}]}
                  for s in sentences[:2]]
        marks = [Annotation("mark", s.start, s.end, s.text, {"n": i}) for i, s in enumerate(sentences)]
        return StageOutput(annotations=marks, events=events)


class RefusedStage:
    """Test stage whose annotation the database refuses (no kind: NOT NULL) on the shelling report."""

    name = "refused"
    version = "1"
    requires = ("sentences",)

    def process(self, doc: DocumentInput, upstream: Mapping[str, StageOutput]) -> StageOutput:
        kind = None if "Shelling" in doc.text else "ok"
        return StageOutput(annotations=[Annotation(kind, 0, 1, doc.text[:1])])  # type: ignore[arg-type]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _count(store, model, *where) -> int:  # type: ignore[no-untyped-def]
    with store.sessions() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _statements(store) -> Iterator[list[str]]:  # type: ignore[no-untyped-def]
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        seen.append(statement.split(None, 1)[0].upper())

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(store.engine, "before_cursor_execute", count)


def test_a_batch_of_documents_is_stored_in_a_few_statements(store, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(registry, "BUILTIN", registry.BUILTIN + (TwoEventsStage,))
    ingest(store, [str(corpus)])
    for seen in _statements(store):
        summary = process(store, ["two_events"])
    assert summary.documents == 3 and summary.stage_runs == 6 and not summary.errors
    writes = [s for s in seen if s in ("INSERT", "DELETE", "UPDATE")]
    # for the three documents together: delete annotations, evidence, events, runs; insert
    # annotations, events, evidence, runs
    assert len(writes) == 8
    assert _count(store, Event, Event.stage == "two_events") == 6
    assert _count(store, EventEvidence) == 6
    assert _count(store, StageRun, StageRun.status == "ok") == 6
    with store.sessions() as session:
        rows = session.execute(select(AnnotationRow.document_id, AnnotationRow.value)
                               .where(AnnotationRow.stage == "two_events").order_by(AnnotationRow.id)).all()
        ids = sorted(session.scalars(select(Event.id).where(Event.stage == "two_events")))
    by_doc: dict[str, list[int]] = {}
    for doc_id, value in rows:
        by_doc.setdefault(doc_id, []).append(value["n"])
    assert all(ns == list(range(len(ns))) for ns in by_doc.values())  # read back in the order written
    assert all(i.endswith(("-1", "-2")) for i in ids)
    # reprocessing replaces, never duplicates
    assert process(store, ["two_events"], reprocess=True).stage_runs == 3
    assert _count(store, Event, Event.stage == "two_events") == 6 and _count(store, EventEvidence) == 6
    assert _count(store, StageRun) == 6


def test_a_refused_output_fails_only_its_stage_of_its_document(store, corpus: Path,  # type: ignore[no-untyped-def]
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "BUILTIN", registry.BUILTIN + (RefusedStage,))
    ingest(store, [str(corpus)])
    summary = process(store, ["refused"])
    assert summary.documents == 3 and summary.stage_runs == 6
    assert len(summary.errors) == 1 and "[refused]" in summary.errors[0] and "cannot store output" in summary.errors[0]
    # the shelling report's sentences are stored although its other stage's output was refused
    assert _count(store, StageRun, StageRun.stage == "sentences", StageRun.status == "ok") == 3
    assert _count(store, StageRun, StageRun.stage == "refused", StageRun.status == "ok") == 2
    assert _count(store, StageRun, StageRun.stage == "refused", StageRun.status == "error") == 1
    assert _count(store, AnnotationRow, AnnotationRow.stage == "refused") == 2
    with store.sessions() as session:
        shelling = session.scalar(select(StageRun.document_id).where(StageRun.status == "error"))
    assert _count(store, AnnotationRow, AnnotationRow.stage == "sentences", AnnotationRow.document_id == shelling) \
        == len(list(split_sentences(TEXTS["b.txt"]))) == 4
    # the failed stage is tried again next time, alone
    again = process(store, ["refused"])
    assert again.documents == 1 and again.stage_runs == 1 and len(again.errors) == 1


def test_batches_are_cut_at_the_batch_size(store, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from trucewatch.pipeline import runner

    monkeypatch.setattr(registry, "BUILTIN", registry.BUILTIN + (TwoEventsStage,))
    monkeypatch.setattr(runner, "STORE_BATCH", 2)
    ingest(store, [str(corpus)])
    for seen in _statements(store):
        summary = process(store, ["two_events"])
    assert summary.documents == 3
    assert len([s for s in seen if s in ("INSERT", "DELETE", "UPDATE")]) == 2 * 8  # a batch of 2, then of 1
    assert _count(store, Event, Event.stage == "two_events") == 6


def test_a_stop_stores_the_finished_documents_and_no_more(store, corpus: Path,  # type: ignore[no-untyped-def]
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "BUILTIN", registry.BUILTIN + (TwoEventsStage,))
    ingest(store, [str(corpus)])
    asked = []

    def stop() -> int | None:  # a SIGTERM arrives while the second document is being worked on
        asked.append(1)
        return 15 if len(asked) >= 3 else None

    summary = process(store, ["two_events"], stop=stop)
    assert summary.stopped_by == 15
    stored = _count(store, StageRun, StageRun.stage == "two_events")
    assert summary.documents == stored and 1 <= stored < 3
    # each stored document is whole: its sentences, its events and both run records
    assert _count(store, StageRun, StageRun.stage == "sentences") == stored
    assert _count(store, Event, Event.stage == "two_events") == 2 * stored
    rest = process(store, ["two_events"])
    assert rest.documents == 3 - stored and _count(store, Event, Event.stage == "two_events") == 6
