"""Actors the NER model found that the knowledge base does not know.

They keep their own name and are never forced onto a known actor; agencies, broadcasters,
places and nationalities are not actors and are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from trucewatch.extract.actors.alias_index import alias_index
from trucewatch.extract.actors.kb import alias_key
from trucewatch.extract.actors.spans import TOKEN_RE, Candidate, token_info
from trucewatch.extract.actors.vocabulary import NER_ACTOR_LABELS, PLAIN_WORDS
from trucewatch.text.entities import NerResult, ner_doc
from trucewatch.text.ner import load_ner
from trucewatch.text.script import is_arabic

TRIM_LEFT = re.compile(r"^(?:the|The|THE)\s+")
TRIM_RIGHT = re.compile(r"(?:['’]s?|[\s,.;:]+)$")
_MEDIA_END = re.compile(r"\b(?:News|TV|Television|Radio|Times|Herald|Gazette|Tribune|Daily|News\s+Agency|Press)$")
#: Last words that make an entity a place, a facility or an event the model took for an actor.
_NOT_ACTOR_END = re.compile(
    r"\b(?:airport|air\s+base|airbase|base|port|road|street|square|hospital|school|crossing|camp|prison|mosque|"
    r"hotel|field|refinery|terminal|conference|summit|agreement|declaration|protocol|memorandum|talks|accords?|"
    r"treaty|ceasefire|truce)$",
    re.IGNORECASE,
)


def trim_entity(text: str, start: int, end: int) -> tuple[int, str]:
    span = text[start:end]
    left = TRIM_LEFT.match(span)
    if left:
        start += left.end()
        span = span[left.end():]
    span = TRIM_RIGHT.sub("", span)
    return start, span


def entity_spans(text: str, lang: str | None, use_ner: bool, nlp_doc: object | None) -> list[tuple[int, int, str]] | None:
    """Entity spans ``(start, end, label)`` from ``nlp_doc`` or the model, None when NER is off."""
    if nlp_doc is not None:
        if isinstance(nlp_doc, NerResult):
            return list(nlp_doc.spans)
        return [(e.start_char, e.end_char, e.label_) for e in nlp_doc.ents]  # type: ignore[attr-defined]
    if not use_ner or is_arabic(text):
        return None
    nlp = load_ner()[0]
    if nlp is None:
        return None
    result = ner_doc(nlp, text, lang)
    return sorted(result.spans) if result is not None else None


def ner_candidates(text: str, spans: Sequence[tuple[int, int, str]]) -> list[Candidate]:
    index = alias_index()
    out = []
    for s, e, label in spans:
        if label not in NER_ACTOR_LABELS:
            continue
        start, name = trim_entity(text, s, e)
        if len(name) < 2 or not any(c.isupper() for c in name):
            continue
        key = alias_key(name)
        if not key or key in index.not_actors or _MEDIA_END.search(name) or _NOT_ACTOR_END.search(name):
            continue
        if label == "NORP" and key in index.people_demonyms:
            continue  # "Libyan", "Somalis": a nationality, not an actor
        if key in index.generic or all(token_info(w)[1] in PLAIN_WORDS for w in TOKEN_RE.findall(name)):
            continue  # "Police", "President": a title or a plain word, not a name
        out.append(Candidate(start, start + len(name), 2, "ner", name=name, label=label))
    return out
