"""What one report says about a round of talks: a ``talks`` event read with the sentences,
actors and places annotated around it.

A report's own sentences about the meeting count besides the event's: "the talks opened
on Monday" carries the date, the sentence before it the venue, a later one the outcome.
Sentences that belong to another event of the same report told as background, plan or
hypothesis, dated more than a week from the meeting, are marked ``recalled``: they may name
the forum, but they state no outcome, and the place such an event happened is no venue, so "the commission agreed at the Berlin conference last month" does not
become this round's outcome. Every value keeps its character span.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from trucewatch.ceasefire.talks_terms import is_about_meeting, names_delegations, names_facilitation
from trucewatch.store.schema import Annotation, Event, EventEvidence, IncidentEvent

#: The process types a round is built from: the talks themselves, and the agreements they produced.
ROUND_TYPES = ("talks", "agreement")
#: A background event dated further than this from the meeting is about another time.
RECALL_DAYS = 7


@dataclass(frozen=True)
class Span:
    """A stretch of a report's cleaned text, with what the stage that found it said of it."""

    document_id: str
    start: int
    end: int
    text: str
    value: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass
class TalkMention:
    """One report's account of a meeting (or of an agreement a meeting produced)."""

    event_id: str
    document_id: str
    process_type: str
    status: str
    date: str | None
    date_end: str | None
    precision: int | None
    incident_id: str | None
    country: str | None  # the event's country, as the extraction named it
    sentences: list[Span] = field(default_factory=list)  # the event's own sentences
    context: list[Span] = field(default_factory=list)  # other sentences of the report about the meeting
    recalled: set[tuple[int, int]] = field(default_factory=set)  # context that other events tell as another time
    recalled_places: set[tuple[int, int]] = field(default_factory=set)  # where those other times happened
    located: set[tuple[int, int]] = field(default_factory=set)  # the event's own place, as extraction found it
    dateline: Span | None = None  # the place a report is filed from ("GENEVA, Oct 23 -")
    date_spans: list[Span] = field(default_factory=list)
    mediators: list[Span] = field(default_factory=list)
    actors: list[Span] = field(default_factory=list)  # actor mentions in the sentences and context
    places: list[Span] = field(default_factory=list)
    times: list[Span] = field(default_factory=list)  # every time expression of the report

    def date_evidence(self) -> list[Span]:
        """What dates the event: its own date spans, else a time expression of the report that
        gives its date (one in its sentences first, then the dateline's or any other)."""
        if self.date_spans or not self.date:
            return self.date_spans[:1]
        same = [t for t in self.times if str(t.value.get("value") or "")[:10] == self.date]
        own = [t for t in same if any(_inside(t, s) for s in self.sentences)]
        return (own or same)[:1]

    def elsewhen(self, place: Span, reach: int = 25) -> bool:
        """Whether a date right after ``place`` is another time than the event's ("met in Geneva
        on 8 October", reported of a meeting on the 30th): that place is no venue of this one."""
        for time in self.times:
            value = str(time.value.get("value") or "")
            if 0 <= time.start - place.end <= reach and time.value.get("type") == "DATE" and _DAY.match(value):
                return _apart(value, self.date)  # a day (not PRESENT_REF, a season, a week)
        return False

    def all_sentences(self) -> list[Span]:
        return self.sentences + self.context


#: A time value that names a day: what a date can be compared with.
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _apart(day: str | None, other: str | None) -> bool:
    """Whether a background event's date is another time than the meeting's (an undated one may
    be the meeting itself, told again)."""
    if day is None:
        return False
    if other is None:
        return True
    return abs((dt.date.fromisoformat(day[:10]) - dt.date.fromisoformat(other[:10])).days) > RECALL_DAYS


def dateline(places: list[Span], sentences: list[Span]) -> Span | None:
    """The place a report is filed from: the first word of one of its first three sentences
    (after the headline), followed by a comma ("GENEVA, Oct 23 -")."""
    for sentence in sentences[:3]:
        for place in places:
            if place.start == sentence.start and sentence.text[place.end - sentence.start:].lstrip().startswith(","):
                return place
    return None


def _about_the_meeting(text: str) -> bool:
    """A sentence about the meeting, who sat at it or who chaired it."""
    return is_about_meeting(text) or names_delegations(text) or names_facilitation(text)


