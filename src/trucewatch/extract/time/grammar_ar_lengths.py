"""Arabic durations, clock times, sets ("كل يوم", "يوميا") and reference words.

Rules of the Arabic time grammar (see ``grammar_ar``), in declaration order, after the
calendar rules of ``grammar_ar_dates``.
"""

from __future__ import annotations

import re

from trucewatch.extract.time import resolvers as rs
from trucewatch.extract.time.rules import Candidate, Rule, rule_decorator
from trucewatch.extract.time.grammar_ar_words import (
    ALEF,
    APPR,
    DIACRITICS,
    DIG,
    DUALWORD,
    LEX,
    NUM,
    NUMWORDS,
    PFX,
    PLURAL_VAGUE,
    REFS,
    SINGULAR,
    TAN,
    UNITS,
    UNITWORD,
    VAGUE,
    WEEKDAY,
    WEEKDAYS,
    WEEKDAY_BARE,
    WORD_END,
    alt,
    approx_of,
    length_of,
    lookup,
    norm,
    parse_number,
    singular_ok,
    span_start,
    to_int,
    word_before,
)

RULES: list[Rule] = []
rule = rule_decorator(RULES)


# ---- durations

_FOR = r"(?:لمد[ةه]|مد[ةه]|طيل[ةه]|طوال|على\s+مد[ىي]|على\s+مدار|خلال|في\s+غضون|غضون)"


@rule(
    "duration",
    rf"(?:(?<!\w)[وف]?(?P<appr>{APPR})\s+)?{PFX}(?P<x>(?:{ALEF}لـ?\s?)?(?P<n>{NUM})\s+(?P<u>{UNITWORD})(?:\s+(?P<half>ونصف|ونص))?){WORD_END}",
)
def _duration(m: re.Match[str]) -> Candidate | None:
    text = m.string
    u = norm(m["u"])
    n = parse_number(m["n"])
    if n is None and not re.fullmatch(VAGUE, norm(m["n"])):
        return None
    unit = UNITS[u]
    before = norm(text[max(0, m.start() - 12) : m.start()])
    if unit == "H" and re.search(r"(?:^|\s)الساعه\s*$", before):
        return None  # "الساعة 10": a clock time
    if n is not None and n > 1000:
        return None
    if m["half"] and n is not None:
        n += 0.5
    return rs.fixed_duration(span_start(m), m.end(), rs.length_value(n, unit, u.startswith("دقي")), approx_of(m))


@rule("duration_dual", rf"(?:(?<!\w)[وف]?(?P<appr>{APPR})\s+)?{PFX}(?P<x>(?P<dual>{DUALWORD})){WORD_END}")
def _duration_dual(m: re.Match[str]) -> Candidate | None:
    return _one_word_duration(m)


@rule(
    "duration_single",
    rf"(?:(?P<lead>{_FOR})\s+)?(?:(?<!\w)[وف]?(?P<appr>{APPR})\s+)?{PFX}(?P<x>(?P<sg>{SINGULAR})(?:\s+(?P<one>واحد[ةه]?))?){WORD_END}",
)
def _duration_single(m: re.Match[str]) -> Candidate | None:
    if not m["lead"] and not m["one"] and not m["appr"]:
        return None  # "يوم", "عام" alone are not lengths
    if not m["one"] and not singular_ok(m):
        return None
    return _one_word_duration(m)


def _one_word_duration(m: re.Match[str]) -> Candidate:
    """A length said in one word, dual ("يومين") or singular ("عام"), with its approximator."""
    n, unit, minutes = length_of(m)  # type: ignore[misc]  # a dual or singular always reads
    return rs.fixed_duration(span_start(m), m.end(), rs.length_value(n, unit, minutes), approx_of(m))


@rule(
    "duration_def",
    rf"{PFX}(?P<x>{ALEF}ل(?P<u>{PLURAL_VAGUE})\s+{ALEF}ل(?P<n>{NUMWORDS})\s+(?:{alt(['الماضية', 'الأخيرة', 'المقبلة', 'القادمة', 'الأولى', 'المنصرمة'])})){WORD_END}",
)
def _duration_def(m: re.Match[str]) -> Candidate | None:
    """"الأشهر الستة الماضية": the past six months, a duration."""
    n = parse_number(m["n"])
    if n is None:
        return None
    return rs.fixed_duration(span_start(m), m.end(), rs.length_value(n, lookup(UNITS, m["u"])), priority=4)


# ---- clock times


