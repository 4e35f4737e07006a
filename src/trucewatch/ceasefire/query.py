"""Reading agreement records back: the JSON shape ``agreements list --json``, ``show`` and
the JSONL export share, one object per agreement.

``parties`` holds those bound by the agreement; mediators, guarantors, monitors and
third parties are listed apart. ``sources`` groups the evidence by where it came from:
a stored document (``document_id``) or a dataset row (``dataset`` and ``record``).

A record a reviewer merged into another (``ceasefire.merges``) is not listed on its own:
the other shows its parties, terms, steps, sources and external ids too, and names it
in ``merged_from``; asking for it by id gives the record it was merged into.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trucewatch.ceasefire.merges import absorbed, resolved
from trucewatch.store.db import Store
from trucewatch.store.schema import (
    Agreement,
    AgreementExternalId,
    AgreementParty,
    AgreementProvision,
    AgreementSource,
    AgreementStatusChange,
)

_ROLE_KEYS = {"party": "parties", "mediator": "mediators", "guarantor": "guarantors", "monitor": "monitors",
              "third_party": "third_parties"}


@dataclass(frozen=True)
class AgreementFilter:
    country: str | None = None
    kind: str | None = None
    actor: str | None = None
    origin: str | None = None  # "import" (a research table) or "news"


def _children(session: Session, model: Any, ids: list[str]) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {i: [] for i in ids}
    for chunk in range(0, len(ids), 500):
        part = ids[chunk:chunk + 500]
        for row in session.scalars(select(model).where(model.agreement_id.in_(part)).order_by(*_order(model))):
            found[row.agreement_id].append(row)
    return found


def _order(model: Any) -> tuple[Any, ...]:
    if model is AgreementExternalId:
        return (AgreementExternalId.scheme, AgreementExternalId.value)
    return (model.id,)


_MODELS = (AgreementParty, AgreementProvision, AgreementStatusChange, AgreementSource, AgreementExternalId)


def _with_merged(kids: list[dict[str, list[Any]]], ident: str, merged: list[str]) -> list[list[Any]]:
    """The children of ``ident`` and of the records merged into it, each told once."""
    out = []
    for model, found in zip(_MODELS, kids):
        rows = list(found.get(ident, []))
        seen = {_key(model, r) for r in rows}
        for other in merged:
            for row in found.get(other, []):
                if _key(model, row) not in seen:
                    seen.add(_key(model, row))
                    rows.append(row)
        out.append(rows)
    return out


def _key(model: Any, row: Any) -> tuple[Any, ...]:
    """What makes two children of merged records the same thing told twice."""
    if model is AgreementParty:
        return (row.role, row.actor_id or row.name.casefold())
    if model is AgreementProvision:
        return (row.type,)
    if model is AgreementStatusChange:
        return (row.status, row.date)
    if model is AgreementExternalId:
        return (row.scheme, row.value)
    return (row.document_id, row.dataset, row.record, row.field, row.start, row.end, row.text)


def _shape(agreement: Agreement, parties: list[AgreementParty], provisions: list[AgreementProvision],
           history: list[AgreementStatusChange], sources: list[AgreementSource],
           external: list[AgreementExternalId], merged: list[str] | None = None) -> dict[str, Any]:
    record: dict[str, Any] = {"id": agreement.id, "name": agreement.name, "kind": agreement.kind}
    for key in _ROLE_KEYS.values():
        record[key] = []
    for party in parties:
        record[_ROLE_KEYS.get(party.role, "third_parties")].append(
            {"name": party.name, "actor_id": party.actor_id, "side": party.side})
    record.update({
        "signed": agreement.signed, "effective_from": agreement.effective_from,
        "effective_precision": agreement.effective_precision, "expires": agreement.expires,
        "duration": agreement.duration, "country": agreement.country, "scope": agreement.scope,
        "status": agreement.status,
        "status_history": [{"status": s.status, "date": s.date, "evidence": s.evidence, "source": s.source}
                           for s in (sorted(history, key=lambda s: s.date or "9999") if merged else history)],
        "provisions": [{"type": p.type, "detail": p.detail, "due": p.due} for p in provisions],
        "external_ids": {},
        "sources": [],
        "origin": agreement.origin,
        "extra": agreement.extra or {},
    })
    if merged:
        record["merged_from"] = merged
    for ext in external:
        record["external_ids"].setdefault(ext.scheme, []).append(ext.value)
    grouped: dict[tuple[str | None, str | None, str | None], list[dict[str, Any]]] = {}
    for src in sources:
        grouped.setdefault((src.document_id, src.dataset, src.record), []).append(
            {"field": src.field, "text": src.text, "start": src.start, "end": src.end})
    record["sources"] = [{"document_id": doc, "dataset": dataset, "record": where, "evidence": evidence}
                         for (doc, dataset, where), evidence in grouped.items()]
    return record


def iter_agreements(store: Store, flt: AgreementFilter | None = None, batch: int = 500) -> Iterator[dict[str, Any]]:
    """Agreements as JSON-ready dicts, by signed (else effective) day then id, read in batches."""
    flt = flt or AgreementFilter()
    query = select(Agreement)
    if flt.country:
        query = query.where(Agreement.country == flt.country)
    if flt.kind:
        query = query.where(Agreement.kind == flt.kind)
    if flt.origin:
        query = query.where(Agreement.origin == flt.origin)
    if flt.actor:
        query = query.where(Agreement.id.in_(select(AgreementParty.agreement_id)
                                             .where(AgreementParty.actor_id == flt.actor)))
    # by the day it was signed or took effect, undated last (the same order on every backend)
    day = func.coalesce(Agreement.signed, func.substr(Agreement.effective_from, 1, 10), "9999-12-31")
    query = query.order_by(day, Agreement.id)
    with store.sessions() as session:
        merges = resolved(session)
        rows = [a for a in session.scalars(query) if a.id not in merges]
        for start in range(0, len(rows), batch):
            chunk = rows[start:start + batch]
            inside = absorbed(session, [a.id for a in chunk])
            ids = [a.id for a in chunk] + [m for found in inside.values() for m in found]
            kids = [_children(session, model, ids) for model in _MODELS]
            for agreement in chunk:
                merged = inside.get(agreement.id, [])
                yield _shape(agreement, *_with_merged(kids, agreement.id, merged), merged=merged)


def detail(store: Store, agreement_id: str) -> dict[str, Any] | None:
    """One agreement, found by its id or by an external id written ``scheme:value`` (``pax:2232``);
    for a record merged into another, that other one."""
    with store.sessions() as session:
        merges = resolved(session)
        agreement = session.get(Agreement, merges.get(agreement_id, agreement_id))
        if agreement is None and ":" in agreement_id:
            scheme, value = agreement_id.split(":", 1)
            found = session.scalars(select(AgreementExternalId.agreement_id).where(
                AgreementExternalId.scheme == scheme, AgreementExternalId.value == value)
                .order_by(AgreementExternalId.agreement_id)).first()
            agreement = session.get(Agreement, merges.get(found, found)) if found else None
        if agreement is None:
            return None
        merged = absorbed(session, [agreement.id]).get(agreement.id, [])
        kids = [_children(session, model, [agreement.id, *merged]) for model in _MODELS]
        return _shape(agreement, *_with_merged(kids, agreement.id, merged), merged=merged)
