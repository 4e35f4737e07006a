"""The literal gate never says "cannot match" where ``re`` finds a match, and it does rule cues out.

Checked on patterns and sentences of our own (case tricks of several scripts included),
on every cue of the event lexicon against sentences we write, and on random texts built
from the cues' own literals (hypothesis), so the gate is exercised where it says yes and
where it says no.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trucewatch.extract.events import classify
from trucewatch.extract.events.classify import score_text
from trucewatch.extract.events.lexicon import compile_cue, lexicon
from trucewatch.text.literal_gate import GateIndex, LiteralGate, fold, required_literals

SENTENCES = (
    "Government forces shelled the outskirts of Sirte overnight, killing three civilians.",
    "GUNMEN KIDNAPPED TWO AID WORKERS NEAR THE BORDER ON MONDAY.",
    "Des combats ont éclaté samedi près de Tarhouna, selon des habitants.",
    "Las fuerzas del gobierno se enfrentaron con milicias al sur de la capital.",
    "İSTANBUL'DA GÖSTERİCİLER POLİSLE ÇATIŞTI.",
    "Силы ПРАВИТЕЛЬСТВА обстреляли позиции боевиков у Сирта.",
    "قصفت القوات الحكومية مواقع المسلحين قرب سرت",
    "Talks on a ceasefire resumed in Geneva on Tuesday.",
    "The ſhelling of the port, a KILLING field, was reported late.",  # long s, Kelvin sign
    "",
)


@pytest.mark.parametrize(("pattern", "flags", "expected"), [
    (r"shell(?:ed|ing)", re.I, {"shell"}),
    (r"(?:traded|exchanged) fire", re.I, {"traded", "exchanged"}),  # longer than " fire"
    (r"kidnap\w*|abduct(?:ed|ion)", re.I, {"kidnap", "abduct"}),
    (r"(?:gun)?men opened fire", re.I, {"men opened fire"}),
    (r"[a-z]+ly", 0, {"ly"}),
    (r"(?:a|b)?c", 0, {"c"}),
    (r"ISTANBUL", re.I, {"istanbul"}),
])
def test_required_literals_of_our_patterns(pattern: str, flags: int, expected: set[str]) -> None:
    assert required_literals(pattern, flags) == {fold(s) for s in expected}


@pytest.mark.parametrize("pattern", [r"\w+", r"(?:x)?", r"[abc]{2}", r"(a)\1|.", r"(?=a)"])
def test_a_pattern_without_a_required_literal_has_no_gate(pattern: str) -> None:
    assert required_literals(pattern) is None
    assert LiteralGate(re.compile(pattern)).may_match(fold("anything"))


def test_folding_follows_re_not_str_lower() -> None:
    # str.lower turns "İ" into two characters; re matches it to "i", and so must the gate
    assert "istanbul" not in "İSTANBUL".lower() and re.search("istanbul", "İSTANBUL", re.I)
    assert LiteralGate(re.compile("istanbul", re.I)).may_match(fold("İSTANBUL'DA"))
    for pattern, text in (("shelling", "ſhelling"), ("killing", "\u212aILLING"), ("ısrar", "ISRAR"), ("σ", "ς")):
        assert re.search(pattern, text, re.I), (pattern, text)
        assert LiteralGate(re.compile(pattern, re.I)).may_match(fold(text)), (pattern, text)
    assert len(fold("İSTANBUL")) == len("İSTANBUL")


def test_every_lexicon_cue_is_gated_and_the_gate_is_exact_on_our_sentences() -> None:
    cues = [cue for cls in lexicon().classes.values() for cue in cls.cues]
    gates = [LiteralGate(cue.pattern) for cue in cues]
    assert sum(g.literals is not None for g in gates) >= 0.9 * len(gates)  # nearly every cue requires a literal
    said_no = 0
    for text in SENTENCES + tuple(s.upper() for s in SENTENCES) + tuple(s.lower() for s in SENTENCES):
        folded = fold(text)
        for cue, gate in zip(cues, gates):
            if not gate.may_match(folded):
                said_no += 1
                assert cue.pattern.search(text) is None, (cue.pattern.pattern[:80], text)
    assert said_no > 0.8 * len(cues) * len(SENTENCES) * 3  # it does rule most cues out


def test_the_gate_index_answers_as_each_pattern_s_own_gate() -> None:
    lex = lexicon()
    patterns = [cue.pattern for cls in (*lex.classes.values(), *lex.process_types.values()) for cue in cls.cues]
    patterns.append(re.compile(r"\d+", re.I))  # no literal: always a candidate
    index = GateIndex(patterns)
    assert index.size == len(patterns)
    for text in SENTENCES + tuple(s.upper() for s in SENTENCES) + ("", "İSTANBUL'DA"):
        folded = fold(text)
        expected = {i for i, p in enumerate(patterns) if LiteralGate(p).may_match(folded)}
        assert index.candidates(folded) == expected, text
        assert len(patterns) - 1 in expected
    assert GateIndex([]).candidates("anything") == set()
    assert GateIndex([re.compile("(?:)"), re.compile("x?")]).candidates("") == {0, 1}


def test_scores_are_those_of_the_plain_search(monkeypatch: pytest.MonkeyPatch) -> None:
    """score_text with the gate gives exactly the scores and evidence of a search with every cue."""
    lex = lexicon()
    gated = [score_text(text, lex) for text in SENTENCES]
    monkeypatch.setattr(classify, "fold", lambda text: None)  # no folded text: every cue is searched
    assert [score_text(text, lex) for text in SENTENCES] == gated
    assert any(scores for scores, _ in gated)


_CUES = [cue for cls in lexicon().classes.values() for cue in cls.cues]
_PIECES = sorted({s for cue in _CUES for s in (required_literals(cue.pattern.pattern, cue.pattern.flags) or ())})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.sampled_from(["", " ", "s ", "ed ", "-", "İ", "ı", "ſ"]),
                          st.text(max_size=6)), max_size=8),
       st.sampled_from(range(len(_CUES))), st.sampled_from(["", "upper", "title"]))
def test_the_gate_never_rules_out_a_match(parts: list[str], index: int, case: str) -> None:
    text = "".join(parts)
    text = text.upper() if case == "upper" else text.title() if case == "title" else text
    pattern = _CUES[index].pattern
    if pattern.search(text):
        assert LiteralGate(pattern).may_match(fold(text))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40), st.text(alphabet="abcİıſKkSsΣσς ", min_size=1, max_size=5))
def test_the_gate_is_exact_for_any_literal_and_text(text: str, literal: str) -> None:
    pattern = compile_cue(re.escape(literal))
    if pattern.search(text):
        assert LiteralGate(pattern).may_match(fold(text))


def test_the_identity_cache_builds_once_per_object_and_never_confuses_two() -> None:
    from trucewatch.text.literal_gate import IdentityCache

    built: list[object] = []
    cache: IdentityCache[list[int], int] = IdentityCache(lambda key: built.append(key) or len(built), limit=2)
    a, b = [1], [1]  # equal, but two objects
    assert cache.get(a) == 1 and cache.get(a) == 1
    assert cache.get(b) == 2
    assert cache.get([2]) == 3  # over the limit: the cache starts again
    assert cache.get(a) == 4 and len(built) == 4
