"""The runner: applies stages to the documents that need them and stores the results.

A document needs a stage when no successful run of the stage's current version is
recorded for it (or when the user asks to reprocess). Stages run in worker processes
when ``workers > 1``, or on Ray actors with ``engine="ray"`` (``pipeline.ray_engine``).
Only the main process writes to the store, a batch of documents per transaction (their
stage outputs and run records, a few statements per table for the whole batch, at most
``STORE_BATCH`` documents or ``STORE_SECONDS`` of results), so an interrupted run keeps
every batch it stored, loses at most the one in flight and never half-stores a document.

Lifetime: workers die with the parent (see ``lifetime``); a stop request (SIGTERM,
SIGINT) is honoured between documents, after the documents already finished are stored. Documents are
paged by id, so one ingested during the run may sort behind the cursor: after the pass
the runner looks again for documents the selected stages never saw, a few rounds at
most, and reports how many it left. A store fault (database gone, locked, full) stops
the run as a ``StoreFault`` instead of being recorded against each document.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import delete, exists, func, insert, or_, select, update
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql import ColumnElement

from trucewatch.errors import StoreFault

from trucewatch.export.schema import STORED_COLUMNS, validate_event
from trucewatch.export.writers import event_record
from trucewatch.pipeline.lifetime import init_worker_lifetime
from trucewatch.pipeline.registry import build_stages
from trucewatch.pipeline.stage import Annotation, DocumentInput, Stage, StageOutput, preload
from trucewatch.store import Store
from trucewatch.store.db import retry_store_write
from trucewatch.store.schema import Annotation as AnnotationRow
from trucewatch.store.schema import Document, Event, EventEvidence, StageRun

CHUNK = 100
#: Documents stored per transaction (at most), and the longest a finished document waits to be stored.
STORE_BATCH = 50
STORE_SECONDS = 2.0
ENGINES = ("local", "ray")
ROUNDS = 3  # extra passes over documents that arrived during the run, before giving up on them
STORE_FAULTS = (StoreFault, OperationalError, InterfaceError)  # the database, not a document, is at fault


@dataclass
class ProcessSummary:
    documents: int = 0
    stage_runs: int = 0
    errors: list[str] = field(default_factory=list)
    stopped_by: int | None = None  # the signal that stopped the run early
    left_over: int = 0  # documents that arrived during the run and were not processed


@dataclass
class _Job:
    doc: DocumentInput
    run: list[str]
    upstream: dict[str, StageOutput]


_WORKER_STAGES: dict[str, Stage] = {}


def _init_worker(names: list[str], parent_pid: int | None = None) -> None:
    if parent_pid is not None:  # a pool worker: it must not outlive the run
        init_worker_lifetime(parent_pid)
    init_stages(names)


def init_stages(names: list[str]) -> None:
    """Build the stages this process runs jobs on (once per worker: models load here)."""
    _WORKER_STAGES.clear()
    _WORKER_STAGES.update({s.name: s for s in build_stages(names)})


def run_job(job: _Job) -> tuple[str, dict[str, StageOutput | str]]:
    """Run the job's stages in order; an exception in one stage is reported, not raised."""
    results: dict[str, StageOutput | str] = {}
    available = dict(job.upstream)
    for name in job.run:
        stage = _WORKER_STAGES[name]
        if any(dep not in available for dep in stage.requires):
            results[name] = f"skipped: upstream stage failed ({', '.join(d for d in stage.requires if d not in available)})"
            continue
        try:
            output = stage.process(job.doc, {dep: available[dep] for dep in stage.requires})
            for event in output.events:
                problems = validate_event(event)
                if problems:
                    raise ValueError(f"invalid event: {'; '.join(problems)}")
        except Exception as exc:  # one document's failure must not stop the run
            results[name] = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}"
            continue
        results[name] = output
        available[name] = output
    return job.doc.id, results


