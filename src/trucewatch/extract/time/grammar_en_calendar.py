"""English calendar expressions: dates, months, years, decades, centuries, seasons, quarters.

Rules of the English time grammar (see ``grammar_en``), in declaration order.
"""

from __future__ import annotations

import re
from datetime import date

from trucewatch.extract.time import calendar as cal
from trucewatch.extract.time import numeric
from trucewatch.extract.time import resolvers as rs
from trucewatch.extract.time.grammar_en_words import (
    DAYNUM,
    MONTH,
    MONTHS,
    MONTH_FULL,
    NOT_NUM_AFTER,
    ORDINALS,
    SEASON,
    SEASONS,
    SPELLED_YEAR,
    WEEKDAY,
    WEEKDAYS,
    YEAR,
    cap_ok,
    modifier_of,
    spelled_year_value,
)
from trucewatch.extract.time.rules import Candidate, Context, Resolved, Rule, rule_decorator

#: This module's rules, in declaration order (``grammar_en.rules`` puts the modules in order).
RULES: list[Rule] = []
rule = rule_decorator(RULES, re.IGNORECASE)


_DAY_BEFORE = r"(?:(?P<wd>" + WEEKDAY + r"),?\s+)?"


@rule(
    "month_day_year",
    rf"(?<![\w-])(?P<week>the\s+week\s+of\s+)?(?:(?P<rel>last|this|next|this\s+past|this\s+coming)\s+)?{_DAY_BEFORE}(?:the\s+)?(?P<mon>{MONTH})\s+(?P<d>{DAYNUM})(?!\w)(?!\s*(?:%|percent|billion|million|years?\b))(?:,?\s+(?P<y>{YEAR})(?!\d))?",
)
def _month_day_year(m: re.Match[str]) -> Candidate | None:
    if not cap_ok(m["mon"]) or (m["wd"] and not cap_ok(m["wd"])):
        return None
    month = MONTHS[m["mon"].lower().rstrip(".")]
    day = int(re.match(r"\d+", m["d"]).group())
    start, end = m.start(), m.end()
    if m.group().lower().startswith("the ") and not m["week"]:
        start += 4
    y = int(m["y"]) if m["y"] else None
    cand = rs.day_candidate(start, end, y, month, day, WEEKDAYS[m["wd"].lower()] if m["wd"] else None,
                            rel=re.sub(r"\s+", " ", m["rel"].lower()) if m["rel"] else None)
    if cand is not None and m["week"]:
        day_res = cand.resolve

        def week_of(ctx: Context) -> Resolved:
            v, _, mod = day_res(ctx)
            if v and re.match(r"\d{4}-\d{2}-\d{2}$", v):
                return cal.iso_week(date.fromisoformat(v)), "week", mod
            return v, "week", mod

        cand.resolve = week_of
    return cand


@rule(
    "second_day",
    rf"(?<![\w-])(?P<mon>{MONTH})\s+{DAYNUM}\s*(?:,|and|or|-|to)\s*(?P<d>{DAYNUM})(?!\d)(?!,?\s+{YEAR})(?=\s*(?:[,.;:)]|$)|\s+(?:in|at|to|when|and)\b)",
)
def _second_day(m: re.Match[str]) -> Candidate | None:
    """The bare second day of "April 24 and 25": a day of the same month (the year follows the first's)."""
    if not cap_ok(m["mon"]):
        return None
    month = MONTHS[m["mon"].lower().rstrip(".")]
    day = int(re.match(r"\d+", m["d"]).group())
    if day > 31:
        return None
    first = rs.month_day(month, day, m.start("d"), m.end("d"))

    def res(ctx: Context) -> Resolved:
        if ctx.last_month and ctx.last_month[1] == month:
            try:
                return date(ctx.last_month[0], month, day).isoformat(), "day", None
            except ValueError:
                return None, None, None
        return first(ctx)

    return Candidate(m.start("d"), m.end("d"), "DATE", res, priority=5, relative=True)


@rule(
    "day_month_year",
    rf"(?<![\w-]){_DAY_BEFORE}(?:the\s+)?(?P<d>{DAYNUM})(?:\s+of)?\s+(?P<mon>{MONTH})(?:,?\s+(?P<y>{YEAR})(?!\d))?",
)
def _day_month_year(m: re.Match[str]) -> Candidate | None:
    if not cap_ok(m["mon"]) or (m["wd"] and not cap_ok(m["wd"])):
        return None
    month = MONTHS[m["mon"].lower().rstrip(".")]
    day = int(re.match(r"\d+", m["d"]).group())
    y = int(m["y"]) if m["y"] else None
    return rs.day_candidate(m.start(), m.end(), y, month, day, WEEKDAYS[m["wd"].lower()] if m["wd"] else None)


