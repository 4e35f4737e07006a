"""Storing and reading rounds of talks.

``build_talks`` rebuilds every round from the stored events: a round whose digest is
unchanged is left alone, a changed one has its facts replaced, one no report supports
any more is removed. ``iter_rounds`` gives the JSON shape of ``talks --json``: one
object per round, each value with the report spans that support it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from trucewatch.ceasefire.talks import build_rounds
from trucewatch.ceasefire.talks_record import TalksRecord
from trucewatch.ceasefire.talks_read import read_talk_mentions
from trucewatch.ceasefire.talks_terms import forum, outcome_types, tracks
from trucewatch.store.db import Store
from trucewatch.store.schema import Agreement, AgreementSource, TalksFact, TalksRound


@dataclass
class TalksCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0


def _problems(record: TalksRecord) -> list[str]:
    found = []
    if record.track is not None and record.track not in tracks():
        found.append(f"unknown track {record.track!r}")
    if record.forum is not None and forum(record.forum) is None:
        found.append(f"unknown forum {record.forum!r}")
    found += [f"unknown outcome {f.value!r}" for f in record.facts
              if f.field == "outcome" and f.value not in outcome_types()]
    return found


def save_round(session: Session, record: TalksRecord, counts: TalksCounts) -> None:
    """Insert, replace or leave one round; ValueError when it breaks the vocabulary."""
    problems = _problems(record)
    if problems:
        raise ValueError(f"{record.id}: " + "; ".join(problems))
    digest = record.digest()
    row = session.get(TalksRound, record.id)
    if row is not None and row.digest == digest:
        counts.unchanged += 1
        return
    if row is None:
        row = TalksRound(id=record.id)
        session.add(row)
        counts.new += 1
    else:
        session.execute(delete(TalksFact).where(TalksFact.round_id == record.id))
        counts.updated += 1
    for column in ("name", "forum", "track", "country", "round_number", "sequence", "start", "end",
                   "date_precision", "venue", "venue_country", "extra"):
        setattr(row, column, getattr(record, column))
    row.digest = digest
    row.updated_at = dt.datetime.now(dt.timezone.utc)
    session.flush()
    session.add_all(TalksFact(round_id=record.id, field=f.field, value=f.value, actor_id=f.actor_id, side=f.side,
                              event_id=f.event_id, document_id=f.document_id, start=f.start, end=f.end, text=f.text)
                    for f in record.facts)
    session.flush()


def _agreements_of(session: Session, record: TalksRecord) -> list[str]:
    """News agreement records a round produced: one citing a report of the round, signed or in
    force from a day of the round (or the day after)."""
    docs = sorted({f.document_id for f in record.facts})
    if not docs or not record.start:
        return []
    last = dt.date.fromisoformat(record.end or record.start) + dt.timedelta(days=1)
    found = set()
    for agreement in session.scalars(select(Agreement).where(Agreement.origin == "news", Agreement.id.in_(
            select(AgreementSource.agreement_id).where(AgreementSource.document_id.in_(docs))))):
        day = (agreement.signed or (agreement.effective_from or "")[:10]) or None
        if day and record.start <= day <= last.isoformat():
            found.add(agreement.id)
    return sorted(found)


def build_talks(session: Session) -> TalksCounts:
    """Build (or rebuild) every round of talks from the stored events."""
    counts = TalksCounts()
    kept: set[str] = set()
    for record in build_rounds(read_talk_mentions(session)):
        produced = _agreements_of(session, record)
        if produced:
            record.extra = {"agreements": produced}
        save_round(session, record, counts)
        kept.add(record.id)
    stale = [i for i in session.scalars(select(TalksRound.id)) if i not in kept]
    if stale:
        session.execute(delete(TalksRound).where(TalksRound.id.in_(stale)))
        counts.removed = len(stale)
    return counts


def _evidence(fact: TalksFact) -> dict[str, Any]:
    return {"document_id": fact.document_id, "start": fact.start, "end": fact.end, "text": fact.text}


def _shape(row: TalksRound, facts: list[TalksFact]) -> dict[str, Any]:
    by_field: dict[str, list[TalksFact]] = {}
    for fact in facts:
        by_field.setdefault(fact.field, []).append(fact)
    spec = forum(row.forum) if row.forum else None
    delegations: dict[str, dict[str, Any]] = {}
    for fact in by_field.get("delegation", []):
        entry = delegations.setdefault(fact.actor_id or fact.value or "", {
            "party": fact.value, "actor_id": fact.actor_id, "side": fact.side, "people": [], "evidence": []})
        entry["evidence"].append(_evidence(fact))
    for fact in by_field.get("person", []):  # people the reports name for a side (its commander, its head)
        entry = delegations.get(fact.side or "")
        if entry is not None and fact.value not in [m["name"] for m in entry["people"]]:
            entry["people"].append({"name": fact.value, "actor_id": fact.actor_id})
    facilitators: dict[str, dict[str, Any]] = {}
    for fact in by_field.get("facilitator", []):
        entry = facilitators.setdefault(fact.actor_id or fact.value or "", {
            "name": fact.value, "actor_id": fact.actor_id, "evidence": []})
        entry["evidence"].append(_evidence(fact))
    outcomes: dict[tuple[str, int, int], dict[str, Any]] = {}
    for fact in by_field.get("outcome", []):
        key = (fact.document_id, fact.start, fact.end)
        entry = outcomes.setdefault(key, {"types": [], "text": fact.text, "document_id": fact.document_id,
                                          "start": fact.start, "end": fact.end})
        if fact.value not in entry["types"]:
            entry["types"].append(fact.value)
    sources: dict[str, list[dict[str, Any]]] = {}
    for fact in facts:
        sources.setdefault(fact.document_id, []).append(
            {"field": fact.field, "value": fact.value, "text": fact.text, "start": fact.start, "end": fact.end})
    return {
        "id": row.id, "name": row.name,
        "forum": {"id": row.forum, "name": spec.name if spec else None} if row.forum else None,
        "track": row.track, "country": row.country,
        "round": row.round_number, "sequence": row.sequence,
        "dates": {"start": row.start, "end": row.end, "precision": row.date_precision,
                  "evidence": [_evidence(f) | {"value": f.value, "field": f.field}
                               for f in by_field.get("opened", []) + by_field.get("date", [])]},
        "venue": {"name": row.venue, "country": row.venue_country,
                  "evidence": [_evidence(f) for f in by_field.get("venue", [])]} if row.venue else None,
        "delegations": list(delegations.values()),
        "facilitators": list(facilitators.values()),
        "outcomes": list(outcomes.values()),
        "agreed": [o["text"] for o in outcomes.values() if "agreed" in o["types"] or "draft" in o["types"]],
        "deferred": [o["text"] for o in outcomes.values() if "deferred" in o["types"] or "suspended" in o["types"]],
        "agreements": (row.extra or {}).get("agreements", []),
        "sources": [{"document_id": doc, "evidence": evidence} for doc, evidence in sources.items()],
    }


def iter_rounds(store: Store, forum_id: str | None = None) -> Iterator[dict[str, Any]]:
    """Rounds as JSON-ready dicts, by first day (undated last), then forum and id."""
    query = select(TalksRound)
    if forum_id:
        query = query.where(TalksRound.forum == forum_id)
    query = query.order_by(func.coalesce(TalksRound.start, "9999-12-31"), func.coalesce(TalksRound.forum, ""),
                           TalksRound.id)
    with store.sessions() as session:
        rows = list(session.scalars(query))
        for start in range(0, len(rows), 200):
            yield from round_records(session, rows[start:start + 200])


def round_records(session: Session, rows: list[TalksRound]) -> list[dict[str, Any]]:
    """``rows`` as the JSON-ready dicts of ``talks --json``, in the order given (their facts read at once)."""
    facts: dict[str, list[TalksFact]] = {r.id: [] for r in rows}
    for start in range(0, len(rows), 500):
        part = [r.id for r in rows[start:start + 500]]
        for fact in session.scalars(select(TalksFact).where(TalksFact.round_id.in_(part)).order_by(TalksFact.id)):
            facts[fact.round_id].append(fact)
    return [_shape(row, facts[row.id]) for row in rows]