def _load_output(session: Session, doc_id: str, stage: str) -> StageOutput:
    """Rebuild a stage's stored output, for a downstream stage that needs it."""
    rows = session.scalars(
        select(AnnotationRow).where(AnnotationRow.document_id == doc_id, AnnotationRow.stage == stage).order_by(AnnotationRow.id)
    )
    annotations = [Annotation(r.kind, r.start, r.end, r.text, r.value) for r in rows]
    events = session.scalars(
        select(Event).where(Event.document_id == doc_id, Event.stage == stage).options(selectinload(Event.evidence))
    )
    return StageOutput(annotations=annotations, events=[event_record(e, None) for e in events])


def _store_output(session: Session, doc_id: str, stage: Stage, output: StageOutput) -> None:
    """One stage's output, replacing what the stage stored for the document before."""
    _store_many(session, [(doc_id, [(stage, output)])])


def _by_stage_set(items: list[tuple[str, list[tuple[Stage, Any]]]]) -> dict[tuple[str, ...], list[str]]:
    """Documents grouped by the stages they ran, so their old rows go in one statement per group."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for doc_id, per_stage in items:
        if per_stage:
            groups.setdefault(tuple(sorted(stage.name for stage, _ in per_stage)), []).append(doc_id)
    return groups


def _store_many(session: Session, items: list[tuple[str, list[tuple[Stage, StageOutput]]]]) -> None:
    """Stage outputs of several documents, replacing what those stages stored for them before:
    one statement per table and kind of change for all of them (documents that ran the same
    stages are deleted together), however many documents, stages and events."""
    for names, doc_ids in _by_stage_set(items).items():
        session.execute(delete(AnnotationRow).where(AnnotationRow.document_id.in_(doc_ids),
                                                    AnnotationRow.stage.in_(names)))
        old_events = select(Event.id).where(Event.document_id.in_(doc_ids), Event.stage.in_(names))
        session.execute(delete(EventEvidence).where(EventEvidence.event_id.in_(old_events)))
        session.execute(delete(Event).where(Event.document_id.in_(doc_ids), Event.stage.in_(names)))
    annotations: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    evidence: list[dict[str, Any]] = []
    for doc_id, outputs in items:
        for stage, output in outputs:
            annotations += [{"document_id": doc_id, "stage": stage.name, "stage_version": stage.version,
                             **a.to_dict()} for a in output.annotations]
            for index, event in enumerate(output.events, start=1):
                event_id = f"{doc_id[:24]}-{hashlib.sha1(stage.name.encode()).hexdigest()[:8]}-{index}"
                row = {k: event.get(k) for k in STORED_COLUMNS if k != "document_id"}
                row.update(id=event_id, document_id=doc_id, stage=stage.name, stage_version=stage.version)
                row["status"] = row["status"] or "main"
                events.append(row)
                evidence += [
                    {"event_id": event_id, "document_id": span.get("document_id") or doc_id,
                     "field": span.get("field"), "start": span["start"], "end": span["end"], "text": span["text"]}
                    for span in event.get("evidence") or []
                ]
    if annotations:  # inserted in order: a stage's annotations are read back by id
        session.execute(insert(AnnotationRow), annotations)
    if events:
        session.execute(insert(Event), events)
    if evidence:
        session.execute(insert(EventEvidence), evidence)
    for doc_id, outputs in items:
        for _, output in outputs:
            if output.document:
                session.execute(update(Document).where(Document.id == doc_id).values(**output.document))


def _record_run(session: Session, doc_id: str, stage: Stage, error: str | None) -> None:
    """Record how one stage's run on the document ended (replacing its earlier record)."""
    _record_many(session, [(doc_id, [(stage, error)])])


