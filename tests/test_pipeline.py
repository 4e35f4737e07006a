"""The pipeline runner: what runs when, versions, upstream outputs, failures, workers."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import pytest
from sqlalchemy import func, select

from trucewatch.documents.ingest import ingest
from trucewatch.extract.sentences import SentenceStage, split_sentences
from trucewatch.pipeline import registry
from trucewatch.pipeline.registry import build_stages
from trucewatch.pipeline.runner import process
from trucewatch.pipeline.stage import Annotation, DocumentInput, StageOutput
from trucewatch.store.schema import Annotation as AnnotationRow
from trucewatch.store.schema import Document, Event, EventEvidence, StageRun

TEXTS = {
    "a.txt": "Truce holds in the capital\n\nThe truce held overnight. Residents said the night was quiet.",
    "b.txt": "Shelling reported\n\nShells hit two houses on Monday. Nobody was hurt, officials said. Talks go on.",
    "boom.txt": "This document makes the test stage fail. BOOM is the trigger word.",
}


class CountingStage:
    """Test stage: one event per sentence that mentions 'truce', using upstream sentences."""

    name = "truce_counter"
    version = "1"
    requires = ("sentences",)

    def process(self, doc: DocumentInput, upstream: Mapping[str, StageOutput]) -> StageOutput:
        if "BOOM" in doc.text:
            raise RuntimeError("boom")
        events = []
        for ann in upstream["sentences"].annotations:
            if "truce" in ann.text.lower():
                events.append({"event_type": "Strategic developments", "process_type": "ceasefire",
                               "status": "main", "notes": ann.text, "confidence": 0.5,
                               "evidence": [{"start": ann.start, "end": ann.end, "text": ann.text, "field": "notes"}]})
        return StageOutput(annotations=[Annotation("truce_sentences", 0, 0, "", {"n": len(events)})], events=events)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def with_counter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "BUILTIN", registry.BUILTIN + (CountingStage,))


def _count(store, model, *where) -> int:  # type: ignore[no-untyped-def]
    with store.sessions() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_split_sentences_spans_are_exact() -> None:
    text = "Headline without stop\n\n  First sentence here.  Second one?\nAnother line"
    spans = list(split_sentences(text))
    assert [text[s:e] for s, e in spans] == ["Headline without stop", "First sentence here.", "Second one?", "Another line"]


def test_sentence_stage_handles_arabic() -> None:
    doc = DocumentInput("x", "بدأت المحادثات في جنيف. هل ستصمد الهدنة؟ نعم.")
    out = SentenceStage().process(doc, {})
    assert [a.text for a in out.annotations] == ["بدأت المحادثات في جنيف.", "هل ستصمد الهدنة؟", "نعم."]


def test_process_runs_once_per_version(store, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ingest(store, [str(corpus)])
    first = process(store)
    stages = len(registry.BUILTIN)
    assert (first.documents, first.stage_runs, first.errors) == (3, 3 * stages, [])
    sentences = _count(store, AnnotationRow, AnnotationRow.stage == "sentences")
    assert sentences == 9  # 3 + 4 + 2, headlines included
    assert process(store).documents == 0  # nothing new, nothing to do
    monkeypatch.setattr(SentenceStage, "version", "2")
    again = process(store)
    assert again.documents == 3
    assert _count(store, AnnotationRow, AnnotationRow.stage == "sentences") == sentences  # replaced, not added
    assert _count(store, StageRun, StageRun.stage == "sentences", StageRun.version == "2") == 3


def test_reprocess_reruns_selected_stage(store, corpus: Path) -> None:
    ingest(store, [str(corpus)])
    process(store)
    assert process(store, ["sentences"], reprocess=True).stage_runs == 3


def test_new_documents_only(store, corpus: Path, tmp_path: Path) -> None:
    ingest(store, [str(corpus)])
    process(store)
    extra = tmp_path / "late.txt"
    extra.write_text("A late report. It arrived after the first run.", encoding="utf-8")
    ingest(store, [str(extra)])
    assert process(store).documents == 1


def test_stage_with_upstream_events_and_failure(store, corpus: Path, with_counter: None) -> None:
    ingest(store, [str(corpus)])
    process(store, ["sentences"])
    summary = process(store, ["truce_counter"])  # sentences come from the store, not re-run
    assert summary.stage_runs == 3
    assert len(summary.errors) == 1 and "boom" in summary.errors[0]
    assert _count(store, StageRun, StageRun.stage == "sentences") == 3
    assert _count(store, Event) == 2
    with store.sessions() as session:
        evidence = session.scalars(select(EventEvidence)).all()
        texts = {d.id: d.text for d in session.scalars(select(Document))}
        for span in evidence:
            assert texts[span.document_id][span.start:span.end] == span.text
        failed = session.scalars(select(StageRun).where(StageRun.status == "error")).one()
        assert "RuntimeError: boom" in failed.error
    # the failed document is retried next time; the others are not
    assert process(store, ["truce_counter"]).documents == 1
    assert _count(store, Event) == 2


def test_workers_give_the_same_result(tmp_path: Path, corpus: Path, with_counter: None) -> None:
    from trucewatch.store import open_store

    results = []
    for workers in (1, 2):
        store = open_store(str(tmp_path / f"w{workers}.db"))
        ingest(store, [str(corpus)])
        process(store, workers=workers)
        with store.sessions() as session:
            results.append(sorted((e.stage, e.document_id, e.notes) for e in session.scalars(select(Event))))
        store.close()
    assert results[0] == results[1]
    assert len([r for r in results[0] if r[0] == "truce_counter"]) == 2


#: Where PreloadingStage.preload ran (a process id), as a forked worker inherits it.
_PRELOADED_IN: list[int] = []


class PreloadingStage:
    """Test stage: notes where its 'model' was loaded and where it processed each document."""

    name = "preloading"
    version = "1"
    requires: tuple[str, ...] = ()

    def preload(self) -> None:
        _PRELOADED_IN.append(os.getpid())

    def process(self, doc: DocumentInput, upstream: Mapping[str, StageOutput]) -> StageOutput:
        return StageOutput(annotations=[Annotation("where", 0, 0, "", {"loaded": list(_PRELOADED_IN),
                                                                      "worker": os.getpid()})])


def test_workers_fork_after_the_stages_preload_their_models(tmp_path: Path, corpus: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from trucewatch.store import open_store

    monkeypatch.setattr(registry, "BUILTIN", registry.BUILTIN + (PreloadingStage,))
    _PRELOADED_IN.clear()
    store = open_store(str(tmp_path / "w.db"))
    ingest(store, [str(corpus)])
    process(store, ["preloading"], workers=2)
    with store.sessions() as session:
        seen = [row.value for row in session.scalars(select(AnnotationRow).where(AnnotationRow.kind == "where"))]
    store.close()
    assert len(seen) == len(TEXTS)
    assert all(value["loaded"] == [os.getpid()] for value in seen)  # loaded once, here, before the fork
    assert all(value["worker"] != os.getpid() for value in seen)  # and used in the workers


def test_build_stages_orders_dependencies(with_counter: None) -> None:
    assert [s.name for s in build_stages(["truce_counter"])] == ["sentences", "truce_counter"]
    with pytest.raises(KeyError, match="unknown stage"):
        build_stages(["nope"])


def test_stage_output_guards_document_fields() -> None:
    with pytest.raises(ValueError):
        StageOutput(document={"text": "rewritten"})


class OverlongStage:
    """Test stage whose event the database refuses on some documents (a 300-character location)."""

    name = "overlong"
    version = "1"
    requires: tuple[str, ...] = ()

    def process(self, doc: DocumentInput, upstream: Mapping[str, StageOutput]) -> StageOutput:
        location = "x" * 300 if "Shelling" in doc.text else "Tripoli"
        return StageOutput(events=[{"location": location, "status": "main"}])


def test_an_output_that_cannot_be_stored_fails_only_its_document(store, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "BUILTIN", registry.BUILTIN + (OverlongStage,))
    ingest(store, [str(corpus)])
    summary = process(store, ["overlong"])
    assert len(summary.errors) == 1 and "location longer than 200" in summary.errors[0]
    assert _count(store, Event) == 2
    assert _count(store, StageRun, StageRun.stage == "overlong", StageRun.status == "ok") == 2


def test_a_stage_is_redone_when_what_it_reads_was_redone(store, corpus: Path, with_counter: None,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    ingest(store, [str(corpus)])
    process(store, ["truce_counter"])
    assert process(store, ["truce_counter"]).documents == 1  # only the failed one
    monkeypatch.setattr(SentenceStage, "version", "2")
    # run alone, the new sentences stage redoes only itself ...
    assert process(store, ["sentences"]).stage_runs == 3
    # ... and the counter, which reads its output, is then stale for every document
    later = process(store, ["truce_counter"])
    assert later.documents == 3 and later.stage_runs == 3
    assert process(store, ["truce_counter"]).documents == 1
    # in one run the upstream change carries through at once
    monkeypatch.setattr(SentenceStage, "version", "3")
    assert process(store, ["truce_counter"]).stage_runs == 6
