"""The fetch log in the store: when each source was polled, each resource's validators, each item's state.

An item is recorded as ``pending`` in the same transaction that records the listing it
came from (and the listing's new ETag), so a crash after that commit cannot lose it; it
becomes ``stored`` or ``unchanged`` in the same transaction that stores its document, so
a crash before that commit leaves it pending and the next poll does it (once). ``failed``
is final; ``pending`` items that failed transiently wait for ``next_attempt_at``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from trucewatch.sources.config import Source
from trucewatch.sources.parse import Item
from trucewatch.store import Store
from trucewatch.store.db import retry_store_write
from trucewatch.store.schema import SourceItem, SourcePoll, SourceResource

PENDING, STORED, UNCHANGED, FAILED = "pending", "stored", "unchanged", "failed"


def resource_key(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


def _aware(value: datetime | None, like: datetime) -> datetime | None:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=like.tzinfo)
    return value


def due(store: Store, sources: Iterable[Source], now: datetime) -> list[Source]:
    """The sources whose next poll time has come (or that were never polled)."""
    listed = list(sources)
    with store.sessions() as session:
        nxt = dict(session.execute(select(SourcePoll.source, SourcePoll.next_poll_at)
                                   .where(SourcePoll.source.in_([s.name for s in listed]))).all())
    return [s for s in listed if nxt.get(s.name) is None or _aware(nxt[s.name], now) <= now]  # type: ignore[operator]


def next_wake(store: Store, sources: Iterable[Source], now: datetime) -> datetime | None:
    """The earliest time something is due: a source's poll or a pending item's retry."""
    listed = [s.name for s in sources]
    with store.sessions() as session:
        polls = session.execute(select(SourcePoll.source, SourcePoll.next_poll_at)
                                .where(SourcePoll.source.in_(listed))).all()
        waiting = SourceItem.status == PENDING, SourceItem.source.in_(listed)
        ready = session.scalar(select(SourceItem.key).where(*waiting, SourceItem.next_attempt_at.is_(None)).limit(1))
        retry = session.scalar(select(func.min(SourceItem.next_attempt_at)).where(*waiting))
    known = {name: _aware(at, now) for name, at in polls}
    if ready is not None or any(name not in known or known[name] is None for name in listed):
        return now  # a source never polled, or items left by the per-pass cap or a stop
    times = [at for at in known.values() if at is not None]
    if retry is not None:
        times.append(_aware(retry, now))  # type: ignore[arg-type]
    return min(times) if times else None


def validators(store: Store, source: Source, url: str) -> tuple[str | None, str | None]:
    """(ETag, Last-Modified) of the last good fetch of ``url`` for a conditional GET."""
    with store.sessions() as session:
        row = session.get(SourceResource, (source.name, resource_key(url)))
        return (row.etag, row.last_modified) if row is not None else (None, None)


def _resource(session: Session, source: Source, url: str) -> SourceResource:
    row = session.get(SourceResource, (source.name, resource_key(url)))
    if row is None:
        row = SourceResource(source=source.name, url_key=resource_key(url), url=url, errors_in_a_row=0, fetches=0,
                             not_modified=0, errors=0)
        session.add(row)
    return row


def record_fetch(store: Store, source: Source, url: str, now: datetime, *, result: str, status: int | None = None,
                 etag: str | None = None, last_modified: str | None = None, error: str | None = None,
                 items: list[Item] | None = None) -> int:
    """Record one fetch of a source's resource and the items it listed, in one transaction.

    ``result`` is ok, not_modified or error; validators are kept only from a good fetch,
    so a body that could not be used is fetched in full next time. Returns how many
    items were new."""

    def write() -> int:
        with store.session() as session:
            row = _resource(session, source, url)
            row.fetches += 1
            row.last_fetch_at = now
            row.last_result = result
            row.http_status = status
            if result == "error":
                row.errors += 1
                row.errors_in_a_row += 1
                row.last_error = error
            else:
                row.errors_in_a_row = 0
                row.last_ok_at = now
                if result == "not_modified":
                    row.not_modified += 1
                else:
                    row.etag, row.last_modified = etag, last_modified
            return add_items(session, source, items or [], now)

    return retry_store_write(store.url, write)


def add_items(session: Session, source: Source, items: list[Item], now: datetime) -> int:
    """Insert the items not known yet (by key, whatever source listed them first); returns how many."""
    unique = {item.key: item for item in items}
    if not unique:
        return 0
    known: set[str] = set()
    keys = list(unique)
    for start in range(0, len(keys), 500):
        known.update(session.scalars(select(SourceItem.key).where(SourceItem.key.in_(keys[start:start + 500]))))
    fresh = [item for key, item in unique.items() if key not in known]
    for order, item in enumerate(fresh):
        payload: dict[str, Any] = {k: v for k, v in (("published", item.published), ("summary", item.summary),
                                                    ("fields", item.fields), ("language", item.language))
                                   if v not in (None, "", {})}
        session.add(SourceItem(key=item.key, source=source.name, how=item.how, url=item.url, title=item.title,
                               payload=payload or None, status=PENDING, attempts=0,
                               # a microsecond apart, so items are worked in the order the listing gives
                               first_seen_at=now + timedelta(microseconds=order)))
    return len(fresh)


def record_poll(store: Store, source: Source, now: datetime, error: str | None = None) -> None:
    """The source was polled now; its next poll is one interval later."""

    def write() -> None:
        with store.session() as session:
            row = session.get(SourcePoll, source.name)
            if row is None:
                row = SourcePoll(source=source.name, kind=source.kind, polls=0)
                session.add(row)
            row.kind = source.kind
            row.polls += 1
            row.last_poll_at = now
            row.next_poll_at = now + timedelta(seconds=source.interval)
            if error is not None:
                row.last_error, row.last_error_at = error, now

    retry_store_write(store.url, write)


def pending(store: Store, source: Source, now: datetime, limit: int) -> list[SourceItem]:
    """The source's items to work on now, oldest first."""
    with store.sessions() as session:
        rows = session.scalars(
            select(SourceItem).where(SourceItem.source == source.name, SourceItem.status == PENDING,
                                     (SourceItem.next_attempt_at.is_(None)) | (SourceItem.next_attempt_at <= now))
            .order_by(SourceItem.first_seen_at, SourceItem.key).limit(limit)).all()
        session.expunge_all()
    return list(rows)


def finish(session: Session, key: str, now: datetime, *, status: str, document_id: str | None = None,
           error: str | None = None, attempts: int | None = None) -> None:
    values: dict[str, Any] = {"status": status, "document_id": document_id, "error": error, "done_at": now,
                              "next_attempt_at": None}
    if attempts is not None:
        values["attempts"] = attempts
    session.execute(update(SourceItem).where(SourceItem.key == key).values(**values))


def defer(store: Store, key: str, now: datetime, attempts: int, retry_at: datetime, error: str) -> None:
    """A transient failure: try again at ``retry_at``."""

    def write() -> None:
        with store.session() as session:
            session.execute(update(SourceItem).where(SourceItem.key == key).values(
                attempts=attempts, next_attempt_at=retry_at, error=error))

    retry_store_write(store.url, write)