def _inside(span: Span, sentence: Span) -> bool:
    return sentence.start <= span.start and span.end <= sentence.end


def read_talk_mentions(session: Session, document_ids: Iterable[str] | None = None) -> list[TalkMention]:
    """The ``main`` talks and agreement events of the store (or of ``document_ids``), as mentions."""
    query = select(Event).where(Event.process_type.in_(ROUND_TYPES), Event.status == "main")
    if document_ids is not None:
        query = query.where(Event.document_id.in_(list(document_ids)))
    events = list(session.scalars(query.order_by(Event.document_id, Event.id)))
    if not events:
        return []
    docs = sorted({e.document_id for e in events})
    evidence: dict[str, list[EventEvidence]] = {}
    foreign: dict[str, dict[tuple[int, int], list[str | None]]] = {}  # per report: sentences of its other events
    incident: dict[str, str] = {}
    for start in range(0, len(docs), 200):
        chunk = docs[start:start + 200]
        told = {e.id: (e.status, e.event_date) for e in session.scalars(select(Event).where(Event.document_id.in_(chunk)))}
        for ev in session.scalars(select(EventEvidence).where(EventEvidence.document_id.in_(chunk))
                                  .order_by(EventEvidence.id)):
            evidence.setdefault(ev.event_id, []).append(ev)
            status, day = told.get(ev.event_id, ("main", None))
            if ev.field in ("sentence", "location") and status != "main":
                foreign.setdefault(ev.document_id, {}).setdefault((ev.start, ev.end), []).append(day)
        for link in session.scalars(select(IncidentEvent).where(IncidentEvent.document_id.in_(chunk))):
            incident.setdefault(link.event_id, link.incident_id)
    spans: dict[tuple[str, str], list[Span]] = {}
    for start in range(0, len(docs), 200):
        for ann in session.scalars(select(Annotation).where(
                Annotation.document_id.in_(docs[start:start + 200]),
                Annotation.kind.in_(("sentence", "actor", "place", "time"))).order_by(Annotation.start, Annotation.id)):
            spans.setdefault((ann.document_id, ann.kind), []).append(
                Span(ann.document_id, ann.start, ann.end, ann.text, ann.value or {}))
    mentions = []
    for event in events:
        own = evidence.get(event.id, [])
        sentences = [Span(ev.document_id, ev.start, ev.end, ev.text) for ev in own if ev.field == "sentence"]
        if not sentences:
            continue
        mention = TalkMention(event.id, event.document_id, event.process_type or "", event.status, event.event_date,
                              event.date_end, event.time_precision, incident.get(event.id), event.country,
                              sentences=sentences)
        mention.date_spans = [Span(ev.document_id, ev.start, ev.end, ev.text) for ev in own
                              if ev.field in ("event_date", "date_end")]
        mention.mediators = [Span(ev.document_id, ev.start, ev.end, ev.text) for ev in own if ev.field == "mediators"]
        taken = {(s.start, s.end) for s in sentences}
        if event.process_type == "talks":
            mention.context = [s for s in spans.get((event.document_id, "sentence"), [])
                               if (s.start, s.end) not in taken and _about_the_meeting(s.text)]
            recalls = foreign.get(event.document_id, {})
            mention.recalled = {(s.start, s.end) for s in mention.context
                                if any(_apart(day, event.event_date) for day in recalls.get((s.start, s.end), []))}
            mention.recalled_places = {span for span, days in recalls.items()
                                       if any(_apart(day, event.event_date) for day in days)}
        mention.dateline = dateline(spans.get((event.document_id, "place"), []),
                                    spans.get((event.document_id, "sentence"), []))
        if mention.dateline is not None:  # the dateline is where the report was filed, not another time's place
            mention.recalled_places.discard((mention.dateline.start, mention.dateline.end))
        mention.located = {(ev.start, ev.end) for ev in evidence.get(event.id, []) if ev.field == "location"}
        mention.recalled_places -= mention.located
        every = mention.all_sentences()
        for kind, target in (("actor", mention.actors), ("place", mention.places)):
            target.extend(a for a in spans.get((event.document_id, kind), []) if any(_inside(a, s) for s in every))
        mention.times = spans.get((event.document_id, "time"), [])  # the whole report's: a dateline dates it too
        mentions.append(mention)
    return mentions
