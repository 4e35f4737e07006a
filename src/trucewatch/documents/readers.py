"""Readers: turn paths, folders, globs and stdin into raw records or named rejections.

Readers only read. They stream (a JSONL of a million lines never sits in memory),
and each problem becomes a ``Rejection`` naming the file and line, so one bad input
never stops the batch.
"""

from __future__ import annotations

import codecs
import csv
import errno
import glob
import io
import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from trucewatch.documents.decode import DecodeError, decode_line
from trucewatch.documents.files import Refused, display_path, one_line, open_regular, os_reason

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_JSON_DEPTH = 100  # real records nest a few levels; deeper ones only crash the JSON tools downstream

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
    # True when the reason is our own failure (an exception the reader did not foresee),
    # not the input's: the batch goes on, but tests and the fuzzer count it as a crash.
    internal: bool = field(default=False, compare=False)

    def __post_init__(self) -> None:
        # One line per rejection, whatever an exception or a file name held.
        object.__setattr__(self, "path", one_line(self.path))
        object.__setattr__(self, "reason", " ".join(self.reason.split()) if "\n" in self.reason or "\r" in self.reason
                           else self.reason)

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
    """Yield a record or a rejection for everything that ``paths`` name, in a stable order.

    Never raises on bad input: each file is read by its own guarded generator, so a
    failure inside one reader becomes a rejection of that file and the next file is read.
    """
    for spec in paths:
        if spec == "-":
            yield from _guarded("<stdin>", _read_stdin(options))
            continue
        for source in _guarded(display_path(spec), _sources(spec), "input"):
            if isinstance(source, Rejection):
                yield source
            else:
                yield from _guarded(display_path(source), read_file(source, options))


def _guarded(name: str, items: Iterator[Any], what: str = "file") -> Iterator[Any]:
    """Pass ``items`` through; an exception ends them with a rejection instead of the batch."""
    last_line: int | None = None
    try:
        for item in items:
            last_line = getattr(item, "line", None)
            yield item
    except Exception as exc:  # a reader bug must not cost the rest of the batch
        after = f" after line {last_line}" if last_line is not None else ""
        yield Rejection(name, f"internal error while reading{after} ({_describe(exc)}); the rest of this {what} "
                        "was not read", internal=True)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _sources(spec: str) -> Iterator[Path | Rejection]:
    """The files ``spec`` names: itself, the files below a folder, or a glob's matches."""
    path = Path(spec)
    try:
        os.lstat(path)
    except OSError as exc:
        if exc.errno == errno.ENOENT and _GLOB_CHARS & set(spec):
            matches = sorted(glob.glob(spec, recursive=True))
            if not matches:
                yield Rejection(display_path(spec), "no file matches this pattern")
            for match in matches:
                yield from _walk(Path(match)) if os.path.isdir(match) else iter([Path(match)])
            return
        if exc.errno != errno.ENOENT:
            yield Rejection(display_path(spec), os_reason(exc))
            return
        yield Rejection(display_path(spec), "no such file or directory")
        return
    if os.path.isdir(path):
        yield from _walk(path)
    else:
        yield path  # read_file names what is wrong with it: a FIFO, a broken symlink, a loop


