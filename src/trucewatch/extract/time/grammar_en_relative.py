"""English relative expressions and durations: "last week", "two days ago", "Monday",
"the past three years", "the weekend".

Rules of the English time grammar (see ``grammar_en``), in declaration order.
"""

from __future__ import annotations

import re
from datetime import timedelta

from trucewatch.extract.time import calendar as cal
from trucewatch.extract.time import resolvers as rs
from trucewatch.extract.time.grammar_en_words import (
    DAYNUM,
    MONTH,
    MONTHS,
    NUM,
    NUMWORD,
    PARTS,
    REFS,
    UNITWORDS,
    WEEKDAY,
    WEEKDAYS,
    approximator_of,
    cap_ok,
    in_title,
    modifier_of,
    parse_number,
    unit_of,
)
from trucewatch.extract.time.lexicon import alternation
from trucewatch.extract.time.resolvers import duration_value
from trucewatch.extract.time.rules import Candidate, Context, Resolved, Rule, rule_decorator

#: This module's rules, in declaration order (``grammar_en.rules`` puts the modules in order).
RULES: list[Rule] = []
rule = rule_decorator(RULES, re.IGNORECASE)


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
    if in_title(m.string, m.start(), end):
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
    if not cap_ok(m["wd"]):
        return None
    wd = WEEKDAYS[m["wd"].lower()]
    rel = re.sub(r"\s+", " ", m["rel"]).lower() if m["rel"] else None
    mod = modifier_of(m["mod"])
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
    if (m["wd"] and not cap_ok(m["wd"])) or (m["mon"] and not cap_ok(m["mon"])):
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
    if not cap_ok(wd):
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
    mod = modifier_of(modw) if modw not in ("earlier", "later", "around", "by") else None
    if modw == "around":
        mod = "APPROX"
    anaphoric = rel in ("that", "the same", "the following", "the previous", "the preceding", "the prior")
    start = m.start("rel") if m["in"] and not m["mod"] else m.start()
    after = m.string[m.end() : m.end() + 30].lower()
    # "the past year"/"the next two..." take durations elsewhere; "the last year of his term" is not a date
    if rel in ("the last", "the next", "the past") and re.match(r"\s+(?:of|or|and)\b", after):
        return None
    if in_title(m.string, start, m.end()):
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
    rf"(?<![\w-])(?:(?P<appr>about|almost|nearly|roughly|some|around|approximately|more\s+than|less\s+than|at\s+least|just|barely|only|over|under)\s+)?(?P<x>(?P<n>{NUM})\s+(?P<u>{UNITWORDS})\s+(?P<dir>ago|earlier|before|later|after|from\s+now|hence|previously|back|since))(?!\w)",
)
def _ago(m: re.Match[str]) -> Candidate | None:
    direction = re.sub(r"\s+", " ", m["dir"].lower())
    after = m.string[m.end() : m.end() + 10].lower()
    if direction in ("before", "after", "since") and not re.match(r"\s*[,.;]|\s*$|\s+(?:when|that)\b", after):
        return None  # "two days before the vote": a relation, not a date
    n = parse_number(m["n"])
    unit = unit_of(m["u"])
    sign = -1 if direction in ("ago", "earlier", "before", "previously", "back") else 1
    from_anchor = direction in ("ago", "from now", "hence", "back")
    back = direction in ("ago", "earlier")
    minutes = m["u"].lower().startswith("min")
    res = rs.ago(n, unit, sign, from_anchor, approximator_of(m["appr"]), minutes, quarter_back=back)
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
    res = rs.ago(n, unit_of(m["u"]), 1, True, approximator_of(m["appr"]))
    return Candidate(m.start(), m.end(), "DATE", res, priority=5, relative=True, extra={"offset": True})


_DUR_PRE = r"the\s+(?:past|last|next|first|latest|previous|coming|final|following|initial|remaining|full|entire|whole|same|prior|preceding|ensuing|subsequent)|the|(?:over|during|in|for)\s+the\s+(?:past|last|next|coming)|past|last|next|first|another|(?:an\s+)?additional|the\s+(?:first|last|next|past)\s+(?:few|several|couple\s+of)"


@rule(
    "duration",
    rf"(?<![\w$£€-])(?:(?P<appr>about|almost|nearly|roughly|some|around|approximately|more\s+than|less\s+than|at\s+least|at\s+most|just|barely|only|over|under|up\s+to|within|upwards\s+of|fewer\s+than)\s+)?(?P<x>(?:(?P<pre>{_DUR_PRE})\s+)?(?P<n>{NUM})(?:\s+(?:or|to)\s+(?P<n2>{NUM}))?\s+(?:(?:more|additional|full|long|straight|consecutive|successive)\s+)?(?P<u>{UNITWORDS}))(?!\w)(?!-)(?!\s+(?:old|of\s+age)\b)",
)
def _duration(m: re.Match[str]) -> Candidate | None:
    text = m.string
    nword = m["n"].lower()
    unit = unit_of(m["u"])
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
    mod = approximator_of(m["appr"])
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
    if in_title(text, start, m.end()):
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
    value = rs.length_value(n, unit_of(m["u"]), minutes=m["u"].lower() == "minute")
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
    value = rs.length_value(None, unit_of(m["u"]), minutes=m["u"].lower() == "minutes")
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
