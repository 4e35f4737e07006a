"""The NER model runs only the components whose output we read.

We read the entities and the tagger's NNP/NNPS tags (``NerResult``). The attribute ruler
maps tags to POS, morphology and lemmas, none of which we read; its one TAG pattern gives
whitespace tokens ``_SP``, which ``NerResult`` reproduces by skipping whitespace tokens.
So leaving the ruler out must change nothing we read: checked here on texts of our own
against the model loaded with the ruler.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from trucewatch.text import ner
from trucewatch.text.entities import NerResult

# Our own texts: headlines, datelines, runs of blank lines and spaces (whitespace tokens),
# names in capitals, a list of places.
TEXTS = (
    "Shelling hits Tripoli suburbs\n\n\nTRIPOLI, May 18 (Desert Wire) - Forces loyal to the Government of "
    "National Accord said on Monday they had retaken al-Watiya air base.",
    "Talks  in   Geneva\n \n  resumed on Tuesday, the UN envoy Stephanie Williams said.   \n\nMISRATA  ",
    "Residents of Sirte, Ajdabiya and Brega reported drones over the coast road.\n\n\n\n"
    "The Libyan National Army denied it.",
    "  \n\t  Clashes near Gharyan; the LNA's 9th Brigade withdrew to Tarhuna.\n",
)


def _spacy_doc(words: list[str], spaces: list[bool], tags: list[str]) -> Any:
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import Doc

    return Doc(spacy.blank("en").vocab, words=words, spaces=spaces, tags=tags)


def test_a_whitespace_token_tagged_as_a_proper_noun_does_not_count() -> None:
    doc = _spacy_doc(["Tripoli", "\n\n", "Sirte", "said"], [False, False, True, False], ["NNP", "NNP", "NNPS", "VBD"])
    result = NerResult.of(doc, offset=10)
    assert result.propn == {10, 19}  # "Tripoli" at 0 and "Sirte" at 9, shifted by 10; not "\n\n" at 7


def test_the_attribute_ruler_is_left_out_and_changes_nothing_we_read(fresh_ner: Callable[..., Any]) -> None:
    nlp = fresh_ner("on")
    assert "attribute_ruler" not in nlp.pipe_names
    assert {"tagger", "ner"} <= set(nlp.pipe_names)
    import spacy

    model_dir = ner.find_model_dir()
    assert model_dir is not None
    with_ruler = spacy.load(model_dir, exclude=[c for c in ner.EXCLUDED if c != "attribute_ruler"])
    assert "attribute_ruler" in with_ruler.pipe_names
    for text in TEXTS:
        ours, reference = NerResult.of(nlp(text)), NerResult.of(with_ruler(text))
        assert ours.spans == reference.spans, text
        assert ours.propn == reference.propn, text
        assert ours.propn  # the texts do have proper nouns: the comparison is not vacuous


def test_a_doc_without_tags_gives_no_proper_noun_reading() -> None:
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import Doc

    doc = Doc(spacy.blank("en").vocab, words=["Tripoli", "said"], spaces=[True, False])
    assert NerResult.of(doc).propn is None
    assert NerResult.of(_spacy_doc(["Sirte"], [False], ["NNP"])).propn == {0}


def test_the_tagger_is_off_unless_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRUCEWATCH_NER_TAGGER", raising=False)
    assert not ner.uses_tagger()
    for value, wanted in (("on", True), ("1", True), ("off", False), ("no", False), ("", False)):
        monkeypatch.setenv("TRUCEWATCH_NER_TAGGER", value)
        assert ner.uses_tagger() is wanted, value


def test_without_the_tagger_only_ner_runs_and_its_entities_are_the_same(fresh_ner: Callable[..., Any]) -> None:
    with_tagger = fresh_ner("on")
    assert {"tok2vec", "tagger", "ner"} <= set(with_tagger.pipe_names)
    untagged = fresh_ner("off")
    assert untagged.pipe_names == ["ner"]
    for text in TEXTS:
        ours, reference = NerResult.of(untagged(text)), NerResult.of(with_tagger(text))
        assert ours.spans == reference.spans, text
        assert ours.spans  # the texts do have entities: the comparison is not vacuous
        assert ours.propn is None and reference.propn
