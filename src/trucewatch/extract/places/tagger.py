"""The library entry point: ``tag_places(text)`` -> resolved places, with spans."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from trucewatch.extract.places.gazetteer import Gazetteer, open_gazetteer
from trucewatch.extract.places.model import Mention, Place
from trucewatch.extract.places.recognise import recognise
from trucewatch.extract.places.resolve import Resolver
from trucewatch.text.entities import NerResult, ner_doc, ner_result
from trucewatch.text.ner import load_ner

__all__ = ["ner_result", "resolve_mentions", "tag_many", "tag_places"]

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
    return resolve_mentions(text, recognise(text, gaz, doc, lang), gaz, country_hint)


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
        yield resolve_mentions(text, recognise(text, gaz, ner_doc(nlp, text, lang), lang), gaz)
