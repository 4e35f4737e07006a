"""Merging and splitting agreement records: which records are one agreement.

The news builder makes one record per group of reports, and a research table one per
row, so the same agreement can come out twice (two outlets' dates four days apart, a
news record and the table's row), and two agreements can come out as one (a local truce
and a national one announced the same week). A reviewer fixes either, and the fix has to
outlive every rebuild and import:

* a **merge** (``agreement_merges``) leaves both rows as the builders write them; readers
  show the merged record inside the other (``ceasefire.merges``), its id resolves to the
  other (the API and the dashboard redirect it), and incidents are judged against the
  other alone. Any two records can be merged, whatever their origin.
* a **split** (``agreement_pins``) takes the reports of some documents out of a record
  built from the news: the builder makes them a record of their own, under an id the
  split chose, on this and every later build. An imported record is one row of its
  table and cannot be split.

Each is one audit row (field ``merged_into`` or ``split``, on the record acted on) and is
undone like any other action. Incidents' scope follows at once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from trucewatch.ceasefire.merges import merged_into
from trucewatch.errors import UsageError
from trucewatch.review.actions import Done, NotFound, _audit
from trucewatch.review.structure import _needs_reason
from trucewatch.store import Store
from trucewatch.store.schema import (
    Agreement,
    AgreementMerge,
    AgreementPin,
    AgreementSource,
    AuditEntry,
    IncidentScope,
)

MERGED = "merged_into"
SPLIT = "split"
KIND = "agreement"


def _existing(session: Session, agreement_id: str) -> Agreement:
    """The record, refusing one already merged (act on the record it shows inside)."""
    went = merged_into(session, agreement_id)
    if went is not None:
        raise UsageError(f"agreement {agreement_id} was merged into {went}; act on {went}")
    row = session.get(Agreement, agreement_id)
    if row is None:
        raise NotFound(f"no agreement {agreement_id!r}")
    return row


def merge(store: Store, merged_id: str, into_id: str, actor: str, reason: str | None) -> Done:
    """Merge agreement ``merged_id`` into ``into_id``: one agreement from now on."""
    why = _needs_reason(reason, "merge")
    if merged_id == into_id:
        raise UsageError("an agreement cannot be merged into itself")
    with store.session() as session:
        _existing(session, merged_id)
        _existing(session, into_id)
        entry = _audit(session, actor, "merge", merged_id, MERGED, {"value": None}, {"value": into_id}, why, kind=KIND)
        session.add(AgreementMerge(merged_id=merged_id, into_id=into_id, reviewer=actor, reason=why, at=entry.at,
                                   audit_id=entry.id))
        session.execute(delete(IncidentScope).where(IncidentScope.agreement_id == merged_id))
        done = Done(entry.id, merged_id, MERGED, None, into_id, kind=KIND, others=(into_id,))
    rescope(store, done)
    return done


def split(store: Store, agreement_id: str, actor: str, reason: str | None, *, documents: Iterable[str]) -> Done:
    """Take the reports of ``documents`` out of a news agreement into a record of their own;
    returns the new record's id as ``after``. Both records must keep a report of the
    agreement itself, not only of a later breach or extension."""
    from trucewatch.ceasefire.news import build_from_news

    why = _needs_reason(reason, "split")
    chosen = sorted(set(documents))
    if not chosen:
        raise UsageError("a split names the documents whose reports to take out")
    with store.session() as session:
        row = _existing(session, agreement_id)
        if row.origin != "news":
            raise UsageError(f"agreement {agreement_id} comes from a research table ({row.origin}), one row of it: "
                             "only a record built from the news can be split")
        sources = set(session.scalars(select(AgreementSource.document_id).where(
            AgreementSource.agreement_id == agreement_id, AgreementSource.document_id.is_not(None))))
        unknown = [d for d in chosen if d not in sources]
        if unknown:
            raise UsageError(f"not sources of {agreement_id}: {', '.join(unknown)}")
        if not sources - set(chosen):
            raise UsageError("a split leaves at least one document's reports in the agreement")
        new_id = _new_id(session, agreement_id, chosen)
        held = [[d, _pinned(session, agreement_id, d)] for d in chosen]
        entry = _audit(session, actor, "split", agreement_id, SPLIT, {"value": None, "pins": held},
                       {"value": new_id, "documents": chosen}, why, kind=KIND)
        for document in chosen:
            pin = session.get(AgreementPin, (agreement_id, document))
            if pin is None:
                session.add(AgreementPin(from_id=agreement_id, document_id=document, agreement_id=new_id,
                                         audit_id=entry.id))
            else:
                pin.agreement_id, pin.audit_id = new_id, entry.id
        session.flush()
        build_from_news(session)
        if session.get(Agreement, new_id) is None:
            raise UsageError("those documents only report later steps of the agreement (a breach, an extension): "
                             "alone they found no record, so there is nothing to split off")
        if session.get(Agreement, agreement_id) is None:
            raise UsageError("the documents left only report later steps of the agreement: split the others out")
        done = Done(entry.id, agreement_id, SPLIT, None, new_id, kind=KIND, others=(new_id,))
    rescope(store, done)
    return done


def _new_id(session: Session, agreement_id: str, documents: list[str]) -> str:
    """A news-style id for the record split off, new in the store and among merges and pins."""
    n = 1
    while True:
        key = f"{agreement_id}|split|{'|'.join(documents)}|{n}"
        ident = "news-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
        taken = (session.get(Agreement, ident) is not None or session.get(AgreementMerge, ident) is not None
                 or session.scalar(select(AgreementPin.from_id).where(AgreementPin.agreement_id == ident)) is not None)
        if not taken:
            return ident
        n += 1


def _pinned(session: Session, from_id: str, document: str) -> str | None:
    pin = session.get(AgreementPin, (from_id, document))
    return pin.agreement_id if pin else None


def undo_entry(session: Session, entry: AuditEntry, actor: str, reason: str | None) -> Done:
    """Take a merge or a split of agreements back (:func:`rescope` once it is committed)."""
    from trucewatch.ceasefire.news import build_from_news

    undo = _audit(session, actor, "undo", entry.target_id, entry.field or "", entry.after, entry.before, reason,
                  undoes=entry.id, kind=KIND)
    after = entry.after or {}
    if entry.field == MERGED:
        held = session.get(AgreementMerge, entry.target_id)
        if held is None or held.audit_id != entry.id:
            raise UsageError(f"{entry.target_id} is no longer merged by entry {entry.id}")
        session.delete(held)
        return Done(undo.id, entry.target_id, MERGED, after.get("value"), None, kind=KIND,
                    others=(after.get("value"),))
    new_id = after.get("value")
    pins: list[list[Any]] = (entry.before or {}).get("pins") or []
    for document, before in pins:
        pin = session.get(AgreementPin, (entry.target_id, document))
        if pin is None or pin.agreement_id != new_id:
            continue  # a later decision moved it on
        if before is None:
            session.delete(pin)
        else:
            pin.agreement_id = before
    session.flush()
    build_from_news(session)
    return Done(undo.id, entry.target_id, SPLIT, new_id, None, kind=KIND, others=(new_id,))


def rescope(store: Store, done: Done) -> None:
    """Judge the incidents again against the records a merge, a split or its undo changed
    (a record merged away has no scope rows of its own; the one it went into answers)."""
    from trucewatch.ceasefire.scope import refresh

    with store.sessions() as session:
        ids = [i for i in (done.incident_id, *done.others)
               if session.get(Agreement, i) is not None and merged_into(session, i) is None]
    for agreement_id in ids:
        refresh(store, agreement_id)
