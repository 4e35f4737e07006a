"""Ingest: raw records to stored documents, idempotently and without losing anything.

A document's id is the hash of its cleaned text, so the same article ingested twice
(or from two files) is stored once. Documents are committed in small batches: a
crash or a kill loses at most the batch in flight, which the next run stores again.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from trucewatch.documents import pubdate
from trucewatch.documents.clean import clean_text, normalise, publisher_from_footer
from trucewatch.documents.decode import DecodeError, decode_bytes
from trucewatch.documents.html import MAX_PARSE_DEPTH, extract_article, nesting_depth
from trucewatch.documents.language import identify
from trucewatch.documents.readers import FieldMap, RawRecord, ReadOptions, Rejection, iter_inputs
from trucewatch.errors import StoreFault
from trucewatch.store import Store
from trucewatch.store.db import retry_store_write
from trucewatch.store.schema import Document, IngestError, RawBlob

_LANG_CODE = re.compile(r"^[a-z]{2,3}$")
_TRUE = {"1", "true", "yes", "y", "t"}


@dataclass
class PreparedDocument:
    """A document ready to store: its row and the raw bytes it came from."""

    row: dict[str, Any]
    raw: bytes

    @property
    def id(self) -> str:
        return self.row["id"]


@dataclass
class IngestSummary:
    ingested: int = 0
    unchanged: int = 0
    rejected: list[Rejection] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejected


def document_id(text: str) -> str:
    """The content hash that identifies a document: same cleaned text, same id."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _field(value: Any, limit: int | None = None) -> str | None:
    """A metadata value as a single clean line (no NULs or line breaks, which PostgreSQL or CSV refuse)."""
    if value is None:
        return None
    text = normalise(str(value)).replace("\n", " ")
    return (text[:limit] if limit else text) or None


def _headline(text: str) -> str | None:
    """The first line when it reads as a headline (short, no closing full stop)."""
    first, _, rest = text.partition("\n")
    if rest.strip() and 3 <= len(first) <= 200 and not first.rstrip().endswith((".", ":", "؛")):
        return first.strip()
    return None


def prepare(record: RawRecord, *, outlet: str | None = None, fmap: FieldMap | None = None) -> PreparedDocument | Rejection:
    """Decode, extract, clean and describe one record; no database involved."""
    fields = record.fields or {}
    extra: dict[str, Any] = {}
    title = url = published_raw = None
    named_outlet = None  # the outlet the input itself names; ``outlet`` is only the fallback
    translated = False
    language_given = None
    if record.fmt in ("txt", "html"):
        if not record.raw.strip():
            return Rejection(record.path, "empty file", record.line)
        try:
            decoded = decode_bytes(record.raw)
        except DecodeError as exc:
            return Rejection(record.path, str(exc), record.line)
        extra["encoding"] = decoded.encoding
        body = decoded.text
        if record.fmt == "html":
            article = extract_article(body)
            if article is None:
                depth = nesting_depth(body)
                if depth > MAX_PARSE_DEPTH:
                    return Rejection(record.path, f"HTML nested too deeply ({depth} levels) to parse; the limit is {MAX_PARSE_DEPTH}",
                                     record.line)
                return Rejection(record.path, "no article text found: the page holds only navigation or boilerplate", record.line)
            body, title, url, published_raw = article.text, article.title, article.url, article.published
            named_outlet = article.outlet
            if article.author:
                extra["author"] = article.author
    else:
        fmap = fmap or FieldMap()
        body = fmap.pick(fields, "text")
        title = fmap.pick(fields, "title")
        url = fmap.pick(fields, "url")
        published_raw = fmap.pick(fields, "published")
        named_outlet = fmap.pick(fields, "outlet")
        language_given = fmap.pick(fields, "language")
        translated = str(fmap.pick(fields, "translated") or "").strip().lower() in _TRUE
        if isinstance(body, str) and body.lstrip().startswith("<") and "</" in body:
            article = extract_article(body)
            if article is not None:
                body = article.text
        used = {k for name in ("text", "title", "url", "published", "outlet", "language", "translated")
                for k in getattr(fmap, name)}
        rest = {k: v for k, v in fields.items() if k not in used}
        if rest:
            extra["fields"] = rest

    cleaned = clean_text(body)
    if not cleaned.text:
        return Rejection(record.path, "empty document: no text left after cleaning", record.line)
    text = cleaned.text
    if cleaned.dropped:
        extra["dropped_lines"] = [{"line": line, "rule": rule} for line, rule in cleaned.dropped]
    if not named_outlet:
        named_outlet = publisher_from_footer(cleaned.dropped)
        if named_outlet:
            extra["outlet_basis"] = "copyright footer"
    title = _field(title) if title else _headline(text) if record.fmt == "txt" else None

    found = pubdate.from_metadata(published_raw) if published_raw is not None else None
    if published_raw is not None and found is None:
        extra["unparsed_published"] = str(published_raw)
    if found is None and record.path != "<stdin>" and record.line is None:
        found = pubdate.from_filename(Path(record.path).name)
    if found is None:
        found = pubdate.from_dateline(text)
    if found is None:
        partial = pubdate.find_dateline(text)
        if partial:
            extra["dateline"] = partial
        found = pubdate.PublicationDate.unknown()

    if isinstance(language_given, str) and _LANG_CODE.match(language_given.strip().lower()):
        language, confidence = language_given.strip().lower(), None
        extra["language_basis"] = "metadata"
    else:
        language, confidence = identify(text)

    raw_sha = hashlib.sha256(record.raw).hexdigest()
    row = {
        "id": document_id(text),
        "outlet": _field(named_outlet or outlet, 200),
        "url": _field(url),
        "title": title,
        "language": language,
        "language_confidence": confidence,
        "text": text,
        "published": found.value,
        "published_basis": found.basis,
        "published_precision": found.precision,
        "translated": translated,
        "duplicate_of": None,
        "source_path": record.path,
        "source_line": record.line,
        "source_format": record.fmt,
        "raw_sha256": raw_sha,
        "extra": extra or None,
    }
    return PreparedDocument(row, record.raw)


