"""English time words: the patterns built from the English lexicon, and the small readers
(numbers, units, modifiers, titles) every part of the English grammar shares.

Why apart: the rules are split by what they recognise (``grammar_en_calendar``,
``grammar_en_relative``, ``grammar_en_clock``, ``grammar_en_sets``, ``grammar_en``); they
all read the same words the same way.
"""

from __future__ import annotations

import re

from trucewatch.extract.time.lexicon import alternation, inverse, load

LEX = load("en")
MONTHS = inverse(LEX["months"])
WEEKDAYS = inverse(LEX["weekdays"])
NUMBERS: dict[str, float] = {str(k).lower(): v for k, v in LEX["numbers"].items()}
ORDINALS: dict[str, int] = {str(k).lower(): v for k, v in LEX["ordinals"].items()}
UNITS: dict[str, str] = LEX["units"]
SEASONS = inverse(LEX["seasons"])
PARTS = inverse(LEX["parts_of_day"])
MODS = inverse(LEX["modifiers"])
REFS = inverse(LEX["references"])
SETS: dict[str, list[str]] = LEX["sets"]

re.IGNORECASE = re.IGNORECASE

MONTH_FULL = alternation([w for w in MONTHS if len(w) > 3 or w == "may"])
MONTH_ABBR = alternation([w for w in MONTHS if len(w) <= 4 and w != "may"])
MONTH = rf"(?:(?:{MONTH_FULL})(?!\w)|(?:{MONTH_ABBR})(?:\.|(?!\w)))"
WEEKDAY = alternation([w for w in WEEKDAYS if len(w) > 4])
UNITWORDS = r"seconds?|minutes?|hours?|days?|weeks?|fortnights?|months?|quarters?|years?|decades?|centur(?:y|ies)"
_TENS = r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_ONES = r"one|two|three|four|five|six|seven|eight|nine"
NUMWORD = (
    rf"(?:(?:{_TENS})(?:[- ](?:{_ONES}))?|{alternation([k for k in NUMBERS if k not in ('a', 'an')])}|an?)"
)
VAGUE = alternation(LEX["vague_numbers"])
NUM = rf"(?:\d+\s+1/2|\d+(?:[.,]\d+)?|{NUMWORD}|{VAGUE})"
SEASON = alternation(SEASONS)
DAYNUM = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:1[6-9]\d\d|20\d\d)"
NOT_NUM_AFTER = r"(?![\d])(?![.,]\d)"
SPELLED_YEAR = r"(?:nineteen|twenty)[\s-]+(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]+(?:one|two|three|four|five|six|seven|eight|nine))?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|hundred)"


def unit_of(word: str) -> str:
    w = word.lower().rstrip("s")
    if w.startswith("centur"):
        return "CE"
    return UNITS.get(w, "D")


def parse_number(text: str) -> float | None:
    """A number written in digits or words; None for vague amounts ("several")."""
    t = text.lower().strip().replace(",", "")
    half = re.fullmatch(r"(\d+)\s+1/2", t)
    if half:
        return int(half[1]) + 0.5  # "5 1/2 hours"
    if re.fullmatch(r"\d+(?:\.\d+)?", t):
        v = float(t)
        return v
    if t in NUMBERS:
        return NUMBERS[t]
    parts = re.split(r"[- ]", t)
    if len(parts) == 2 and parts[0] in NUMBERS and parts[1] in NUMBERS:
        return NUMBERS[parts[0]] + NUMBERS[parts[1]]
    return None



def cap_ok(word: str) -> bool:
    """Month and weekday names count only when capitalised ("may" the verb, "sun")."""
    return word[:1].isupper()


_OPEN_QUOTE = re.compile(r"(?:[\"“‘`]|''|(?:^|\s)')\s*$")
_TITLE_WORDS = re.compile(r"(?:(?<=[\s\"“‘`'])|^)((?:[A-Z][\w'’-]*\s+){0,3})$")
_TITLE_END = re.compile(r"[,.]?\s*(?:[\"”’']|'')|\s+[A-Z]")


def in_title(text: str, start: int, end: int) -> bool:
    """A time word capitalised inside a sentence and led in by a quote or an acronym is part of
    a name: ABC's "This Week", "60 Minutes", USA Today, "High Noon"."""
    words = re.findall(r"[^\W\d_][\w'’-]*", text[start:end])
    if not words or not all(w[0].isupper() for w in words) or all(w.isupper() for w in words):
        return False
    before = text[max(0, start - 40) : start]
    lead = _TITLE_WORDS.search(before)
    caps = lead.group(1).split() if lead else []
    rest = before[: len(before) - len(lead.group(1))] if lead else before
    if caps and len(caps[0]) >= 2 and caps[0].isupper() and caps[0].isalpha():
        return True  # "USA Today", "VOA Today"
    if not caps and re.search(r"(?:^|[.!?:]\s*|\n)$", rest):
        return False  # the first word of a sentence is capitalised anyway
    quote = _OPEN_QUOTE.search(rest)
    if not quote or re.search(r"(?:^|[.!?:,]\s*|\n)$", rest[: quote.start() + 1].rstrip("\"“‘`'")):
        return False  # no quote, or a quote that opens a sentence: He said: "Next week."
    # a quoted title closes (or goes on in capitals) right after: "This Week," but not "Today we..."
    return bool(_TITLE_END.match(text, end))



def modifier_of(word: str | None) -> str | None:
    if not word:
        return None
    w = re.sub(r"\s+", " ", word.lower()).strip("- ")
    if w in ("early",) or w.startswith(("the beginning", "the start", "beginning", "start")):
        return "START"
    if w in ("late", "end") or w.startswith(("the end", "end of")):
        return "END"
    if w.startswith(("mid", "the middle")):
        return "MID"
    return None


def approximator_of(word: str | None) -> str | None:
    if not word:
        return None
    w = re.sub(r"\s+", " ", word.lower())
    return {
        "about": "APPROX", "around": "APPROX", "roughly": "APPROX", "approximately": "APPROX", "some": "APPROX",
        "almost": "LESS_THAN", "nearly": "LESS_THAN", "just": "APPROX", "barely": "LESS_THAN",
        "more than": "MORE_THAN", "over": "MORE_THAN", "at least": "EQUAL_OR_MORE", "upwards of": "MORE_THAN",
        "less than": "LESS_THAN", "under": "LESS_THAN", "fewer than": "LESS_THAN", "at most": "EQUAL_OR_LESS",
        "up to": "EQUAL_OR_LESS", "within": "EQUAL_OR_LESS", "only": None,
    }.get(w)



def spelled_year_value(text: str) -> int:
    """The year of a ``SPELLED_YEAR`` match: "nineteen ninety-four" is 1994."""
    words = re.split(r"[\s-]+", text.lower())
    century = 1900 if words[0] == "nineteen" else 2000
    tail = words[1:]
    if tail == ["hundred"]:
        return century
    return century + int(sum(NUMBERS.get(w, 0) for w in tail))

