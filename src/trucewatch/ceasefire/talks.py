"""Rounds of talks from the news: the meetings many reports describe, in any language,
become one record per round with its forum, track, number, dates, venue, delegations,
facilitators and outcomes, each value with the span of the report that says it.

Reports are grouped first by the incident fusion (one meeting across outlets), then
groups of the same forum whose dates lie within a week of each other (a round lasts
days: "sat down on Tuesday", "ended on Sunday") or that state the same round number
are merged. An undated report joins the one round of its forum held at its venue. An
agreement event joins the round it came out of (the same incident, or its venue within
the round's days) as an outcome.

A group becomes a round only when it names its forum or its venue: a bare "talks" with
neither is nothing a monitor can list. Only ``main`` reports found a round; background
recollections of earlier rounds are left to the round's own reports.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field

from trucewatch.ceasefire.mentions import country_name
from trucewatch.ceasefire.talks_read import Span, TalkMention
from trucewatch.ceasefire.talks_terms import (
    forum,
    forums,
    forums_in,
    looks_ahead,
    names_delegations,
    names_facilitation,
    outcomes_in,
    round_numbers_in,
    tracks_in,
)
from trucewatch.extract.actors import load_actors

#: How far apart two reports of one round may date it (a round lasts days, not weeks).
ROUND_DAYS = 7
PRECISION = {1: "day", 2: "week", 3: "month"}
#: Venue scores (lower is better; see _venue_facts): a place in a sentence with no word about
#: the meeting, a place in the report's other sentences, the event's own place as extraction
#: found it (a bonus), the dateline's place.
NO_CUE = 800
CONTEXT = 500
LOCATED = 300
COUNTRY_LEVEL = 2000
DATELINE_SCORE = 1900
_FROM = re.compile(r"(?:\bfrom|\bde|\bdesde|\bda|\bиз|\bdan|من)\s+(?:the\s+|la\s+|le\s+|l')?$", re.IGNORECASE)


def _country_level(place: Span) -> bool:
    """A country ("Libya", "Egyptian"): the venue only when a report names nothing finer."""
    return str(place.value.get("feature_code") or "").startswith("PCL") or place.value.get("kind") == "demonym"


@dataclass(frozen=True)
class Fact:
    """One value of a round and the report span that supports it."""

    field: str
    value: str | None
    document_id: str
    start: int
    end: int
    text: str
    event_id: str | None = None
    actor_id: str | None = None
    side: str | None = None


@dataclass
class TalksRecord:
    id: str
    name: str
    forum: str | None = None
    track: str | None = None
    country: str | None = None
    round_number: int | None = None
    sequence: int | None = None
    start: str | None = None
    end: str | None = None
    date_precision: str | None = None
    venue: str | None = None
    venue_country: str | None = None
    extra: dict[str, object] | None = None
    facts: list[Fact] = field(default_factory=list)

    def digest(self) -> str:
        text = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Cluster:
    mentions: list[TalkMention]
    forum: str | None = None
    venue: str | None = None

    def precision(self) -> int | None:
        """The best precision of the reports' dates: day (1) or week (2); None when undated."""
        found = [m.precision for m in self.mentions if m.process_type == "talks" and m.date and m.precision]
        best = min(found, default=None)
        return best if best is not None and best <= 2 else None

    def days(self) -> list[dt.date]:
        """The days the reports give at the best precision (a day a report dates only to its week
        counts only when no report dates the round to the day)."""
        best = self.precision()
        found = []
        for m in self.mentions:
            if best is not None and m.process_type == "talks" and m.date and m.precision == best:
                found.append(dt.date.fromisoformat(m.date))
                if m.date_end:
                    found.append(dt.date.fromisoformat(m.date_end))
        return sorted(found)

    def numbers(self) -> set[str]:
        return {n.label for m in self.mentions for s in m.sentences for n in round_numbers_in(s.text)}


def _cite(field_name: str, value: str | None, span: Span, mention: TalkMention, **extra: str | None) -> Fact:
    return Fact(field_name, value, span.document_id, span.start, span.end, span.text, mention.event_id, **extra)


