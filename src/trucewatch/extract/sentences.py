"""Sentences: the unit of evidence every later stage points into.

Paragraph breaks always end a sentence (headlines and subheadings have no full stop);
inside a paragraph spaCy's rule-based sentencizer splits on sentence-final punctuation
of any script. Scraped pages often glue a full stop to the next sentence ("...المرصد
السوري.وفي أول تجدد", "the truce held.The army said"); such a stop ends a sentence too
when it follows a word and opens an Arabic word or a capitalised Latin or Cyrillic word
(not "U.S.Army", "reuters.com" or "2.5"). Spans are trimmed, so a sentence's text is
exactly ``text[start:end]``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from trucewatch.pipeline.stage import Annotation, DocumentInput, StageOutput

_PARAGRAPH = re.compile(r"[^\n]+")
#: A sentence-final mark glued to the next sentence's first word.
_GLUED = re.compile(r"(?<=[^\W\d_]{2})[.!?](?=[A-ZА-ЯЁ][a-zа-яё])|(?<=[^\s.])[.!؟](?=[\u0621-\u064A])")


@lru_cache(maxsize=1)
def _nlp() -> Any:
    import spacy

    nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")
    return nlp


def split_sentences(text: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of each sentence of ``text``, trimmed of surrounding space."""
    nlp = _nlp()
    for para in _PARAGRAPH.finditer(text):
        base = para.start()
        for sent in nlp(para.group()).sents:
            chunk = sent.text
            stripped = chunk.strip()
            if not stripped:
                continue
            start = base + sent.start_char + (len(chunk) - len(chunk.lstrip()))
            at = 0
            for glued in _GLUED.finditer(stripped):
                yield start + at, start + glued.end()
                at = glued.end()
            yield start + at, start + len(stripped)


class SentenceStage:
    """Pipeline stage that stores one ``sentence`` annotation per sentence."""

    name = "sentences"
    version = "1.1"  # 1.1: full stops glued to the next sentence split it
    requires: tuple[str, ...] = ()

    def process(self, doc: DocumentInput, upstream: Mapping[str, StageOutput]) -> StageOutput:
        return StageOutput(
            annotations=[Annotation("sentence", s, e, doc.text[s:e]) for s, e in split_sentences(doc.text)]
        )
