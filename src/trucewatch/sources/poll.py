"""One pass over the sources: fetch what is due, record what it lists, store the documents.

A pass has two halves. Discovery fetches each due source's feed, sitemap or API answer
(conditional GET) or scans its folder, and records the listing and its new items in one
transaction. Work then takes each source's pending items (new ones, and those a failure
or a stop left), fetches each article, extracts it with trafilatura through the same
``prepare`` as ``trucewatch ingest`` and stores the document together with the item's new
state. One failure costs only its source or its item: it is logged with the reason and
the pass goes on.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import insert
from sqlalchemy.exc import SQLAlchemyError

from trucewatch.documents import pubdate
from trucewatch.documents.ingest import PreparedDocument, new_rejections, prepare, store_documents
from trucewatch.documents.readers import DEFAULT_MAX_BYTES, RawRecord, ReadOptions, Rejection, iter_inputs
from trucewatch.sources import events, fetchlog
from trucewatch.sources.config import Source, SourcesConfig
from trucewatch.sources.fetch import FetchError, Fetcher
from trucewatch.sources.parse import Item, ParseError, item_key, parse
from trucewatch.sources.summary import html_to_text
from trucewatch.store import Store
from trucewatch.store.db import retry_store_write
from trucewatch.store.schema import IngestError, SourceItem

HTML_TYPES = ("", "text/html", "application/xhtml+xml", "application/xml", "text/xml")
TEXT_TYPES = ("text/plain",)
ACCEPT_HTML = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
ACCEPT_FEED = "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5"
MIN_SUMMARY_WORDS = 20  # a listing's summary shorter than this is a teaser, not worth a document
_LANGUAGE_SURE = 0.8  # below this the detector's guess gives way to the source's language hint
_SKIP_SUFFIXES = (".part", ".tmp", ".crdownload", ".swp", "~")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class PollSummary:
    """What one pass did, for the summary line and the exit status."""

    polled: int = 0  # sources discovered
    fetched: int = 0  # listings fetched with a body
    not_modified: int = 0
    source_errors: int = 0
    new_items: int = 0
    stored: int = 0  # new documents
    unchanged: int = 0  # items whose document was already stored
    failed: int = 0  # items given up
    deferred: int = 0  # items left for a later pass after a transient failure
    document_ids: list[str] = field(default_factory=list)
    stopped: bool = False

    @property
    def ok(self) -> bool:
        return not self.source_errors and not self.failed

    def describe(self) -> str:
        return (f"polled {self.polled} sources ({self.fetched} fetched, {self.not_modified} not modified, "
                f"{self.source_errors} failed); {self.new_items} new items; stored {self.stored} documents, "
                f"{self.unchanged} unchanged, {self.failed} items failed, {self.deferred} left for later")


class Poller:
    """Runs passes over a sources file against one store, with one polite fetcher."""

    def __init__(self, store: Store, config: SourcesConfig, *, stop: Callable[[], object] | None = None,
                 fetcher: Fetcher | None = None, clock: Callable[[], datetime] = utcnow) -> None:
        self.store = store
        self.config = config
        self.settings = config.fetch
        self.stop = stop or (lambda: None)
        self.fetcher = fetcher or Fetcher(config.fetch, stop=self.stop)
        self.clock = clock

    def close(self) -> None:
        self.fetcher.close()

    def run(self, *, force: bool = False, only: list[str] | None = None) -> PollSummary:
        """Discover the due sources (all of them with ``force``), then work every source's pending items."""
        summary = PollSummary()
        sources = [s for s in self.config.sources if only is None or s.name in only]
        now = self.clock()
        for source in sources if force else fetchlog.due(self.store, sources, now):
            if self.stop():
                summary.stopped = True
                return summary
            try:
                self.discover(source, summary)
            except FetchError:  # stopped while waiting for the host or a retry: not a failure, not a poll
                summary.stopped = True
                return summary
        for source in sources:
            if self.stop():
                summary.stopped = True
                return summary
            self.work(source, summary)
        summary.stopped = bool(self.stop())
        return summary

    # -- discovery -------------------------------------------------------------------------

    def discover(self, source: Source, summary: PollSummary) -> None:
        summary.polled += 1
        now = self.clock()
        error = None
        if source.kind == "folder":
            error = self._scan(source, summary, now)
        else:
            error = self._listing(source, source.url or "", summary, now, depth=0)
        fetchlog.record_poll(self.store, source, now, error)

    def _listing(self, source: Source, url: str, summary: PollSummary, now: datetime, depth: int) -> str | None:
        """Fetch and record one listing (and a sitemap index's sitemaps); returns the error, if any."""
        etag, modified = fetchlog.validators(self.store, source, url)
        try:
            fetched = self.fetcher.get(url, etag=etag, last_modified=modified,
                                       accept=ACCEPT_FEED if source.kind != "json" else "application/json")
        except FetchError as exc:
            if exc.transient and self.stop():
                raise
            return self._listing_failed(source, url, summary, now, exc.reason, status=exc.status,
                                        transient=exc.transient)
        if fetched.not_modified:
            fetchlog.record_fetch(self.store, source, url, now, result="not_modified", status=304)
            summary.not_modified += 1
            events.info("fetch.not_modified", f"{url}: not modified since the last fetch (304)", source=source.name,
                        url=url)
            return None
        try:
            parsed = parse(source, fetched.body, fetched.url, fetched.content_type, max_size=self.settings.max_size)
        except ParseError as exc:
            return self._listing_failed(source, url, summary, now, str(exc), status=fetched.status, transient=False)
        except Exception as exc:  # noqa: BLE001 - a parser bug costs this source, not the pass
            return self._listing_failed(source, url, summary, now, f"internal error while reading: {exc!r}",
                                        status=fetched.status, transient=False)
        for warning in parsed.warnings:
            events.warning("listing.warning", f"{url}: {warning}", source=source.name, url=url)
        new = fetchlog.record_fetch(self.store, source, url, now, result="ok", status=fetched.status,
                                    etag=fetched.etag, last_modified=fetched.last_modified, items=parsed.items)
        summary.fetched += 1
        summary.new_items += new
        events.info("fetch.ok", f"{url}: {len(parsed.items)} items listed, {new} new", source=source.name, url=url,
                    status=fetched.status, bytes=len(fetched.body), listed=len(parsed.items), new=new,
                    tries=fetched.tries)
        errors = []
        for child in parsed.children:
            if depth >= 1:
                events.warning("listing.warning", f"{url}: a sitemap index inside a sitemap index is not followed "
                               f"({child})", source=source.name, url=url)
                break
            if self.stop():
                break
            child_error = self._listing(source, child, summary, self.clock(), depth + 1)
            if child_error:
                errors.append(child_error)
        return "; ".join(errors) or None

    def _listing_failed(self, source: Source, url: str, summary: PollSummary, now: datetime, reason: str, *,
                        status: int | None, transient: bool) -> str:
        fetchlog.record_fetch(self.store, source, url, now, result="error", status=status, error=reason)
        summary.source_errors += 1
        events.error("fetch.failed", f"{url}: {reason}", source=source.name, url=url, reason=reason, status=status,
                     transient=transient)
        return reason

    def _scan(self, source: Source, summary: PollSummary, now: datetime) -> str | None:
        """A watched folder: each file is an item, known by its path, size and modification time,
        so a file that changes is read again and one that does not is never read twice."""
        folder = source.path
        assert folder is not None
        if not folder.is_dir():
            return self._folder_failed(source, summary, now, "not a folder" if folder.exists() else "no such folder")
        items: list[Item] = []
        settle_before = now.timestamp() - self.settings.settle
        try:
            paths = sorted(folder.rglob(source.pattern))
        except OSError as exc:
            return self._folder_failed(source, summary, now, f"cannot list the folder: {exc.strerror or exc}")
        waiting = 0
        for path in paths:
            if path.name.startswith(".") or path.name.endswith(_SKIP_SUFFIXES):
                continue
            try:
                info = path.stat()
            except OSError:
                continue
            if not path.is_file():
                continue
            if info.st_mtime > settle_before:
                waiting += 1  # may still be being written; next pass
                continue
            identity = f"file:{path}:{info.st_size}:{info.st_mtime_ns}"
            items.append(Item(key=item_key(identity), how="file", url=str(path), title=path.name,
                              fields={"size": info.st_size, "mtime_ns": info.st_mtime_ns}))
        new = fetchlog.record_fetch(self.store, source, str(folder), now, result="ok", items=items)
        summary.fetched += 1
        summary.new_items += new
        events.info("folder.scanned", f"{folder}: {len(items)} files, {new} new" +
                    (f", {waiting} too recent (still being written?)" if waiting else ""),
                    source=source.name, path=str(folder), files=len(items), new=new, waiting=waiting or None)
        return None

    def _folder_failed(self, source: Source, summary: PollSummary, now: datetime, reason: str) -> str:
        fetchlog.record_fetch(self.store, source, str(source.path), now, result="error", error=reason)
        summary.source_errors += 1
        events.error("folder.failed", f"{source.path}: {reason}", source=source.name, path=str(source.path),
                     reason=reason)
        return reason

    # -- work ------------------------------------------------------------------------------

    def work(self, source: Source, summary: PollSummary) -> None:
        for item in fetchlog.pending(self.store, source, self.clock(), self.settings.articles_per_poll):
            if self.stop():
                summary.stopped = True
                return
            try:
                if item.how == "article":
                    self._article(source, item, summary)
                elif item.how == "record":
                    self._record(source, item, summary)
                else:
                    self._file(source, item, summary)
            except FetchError as exc:  # a stop during a wait: the item stays pending
                if not self.stop():
                    raise
                events.info("item.interrupted", f"{item.url}: left for the next pass ({exc.reason})",
                            source=source.name, url=item.url)
                summary.stopped = True
                return

    def _article(self, source: Source, item: SourceItem, summary: PollSummary) -> None:
        url = item.url or ""
        try:
            fetched = self.fetcher.get(url, accept=ACCEPT_HTML)
        except FetchError as exc:
            if self.stop() and exc.transient:
                raise
            if exc.transient and item.attempts + 1 < self.settings.item_attempts:
                self._defer(source, item, summary, exc.reason)
            else:
                self._give_up(source, item, summary, exc.reason)
            return
        kind = fetched.content_type
        if kind not in HTML_TYPES and kind not in TEXT_TYPES:
            self._give_up(source, item, summary, f"not an HTML page ({kind})")
            return
        record = RawRecord(path=url, fmt="txt" if kind in TEXT_TYPES else "html", raw=fetched.body)
        prepared = self._prepare(record, source)
        if isinstance(prepared, Rejection):
            self._give_up(source, item, summary, prepared.reason)
            return
        self._adjust(prepared, source, item, fetched.url)
        self._store(source, item, summary, [prepared], [])

    def _record(self, source: Source, item: SourceItem, summary: PollSummary) -> None:
        """A feed entry or an API record that carries its own text."""
        payload = item.payload or {}
        fields = dict(payload.get("fields") or {})
        if not fields:
            fields = {"title": item.title, "url": item.url, "published": payload.get("published"),
                      "text": html_to_text(payload.get("summary") or "")}
        elif isinstance(fields.get("text"), str) and "<" in fields["text"]:
            fields["text"] = html_to_text(fields["text"])
        fields = {k: v for k, v in fields.items() if v not in (None, "")}
        raw = json.dumps(fields, ensure_ascii=False, sort_keys=True).encode("utf-8")
        where = item.url or f"{source.where}#{item.key[:12]}"
        prepared = self._prepare(RawRecord(path=where, fmt="json", raw=raw, fields=fields), source)
        if isinstance(prepared, Rejection):
            self._store(source, item, summary, [], [prepared], failed=prepared.reason)
            return
        self._adjust(prepared, source, item, item.url)
        self._store(source, item, summary, [prepared], [])

    def _file(self, source: Source, item: SourceItem, summary: PollSummary) -> None:
        docs: list[PreparedDocument] = []
        rejections: list[Rejection] = []
        for raw in iter_inputs([item.url or ""], ReadOptions(max_bytes=DEFAULT_MAX_BYTES)):
            prepared = self._prepare(raw, source) if isinstance(raw, RawRecord) else raw
            if isinstance(prepared, Rejection):
                rejections.append(prepared)
                events.warning("item.rejected", f"rejected {prepared}", source=source.name, path=item.url)
            else:
                self._hint_language(prepared, source)
                prepared.row["extra"] = {**(prepared.row["extra"] or {}), "source": source.name}
                docs.append(prepared)
        failed = None if docs else (rejections[0].reason if rejections else "no documents in the file")
        self._store(source, item, summary, docs, rejections, failed=failed)

    def _prepare(self, record: RawRecord, source: Source) -> PreparedDocument | Rejection:
        try:
            return prepare(record, outlet=source.outlet)
        except Exception as exc:  # noqa: BLE001 - a reader bug costs this item, as in ingest
            return Rejection(record.path, f"internal error while reading: {exc!r}", record.line, internal=True)

    # -- what a fetched article keeps from its listing ---------------------------------------

    def _adjust(self, doc: PreparedDocument, source: Source, item: SourceItem, fetched_url: str | None) -> None:
        row = doc.row
        extra = dict(row["extra"] or {})
        extra["source"] = source.name
        if fetched_url and fetched_url != item.url:
            extra["fetched_url"] = fetched_url
        row["url"] = row["url"] or fetched_url or item.url
        listed = (item.payload or {}).get("published")
        if row["published_basis"] != "metadata" and listed:
            found = pubdate.from_metadata(listed)
            if found is not None:
                row.update(published=found.value, published_basis=found.basis, published_precision=found.precision)
                extra["published_from"] = "listing"
        if not row["title"] and item.title:
            row["title"] = item.title.replace("\n", " ").strip()
        row["extra"] = extra
        self._hint_language(doc, source, (item.payload or {}).get("language"))

    @staticmethod
    def _hint_language(doc: PreparedDocument, source: Source, listed: str | None = None) -> None:
        """The source's (or the listing's) language, where identification is unsure or found none."""
        hint = (listed or source.language or "").split("-")[0].lower()
        row = doc.row
        if not hint or len(hint) not in (2, 3) or row["language"] == hint:
            return
        confidence = row["language_confidence"]
        if row["language"] is None or (confidence is not None and confidence < _LANGUAGE_SURE):
            extra = dict(row["extra"] or {})
            extra.update(language_basis="source hint", language_detected=row["language"])
            row.update(language=hint, language_confidence=None, extra=extra)

    # -- outcomes --------------------------------------------------------------------------

    def _defer(self, source: Source, item: SourceItem, summary: PollSummary, reason: str) -> None:
        attempts = item.attempts + 1
        wait = min(3600.0, 60.0 * 2 ** (attempts - 1))
        retry_at = self.clock() + timedelta(seconds=wait)
        fetchlog.defer(self.store, item.key, self.clock(), attempts, retry_at, reason)
        summary.deferred += 1
        events.warning("item.deferred", f"{item.url}: {reason}; trying again in {wait:g} s "
                       f"(attempt {attempts} of {self.settings.item_attempts})", source=source.name, url=item.url,
                       reason=reason, attempt=attempts)

    def _give_up(self, source: Source, item: SourceItem, summary: PollSummary, reason: str) -> None:
        """A permanent failure: store the listing's own text when it has enough (a paragraph, not a
        teaser), marked as such, else fail the item; either way the reason is recorded."""
        rejection = Rejection(item.url or "?", reason)
        summary_text = html_to_text((item.payload or {}).get("summary") or "")
        if len(summary_text.split()) >= MIN_SUMMARY_WORDS:
            fields = {"title": item.title, "url": item.url, "published": (item.payload or {}).get("published"),
                      "text": summary_text}
            fields = {k: v for k, v in fields.items() if v}
            raw = json.dumps(fields, ensure_ascii=False, sort_keys=True).encode("utf-8")
            prepared = self._prepare(RawRecord(path=item.url or "?", fmt="json", raw=raw, fields=fields), source)
            if isinstance(prepared, PreparedDocument):
                self._adjust(prepared, source, item, item.url)
                prepared.row["extra"] = {**prepared.row["extra"], "text_basis": "listing summary",
                                         "article_error": reason}
                events.warning("item.summary_used", f"{item.url}: {reason}; stored the listing's summary instead",
                               source=source.name, url=item.url, reason=reason)
                self._store(source, item, summary, [prepared], [rejection], note=f"article: {reason}")
                return
        self._store(source, item, summary, [], [rejection], failed=reason)

    def _store(self, source: Source, item: SourceItem, summary: PollSummary, docs: list[PreparedDocument],
               rejections: list[Rejection], *, failed: str | None = None, note: str | None = None) -> None:
        """The documents, the rejections and the item's new state, in one transaction."""
        now = self.clock()
        result: dict[str, Any] = {}

        def write() -> None:
            with self.store.session() as session:
                ingested, unchanged = store_documents(session, docs, now)
                fresh = new_rejections(session, rejections)
                if fresh:
                    session.execute(insert(IngestError), [{**key, "at": now} for key in fresh])
                status = fetchlog.FAILED if failed else fetchlog.STORED if ingested else fetchlog.UNCHANGED
                fetchlog.finish(session, item.key, now, status=status, document_id=docs[0].id if docs else None,
                                error=failed or note, attempts=item.attempts + 1)
                result.update(ingested=ingested, unchanged=unchanged, status=status)

        try:
            retry_store_write(self.store.url, write)
        except (SQLAlchemyError, UnicodeError, ValueError) as exc:  # a value the database refuses: this item only
            reason = "cannot store: " + str(getattr(exc, "orig", None) or exc).splitlines()[0]
            if not docs:
                raise
            self._store(source, item, summary, [], [Rejection(item.url or "?", reason)], failed=reason)
            return
        summary.stored += result["ingested"]
        summary.unchanged += result["unchanged"]
        summary.document_ids += [d.id for d in docs]
        where = item.url or f"{source.where} ({item.title or 'record ' + item.key[:12]})"
        if result["status"] == fetchlog.FAILED:
            summary.failed += 1
            events.error("item.failed", f"{where}: {failed}", source=source.name, url=where, reason=failed)
        else:
            events.info(f"item.{result['status']}", f"{where}: {result['status']} "
                        f"({result['ingested']} new, {result['unchanged']} already stored)", source=source.name,
                        url=where, documents=[d.id for d in docs])