def _forum_facts(mention: TalkMention) -> list[Fact]:
    """The forums a report names, in its event's sentences first (the context only when those name
    none); a sentence about a meeting to come names no forum of this one."""
    for pool in ([s for s in mention.sentences if not looks_ahead(s.text)],
                 [s for s in mention.context if not looks_ahead(s.text)]):
        found = [_cite("forum", m.label, Span(s.document_id, s.start + m.start, s.start + m.end,
                                                s.text[m.start:m.end]), mention)
                 for s in pool for m in forums_in(s.text)]
        if found:
            return found
    return []


def _forum_of(mentions: list[TalkMention]) -> str | None:
    """The forum most reports name; on a tie the one listed first in the vocabulary (the
    standing bodies before the umbrella processes they came out of)."""
    votes = Counter(f.value for m in mentions for f in _forum_facts(m))
    if not votes:
        return None
    order = [f.id for f in forums()]
    return sorted(votes.items(), key=lambda kv: (-kv[1], order.index(kv[0] or "")))[0][0]


def _venue_facts(mention: TalkMention, forum_id: str | None) -> list[tuple[int, Fact]]:
    """Candidate venues with a score (lower is better): places near a word about the meeting,
    never a place inside another forum's name ("formed after the Berlin conference"), one
    the delegations came from ("delegations from Tripoli") or a party's seat ("the GNA in
    Tripoli"); a dateline ("GENEVA, Oct 23 -") counts for the place named."""
    found: list[tuple[int, Fact]] = []
    for rank, pool in enumerate((mention.sentences, mention.context)):
        for index, sentence in enumerate(pool):
            cues = [(sentence.start + m.start, sentence.start + m.end, m.label) for m in forums_in(sentence.text)]
            meeting = [c for c in cues if c[2] == forum_id] + [
                (sentence.start + m.start(), sentence.start + m.end(), "")
                for m in re.finditer(r"talks|meet\w*|round|session|conference|محادثات|اجتماع|جولة|pourparlers|"
                                     r"réunion|conversaciones|reunión|colloqui|riunione|переговоры|встреча|"
                                     r"görüşme|toplantı", sentence.text, re.IGNORECASE)]
            for place in mention.places:
                if not (sentence.start <= place.start and place.end <= sentence.end):
                    continue
                if any(s < place.end and place.start < e and label != forum_id for s, e, label in cues):
                    continue
                before = sentence.text[:place.start - sentence.start]
                # near a word about the meeting, in the report's first sentences about it, the event's own first
                score = min((abs(place.start - s) if place.start >= e else abs(s - place.end)
                             for s, e, _ in meeting), default=NO_CUE) + CONTEXT * rank + 100 * min(index, 5)
                if _FROM.search(before):
                    score += 500
                if (place.start, place.end) in mention.recalled_places:
                    continue  # where another time's event happened ("the ceasefire signed in Geneva last year")
                if any(a.start < place.end and place.start < a.end for a in mention.actors):
                    continue  # part of a name: "the Tripoli-based government"
                if any(0 <= place.start - a.end <= 8 for a in mention.actors if a.value.get("actor_id")):
                    score += 500  # "the Government of National Accord (GNA) in Tripoli": its seat
                if mention.elsewhen(place):
                    score += 500
                if (place.start, place.end) in mention.located:
                    score -= LOCATED  # the place extraction gave the event itself
                if mention.dateline is not None and place.start == mention.dateline.start:
                    score -= 100  # the dateline: the report is filed from the meeting's town
                if _country_level(place):
                    score += COUNTRY_LEVEL
                name = str(place.value.get("name") or place.text)
                found.append((score, _cite("venue", name, place, mention,
                                           side=str(place.value.get("country") or "") or None)))
    line = mention.dateline
    if line is not None and not _country_level(line):  # the report is filed from the meeting's town
        found.append((DATELINE_SCORE, _cite("venue", str(line.value.get("name") or line.text), line, mention,
                                            side=str(line.value.get("country") or "") or None)))
    return found


def _pick_venue(mentions: list[TalkMention], forum_id: str | None) -> list[Fact]:
    """The venue most reports give (each report's best candidate), with every span that names it."""
    best: list[Fact] = []
    for mention in mentions:
        candidates = sorted(_venue_facts(mention, forum_id), key=lambda x: x[0])
        if candidates and candidates[0][0] < COUNTRY_LEVEL:
            best.append(candidates[0][1])
    if not best:
        country_level = [sorted(_venue_facts(m, forum_id), key=lambda x: x[0]) for m in mentions]
        best = [c[0][1] for c in country_level if c]
    if not best:
        return []
    votes = Counter(f.value for f in best)
    chosen = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0] or ""))[0][0]
    return [f for f in best if f.value == chosen]


