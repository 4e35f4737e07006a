"""Per source: when it was last fetched, how that went, its errors, and what its items became."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from trucewatch.sources.config import SourcesConfig
from trucewatch.store import Store
from trucewatch.store.schema import SourceItem, SourcePoll, SourceResource

STATUSES = ("stored", "unchanged", "pending", "failed")


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None


def collect(store: Store, config: SourcesConfig | None = None) -> list[dict[str, Any]]:
    """One row per source: those of ``config`` (polled or not) and any other the store remembers."""
    with store.sessions() as session:
        polls = {p.source: p for p in session.scalars(select(SourcePoll))}
        resources: dict[str, list[SourceResource]] = {}
        for resource in session.scalars(select(SourceResource).order_by(SourceResource.last_fetch_at)):
            resources.setdefault(resource.source, []).append(resource)
        counts: dict[str, dict[str, int]] = {}
        for source, status, count in session.execute(
                select(SourceItem.source, SourceItem.status, func.count()).group_by(SourceItem.source, SourceItem.status)):
            counts.setdefault(source, {})[status] = count
        last_error = dict(session.execute(
            select(SourceItem.source, SourceItem.error).where(SourceItem.status == "failed")
            .order_by(SourceItem.done_at)).all())
    names = [s.name for s in config.sources] if config is not None else []
    names += sorted(n for n in set(polls) | set(resources) | set(counts) if n not in names)
    rows = []
    for name in names:
        source = config.by_name(name) if config is not None else None
        poll = polls.get(name)
        fetched = resources.get(name, [])
        latest = fetched[-1] if fetched else None
        failing = [r for r in fetched if r.errors_in_a_row]
        rows.append({
            "source": name,
            "kind": source.kind if source else (poll.kind if poll else None),
            "configured": source is not None,
            "where": source.where if source else (latest.url if latest else None),
            "last_poll": _iso(poll.last_poll_at) if poll else None,
            "next_poll": _iso(poll.next_poll_at) if poll else None,
            "polls": poll.polls if poll else 0,
            "last_fetch": _iso(latest.last_fetch_at) if latest else None,
            "last_result": ("error" if failing else latest.last_result) if latest else None,
            "last_ok": _iso(max((r.last_ok_at for r in fetched if r.last_ok_at), default=None)),
            "fetches": sum(r.fetches for r in fetched),
            "not_modified": sum(r.not_modified for r in fetched),
            "fetch_errors": sum(r.errors for r in fetched),
            "errors_in_a_row": max((r.errors_in_a_row for r in fetched), default=0),
            "last_error": failing[-1].last_error if failing else None,
            "last_item_error": last_error.get(name),
            "items": {status: counts.get(name, {}).get(status, 0) for status in STATUSES},
        })
    return rows
