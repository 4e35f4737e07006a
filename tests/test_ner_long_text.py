"""A long text goes to the NER model in pieces cut at paragraph ends, one piece at a time.

The model's working memory grows with the text it holds at once (a 100,000-character
text took about 330 MB above the model), so ``ner_doc`` cuts long texts into pieces of
``NER_MAX_CHARS``. Cutting at paragraph ends must not change what the model finds: the
NER reads a few words either side of each word.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from trucewatch.text.entities import NER_MAX_CHARS, _Joined, _may_hold_a_name, _pieces, _sentences, ner_doc

# Our own paragraphs, varied so that the long text is not one paragraph repeated.
PARAGRAPHS = (
    "Forces of the Government of National Accord said on Monday they had retaken the air base "
    "at al-Watiya, west of Tripoli, after two days of shelling.",
    "The United Nations envoy met delegations in Geneva on Tuesday; talks on the withdrawal of "
    "fighters from Sirte and al-Jufra resumed the next morning.",
    "Residents of Ajdabiya and Brega reported drones over the coast road. The Libyan National Army "
    "denied any strike near Misrata.",
    "In Khartoum, the Sudanese Armed Forces and the Rapid Support Forces agreed to a 72-hour truce "
    "brokered by Saudi Arabia and the United States.",
)


def _long_text(chars: int) -> str:
    parts, size, n = [], 0, 0
    while size < chars:
        part = f"{PARAGRAPHS[n % len(PARAGRAPHS)]} (Report {n}.)"
        parts.append(part)
        size += len(part) + 2
        n += 1
    return "\n\n".join(parts)


def test_pieces_cover_the_text_exactly_and_end_at_paragraph_ends() -> None:
    text = _long_text(3 * NER_MAX_CHARS)
    pieces = _pieces(text)
    assert len(pieces) >= 3
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(pieces, pieces[1:]))  # no gap, no overlap
    assert all(end - start <= NER_MAX_CHARS for start, end in pieces)
    assert all(text[end - 1] == "\n" for _start, end in pieces[:-1])


def test_a_text_without_line_ends_is_cut_at_sentence_ends_or_at_the_limit() -> None:
    text = "Shelling near Sirte. " * 2000 + "x" * (2 * NER_MAX_CHARS)
    pieces = _pieces(text)
    assert pieces[-1][1] == len(text)
    assert all(end - start <= NER_MAX_CHARS for start, end in pieces)
    assert text[pieces[0][1] - 1] == "."


def test_a_long_text_read_in_pieces_gives_the_entities_of_the_text_read_whole(fresh_ner: Callable[..., Any]) -> None:
    nlp = fresh_ner()
    text = _long_text(int(2.5 * NER_MAX_CHARS))
    batches: list[int] = []
    real_pipe = nlp.pipe

    class Spy:
        """The model, noting the batch size each ``pipe`` call asks for."""

        def pipe(self, texts, batch_size=None):  # type: ignore[no-untyped-def]
            batches.append(batch_size)
            return real_pipe(texts, batch_size=batch_size)

    result = ner_doc(Spy(), text, "en")
    assert result is not None and batches == [1]
    # The same entities, at the same offsets, as the model finds reading the text whole.
    expected = [(e.start_char, e.end_char, e.label_) for e in nlp(text).ents]
    assert sorted(result.spans) == sorted(expected)
    assert any(text[s:e] == "Khartoum" for s, e, _label in result.spans)


# --- only sentences that may hold a name go to the model ------------------------------------

def test_a_sentence_may_hold_a_name_when_a_capital_is_not_only_an_everyday_first_word() -> None:
    assert _may_hold_a_name("Kabul was quiet on Friday.")
    assert _may_hold_a_name("Shelling resumed near the airport.")  # first word not an everyday word
    assert _may_hold_a_name("the fighters withdrew from al-Bab overnight.")
    assert _may_hold_a_name("they said the UN convoy was stopped.")
    assert not _may_hold_a_name("The talks went on until late at night.")
    assert not _may_hold_a_name("12 people were killed in an attack on a market, officials said.")
    assert not _may_hold_a_name("  \n")


def test_the_sentences_cover_the_text_exactly() -> None:
    text = 'He said: "It ended." Then? Nothing!\n\nSirte was calm.\nThe end'
    parts = _sentences(text)
    assert parts[0][0] == 0 and parts[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(parts, parts[1:]))
    assert [text[a:b].strip() for a, b in parts] == ['He said: "It ended."', "Then?", "Nothing!", "Sirte was calm.",
                                                     "The end"]


def test_only_sentences_that_may_hold_a_name_are_read_and_offsets_stay_those_of_the_whole_text(
        fresh_ner: Callable[..., Any]) -> None:
    nlp = fresh_ner()
    text = ("The shelling went on for most of the night. It stopped before dawn, and the roads were "
            "reopened by noon.\n\nPeople in Ajdabiya said drones flew over the coast road. "
            "they were not sure who sent them. In Khartoum, the army and the Rapid Support Forces "
            "agreed to a truce.")
    read: list[str] = []
    real_pipe = nlp.pipe

    class Spy:
        def pipe(self, texts, batch_size=None):  # type: ignore[no-untyped-def]
            texts = list(texts)
            read.extend(texts)
            return real_pipe(texts, batch_size=batch_size)

    result = ner_doc(Spy(), text, "en")
    assert result is not None
    # one text: the two runs of sentences (the one naming Ajdabiya, the one naming Khartoum) joined
    assert len(read) == 1 and "Ajdabiya" in read[0] and "Khartoum" in read[0]
    assert not any("shelling went on" in r or "not sure who" in r for r in read)
    found = {(text[s:e], label) for s, e, label in result.spans}
    assert ("Ajdabiya", "GPE") in found and ("Khartoum", "GPE") in found
    # Every name the model finds reading the whole text; what is lost is only what names
    # nothing ("noon" as TIME), which recognition never reads as a name.
    whole = {(e.text, e.label_) for e in nlp(text).ents}
    assert found == {(t, label) for t, label in whole if any(c.isupper() for c in t)}
    assert ("noon", "TIME") in whole


def test_offsets_in_the_joined_text_map_back_and_a_span_across_a_joint_does_not() -> None:
    text = "The talks went on. Sirte was calm. It rained all day. Misrata too."
    runs = [(19, 35), (54, 66)]
    joined = _Joined(text, runs)
    assert joined.text == "Sirte was calm. \nMisrata too."
    at = joined.text.index("Misrata")
    assert text[slice(*joined.span(at, at + 7))] == "Misrata"  # type: ignore[misc]
    assert text[slice(*joined.span(0, 5))] == "Sirte"  # type: ignore[misc]
    assert joined.span(6, at + 7) is None
