"""Sentences: the unit of evidence every later stage points into.

Paragraph breaks always end a sentence (headlines and subheadings have no full stop);
inside a paragraph spaCy's rule-based sentencizer splits on sentence-final punctuation
of any script. Spans are trimmed, so a sentence's text is exactly ``text[start:end]``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from trucewatch.pipeline.stage import Annotation, DocumentInput, StageOutput

_PARAGRAPH = re.compile(r"[^\n]+")


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
            yield start, start + len(stripped)


class SentenceStage:
    """Pipeline stage that stores one ``sentence`` annotation per sentence."""

    name = "sentences"
    version = "1"
    requires: tuple[str, ...] = ()

    def process(self, doc: DocumentInput, upstream: Mapping[str, StageOutput]) -> StageOutput:
        return StageOutput(
            annotations=[Annotation("sentence", s, e, doc.text[s:e]) for s, e in split_sentences(doc.text)]
        )
