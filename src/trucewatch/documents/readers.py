"""Readers: turn paths, folders, globs and stdin into raw records or named rejections.

Readers only read. They stream (a JSONL of a million lines never sits in memory),
and each problem becomes a ``Rejection`` naming the file and line, so one bad input
never stops the batch.
"""

from __future__ import annotations

import codecs
import csv
import glob
import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from trucewatch.documents.decode import DecodeError, decode_line

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

EXTENSIONS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "txt",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "tsv",
}
FORMATS = ("txt", "html", "json", "jsonl", "csv", "tsv")
_GLOB_CHARS = set("*?[")


@dataclass(frozen=True)
class FieldMap:
    """Which record fields hold the text, title, url, publication date and outlet.

    The first name present wins, so common spellings work without configuration.
    """

    text: tuple[str, ...] = ("text", "body", "content", "article")
    title: tuple[str, ...] = ("title", "headline")
    url: tuple[str, ...] = ("url", "link")
    published: tuple[str, ...] = ("published", "date", "published_at", "pubdate")
    outlet: tuple[str, ...] = ("outlet", "source", "publisher", "site")
    language: tuple[str, ...] = ("language", "lang")
    translated: tuple[str, ...] = ("translated", "machine_translated")

    def with_overrides(self, overrides: dict[str, str]) -> FieldMap:
        """Put user-named fields first, e.g. ``{"text": "body"}``."""
        unknown = set(overrides) - set(self.__dataclass_fields__)
        if unknown:
            raise ValueError(f"unknown field(s) {', '.join(sorted(unknown))}; known: {', '.join(self.__dataclass_fields__)}")
        values = {name: (overrides[name],) + getattr(self, name) if name in overrides else getattr(self, name)
                  for name in self.__dataclass_fields__}
        return FieldMap(**values)

    def pick(self, record: dict[str, Any], name: str) -> Any:
        for key in getattr(self, name):
            value = record.get(key)
            if value not in (None, ""):
                return value
        return None


@dataclass
class RawRecord:
    """One document's worth of input, before decoding and cleaning."""

    path: str
    fmt: str
    raw: bytes
    line: int | None = None
    fields: dict[str, Any] | None = None


@dataclass(frozen=True)
class Rejection:
    """An input that could not be read, with where and why."""

    path: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.reason}"


@dataclass
class ReadOptions:
    max_bytes: int = DEFAULT_MAX_BYTES
    fmt: str | None = None
    fields: FieldMap = field(default_factory=FieldMap)
    stdin: IO[bytes] | None = None


def iter_inputs(paths: Iterable[str], options: ReadOptions) -> Iterator[RawRecord | Rejection]:
    """Yield a record or a rejection for everything that ``paths`` name, in a stable order."""
    for spec in paths:
        if spec == "-":
            yield from _read_stdin(options)
            continue
        path = Path(spec)
        if path.is_dir():
            for file in _walk(path):
                yield from read_file(file, options)
        elif path.exists():
            yield from read_file(path, options)
        elif _GLOB_CHARS & set(spec):
            matches = sorted(glob.glob(spec, recursive=True))
            if not matches:
                yield Rejection(spec, "no file matches this pattern")
            for match in matches:
                if Path(match).is_dir():
                    for file in _walk(Path(match)):
                        yield from read_file(file, options)
                else:
                    yield from read_file(Path(match), options)
        else:
            yield Rejection(spec, "no such file or directory")


