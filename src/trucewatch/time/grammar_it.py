"""Italian time grammar: dateparser's Italian words and ``resources/time/it.yaml``, built by ``grammar_locale``."""

from __future__ import annotations

from trucewatch.time.grammar_locale import grammar
from trucewatch.time.rules import Rule

_G = grammar("it")
TENSE_FUTURE: list[str] = _G.tense_future
TENSE_PAST: list[str] = _G.tense_past
PAST_SUFFIX: str | None = _G.past_suffix


def rules() -> tuple[Rule, ...]:
    """The grammar's rules, in the order ties between equal candidates are broken."""
    return _G.rules
