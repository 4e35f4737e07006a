"""English time grammar: TimeML-style recognition and normalisation rules.

Each rule is a regex built from the English lexicon and a handler that returns a
candidate with a resolver; the calendar logic of the resolvers is shared with the other
languages (``resolvers``). Spans follow TimeML practice: determiners and "last/next"
belong to the expression, prepositions ("on", "in", "since") and approximators
("about", "more than") do not (approximators become the ``mod``).

The rules live in modules by what they recognise; this module puts them in their
declaration order (ties between candidates go to the first rule), adds the last few, and
gives the tagger the rules with their cores and the tense words.
"""

from __future__ import annotations

import re
from functools import lru_cache

from trucewatch.extract.time import calendar as cal
from trucewatch.extract.time import resolvers as rs
from trucewatch.extract.time import grammar_en_calendar, grammar_en_clock, grammar_en_relative, grammar_en_sets
from trucewatch.extract.time.grammar_en_calendar import DECADE_WORDS
from trucewatch.extract.time.grammar_en_words import (
    LEX,
    MONTHS,
    NUMBERS,
    NUMWORD,
    SEASONS,
    SPELLED_YEAR,
    WEEKDAYS,
    parse_number,
    spelled_year_value,
    unit_of,
)
from trucewatch.extract.time.resolvers import duration_value
from trucewatch.extract.time.rules import Candidate, Context, Resolved, Rule, rule_decorator, with_cores

_OWN: list[Rule] = []
rule = rule_decorator(_OWN, re.IGNORECASE)


@rule(
    "vague_span",
    r"(?<![\w-])(?:(?:the|in|over|during)\s+)?(?P<x>(?:the\s+)?(?:(?P<pre>recent|coming|next\s+few|past\s+few|last\s+few|upcoming)\s+(?P<u>days|weeks|months|years|decades|quarters))|the\s+(?P<u2>days|weeks|months|years)\s+ahead)(?!\w)",
)
def _vague_span(m: re.Match[str]) -> Candidate | None:
    """"in recent months", "the coming weeks", "the weeks ahead": a stretch of unknown length."""
    word = (m["u"] or m["u2"]).lower()
    if (m["pre"] or "").lower() == "recent" and word == "years":
        return Candidate(m.start("x"), m.end(), "DATE", rs.fixed("PAST_REF"), priority=3)
    return rs.fixed_duration(m.start("x"), m.end(), duration_value(None, unit_of(word)))


@rule("spelled_year", rf"(?<![\w-])(?:the\s+year\s+)?(?P<y>{SPELLED_YEAR}|two\s+thousand(?:\s+(?:and\s+)?(?:one|two|three|four|five|six|seven|eight|nine|ten))?)(?![\w-])")
def _spelled_year(m: re.Match[str]) -> Candidate | None:
    """Years read aloud in transcripts: "nineteen ninety-six", "the year two thousand"."""
    words = re.split(r"[\s-]+", m["y"].lower())
    if words[:2] == ["two", "thousand"]:
        rest = [w for w in words[2:] if w != "and"]
        y = 2000 + (int(NUMBERS[rest[0]]) if rest else 0)
        if not rest and not m.group().lower().startswith("the year"):
            return None  # "two thousand" alone is a number
    else:
        y = spelled_year_value(m["y"])
    return rs.fixed_year(m.start(), m.end(), y)


@rule("year_end", r"(?<![\w-])(?:around\s+)?(?P<x>year[\s-]end|year's\s+end|the\s+end\s+of\s+the\s+year|the\s+end\s+of\s+(?:this|next|last)\s+year)(?![\w-])")
def _year_end(m: re.Match[str]) -> Candidate | None:
    low = m.group().lower()
    off = -1 if "last year" in low else 1 if "next year" in low else 0

    def res(ctx: Context) -> Resolved:
        if ctx.anchor is None:
            return None, None, "END"
        return f"{ctx.anchor.year + off:04d}", "year", "END"

    return Candidate(m.start(), m.end(), "DATE", res, priority=4, relative=True)


