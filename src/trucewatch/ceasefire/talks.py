"""Rounds of talks from the news: the meetings many reports describe, in any language,
become one record per round with its forum, track, number, dates, venue, delegations,
facilitators and outcomes, each value with the span of the report that says it.

Reports are grouped first by the incident fusion (one meeting across outlets), then
groups of the same forum that state the same round number, or whose dates lie within
a week of each other (a round lasts days: "sat down on Tuesday", "ended on Sunday") and
that state no different numbers, are merged. Venues, delegations and facilitators are
found by ``talks_venue`` and ``talks_people``. An undated report joins the one round of its forum held at its venue. An
agreement event joins the round it came out of (the same incident, or its venue within
the round's days) as an outcome.

A group becomes a round only when it names its forum or its venue: a bare "talks" with
neither is nothing a monitor can list. Only ``main`` reports found a round; background
recollections of earlier rounds are left to the round's own reports.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass

from trucewatch.ceasefire.mentions import country_name
from trucewatch.ceasefire.talks_people import people
from trucewatch.ceasefire.talks_read import Span, TalkMention
from trucewatch.ceasefire.talks_record import Fact, TalksRecord, cite
from trucewatch.ceasefire.talks_terms import (
    forum,
    forums,
    forums_in,
    looks_ahead,
    outcomes_in,
    round_numbers_in,
    tells_the_end,
    tracks_in,
)
from trucewatch.ceasefire.talks_venue import pick_venue
from trucewatch.extract.actors import load_actors

#: How far apart two reports of one round may date it (a round lasts days, not weeks).
ROUND_DAYS = 7
PRECISION = {1: "day", 2: "week", 3: "month"}
#: The longest meeting whose length gives its first day (a longer "60-day" figure is no meeting's).
MAX_DAYS = 14


@dataclass
class Cluster:
    """The reports of one round, as grouping gathers them."""

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


def _forum_facts(mention: TalkMention) -> list[Fact]:
    """The forums a report names, in its event's sentences first (the context only when those name
    none); a sentence about a meeting to come names no forum of this one."""
    for pool in ([s for s in mention.sentences if not looks_ahead(s.text)],
                 [s for s in mention.context if not looks_ahead(s.text)]):
        found = [cite("forum", m.label, Span(s.document_id, s.start + m.start, s.start + m.end,
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
            venue = pick_venue(part, forum_id)
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
            venue = pick_venue(target.mentions, target.forum)
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
        venue = pick_venue([mention], None)
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


def _code_of(country: str | None) -> str | None:
    from trucewatch.extract.actors.world import states

    wanted = (country or "").lower()
    return next((code for code, state in states().items() if state.name.lower() == wanted), None)


def _openings(mention: TalkMention) -> list[tuple[dt.date, Fact]]:
    """The day a meeting opened, from its length and its last day: "ended a three-day meeting
    on Wednesday" (4 November) opened on 2 November. Cited by the length's span."""
    if not mention.date or mention.process_type != "talks":
        return []
    last = dt.date.fromisoformat(mention.date)
    found = []
    for sentence in mention.all_sentences():
        if (sentence.start, sentence.end) in mention.recalled or not tells_the_end(sentence.text):
            continue
        for time in mention.times:
            length = re.fullmatch(r"P(\d+)D", str(time.value.get("value") or ""))
            if length and sentence.start <= time.start and time.end <= sentence.end and 1 < int(length[1]) <= MAX_DAYS:
                first = last - dt.timedelta(days=int(length[1]) - 1)
                found.append((first, cite("opened", first.isoformat(), time, mention)))
    return found


def _outcomes(mention: TalkMention) -> list[Fact]:
    found = []
    if mention.process_type == "agreement":  # what an agreement a round produced says is what was agreed
        stated = [s for s in mention.sentences if outcomes_in(s.text)] or mention.sentences[:1]
        return [cite("outcome", "agreed", s, mention) for s in stated]
    for sentence in mention.all_sentences():
        if (sentence.start, sentence.end) in mention.recalled:
            continue
        for match in outcomes_in(sentence.text):
            found.append(cite("outcome", match.label, sentence, mention))
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
    venue = pick_venue(talks, cluster.forum)
    facts += venue
    if cluster.forum and not any(f.field == "forum" for f in facts):  # the forum known by its venue
        facts += [Fact("forum", cluster.forum, v.document_id, v.start, v.end, v.text, v.event_id) for v in venue]
    days = cluster.days()
    best = cluster.precision()
    for mention in talks:
        if mention.date and mention.precision == best:
            facts += [cite("date", mention.date, s, mention) for s in mention.date_evidence()]
    openings = [o for m in talks if days and m.date and m.precision == best for o in _openings(m)]
    if openings and min(o[0] for o in openings) < days[0]:  # "ended a three-day meeting": it opened before
        first = min(o[0] for o in openings)
        days = [first] + days
        facts += [o[1] for o in openings if o[0] == first]
    track_votes = Counter(t.label for m in talks for s in m.all_sentences() for t in tracks_in(s.text))
    track = spec.track if spec and spec.track else (track_votes.most_common(1)[0][0] if track_votes else None)
    for mention in talks:
        for sentence in mention.all_sentences():
            for t in tracks_in(sentence.text):
                if t.label == track:
                    facts.append(cite("track", t.label, Span(sentence.document_id, sentence.start + t.start,
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
                numbers.append(cite("round_number", n.label, Span(sentence.document_id, sentence.start + n.start,
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
        delegations, facilitators = people(mention, code, spec.kb_actor if spec else None, day)
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