@rule(
    "clock",
    rf"{PFX}(?P<x>(?:تمام\s+)?(?:{ALEF}ل)?ساع[ةه]\s+(?P<h>{DIG}{{1,2}})(?:[:.](?P<mi>{DIG}{{2}}))?(?:\s+(?P<ap>صباح{TAN}ا{TAN}|مساء{TAN}|ظهر{TAN}ا{TAN}|فجر{TAN}ا{TAN}|ليل{TAN}ا{TAN}))?|(?P<h2>{DIG}{{1,2}}):(?P<mi2>{DIG}{{2}})(?:\s+(?P<ap2>صباح{TAN}ا{TAN}|مساء{TAN}))?|منتصف\s+{ALEF}لليل){WORD_END}",
)
def _clock(m: re.Match[str]) -> Candidate | None:
    if m["h"] is None and m["h2"] is None:
        h, mi, ap = 24, 0, ""
    else:
        h = to_int(m["h"] or m["h2"])
        mi = to_int(m["mi"] or m["mi2"] or "0")
        ap = norm(m["ap"] or m["ap2"] or "")
    if h > 24 or mi > 59:
        return None
    if m["h2"] is not None and not ap:
        before = word_before(m.string, m.start())
        if before not in ("الساعه", "تمام", "عند", "حتي", "منذ", "في"):
            return None  # "5:30" alone may be a score or a verse
    if ap.startswith(("مساء", "ليل")) and h < 12:
        h += 12
    if ap.startswith("ظهر") and h < 12 and h != 0:
        h += 12 if h < 6 else 0
    clock = "24:00" if h == 24 else f"{h:02d}:{mi:02d}"
    return Candidate(span_start(m), m.end(), "TIME", rs.clock(clock), priority=4, relative=True)


# ---- sets and references

_ADVERBS = {"يوميا": ("P1D", "1X"), "اسبوعيا": ("P1W", "1X"), "شهريا": ("P1M", "1X"), "سنويا": ("P1Y", "1X")}
_ADVERB = rf"(?:يومي|{ALEF}سبوعي|شهري|سنوي){TAN}ا{TAN}"


@rule(
    "set_word",
    rf"{PFX}(?P<x>(?:(?P<k>مر[ةه](?:\s+واحد[ةه])?|مرتين|مرتان|(?P<kn>{NUM})\s+مرات)\s+)?(?P<adv>{_ADVERB})){WORD_END}",
)
def _set_word(m: re.Match[str]) -> Candidate | None:
    v, freq = _ADVERBS[DIACRITICS.sub("", norm(m["adv"]))]
    if m["k"]:
        freq = _times(m["k"], m["kn"])
        if freq is None:
            return None
    return rs.fixed_set(span_start(m), m.end(), v, freq=freq)


def _times(k: str, kn: str | None) -> str | None:
    w = norm(k)
    if w.startswith("مره"):
        return "1X"
    if w.startswith("مرت"):
        return "2X"
    n = parse_number(kn or "")
    return f"{rs.fmt(n)}X" if n else None


_SET_UNIT = {"يوم": "P{n}D", "ليله": "P{n}D", "اسبوع": "P{n}W", "شهر": "P{n}M", "عام": "P{n}Y", "سنه": "P{n}Y",
             "ساعه": "PT{n}H", "دقيقه": "PT{n}M"}
_SET_SG = alt(["يوم", "ليلة", "أسبوع", "شهر", "عام", "سنة", "ساعة", "دقيقة"], first=False)


@rule(
    "set_every",
    rf"{PFX}(?P<x>كل\s+(?:(?:يوم\s+)?(?P<wd>{WEEKDAY_BARE}|{WEEKDAY})|(?P<dual>{DUALWORD})|(?P<n>{NUM})\s+(?P<u>{UNITWORD})|(?P<sg>{_SET_SG}))){WORD_END}",
)
def _set_every(m: re.Match[str]) -> Candidate | None:
    if m["wd"]:
        w = norm(m["wd"])
        wd = WEEKDAYS.get(w) or WEEKDAYS.get("ال" + w)
        if wd is None:
            return None
        return rs.weekday_set(span_start(m), m.end(), wd)
    if m["sg"] and re.match(rf"\s*(?:{ALEF}ل|من(?!\w))", m.string[m.end() : m.end() + 5]):
        return None  # "كل يوم الجمعة" is caught above; "كل شهر من" is not a set
    length = length_of(m)
    if length is None or length[0] is None:
        return None
    n, unit, minutes = length
    if minutes or unit in ("H", "S"):
        v = f"PT{rs.fmt(n)}{'M' if minutes else unit}"  # a set keeps its amount as said (PT1.5H), as in English
    else:
        v = rs.duration_value(n, unit)
    return rs.fixed_set(span_start(m), m.end(), v, priority=4, quant="EVERY")


@rule(
    "set_times",
    rf"{PFX}(?P<x>(?P<k>مر[ةه](?:\s+واحد[ةه])?|مرتين|مرتان|(?P<kn>{NUM})\s+مرات)\s+(?:في|كل)\s+(?:{ALEF}ل)?(?P<u>{_SET_SG})){WORD_END}",
)
def _set_times(m: re.Match[str]) -> Candidate | None:
    freq = _times(m["k"], m["kn"])
    if freq is None:
        return None
    v = lookup(_SET_UNIT, m["u"]).format(n=1)
    return rs.fixed_set(span_start(m), m.end(), v, priority=4, freq=freq)


@rule("reference", rf"{PFX}(?P<x>{alt([w for ws in LEX['references'].values() for w in ws])}){WORD_END}")
def _reference(m: re.Match[str]) -> Candidate | None:
    w = norm(m["x"])
    if w.startswith("ل") and not w.startswith("ال"):
        w = "ا" + w
    value = REFS.get(w) or REFS.get(DIACRITICS.sub("", w))
    if value is None:
        return None
    return rs.reference(span_start(m), m.end(), value)