def _walk(root: Path) -> Iterator[Path]:
    """Files below ``root`` in sorted order, skipping hidden files and folders."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name


def format_of(path: Path, forced: str | None = None) -> str:
    return forced or EXTENSIONS.get(path.suffix.lower(), "txt")


def read_file(path: Path, options: ReadOptions) -> Iterator[RawRecord | Rejection]:
    """Read one file as its format says; structured files yield one record per row."""
    name = str(path)
    fmt = format_of(path, options.fmt)
    try:
        if fmt in ("jsonl", "csv", "tsv"):
            with path.open("rb") as handle:
                reader = _read_jsonl if fmt == "jsonl" else _read_csv
                yield from reader(name, handle, options, fmt)
            return
        size = path.stat().st_size
        limit = options.max_bytes * (10 if fmt == "json" else 1)
        if size > limit:
            yield Rejection(name, f"file too large ({_mb(size)} > {_mb(limit)} limit; raise it with --max-size)")
            return
        data = path.read_bytes()
    except PermissionError:
        yield Rejection(name, "permission denied")
        return
    except IsADirectoryError:
        yield Rejection(name, "is a directory")
        return
    except OSError as exc:
        yield Rejection(name, f"cannot read: {exc.strerror or exc}")
        return
    if fmt == "json":
        yield from _read_json(name, data, options)
    else:
        yield RawRecord(name, fmt, data)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _read_stdin(options: ReadOptions) -> Iterator[RawRecord | Rejection]:
    stream = options.stdin or sys.stdin.buffer
    fmt = options.fmt
    if fmt in ("jsonl", "csv", "tsv"):
        reader = _read_jsonl if fmt == "jsonl" else _read_csv
        yield from reader("<stdin>", stream, options, fmt)
        return
    data = stream.read(options.max_bytes + 1)
    if len(data) > options.max_bytes:
        yield Rejection("<stdin>", f"input too large (> {_mb(options.max_bytes)} limit; raise it with --max-size)")
        return
    if fmt is None:
        fmt = _sniff(data)
    if fmt == "jsonl":
        import io

        yield from _read_jsonl("<stdin>", io.BytesIO(data), options, fmt)
    elif fmt == "json":
        yield from _read_json("<stdin>", data, options)
    else:
        yield RawRecord("<stdin>", fmt, data)


def _sniff(data: bytes) -> str:
    head = data[:2048].lstrip()
    if head.startswith(b"{"):
        first_line = data.lstrip().split(b"\n", 1)[0].strip()
        return "jsonl" if first_line.endswith(b"}") else "json"
    if head.startswith(b"["):
        return "json"
    if head[:1] == b"<" and (b"<html" in head.lower() or b"<!doctype" in head.lower() or b"<p" in head.lower()):
        return "html"
    return "txt"


def _record(name: str, fmt: str, raw: bytes, line: int | None, obj: Any, options: ReadOptions) -> RawRecord | Rejection:
    if not isinstance(obj, dict):
        return Rejection(name, f"expected a JSON object, got {type(obj).__name__}", line)
    text = options.fields.pick(obj, "text")
    if not isinstance(text, str) or not text.strip():
        names = "/".join(options.fields.text)
        return Rejection(name, f"record has no text (looked for field {names}; set another with --field text=NAME)", line)
    return RawRecord(name, fmt, raw, line, obj)


def _read_json(name: str, data: bytes, options: ReadOptions) -> Iterator[RawRecord | Rejection]:
    try:
        text = data.decode("utf-8-sig")
        obj = json.loads(text)
    except UnicodeDecodeError as exc:
        yield Rejection(name, f"JSON is not UTF-8 ({exc.reason} at byte {exc.start})")
        return
    except json.JSONDecodeError as exc:
        yield Rejection(name, f"invalid JSON: {exc.msg} (column {exc.colno})", exc.lineno)
        return
    items = obj if isinstance(obj, list) else obj.get("documents", [obj]) if isinstance(obj, dict) else [obj]
    if not isinstance(items, list):
        yield Rejection(name, '"documents" must be a list of objects')
        return
    for index, item in enumerate(items, start=1):
        raw = json.dumps(item, ensure_ascii=False, sort_keys=True).encode("utf-8")
        record = _record(name, "json", raw, None, item, options)
        if isinstance(record, Rejection):
            record = Rejection(name, f"item {index}: {record.reason}")
        yield record


def _bounded_lines(handle: IO[bytes], limit: int) -> Iterator[tuple[int, bytes | None]]:
    """Lines of ``handle`` numbered from 1; a line longer than ``limit`` comes as None
    and is skipped without ever being held in memory whole."""
    lineno = 0
    while True:
        raw = handle.readline(limit + 1)
        if not raw:
            return
        lineno += 1
        if len(raw) > limit and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):
                raw = handle.readline(limit + 1)
            yield lineno, None
            continue
        yield lineno, raw


def _read_jsonl(name: str, handle: IO[bytes], options: ReadOptions, fmt: str) -> Iterator[RawRecord | Rejection]:
    for lineno, raw in _bounded_lines(handle, options.max_bytes):
        if raw is None:
            yield Rejection(name, f"line too large (> {_mb(options.max_bytes)} limit; raise it with --max-size)", lineno)
            continue
        stripped = raw.strip()
        if lineno == 1 and stripped.startswith(codecs.BOM_UTF8):
            stripped = stripped[len(codecs.BOM_UTF8) :]  # a BOM (Windows editors) must not cost the first record
        if not stripped:
            continue
        try:
            text = decode_line(stripped).text
        except DecodeError as exc:
            yield Rejection(name, str(exc), lineno)
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            yield Rejection(name, f"invalid JSON: {exc.msg} (column {exc.colno})", lineno)
            continue
        yield _record(name, "jsonl", stripped, lineno, obj, options)


def _read_csv(name: str, handle: IO[bytes], options: ReadOptions, fmt: str) -> Iterator[RawRecord | Rejection]:
    """CSV/TSV rows as records; each row keeps the exact bytes of the lines it spans."""
    consumed: list[bytes] = []
    problems: list[Rejection] = []
    csv.field_size_limit(options.max_bytes)

    def lines() -> Iterator[str]:
        for lineno, raw in _bounded_lines(handle, options.max_bytes):
            if raw is None:
                problems.append(Rejection(name, f"line too large (> {_mb(options.max_bytes)} limit)", lineno))
                continue
            consumed.append(raw)
            try:
                text = decode_line(raw).text
            except DecodeError as exc:
                problems.append(Rejection(name, str(exc), lineno))
                text = raw.decode("utf-8", errors="replace")
            yield text.lstrip("\ufeff") if lineno == 1 else text

    reader = csv.reader(lines(), delimiter="\t" if fmt == "tsv" else ",")
    try:
        header = next(reader)
    except StopIteration:
        yield Rejection(name, "empty CSV file")
        return
    except csv.Error as exc:
        yield Rejection(name, f"malformed CSV header: {exc}", 1)
        return
    header = [h.strip() for h in header]
    consumed.clear()
    while True:
        start_line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield Rejection(name, f"malformed CSV: {exc}", reader.line_num)
            consumed.clear()
            continue
        raw = b"".join(consumed)
        consumed.clear()
        if problems:
            yield from problems
            problems.clear()
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield Rejection(name, f"row has {len(row)} fields, header has {len(header)}", start_line)
            continue
        yield _record(name, fmt, raw, start_line, dict(zip(header, row)), options)