def _close(a: Cluster, b: Cluster) -> bool:
    """Two clusters are one round: the same forum (or, for meetings of no known forum, the same
    venue), and the same round number when both state one, else dates within a week. Venues are not compared
    within a forum: "Genève" and "Geneva" are one venue, and the vote settles it."""
    if a.forum != b.forum:
        return False
    if a.forum is None and not (a.venue and b.venue and a.venue == b.venue):
        return False
    na, nb = a.numbers(), b.numbers()
    if na and nb:
        return bool(na & nb)  # "the second round" and "the third round" are two rounds, however close
    da, db = a.days(), b.days()
    if not da or not db:
        return False
    return (db[0] - da[-1]).days <= ROUND_DAYS and (da[0] - db[-1]).days <= ROUND_DAYS


def group_talks(mentions: list[TalkMention]) -> list[Cluster]:
    """Rounds as clusters of reports: by incident, then merged by forum, venue, days and number."""
    talks = [m for m in mentions if m.process_type == "talks"]
    by_incident: dict[str, list[TalkMention]] = {}
    raw: list[list[TalkMention]] = []
    for mention in talks:
        if mention.incident_id:
            by_incident.setdefault(mention.incident_id, []).append(mention)
        else:
            raw.append([mention])
    raw = list(by_incident.values()) + raw
    clusters: list[Cluster] = []
    for members in raw:  # fusion may join two forums' meetings of one day: split them again
        by_forum: dict[str | None, list[TalkMention]] = {}
        for mention in members:
            by_forum.setdefault(_forum_of([mention]), []).append(mention)
        known = [f for f in by_forum if f is not None]
        if len(known) == 1 and None in by_forum:
            by_forum[known[0]] += by_forum.pop(None)
        for forum_id, part in by_forum.items():
            cluster = Cluster(part, forum_id)
            venue = _pick_venue(part, forum_id)
            cluster.venue = venue[0].value if venue else None
            if cluster.forum is None and cluster.venue:  # "the conference" filed from Berlin
                cluster.forum = next((f.id for f in forums() if cluster.venue in f.venues), None)
            clusters.append(cluster)
    clusters.sort(key=lambda c: (c.days()[:1] or [dt.date.max], c.forum or "", c.venue or ""))
    merged: list[Cluster] = []
    for cluster in clusters:
        target = next((m for m in merged if _close(m, cluster)), None)
        if target is None:
            merged.append(cluster)
        else:
            target.mentions += cluster.mentions
            venue = _pick_venue(target.mentions, target.forum)
            target.venue = venue[0].value if venue else target.venue
    rounds = [c for c in merged if c.days()]
    for cluster in [c for c in merged if not c.days()]:  # an undated report joins the one round it can be
        fits = [r for r in rounds if r.forum and r.forum == cluster.forum and cluster.venue and r.venue == cluster.venue]
        if len(fits) == 1:
            fits[0].mentions += cluster.mentions
        else:
            rounds.append(cluster)
    _attach_agreements(rounds, [m for m in mentions if m.process_type == "agreement"])
    return [c for c in rounds if c.forum or c.venue]


def _attach_agreements(rounds: list[Cluster], agreements: list[TalkMention]) -> None:
    """An agreement event joins the round it came out of: the same incident, or the same
    venue on a day of the round (or the day after it)."""
    for mention in agreements:
        venue = _pick_venue([mention], None)
        for cluster in rounds:
            incidents = {m.incident_id for m in cluster.mentions if m.incident_id}
            days = cluster.days()
            same_incident = mention.incident_id is not None and mention.incident_id in incidents
            within = bool(days and mention.date and (mention.precision or 9) <= 2 and venue
                          and venue[0].value == cluster.venue
                          and days[0] <= dt.date.fromisoformat(mention.date) <= days[-1] + dt.timedelta(days=1))
            if same_incident or within:
                cluster.mentions.append(mention)
                break


