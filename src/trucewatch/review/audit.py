"""The audit log, read back and exported (JSON lines or formula-safe CSV)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

from sqlalchemy import or_, select

from trucewatch.export.writers import write_csv
from trucewatch.store import Store
from trucewatch.store.schema import AuditEntry

COLUMNS = ("id", "at", "actor", "action", "target_kind", "target_id", "field", "before", "after", "reason", "undoes")
FORMATS = ("jsonl", "csv")


#: Fields whose entries name a second record: the one merged into, the one split off.
LINKING = ("merged_into", "split")


def entries(store: Store, target_id: str | None = None, batch: int = 500) -> Iterator[dict[str, Any]]:
    """Every audit entry, oldest first; with ``target_id``, those about that incident or
    agreement: its own, and the merges into it and the split that made it (and their undos)."""
    q = select(AuditEntry).order_by(AuditEntry.id)
    if target_id is not None:
        q = q.where(or_(AuditEntry.target_id == target_id, AuditEntry.field.in_(LINKING)))
    with store.sessions() as session:
        for entry in session.scalars(q.execution_options(yield_per=batch)):
            if target_id is not None and entry.target_id != target_id and target_id not in (
                    _value(entry.before), _value(entry.after)):
                continue  # a merge or split of other records
            row = {c: getattr(entry, c) for c in COLUMNS}
            row["at"] = entry.at.isoformat()
            yield row


def _value(side: Any) -> Any:
    return side.get("value") if isinstance(side, dict) else None


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
