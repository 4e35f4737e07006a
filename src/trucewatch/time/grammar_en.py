"""English time grammar: TimeML-style recognition and normalisation rules.

Each rule is a regex built from the English lexicon and a handler that returns a
candidate with a resolver; the calendar logic of the resolvers is shared with the other
languages (``resolvers``). Spans follow TimeML practice: determiners and "last/next"
belong to the expression, prepositions ("on", "in", "since") and approximators
("about", "more than") do not (approximators become the ``mod``).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

from dateutil.easter import easter

from trucewatch.time import calendar as cal
from trucewatch.time import numeric
from trucewatch.time import resolvers as rs
from trucewatch.time.lexicon import alternation, inverse, load
from trucewatch.time.resolvers import duration_value
from trucewatch.time.rules import Candidate, Context, Resolved, Rule, rule_decorator, with_cores

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

_F = re.IGNORECASE

MONTH_FULL = alternation([w for w in MONTHS if len(w) > 3 or w == "may"])
MONTH_ABBR = alternation([w for w in MONTHS if len(w) <= 4 and w != "may"])
MONTH = rf"(?:(?:{MONTH_FULL})(?!\w)|(?:{MONTH_ABBR})(?:\.|(?!\w)))"
WEEKDAY = alternation([w for w in WEEKDAYS if len(w) > 4])
_UNITWORDS = r"seconds?|minutes?|hours?|days?|weeks?|fortnights?|months?|quarters?|years?|decades?|centur(?:y|ies)"
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
_NOT_NUM_AFTER = r"(?![\d])(?![.,]\d)"
_SPELLED_YEAR = r"(?:nineteen|twenty)[\s-]+(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]+(?:one|two|three|four|five|six|seven|eight|nine))?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|hundred)"


def _unit(word: str) -> str:
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


# ---------------------------------------------------------------- rules

RULES: list[Rule] = []
rule = rule_decorator(RULES, _F)


def _cap_ok(word: str) -> bool:
    """Month and weekday names count only when capitalised ("may" the verb, "sun")."""
    return word[:1].isupper()


_OPEN_QUOTE = re.compile(r"(?:[\"“‘`]|''|(?:^|\s)')\s*$")
_TITLE_WORDS = re.compile(r"(?:(?<=[\s\"“‘`'])|^)((?:[A-Z][\w'’-]*\s+){0,3})$")
_TITLE_END = re.compile(r"[,.]?\s*(?:[\"”’']|'')|\s+[A-Z]")


def _in_title(text: str, start: int, end: int) -> bool:
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


_DAY_BEFORE = r"(?:(?P<wd>" + WEEKDAY + r"),?\s+)?"


@rule(
    "month_day_year",
    rf"(?<![\w-])(?P<week>the\s+week\s+of\s+)?(?:(?P<rel>last|this|next|this\s+past|this\s+coming)\s+)?{_DAY_BEFORE}(?:the\s+)?(?P<mon>{MONTH})\s+(?P<d>{DAYNUM})(?!\w)(?!\s*(?:%|percent|billion|million|years?\b))(?:,?\s+(?P<y>{YEAR})(?!\d))?",
)
def _month_day_year(m: re.Match[str]) -> Candidate | None:
    if not _cap_ok(m["mon"]) or (m["wd"] and not _cap_ok(m["wd"])):
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
    if not _cap_ok(m["mon"]):
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
    if not _cap_ok(m["mon"]) or (m["wd"] and not _cap_ok(m["wd"])):
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
    rf"(?<![\w-])(?:(?P<mod>early|late|mid|the\s+(?:beginning|start|end|middle)\s+of)[\s-]+)?(?P<mon>{MONTH})(?:\s+of)?,?\s+(?:(?P<y>{YEAR})(?!\d)|(?P<sy>{_SPELLED_YEAR})(?![\w-]))",
)
def _month_year(m: re.Match[str]) -> Candidate | None:
    if not _cap_ok(m["mon"]):
        return None
    month = MONTHS[m["mon"].lower().rstrip(".")]
    y = int(m["y"]) if m["y"] else _spelled_year_value(m["sy"])  # "January nineteen ninety-seven" in transcripts
    return rs.fixed_month(m.start(), m.end(), y, month, _mod(m["mod"]))


_MAY_OK = re.compile(r"(?:in|since|by|until|till|early|late|mid|last|next|this|of|from|through|during|before|after|to|and|or|between|end)[\s-]+$", re.I)


@rule(
    "month",
    rf"(?<![\w-])(?:(?P<mod>early|late|mid|the\s+(?:beginning|start|end|middle)\s+of)[\s-]+)?(?:(?P<rel>last|this|next|this\s+past|past)\s+)?(?P<mon>{MONTH_FULL}|Sept\.?|Jan\.|Feb\.|Aug\.|Oct\.|Nov\.|Dec\.)(?!\w)(?:\s+(?P<ry>last|this|next)\s+year)?",
)
def _month(m: re.Match[str]) -> Candidate | None:
    word = m["mon"]
    if not _cap_ok(word):
        return None
    if word.lower() in ("may", "march") and not m["mod"] and not m["rel"] and not m["ry"]:
        before = m.string[max(0, m.start() - 12) : m.start()]
        if not _MAY_OK.search(before):
            return None
    month = MONTHS[word.lower().rstrip(".")]
    mod = _mod(m["mod"])
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
    rf"(?<![\w$£€.,/#-])(?:(?P<mod>early|late|mid|the\s+(?:beginning|start|end|middle)\s+of|the\s+end\s+of|end)[\s-]+)?(?:(?P<fy>fiscal(?:\s+year)?|calendar|the\s+year|the\s+(?:fiscal|calendar)\s+year|FY)\s*)?(?P<y>{YEAR}){_NOT_NUM_AFTER}(?![\w-])(?!\s*(?:-|–)\s*\d)",
)
def _year(m: re.Match[str]) -> Candidate | None:
    text = m.string
    if _YEAR_BEFORE_BAD.search(text[max(0, m.start() - 14) : m.start()]) and not m["fy"]:
        return None
    if _YEAR_AFTER_BAD.match(text[m.end() : m.end() + 14]):
        return None
    return rs.fixed_year(m.start(), m.end(), int(m["y"]), _mod(m["mod"]))


@rule(
    "year_range",
    rf"(?<![\w$£€.,/#-])(?P<y>{YEAR})\s*(?:-|–)\s*(?P<y2>\d{{2}}|{YEAR})(?![\w-])",
)
def _year_range(m: re.Match[str]) -> Candidate | None:
    return rs.fixed_year(m.start(), m.end(), int(m["y"]))


_DECADE_WORDS = {
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
        v = f"19{_DECADE_WORDS[m['w'].lower()]}"
    return Candidate(m.start(), m.end(), "DATE", rs.fixed(v, "decade", _mod(m["mod"])), priority=3)


_CENT_ORD = {"eighteenth": 18, "nineteenth": 19, "twentieth": 20, "twenty-first": 21, "21st": 21, "20th": 20, "19th": 19, "18th": 18}


@rule("century", r"(?<![\w-])(?:the\s+)?(?P<o>eighteenth|nineteenth|twentieth|twenty-first|1[89]th|20th|21st)[\s-]+century(?!\w)")
def _century(m: re.Match[str]) -> Candidate | None:
    n = _CENT_ORD[m["o"].lower()]
    return Candidate(m.start(), m.end(), "DATE", rs.fixed(f"{n - 1:02d}", "century"), priority=3)


@rule(
    "season",
    rf"(?<![\w-])(?:(?P<pre>the|this|last|next|this\s+past|this\s+coming|early|late|mid|in|during|since|by|until)[\s-]+)?(?:(?P<pre2>early|late|mid)[\s-]+)?(?P<s>{SEASON})(?!\w)(?:\s+(?:of\s+)?(?:(?P<y>{YEAR})(?!\d)|(?P<sy>{_SPELLED_YEAR})(?![\w-])))?",
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
    mod = _mod(m["pre2"] or (pre if pre in ("early", "late", "mid") else None))
    y = int(m["y"]) if m["y"] else _spelled_year_value(m["sy"]) if m["sy"] else None
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


@rule(
    "year_earlier",
    r"(?<![\w-])(?:the\s+)?(?:comparable\s+|same\s+)?year-(?:earlier|ago)(?:\s+(?P<what>period|quarter|third\s+quarter|second\s+quarter|first\s+quarter|fourth\s+quarter|nine\s+months|six\s+months))?(?!\w)",
)
def _year_earlier(m: re.Match[str]) -> Candidate | None:
    what = (m["what"] or "").lower()
    start = m.start()
    if not what and m.group().lower().startswith("the "):
        start += 4

    def res(ctx: Context) -> Resolved:
        mq = ctx.main_quarter()
        if mq and ("quarter" in what or what in ("period", "")):
            y, q = mq
            return f"{y - 1:04d}-Q{q}", "quarter", None
        if ctx.anchor is None:
            return None, None, None
        return f"{ctx.anchor.year - 1:04d}", "year", None

    if "months" in what:
        n = 9 if "nine" in what else 6
        return rs.fixed_duration(start, m.end(), f"P{n}M", priority=4)
    return Candidate(start, m.end(), "DATE", res, priority=4, relative=True, extra={"no_note": True})


_DEICTIC = {
    "today": 0, "tomorrow": 1, "yesterday": -1, "tonight": 0,
    "the day before yesterday": -2, "the day after tomorrow": 2,
}


@rule(
    "deictic_day",
    r"(?<![\w-])(?:(?P<mod>early|late|later|earlier)\s+)?(?P<w>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|today|tomorrow|yesterday|tonight)(?:'s)?(?:\s+(?P<pod>morning|afternoon|evening|night))?(?!\w)",
)
def _deictic(m: re.Match[str]) -> Candidate | None:
    w = re.sub(r"\s+", " ", m["w"].lower())
    off = _DEICTIC[w]
    pod = PARTS.get((m["pod"] or "").lower()) or ("NI" if w == "tonight" else None)
    mod = {"early": "START", "late": "END", "later": "END", "earlier": "START"}.get((m["mod"] or "").lower())
    end = m.end()
    if m.group().endswith("'s"):
        end -= 2
    if _in_title(m.string, m.start(), end):
        return None
    res = rs.deictic(off, pod if m["pod"] else None, mod)  # "tonight" alone is a date
    return Candidate(m.start(), end, "TIME" if m["pod"] else "DATE", res, priority=5, relative=True)


@rule(
    "this_part_of_day",
    r"(?<![\w-])(?P<rel>this|last|later\s+this|earlier\s+this|early\s+this|late\s+this|the)\s+(?P<pod>morning|afternoon|evening|night)(?!\w)",
)
def _this_pod(m: re.Match[str]) -> Candidate | None:
    rel = re.sub(r"\s+", " ", m["rel"].lower())
    pod = PARTS[m["pod"].lower()]
    if rel == "the" and m["pod"].lower() == "night":
        return None
    off = -1 if rel == "last" and pod == "NI" else 0
    if rel == "last" and pod != "NI":
        return None
    res = rs.anaphoric_day(off, pod) if rel == "the" else rs.deictic(off, pod)  # "the morning": of the day just named
    return Candidate(m.start(), m.end(), "TIME", res, priority=4, relative=True)


@rule("reference", rf"(?<![\w-])(?P<w>{alternation(REFS)})(?![\w-])")
def _reference(m: re.Match[str]) -> Candidate | None:
    w = re.sub(r"\s+", " ", m["w"].lower())
    value = REFS[w]
    text = m.string
    before = text[max(0, m.start() - 20) : m.start()].lower()
    after = text[m.end() : m.end() + 20].lower()
    if w in ("earlier", "later", "once", "future", "shortly", "the moment", "this time", "the present"):
        if w == "earlier" and not re.search(r"(?:^|[.\n]\s*|,\s*)$", before):
            return None
        if w == "later" and not re.search(r"(?:^|[.\n]\s*)$", before):
            return None
        if w == "once" and not re.search(r"^\s*(?:again|more)?\s*[,.]", after):
            return None
        if w == "future" and not re.search(r"(?:near|distant|foreseeable)\s*$", before):
            return None
        if w in ("shortly",) and re.match(r"\s*(?:after|before)", after):
            return None
        if w in ("the moment", "this time", "the present") and not re.search(r"(?:at|for)\s*$", before):
            return None
    if w == "the past" and not re.match(r"\s*(?:[,.;:)]|and\b|or\b|$)", after):
        return None
    if w == "in the past" and re.match(r"\s*(?:\d|tense\b|[a-z]+\s+(?:days?|weeks?|months?|years?|decades?)\b)", after):
        return None  # "in the past that they...", "in the past it..." are the past; "in the past tense" is not
    if w == "now" and re.match(r"-|\s*that\b", after):
        return None
    if w == "recently" and re.search(r"\bmost\s+$", before):
        return None  # "most recently last October": the date that follows is the expression
    if w == "current" and not re.match(r"\s+(?!of\b|and\b|or\b)[a-z]", after):
        return None  # the adjective only: "its current position", not "the current of the river"
    start, end = m.start(), m.end()
    if w.startswith("in the "):
        start += 3
    return rs.reference(start, end, value)


@rule(
    "weekday",
    rf"(?<![\w-])(?:(?P<mod>early|late|mid)[\s-]+)?(?:(?P<rel>last|next|this\s+past|this\s+coming|this|coming|past|the\s+(?:previous|preceding|following|next))\s+)?(?P<wd>{WEEKDAY})(?!\w)(?:'s)?(?:\s+(?P<pod>morning|afternoon|evening|night))?",
)
def _weekday(m: re.Match[str]) -> Candidate | None:
    if not _cap_ok(m["wd"]):
        return None
    wd = WEEKDAYS[m["wd"].lower()]
    rel = re.sub(r"\s+", " ", m["rel"]).lower() if m["rel"] else None
    mod = _mod(m["mod"])
    pod = PARTS.get((m["pod"] or "").lower())
    start, end = m.start(), m.end()
    if m.group().endswith("'s"):
        end -= 2
    after = m.string[m.end() : m.end() + 3]
    if after.startswith("s") and not m["pod"]:
        return None  # "Fridays": a set, handled by its own rule
    res = rs.weekday(wd, rel, start, end, pod, mod)
    return Candidate(start, end, "DATE", res, priority=4, relative=True, extra={"weekday": wd, "rel": rel})


@rule(
    "day_before_date",
    rf"(?<![\w-])(?:the\s+)?day\s+(?P<dir>before|after)\s+(?:(?P<rel>last|next|this)\s+)?(?:(?P<wd>{WEEKDAY})|(?P<mon>{MONTH})\s+(?P<d>{DAYNUM}))(?!\w)",
)
def _day_before_date(m: re.Match[str]) -> Candidate | None:
    """"the day before last Tuesday('s hearing)", "the day after Nov. 3": one day from a named date."""
    if (m["wd"] and not _cap_ok(m["wd"])) or (m["mon"] and not _cap_ok(m["mon"])):
        return None
    off = -1 if m["dir"].lower() == "before" else 1
    start, end = m.start(), m.end()
    rel = m["rel"].lower() if m["rel"] else None

    def res(ctx: Context) -> Resolved:
        if m["wd"]:
            _, d = rs.weekday_value(ctx, WEEKDAYS[m["wd"].lower()], rel, start, end)
        else:
            _, d = rs.month_value(ctx, MONTHS[m["mon"].lower().rstrip(".")], int(re.match(r"\d+", m["d"]).group()), start, end, rel=rel)
        if d is None:
            return None, None, None
        return (d + timedelta(days=off)).isoformat(), "day", None

    return Candidate(start, end, "DATE", res, priority=5, relative=True)


_PODS = r"morning|afternoon|evening|night"


@rule(
    "weekday_set",
    rf"(?<![\w-])(?:(?:every|each)\s+(?P<wd1>{WEEKDAY})(?!\w)|(?P<wd2>{WEEKDAY})s(?!\w)|(?P<wd3>{WEEKDAY})\s+(?P<pod>{_PODS})s(?!\w)"
    rf"|(?P<wd4>{WEEKDAY})(?=\s+(?:and|or)\s+(?:{WEEKDAY})\s+(?P<pod4>{_PODS})s(?!\w)))",
)
def _weekday_set(m: re.Match[str]) -> Candidate | None:
    """"every Monday", "on Tuesdays", "Monday and Tuesday nights": a weekly set."""
    wd = m["wd1"] or m["wd2"] or m["wd3"] or m["wd4"]
    if not _cap_ok(wd):
        return None
    pod = m["pod"] or m["pod4"]
    if pod:
        value = f"XXXX-WXX-{WEEKDAYS[wd.lower()]}T{PARTS[pod.lower()]}"
        return rs.fixed_set(m.start(), m.end(), value, priority=5, freq="1W", quant="EVERY")
    return rs.weekday_set(m.start(), m.end(), WEEKDAYS[wd.lower()])


_REL_UNIT = {"week": "W", "weekend": "WE", "month": "M", "year": "Y", "decade": "DE", "century": "CE", "fiscal year": "Y", "quarter": "Q", "day": "D", "half": "H"}
_REL_OFF = {
    "this": 0, "the current": 0, "current": 0, "the present": 0,
    "last": -1, "the past": -1, "past": -1, "the previous": -1, "previous": -1, "the preceding": -1, "the prior": -1, "the last": -1, "this past": -1,
    "next": 1, "the coming": 1, "coming": 1, "the next": 1, "the following": 1, "this coming": 1, "the upcoming": 1,
    "that": 0, "the same": 0,
}


@rule(
    "relative_unit",
    r"(?<![\w-])(?:(?P<mod>early|late|mid|earlier|later|the\s+(?:beginning|start|end|middle|rest)\s+of|the\s+(?:first|second)\s+half\s+of|end|around|by)[\s-]+)?(?:(?P<in>in|during)\s+)?(?P<rel>this\s+past|this\s+coming|the\s+current|the\s+present|the\s+past|the\s+previous|the\s+preceding|the\s+prior|the\s+last|the\s+coming|the\s+next|the\s+following|the\s+upcoming|the\s+same|this|last|next|past|previous|current|coming|that)\s+(?P<u>fiscal\s+year|weekend|week|month|quarter|year|decade|century)(?!\w)(?!-)",
)
def _relative_unit(m: re.Match[str]) -> Candidate | None:
    rel = re.sub(r"\s+", " ", m["rel"].lower())
    unit = _REL_UNIT[re.sub(r"\s+", " ", m["u"].lower())]
    off = _REL_OFF[rel]
    modw = re.sub(r"\s+", " ", (m["mod"] or "").lower())
    mod = _mod(modw) if modw not in ("earlier", "later", "around", "by") else None
    if modw == "around":
        mod = "APPROX"
    anaphoric = rel in ("that", "the same", "the following", "the previous", "the preceding", "the prior")
    start = m.start("rel") if m["in"] and not m["mod"] else m.start()
    after = m.string[m.end() : m.end() + 30].lower()
    # "the past year"/"the next two..." take durations elsewhere; "the last year of his term" is not a date
    if rel in ("the last", "the next", "the past") and re.match(r"\s+(?:of|or|and)\b", after):
        return None
    if _in_title(m.string, start, m.end()):
        return None  # ABC's "This Week"
    if rel in ("the past", "past") and unit in ("DE", "CE") and not m["mod"]:
        # "over the past decade" is the ten years up to now, not the calendar decade before this one
        return rs.fixed_duration(start, m.end(), duration_value(1, unit), priority=4)
    just_gone = rel in ("last", "this past", "the past", "past")
    res = rs.relative_unit(unit, off, anaphoric, mod, just_gone)
    return Candidate(start, m.end(), "DATE", res, priority=4, relative=True)


_ANAPHORIC_DAY = {
    "the same day": 0, "that day": 0, "the day": 0, "that same day": 0,
    "the next day": 1, "the following day": 1, "the day after": 1, "a day later": 1, "one day later": 1,
    "the previous day": -1, "the day before": -1, "a day earlier": -1, "one day earlier": -1, "the preceding day": -1,
    "the next morning": 1, "the following morning": 1, "that night": 0, "that morning": 0, "that evening": 0,
    "that afternoon": 0, "the same night": 0, "the following night": 1, "the next night": 1,
}


@rule("anaphoric_day", rf"(?<![\w-])(?P<w>{alternation(_ANAPHORIC_DAY)})(?!\w)")
def _anaphoric_day(m: re.Match[str]) -> Candidate | None:
    w = re.sub(r"\s+", " ", m["w"].lower())
    off = _ANAPHORIC_DAY[w]
    if w == "the day" and not re.search(r"(?:\bon|\bthat|\bof|\bby|(?:later|earlier)\s+in)\s+$", m.string[max(0, m.start() - 14) : m.start()].lower()):
        return None
    if w in ("the day before", "the day after") and not re.match(r"\s*(?:[,.;:)!?'\"`]|$|and\b|but\b|or\b)", m.string[m.end() : m.end() + 8].lower()):
        return None  # "the day before returning", "the day after the vote": a relation to an event, not a day
    pod = next((PARTS[p] for p in ("morning", "night", "evening", "afternoon") if w.endswith(p)), None)
    res = rs.anaphoric_day(off, pod)
    return Candidate(m.start(), m.end(), "TIME" if pod else "DATE", res, priority=3, relative=True)


@rule(
    "ago",
    rf"(?<![\w-])(?:(?P<appr>about|almost|nearly|roughly|some|around|approximately|more\s+than|less\s+than|at\s+least|just|barely|only|over|under)\s+)?(?P<x>(?P<n>{NUM})\s+(?P<u>{_UNITWORDS})\s+(?P<dir>ago|earlier|before|later|after|from\s+now|hence|previously|back|since))(?!\w)",
)
def _ago(m: re.Match[str]) -> Candidate | None:
    direction = re.sub(r"\s+", " ", m["dir"].lower())
    after = m.string[m.end() : m.end() + 10].lower()
    if direction in ("before", "after", "since") and not re.match(r"\s*[,.;]|\s*$|\s+(?:when|that)\b", after):
        return None  # "two days before the vote": a relation, not a date
    n = parse_number(m["n"])
    unit = _unit(m["u"])
    sign = -1 if direction in ("ago", "earlier", "before", "previously", "back") else 1
    from_anchor = direction in ("ago", "from now", "hence", "back")
    back = direction in ("ago", "earlier")
    minutes = m["u"].lower().startswith("min")
    res = rs.ago(n, unit, sign, from_anchor, _approx(m["appr"]), minutes, quarter_back=back)
    return Candidate(m.start("x"), m.end(), "DATE", res, priority=5, relative=True, extra={"no_note": back})


_DEICTIC_BASE = {"yesterday": -1, "today": 0, "tomorrow": 1}


@rule(
    "offset_from_day",
    rf"(?<![\w-])(?P<n>{NUM})\s+(?P<u>days?|weeks?)\s+(?P<dir>before|after)\s+(?P<w>yesterday|today|tomorrow)(?!\w)",
)
def _offset_from_day(m: re.Match[str]) -> Candidate | None:
    """"three days before yesterday": one day counted from another, not a duration beside a day."""
    n = parse_number(m["n"])
    if n is None or not float(n).is_integer():
        return None
    days = int(n) * (7 if m["u"].lower().startswith("week") else 1)
    off = _DEICTIC_BASE[m["w"].lower()] + (days if m["dir"].lower() == "after" else -days)
    return Candidate(m.start(), m.end(), "DATE", rs.deictic(off), priority=6, relative=True)


# Words before "in ten days" that make it a point ahead ("the truce expires in ten days"), not a
# length ("they crossed the desert in ten days").
_AHEAD = re.compile(
    r"(?<![\w'])(?:will|'ll|shall|won't|expires?|ends?|lapses?|runs?\s+out|due|set\s+to|is\s+to|are\s+to|"
    r"deadline|begins?|starts?|resumes?|returns?|takes?\s+effect|comes?\s+into\s+force|goes?\s+into\s+effect|"
    r"scheduled|expected|planned|plans?\s+to|going\s+to|would|should|must|(?-i:may)|might|could)(?![\w'])"
    r"[^.;!?\n]*$",
    re.I,
)


@rule(
    "in_offset",
    rf"(?<![\w-])in\s+(?:(?P<appr>about|around|roughly|some|approximately|just|only|less\s+than|more\s+than)\s+)?(?P<n>{NUM})\s+(?P<u>days?|weeks?|months?|years?)(?!\w)(?!\s+(?:of|ago|later|earlier|before|after|since)\b)",
)
def _in_offset(m: re.Match[str]) -> Candidate | None:
    """"the truce expires in 10 days": the day ten days after the anchor, when the clause looks ahead."""
    text = m.string
    clause = text[max(0, m.start() - 80) : m.start()]
    if not _AHEAD.search(clause):
        return None  # "completed in ten days": a length of time (the duration rule)
    n = parse_number(m["n"])
    if n is None or m["n"].lower() in ("a", "an"):
        return None
    res = rs.ago(n, _unit(m["u"]), 1, True, _approx(m["appr"]))
    return Candidate(m.start(), m.end(), "DATE", res, priority=5, relative=True, extra={"offset": True})


_DUR_PRE = r"the\s+(?:past|last|next|first|latest|previous|coming|final|following|initial|remaining|full|entire|whole|same|prior|preceding|ensuing|subsequent)|the|(?:over|during|in|for)\s+the\s+(?:past|last|next|coming)|past|last|next|first|another|(?:an\s+)?additional|the\s+(?:first|last|next|past)\s+(?:few|several|couple\s+of)"


@rule(
    "duration",
    rf"(?<![\w$£€-])(?:(?P<appr>about|almost|nearly|roughly|some|around|approximately|more\s+than|less\s+than|at\s+least|at\s+most|just|barely|only|over|under|up\s+to|within|upwards\s+of|fewer\s+than)\s+)?(?P<x>(?:(?P<pre>{_DUR_PRE})\s+)?(?P<n>{NUM})(?:\s+(?:or|to)\s+(?P<n2>{NUM}))?\s+(?:(?:more|additional|full|long|straight|consecutive|successive)\s+)?(?P<u>{_UNITWORDS}))(?!\w)(?!-)(?!\s+(?:old|of\s+age)\b)",
)
def _duration(m: re.Match[str]) -> Candidate | None:
    text = m.string
    nword = m["n"].lower()
    unit = _unit(m["u"])
    plural = m["u"].lower().endswith("s") or m["u"].lower().endswith("ies")
    n = parse_number(m["n"])
    before = text[max(0, m.start() - 12) : m.start()]
    # "$5 a year", "twice a week", "three times a day": frequencies, not durations
    if nword in ("a", "an") and re.search(r"(?:\d|%|times|twice|once|per)\s*$", before, re.I):
        return None
    if n is not None and n > 1 and not plural and nword not in ("a", "an"):
        if not re.match(r"\s+[a-z]", text[m.end() : m.end() + 3]):
            return None  # "two day" only before a noun: "a two day visit"
    if nword in ("a", "an") and plural:
        return None
    if m["u"].lower() == "second" and (nword in ("a", "an", "one") or re.match(r"\s+[a-z]", text[m.end() : m.end() + 3])):
        return None  # "a second round": an ordinal
    if re.match(r"\d", nword) and unit == "Q":
        return None
    if (
        n is not None
        and unit == "D"
        and not plural
        and nword in ("a", "an", "one")
        and re.match(r"\s+(?:of|when|after|before)\b", text[m.end() : m.end() + 8], re.I)
        and not m["pre"]
    ):
        return None
    pre = re.sub(r"\s+", " ", (m["pre"] or "").lower())
    if pre == "the" and nword in ("a", "an"):
        return None
    mod = _approx(m["appr"])
    n2 = parse_number(m["n2"]) if m["n2"] else None
    if m["n2"]:
        mod = mod or "APPROX"
    start = m.start("x")
    if pre.startswith(("over the", "during the", "in the", "for the")):
        start = m.start("x") + len(re.match(r"\w+\s+", m["x"]).group())
    if unit == "Q" and pre.startswith("the") and n is not None:
        value = f"P{rs.fmt(n * 3)}M" if ("next" in pre or "first" in pre) else f"P{rs.fmt(n)}Q"
    else:
        # "12 to 18 months": a range has no one amount, which TimeML writes X
        amount = None if m["n2"] and n2 is not None and n2 != n else n
        value = rs.length_value(amount, unit, minutes=m["u"].lower().startswith("min"))
    if _in_title(text, start, m.end()):
        return None  # CBS's "60 Minutes"
    return rs.fixed_duration(start, m.end(), value, mod)


@rule(
    "duration_hyphen",
    rf"(?<![\w-])(?P<n>\d+(?:\.\d+)?|{NUMWORD})-(?P<u>second|minute|hour|day|week|month|year|decade|century)(?:-long)?(?![\w-])",
)
def _duration_hyphen(m: re.Match[str]) -> Candidate | None:
    n = parse_number(m["n"])
    if n is None:
        return None
    value = rs.length_value(n, _unit(m["u"]), minutes=m["u"].lower() == "minute")
    return rs.fixed_duration(m.start(), m.end(), value)


@rule("half_hour", r"(?<![\w-])(?:half\s+an\s+hour|a\s+half[\s-]+hour|an\s+hour\s+and\s+a\s+half)(?!\w)")
def _half_hour(m: re.Match[str]) -> Candidate | None:
    v = "PT30M" if "half an hour" in m.group().lower() or "a half" in m.group().lower()[:7] else "PT90M"
    return rs.fixed_duration(m.start(), m.end(), v)


@rule(
    "bare_units",
    r"(?<![\w-])(?P<pre>for|in|over|within|during|lasting|took|take|takes|spent|spend)\s+(?P<x>(?:many\s+|recent\s+)?(?P<u>years|months|weeks|days|decades|hours|minutes|centuries))(?!\w)(?!\s+(?:of|ago|later|earlier|before|after)\b)",
)
def _bare_units(m: re.Match[str]) -> Candidate | None:
    value = rs.length_value(None, _unit(m["u"]), minutes=m["u"].lower() == "minutes")
    return rs.fixed_duration(m.start("x"), m.end(), value, priority=2)


@rule("the_year", r"(?<![\w-])(?P<pre>for|over|throughout|during|in|of|earlier\s+in|later\s+in|all)\s+(?P<x>the\s+(?:full\s+|whole\s+|entire\s+)?(?:fiscal\s+)?(?P<u>year|month|week))(?!\w)(?!-)(?!\s+(?:of|before|after|ago|earlier|later|in|that|when|which)\b)")
def _the_year(m: re.Match[str]) -> Candidate | None:
    pre = m["pre"].lower()
    unit = {"year": "Y", "month": "M", "week": "W"}[m["u"].lower()]
    ended = re.match(r"\s+(?:ended|ending|that\s+ended|to\s+date)\b", m.string[m.end() : m.end() + 16])
    if pre in ("over", "throughout", "all") or ended:  # "for the year ended Sept. 30": a span of a year
        return rs.fixed_duration(m.start("x"), m.end(), f"P1{unit}", priority=2)

    def res(ctx: Context) -> Resolved:
        if ctx.anchor is None:
            return None, None, None
        if unit == "Y" and ctx.last_year:
            return f"{ctx.last_year:04d}", "year", None
        return cal.value_at(ctx.anchor, unit), cal.GRANULARITY[unit], None

    return Candidate(m.start("x"), m.end(), "DATE", res, priority=2, relative=True)


@rule("weekend", r"(?<![\w-])(?P<x>the\s+weekend)(?!\w)")
def _weekend(m: re.Match[str]) -> Candidate | None:
    start = m.start()

    def res(ctx: Context) -> Resolved:
        a = ctx.anchor
        if a is None:
            return "XXXX-WXX-WE", "week", None
        t = ctx.tense_of(start, m.end())
        if t == "future" and a.isoweekday() < 6:
            d = a + timedelta(days=6 - a.isoweekday())
        elif a.isoweekday() >= 6:
            d = a
        else:
            d = a - timedelta(days=a.isoweekday() + 1)
        return f"{cal.iso_week(d)}-WE", "week", None

    return Candidate(m.start(), m.end(), "DATE", res, priority=2, relative=True)


# ---------------------------------------------------------------- clock times

_TZ = r"(?:GMT|UTC|Z|EST|EDT|CST|CDT|MST|MDT|PST|PDT|BST|CET|CEST|EET|EEST|IST|local\s+time|Moscow\s+time)"
_AMPM = r"(?:a\.m\.?|p\.m\.?|am\b|pm\b|a\.m|p\.m)"
_DAYREF = rf"(?:(?P<dwd>{WEEKDAY})|(?P<ddx>today|yesterday|tomorrow|tonight)|(?P<dmon>{MONTH})\s+(?P<dd>{DAYNUM}))"


@rule(
    "clock",
    rf"(?<![\w:.-])(?:(?P<lead>{WEEKDAY}|today|yesterday|tomorrow)(?:\s+at|,)?\s+)?(?:(?P<appr>around|about|at|approximately|shortly\s+after|shortly\s+before|just\s+after|just\s+before)\s+)?(?P<t>(?P<h>[01]?\d|2[0-3])(?::|\.(?=\d\d\s*{_AMPM}))(?P<mi>[0-5]\d)(?:\s*(?P<ap>{_AMPM}))?|(?P<h2>1[0-2]|0?[1-9])\s*(?P<ap2>{_AMPM})|(?P<mil>[01]\d|2[0-3])(?P<mil2>[0-5]\d)\s*(?:hrs|hours|h)?(?=\s*(?:{_TZ}|\(|{WEEKDAY}))|(?P<noon>noon|midnight|midday|mid-day))(?:\s*(?P<tz>{_TZ}))?(?:,?\s+(?:on\s+)?{_DAYREF})?",
)
def _clock(m: re.Match[str]) -> Candidate | None:
    if m["lead"] and not _cap_ok(m["lead"]) and m["lead"].lower() not in ("today", "yesterday", "tomorrow"):
        return None
    if m["dwd"] and not _cap_ok(m["dwd"]):
        return None
    if m["h"] is not None and not m["ap"] and not m["tz"] and not m["dwd"] and not m["ddx"] and not m["dmon"]:
        # "5:30" alone could be a score or a verse; keep when it reads like a clock time
        before = m.string[max(0, m.start() - 6) : m.start()].lower()
        if not re.search(r"(?:at|by|until|from|to|till)\s*$", before):
            return None
    if m["noon"] and not m["lead"] and _in_title(m.string, m.start("noon"), m.end("noon")):
        return None  # "High Noon"
    if m["noon"]:
        h, mi = (24 if m["noon"].lower() == "midnight" else 12), 0
    elif m["mil"]:
        h, mi = int(m["mil"]), int(m["mil2"])
    elif m["h2"]:
        h, mi = int(m["h2"]), 0
        ap = m["ap2"].lower()
        if ap.startswith("p") and h < 12:
            h += 12
        if ap.startswith("a") and h == 12:
            h = 0
    else:
        h, mi = int(m["h"]), int(m["mi"])
        ap = (m["ap"] or "").lower()
        if ap.startswith("p") and h < 12:
            h += 12
        if ap.startswith("a") and h == 12:
            h = 0
    start = m.start("t") if not m["lead"] else m.start()
    if m["appr"] and not m["lead"]:
        start = m.start("t")
    lead = (m["lead"] or "").lower()
    trail_wd = m["dwd"]
    trail_dx = (m["ddx"] or "").lower()
    dmon, dd = m["dmon"], m["dd"]
    end = m.end()
    clock = f"{h:02d}:{mi:02d}" if h != 24 else "24"

    def res(ctx: Context) -> Resolved:
        base = ctx.anchor
        day = rs.story_day(ctx)  # "at 10:35 a.m." in a story about Friday is Friday's
        key = lead or trail_dx
        if key in ("today", "yesterday", "tomorrow", "tonight") and base:
            day = base + timedelta(days={"yesterday": -1, "tomorrow": 1}.get(key, 0))
        wdname = trail_wd or (m["lead"] if m["lead"] and lead not in ("today", "yesterday", "tomorrow") else None)
        if wdname and base:
            day = cal.weekday_near(base, WEEKDAYS[wdname.lower()], ctx.tense_of(start, end))
        if dmon and base:
            _, d = rs.month_value(ctx, MONTHS[dmon.lower().rstrip(".")], int(re.match(r"\d+", dd).group()), start, end)
            day = d or day
        return rs.clock_value(day, clock)

    return Candidate(start, end, "TIME", res, priority=5, relative=True)


# ---------------------------------------------------------------- sets and holidays


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
}


@rule("holiday", rf"(?<![\w-])(?:(?P<rel>last|this|next)\s+)?(?P<h>{alternation(_HOLIDAYS)})(?:\s+(?P<y>{YEAR}))?(?!\w)")
def _holiday(m: re.Match[str]) -> Candidate | None:
    name = re.sub(r"\s+", " ", m["h"].lower())
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


# ---------------------------------------------------------------- helpers


def _mod(word: str | None) -> str | None:
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


def _approx(word: str | None) -> str | None:
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


@rule(
    "vague_span",
    r"(?<![\w-])(?:(?:the|in|over|during)\s+)?(?P<x>(?:the\s+)?(?:(?P<pre>recent|coming|next\s+few|past\s+few|last\s+few|upcoming)\s+(?P<u>days|weeks|months|years|decades|quarters))|the\s+(?P<u2>days|weeks|months|years)\s+ahead)(?!\w)",
)
def _vague_span(m: re.Match[str]) -> Candidate | None:
    """"in recent months", "the coming weeks", "the weeks ahead": a stretch of unknown length."""
    word = (m["u"] or m["u2"]).lower()
    if (m["pre"] or "").lower() == "recent" and word == "years":
        return Candidate(m.start("x"), m.end(), "DATE", rs.fixed("PAST_REF"), priority=3)
    return rs.fixed_duration(m.start("x"), m.end(), duration_value(None, _unit(word)))


@rule("spelled_year", rf"(?<![\w-])(?:the\s+year\s+)?(?P<y>{_SPELLED_YEAR}|two\s+thousand(?:\s+(?:and\s+)?(?:one|two|three|four|five|six|seven|eight|nine|ten))?)(?![\w-])")
def _spelled_year(m: re.Match[str]) -> Candidate | None:
    """Years read aloud in transcripts: "nineteen ninety-six", "the year two thousand"."""
    words = re.split(r"[\s-]+", m["y"].lower())
    if words[:2] == ["two", "thousand"]:
        rest = [w for w in words[2:] if w != "and"]
        y = 2000 + (int(NUMBERS[rest[0]]) if rest else 0)
        if not rest and not m.group().lower().startswith("the year"):
            return None  # "two thousand" alone is a number
    else:
        y = _spelled_year_value(m["y"])
    return rs.fixed_year(m.start(), m.end(), y)


def _spelled_year_value(text: str) -> int:
    """The year of a ``_SPELLED_YEAR`` match: "nineteen ninety-four" is 1994."""
    words = re.split(r"[\s-]+", text.lower())
    century = 1900 if words[0] == "nineteen" else 2000
    tail = words[1:]
    if tail == ["hundred"]:
        return century
    return century + int(sum(NUMBERS.get(w, 0) for w in tail))


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
        value = rs.length_value(None, _unit(m["u2"]))
    elif m["u3"]:
        value = rs.length_value(1, _unit(m["u3"]))
    else:
        value = rs.length_value(parse_number(m["n"]), _unit(m["u"]))
    return rs.fixed_duration(m.start(), m.end(), value, priority=4)


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
    "decade": ["#4", "#2", *_DECADE_WORDS],
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