ProgressHook = Callable[[str, Any], None]


# Errors that are about one value the database refuses: only that document is rejected.
# (IntegrityError, DataError, a NUL byte PostgreSQL refuses...); store faults are told apart
# first, by retry_store_write, and never reach this.
_VALUE_ERRORS = (SQLAlchemyError, UnicodeError, ValueError)


class _Writer:
    """Buffers prepared documents and rejections and commits them in batches.

    If a batch cannot be stored because of a value the database refuses, it is
    retried one document at a time, so only the offending document is rejected and
    the rest of the batch still lands. A store fault (disk full, database read-only
    or gone) is no property of a document: the whole batch is retried with backoff,
    then the fault is raised, with no per-document rejection recorded and with what
    was stored before it in the message. A rejection already recorded for the same
    input and reason is not recorded again.
    """

    def __init__(self, store: Store, summary: IngestSummary, batch_size: int,
                 on_reject: Callable[[Rejection], None] | None = None,
                 guard: Callable[[], AbstractContextManager[Any]] = nullcontext) -> None:
        self.store = store
        self.guard = guard
        self.summary = summary
        self.batch_size = batch_size
        self.on_reject = on_reject
        self.docs: list[PreparedDocument] = []
        self.errors: list[Rejection] = []
        self.fault: StoreFault | None = None

    def add(self, item: PreparedDocument | Rejection) -> None:
        if isinstance(item, Rejection):
            self.errors.append(item)
        else:
            self.docs.append(item)
        if len(self.docs) + len(self.errors) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        with self.guard():  # a stop signal must not land between a commit and its bookkeeping
            self._flush()

    def _flush(self) -> None:
        if self.fault is not None:  # already failed: the ``finally`` of ingest() must not retry again
            return
        if not self.docs and not self.errors:
            return
        try:
            self._with_retries(lambda: self._commit(self.docs, self.errors))
        except _VALUE_ERRORS:
            for doc in self.docs:
                try:
                    self._with_retries(lambda: self._commit([doc], []))
                except _VALUE_ERRORS as exc:
                    reason = str(exc.orig if getattr(exc, "orig", None) else exc).splitlines()[0]
                    rejection = Rejection(doc.row["source_path"] or "?", f"cannot store: {reason}", doc.row["source_line"])
                    self.summary.rejected.append(rejection)
                    if self.on_reject:
                        self.on_reject(rejection)
                    self.errors.append(rejection)
            self._with_retries(lambda: self._commit([], self.errors))
        self.docs.clear()
        self.errors.clear()

    def _with_retries(self, commit: Callable[[], None]) -> None:
        """Run ``commit``, retrying a store fault that may clear; give up with a StoreFault
        that says what was stored before it."""
        try:
            retry_store_write(self.store.url, commit)
        except StoreFault as fault:
            tries = getattr(fault, "tries", 1)
            s = self.summary
            self.fault = type(fault)(
                f"{fault} (gave up after {tries} {'try' if tries == 1 else 'tries'}); stored before the fault: "
                f"ingested {s.ingested}, unchanged {s.unchanged}, rejected {len(s.rejected)}; the batch in hand was "
                "not stored: run the same ingest again once the fault is cleared (nothing is stored twice)")
            raise self.fault from fault

    def _commit(self, docs: list[PreparedDocument], errors: list[Rejection]) -> None:
        now = datetime.now(timezone.utc)
        with self.store.session() as session:
            ingested, unchanged = self._store_documents(session, docs, now)
            fresh = self._new_rejections(session, errors)
            if fresh:
                session.execute(insert(IngestError), [{**key, "at": now} for key in fresh])
        self.summary.ingested += ingested
        self.summary.unchanged += unchanged

    @staticmethod
    def _new_rejections(session: Session, errors: list[Rejection]) -> list[dict[str, Any]]:
        return new_rejections(session, errors)

    @staticmethod
    def _store_documents(session: Session, docs: list[PreparedDocument], now: datetime) -> tuple[int, int]:
        return store_documents(session, docs, now)


