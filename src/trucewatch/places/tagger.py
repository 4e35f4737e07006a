"""The library entry point: ``tag_places(text)`` -> resolved places, with spans."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from trucewatch.places.gazetteer import Gazetteer, open_gazetteer
from trucewatch.places.model import Mention, Place
from trucewatch.places.ner import load_ner
from trucewatch.places.recognise import recognise
from trucewatch.places.resolve import Resolver

#: NER reads English; other languages rely on the gazetteer (which reads Arabic script too).
NER_LANGUAGES = (None, "", "en")
#: Texts longer than this are cut into pieces for the model (spaCy's own limit is 1,000,000).
NER_MAX_CHARS = 100_000


def _ner_doc(nlp: Any, text: str, lang: str | None) -> Any | None:
    if nlp is None or lang not in NER_LANGUAGES or len(text) > NER_MAX_CHARS:
        return None
    return nlp(text)


def tag_places(
    text: str,
    *,
    lang: str | None = None,
    gazetteer: Gazetteer | None = None,
    gazetteer_path: Path | None = None,
    use_ner: bool = True,
    country_hint: str | None = None,
) -> list[Place]:
    """Find and resolve every place named in ``text``.

    ``country_hint`` (ISO2) is what the caller already knows the document is about.
    Without the NER model (or with ``use_ner=False``) recognition uses the gazetteer only.
    """
    gaz = gazetteer or open_gazetteer(gazetteer_path)
    nlp = load_ner()[0] if use_ner else None
    doc = _ner_doc(nlp, text, lang)
    return resolve_mentions(text, recognise(text, gaz, doc), gaz, country_hint)


def resolve_mentions(text: str, mentions: list[Mention], gazetteer: Gazetteer,
                     country_hint: str | None = None) -> list[Place]:
    return Resolver(gazetteer).resolve(text, mentions, country_hint)


def tag_many(
    texts: Iterable[tuple[str, str | None]],
    *,
    gazetteer: Gazetteer | None = None,
    use_ner: bool = True,
    batch_size: int = 32,
) -> Iterator[list[Place]]:
    """``tag_places`` over ``(text, lang)`` pairs, running the model in batches (faster)."""
    gaz = gazetteer or open_gazetteer()
    nlp = load_ner()[0] if use_ner else None
    pending: list[tuple[str, str | None]] = []

    def flush() -> Iterator[list[Place]]:
        if nlp is not None:
            runnable = [t for t, lang in pending if lang in NER_LANGUAGES and len(t) <= NER_MAX_CHARS]
            docs = iter(nlp.pipe(runnable, batch_size=batch_size))
        for text, lang in pending:
            doc = next(docs) if nlp is not None and lang in NER_LANGUAGES and len(text) <= NER_MAX_CHARS else None
            yield resolve_mentions(text, recognise(text, gaz, doc), gaz)
        pending.clear()

    for item in texts:
        pending.append(item)
        if len(pending) >= batch_size:
            yield from flush()
    yield from flush()
