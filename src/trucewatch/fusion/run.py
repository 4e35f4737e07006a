"""``trucewatch fuse``: the corpus-level steps that follow the per-document stages.

The steps run in the order of :data:`STEPS`, each over the documents whose events
changed since it last ran. The incident step works in batches, one transaction each,
recording per document which run of its events stage it took in (``fuse_state``): a
fuse killed at any point leaves the store as it was after the last whole batch, and
running it again does exactly the rest. Documents go in a fixed order (publication
date, then id), so an interrupted run finishes with the same incidents as one that
was never interrupted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from trucewatch.fusion import documents as document_fusion
from trucewatch.fusion.incidents import EVENTS_STAGE, fuse_documents
from trucewatch.fusion.termspace import TermSpace
from trucewatch.store import Store
from trucewatch.store.db import retry_store_write
from trucewatch.store.schema import Document, FuseState, StageRun, StoryMember

BATCH = 100
#: The encoder argument that means "the documents step loads its own" (None means none at all).
DEFAULT: Any = object()


@dataclass
class FuseSummary:
    """What a fuse run did."""

    documents: int = 0
    changed: int = 0
    steps: list[str] = field(default_factory=list)
    stopped_by: int | None = None
    #: CPU seconds of the story step's sentence embeddings (the rest is fusion proper)
    embedding_seconds: float = 0.0


def original_of(session: Session, document_ids: list[str]) -> Mapping[str, str]:
    """{document: the document it reposts}, for counting a repost under its original.

    The near-duplicate step (which runs first) records the links; a document with none is
    its own original.
    """
    return {d: dup for d, (dup, _) in document_fusion.duplicate_links(session, document_ids).items()}


def pending(store: Store, document_ids: Iterable[str] | None = None) -> list[tuple[str, tuple[int, datetime]]]:
    """(document id, (events run id, its time)) of documents whose events fuse has not taken in yet, in fuse order."""
    with store.sessions() as session:
        q = (select(StageRun.document_id, StageRun.id, StageRun.ran_at, func.coalesce(Document.published, "9999"))
             .join(Document, Document.id == StageRun.document_id)
             .outerjoin(FuseState, FuseState.document_id == StageRun.document_id)
             .where(StageRun.stage == EVENTS_STAGE, StageRun.status == "ok",
                    (FuseState.document_id.is_(None)) | (FuseState.events_run_id != StageRun.id)
                    | (FuseState.events_ran_at != StageRun.ran_at)))
        if document_ids is None:
            rows = list(session.execute(q))
        else:
            wanted = sorted(set(document_ids))
            rows = [r for start in range(0, len(wanted), 500)
                    for r in session.execute(q.where(StageRun.document_id.in_(wanted[start:start + 500])))]
    return [(d, (run, ran_at)) for d, run, ran_at, _ in sorted(rows, key=lambda r: (r[3], r[0]))]


_FUSE_LOCK_KEY = 0x7472_7563_6675  # "trucfu": the PostgreSQL advisory lock of a fuse batch


def _serialise(session: Session) -> None:
    """Take the store's write lock before reading anything, so two fuse runs (a ``process``
    and a ``fuse`` at once) take turns batch by batch instead of founding one incident twice.
    A batch that finds its documents already fused by the other run changes nothing."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _FUSE_LOCK_KEY})
    else:  # a write, even one that changes nothing, makes SQLite take its write lock now
        session.execute(text("DELETE FROM fuse_waiting WHERE 1 = 0"))


def incidents_step(store: Store, document_ids: list[str] | None, summary: FuseSummary,
                   stop: Callable[[], int | None] | None = None,
                   on_batch: Callable[[int], None] | None = None) -> None:
    """Link events to incidents, a batch of documents per transaction."""
    todo = pending(store, document_ids)
    for start in range(0, len(todo), BATCH):
        if stop is not None and (signal := stop()) is not None:
            summary.stopped_by = signal
            return
        batch = todo[start:start + BATCH]

        def write(batch: list[tuple[str, tuple[int, datetime]]] = batch) -> int:
            with store.session() as session:
                _serialise(session)
                return fuse_documents(session, batch, original_of)

        summary.changed += retry_store_write(store.url, write)
        summary.documents += len(batch)
        after_batch(store)
        if on_batch is not None:
            on_batch(len(batch))


def after_batch(store: Store) -> None:
    """Check the alert rules against the incidents a committed batch changed (``trucewatch.alerts``)."""
    from trucewatch.alerts.check import after_fuse_batch

    after_fuse_batch(store)


