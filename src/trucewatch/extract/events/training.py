"""Our own event snippets (``resources/events/training/*.tsv``): what the event models learn from.

Each file is ``label<TAB>text`` with a header line; a label is one of ACLED's 25
sub-event codes or ``NONE``. The snippets were written for trucewatch in English,
Arabic, French, Spanish, Italian, Russian and Turkish; no dev data is among them.
A malformed line is reported with its file and line number and left out, so one bad
line cannot stop the models from loading.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
from dataclasses import dataclass
from importlib import resources
from importlib.abc import Traversable

log = logging.getLogger(__name__)

NONE = "NONE"
FOLDER = "events/training"


@dataclass(frozen=True)
class Snippet:
    text: str
    label: str  # an ACLED code or NONE
    source: str  # "set5_fr.tsv:12"


class TrainingDataError(ValueError):
    """A line of a training file that cannot be used (named by file and line)."""


def _files() -> list[Traversable]:
    folder = resources.files("trucewatch.resources").joinpath(FOLDER)
    return sorted((e for e in folder.iterdir() if e.name.endswith(".tsv")), key=lambda e: e.name)


def parse(name: str, content: str, codes: frozenset[str]) -> tuple[list[Snippet], list[TrainingDataError]]:
    """The snippets of one file and the problems of its bad lines."""
    reader = csv.reader(io.StringIO(content), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader, None)
    if header != ["label", "text"]:
        return [], [TrainingDataError(f"{name}:1: header must be 'label<TAB>text', found {header!r}")]
    rows: list[Snippet] = []
    problems: list[TrainingDataError] = []
    for row in reader:
        where = f"{name}:{reader.line_num}"
        if len(row) != 2 or not row[1].strip():
            problems.append(TrainingDataError(f"{where}: expected a label and a text, found {len(row)} field(s)"))
            continue
        label = row[0].strip()
        if label != NONE and label not in codes:
            problems.append(TrainingDataError(f"{where}: unknown label {label!r}"))
            continue
        rows.append(Snippet(row[1].strip(), label, where))
    return rows, problems


def load_training() -> tuple[list[Snippet], list[TrainingDataError]]:
    from trucewatch.extract.events.lexicon import ACLED_CODES

    codes = frozenset(ACLED_CODES)
    rows: list[Snippet] = []
    problems: list[TrainingDataError] = []
    for entry in _files():
        got, bad = parse(entry.name, entry.read_text(encoding="utf-8"), codes)
        rows += got
        problems += bad
    return rows, problems


def training_rows() -> list[Snippet]:
    """Every usable snippet, in file order; bad lines are logged with file and line."""
    rows, problems = load_training()
    for problem in problems:
        log.warning("training snippet left out: %s", problem)
    return rows


def training_digest() -> str:
    """sha256 of the training files (names and bytes), to tell a stale fitted model."""
    digest = hashlib.sha256()
    for entry in _files():
        digest.update(entry.name.encode())
        digest.update(b"\0")
        digest.update(entry.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()
