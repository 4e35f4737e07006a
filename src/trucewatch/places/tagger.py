"""The library entry point: ``tag_places(text)`` -> resolved places, with spans."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from trucewatch.places.gazetteer import Gazetteer, open_gazetteer
from trucewatch.places.model import Mention, Place
from trucewatch.places.ner import load_ner
from trucewatch.places.recognise import NerResult, recognise
from trucewatch.places.resolve import Resolver

#: NER reads English; other languages rely on the gazetteer (which reads Arabic script too).
NER_LANGUAGES = (None, "", "en")
#: Texts longer than this go to the model in pieces, cut at paragraph ends (spaCy's own limit is 1,000,000).
NER_MAX_CHARS = 100_000


_SURROGATE = re.compile("[\ud800-\udfff]")


def _pieces(text: str, limit: int = NER_MAX_CHARS) -> list[tuple[int, int]]:
    """``(start, end)`` pieces of at most ``limit`` characters, cut at paragraph or line ends."""
    pieces, start = [], 0
    while len(text) - start > limit:
        cut = max(text.rfind("\n\n", start, start + limit), text.rfind("\n", start, start + limit),
                  text.rfind(". ", start, start + limit))
        end = cut + 1 if cut > start else start + limit
        pieces.append((start, end))
        start = end
    pieces.append((start, len(text)))
    return pieces


def _ner_doc(nlp: Any, text: str, lang: str | None) -> NerResult | None:
    """The model's reading of ``text`` (in pieces when long), or None when it does not apply."""
    if nlp is None or lang not in NER_LANGUAGES or not text.strip():
        return None
    clean = _SURROGATE.sub("\ufffd", text)  # a lone surrogate crashes the tokenizer; same length
    result = NerResult([], set())
    pieces = _pieces(clean)
    for (start, end), doc in zip(pieces, nlp.pipe(clean[s:e] for s, e in pieces)):
        result.extend(NerResult.of(doc, start))
    return result


def ner_result(text: str, lang: str | None, use_ner: bool = True) -> NerResult | None:
    """The NER model's entities for ``text`` (None without the model): run once, shared by
    places and actors, since the model is most of the time a document takes."""
    nlp = load_ner()[0] if use_ner else None
    return _ner_doc(nlp, text, lang)


_NO_NER = object()


def tag_places(
    text: str,
    *,
    lang: str | None = None,
    gazetteer: Gazetteer | None = None,
    gazetteer_path: Path | None = None,
    use_ner: bool = True,
    country_hint: str | None = None,
    ner: NerResult | None | object = _NO_NER,
) -> list[Place]:
    """Find and resolve every place named in ``text``.

    ``country_hint`` (ISO2) is what the caller already knows the document is about.
    Without the NER model (or with ``use_ner=False``) recognition uses the gazetteer only.
    ``ner``, when given, is the model's reading of ``text`` from :func:`ner_result`.
    """
    gaz = gazetteer or open_gazetteer(gazetteer_path)
    doc = ner_result(text, lang, use_ner) if ner is _NO_NER else ner
    assert doc is None or isinstance(doc, NerResult)
    return resolve_mentions(text, recognise(text, gaz, doc), gaz, country_hint)


def resolve_mentions(text: str, mentions: list[Mention], gazetteer: Gazetteer,
                     country_hint: str | None = None) -> list[Place]:
    return Resolver(gazetteer).resolve(text, mentions, country_hint)


def tag_many(
    texts: Iterable[tuple[str, str | None]],
    *,
    gazetteer: Gazetteer | None = None,
    use_ner: bool = True,
) -> Iterator[list[Place]]:
    """``tag_places`` over ``(text, lang)`` pairs, opening the gazetteer and the model once."""
    gaz = gazetteer or open_gazetteer()
    nlp = load_ner()[0] if use_ner else None
    for text, lang in texts:
        yield resolve_mentions(text, recognise(text, gaz, _ner_doc(nlp, text, lang)), gaz)