@rule("iso_date", rf"(?<![\w/.-])(?P<y>{YEAR})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])(?:[T ](?P<h>[01]\d|2[0-3]):(?P<mi>[0-5]\d))?(?![\w/-])")
def _iso(m: re.Match[str]) -> Candidate | None:
    try:
        d = date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None
    if m["h"]:
        v = f"{d.isoformat()}T{m['h']}:{m['mi']}"
        return Candidate(m.start(), m.end(), "TIME", rs.fixed(v, "minute"), priority=6)
    return rs.fixed_day(m.start(), m.end(), d)


@rule("numeric_date", numeric.DAY_MONTH_YEAR)
def _numeric(m: re.Match[str]) -> Candidate | None:
    """"05/18/2020", "18-05-2020": the order from the text itself, else month first (``numeric``)."""
    return numeric.day_month_year(m, "en")


@rule("numeric_ymd", numeric.YEAR_MONTH_DAY)
def _numeric_ymd(m: re.Match[str]) -> Candidate | None:
    """"2020/05/18": year first."""
    return numeric.year_month_day(m)


@rule("numeric_month", numeric.MONTH_YEAR)
def _numeric_month(m: re.Match[str]) -> Candidate | None:
    """"5/2020": May 2020."""
    return numeric.month_year(m)


@rule("iso_month", numeric.ISO_MONTH)
def _iso_month(m: re.Match[str]) -> Candidate | None:
    """"2020-05" is May 2020 at month precision, not the year 2020."""
    return numeric.month_year(m, iso=True)


@rule(
    "month_year",
    rf"(?<![\w-])(?:(?P<mod>early|late|mid|the\s+(?:beginning|start|end|middle)\s+of)[\s-]+)?(?P<mon>{MONTH})(?:\s+of)?,?\s+(?:(?P<y>{YEAR})(?!\d)|(?P<sy>{SPELLED_YEAR})(?![\w-]))",
)
def _month_year(m: re.Match[str]) -> Candidate | None:
    if not cap_ok(m["mon"]):
        return None
    month = MONTHS[m["mon"].lower().rstrip(".")]
    y = int(m["y"]) if m["y"] else spelled_year_value(m["sy"])  # "January nineteen ninety-seven" in transcripts
    return rs.fixed_month(m.start(), m.end(), y, month, modifier_of(m["mod"]))


_MAY_OK = re.compile(r"(?:in|since|by|until|till|early|late|mid|last|next|this|of|from|through|during|before|after|to|and|or|between|end)[\s-]+$", re.I)


@rule(
    "month",
    rf"(?<![\w-])(?:(?P<mod>early|late|mid|the\s+(?:beginning|start|end|middle)\s+of)[\s-]+)?(?:(?P<rel>last|this|next|this\s+past|past)\s+)?(?P<mon>{MONTH_FULL}|Sept\.?|Jan\.|Feb\.|Aug\.|Oct\.|Nov\.|Dec\.)(?!\w)(?:\s+(?P<ry>last|this|next)\s+year)?",
)
def _month(m: re.Match[str]) -> Candidate | None:
    word = m["mon"]
    if not cap_ok(word):
        return None
    if word.lower() in ("may", "march") and not m["mod"] and not m["rel"] and not m["ry"]:
        before = m.string[max(0, m.start() - 12) : m.start()]
        if not _MAY_OK.search(before):
            return None
    month = MONTHS[word.lower().rstrip(".")]
    mod = modifier_of(m["mod"])
    start, end = m.start(), m.end()
    ry_off = {"last": -1, "this": 0, "next": 1}[m["ry"].lower()] if m["ry"] else None

    def res(ctx: Context) -> Resolved:
        # English "last June" said in June is this June: not the French/Arabic reading
        if ry_off is not None and ctx.anchor:
            return f"{ctx.anchor.year + ry_off:04d}-{month:02d}", "month", mod
        v, _ = rs.month_value(ctx, month, None, start, end, rel=m["rel"])
        return v, "month", mod

    return Candidate(start, end, "DATE", res, priority=3, relative=True, extra={"month": month})


