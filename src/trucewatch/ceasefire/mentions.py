"""What one report says about an agreement: a ceasefire or agreement event (or talks that
ended in an agreement or produced a text), read with the actors, times and places annotated in its sentences.

Only events that report something as fact (status ``main`` or ``background``) count: a
planned, hypothetical or denied ceasefire is not an agreement. Every value keeps the
span of the sentence it came from. Parties are the knowledge-base actors of the
agreement's country named in the event's sentences (a commander stands for the force he
leads on that day), and states, which sign interstate truces; mediators are the event's
own mediators; the rest is not guessed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from trucewatch.ceasefire.clock import effective_time, is_duration
from trucewatch.ceasefire.record import Evidence
from trucewatch.ceasefire.terms import kind_from_name, provisions_in, states_an_outcome, status_spans, statuses_in
from trucewatch.extract.actors import load_actors
from trucewatch.extract.actors.world import states
from trucewatch.store.schema import Annotation, Event, EventEvidence, IncidentEvent

PROCESS_TYPES = ("ceasefire", "agreement", "talks")
FACT_STATUSES = ("main", "background")


@dataclass
class Mention:
    """One event's account of an agreement, with the evidence for each value."""

    event_id: str
    document_id: str
    process_type: str
    status: str
    date: str | None
    precision: int | None
    incident_id: str | None
    country: str | None  # ISO 3166 alpha-2 of the conflict
    kind: str
    unilateral: bool
    location: str | None = None
    location_country: str | None = None  # ISO alpha-2 of the event's place (Berlin: DE)
    parties: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # actor id -> (name, side)
    mediators: dict[str, str | None] = field(default_factory=dict)  # name -> actor id
    effective: tuple[str, Evidence, bool] | None = None  # (moment, evidence, stated in UTC)
    duration: tuple[str, Evidence] | None = None
    extension: tuple[str, Evidence] | None = None  # "extended by 72 hours"
    steps: list[tuple[str, Evidence]] = field(default_factory=list)
    provisions: list[tuple[str, str | None, Evidence]] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class _Span:
    start: int
    end: int
    text: str
    value: dict[str, Any]


@lru_cache(maxsize=1)
def _country_codes() -> dict[str, str]:
    return {state.name.lower(): code for code, state in states().items()}


@lru_cache(maxsize=1)
def _curated_countries() -> frozenset[str]:
    """Countries whose actors the knowledge base lists by hand (their generic state actors are not parties)."""
    return frozenset(a.country for a in load_actors().values() if a.country and not a.generated)


def country_name(code: str | None) -> str | None:
    state = states().get(code or "")
    return state.name if state else None


def _party(actor_id: str, day: dt.date | None, country: str | None) -> tuple[str, str | None, str] | None:
    """``(id, side, name)`` of the party an actor mention stands for, or None when it is no party."""
    actors = load_actors()
    actor = actors.get(actor_id)
    if actor is None or (actor.kind != "state" and (country is None or actor.country != country)):
        return None  # a state may sign for itself anywhere (interstate truces); others are the conflict's own
    if actor.kind == "person":
        parents = actor.parents_on(day) if day else tuple(p.id for p in actor.parents)
        bodies = [actors[p] for p in parents if p in actors and actors[p].kind in ("organisation", "state")]
        if bodies:
            actor = bodies[0]
    if actor.kind not in ("organisation", "person", "coalition", "state"):
        return None
    if actor.generated and actor.kind != "state" and actor.country in _curated_countries():
        return None  # "Libyan forces" where the knowledge base knows Libya's real forces: too vague to bind
    return actor.id, actor.side, actor.name


def _inside(span: _Span, start: int, end: int) -> bool:
    return start <= span.start and span.end <= end


def _document_country(actors: list[_Span], places: list[_Span], fallback: str | None) -> str | None:
    """The conflict a report is about: the country of the armed actors it names most (a report
    from Berlin about Libya's parties is about Libya), else of the places it names most."""
    known = load_actors()
    armed = Counter(known[a.value["actor_id"]].country for a in actors
                    if a.value.get("actor_id") in known and known[a.value["actor_id"]].inter in (1, 2, 3, 4)
                    and known[a.value["actor_id"]].country)
    if armed:
        return armed.most_common(1)[0][0]
    counts = Counter(p.value.get("country") for p in places if p.value.get("country"))
    return counts.most_common(1)[0][0] if counts else fallback


