"""Place recognition with the NER model alone, without its part-of-speech tagger.

The tagger takes a third of the model's time and serves one purpose: telling whether a
capitalised gazetteer hit the model did not label is a proper noun. Without it
(the default since 2026-12-07; ``NerResult.propn`` is None) three rules of ours stand in: closed-class words are never
names, a demonym that is also a town's name reads as the demonym, and a sentence's first
word is a name only when the rest of the text writes it so. The spans given to
``recognise`` here are chosen by the test, so the rules are checked whatever the model says.
"""

from __future__ import annotations

import pytest

from trucewatch.extract.places.gazetteer import Gazetteer, open_gazetteer
from trucewatch.extract.places.recognise import function_words, recognise
from trucewatch.text.entities import NerResult


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return open_gazetteer()


def _names(text: str, gaz: Gazetteer, spans: list[tuple[int, int, str]] | None = None) -> dict[str, str]:
    """What ``recognise`` keeps, by surface: its kind; NER ran and found ``spans`` (none by default)."""
    return {m.text: m.kind for m in recognise(text, gaz, NerResult(spans or [], None))}


def test_closed_class_words_are_never_places(gaz: Gazetteer) -> None:
    text = "The convoy was stopped, officials said. No, We and In are words, and we were told so in Gharyan."
    found = _names(text, gaz)
    assert not {"No", "We", "In"} & set(found), found
    assert "Gharyan" in found  # the sentence still gives its place


def test_a_state_code_in_capitals_is_not_a_closed_class_word() -> None:
    assert {"ok", "in", "me", "oh", "or"} <= function_words()
    # the rule skips capitals, so "OK", "IN" and "ME" stay codes that the abbreviation lists decide


def test_a_demonym_that_is_also_a_town_reads_as_the_demonym(gaz: Gazetteer) -> None:
    text = "Officials said that Canadian engineers would inspect the bridge near Gharyan."
    found = _names(text, gaz)
    assert found.get("Canadian") == "demonym", found


def test_a_sentence_s_first_word_is_a_place_when_the_text_names_it_so_elsewhere(gaz: Gazetteer) -> None:
    text = ("Edmonton opened two more shelters on Monday, the council said. Demand keeps rising.\n\n"
            "Food banks across Edmonton report long queues.")
    opening = [m.start for m in recognise(text, gaz, NerResult([], None)) if m.text == "Edmonton"]
    assert opening == [0, text.rindex("Edmonton")]
    alone = text.split("\n\n")[0]  # named nowhere else: a sentence's first word may be any word
    assert "Edmonton" not in _names(alone, gaz)


def test_a_sentence_s_first_word_named_nowhere_else_is_not_taken_for_a_place(gaz: Gazetteer) -> None:
    # "Same" (a Tanzanian district) and "Reading" (an English town) open sentences as words
    text = "Same-day deliveries stopped on Monday. Reading the report, the envoy urged calm in Gharyan."
    found = _names(text, gaz)
    assert "Same" not in found and "Reading" not in found, found
    assert "Gharyan" in found


def test_a_word_the_text_also_writes_in_lower_case_is_not_a_name(gaz: Gazetteer) -> None:
    text = "Reading is slow. The reading of the statement took an hour in Reading, the clerk said."
    # "in Reading" inside a sentence is the town; the opening "Reading" is the word
    starts = {m.start for m in recognise(text, gaz, NerResult([], None)) if m.text == "Reading"}
    assert 0 not in starts


def test_a_capitalised_dateline_city_opening_the_text_is_a_place(gaz: Gazetteer) -> None:
    text = "EDMONTON The city council voted on Monday to close two shelters."
    assert "EDMONTON" in _names(text, gaz)


def test_at_the_opening_a_sentence_is_no_place(gaz: Gazetteer) -> None:
    text = "Talks went on in Gharyan. At the same time, shelling resumed in the south."
    found = _names(text, gaz)
    assert not any(name.startswith("At") for name in found), found


def test_a_model_place_label_still_decides_at_a_sentence_start(gaz: Gazetteer) -> None:
    text = "Gharyan fell quiet on Monday."
    assert "Gharyan" not in _names(text, gaz)  # a small town, named nowhere else, no label
    assert "Gharyan" in _names(text, gaz, [(0, 7, "GPE")])


def test_the_function_word_list_is_one_plain_word_a_line_without_repeats() -> None:
    from importlib import resources

    lines = [line.split("#", 1)[0].strip() for line in
             resources.files("trucewatch.resources").joinpath("places", "function_words.txt")
             .read_text(encoding="utf-8").splitlines()]
    words = [w for w in lines if w]
    assert all(w.isalpha() and w[:1].isupper() for w in words), words
    assert len({w.casefold() for w in words}) == len(words) == len(function_words())


def test_with_the_tagger_s_reading_the_rules_are_not_used(gaz: Gazetteer) -> None:
    text = "Officials said that Canadian engineers would inspect the bridge near Gharyan."
    tagged = NerResult([], {text.index("Gharyan")})  # the tagger: "Canadian" is no proper noun
    assert {m.text for m in recognise(text, gaz, tagged)} == {"Gharyan"}