def unplaced(store: Store, document_ids: Iterable[str] | None = None) -> list[str]:
    """Processed documents (an ok events run) not yet placed in a story, in fuse order
    (publication date, undated last, then id): the documents of one batch are then close
    in time, so the batch reads and weighs one stretch of the store's members, not members
    from every month of it."""
    with store.sessions() as session:
        q = (select(StageRun.document_id, func.coalesce(Document.published, "9999"))
             .join(Document, Document.id == StageRun.document_id)
             .outerjoin(StoryMember, StoryMember.document_id == StageRun.document_id)
             .where(StageRun.stage == EVENTS_STAGE, StageRun.status == "ok", StoryMember.document_id.is_(None)))
        if document_ids is None:
            rows = list(session.execute(q))
        else:
            wanted = sorted(set(document_ids))
            rows = [r for start in range(0, len(wanted), 500)
                    for r in session.execute(q.where(StageRun.document_id.in_(wanted[start:start + 500])))]
    return [d for d, _ in sorted(set(rows), key=lambda r: (r[1], r[0]))]


def _embedding_texts(store: Store, ids: list[str]) -> list[str]:
    """The texts the story step will embed for the batch ``ids``, in its order (for an
    encoder that starts early): the documents not yet placed, in fuse order."""
    from trucewatch.fusion.stories import embedding_text

    if not ids:
        return []
    with store.sessions() as session:
        placed = set(session.scalars(select(StoryMember.document_id).where(StoryMember.document_id.in_(ids))))
        docs = document_fusion.load_documents(session, [i for i in ids if i not in placed])
        return [embedding_text(d.title, d.text) for d in docs]


def documents_step(store: Store, document_ids: list[str] | None, summary: FuseSummary,
                   stop: Callable[[], int | None] | None = None,
                   on_batch: Callable[[int], None] | None = None, encoder: Any = DEFAULT) -> None:
    """Mark near-duplicates and place documents in stories, a batch per transaction.

    Its progress is its own rows (signatures, story members), so a killed run leaves
    whole batches and a re-run places the rest. ``encoder``: the sentence encoder to use
    (:data:`DEFAULT`: the one the documents step loads); one with a ``prefetch`` method
    (``pipeline.ray_engine.RayEncoder``, ``pipeline.local_encoder.LocalEncoder``) is given
    the texts of the next batches early: as many as its ``ahead`` says (default one).
    """
    todo = unplaced(store, document_ids)
    space = TermSpace()  # term arrays and frequencies kept from batch to batch
    prefetch = getattr(encoder, "prefetch", None)
    ahead = max(1, int(getattr(encoder, "ahead", 1)))
    options = {} if encoder is DEFAULT else {"encoder": encoder}
    sent = 0  # where the batches not yet given to ``prefetch`` begin (each batch's texts are read once)
    for start in range(0, len(todo), BATCH):
        if stop is not None and (signal := stop()) is not None:
            summary.stopped_by = signal
            return
        batch = todo[start:start + BATCH]
        if prefetch is not None:  # this batch and the next ones are embedded elsewhere while this one is fused
            while sent < min(len(todo), start + (ahead + 1) * BATCH):
                prefetch(_embedding_texts(store, todo[sent:sent + BATCH]))
                sent += BATCH

        def write(batch: list[str] = batch) -> None:
            with store.session() as session:
                _serialise(session)
                done = document_fusion.fuse_documents(session, batch, space=space, **options)
            space.confirm()  # committed
            summary.embedding_seconds += done.embedding_seconds

        retry_store_write(store.url, write)


#: The corpus-level steps in order: near-duplicates and stories first, so incidents
#: count a repost under its original.
STEPS: tuple[tuple[str, Callable[..., None]], ...] = (
    ("documents", documents_step),
    ("incidents", incidents_step),
)


def fuse(store: Store, document_ids: Iterable[str] | None = None, *,
         stop: Callable[[], int | None] | None = None,
         on_batch: Callable[[int], None] | None = None, encoder: Any = DEFAULT) -> FuseSummary:
    """Run every corpus-level step over the documents not yet fused (or only ``document_ids``);
    ``encoder``: the story step's sentence encoder (default: its own; None: lexical only)."""
    summary = FuseSummary()
    ids = sorted(set(document_ids)) if document_ids is not None else None
    for name, step in STEPS:
        extra = {"encoder": encoder} if step is documents_step else {}
        step(store, ids, summary, stop=stop, on_batch=on_batch, **extra)
        summary.steps.append(name)
        if summary.stopped_by is not None:
            break
    return summary