def _record_many(session: Session, items: list[tuple[str, list[tuple[Stage, str | None]]]]) -> None:
    """Run records of several documents (replacing their earlier ones), one statement each way."""
    for names, doc_ids in _by_stage_set(items).items():
        session.execute(delete(StageRun).where(StageRun.document_id.in_(doc_ids), StageRun.stage.in_(names)))
    now = datetime.now(timezone.utc)
    rows = [{"document_id": doc_id, "stage": stage.name, "version": stage.version,
             "status": "error" if error else "ok", "error": error, "ran_at": now}
            for doc_id, runs in items for stage, error in runs]
    if rows:
        session.execute(insert(StageRun), rows)


def _record_run_now(store: Store, doc_id: str, stage: Stage, error: str | None) -> None:
    def write() -> None:
        with store.session() as session:
            _record_run(session, doc_id, stage, error)

    retry_store_write(store.url, write)


def _store_or_error(store: Store, doc_id: str, stage: Stage, output: StageOutput) -> str | None:
    """Store one stage output in its own transaction; if the database refuses it,
    record the run as failed instead, so one bad output never costs other documents.
    A store fault is retried, then raised: it is never recorded against the document."""

    def write() -> None:
        with store.session() as session:
            _store_output(session, doc_id, stage, output)
            _record_run(session, doc_id, stage, None)

    try:
        retry_store_write(store.url, write)
        return None
    except StoreFault:  # the database itself failed (after retries): no document is to blame
        raise
    except Exception as exc:  # the database refused this output: keep the rest going
        error = f"cannot store output: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        _record_run_now(store, doc_id, stage, error)
        return error


Results = list[tuple[Stage, StageOutput | str]]


def _store_documents(store: Store, batch: list[tuple[str, Results]]) -> dict[str, dict[str, str]]:
    """Store several documents' stage outputs and run records in one transaction; returns
    each document's errors by stage name (the stages' own, and outputs the database refused).

    One transaction per batch instead of one per document and stage (the statements of a
    document cost more than its rows): a stop or a kill still finds each document either
    wholly stored or not at all, and loses at most the batch in flight. If the database
    refuses the batch (not a store fault), its documents are stored one by one, so one bad
    output costs only its own stage."""
    errors = {doc_id: {stage.name: out for stage, out in results if isinstance(out, str)} for doc_id, results in batch}

    def write() -> None:
        with store.session() as session:
            _store_many(session, [(doc_id, [(stage, out) for stage, out in results if not isinstance(out, str)])
                                  for doc_id, results in batch])
            _record_many(session, [(doc_id, [(stage, errors[doc_id].get(stage.name)) for stage, _ in results])
                                   for doc_id, results in batch])

    try:
        retry_store_write(store.url, write)
        return errors
    except StoreFault:  # the database itself failed (after retries): no document is to blame
        raise
    except Exception:  # noqa: BLE001 - the database refused something: find out which, one by one
        if len(batch) == 1:
            return {batch[0][0]: _store_stage_by_stage(store, *batch[0])}
    return {doc_id: _store_document(store, doc_id, results) for doc_id, results in batch}


def _store_document(store: Store, doc_id: str, results: Results) -> dict[str, str]:
    """Store one document's stage outputs and run records in one transaction (see
    :func:`_store_documents`); if the database refuses them, stage by stage."""
    return _store_documents(store, [(doc_id, results)])[doc_id]


def _store_stage_by_stage(store: Store, doc_id: str, results: Results) -> dict[str, str]:
    """Each stage of one document in a transaction of its own: a refused output costs only its stage."""
    errors = {stage.name: output for stage, output in results if isinstance(output, str)}
    for stage, output in results:
        if isinstance(output, str):
            _record_run_now(store, doc_id, stage, output)
        else:
            error = _store_or_error(store, doc_id, stage, output)
            if error is not None:
                errors[stage.name] = error
    return errors


def _unseen(stages: set[str]) -> ColumnElement[bool]:
    """Documents with no recorded run of one of ``stages``: after a full pass, only
    documents that arrived during it (every document a pass sees gets a run recorded)."""
    return or_(*(~exists().where(StageRun.document_id == Document.id, StageRun.stage == name)
                 for name in sorted(stages)))


