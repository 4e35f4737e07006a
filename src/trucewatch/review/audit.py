"""The audit log, read back and exported (JSON lines or formula-safe CSV)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

from sqlalchemy import select

from trucewatch.export.writers import write_csv
from trucewatch.store import Store
from trucewatch.store.schema import AuditEntry

COLUMNS = ("id", "at", "actor", "action", "target_kind", "target_id", "field", "before", "after", "reason", "undoes")
FORMATS = ("jsonl", "csv")


def entries(store: Store, target_id: str | None = None, batch: int = 500) -> Iterator[dict[str, Any]]:
    """Every audit entry (of one target, if given), oldest first."""
    q = select(AuditEntry).order_by(AuditEntry.id)
    if target_id is not None:
        q = q.where(AuditEntry.target_id == target_id)
    with store.sessions() as session:
        for entry in session.scalars(q.execution_options(yield_per=batch)):
            row = {c: getattr(entry, c) for c in COLUMNS}
            row["at"] = entry.at.isoformat()
            yield row


def export(store: Store, out: IO[str], fmt: str = "jsonl") -> int:
    """Write the whole log to ``out``; returns how many entries."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "csv":
        return write_csv(entries(store), out, COLUMNS)
    count = 0
    for row in entries(store):
        out.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
    return count
