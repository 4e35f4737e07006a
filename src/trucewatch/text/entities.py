"""One reading of a document by the NER model, shared by places and actors.

The model is most of the time a document takes, so it runs once per document
(:func:`ner_result`) and both recognisers read the same :class:`NerResult`: entity spans
and where proper nouns start, already shifted to offsets in the whole text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
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
#: Where a sentence may end: after ., ! or ? (and closing quotes or brackets) and the space
#: after them, or after a line end. An abbreviation's full stop cuts too, which only makes
#: the pieces finer.
_SENTENCE_END = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*[ \t]+|\n+")
_FIRST_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")


@dataclass
class NerResult:
    """What recognition needs from the model: entity spans and where proper nouns start.

    Built from one spaCy Doc, or from the Docs of a text's pieces (:func:`ner_doc`)."""

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


@lru_cache(maxsize=1)
def _everyday_words() -> frozenset[str]:
    """English function words (spaCy's stop list), which start many sentences and name nothing."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def nlp_has_tagger(nlp: Any) -> bool:
    """Whether the pipeline tags proper nouns (``TRUCEWATCH_NER_TAGGER=on``)."""
    return "tagger" in getattr(nlp, "pipe_names", ())


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


def _sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the text's sentences, roughly: cut after ``.``, ``!`` or ``?`` and
    the space after them, and after line ends. Together they cover the text exactly."""
    cuts = [m.end() for m in _SENTENCE_END.finditer(text)]
    bounds = [0, *(c for c in cuts if 0 < c < len(text)), len(text)]
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]


def _may_hold_a_name(sentence: str) -> bool:
    """Whether the model could find a name here: a capital letter anywhere but the first
    letter, or a first word that is not an everyday word ("Kabul was quiet" counts, "The
    talks went on" does not). Labels of names are all we read from the model."""
    first = _FIRST_WORD.search(sentence)
    if first is None:
        return False
    if any(c.isupper() for c in sentence[first.start() + 1:]):
        return True
    return first.group()[:1].isupper() and first.group().casefold() not in _everyday_words()


def _readable_runs(text: str) -> list[tuple[int, int]]:
    """The runs of consecutive sentences that may hold a name: only these go to the model.
    News text has about a sixth of its characters in sentences with no capital but the first
    word's (measured on 2,000 news texts of the dev data, 2026-12-07)."""
    runs: list[tuple[int, int]] = []
    for start, end in _sentences(text):
        if not _may_hold_a_name(text[start:end]):
            continue
        if runs and runs[-1][1] == start:
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((start, end))
    return runs


class _Joined:
    """The runs of a text joined by line ends into one text for the model, and the way back
    from its offsets to the original's. One text, not one per run: each call of the model
    costs about 3.5 ms whatever its length, more than the skipped sentences save."""

    SEPARATOR = "\n"

    def __init__(self, text: str, runs: list[tuple[int, int]]) -> None:
        self.text = self.SEPARATOR.join(text[s:e] for s, e in runs)
        self._at: list[int] = []  # where each run starts in the joined text
        self._origin: list[int] = []  # and in the original
        position = 0
        for s, e in runs:
            self._at.append(position)
            self._origin.append(s)
            position += e - s + len(self.SEPARATOR)

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """The original offsets of a span of the joined text; None if it crosses a joint."""
        i = bisect_right(self._at, start) - 1
        j = bisect_right(self._at, max(start, end - 1)) - 1
        if i != j:
            return None
        shift = self._origin[i] - self._at[i]
        return start + shift, end + shift


def ner_doc(nlp: Any, text: str, lang: str | None) -> NerResult | None:
    """The model's reading of ``text``: of its sentences that may hold a name, in pieces when
    long; None when it does not apply."""
    if nlp is None or lang not in NER_LANGUAGES or not text.strip():
        return None
    clean = _SURROGATE.sub("\ufffd", text)  # a lone surrogate crashes the tokenizer; same length
    joined = _Joined(clean, _readable_runs(clean))
    pieces = _pieces(joined.text)
    result = NerResult([], None if not nlp_has_tagger(nlp) else set())
    # batch_size=1: a batch would hold every piece's working memory at once, as one text would
    for (start, _end), doc in zip(pieces, nlp.pipe((joined.text[s:e] for s, e in pieces), batch_size=1)):
        piece = NerResult.of(doc, start)
        for s, e, label in piece.spans:
            back = joined.span(s, e)
            if back is not None:
                result.spans.append((*back, label))
        if piece.propn is None:  # a piece without tags: no proper-noun reading for the text
            result.propn = None
        elif result.propn is not None:
            result.propn |= {b[0] for p in piece.propn if (b := joined.span(p, p + 1)) is not None}
    return result


def ner_result(text: str, lang: str | None, use_ner: bool = True) -> NerResult | None:
    """The NER model's entities for ``text`` (None without the model): run once, shared by
    places and actors, since the model is most of the time a document takes."""
    nlp = load_ner()[0] if use_ner else None
    return ner_doc(nlp, text, lang)