def _walk(root: Path) -> Iterator[Path | Rejection]:
    """Files below ``root`` in sorted order, skipping hidden files and folders; a folder
    that cannot be listed is a rejection, not a silent gap."""
    problems: list[Rejection] = []

    def onerror(exc: OSError) -> None:
        where = display_path(exc.filename if exc.filename is not None else root)
        problems.append(Rejection(where, f"cannot list folder: {os_reason(exc)}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=onerror):
        yield from problems
        problems.clear()
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name
    yield from problems


def format_of(path: Path, forced: str | None = None) -> str:
    return forced or EXTENSIONS.get(path.suffix.lower(), "txt")


def read_file(path: Path, options: ReadOptions) -> Iterator[RawRecord | Rejection]:
    """Read one file as its format says; structured files yield one record per row."""
    name = display_path(path)
    fmt = format_of(path, options.fmt)
    try:
        handle, size = open_regular(path)
    except Refused as refused:
        yield Rejection(name, str(refused))
        return
    with handle:
        if size == 0:
            yield Rejection(name, "empty file")
            return
        if fmt in ("jsonl", "csv", "tsv"):
            reader = _read_jsonl if fmt == "jsonl" else _read_csv
            yield from reader(name, handle, options, fmt)
            return
        hint = ", or write one record per line as JSONL, which is read line by line" if fmt == "json" else ""
        too_large = f"file too large ({_mb(size)} > {_mb(options.max_bytes)} limit; raise it with --max-size{hint})"
        if size > options.max_bytes:
            yield Rejection(name, too_large)
            return
        try:
            data = handle.read(options.max_bytes + 1)
        except OSError as exc:
            yield Rejection(name, os_reason(exc))
            return
        if len(data) > options.max_bytes:  # it grew since we looked
            yield Rejection(name, too_large)
            return
    if fmt == "json":
        yield from _read_json(name, data, options)
    else:
        yield RawRecord(name, fmt, data)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _read_stdin(options: ReadOptions) -> Iterator[RawRecord | Rejection]:
    name = "<stdin>"
    stream = options.stdin if options.stdin is not None else getattr(sys.stdin, "buffer", None)
    if stream is None:  # Python sets sys.stdin to None when descriptor 0 is closed (``<&-``)
        yield Rejection(name, "standard input is closed; pipe a document in, or name files instead of -")
        return
    fmt = options.fmt
    try:
        if fmt in ("jsonl", "csv", "tsv"):
            reader = _read_jsonl if fmt == "jsonl" else _read_csv
            yield from reader(name, stream, options, fmt)
            return
        data = stream.read(options.max_bytes + 1)
    except (OSError, ValueError) as exc:  # a closed or unreadable descriptor
        reason = "standard input is closed" if isinstance(exc, ValueError) or getattr(exc, "errno", None) == errno.EBADF \
            else f"cannot read standard input: {os_reason(exc)}"
        yield Rejection(name, reason)
        return
    if len(data) > options.max_bytes:
        yield Rejection(name, f"input too large (> {_mb(options.max_bytes)} limit; raise it with --max-size)")
        return
    if fmt is None:
        fmt = _sniff(data)
    if fmt == "jsonl":
        yield from _read_jsonl(name, io.BytesIO(data), options, fmt)
    elif fmt == "json":
        yield from _read_json(name, data, options)
    else:
        yield RawRecord(name, fmt, data)


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


_TOO_DEEP = f"JSON nested deeper than {MAX_JSON_DEPTH} levels"


def _too_deep(obj: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether ``obj`` nests more than ``limit`` lists/objects; iterative, so it cannot recurse itself."""
    stack = [(obj, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children: Iterable[Any] = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def loads_bounded(text: str, limit: int | None = MAX_JSON_DEPTH) -> Any:
    """``json.loads`` bounded in depth (also for the --jsonl batch contract): raises Refused for a structure nested too deep
    (``limit`` None: only what the parser itself cannot take; the caller checks the parts)."""
    try:
        obj = json.loads(text)
    except RecursionError as exc:
        raise Refused(_TOO_DEEP) from exc
    if limit is not None and _too_deep(obj, limit):
        raise Refused(_TOO_DEEP)
    return obj


def _read_json(name: str, data: bytes, options: ReadOptions) -> Iterator[RawRecord | Rejection]:
    if not data.strip():
        yield Rejection(name, "empty file")
        return
    try:
        text = data.decode("utf-8-sig")
        obj = loads_bounded(text, limit=None)
    except UnicodeDecodeError as exc:
        yield Rejection(name, f"JSON is not UTF-8 ({exc.reason} at byte {exc.start})")
        return
    except json.JSONDecodeError as exc:
        yield Rejection(name, f"invalid JSON: {exc.msg} (column {exc.colno})", exc.lineno)
        return
    except Refused as refused:
        yield Rejection(name, str(refused))
        return
    items = obj if isinstance(obj, list) else obj.get("documents", [obj]) if isinstance(obj, dict) else [obj]
    if not isinstance(items, list):
        yield Rejection(name, '"documents" must be a list of objects')
        return
    if not items:  # "[]" or {"documents": []}: a file that holds nothing is worth a word
        yield Rejection(name, "no records: the JSON holds an empty list")
        return
    for index, item in enumerate(items, start=1):
        if _too_deep(item):
            yield Rejection(name, f"item {index}: {_TOO_DEEP}")
            continue
        try:
            raw = json.dumps(item, ensure_ascii=False, sort_keys=True).encode("utf-8", "surrogatepass")
            record = _record(name, "json", raw, None, item, options)
        except Exception as exc:  # one item's failure costs only that item
            record = Rejection(name, f"internal error while reading ({_describe(exc)})", internal=True)
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
    seen_bytes = seen_record = False
    for lineno, raw in _bounded_lines(handle, options.max_bytes):
        seen_bytes = True
        if raw is None:
            seen_record = True
            yield Rejection(name, f"line too large (> {_mb(options.max_bytes)} limit; raise it with --max-size)", lineno)
            continue
        stripped = raw.strip()
        if lineno == 1 and stripped.startswith(codecs.BOM_UTF8):
            stripped = stripped[len(codecs.BOM_UTF8) :]  # a BOM (Windows editors) must not cost the first record
        if not stripped:
            continue
        seen_record = True
        try:
            yield _jsonl_record(name, stripped, lineno, options, fmt)
        except Exception as exc:  # one line's failure costs only that line
            yield Rejection(name, f"internal error while reading ({_describe(exc)})", lineno, internal=True)
    if not seen_bytes:
        yield Rejection(name, "empty file")
    elif not seen_record:
        yield Rejection(name, "empty file: only blank lines, no records")


def _jsonl_record(name: str, line: bytes, lineno: int, options: ReadOptions, fmt: str) -> RawRecord | Rejection:
    try:
        text = decode_line(line).text
    except DecodeError as exc:
        return Rejection(name, str(exc), lineno)
    try:
        obj = loads_bounded(text)
    except json.JSONDecodeError as exc:
        return Rejection(name, f"invalid JSON: {exc.msg} (column {exc.colno})", lineno)
    except Refused as refused:
        return Rejection(name, str(refused), lineno)
    return _record(name, fmt, line, lineno, obj, options)


def _read_csv(name: str, handle: IO[bytes], options: ReadOptions, fmt: str) -> Iterator[RawRecord | Rejection]:
    """CSV/TSV rows as records; each row keeps the exact bytes of the lines it spans."""
    consumed: list[bytes] = []
    problems: list[Rejection] = []
    exhausted = False  # set once the last line has been handed to the csv reader

    def lines() -> Iterator[str]:
        nonlocal exhausted
        for lineno, raw in _bounded_lines(handle, options.max_bytes):
            # the limit is the process's: other readers (agreement tables) set their own
            # between two of our rows, so it is set again before each line is parsed
            csv.field_size_limit(options.max_bytes)
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
        exhausted = True

    # strict: a quote that does not close where it should is an error, not a field that
    # silently swallows the rows after it.
    reader = csv.reader(lines(), delimiter="\t" if fmt == "tsv" else ",", strict=True)
    try:
        header = next(reader)
    except StopIteration:
        yield Rejection(name, "empty file")
        return
    except csv.Error as exc:
        yield Rejection(name, _unterminated(1, reader.line_num) if exhausted else f"malformed CSV header: {exc}", 1)
        return
    header = [h.strip() for h in header]
    consumed.clear()
    rows_seen = 0
    while True:
        start_line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            if not rows_seen and not problems:
                yield Rejection(name, "no records: the file has a header line and no rows")
            break
        except csv.Error as exc:
            rows_seen += 1
            yield from problems
            problems.clear()
            consumed.clear()
            if exhausted:  # a quoted field ran to the end of the file
                yield Rejection(name, _unterminated(start_line, reader.line_num), start_line)
                return
            yield Rejection(name, _malformed(start_line, reader.line_num, exc), start_line)
            continue
        raw = b"".join(consumed)
        consumed.clear()
        if problems:
            rows_seen += 1
            yield from problems
            problems.clear()
            continue
        if not any(cell.strip() for cell in row):
            continue
        rows_seen += 1
        if len(row) != len(header):
            yield Rejection(name, f"row has {len(row)} fields, header has {len(header)}", start_line)
            continue
        yield _record(name, fmt, raw, start_line, dict(zip(header, row)), options)


def _malformed(start: int, end: int, exc: csv.Error) -> str:
    if end > start:  # typically a quote that did not close, swallowing the next lines until another quote
        return (f"malformed CSV: the row that starts on line {start} breaks on line {end} ({exc}), likely a quote"
                f" that does not close; lines {start}-{end} not read")
    return f"malformed CSV: {exc}"


def _unterminated(start: int, end: int) -> str:
    lines = f"lines {start}-{end}" if end > start else f"line {start}"
    return (f"unterminated quote: the quoted field opened on line {start} runs to the end of the file"
            f" ({lines} not read); close the quote and ingest the file again")
