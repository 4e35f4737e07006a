"""The stage contract: what every extraction stage receives and returns.

A stage is a plain object with a ``name``, a ``version``, the names of the stages
whose output it reads (``requires``) and one method, ``process`` (and, optionally,
``preload``: see :func:`preload`). It never touches
the database: the runner gives it a document and its upstream outputs and stores
what it returns, tagged with the stage's name and version. Bumping ``version`` makes
``trucewatch process`` redo that stage on every document.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, runtime_checkable

DOCUMENT_FIELDS = ("published", "published_basis", "published_precision")


@dataclass(frozen=True)
class DocumentInput:
    """What a stage may read of a document."""

    id: str
    text: str
    language: str | None = None
    published: str | None = None
    published_basis: str = "unknown"
    title: str | None = None


@dataclass
class Annotation:
    """A span of the cleaned text and what the stage says about it."""

    kind: str
    start: int
    end: int
    text: str
    value: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The row the runner stores. Not ``dataclasses.asdict``: its deep copy of ``value``
        was most of the cost of storing a document, and nothing changes ``value`` afterwards."""
        return {"kind": self.kind, "start": self.start, "end": self.end, "text": self.text, "value": self.value}


@dataclass
class StageOutput:
    """Everything one stage found in one document.

    ``events`` are dicts in the export schema (see ``trucewatch.export.schema``) with an
    ``evidence`` list of ``{start, end, text, field}``; ``document`` may update only the
    publication-date fields named in ``DOCUMENT_FIELDS``.
    """

    annotations: list[Annotation] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    document: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = set(self.document) - set(DOCUMENT_FIELDS)
        if unknown:
            raise ValueError(f"a stage may only update {DOCUMENT_FIELDS}, not {sorted(unknown)}")


@runtime_checkable
class Stage(Protocol):
    name: ClassVar[str]
    version: ClassVar[str]
    requires: ClassVar[tuple[str, ...]]

    def process(self, doc: DocumentInput, upstream: Mapping[str, StageOutput]) -> StageOutput:
        """Find what this stage finds in ``doc``; ``upstream`` holds the outputs of ``requires``."""
        ...


def preload(stages: Sequence[object]) -> None:
    """Load the stages' read-only models in this process, before it forks its workers.

    A stage may define ``preload()``: load what it reads and never writes (model weights),
    holding no open file or connection, since a forked child would share it. The workers
    then share those pages with the parent instead of each loading a copy."""
    for stage in stages:
        load = getattr(stage, "preload", None)
        if callable(load):
            load()