def _chunks(store: Store, after: str | None = None, where: ColumnElement[bool] | None = None) -> Iterator[list[str]]:
    """Document ids in id order, a chunk at a time, without holding them all."""
    while True:
        with store.sessions() as session:
            query = select(Document.id).order_by(Document.id).limit(CHUNK)
            if after is not None:
                query = query.where(Document.id > after)
            if where is not None:
                query = query.where(where)
            ids = list(session.scalars(query))
        if not ids:
            return
        yield ids
        after = ids[-1]


def _plan(session: Session, ids: list[str], stages: list[Stage], selected: set[str], reprocess: bool) -> list[_Job]:
    runs = {
        (r.document_id, r.stage): (r.version, r.status, r.ran_at)
        for r in session.execute(
            select(StageRun.document_id, StageRun.stage, StageRun.version, StageRun.status, StageRun.ran_at)
            .where(StageRun.document_id.in_(ids))
        )
    }
    docs = {
        d.id: d
        for d in session.execute(
            select(Document.id, Document.text, Document.language, Document.published, Document.published_basis, Document.title)
            .where(Document.id.in_(ids))
        )
    }
    jobs = []
    for doc_id in ids:
        # stages come in dependency order: a stage is redone when it is new, changed or failed,
        # and also when what it reads is redone now or was redone after it last ran (new places
        # mean new actors and events)
        stale: set[str] = set()
        for s in stages:
            own = runs.get((doc_id, s.name))
            if own is None or own[:2] != (s.version, "ok") or (reprocess and s.name in selected) \
                    or any(dep in stale for dep in s.requires) \
                    or any(_ran_after(runs.get((doc_id, dep)), own) for dep in s.requires):
                stale.add(s.name)
        if not stale & selected:
            continue
        run = [s.name for s in stages if s.name in stale]
        needed = {dep for s in stages if s.name in stale for dep in s.requires} - stale
        upstream = {dep: _load_output(session, doc_id, dep) for dep in needed}
        d = docs[doc_id]
        jobs.append(_Job(DocumentInput(d.id, d.text, d.language, d.published, d.published_basis, d.title), run, upstream))
    return jobs


def _ran_after(upstream: tuple[str, str, datetime] | None, own: tuple[str, str, datetime]) -> bool:
    """Whether an upstream stage's last run is newer than this stage's (SQLite drops the zone)."""
    if upstream is None:
        return False
    theirs, mine = upstream[2], own[2]
    if (theirs.tzinfo is None) != (mine.tzinfo is None):
        theirs, mine = theirs.replace(tzinfo=None), mine.replace(tzinfo=None)
    return theirs > mine


def count_documents(store: Store) -> int:
    with store.sessions() as session:
        return session.scalar(select(func.count()).select_from(Document)) or 0


def count_unseen(store: Store, stages: set[str]) -> int:
    with store.sessions() as session:
        return session.scalar(select(func.count()).select_from(Document).where(_unseen(stages))) or 0


def _pool(workers: int, names: list[str]) -> ProcessPoolExecutor:
    """Worker processes forked from this one, so each can tell when its parent is gone."""
    context = multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=(names, os.getpid()))


def _store_fault(store: Store, exc: Exception, summary: ProcessSummary) -> StoreFault:
    """The fault that ends the run, saying what was kept (a fault the store already named is not named twice)."""
    kept = (f"the {summary.documents} documents done before it are stored; "
            "run process again when the database is back")
    if isinstance(exc, StoreFault):
        return type(exc)(f"{exc}; {kept}")
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return StoreFault(f"the database {store.name} failed during process: "
                      f"{reason[0] if reason else type(exc).__name__}; {kept}")