_YEAR_BEFORE_BAD = re.compile(
    r"(?:resolution|resolutions|no\.|number|nos?\.|#|route|flight|article|room|page|pages|chapter|section|rule|code|model|boeing|airbus|cessna|highway|road|street|st\.|box|unit|suite|platform|[$£€]|rs\.?|usd|eur|dollars?)\s*$",
    re.I,
)
_YEAR_AFTER_BAD = re.compile(
    r"^\s*(?:%|percent|people|persons|troops|soldiers|fighters|civilians|refugees|km|kms|kilomet|miles|metres|meters|feet|tons|tonnes|dollars|euros|pounds|units|members|cars|vehicles|votes|barrels|hectares|homes|houses|families|points|yards|kg|lbs|acres|words|pages|residents|prisoners|detainees|deaths|cases|students|workers|employees|shares|jobs|rockets|missiles|shells|drones)\b",
    re.I,
)


@rule(
    "year",
    rf"(?<![\w$£€.,/#-])(?:(?P<mod>early|late|mid|the\s+(?:beginning|start|end|middle)\s+of|the\s+end\s+of|end)[\s-]+)?(?:(?P<fy>fiscal(?:\s+year)?|calendar|the\s+year|the\s+(?:fiscal|calendar)\s+year|FY)\s*)?(?P<y>{YEAR}){NOT_NUM_AFTER}(?![\w-])(?!\s*(?:-|–)\s*\d)",
)
def _year(m: re.Match[str]) -> Candidate | None:
    text = m.string
    if _YEAR_BEFORE_BAD.search(text[max(0, m.start() - 14) : m.start()]) and not m["fy"]:
        return None
    if _YEAR_AFTER_BAD.match(text[m.end() : m.end() + 14]):
        return None
    return rs.fixed_year(m.start(), m.end(), int(m["y"]), modifier_of(m["mod"]))


@rule(
    "year_range",
    rf"(?<![\w$£€.,/#-])(?P<y>{YEAR})\s*(?:-|–)\s*(?P<y2>\d{{2}}|{YEAR})(?![\w-])",
)
def _year_range(m: re.Match[str]) -> Candidate | None:
    return rs.fixed_year(m.start(), m.end(), int(m["y"]))


DECADE_WORDS = {
    "twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6,
    "seventies": 7, "eighties": 8, "nineties": 9,
}


@rule(
    "decade",
    r"(?<![\w-])(?:the\s+)?(?:(?P<mod>early|mid|late)[\s-]+)?(?:(?P<dec>(?:1[6-9]|20)\d0)'?s|'(?P<d2>\d)0s|(?P<w>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))(?!\w)",
)
def _decade(m: re.Match[str]) -> Candidate | None:
    if m["dec"]:
        v = m["dec"][:3]
    elif m["d2"]:
        v = f"19{m['d2']}"
    else:
        if not m.group().lower().startswith("the"):
            return None
        v = f"19{DECADE_WORDS[m['w'].lower()]}"
    return Candidate(m.start(), m.end(), "DATE", rs.fixed(v, "decade", modifier_of(m["mod"])), priority=3)


_CENT_ORD = {"eighteenth": 18, "nineteenth": 19, "twentieth": 20, "twenty-first": 21, "21st": 21, "20th": 20, "19th": 19, "18th": 18}


@rule("century", r"(?<![\w-])(?:the\s+)?(?P<o>eighteenth|nineteenth|twentieth|twenty-first|1[89]th|20th|21st)[\s-]+century(?!\w)")
def _century(m: re.Match[str]) -> Candidate | None:
    n = _CENT_ORD[m["o"].lower()]
    return Candidate(m.start(), m.end(), "DATE", rs.fixed(f"{n - 1:02d}", "century"), priority=3)


@rule(
    "season",
    rf"(?<![\w-])(?:(?P<pre>the|this|last|next|this\s+past|this\s+coming|early|late|mid|in|during|since|by|until)[\s-]+)?(?:(?P<pre2>early|late|mid)[\s-]+)?(?P<s>{SEASON})(?!\w)(?:\s+(?:of\s+)?(?:(?P<y>{YEAR})(?!\d)|(?P<sy>{SPELLED_YEAR})(?![\w-])))?",
)
def _season(m: re.Match[str]) -> Candidate | None:
    pre = (m["pre"] or "").lower()
    s = SEASONS[m["s"].lower()]
    if not pre and not m["y"] and not m["sy"] and not m["pre2"]:
        return None
    if m["s"].lower() == "fall" and pre in ("in", "during", "since", "by", "until", "") and not m["y"] and not m["sy"]:
        return None  # "prices fall", "in fall" is rare in news; "the fall of Tripoli" is an event
    if m["s"].lower() == "fall" and pre == "the" and re.match(r"\s+of\s+(?!\d)", m.string[m.end() : m.end() + 6]):
        return None
    start = m.start() if pre not in ("in", "during", "since", "by", "until") else m.start("pre2") if m["pre2"] else m.start("s")
    mod = modifier_of(m["pre2"] or (pre if pre in ("early", "late", "mid") else None))
    y = int(m["y"]) if m["y"] else spelled_year_value(m["sy"]) if m["sy"] else None
    return Candidate(start, m.end(), "DATE", rs.season(s, y, pre, mod), priority=3, relative=y is None)


