"""English sets and holidays: "every Monday", "daily", "Christmas", "next Thanksgiving".

Rules of the English time grammar (see ``grammar_en``), in declaration order.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from dateutil.easter import easter

from trucewatch.extract.time import resolvers as rs
from trucewatch.extract.time.grammar_en_words import MONTHS, MONTH_FULL, NUMWORD, SEASONS, SETS, YEAR, parse_number
from trucewatch.extract.time.lexicon import alternation
from trucewatch.extract.time.rules import Candidate, Context, Resolved, Rule, rule_decorator

#: This module's rules, in declaration order (``grammar_en.rules`` puts the modules in order).
RULES: list[Rule] = []
rule = rule_decorator(RULES, re.IGNORECASE)


@rule("set_word", rf"(?<![\w-])(?P<w>{alternation(SETS)})(?![\w-])")
def _set_word(m: re.Match[str]) -> Candidate | None:
    v, freq = SETS[m["w"].lower()]
    return rs.fixed_set(m.start(), m.end(), v, freq=freq)


@rule(
    "set_every",
    rf"(?<![\w-])(?P<q>every|each|per|a)\s+(?:(?P<other>other|single)\s+)?(?P<n>\d+|{NUMWORD}\s+)?(?P<u>second|minute|hour|day|night|week|month|quarter|year|decade|morning|evening|afternoon|weekend|summer|winter|spring|autumn|{MONTH_FULL})s?(?!\w)",
)
def _set_every(m: re.Match[str]) -> Candidate | None:
    q = m["q"].lower()
    u = m["u"].lower()
    before = m.string[max(0, m.start() - 14) : m.start()].lower()
    if q in ("a", "per"):
        if not re.search(r"(?:\d|%|times|twice|once|thrice|dollars?|cents?|each|euros?)\s*$", before):
            return None
    if q == "a" and u in ("morning", "evening", "afternoon", "summer", "winter", "spring", "autumn", "weekend", "decade"):
        return None
    freq = None
    mt = re.search(r"(once|twice|thrice|(\w+)\s+times)\s*$", before)
    if mt:
        k = {"once": 1, "twice": 2, "thrice": 3}.get(mt.group(1))
        if k is None:
            k = parse_number(mt.group(2) or "")
        if k:
            freq = f"{rs.fmt(k)}X"
    n = parse_number(m["n"].strip()) if m["n"] else (2 if m["other"] and m["other"].lower() == "other" else 1)
    unit_code = {
        "second": "PT{n}S", "minute": "PT{n}M", "hour": "PT{n}H", "day": "P{n}D", "night": "P{n}D",
        "week": "P{n}W", "month": "P{n}M", "quarter": "P{n}Q", "year": "P{n}Y", "decade": "P{n}0Y",
        "weekend": "XXXX-WXX-WE", "morning": "XXXX-XX-XXTMO", "evening": "XXXX-XX-XXTEV",
        "afternoon": "XXXX-XX-XXTAF",
    }
    if u in MONTHS:
        value = f"XXXX-{MONTHS[u]:02d}"
    elif u in SEASONS:
        value = f"XXXX-{SEASONS[u]}"
    else:
        value = unit_code[u].format(n=rs.fmt(n or 1))
    quant = "EVERY" if q in ("every", "each", "per") else None
    start = m.start()
    if q in ("a", "per") and mt:
        start = m.start() - (len(before) - mt.start())
    return rs.fixed_set(start, m.end(), value, freq=freq, quant=quant)


def _thanksgiving(y: int) -> date:
    d = date(y, 11, 1)
    first_thu = d + timedelta(days=(3 - d.weekday()) % 7)
    return first_thu + timedelta(weeks=3)


_HOLIDAYS = {
    "christmas day": lambda y: date(y, 12, 25),
    "christmas eve": lambda y: date(y, 12, 24),
    "christmas": lambda y: date(y, 12, 25),
    "new year's day": lambda y: date(y, 1, 1),
    "new year's eve": lambda y: date(y, 12, 31),
    "thanksgiving day": _thanksgiving,
    "thanksgiving": _thanksgiving,
    "easter sunday": easter,
    "easter": easter,
    "independence day": lambda y: date(y, 7, 4),
    "labor day": lambda y: date(y, 9, 1) + timedelta(days=(0 - date(y, 9, 1).weekday()) % 7),
    "valentine's day": lambda y: date(y, 2, 14),
    "halloween": lambda y: date(y, 10, 31),
}


def _apostrophes(word: str) -> str:
    """A holiday's name as a pattern: spaces match any whitespace, an apostrophe either form."""
    return r"\s+".join(re.escape(w) for w in word.split()).replace("'", "['’]")


@rule("holiday", rf"(?<![\w-])(?:(?P<rel>last|this|next)\s+)?(?P<h>{alternation(_HOLIDAYS, _apostrophes)})(?:\s+(?P<y>{YEAR}))?(?!\w)")
def _holiday(m: re.Match[str]) -> Candidate | None:
    name = re.sub(r"\s+", " ", m["h"].lower()).replace("’", "'")
    if not m["h"][:1].isupper():
        return None
    fn = _HOLIDAYS[name]
    start, end = m.start(), m.end()
    rel = (m["rel"] or "").lower()

    def res(ctx: Context) -> Resolved:
        if m["y"]:
            return fn(int(m["y"])).isoformat(), "day", None
        a = ctx.anchor
        if a is None:
            return None, None, None
        cands = [fn(y) for y in (a.year - 1, a.year, a.year + 1)]
        if rel == "last":
            d = max(c for c in cands if c < a)
        elif rel == "next":
            d = min(c for c in cands if c > a)
        else:
            t = ctx.tense_of(start, end)
            past = max(c for c in cands if c <= a)
            fut = min(c for c in cands if c >= a)
            d = past if t == "past" else fut if t == "future" else min((past, fut), key=lambda c: abs((c - a).days))
        return d.isoformat(), "day", None

    return Candidate(start, end, "DATE", res, priority=4, relative=True)