def process(
    store: Store,
    stage_names: list[str] | None = None,
    *,
    reprocess: bool = False,
    workers: int = 1,
    on_document: Callable[[str, dict[str, Any]], None] | None = None,
    stop: Callable[[], int | None] | None = None,
    rounds: int = ROUNDS,
    engine: str = "local",
    address: str | None = None,
) -> ProcessSummary:
    """Run the named stages (all when None) over every document that needs them.

    ``stop()`` is asked after each finished document (which is stored before the run ends); when it returns a signal number the
    run ends there (``summary.stopped_by``). Raises ``StoreFault`` when the database fails.
    ``engine`` "ray" runs the jobs on ``workers`` Ray actors (``address``: a cluster to
    join; None starts a local instance); this process still plans and stores everything.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    stages = build_stages(stage_names)
    by_name = {s.name: s for s in stages}
    selected = set(stage_names) if stage_names else set(by_name)
    summary = ProcessSummary()
    names = [s.name for s in stages]
    pool: Any = None
    if engine == "ray":
        from trucewatch.pipeline.ray_engine import RayPool

        pool = RayPool(names, workers, address)
    elif workers > 1:
        preload(stages)  # the workers fork from here and share the models' pages
        pool = _pool(workers, names)
    else:
        _init_worker(names)

    def stopped() -> bool:
        if stop is not None and summary.stopped_by is None:
            summary.stopped_by = stop()
        return summary.stopped_by is not None

    def send(ids: list[str]) -> Iterator[tuple[str, dict[str, StageOutput | str]]]:
        """Plan a chunk's jobs and hand them to the workers (the local engine without a
        pool runs them only as their results are read)."""
        with store.sessions() as session:
            jobs = _plan(session, ids, stages, selected, reprocess)
        if engine == "ray":
            return pool.map(jobs)
        return pool.map(run_job, jobs, chunksize=4) if pool else map(run_job, jobs)

    def run_pass(chunks: Iterator[list[str]]) -> bool:
        """Process what ``chunks`` name; False when a stop was requested. The next chunk
        is sent to the workers before this one's results are stored, so the workers are
        not idle while the store is written (chunks hold different documents: planning
        one never reads what storing the other writes)."""
        ahead = None
        for ids in chunks:
            if stopped():
                return False
            current, ahead = ahead, send(ids)
            if current is not None and not store_results(current):
                return False
        return ahead is None or store_results(ahead)

    def store_results(results: Iterator[tuple[str, dict[str, StageOutput | str]]]) -> bool:
        """Store a chunk's results as they come, a batch per transaction (``STORE_BATCH``
        documents, or what ``STORE_SECONDS`` brought); a stop request stores the batch in
        hand first, so every document a worker finished is kept."""
        batch: list[tuple[str, dict[str, StageOutput | str]]] = []
        started = 0.0
        for doc_id, outputs in results:
            if not batch:
                started = time.monotonic()
            batch.append((doc_id, outputs))
            if len(batch) >= STORE_BATCH or time.monotonic() - started >= STORE_SECONDS or stopped():
                flush(batch)
                batch = []
                if stopped():
                    return False
        flush(batch)
        return not stopped()

    def flush(batch: list[tuple[str, dict[str, StageOutput | str]]]) -> None:
        if not batch:
            return
        errors = _store_documents(store, [(doc_id, [(by_name[name], out) for name, out in outputs.items()])
                                          for doc_id, outputs in batch])
        for doc_id, outputs in batch:
            for name in outputs:
                if name in errors[doc_id]:
                    summary.errors.append(f"{doc_id} [{name}]: {errors[doc_id][name].splitlines()[0]}")
                summary.stage_runs += 1
            summary.documents += 1
            if on_document:
                on_document(doc_id, outputs)

    try:
        if run_pass(_chunks(store)):
            for _ in range(rounds):  # documents ingested behind the cursor while the pass ran
                if not count_unseen(store, selected) or not run_pass(_chunks(store, where=_unseen(selected))):
                    break
            if summary.stopped_by is None:
                summary.left_over = count_unseen(store, selected)
    except STORE_FAULTS as exc:
        raise _store_fault(store, exc, summary) from exc
    finally:
        if engine == "ray":
            pool.shutdown()
        elif pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    return summary
