"""An agreement as the ceasefire layer builds it, before it is stored.

Importers and (later) the news builder make these; :mod:`trucewatch.ceasefire.save`
stores them. ``digest`` hashes everything the record says, so storing the same record
again is recognised and changes nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, is_dataclass
from typing import Any

from trucewatch.ceasefire.terms import kinds, provisions, roles, statuses


@dataclass(frozen=True)
class Party:
    """An actor's place in an agreement: the name as the source gives it, and the
    knowledge-base actor when it resolves."""

    role: str
    name: str
    actor_id: str | None = None
    side: str | None = None


@dataclass(frozen=True)
class ProvisionItem:
    type: str
    detail: str | None = None
    due: str | None = None


@dataclass(frozen=True)
class StatusStep:
    """A step of the status history: what, when, on what evidence, from where."""

    status: str
    date: str | None
    evidence: str | None
    source: str


@dataclass(frozen=True)
class Evidence:
    """What supports one field: a document span, or a dataset cell (``record`` is file:line)."""

    field: str
    text: str
    document_id: str | None = None
    dataset: str | None = None
    record: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass
class AgreementRecord:
    id: str
    name: str
    kind: str
    origin: str
    country: str | None = None
    signed: str | None = None
    effective_from: str | None = None
    effective_precision: str | None = None
    expires: str | None = None
    duration: str | None = None
    scope: dict[str, Any] | None = None
    extra: dict[str, Any] | None = None
    parties: list[Party] = field(default_factory=list)
    provisions: list[ProvisionItem] = field(default_factory=list)
    history: list[StatusStep] = field(default_factory=list)
    sources: list[Evidence] = field(default_factory=list)
    external_ids: list[tuple[str, str]] = field(default_factory=list)

    @property
    def status(self) -> str:
        """The latest step of the history (``proposed`` when there is none)."""
        return self.history[-1].status if self.history else "proposed"

    def problems(self) -> list[str]:
        """What is wrong with the record against the vocabulary (empty when it is sound)."""
        found = []
        if not self.name.strip():
            found.append("no name")
        if self.kind not in kinds():
            found.append(f"unknown kind {self.kind!r}")
        found += [f"unknown status {s.status!r}" for s in self.history if s.status not in statuses()]
        found += [f"unknown role {p.role!r}" for p in self.parties if p.role not in roles()]
        known = {p.id for p in provisions()}
        found += [f"unknown provision {p.type!r}" for p in self.provisions if p.type not in known]
        return found

    def digest(self) -> str:
        """SHA-256 of everything the record says, in a canonical form."""
        payload = dict(vars(self))
        payload["external_ids"] = sorted(payload["external_ids"])
        text = json.dumps(payload, sort_keys=True, ensure_ascii=False,
                          default=lambda item: vars(item) if is_dataclass(item) else str(item))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()
