"""Where a round was held: each report's best place by a score, then the place most reports give.

A place scores well near a word about the meeting ("talks in Geneva"), in the event's
first sentences, where extraction placed the event, or as the dateline; badly inside
another forum's name ("formed after the Berlin conference"), where delegations came from
("delegations from Tripoli"), as a party's seat ("the GNA in Tripoli"), dated another
day ("the meeting in Geneva on 8 October"), or as a whole country.
"""

from __future__ import annotations

import re
from collections import Counter

from trucewatch.ceasefire.talks_read import Span, TalkMention
from trucewatch.ceasefire.talks_record import Fact, cite
from trucewatch.ceasefire.talks_terms import forums_in

#: Venue scores (lower is better; see venue_candidates): a place in a sentence with no word about
#: the meeting, a place in the report's other sentences, the event's own place as extraction
#: found it (a bonus), the dateline's place.
NO_CUE = 800
CONTEXT = 500
LOCATED = 300
COUNTRY_LEVEL = 2000
DATELINE_SCORE = 1900
_FROM = re.compile(r"(?:\bfrom|\bde|\bdesde|\bda|\bиз|\bdan|من)\s+(?:the\s+|la\s+|le\s+|l')?$", re.IGNORECASE)


def country_level(place: Span) -> bool:
    """A country ("Libya", "Egyptian"): the venue only when a report names nothing finer."""
    return str(place.value.get("feature_code") or "").startswith("PCL") or place.value.get("kind") == "demonym"


def venue_candidates(mention: TalkMention, forum_id: str | None) -> list[tuple[int, Fact]]:
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
                if country_level(place):
                    score += COUNTRY_LEVEL
                name = str(place.value.get("name") or place.text)
                found.append((score, cite("venue", name, place, mention,
                                           side=str(place.value.get("country") or "") or None)))
    line = mention.dateline
    if line is not None and not country_level(line):  # the report is filed from the meeting's town
        found.append((DATELINE_SCORE, cite("venue", str(line.value.get("name") or line.text), line, mention,
                                            side=str(line.value.get("country") or "") or None)))
    return found


def pick_venue(mentions: list[TalkMention], forum_id: str | None) -> list[Fact]:
    """The venue most reports give (each report's best candidate), with every span that names it."""
    best: list[Fact] = []
    for mention in mentions:
        candidates = sorted(venue_candidates(mention, forum_id), key=lambda x: x[0])
        if candidates and candidates[0][0] < COUNTRY_LEVEL:
            best.append(candidates[0][1])
    if not best:
        country_level = [sorted(venue_candidates(m, forum_id), key=lambda x: x[0]) for m in mentions]
        best = [c[0][1] for c in country_level if c]
    if not best:
        return []
    votes = Counter(f.value for f in best)
    chosen = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0] or ""))[0][0]
    return [f for f in best if f.value == chosen]