@rule("period", r"(?<![\w-])(?P<x>(?:the|this|that)\s+(?:latest\s+|current\s+|same\s+)?(?:period|quarter))(?![\w-])")
def _period(m: re.Match[str]) -> Candidate | None:
    """"the latest period", "this quarter", "that quarter" in an earnings report."""
    low = re.sub(r"\s+", " ", m.group().lower())
    if low in ("the period", "the quarter"):
        return None  # handled (or refused) by the quarter rule
    if low.endswith("period") and "latest" not in low:
        return None

    def res(ctx: Context) -> Resolved:
        a = ctx.anchor
        if low.startswith("this") or "current" in low:
            return (cal.value_at(a, "Q"), "quarter", None) if a else ("XXXX-QX", "quarter", None)
        mq = ctx.main_quarter()
        if mq:
            return f"{mq[0]:04d}-Q{mq[1]}", "quarter", None
        if a is None:
            return "XXXX-QX", "quarter", None
        return cal.value_at(cal.shift(a, "Q", -1), "Q"), "quarter", None

    return Candidate(m.start(), m.end(), "DATE", res, priority=3, relative=True)


@rule(
    "duration_compound",
    rf"(?<![\w-])(?P<n>\d+(?:\.\d+)?|{NUMWORD}|several|many)-(?P<u>second|minute|hour|day|week|month|year|decade|centur(?:y|ies))s?-(?P<k>long)(?![\w-])|(?<![\w-])(?P<u2>days|weeks|months|years|decades|hours)-long(?![\w-])|(?<![\w-])(?P<u3>day|week|month|year|hour)-long(?![\w-])",
)
def _duration_compound(m: re.Match[str]) -> Candidate | None:
    """"two-year-long", "decades-long", "day-long": durations that qualify a noun (ages are not times)."""
    if m["u2"]:
        value = rs.length_value(None, unit_of(m["u2"]))
    elif m["u3"]:
        value = rs.length_value(1, unit_of(m["u3"]))
    else:
        value = rs.length_value(parse_number(m["n"]), unit_of(m["u"]))
    return rs.fixed_duration(m.start(), m.end(), value, priority=4)


#: Every English rule, in the order the grammar declared them before it was split by kind.
RULES: list[Rule] = [*grammar_en_calendar.RULES, *grammar_en_relative.RULES, *grammar_en_clock.RULES,
                     *grammar_en_sets.RULES, *_OWN]

# Words every match of a rule contains: the rule's full regex runs only near them.
_UNIT_WORDS = [
    "second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks", "weekend",
    "weekends", "fortnight", "fortnights", "month", "months", "quarter", "quarters", "year", "years", "decade",
    "decades", "century", "centuries", "half", "period", "morning", "evening", "night", "afternoon", "overnight",
]
_CORES: dict[str, list[str]] = {
    **dict.fromkeys(
        ["duration", "ago", "duration_hyphen", "duration_compound", "bare_units", "vague_span", "the_year",
         "relative_unit", "year_earlier", "period", "quarter", "anaphoric_day", "weekend", "year_end",
         "half_hour", "this_part_of_day"],
        _UNIT_WORDS,
    ),
    **dict.fromkeys(["month_day_year", "second_day", "day_month_year", "month_year", "month"], list(MONTHS)),
    "weekday": list(WEEKDAYS),
    "day_before_date": list(WEEKDAYS) + list(MONTHS),
    "weekday_set": [*WEEKDAYS, *(w + "s" for w in WEEKDAYS)],  # "every Monday", "on Tuesdays"
    "season": list(SEASONS),
    **dict.fromkeys(["year", "year_range", "iso_date", "numeric_date", "numeric_ymd", "numeric_month", "iso_month"], ["#4"]),
    **dict.fromkeys(["offset_from_day"], ["yesterday", "today", "tomorrow"]),
    **dict.fromkeys(["in_offset"], _UNIT_WORDS),
    "decade": ["#4", "#2", *DECADE_WORDS],
    "century": ["century", "centuries"],
    "spelled_year": ["nineteen", "twenty", "thousand"],
}


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    """The grammar's rules in declaration order (ties between candidates go to the first), with their cores."""
    return with_cores(RULES, _CORES)


TENSE_FUTURE: list[str] = list(LEX["tense"]["future"])
TENSE_PAST: list[str] = list(LEX["tense"]["past"])
TENSE_FUTURE_AUX: list[str] = list(LEX["tense"].get("future_aux", []))
TENSE_PLAN_AUX: list[str] = list(LEX["tense"].get("plan_aux", []))
REPORTING: list[str] = list(LEX.get("reporting", []))  # a reporting verb after a date weighs less as its tense
