"""Reading a user's copy of a research table: CSV rows with their line numbers, and the
format told from the header.

A row is numbered by the line it starts on (a quoted cell may span lines, as PA-X's
party lists do), so an error names the line a user finds in an editor.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

#: Columns that identify each table (a header holding all of them is that format).
SIGNATURES: dict[str, frozenset[str]] = {
    "pax": frozenset({"AgtId", "Agt", "Dat", "Part"}),
    "ucdp": frozenset({"paid", "pa_name", "pa_date", "actor_name"}),
    "ethprio": frozenset({"location", "id", "name", "start_date"}),
}
FORMATS = tuple(SIGNATURES)

#: PA-X cells can be long (the csv module's default limit is 128 KiB). The limit is the
#: process's, and ingest sets its own: each table read sets this one again.
FIELD_LIMIT = min(sys.maxsize, 2**31 - 1)


class TableError(ValueError):
    """A whole file cannot be read (not CSV, unknown format); the message names the file."""


@dataclass(frozen=True)
class Row:
    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return (self.cells.get(column) or "").strip()


def detect_format(header: list[str]) -> str | None:
    """The table a header belongs to, or None."""
    names = {h.strip() for h in header}
    for fmt, needed in SIGNATURES.items():
        if needed <= names:
            return fmt
    return None


def _decode(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # a copy re-saved by a spreadsheet on Windows


def read_table(path: Path, fmt: str | None = None) -> tuple[str, Iterator[Row | tuple[int, str]]]:
    """The table's format and its rows; a row that cannot be read is ``(line, reason)``.

    A quote that never closes ends the file (what follows cannot be split reliably);
    every other bad row costs only itself.
    """
    try:
        text = _decode(path)
    except OSError as exc:
        raise TableError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if "\x00" in text[:4096]:
        raise TableError(f"{path}: not a CSV file (binary content)")
    csv.field_size_limit(FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise TableError(f"{path}: empty file") from None
    except csv.Error as exc:
        raise TableError(f"{path}:1: unreadable header ({exc})") from None
    found = detect_format(header)
    if fmt is None:
        if found is None:
            raise TableError(f"{path}: not a PA-X, UCDP or ETH/PRIO table (header: {', '.join(header[:6])}...); "
                             "give --format if the columns were renamed")
        fmt = found
    elif not SIGNATURES[fmt] <= {h.strip() for h in header}:
        missing = sorted(SIGNATURES[fmt] - {h.strip() for h in header})
        raise TableError(f"{path}:1: not a {fmt} table: no column {', '.join(missing)}")
    names = [h.strip() for h in header]
    return fmt, _rows(reader, names)


def _rows(reader: Iterator[list[str]], names: list[str]) -> Iterator[Row | tuple[int, str]]:
    last = reader.line_num  # type: ignore[attr-defined]
    while True:
        start = last + 1
        csv.field_size_limit(FIELD_LIMIT)  # again before each row: an ingest between two rows sets its own
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, f"unreadable CSV ({exc}); the rest of the file is skipped"
            return
        last = reader.line_num  # type: ignore[attr-defined]
        if not cells or all(not c.strip() for c in cells):
            continue
        if len(cells) != len(names):
            yield start, f"expected {len(names)} fields, found {len(cells)}"
            continue
        yield Row(start, dict(zip(names, cells)))
