"""``trucewatch agreements import``: a PA-X, UCDP or ETH/PRIO table into agreement records.

Each row is converted on its own: a bad row is reported with the file and line and the
rest goes on. Records are stored in batches, each in its own transaction, so a fault
loses at most the batch in hand, and running the import again finishes it (unchanged
records are recognised by their digest and left alone).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from trucewatch.ceasefire import ethprio, pax, ucdp
from trucewatch.ceasefire.record import AgreementRecord
from trucewatch.ceasefire.save import SaveCounts, save_record, stored_digests
from trucewatch.ceasefire.tables import Row, read_table
from trucewatch.store.db import Store, retry_store_write

BATCH = 200


@dataclass
class ImportReport:
    path: str
    format: str = "?"
    counts: SaveCounts = field(default_factory=SaveCounts)
    errors: list[str] = field(default_factory=list)

    @property
    def records(self) -> int:
        return self.counts.new + self.counts.updated + self.counts.unchanged


def _records(fmt: str, rows: Iterator[Row | tuple[int, str]], file_name: str,
             reject: Callable[[int, str], None]) -> Iterator[tuple[int, AgreementRecord]]:
    """``(line, record)`` for each agreement the rows describe; bad rows go to ``reject``."""
    if fmt == "ethprio":
        groups: dict[tuple[str, int], list[tuple[Row, str]]] = {}
        for row in rows:
            if isinstance(row, tuple):
                reject(*row)
                continue
            try:
                location, number, start = ethprio.key(row)
            except ValueError as exc:
                reject(row.line, str(exc))
                continue
            groups.setdefault((location, number), []).append((row, start))
        for (location, number), members in groups.items():
            yield members[0][0].line, ethprio.convert(location, number, members, file_name)
        return
    convert = pax.convert if fmt == "pax" else ucdp.convert
    first_line: dict[str, int] = {}
    for row in rows:
        if isinstance(row, tuple):
            reject(*row)
            continue
        try:
            record = convert(row, file_name)
        except ValueError as exc:
            reject(row.line, str(exc))
            continue
        if record.id in first_line:
            reject(row.line, f"{record.id} already given at line {first_line[record.id]}; this row is skipped")
            continue
        first_line[record.id] = row.line
        yield row.line, record


def import_table(store: Store, path: Path, fmt: str | None = None,
                 on_error: Callable[[str], None] | None = None) -> ImportReport:
    """Import one table; a file that cannot be read at all raises TableError."""
    report = ImportReport(str(path))
    report.format, rows = read_table(path, fmt)

    def reject(line: int, reason: str) -> None:
        message = f"{path}:{line}: {reason}"
        report.errors.append(message)
        if on_error is not None:
            on_error(message)

    batch: list[tuple[int, AgreementRecord]] = []
    for item in _records(report.format, rows, path.name, reject):
        batch.append(item)
        if len(batch) >= BATCH:
            _store(store, batch, report, reject)
            batch = []
    if batch:
        _store(store, batch, report, reject)
    return report


def _store(store: Store, batch: list[tuple[int, AgreementRecord]], report: ImportReport,
           reject: Callable[[int, str], None]) -> None:
    """Store a batch in one transaction; a record the vocabulary refuses is rejected alone."""
    refused: list[tuple[int, str]] = []

    def write() -> SaveCounts:
        refused.clear()
        counts = SaveCounts()
        with store.session() as session:
            known = stored_digests(session, [record.id for _, record in batch])
            for line, record in batch:
                try:
                    save_record(session, record, counts, known)
                except ValueError as exc:  # raised before the record touches the session
                    refused.append((line, f"{record.id}: {exc}"))
        return counts

    counts = retry_store_write(store.url, write)
    for line, reason in refused:
        reject(line, reason)
    report.counts.new += counts.new
    report.counts.updated += counts.updated
    report.counts.unchanged += counts.unchanged
