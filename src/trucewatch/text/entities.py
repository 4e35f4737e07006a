"""One reading of a document by the NER model, shared by places and actors.

The model is most of the time a document takes, so it runs once per document
(:func:`ner_result`) and both recognisers read the same :class:`NerResult`: entity spans
and where proper nouns start, already shifted to offsets in the whole text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from trucewatch.text.ner import load_ner

#: NER reads English; other languages rely on the gazetteer (which reads Arabic script too).
NER_LANGUAGES = (None, "", "en")
#: Texts longer than this go to the model in pieces, cut at paragraph ends, one piece at a time.
#: The model's working memory grows with the text it holds: a 100,000-character text in one
#: piece took 330 MB above the model's own 140 MB, in 10,000-character pieces 26 MB, with
#: the same entities (2026-12-07, 54 news articles joined).
NER_MAX_CHARS = 10_000

_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class NerResult:
    """What recognition needs from the model: entity spans and where proper nouns start.

    Built from one spaCy Doc, or from the Docs of a long text's pieces (:meth:`extend`)."""

    spans: list[tuple[int, int, str]]
    #: Where the tagger's proper nouns start; None when the pipeline has no tagger
    #: (the default; ``TRUCEWATCH_NER_TAGGER=on`` adds it, see ``trucewatch.text.ner.TAGGER_PIPES``).
    propn: set[int] | None

    @classmethod
    def of(cls, doc: Any, offset: int = 0) -> NerResult:
        spans = [(e.start_char + offset, e.end_char + offset, e.label_) for e in doc.ents]
        if not doc.has_annotation("TAG"):
            return cls(spans, None)
        return cls(spans, {offset + i for i in _proper_noun_starts(doc)})

    def extend(self, other: NerResult) -> None:
        self.spans.extend(other.spans)
        if self.propn is not None and other.propn is not None:
            self.propn |= other.propn
        elif other.propn is None:
            self.propn = None


def _proper_noun_starts(doc: Any) -> set[int]:
    """Character offsets of the tokens tagged NNP/NNPS (one array read, not a Python loop).

    Whitespace tokens never count: the model's attribute ruler (not run, see
    ``trucewatch.text.ner.EXCLUDED``) would have re-tagged them ``_SP`` whatever the tagger said."""
    from spacy.attrs import IDX, IS_SPACE, TAG

    strings = doc.vocab.strings
    wanted = {strings.add("NNP"), strings.add("NNPS")}
    return {int(idx) for idx, tag, space in doc.to_array([IDX, TAG, IS_SPACE]).tolist()
            if tag in wanted and not space}


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


def ner_doc(nlp: Any, text: str, lang: str | None) -> NerResult | None:
    """The model's reading of ``text`` (in pieces when long), or None when it does not apply."""
    if nlp is None or lang not in NER_LANGUAGES or not text.strip():
        return None
    clean = _SURROGATE.sub("\ufffd", text)  # a lone surrogate crashes the tokenizer; same length
    result: NerResult | None = None
    pieces = _pieces(clean)
    # batch_size=1: a batch would hold every piece's working memory at once, as one text would
    for (start, end), doc in zip(pieces, nlp.pipe((clean[s:e] for s, e in pieces), batch_size=1)):
        piece = NerResult.of(doc, start)
        if result is None:
            result = piece
        else:
            result.extend(piece)
    return result if result is not None else NerResult([], None)


def ner_result(text: str, lang: str | None, use_ner: bool = True) -> NerResult | None:
    """The NER model's entities for ``text`` (None without the model): run once, shared by
    places and actors, since the model is most of the time a document takes."""
    nlp = load_ner()[0] if use_ner else None
    return ner_doc(nlp, text, lang)
