"""A long run does not grow the spaCy vocabularies with every new word it reads.

spaCy adds each word it has not seen to its vocabulary and keeps it for the life of the
process: over 2,000 news texts the NER model's strings grew from 84,915 to 95,142 and the
sentence splitter's from 346 to 34,285, 22 MB of a worker. The sentence splitter and the
NER read each text inside a memory zone, which drops them again.
"""

from __future__ import annotations

import importlib.util

import pytest

from trucewatch.extract.sentences import _nlp, split_sentences
from trucewatch.text import ner
from trucewatch.text.entities import ner_doc

# Our own sentences, with made-up names no vocabulary holds.
TEXTS = [f"Shelling hit Zorvanek-{n} on Tuesday. The Kelvash brigade {n} denied it, officials in Trubaq said."
         for n in range(30)]


def test_splitting_sentences_leaves_the_splitter_vocabulary_as_it_was() -> None:
    strings = _nlp().vocab.strings
    list(split_sentences(TEXTS[0]))
    before = len(strings)
    found = [list(split_sentences(text)) for text in TEXTS]
    assert len(strings) == before
    assert all(len(spans) == 2 for spans in found)
    assert TEXTS[3][found[3][1][0]:found[3][1][1]].startswith("The Kelvash brigade 3 denied")


def test_the_ner_leaves_the_model_vocabulary_as_it_was(monkeypatch: pytest.MonkeyPatch) -> None:
    if importlib.util.find_spec(ner.MODEL_PACKAGE) is None:
        pytest.skip("the NER model is not installed")
    monkeypatch.delenv("TRUCEWATCH_NO_NER", raising=False)
    monkeypatch.setattr(ner, "_checked", None)
    monkeypatch.setattr(ner, "_loaded", None)
    nlp, status = ner.load_ner()
    if nlp is None:
        pytest.skip(f"the NER model is not usable here: {status.reason}")
    ner_doc(nlp, TEXTS[0], "en")
    before = len(nlp.vocab.strings)
    results = [ner_doc(nlp, text, "en") for text in TEXTS]
    assert len(nlp.vocab.strings) == before
    # the entities are read before the zone closes: their labels and spans survive it
    assert all(r is not None and any(TEXTS[i][s:e] == "Tuesday" and label == "DATE" for s, e, label in r.spans)
               for i, r in enumerate(results))
