"""Actor mentions: who a sentence names, resolved against the knowledge base where possible.

``tag_actors(text)`` returns non-overlapping spans, each one of three kinds:

``kb``
    a name the knowledge base knows (``actors.yaml``), found by the longest run of up to
    :data:`MAX_TOKENS` tokens whose folded key (:func:`trucewatch.extract.actors.alias_key`) is an
    alias, in Latin or Arabic script. Around such a name the tagger also reads the phrases
    the press builds on it: "Haftar's forces", "the forces of Haftar", "forces loyal to
    retired Major General Khalifa Haftar", "Haftar-led fighters", "LNA fighters", "Houthi
    fighters", "قوات حفتر", "Haftar's delegation"; they name the armed force (or the
    organisation a delegate speaks for), which the KB's parent links give ("Haftar" ->
    the LNA, "Sarraj" -> the Presidential Council -> the GNA -> GNA forces).
``generic``
    the unnamed actors ACLED codes by category and country: gunmen, police, soldiers,
    protesters, rioters, civilians, rebels (English, French and some Arabic), named as
    ACLED does ("Military Forces of Somalia", "Civilians (Kenya)"); a country demonym
    before the noun ("Somali soldiers", "soldats maliens" after it in French) sets the
    country, otherwise the caller's ``country`` does.
``ner``
    a person, organisation or group the NER model found that the KB does not know; it is
    kept with its own name and never forced onto a known actor. News agencies and
    broadcasters (``resources/actors/not_actors.txt``), places and nationalities are not
    actors and are dropped.

A name two actors share (``shared_aliases`` in the YAML) stays unresolved (``actor_id``
None, every candidate listed) unless the KB makes the choice certain: only one candidate
is active on ``day`` (from its roles' and memberships' dates) or only one belongs to
``country``.

Without the NER model everything except ``ner`` mentions still works; the alias index is
built once per process and a sentence is scanned with one regular expression and set
look-ups, so the tagger reads thousands of short sentences per second.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from trucewatch.extract.actors import agents
from trucewatch.extract.actors.generic import generic_at
from trucewatch.extract.actors.kb import alias_key, load_actors
from trucewatch.extract.actors.ner_names import entity_spans, ner_candidates
from trucewatch.extract.actors.offices import acled_generic, acled_name, body_of_person
from trucewatch.extract.actors.reasoning import pick
from trucewatch.extract.actors.scan import (
    absorb_title,
    extend_phrase,
    generated_state,
    is_person,
    other_person,
    scan_names,
    state_in_longer_name,
)
from trucewatch.extract.actors.spans import Candidate, Tokens
from trucewatch.extract.actors.vocabulary import GENERIC_LEXICON


@dataclass(frozen=True)
class ActorMention:
    """One actor named in a text: the span, and what the KB (or the category) makes of it."""

    start: int
    end: int
    text: str
    actor_id: str | None
    candidates: tuple[str, ...]
    name: str
    inter: int | None
    kind: str
    label: str | None
    country: str | None
    body: str | None = None  # for a person in office: the body they act for on the day (a government)
    acled: str | None = None  # ACLED's name with the administration's years ("Military Forces of Israel (2022-)")


def _languages(lang: str | None) -> frozenset[str] | None:
    if not lang:
        return None
    base = lang.split("-")[0].casefold()
    return frozenset({base}) if base in GENERIC_LEXICON else None


def _select(cands: list[Candidate]) -> list[Candidate]:
    """No two spans overlap: KB before generic before NER, then the longer, then the earlier."""
    chosen: list[Candidate] = []
    for c in sorted(cands, key=lambda c: (c.prio, -(c.end - c.start), c.start)):
        if c.end <= c.start:
            continue
        if all(c.end <= o.start or o.end <= c.start for o in chosen):
            chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)


#: A short all-capital name ("DNR", "RSF", "ADF", "M23"): many bodies share one.
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&+-]{1,5}")


def _acronym_elsewhere(span: str, actor_country: str | None, kind: str, generated: bool,
                       named_countries: frozenset[str] | None) -> bool:
    """Whether an organisation's acronym is read in a document about other countries only:
    "DNR" in a Wisconsin hunting story is the Department of Natural Resources, not the
    Donetsk People's Republic; "RSF" in a press-freedom report on Mexico is Reporters Without
    Borders, not Sudan's Rapid Support Forces. It stays unresolved there. A neighbouring
    country counts as the actor's own ("the RSF" in a report from Adré, Chad). A document that
    names no place, a state, a person and an actor without a country are left alone."""
    if not named_countries or generated or kind != "organisation" or not actor_country:
        return False
    if not _ACRONYM.fullmatch(span) or actor_country in named_countries:
        return False
    from trucewatch.extract.actors.world import neighbours

    return not (neighbours().get(actor_country, frozenset()) & named_countries)


def _finish(text: str, c: Candidate, day: dt.date | None, country: str | None,
            named_countries: frozenset[str] | None = None) -> ActorMention:
    actors = load_actors()
    span = text[c.start : c.end]
    if c.kind == "kb":
        picked = pick(c.ids, day, country)
        if picked is not None and _acronym_elsewhere(span, actors[picked].country, actors[picked].kind,
                                                      actors[picked].generated, named_countries):
            return ActorMention(c.start, c.end, span, None, tuple(dict.fromkeys(c.ids)), span, None, "kb", None, None)
        if picked is not None:
            a = actors[picked]
            body = body_of_person(a, day) if a.kind == "person" else None
            inter = a.inter
            if a.generated and inter == 1 and country and a.country and a.country != country:
                inter = 8  # ACLED: a state's forces abroad are external forces
            return ActorMention(c.start, c.end, span, picked, tuple(dict.fromkeys(c.ids + c.extra.get("also", ()))),
                                a.name, inter, "kb", None, a.country, body, acled_name(a, day))
        inters = {actors[i].inter for i in c.ids}
        countries = {actors[i].country for i in c.ids}
        return ActorMention(c.start, c.end, span, None, tuple(dict.fromkeys(c.ids)), span,
                            inters.pop() if len(inters) == 1 else None, "kb", None,
                            countries.pop() if len(countries) == 1 else None)
    name = c.name or span
    acled = acled_generic(name, c.country, day) if c.kind == "generic" else None
    return ActorMention(c.start, c.end, span, None, (), name, c.inter, c.kind, c.label, c.country, None, acled)


def tag_actors(
    text: str,
    *,
    lang: str | None = None,
    use_ner: bool = True,
    country: str | None = None,
    day: dt.date | None = None,
    nlp_doc: object | None = None,
    named_countries: frozenset[str] | None = None,
) -> list[ActorMention]:
    """Every actor named in ``text``, sorted by position, no two overlapping.

    ``lang`` ("en", "fr", "ar"; None: any) picks the generic vocabulary and whether the
    English NER model applies; ``country`` (ISO2) is the country of generic actors that
    no demonym places, and breaks ties between KB actors sharing a name; ``day`` picks,
    among actors sharing a name, the one the KB shows active then, and the membership in
    force for "X's forces". ``nlp_doc`` is a spaCy Doc (or places' ``NerResult``) over
    exactly ``text``, for callers that already ran the model; with it no model is loaded.
    ``named_countries`` (ISO2 of every place the document names, when known) keeps an armed
    group's acronym from resolving in a story about other countries (:func:`_acronym_elsewhere`).
    """
    if not text or not text.strip():
        return []
    langs = _languages(lang)
    toks = Tokens(text)
    ner_spans = entity_spans(text, lang, use_ner, nlp_doc)
    ner_on = ner_spans is not None
    spans = ner_spans or []
    kb, generic_hits = scan_names(toks, langs)
    kept: list[Candidate] = []
    for c in kb:
        if is_person(c):
            if other_person(toks, c, spans):
                continue
            absorb_title(toks, c)
        if not generated_state(c):  # "army of Mali" stays the generic phrase, named as ACLED does
            extend_phrase(toks, c, day)
        if state_in_longer_name(toks, c):
            continue  # "Michael Jordan", "the Niger River", "Chad Smith"
        if not c.resolved and agents.located_state(toks, c.extra["first"], c.start, c.ids, alias_key(text[c.start:c.end])):
            continue  # "in Niger", "في تركيا": a place
        kept.append(c)
    # a generated state's bare name belongs to a generic phrase built on it ("Kenya's police")
    bare_states = [c for c in kept if generated_state(c)]
    named = [c for c in kept if not generated_state(c)]
    cands = list(kept)
    generics = []
    for hit in generic_hits:
        g = generic_at(toks, hit, named, spans, ner_on, langs, country, day)
        if g is not None:
            generics.append(g)
    cands = named + generics + [c for c in bare_states
                                if not any(g.start < c.end and c.start < g.end for g in generics)]
    for found in agents.titles(text, day, lang.split('-')[0].casefold() if lang else None) + agents.capitals(toks, frozenset({lang.split('-')[0].casefold()}) if lang else None):
        cands.append(Candidate(found.start, found.end, 0, "kb", ids=found.ids[:1], resolved=True,
                           extra={"also": found.ids[1:], "rule": found.rule}))
    if ner_on:
        cands.extend(ner_candidates(text, spans))
    return [_finish(text, c, day, country, named_countries) for c in _select(cands)]
