"""Dates written in digits ("18-05-2020", "05/06/2020", "5/2020", "2020-05"), for every language.

Digits carry no language, but their order does: "05/06/2020" is 5 June in Paris and
6 May in New York. The order is read from the document itself before any default:

1. a numeric date that only one order makes possible ("18/05/2020", "05/18/2020")
   fixes the order for the other numeric dates of the text;
2. else the way the text spells its dates: "5 June 2020" is written day first,
   "June 5, 2020" month first;
3. else the language's habit (month first for English, day first elsewhere).

A date that only a hint or a default read (not the text's own unambiguous dates) stays
marked ambiguous: its other reading is kept in ``extra["alternatives"]``, and date
inference does not lean on it.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from trucewatch.time import resolvers as rs
from trucewatch.time.rules import Candidate

YEAR = r"(?:1[6-9]\d\d|20\d\d)"
#: "18-05-2020", "05/06/2020", "3.6.2020": day and month in some order, then a four-digit year.
DAY_MONTH_YEAR = (
    r"(?<![\w/.,:-])(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<y>(?:19|20)\d\d)(?![\w/-]|[.,]\d)"
)
#: "5/2020", "05.2020": a month and its year ("3.2020" with one digit and a dot is a number).
MONTH_YEAR = r"(?<![\w/.,:-])(?:(?P<m>0?[1-9]|1[0-2])/|(?P<m2>0[1-9]|1[0-2])\.)(?P<y>(?:19|20)\d\d)(?![\w/-]|[.,]\d)"
#: "2020/05/18", "2020.05.18": year first, then month and day, as East Asian and many Arabic sites write.
YEAR_MONTH_DAY = r"(?<![\w/.,:-])(?P<y>(?:19|20)\d\d)(?P<sep>[/.])(?P<m>0?[1-9]|1[0-2])(?P=sep)(?P<d>[12]\d|3[01]|0?[1-9])(?![\w/-]|[.,]\d)"
#: "2020-05": ISO 8601's year and month (not a range: "2019-20" is one, and "2011-12" too).
ISO_MONTH = rf"(?<![\w/.,-])(?P<y>{YEAR})-(?P<m>0[1-9]|1[0-2])(?![\w/-]|[.,]\d)(?!\s*[-–]\s*\d)"

_UNAMBIGUOUS = re.compile(r"(?<![\w/.,:-])(\d{1,2})([/.-])(\d{1,2})\2(?:19|20)\d\d(?![\w/-]|[.,]\d)")
_DAY_FIRST_WORDS = re.compile(r"(?<!\d)(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th|er)?\s+(?:of\s+)?[^\W\d_]{3,}\.?,?\s+(?:19|20)\d\d")
_MONTH_FIRST_WORDS = re.compile(r"[^\W\d_]{3,}\.?\s+(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?,\s+(?:19|20)\d\d")
#: Languages that write the month first in digits; every other language we read writes the day first.
MONTH_FIRST_LANGS = frozenset({"en"})


@lru_cache(maxsize=64)
def text_order(text: str) -> tuple[str | None, str]:
    """The order the text's own dates show: ("DMY"|"MDY"|None, how it was found: numeric|words|none)."""
    dmy = mdy = 0
    for m in _UNAMBIGUOUS.finditer(text):
        a, b = int(m[1]), int(m[3])
        if a > 12 >= b:
            dmy += 1
        elif b > 12 >= a:
            mdy += 1
    if dmy != mdy:
        return ("DMY" if dmy > mdy else "MDY"), "numeric"
    dmy = len(_DAY_FIRST_WORDS.findall(text))
    mdy = len(_MONTH_FIRST_WORDS.findall(text))
    if dmy != mdy:
        return ("DMY" if dmy > mdy else "MDY"), "words"
    return None, "none"


def _day(y: int, month: int, day: int) -> date | None:
    try:
        return date(y, month, day)
    except ValueError:
        return None


def day_month_year(m: re.Match[str], lang: str) -> Candidate | None:
    """A ``DAY_MONTH_YEAR`` match as a day; the order as the module docstring says."""
    a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
    dmy, mdy = _day(y, b, a), _day(y, a, b)
    if dmy is None and mdy is None:
        return None
    if dmy is None or mdy is None or dmy == mdy:
        d = dmy or mdy
        assert d is not None
        return rs.fixed_day(m.start(), m.end(), d)
    order, how = text_order(m.string)
    if m["sep"] == "." and how != "numeric":
        order = "DMY"  # "05.06.2020": dots are a day-first habit, even in English
    if order is None:
        order = "MDY" if lang in MONTH_FIRST_LANGS else "DMY"
    chosen, other = (dmy, mdy) if order == "DMY" else (mdy, dmy)
    if how == "numeric":
        return rs.fixed_day(m.start(), m.end(), chosen)
    cand = rs.fixed_day(m.start(), m.end(), chosen, evidence=False)
    cand.extra.update({"ambiguous": True, "alternatives": [other.isoformat()], "order": order, "order_from": how})
    return cand


def year_month_day(m: re.Match[str]) -> Candidate | None:
    """A ``YEAR_MONTH_DAY`` match: year first is never written month-last, so it is not ambiguous."""
    if m["sep"] == "." and (len(m["m"]) < 2 or len(m["d"]) < 2):
        return None  # "2020.5.1": a version number; dotted dates are written with two digits
    d = _day(int(m["y"]), int(m["m"]), int(m["d"]))
    return rs.fixed_day(m.start(), m.end(), d) if d else None


def month_year(m: re.Match[str], iso: bool = False) -> Candidate | None:
    """A ``MONTH_YEAR`` or (``iso``) ``ISO_MONTH`` match: a month of a year, month precision.

    "2011-12" is read as the span of two years (a fiscal or season range), not December 2011.
    """
    month = int(m["m"] or m.groupdict().get("m2") or 0)
    if not 1 <= month <= 12:
        return None
    if iso and month == (int(m["y"]) + 1) % 100:
        return None
    cand = rs.fixed_month(m.start(), m.end(), int(m["y"]), month)
    cand.priority = 5  # above a year or year range over the same digits
    return cand