def _party(actor_id: str, day: dt.date | None, country: str | None, exclude: set[str]) -> tuple[str, str, str | None] | None:
    """``(party id, party name, side)`` a delegation mention stands for (a commander: his force)."""
    actors = load_actors()
    actor = actors.get(actor_id)
    if actor is None or country is None or actor.country != country or actor.id in exclude:
        return None
    if actor.kind == "person":
        parents = actor.parents_on(day) if day else tuple(p.id for p in actor.parents)
        bodies = [actors[p] for p in parents if p in actors and actors[p].kind == "organisation"]
        if not bodies:
            return None
        actor = bodies[0]
    if actor.kind != "organisation" or actor.generated or actor.id in exclude:
        return None
    if actor.side is None and actor.inter not in (1, 2, 3, 4):
        return None
    return actor.id, actor.name, actor.side


def _code_of(country: str | None) -> str | None:
    from trucewatch.extract.actors.world import states

    wanted = (country or "").lower()
    return next((code for code, state in states().items() if state.name.lower() == wanted), None)


def _people(mention: TalkMention, country: str | None, forum_actor: str | None,
            day: dt.date | None) -> tuple[list[Fact], list[Fact]]:
    """Delegations (who sat for whom) and facilitators (who chaired, hosted or mediated)."""
    actors = load_actors()
    exclude = {forum_actor} if forum_actor else set()
    bodies = {f.kb_actor for f in forums() if f.kb_actor}  # a forum's own body facilitates nothing
    delegations: list[Fact] = []
    facilitators: list[Fact] = []
    for sentence in mention.all_sentences():
        facilitating = names_facilitation(sentence.text)
        # the event's sentences name who met; another sentence of the report only when it says who sat for whom
        seated = sentence in mention.sentences or names_delegations(sentence.text) or bool(forums_in(sentence.text))
        for span in (a for a in mention.actors if sentence.start <= a.start and a.end <= sentence.end):
            actor_id = span.value.get("actor_id")
            if not actor_id or actor_id in exclude:
                continue
            party = _party(actor_id, day, country, exclude)
            if party is not None:
                if not seated:
                    continue
                delegations.append(_cite("delegation", party[1], span, mention, actor_id=party[0], side=party[2]))
                if actors[actor_id].kind == "person":
                    delegations.append(_cite("person", span.text, span, mention, actor_id=actor_id, side=party[0]))
                continue
            actor = actors.get(actor_id)
            if facilitating and actor is not None and actor_id not in bodies and (actor.country != country or actor.side is None):
                facilitators.append(_cite("facilitator", actor.name, span, mention, actor_id=actor_id))
    for span in mention.mediators:
        resolved = [a for a in mention.actors if a.value.get("actor_id") and a.start < span.end and span.start < a.end]
        actor_id = resolved[0].value["actor_id"] if resolved else None
        if actor_id in exclude or (actor_id and _party(actor_id, day, country, exclude)):
            continue
        if forums_in(span.text) or actor_id in bodies:
            continue  # "the 5+5 commission" is a forum, not a facilitator
        name = actors[actor_id].name if actor_id and actor_id in actors else span.text
        facilitators.append(_cite("facilitator", name, span, mention, actor_id=actor_id))
    return delegations, facilitators


def _outcomes(mention: TalkMention) -> list[Fact]:
    found = []
    if mention.process_type == "agreement":  # what an agreement a round produced says is what was agreed
        stated = [s for s in mention.sentences if outcomes_in(s.text)] or mention.sentences[:1]
        return [_cite("outcome", "agreed", s, mention) for s in stated]
    for sentence in mention.all_sentences():
        if (sentence.start, sentence.end) in mention.recalled:
            continue
        for match in outcomes_in(sentence.text):
            found.append(_cite("outcome", match.label, sentence, mention))
    return found


