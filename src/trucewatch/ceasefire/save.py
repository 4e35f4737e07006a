"""Storing agreement records: a record whose digest is unchanged is left alone, so an
import run twice changes nothing; a changed one has its rows replaced as a whole."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from trucewatch.ceasefire.record import AgreementRecord
from trucewatch.store.schema import (
    Agreement,
    AgreementExternalId,
    AgreementParty,
    AgreementProvision,
    AgreementSource,
    AgreementStatusChange,
)

_CHILDREN = (AgreementParty, AgreementProvision, AgreementStatusChange, AgreementSource, AgreementExternalId)


@dataclass
class SaveCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0


def stored_digests(session: Session, ids: list[str]) -> dict[str, str]:
    """The digests of the records already stored among ``ids`` (one query for a batch)."""
    rows = session.execute(select(Agreement.id, Agreement.digest).where(Agreement.id.in_(ids)))
    return {agreement_id: digest for agreement_id, digest in rows}


def save_record(session: Session, record: AgreementRecord, counts: SaveCounts,
                known: dict[str, str] | None = None) -> None:
    """Insert, replace or leave ``record``; ValueError (before anything is written) when it
    breaks the vocabulary. ``known``: stored digests read beforehand (see :func:`stored_digests`)."""
    problems = record.problems()
    if problems:
        raise ValueError("; ".join(problems))
    digest = record.digest()
    if known is not None and known.get(record.id) == digest:
        counts.unchanged += 1
        return
    row = session.get(Agreement, record.id)
    if row is not None and row.digest == digest:
        counts.unchanged += 1
        return
    if row is None:
        row = Agreement(id=record.id)
        session.add(row)
        counts.new += 1
    else:
        for model in _CHILDREN:
            session.execute(delete(model).where(model.agreement_id == record.id))
        counts.updated += 1
    for column in ("name", "kind", "status", "country", "signed", "effective_from", "effective_precision",
                   "expires", "duration", "scope", "origin", "extra"):
        setattr(row, column, getattr(record, column))
    row.digest = digest
    row.updated_at = dt.datetime.now(dt.timezone.utc)
    from trucewatch.review.agreements import keep_reviews

    keep_reviews(session, row)  # a reviewer's value wins over the machine's; a moved one is flagged
    session.flush()
    session.add_all(AgreementParty(agreement_id=record.id, role=p.role, name=p.name, actor_id=p.actor_id,
                                   side=p.side) for p in record.parties)
    session.add_all(AgreementProvision(agreement_id=record.id, type=p.type, detail=p.detail, due=p.due)
                    for p in record.provisions)
    session.add_all(AgreementStatusChange(agreement_id=record.id, status=s.status, date=s.date, evidence=s.evidence,
                                          source=s.source) for s in record.history)
    session.add_all(AgreementSource(agreement_id=record.id, document_id=e.document_id, dataset=e.dataset,
                                    record=e.record, field=e.field, start=e.start, end=e.end, text=e.text)
                    for e in record.sources)
    session.add_all(AgreementExternalId(agreement_id=record.id, scheme=scheme, value=value)
                    for scheme, value in dict.fromkeys(record.external_ids))
    session.flush()

