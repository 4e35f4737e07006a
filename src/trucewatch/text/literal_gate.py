"""A cheap, exact pre-check for case-insensitive regular expressions: the literals a match must contain.

The event lexicon runs some 190 cue patterns over every sentence, and Python's ``re`` can
not skip ahead in them (each starts with a look-behind), so it tries every position: the
lexicon was a fifth of the time a new document costs. Most cues cannot match most
sentences, and a plain substring test says so a hundred times faster. From a pattern's
parse tree :func:`required_literals` takes a set of strings such that every match contains
one of them (the longest safe choice: a run of literal characters, or one literal per
alternative); :class:`LiteralGate` answers "may this pattern match this text?" with ``in``
tests on the text folded once.

Exact by construction, never a heuristic: a gate that says no means ``pattern.search``
finds nothing. Case-insensitive matching is mirrored by folding both sides with the same
per-character map ``re`` itself uses (its simple lower-casing plus the extra case pairs
of ``re._casefix``, such as i/ı, s/ſ, k/K), so folding "İSTANBUL" still finds "istanbul",
unlike ``str.lower``. Constructs that give no literal (classes, optional parts,
look-arounds, back-references) just make the gate wider, or absent (always yes).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import _sre
from re import _casefix as casefix  # type: ignore[attr-defined]
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

#: Requirement: any one of these (folded) strings is in every match.
Requirement = frozenset[str]

_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT)}


def _canon(code: int) -> int:
    """The representative of ``code``'s case-insensitive class under ``re``'s own rules."""
    low = _sre.unicode_tolower(code)
    return min((low, *casefix._EXTRA_CASES.get(low, ())))


class _FoldTable(dict[int, int]):
    """``str.translate`` table mapping each character to its case class, filled as characters are met."""

    def __missing__(self, code: int) -> int:
        value = self[code] = _canon(code)
        return value


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """``text`` with each character replaced by its case class (same length, offsets kept)."""
    return text.translate(_FOLD)


def _score(req: Requirement) -> tuple[int, int]:
    """Better requirements have longer shortest strings, then fewer strings."""
    return (min(len(s) for s in req), -len(req))


def _best(options: Iterable[Requirement]) -> Requirement | None:
    usable = [r for r in options if r and all(r)]
    return max(usable, key=_score) if usable else None


def _of_sequence(items: Any) -> Requirement | None:
    options: list[Requirement] = []
    run: list[str] = []
    for op, arg in items:
        if op is sre.LITERAL:
            run.append(chr(_canon(arg)))
            continue
        if run:
            options.append(frozenset({"".join(run)}))
            run = []
        req = _of_item(op, arg)
        if req is not None:
            options.append(req)
    if run:
        options.append(frozenset({"".join(run)}))
    return _best(options)


def _of_item(op: Any, arg: Any) -> Requirement | None:
    if op is sre.SUBPATTERN:
        return _of_sequence(arg[-1])
    if op is getattr(sre, "ATOMIC_GROUP", None):
        return _of_sequence(arg)
    if op in _REPEATS:
        low, _high, body = arg
        return _of_sequence(body) if low >= 1 else None
    if op is sre.BRANCH:
        union: set[str] = set()
        for branch in arg[1]:
            req = _of_sequence(branch)
            if req is None:
                return None  # one alternative without a literal: nothing is required
            union |= req
        return frozenset(union)
    return None  # classes, any-character, anchors, look-arounds, back-references: no literal


def required_literals(pattern: str, flags: int = 0) -> Requirement | None:
    """Folded strings of which every match of ``pattern`` contains one, or None when there is none to require."""
    try:
        tree = sre_parse.parse(pattern, flags)
    except re.error:
        return None
    return _of_sequence(tree)


class LiteralGate:
    """Whether a compiled pattern may match a text, answered from the text's folded form."""

    __slots__ = ("literals",)

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.literals = required_literals(pattern.pattern, pattern.flags)

    def may_match(self, folded: str) -> bool:
        """False only when the pattern cannot match the text whose :func:`fold` is ``folded``."""
        if self.literals is None:
            return True
        for literal in self.literals:  # a plain loop: this runs ~200 times per sentence
            if literal in folded:
                return True
        return False


#: Gates by the id of their pattern (a compiled pattern's own hash re-reads its code on each call).
_GATES: dict[int, tuple[re.Pattern[str], LiteralGate]] = {}


def gate_for(pattern: re.Pattern[str]) -> LiteralGate:
    """The (cached) gate of a compiled pattern."""
    found = _GATES.get(id(pattern))
    if found is None or found[0] is not pattern:
        if len(_GATES) >= 4096:
            _GATES.clear()
        found = _GATES[id(pattern)] = (pattern, LiteralGate(pattern))
    return found[1]


class GateIndex:
    """The gates of many patterns answered at once: which of them may match a text.

    Gate by gate, the event lexicon's 237 cues cost some 1,800 substring tests a sentence,
    most of the classifier's time. Here all their literals go into one Aho-Corasick
    automaton (pyahocorasick), which reads the folded text once and names every literal in
    it; each literal opens the patterns that require it. Same answers as
    :class:`LiteralGate`, pattern by pattern (about 30 times faster on news sentences)."""

    __slots__ = ("size", "_always", "_automaton")

    def __init__(self, patterns: Iterable[re.Pattern[str]]) -> None:
        import ahocorasick

        opened: dict[str, list[int]] = {}
        always: list[int] = []
        size = 0
        for i, pattern in enumerate(patterns):
            size += 1
            literals = gate_for(pattern).literals
            if literals is None or "" in literals:  # the empty string is in every text
                always.append(i)
                continue
            for literal in literals:
                opened.setdefault(literal, []).append(i)
        self.size = size
        self._always = frozenset(always)
        self._automaton: Any = None
        if opened:
            automaton = ahocorasick.Automaton()
            for literal, ids in opened.items():
                automaton.add_word(literal, tuple(ids))
            automaton.make_automaton()
            self._automaton = automaton

    def candidates(self, folded: str) -> set[int]:
        """Positions of the patterns that may match the text whose :func:`fold` is ``folded``."""
        out = set(self._always)
        if self._automaton is not None:
            for _, ids in self._automaton.iter(folded):
                out.update(ids)
        return out