def _round_id(country: str | None, forum_id: str | None, start: str | None, venue: str | None,
              mentions: list[TalkMention]) -> str:
    anchor = start or min(m.event_id for m in mentions)
    key = f"{country}|{forum_id}|{anchor}|{venue}"
    return "talks-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def build_round(cluster: Cluster) -> TalksRecord:
    """The round one cluster of reports makes."""
    mentions = cluster.mentions
    talks = [m for m in mentions if m.process_type == "talks"] or mentions
    spec = forum(cluster.forum) if cluster.forum else None
    facts: list[Fact] = []
    for mention in talks:
        facts += [f for f in _forum_facts(mention) if f.value == cluster.forum]
    venue = _pick_venue(talks, cluster.forum)
    facts += venue
    if cluster.forum and not any(f.field == "forum" for f in facts):  # the forum known by its venue
        facts += [Fact("forum", cluster.forum, v.document_id, v.start, v.end, v.text, v.event_id) for v in venue]
    days = cluster.days()
    best = cluster.precision()
    for mention in talks:
        if mention.date and mention.precision == best:
            facts += [_cite("date", mention.date, s, mention) for s in mention.date_evidence()]
    track_votes = Counter(t.label for m in talks for s in m.all_sentences() for t in tracks_in(s.text))
    track = spec.track if spec and spec.track else (track_votes.most_common(1)[0][0] if track_votes else None)
    for mention in talks:
        for sentence in mention.all_sentences():
            for t in tracks_in(sentence.text):
                if t.label == track:
                    facts.append(_cite("track", t.label, Span(sentence.document_id, sentence.start + t.start,
                                                              sentence.start + t.end,
                                                              sentence.text[t.start:t.end]), mention))
    numbers: list[Fact] = []
    for mention in talks:
        seen: set[tuple[int, int]] = set()
        for sentence in mention.all_sentences():
            if (sentence.start, sentence.end) in mention.recalled:
                continue
            for n in round_numbers_in(sentence.text):
                if (sentence.start + n.start, n.label) in seen:
                    continue
                seen.add((sentence.start + n.start, n.label))  # type: ignore[arg-type]
                numbers.append(_cite("round_number", n.label, Span(sentence.document_id, sentence.start + n.start,
                                                                   sentence.start + n.end,
                                                                   sentence.text[n.start:n.end]), mention))
    votes = Counter(f.value for f in numbers)
    number = sorted(votes.items(), key=lambda kv: (-kv[1], int(kv[0] or 0)))[0][0] if votes else None
    facts += [f for f in numbers if f.value == number]
    code = spec.country if spec and spec.country else None
    if code is None:
        countries = Counter(load_actors()[a.value["actor_id"]].country for m in talks for a in m.actors
                            if a.value.get("actor_id") in load_actors()
                            and load_actors()[a.value["actor_id"]].inter in (1, 2, 3, 4))
        code = countries.most_common(1)[0][0] if countries else _code_of(talks[0].country)
    day = days[0] if days else None
    for mention in mentions:
        delegations, facilitators = _people(mention, code, spec.kb_actor if spec else None, day)
        facts += delegations + facilitators + _outcomes(mention)
    facts = list(dict.fromkeys(facts))
    country = country_name(code) or code
    start = days[0].isoformat() if days else None
    end = days[-1].isoformat() if days else None
    venue_name = venue[0].value if venue else None
    label = spec.name if spec else "Talks"
    name = f"{label}{f' round {number}' if number else ''} ({venue_name or country or '?'}, {start or 'undated'})"
    record = TalksRecord(_round_id(country, cluster.forum, start, venue_name, talks), name, cluster.forum, track,
                         country, int(number) if number else None, None, start, end,
                         PRECISION[best] if days and best else None, venue_name, venue[0].side if venue else None)
    record.facts = sorted(facts, key=lambda f: (f.field, f.document_id, f.start, f.end, f.value or ""))
    return record


def build_rounds(mentions: list[TalkMention]) -> list[TalksRecord]:
    """Every round the mentions support, numbered in date order within each forum."""
    records: dict[str, TalksRecord] = {}
    for cluster in group_talks(mentions):
        record = build_round(cluster)
        if record.id in records:  # two clusters of one round: keep the evidence of both
            records[record.id].facts = sorted(set(records[record.id].facts) | set(record.facts),
                                              key=lambda f: (f.field, f.document_id, f.start, f.end, f.value or ""))
        else:
            records[record.id] = record
    by_forum: dict[str, list[TalksRecord]] = {}
    for record in records.values():
        if record.forum and record.start:
            by_forum.setdefault(record.forum, []).append(record)
    for rounds in by_forum.values():
        for position, record in enumerate(sorted(rounds, key=lambda r: (r.start or "", r.id)), start=1):
            record.sequence = position
    return sorted(records.values(), key=lambda r: (r.start or "9999", r.forum or "", r.id))
