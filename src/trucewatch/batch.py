"""The batch contract every stage command shares (``--jsonl``).

Input: one JSON object per line, ``{"id": ..., "text": ..., "published": "YYYY-MM-DD"}``
(``published`` optional). Output: one JSON object per line with the same ``id`` and the
stage's results, in input order. A bad line gets a one-line error on stderr naming its
line number and is skipped; the rest of the batch goes on, and the exit status says
that something was skipped. Defined once here so every ``tag``/``classify``/``extract``
command behaves the same and evaluation scripts can rely on it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from trucewatch.documents.files import Refused
from trucewatch.documents.readers import loads_bounded



@dataclass(frozen=True)
class BatchItem:
    """One input line of a batch."""

    id: Any
    text: str
    published: date | None
    line: int


class BatchError(ValueError):
    """A batch line that does not follow the contract; the message says how."""


def parse_line(raw: str, line: int) -> BatchItem:
    """Validate one input line against the contract (JSON bounded in depth as ingest's readers bound it)."""
    try:
        obj = loads_bounded(raw)
    except Refused as exc:
        raise BatchError(str(exc)) from None
    except json.JSONDecodeError as exc:
        raise BatchError(f"invalid JSON: {exc.msg} (column {exc.colno})") from None
    except (RecursionError, MemoryError, ValueError) as exc:  # what the depth check above does not foresee
        raise BatchError(f"cannot parse the JSON: {type(exc).__name__}") from None
    if not isinstance(obj, dict):
        raise BatchError(f"expected a JSON object, got {type(obj).__name__}")
    if "id" not in obj or not isinstance(obj["id"], (str, int)) or isinstance(obj["id"], bool):
        raise BatchError('missing or invalid "id" (a string or an integer)')
    text = obj.get("text")
    if not isinstance(text, str):
        raise BatchError('missing or invalid "text" (a string)')
    published = obj.get("published")
    if published is not None:
        if not isinstance(published, str):
            raise BatchError('"published" must be a "YYYY-MM-DD" string')
        try:
            published = date.fromisoformat(published[:10]) if len(published) >= 10 else date.fromisoformat(published)
        except ValueError:
            raise BatchError(f'"published" is not a YYYY-MM-DD date: {obj["published"]!r}') from None
    return BatchItem(obj["id"], text, published, line)


def read_items(lines: Iterable[str], on_error: Callable[[int, str], None]) -> Iterator[BatchItem]:
    """Valid items from ``lines``; each invalid line is reported through ``on_error``."""
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            item = parse_line(raw, number)
        except BatchError as exc:
            on_error(number, str(exc))
            continue
        except Exception as exc:  # a parsing bug is this line's error, not the batch's end
            on_error(number, f"cannot read the line: {type(exc).__name__}: {exc}")
            continue
        yield item


@dataclass
class BatchResult:
    processed: int = 0
    errors: int = 0


def run_batch(
    infile: IO[str],
    outfile: IO[str],
    errfile: IO[str],
    handler: Callable[[BatchItem], dict[str, Any]],
    *,
    name: str = "<stdin>",
) -> BatchResult:
    """Apply ``handler`` to every valid line of ``infile``, writing one JSON line each.

    The handler returns the stage's result fields; ``id`` is added here so it can never
    be dropped or changed. A handler exception is reported for that line only.
    """
    result = BatchResult()

    def report(line: int, message: str) -> None:
        result.errors += 1
        errfile.write(f"{name}:{line}: {message}\n")

    for item in read_items(infile, report):
        try:
            fields = handler(item)
        except Exception as exc:  # one bad document must not sink the batch
            report(item.line, f"{type(exc).__name__}: {exc}")
            continue
        fields.pop("id", None)  # the input's id is the only id a result may carry
        outfile.write(json.dumps({"id": item.id, **fields}, ensure_ascii=False) + "\n")
        outfile.flush()
        result.processed += 1
    return result