def new_rejections(session: Session, errors: list[Rejection]) -> list[dict[str, Any]]:
    """The rejections not recorded yet: one row per (path, line, reason), however often it recurs."""
    if not errors:
        return []
    keys = {(e.path, e.line, e.reason): None for e in errors}
    paths = {path for path, _, _ in keys}
    recorded = {tuple(row) for row in session.execute(
        select(IngestError.path, IngestError.line, IngestError.reason).where(IngestError.path.in_(paths)))}
    return [{"path": p, "line": n, "reason": r} for (p, n, r) in keys if (p, n, r) not in recorded]


def store_documents(session: Session, docs: list[PreparedDocument], now: datetime) -> tuple[int, int]:
    """Insert the documents not stored yet (and their raw bytes); returns (ingested, unchanged).

    Public so that fetched articles (``trucewatch.sources``) are stored in the same
    transaction as their fetch-log entry, exactly as ingested files are."""
    if not docs:
        return 0, 0
    ids = {d.id for d in docs}
    existing = set(session.scalars(select(Document.id).where(Document.id.in_(ids))))
    fresh: dict[str, PreparedDocument] = {}
    for doc in docs:
        if doc.id not in existing:
            fresh.setdefault(doc.id, doc)
    if fresh:
        blobs = {d.row["raw_sha256"]: d.raw for d in fresh.values()}
        have = set(session.scalars(select(RawBlob.sha256).where(RawBlob.sha256.in_(blobs))))
        new_blobs = [{"sha256": sha, "size": len(raw), "content": raw} for sha, raw in blobs.items() if sha not in have]
        if new_blobs:
            session.execute(insert(RawBlob), new_blobs)
        session.execute(insert(Document), [{**d.row, "ingested_at": now} for d in fresh.values()])
    return len(fresh), len(docs) - len(fresh)


def ingest(
    store: Store,
    paths: Iterable[str],
    options: ReadOptions | None = None,
    *,
    outlet: str | None = None,
    batch_size: int = 200,
    on_item: ProgressHook | None = None,
    guard: Callable[[], AbstractContextManager[Any]] = nullcontext,
    summary: IngestSummary | None = None,
) -> IngestSummary:
    """Ingest everything ``paths`` name into ``store`` and say what happened.

    ``on_item(kind, payload)`` is called for each record with kind ``"document"`` or
    ``"rejected"`` so a CLI can show progress and print errors as they happen.
    ``guard()`` wraps every commit: a CLI that turns signals into exceptions passes a
    context that holds them until the commit is done (``StopSignals.deferred``), and
    its own ``summary`` to read what was stored when the run ends by an exception.
    """
    options = options or ReadOptions()
    summary = summary if summary is not None else IngestSummary()
    writer = _Writer(store, summary, batch_size, on_reject=lambda r: on_item("rejected", r) if on_item else None,
                     guard=guard)
    try:
        for item in iter_inputs(paths, options):
            if isinstance(item, RawRecord):
                try:
                    prepared = prepare(item, outlet=outlet, fmap=options.fields)
                except Exception as exc:  # a reader bug must not cost the rest of the batch
                    prepared = Rejection(item.path, f"internal error while reading: {exc!r}", item.line, internal=True)
            else:
                prepared = item
            if isinstance(prepared, Rejection):
                summary.rejected.append(prepared)
                if on_item:
                    on_item("rejected", prepared)
            elif on_item:
                on_item("document", prepared)
            writer.add(prepared)
    finally:
        writer.flush()
    return summary