def read_mentions(session: Session, document_ids: Iterable[str] | None = None) -> list[Mention]:
    """The agreement mentions of the stored events (of ``document_ids``, or of all documents)."""
    query = select(Event).where(Event.process_type.in_(PROCESS_TYPES), Event.status.in_(FACT_STATUSES))
    if document_ids is not None:
        query = query.where(Event.document_id.in_(list(document_ids)))
    events = list(session.scalars(query.order_by(Event.document_id, Event.id)))
    if not events:
        return []
    ids = [e.id for e in events]
    evidence: dict[str, list[EventEvidence]] = {}
    incident: dict[str, str] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for ev in session.scalars(select(EventEvidence).where(EventEvidence.event_id.in_(chunk))
                                  .order_by(EventEvidence.id)):
            evidence.setdefault(ev.event_id, []).append(ev)
        for link in session.scalars(select(IncidentEvent).where(IncidentEvent.event_id.in_(chunk))):
            incident.setdefault(link.event_id, link.incident_id)
    docs = sorted({e.document_id for e in events})
    spans: dict[tuple[str, str], list[_Span]] = {}
    for start in range(0, len(docs), 200):
        for ann in session.scalars(select(Annotation).where(
                Annotation.document_id.in_(docs[start:start + 200]),
                Annotation.stage.in_(("actors", "time", "places")), Annotation.kind.in_(("actor", "time", "place")))):
            spans.setdefault((ann.document_id, ann.kind), []).append(_Span(ann.start, ann.end, ann.text, ann.value or {}))
    mentions = []
    for event in events:
        mention = _mention(event, evidence.get(event.id, []), incident.get(event.id),
                           {kind: spans.get((event.document_id, kind), []) for kind in ("actor", "time", "place")})
        if mention is not None:
            mentions.append(mention)
    return mentions


def _mention(event: Event, evidence: list[EventEvidence], incident_id: str | None,
             spans: dict[str, list[_Span]]) -> Mention | None:
    sentences = [ev for ev in evidence if ev.field == "sentence"]
    if not sentences:
        return None
    text = " ".join(s.text for s in sentences)
    if event.process_type == "talks" and not (states_an_outcome(text) or "agreed" in statuses_in(text)):
        return None  # talks that produced no text or agreement are the talks' record, not an agreement's
    fallback = _country_codes().get((event.country or "").lower())
    country = _document_country(spans["actor"], spans["place"], fallback)
    if event.process_type == "talks":
        kind = "peace_agreement"  # a conference's conclusions: PA-X counts them as (pre-negotiation) agreements
    else:
        kind = kind_from_name(text) or ("ceasefire" if event.process_type == "ceasefire" else "peace_agreement")
    day = dt.date.fromisoformat(event.event_date) if event.event_date else None
    mention = Mention(event.id, event.document_id, event.process_type or "", event.status, event.event_date,
                      event.time_precision, incident_id, country, kind, kind == "unilateral_declaration",
                      event.location or event.country, fallback)

    def cite(field_name: str, span: Any) -> Evidence:
        return Evidence(field_name, span.text, document_id=event.document_id, start=span.start, end=span.end)

    for ev in evidence:
        if ev.field in ("event", "sentence"):
            mention.evidence.append(cite(ev.field, ev))
    mediator_spans = [ev for ev in evidence if ev.field == "mediators"]
    for ev in mediator_spans:
        resolved = [a for a in spans["actor"] if a.value.get("actor_id") and a.start < ev.end and ev.start < a.end]
        mention.mediators.setdefault(ev.text, resolved[0].value["actor_id"] if resolved else None)
        mention.evidence.append(cite("mediators", ev))
    mediator_ids = {m for m in mention.mediators.values() if m}
    for sentence in sentences:
        for actor in spans["actor"]:
            actor_id = actor.value.get("actor_id")
            if not actor_id or actor_id in mediator_ids or not _inside(actor, sentence.start, sentence.end):
                continue
            party = _party(actor_id, day, country)
            if party is not None and party[0] not in mediator_ids:
                if party[0] not in mention.parties:
                    mention.evidence.append(cite("parties", actor))
                mention.parties.setdefault(party[0], (party[2], party[1]))
        times = [t for t in spans["time"] if _inside(t, sentence.start, sentence.end)]
        if mention.effective is None:
            found = effective_time([(t.text, str(t.value.get("value") or "")) for t in times], country)
            if found is not None:
                mention.effective = (found[0], cite("effective_from", times[found[1]]), found[2])
        for status in statuses_in(sentence.text):
            mention.steps.append((status, cite("status", sentence)))
        durations = [t for t in times if t.value.get("type") == "DURATION" and is_duration(str(t.value.get("value")))]
        for provision, p_start, _ in provisions_in(sentence.text):
            due = next((str(t.value["value"]) for t in durations if t.start >= sentence.start + p_start - 80), None)
            mention.provisions.append((provision, due, cite("provisions", sentence)))
        extended = [start for status, start, _ in status_spans(sentence.text) if status == "extended"]
        if extended and durations and mention.extension is None:
            after = [t for t in durations if t.start >= sentence.start + extended[0]] or durations
            mention.extension = (str(after[0].value["value"]), cite("extension", after[0]))
            durations = [t for t in durations if t is not after[0]]  # the extension is not the truce's own term
        if mention.duration is None:
            cue = kind_from_name(sentence.text)
            for t in durations:
                near = sentence.text[max(0, t.end - sentence.start): t.end - sentence.start + 20]
                if cue and kind_from_name(near):  # "a seven-day truce", "72-hour ceasefire"
                    mention.duration = (str(t.value["value"]), cite("duration", t))
                    break
    return mention
