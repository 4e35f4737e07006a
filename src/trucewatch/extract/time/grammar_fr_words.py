"""French time grammar: the lexicon's tables, accent-free matching and the regex pieces its rules share.

Part of the French grammar (see ``grammar_fr``): accents are optional when matching
("fevrier", "derniere"), apostrophes may be straight or curly, and words are looked up
by :func:`key` (lower case, no accents).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from trucewatch.extract.time.lexicon import alternation, inverse, load

LEX = load("fr")
FLAGS = re.IGNORECASE

# ---------------------------------------------------------------- words and regexes

ACCENTS = {
    "é": "[ée]", "è": "[èe]", "ê": "[êe]", "ë": "[ëe]", "à": "[àa]", "â": "[âa]", "î": "[îi]",
    "ï": "[ïi]", "ô": "[ôo]", "û": "[ûu]", "ù": "[ùu]", "ç": "[çc]",
}


def key(word: str) -> str:
    """A lookup key: lowercase, no accents, one space, straight apostrophes, no final dot."""
    w = unicodedata.normalize("NFD", str(word).lower())
    w = "".join(ch for ch in w if unicodedata.category(ch) != "Mn")
    w = w.replace("’", "'").replace("-", " ")
    return re.sub(r"\s+", " ", w).strip().rstrip(".")


def fr_re(word: str) -> str:
    """A regex for ``word`` with optional accents, any whitespace, either apostrophe."""
    out = []
    for ch in str(word).lower():
        if ch in ACCENTS:
            out.append(ACCENTS[ch])
        elif ch == " ":
            out.append(r"\s+")
        elif ch in "'’":
            out.append("['’]")
        elif ch == "-":
            out.append(r"[-‐‑\s]?")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def alt(words: Iterable[Any]) -> str:
    """A regex alternation of ``words``, each with its optional accents (``fr_re``)."""
    return alternation(words, fr_re)


MONTHS = inverse(LEX["months"], key)
WEEKDAYS = inverse(LEX["weekdays"], key)
SEASONS = inverse(LEX["seasons"], key)
PARTS = inverse(LEX["parts_of_day"], key)
MODS = inverse(LEX["modifiers"], key)
REFS = inverse(LEX["references"], key)
NUMBERS: dict[str, float] = {key(k): v for k, v in LEX["numbers"].items()}
APPROX_NUMBERS: dict[str, float] = {key(k): v for k, v in LEX["approx_numbers"].items()}
UNITS: dict[str, str] = {key(k): v for k, v in LEX["units"].items()}
SETS: dict[str, list[str]] = {key(k): v for k, v in LEX["sets"].items()}

MONTH_WORDS = [w for ws in LEX["months"].values() for w in ws]
MONTH_FULL = rf"(?:(?:{alt([w for w in MONTH_WORDS if not w.endswith('.')])})(?!\w))"
MONTH = rf"(?:{MONTH_FULL}|(?:{alt([w for w in MONTH_WORDS if w.endswith('.')])}))"
WEEKDAY = rf"(?:{alt([w for ws in LEX['weekdays'].values() for w in ws])})"
NUMWORD = rf"(?:(?:{alt(LEX['numbers'])})(?:(?:[-\s]+et[-\s]+|-|\s+)(?:{alt(LEX['numbers'])}))*)"
VAGUE = alt(LEX["vague_numbers"])
APPROXNUM = alt(LEX["approx_numbers"])
DIGITS = r"(?<![\d.,])(?<!\d\s)\d+(?:,\d+)?(?![\d])"
NUM = rf"(?:{DIGITS}|{NUMWORD}|{APPROXNUM}|{VAGUE})"
YEAR = r"(?:1[6-9]\d\d|20\d\d)"
DAYNUM = r"(?:[12]\d|3[01]|0?[1-9])"
UNIT_WORDS = (
    r"secondes?|minutes?|heures?|jours?|journ[ée]es?|nuits?|semaines?|quinzaines?|mois|trimestres?|semestres?"
    r"|ans|an|ann[ée]es?|d[ée]cennies?|si[èe]cles?"
)
WORD_START = r"(?<![\w-])"  # a word starts here
WORD_END = r"(?!\w)"  # a word ends here


def unit_of(word: str) -> str:
    w = key(word)
    if w not in ("mois", "ans") and w.endswith("s"):
        w = w[:-1]
    if w == "ans":
        w = "an"
    return UNITS.get(w, "D")


def parse_number(text: str) -> float | None:
    """A French number in digits or words ("dix", "soixante-douze", "vingt et un"); None if vague."""
    t = key(text)
    if re.fullmatch(r"\d+(?:,\d+)?", t):
        return float(t.replace(",", "."))
    if t in APPROX_NUMBERS:
        return APPROX_NUMBERS[t]
    total, cur = 0.0, 0.0
    toks = [x for x in re.split(r"[\s-]+", t) if x and x != "et"]
    if not toks:
        return None
    for tok in toks:
        if tok not in NUMBERS:
            return None
        v = NUMBERS[tok]
        if v == 100:
            cur = (cur or 1) * 100
        elif v == 1000:
            total += (cur or 1) * 1000
            cur = 0
        elif v == 20 and cur % 100 == 4:
            cur = cur - 4 + 80  # quatre-vingt(s)
        else:
            cur += v
    return total + cur


def modifier_of(word: str | None) -> str | None:
    if not word:
        return None
    return MODS.get(key(word).split(" ")[-1])


APPR_MODS = {
    "environ": "APPROX", "quelque": "APPROX", "a peu pres": "APPROX", "autour de": "APPROX",
    "pres de": "LESS_THAN", "presque": "LESS_THAN", "quasiment": "LESS_THAN", "pas loin de": "LESS_THAN",
    "plus de": "MORE_THAN", "au dela de": "MORE_THAN", "moins de": "LESS_THAN",
    "au moins": "EQUAL_OR_MORE", "pas moins de": "EQUAL_OR_MORE", "au plus": "EQUAL_OR_LESS",
    "jusqu'a": "EQUAL_OR_LESS", "au maximum": "EQUAL_OR_LESS", "seulement": None, "a peine": "LESS_THAN",
}
APPR = alt(["environ", "quelque", "à peu près", "autour de", "près de", "presque", "quasiment", "pas loin de",
            "plus de", "au-delà de", "moins de", "au moins", "pas moins de", "au plus", "jusqu'à", "au maximum",
            "seulement", "à peine"])