_Q_ORD = r"first|second|third|fourth|1st|2nd|3rd|4th|final|last"


@rule(
    "quarter",
    rf"(?<![\w-])(?P<x>(?:the\s+|its\s+|their\s+|this\s+year's\s+|last\s+year's\s+|next\s+year's\s+|the\s+company's\s+)?(?:(?P<pre>(?:{YEAR}|fiscal|fiscal-|year-earlier|year-ago|comparable|latest|current|recent|most\s+recent|past|previous|prior|same|corresponding|calendar)[\s-]+)*)(?:(?P<ord>{_Q_ORD})[\s-]+)?(?:fiscal[\s-]+)?(?P<u>quarter|half)(?!\w)(?:(?:\s+of|,)\s+(?:(?P<y>{YEAR})|(?P<ry>this|last|next)\s+year|fiscal\s+(?P<fy>{YEAR})))?)",
)
def _quarter(m: re.Match[str]) -> Candidate | None:
    whole = m.group("x")
    low = whole.lower()
    has_det = bool(re.match(r"(the|its|their|this year's|last year's|next year's|the company's)\s", low))
    pre = (m["pre"] or "").lower()
    ordw = (m["ord"] or "").lower()
    unit = m["u"].lower()
    if not ordw and not has_det and not pre:
        return None
    if unit == "half" and not ordw:
        return None
    if ordw == "last" and unit == "quarter" and not m["y"] and not m["ry"] and not m["fy"] and not pre:
        return None  # "last quarter" is the one before this: a relative unit, not Q4
    after = m.string[m.end() : m.end() + 12].lower()
    if not m["y"] and not m["ry"] and re.match(r"\s+of\s+(?:a|an|the|its|their|all|those|these|\d)", after):
        return None
    if not ordw and re.match(r"-(?:century|mile|inch|point|hour)", after):
        return None
    explicit_year = m["y"] or m["fy"] or (re.search(YEAR, pre).group() if re.search(YEAR, pre) else None)
    rel_year = (m["ry"] or "").lower() or ("last" if "last year's" in low else "next" if "next year's" in low else "this" if "this year's" in low else "")
    year_earlier = any(w in pre for w in ("year-earlier", "year-ago", "comparable", "corresponding"))
    q = ORDINALS.get(ordw) if ordw else None
    if unit == "half" and q is not None:
        q = 1 if q == 1 else 2
    start, end = m.start("x"), m.end("x")

    def res(ctx: Context) -> Resolved:
        a = ctx.anchor
        code = "Q" if unit == "quarter" else "H"
        if explicit_year:
            year: int | None = int(explicit_year)
        elif a is None:
            year = None
        elif rel_year:
            year = a.year + {"last": -1, "this": 0, "next": 1}[rel_year]
        else:
            year = None
        qq = q
        if qq is None:
            # "the quarter", "the latest quarter": the one under discussion, else the last completed one
            if "current" in pre:
                if a is None:
                    return f"XXXX-{code}X", "quarter", None
                return cal.value_at(a, "Q" if code == "Q" else "H"), "quarter", None
            if ctx.main_quarter() and not year_earlier and code == "Q":
                yq, qq = ctx.main_quarter()  # type: ignore[misc]
                if year is None:
                    year = yq
            elif a is not None:
                prev = cal.shift(a, "Q", -1) if code == "Q" else cal.shift(a, "M", -6)
                qq = cal.quarter_of(prev) if code == "Q" else (1 if prev.month <= 6 else 2)
                if year is None:
                    year = prev.year
            else:
                return f"XXXX-{code}X", "quarter", None
        if year is None:
            year = rs.quarter_year(ctx, qq, start, end, code)
            if year is None:
                return f"XXXX-{code}{qq}", "quarter", None
            if year_earlier and ctx.last_quarter:
                year = ctx.last_quarter[0] - 1
            elif year_earlier:
                year -= 1
        elif year_earlier and not explicit_year:
            year -= 1
        return f"{year:04d}-{code}{qq}", "quarter" if code == "Q" else "half", None

    return Candidate(start, end, "DATE", res, priority=4, relative=not explicit_year)
