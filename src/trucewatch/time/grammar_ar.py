"""Arabic time grammar: absolute dates, months, weekdays, relative forms, durations, sets.

Built like the English grammar (``grammar_en``): regexes from the Arabic lexicon
(``resources/time/ar.yaml``) and one handler per rule returning a ``Candidate`` whose
resolver, one of the shared ``resolvers``, gives TIMEX3 values.

What the Arabic side adds:

* digits may be Western (3), Arabic-Indic (٣) or Persian (۳), mixed freely;
* both month-name systems (يونيو and حزيران) and the doubled form "حزيران/يونيو" or
  "يونيو (حزيران)", which is one date; the Maghrebi names too (جوان، جويلية...);
* spelling variants are matched without listing them: any alef form (ا أ إ آ) for any
  other, final ة/ه and ي/ى, so أكتوبر/اكتوبر and الإثنين/الاثنين are one entry;
* words may carry the glued conjunctions and prepositions و ف ب ل ك ("وفي يونيو",
  "بالأمس", "ولمدة"). **Spans leave those letters out**: the span of "وأمس" is
  "أمس", of "بالأمس" "الأمس". The one exception is ل + ال written "لل" ("للعام
  الماضي"), where the span starts at the first ل so that it still reads as a word.

Spans otherwise follow the English grammar: separate prepositions (في، منذ، خلال،
لمدة، بتاريخ) stay out, nouns that belong to the expression stay in ("يوم الجمعة",
"عام 2019", "شهر مارس"), approximators (نحو، أكثر من) become the ``mod``. Numeric dates
are read day first ("03/06/2020" is 3 June) unless the year comes first (2020/06/03).
"منذ"/"قبل" + a length ("منذ شهرين", "قبل أسبوعين") are dates counted back from the
anchor, as "two months ago".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from datetime import date
from functools import lru_cache

from trucewatch.time import resolvers as rs
from trucewatch.time.lexicon import alternation, inverse, load
from trucewatch.time.rules import Candidate, Rule, index_words, rule_decorator, with_cores

LEX = load("ar")

# ---------------------------------------------------------------- spelling

_DIACRITICS = re.compile("[\u064b-\u0652\u0670\u0640]")  # harakat, tanween, dagger alef, tatweel
_NORM = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
_ALEF = "[اأإآٱ]"
_DIGIT_CHARS = {str(i): f"{i}{chr(0x660 + i)}{chr(0x6F0 + i)}" for i in range(10)}
DIG = "[0-9٠-٩۰-۹]"
_TAN = "[\u064b-\u0652]?"  # an optional tanween or haraka


def norm(text: str) -> str:
    """A lookup key: no diacritics or tatweel, one alef, final ة as ه, ى as ي, one space."""
    t = _DIACRITICS.sub("", str(text)).translate(_NORM)
    return re.sub(r"\s+", " ", t).strip()


def to_int(digits: str) -> int:
    """``int`` of Western, Arabic-Indic or Persian digits (Python reads them all)."""
    return int(digits)


def dc(chars: str) -> str:
    """A character class for these digits in all three scripts: dc("12") -> [12١٢۱۲]."""
    return "[" + "".join(_DIGIT_CHARS[c] for c in chars) + "]"


_STRICT = {"آب"}  # "آب" (August) must keep its madda: "أب" is "father"


def ar_re(word: str, first: bool = True) -> str:
    """A regex for ``word`` with its alef, final ة/ه and ى/ي variants.

    With ``first`` a leading ال also matches the bare ل left after a glued ل (للعام).
    """
    w = str(word).strip()
    if w in _STRICT:
        return re.escape(w)
    art = ""
    if first and w.startswith("ال") and len(w) > 3:
        art = rf"(?:{_ALEF}ل|(?<=ل)ل)"
        w = w[2:]
    out = []
    for i, ch in enumerate(w):
        last = i == len(w) - 1 or w[i + 1] == " "
        if ch in "اأإآٱ" and last and i > 0:
            out.append(_TAN + _ALEF + _TAN)  # يوماً / يومًا
        elif ch in "اأإآٱ":
            out.append(_ALEF)
        elif ch in "ةه" and last:
            out.append("[ةه]")
        elif ch in "يى" and last:
            out.append("[يى]")
        elif ch == " ":
            out.append(r"\s+")
        else:
            out.append(re.escape(ch))
    return art + "".join(out)


def alt(words: Iterable[Any], first: bool = True) -> str:
    """A regex alternation of ``words``, each with its spelling variants (``ar_re``)."""
    return alternation(words, lambda w: ar_re(w, first))


MONTHS = inverse(LEX["months"], norm)
WEEKDAYS = inverse(LEX["weekdays"], norm)
SEASONS = inverse(LEX["seasons"], norm)
PARTS = inverse(LEX["parts_of_day"], norm)
MODS = inverse(LEX["modifiers"], norm)
RELS = inverse(LEX["relations"], norm)
REFS = inverse(LEX["references"], norm)
NUMBERS: dict[str, float] = {norm(k): v for k, v in LEX["numbers"].items()}
UNITS: dict[str, str] = {norm(k): v for k, v in LEX["units"].items()}
DUALS: dict[str, str] = {norm(k): v for k, v in LEX["duals"].items()}
SETS: dict[str, list[str]] = {norm(k): v for k, v in LEX["sets"].items()}
AMBIGUOUS_MONTHS = {norm(w) for w in LEX["ambiguous_months"]}

# ---------------------------------------------------------------- regex pieces

PFX = r"(?<!\w)(?:[وف]?[بلك]?)"  # glued conjunction and preposition, left out of spans
_E = r"(?!\w)"
YEAR = rf"(?:{dc('1')}{dc('6789')}{DIG}{DIG}|{dc('2')}{dc('0')}{DIG}{DIG})(?!\d)"
DAYNUM = rf"(?<![\d٫٬.,])(?:{dc('12')}{DIG}|{dc('3')}{dc('01')}|{dc('0')}?{dc('123456789')})(?!\d)"
_AD = r"(?:\s*م(?!\w))?"  # "2020م": the Gregorian-era letter


def _month_forms(n: int) -> str:
    return alt(LEX["months"][n], first=False)


MONTH_ONE = "|".join(f"(?:{_month_forms(n)})" for n in range(1, 13))
_PAIRS = "|".join(
    rf"(?:(?:{_month_forms(n)})\s*(?:/|\\|\(|-|–)\s*(?:{_month_forms(n)})(?:\s*\))?)" for n in range(1, 13)
)
MONTH = rf"(?:{_PAIRS}|{MONTH_ONE})(?!\w)"
_MONTH_ONE_RE = re.compile(rf"(?:{MONTH_ONE})")

WEEKDAY = alt([w for ws in LEX["weekdays"].values() for w in ws])
WEEKDAY_BARE = alt([w[2:] for ws in LEX["weekdays"].values() for w in ws], first=False)  # جمعة in "كل جمعة"
MOD = alt([w for ws in LEX["modifiers"].values() for w in ws], first=False)
REL_LAST = alt(LEX["relations"]["last"])
REL_NEXT = alt(LEX["relations"]["next"])
REL_THIS = alt(LEX["relations"]["this"])
REL_ANY = alt([w for ws in LEX["relations"].values() for w in ws])
POD = alt(["صباح", "مساء", "ليلة", "ليل", "فجر", "ظهر", "عصر", "ظهيرة", "صبيحة", "منتصف ليل", "بعد ظهر"], first=False)

_NUMWORDS = alt(LEX["numbers"], first=False)
NUMWORD = rf"(?:(?:{_NUMWORDS})(?:\s+(?:و\s*)?(?:{_NUMWORDS}))*)"
VAGUE = alt(LEX["vague_numbers"], first=False)
DIGITS = rf"(?<![\d٫٬.,])(?<!\d\s){DIG}+(?:[.,٫]{DIG}+)?(?!\d)"
NUM = rf"(?:{DIGITS}|{NUMWORD}|{VAGUE})"
UNITWORD = alt(LEX["units"], first=False)
DUALWORD = alt(LEX["duals"], first=False)
_SINGULAR = ["ثانية", "دقيقة", "ساعة", "يوم", "ليلة", "أسبوع", "شهر", "عام", "سنة", "عقد", "قرن"]
SINGULAR = alt(_SINGULAR, first=False)
_PLURAL_VAGUE = alt(["ساعات", "أيام", "أسابيع", "أشهر", "شهور", "سنوات", "أعوام", "عقود"], first=False)
_ORDINALS = {
    "الاول": 1, "الثاني": 2, "الثالث": 3, "الرابع": 4, "الخامس": 5, "السادس": 6, "السابع": 7,
    "الثامن": 8, "التاسع": 9, "العاشر": 10,
}
ORDINAL = alt(["الأول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع", "العاشر"])
_APPR = {
    "نحو": "APPROX", "حوالي": "APPROX", "حوالى": "APPROX", "قرابة": "APPROX", "زهاء": "APPROX",
    "ما يقارب": "APPROX", "ما يقرب من": "APPROX", "اكثر من": "MORE_THAN", "ما يزيد عن": "MORE_THAN",
    "ما يزيد علي": "MORE_THAN", "اقل من": "LESS_THAN",
}
APPR = alt(["نحو", "حوالي", "حوالى", "قرابة", "زهاء", "ما يقارب", "ما يقرب من", "أكثر من", "ما يزيد عن",
            "ما يزيد على", "أقل من"], first=False)
_YEARWORD = rf"(?:{_ALEF}ل|(?<=ل)ل)?(?:عام|سن[ةه])"


def _unit(word: str) -> str:
    return UNITS.get(norm(word), "D")


def parse_number(text: str) -> float | None:
    """An Arabic number in digits of any script or words ("ثلاثة", "خمسة وعشرين"); None if vague."""
    t = norm(text)
    if re.fullmatch(rf"{DIG}+", t):
        return float(to_int(t))
    if re.fullmatch(rf"{DIG}+[.,٫]{DIG}+", t):
        whole, frac = re.split(r"[.,٫]", t)
        return float(f"{to_int(whole)}.{to_int(frac)}")
    if t in NUMBERS:
        return NUMBERS[t]
    total = 0.0
    for tok in t.split(" "):
        if tok.startswith("و") and tok not in NUMBERS:
            tok = tok[1:]
        if not tok:
            continue
        if tok not in NUMBERS:
            return None
        total += NUMBERS[tok]
    return total or None


def lookup(table: dict[str, Any], word: str) -> Any:
    """``table[norm(word)]``, also for the contracted article of لل ("للجمعة" -> الجمعة)."""
    k = norm(word)
    if k in table:
        return table[k]
    if k.startswith("ل") and "ا" + k in table:
        return table["ا" + k]
    raise KeyError(word)


def _start(m: re.Match[str], group: str = "x") -> int:
    """Where the span starts: after the glued prefix, but keeping the ل of a contracted لل."""
    s = m.start(group)
    if s > m.start() and m.string[s - 1] == "ل" and m.string[s] == "ل":
        s -= 1
    return s


def _word_before(text: str, pos: int) -> str:
    """The normalised word before ``pos``, glued و/ف dropped."""
    m = re.search(r"(\w+)\W*$", text[max(0, pos - 30) : pos])
    if not m:
        return ""
    w = norm(m.group(1))
    if len(w) > 3 and w[0] in "وف":
        w = w[1:]
    return w


def _word_after(text: str, pos: int) -> str:
    m = re.match(r"\s*(\w+)", text[pos : pos + 30])
    return norm(m.group(1)) if m else ""


def _mod(word: str | None) -> str | None:
    return MODS.get(norm(word)) if word else None


def _rel(word: str | None) -> str | None:
    return RELS.get(norm(word)) if word else None


def _approx(m: re.Match[str]) -> str | None:
    """The TimeML mod of a match's approximator (group ``appr``: نحو، أكثر من...)."""
    return _APPR.get(norm(m["appr"])) if m["appr"] else None


def _month_of(text: str) -> int:
    return MONTHS[norm(_MONTH_ONE_RE.match(text).group())]


# ---------------------------------------------------------------- rules

RULES: list[Rule] = []
rule = rule_decorator(RULES)


# ---- absolute dates

_OF_YEAR = rf"(?:\s*[،,]?\s*(?:من\s+)?(?:{_YEARWORD}\s+)?(?P<y>{YEAR}){_AD})"


@rule(
    "day_month_year",
    rf"{PFX}(?P<x>(?:(?:يوم\s+)?(?P<wd>{WEEKDAY}){_E}\s*[،,]?\s+)?(?:يوم\s+)?(?:(?P<d>{DAYNUM})|(?P<od>{ORDINAL})\s+من)\s*(?:من\s+)?(?:شهر\s+)?(?P<mon>{MONTH}){_OF_YEAR}?)",
)
def _day_month_year(m: re.Match[str]) -> Candidate | None:
    day = to_int(m["d"]) if m["d"] else _ORDINALS[norm(m["od"])]
    month = _month_of(m["mon"])
    y = to_int(m["y"]) if m["y"] else None
    wd = lookup(WEEKDAYS, m["wd"]) if m["wd"] else None
    return rs.day_candidate(_start(m), m.end(), y, month, day, wd)


@rule("month_day_year", rf"{PFX}(?P<x>(?P<mon>{MONTH})\s+(?P<d>{DAYNUM})\s*[,،]\s*(?P<y>{YEAR}))")
def _month_day_year(m: re.Match[str]) -> Candidate | None:
    """"يونيو 21, 2021": the English order, as sites that translate their templates write it."""
    return rs.day_candidate(_start(m), m.end(), to_int(m["y"]), _month_of(m["mon"]), to_int(m["d"]))


@rule(
    "numeric_date",
    rf"(?<![/.-]){PFX}(?P<x>(?P<a>{DIG}{{1,4}})(?P<sep>[/.-])(?P<b>{DIG}{{1,2}})(?P=sep)(?P<c>{DIG}{{1,4}}))(?![\w/-]|\.\d)",
)
def _numeric(m: re.Match[str]) -> Candidate | None:
    a, b, c = m["a"], m["b"], m["c"]
    if len(a) == 4 and len(c) <= 2:
        y, mo, d = to_int(a), to_int(b), to_int(c)
    elif len(c) == 4 and len(a) <= 2:
        d, mo, y = to_int(a), to_int(b), to_int(c)
    else:
        return None
    if not 1600 <= y <= 2099:
        return None
    try:
        dd = date(y, mo, d)
    except ValueError:
        return None
    return rs.fixed_day(_start(m), m.end(), dd)


@rule(
    "month_year",
    rf"{PFX}(?P<x>(?:(?P<mod>{MOD})\s+)?(?:شهر\s+)?(?P<mon>{MONTH}){_OF_YEAR})",
)
def _month_year(m: re.Match[str]) -> Candidate | None:
    return rs.fixed_month(_start(m), m.end(), to_int(m["y"]), _month_of(m["mon"]), _mod(m["mod"]))


_MONTH_OK_BEFORE = {norm(w) for w in [
    "في", "منذ", "خلال", "حتى", "من", "إلى", "الى", "مطلع", "بداية", "أوائل", "منتصف", "أواسط", "أواخر",
    "نهاية", "شهر", "بين", "قبل", "بعد", "أو", "مستهل", "ختام", "طيلة", "طوال", "وفي", "ففي", "اعتبارا",
    "ابتداء", "بحلول", "غضون", "شهري", "شهرى",
]}


@rule(
    "month",
    rf"{PFX}(?P<x>(?:(?P<mod>{MOD})\s+)?(?P<sh>شهر\s+)?(?P<mon>{MONTH})"
    rf"(?:\s+(?P<rel>{REL_LAST}|{REL_NEXT}|{REL_THIS}){_E}|\s+من\s+(?P<ry>(?:هذا\s+|هذه\s+)?{_YEARWORD}(?:\s+(?:{REL_LAST}|{REL_NEXT}|{REL_THIS}))?){_E})?)",
)
def _month(m: re.Match[str]) -> Candidate | None:
    month = _month_of(m["mon"])
    text = m.string
    start = _start(m)
    first = norm(_MONTH_ONE_RE.match(m["mon"]).group())
    if first in AMBIGUOUS_MONTHS and not (m["mod"] or m["sh"] or m["rel"] or m["ry"]):
        glued = m.start("x") > m.start()
        if not glued and _word_before(text, m.start()) not in _MONTH_OK_BEFORE:
            return None  # مارس "practised", نيسان the car maker...
    ry = norm(m["ry"]) if m["ry"] else ""
    ry_off = None
    if ry:
        r = _rel(ry.split(" ")[-1])
        if r is None and not ry.startswith(("هذا", "هذه")):
            return None
        ry_off = {"last": -1, "next": 1}.get(r or "", 0)
    rel = _rel(m["rel"])
    res = rs.month(month, start, m.end(), _mod(m["mod"]), rel, ry_off)
    extra: dict = {"month": month, "rel": rel}
    if ry:
        extra = {"rel": "year"}  # "مارس من العام الماضي": no evidence of the current year's months
    return Candidate(start, m.end(), "DATE", res, priority=3, relative=True, extra=extra)


_YEAR_BEFORE_BAD = re.compile(
    r"(?<!\w)[وفبل]?(?:ال)?(?:قرار|قرارات|رقم|عدد|ماده|بند|فقره|صفحه|رحله|طريق|مرسوم|قانون|الرقم)\s*$|[$£€]\s*$"
)
_YEAR_AFTER_BAD = re.compile(
    r"^\s*(?:%|٪|بالمئه|بالمائه|في المئه|في المائه|قتيل|قتلي|شخص|اشخاص|مقاتل|جندي|جنود|مدني|لاجئ|نازح|مهاجر|دولار|يورو|دينار|جنيه|ريال|درهم|كيلومتر|كلم|كم|متر|طن|برميل|صاروخ|قذيفه|منزل|عائله|اسره|سجين|معتقل|اسير|حاله|عنصر|مرتزق|صوت|عسكري)"
)


@rule(
    "year",
    rf"{PFX}(?P<x>(?:(?P<mod>{MOD})\s+)?(?:(?P<yw>{_YEARWORD})\s+)?(?P<y>{YEAR}){_AD})(?!\w)(?![.,٫]\d)(?!\s*[-–/]\s*\d)",
)
def _year(m: re.Match[str]) -> Candidate | None:
    text = m.string
    if not m["yw"] and not m["mod"]:
        if _YEAR_BEFORE_BAD.search(norm(text[max(0, m.start() - 14) : m.start()])):
            return None
        if re.search(r"\d\s$", text[max(0, m.start() - 2) : m.start()]):
            return None  # "1 2019": part of a number written with spaces
    if _YEAR_AFTER_BAD.match(norm(text[m.end() : m.end() + 16])):
        return None
    return rs.fixed_year(_start(m), m.end(), to_int(m["y"]), _mod(m["mod"]))


@rule("year_range", rf"(?<![/.-]){PFX}(?P<x>(?P<y>{YEAR})\s*[-–/]\s*(?:{YEAR}|{DIG}{{2}}(?!\d))){_E}(?!\s*[-–/]\s*\d)")
def _year_range(m: re.Match[str]) -> Candidate | None:
    return rs.fixed_year(_start(m), m.end(), to_int(m["y"]))


_DECADES = {"عشرين": 2, "ثلاثين": 3, "اربعين": 4, "خمسين": 5, "ستين": 6, "سبعين": 7, "ثمانين": 8, "تسعين": 9}


@rule(
    "decade",
    rf"{PFX}(?P<x>(?:{_ALEF}ل)?(?P<dw>عشرين|ثلاثين|{_ALEF}ربعين|خمسين|ستين|سبعين|ثمانين|تسعين)(?:يات|ات)(?:\s+(?:من\s+)?القرن\s+(?:الماضي|العشرين))?){_E}",
)
def _decade(m: re.Match[str]) -> Candidate | None:
    v = f"19{lookup(_DECADES, m['dw'])}"
    return Candidate(_start(m), m.end(), "DATE", rs.fixed(v, "decade"), priority=3)


@rule(
    "season",
    rf"{PFX}(?P<x>(?:(?P<this>هذا)\s+)?(?P<s>{alt([w for ws in LEX['seasons'].values() for w in ws])})(?:\s+(?P<rel>{REL_LAST}|{REL_NEXT}|{REL_THIS}){_E}|\s+(?:{_YEARWORD}\s+)?(?P<y>{YEAR}))?){_E}",
)
def _season(m: re.Match[str]) -> Candidate | None:
    s = lookup(SEASONS, m["s"])
    rel = _rel(m["rel"]) or ("this" if m["this"] else None)
    if rel is None and not m["y"]:
        return None  # "الربيع العربي", "فصل الصيف": not dates by themselves
    y = to_int(m["y"]) if m["y"] else None
    return Candidate(_start(m), m.end(), "DATE", rs.season(s, y, rel), priority=3, relative=y is None)


_QORD = {"الاول": 1, "الثاني": 2, "الثالث": 3, "الرابع": 4, "الاخير": 4}


@rule(
    "quarter",
    rf"{PFX}(?P<x>الربع\s+(?P<q>{alt(['الأول', 'الثاني', 'الثالث', 'الرابع', 'الأخير'])})(?:\s+(?:من\s+)?(?:{_YEARWORD}\s+)?(?P<y>{YEAR}))?){_E}",
)
def _quarter(m: re.Match[str]) -> Candidate | None:
    q = lookup(_QORD, m["q"])
    y = to_int(m["y"]) if m["y"] else None
    start, end = _start(m), m.end()
    res = rs.quarter(q, y, start, end)
    return Candidate(start, end, "DATE", res, priority=4, relative=y is None, extra={"year": y} if y else {})


# ---- weekdays and days around the anchor


@rule(
    "weekday",
    rf"{PFX}(?P<x>(?:(?P<pod>{POD})\s+)?(?:يوم\s+)?(?P<wd>{WEEKDAY}){_E}(?:\s+(?P<rel>{REL_LAST}|{REL_NEXT}|السابق|التالي){_E})?)",
)
def _weekday(m: re.Match[str]) -> Candidate | None:
    wd = lookup(WEEKDAYS, m["wd"])
    text = m.string
    if wd == 1 and not m["pod"] and m.start("wd") == m.start("x"):
        nxt = _word_after(text, m.end("wd"))
        if _word_before(text, m.start()) in ("بين", "كلا", "هذين", "هاتين") or (
            not m["rel"] and nxt.startswith("ال") and nxt.endswith("ين")
        ):
            return None  # الاثنين "the two" ("بين الاثنين", "الاثنين المحتجزين")
    if wd == 7 and _word_after(text, m.end("wd")) in ("عشر",):
        return None  # الأحد عشر "the eleven"
    r = _rel(m["rel"])
    rel = {"last": "last", "next": "next", "previous": "last", "following": "next"}.get(r or "")
    start, end = _start(m), m.end()
    res = rs.weekday(wd, rel, start, end)
    return Candidate(start, end, "DATE", res, priority=4, relative=True, extra={"weekday": wd, "rel": rel})


_DEICTIC = {"البارحه": -1, "الليله الماضيه": -1, "امس الاول": -2, "اول من امس": -2, "اول امس": -2, "الامس": -1, "امس": -1, "اليوم": 0,
            "غدا": 1, "الغد": 1, "غد": 1, "بعد غد": 2, "الليله": 0, "هذا اليوم": 0}
_DAY_NOT_TODAY = {norm(w) for w in [
    "التالي", "السابق", "الأول", "الثاني", "الثالث", "الرابع", "الخامس", "الأخير", "نفسه", "ذاته", "الذي",
    "التي", "الوطني", "العالمي", "الدولي", "المقبل", "الموعود", "المشهود", "الواحد", "بيوم", "الموالي",
]}


@rule(
    "deictic_day",
    rf"{PFX}(?P<x>(?:(?P<pod>{POD})\s+)?(?P<w>{_ALEF}مس\s+{_ALEF}ل{_ALEF}ول|{_ALEF}ول\s+(?:من\s+)?{_ALEF}مس|{ar_re('الأمس')}|{_ALEF}مس|{ar_re('اليوم')}|غد(?:{_TAN}ا{_TAN})|{ar_re('الغد')}|بعد\s+غد|غد|{ar_re('البارحة')}|{ar_re('الليلة')}(?:\s+الماضي[ةه])?|هذا\s+اليوم){_E}(?:\s+(?P<wd>{WEEKDAY}){_E})?)",
)
def _deictic(m: re.Match[str]) -> Candidate | None:
    text = m.string
    w = norm(m["w"])
    if w.startswith("ل") and not w.startswith("ليل"):
        w = "ا" + w  # contracted لل: للأمس, لليوم
    off = _DEICTIC.get(w)
    if off is None:
        return None
    if w == "غد" and not m["pod"]:
        return None  # bare غد: "يوم غد" is caught with يوم below, "غد" alone is literary
    if w in ("اليوم",):
        after = _word_after(text, m.end("w"))
        if after in _DAY_NOT_TODAY or _word_before(text, m.start()) in ("ذلك", "نفس", "ذات", "هذا", "ذاك"):
            return None  # "اليوم التالي", "اليوم الأول", "ذلك اليوم": not today
    if w == "الليله" and _word_after(text, m.end("w")) in ("نفسها", "ذاتها", "السابقه", "التاليه"):
        return None
    pod = PARTS.get(norm(m["pod"])) if m["pod"] else ("NI" if w.startswith("الليله") else None)
    if m["pod"] and norm(m["pod"]) == "منتصف ليل":
        pod = "NI"
    extra = {"weekday": lookup(WEEKDAYS, m["wd"]), "rel": None} if (m["wd"] and off == 0) else {}
    typ = "TIME" if pod else "DATE"
    return Candidate(_start(m), m.end(), typ, rs.deictic(off, pod), priority=5, relative=True, extra=extra)


@rule("day_of_tomorrow", rf"{PFX}(?P<x>يوم\s+(?P<w>{ar_re('الغد')}|غد)){_E}")
def _day_of_tomorrow(m: re.Match[str]) -> Candidate | None:
    return Candidate(_start(m), m.end(), "DATE", rs.deictic(1), priority=5, relative=True)


@rule(
    "anaphoric_day",
    rf"{PFX}(?P<x>(?:(?P<pod>{POD})\s+)?(?:{ar_re('اليوم')}\s+(?P<a1>التالي|السابق|نفسه|ذاته|الموالي)|(?P<a2>نفس|ذات|ذلك)\s+{ar_re('اليوم', False)}|{ar_re('الليلة')}\s+(?P<a3>نفسها|ذاتها|السابقة|التالية)|(?P<a4>غداة|عشية)\s+(?:ذلك|اليوم\s+التالي|ذلك\s+اليوم))){_E}",
)
def _anaphoric_day(m: re.Match[str]) -> Candidate | None:
    key = norm(m["a1"] or m["a2"] or m["a3"] or m["a4"])
    off = {"التالي": 1, "الموالي": 1, "السابق": -1, "التاليه": 1, "السابقه": -1, "غداه": 1, "عشيه": -1}.get(key, 0)
    pod = PARTS.get(norm(m["pod"])) if m["pod"] else ("NI" if m["a3"] else None)
    typ = "TIME" if pod else "DATE"
    return Candidate(_start(m), m.end(), typ, rs.anaphoric_day(off, pod), priority=4, relative=True)


# ---- weeks, months and years around the anchor

_UNIT_DEF = {"الاسبوع": "W", "الشهر": "M", "العام": "Y", "السنه": "Y", "العقد": "DE", "القرن": "CE"}
UNIT_DEF = alt(["الأسبوع", "الشهر", "العام", "السنة", "العقد", "القرن"])
_TITLE_BEFORE_AM = {norm(w) for w in [
    "الأمين", "أمين", "المدعي", "مدعي", "النائب", "القائد", "المرشد", "الرأي", "المؤتمر", "المدير", "مدير",
    "المنسق", "المفوض", "الحاكم", "المراقب", "المفتش", "القنصل", "المستشار", "الإضراب", "الأمن", "النظام",
    "القطاع", "الشأن", "الصالح", "العفو", "المال", "النفع", "الإنفاق", "الدين", "التعليم", "الوضع", "الإطار",
    "الاتجاه", "الرئيس", "المنسق", "الاستفتاء", "التعبئة", "النفير", "الحشد", "الطابع", "الموقف", "الحظر",
]}
_OFF = {"last": -1, "previous": -1, "next": 1, "following": 1, "this": 0}


@rule(
    "relative_unit",
    rf"{PFX}(?P<x>(?:(?P<we>عطل[ةه])\s+)?(?:(?P<mod>{MOD})\s+)?(?:(?P<this>هذا|هذه)\s+(?P<u1>{UNIT_DEF})|(?P<u2>{UNIT_DEF})(?:\s+(?P<rel>{REL_ANY})|\s+(?P<this2>هذا|هذه))?)){_E}",
)
def _relative_unit(m: re.Match[str]) -> Candidate | None:
    uword = norm(m["u1"] or m["u2"])
    if uword.startswith("لل"):
        uword = uword[1:]
    elif uword.startswith("ل"):
        uword = "ا" + uword
    unit = _UNIT_DEF[uword]
    rel = _rel(m["rel"]) or ("this" if (m["this"] or m["this2"]) else None)
    mod = _mod(m["mod"])
    weekend = unit == "W" and norm(m["mod"] or "") == "نهايه"
    text = m.string
    if rel is None:
        if not mod:
            return None  # "الأسبوع", "العام" alone
        rel = "the"
    if m["we"] and not weekend:
        return None
    if uword == "العام" and m.start("x") == m.start("u2" if m["u2"] else "u1") and _word_before(text, m.start()) in _TITLE_BEFORE_AM:
        return None  # "الأمين العام السابق", "الرأي العام": العام is "general", not "year"
    if weekend:
        mod = None
        unit = "WE"
    # "نهاية الشهر" ("the") is the anchor's month even after another month was named
    res = rs.relative_unit(unit, _OFF.get(rel, 0), rel in ("previous", "following"), mod, rel == "last")
    return Candidate(_start(m), m.end(), "DATE", res, priority=4, relative=True, extra={"rel": rel})


def _length(m: re.Match[str]) -> tuple[float | None, str, bool] | None:
    """(amount, unit, minutes?) from a match with groups n+u, dual or sg; None when unreadable."""
    g = m.groupdict()
    if g.get("dual"):
        w = norm(g["dual"])
        return 2.0, DUALS[w], w.startswith("دقيق")
    if g.get("sg"):
        w = norm(g["sg"])
        return 1.0, UNITS[w], w.startswith("دقيق")
    n = parse_number(m["n"])
    u = norm(m["u"])
    if n is None and not re.fullmatch(VAGUE, norm(m["n"])):
        return None
    return n, UNITS[u], u.startswith("دقي")


def _sg_ok(m: re.Match[str]) -> bool:
    """A bare singular unit ("قبل أسبوع") is a length only when no noun or date follows it."""
    after = m.string[m.end() : m.end() + 20]
    if re.match(r"\s*من\s+الزمن", after):
        return True  # "عقد من الزمن": a decade
    if re.match(rf"\s*(?:{DIG}|{MONTH_ONE}|من(?!\w)|{_ALEF}ل)", after):
        return False  # "منذ عام 2011", "قبل شهر رمضان", "قبل عام من", "منذ يوم الجمعة"
    w = _word_after(m.string, m.end())
    return w not in {norm(x) for x in ["رمضان", "شعبان", "محرم", "صفر", "رجب", "شوال", "ذي", "ذو", "ربيع", "جمادى"]}


_LEN = rf"(?:(?P<n>{NUM})\s+(?P<u>{UNITWORD})|(?P<dual>{DUALWORD})|(?P<sg>{SINGULAR})(?:\s+(?P<one>واحد[ةه]?))?)"


@rule(
    "ago",
    rf"{PFX}(?P<x>(?P<lead>قبل|منذ|بعد)\s+(?:(?P<appr>{APPR})\s+)?(?:{_LEN}|(?P<pl>{_PLURAL_VAGUE}))){_E}",
)
def _ago(m: re.Match[str]) -> Candidate | None:
    text = m.string
    lead = norm(m["lead"])
    after = _word_after(text, m.end())
    if m["sg"] and not m["one"] and not _sg_ok(m):
        return None
    if m["pl"]:
        if re.match(rf"\s*(?:{_ALEF}ل|من(?!\w))", text[m.end() : m.end() + 6]):
            return None  # "منذ أيام الحرب", "بعد أسابيع من الحصار"
        if lead == "بعد":
            return None
        return Candidate(_start(m), m.end(), "DATE", rs.fixed("PAST_REF"), priority=4)
    if lead == "بعد" and (after in ("من", "علي", "ان", "انتهاء") or re.match(r"\s*\w", text[m.end() : m.end() + 3]) and after.startswith("ال")):
        return None  # "بعد ثلاثة أيام من المعارك": a relation, not a date
    length = _length(m)
    if length is None:
        return None
    n, unit, minutes = length
    sign = 1 if lead == "بعد" else -1
    mod = _approx(m)
    res = rs.ago(n, unit, sign, sign < 0, mod, minutes)
    return Candidate(_start(m), m.end(), "DATE", res, priority=5, relative=True, extra={"no_note": sign < 0})


@rule("later", rf"{PFX}(?P<x>(?P<lead>بعد|قبل)\s+ذلك\s+ب(?:{_LEN})){_E}")
def _later(m: re.Match[str]) -> Candidate | None:
    length = _length(m)
    if length is None:
        return None
    n, unit, minutes = length
    sign = 1 if norm(m["lead"]) == "بعد" else -1
    # unlike English and French, not counted from a year last named: "بعد ذلك بعامين" is from the day or anchor
    res = rs.ago(n, unit, sign, False, None, minutes)
    return Candidate(_start(m), m.end(), "DATE", res, priority=5, relative=True)


# ---- durations

_FOR = r"(?:لمد[ةه]|مد[ةه]|طيل[ةه]|طوال|على\s+مد[ىي]|على\s+مدار|خلال|في\s+غضون|غضون)"


@rule(
    "duration",
    rf"(?:(?<!\w)[وف]?(?P<appr>{APPR})\s+)?{PFX}(?P<x>(?:{_ALEF}لـ?\s?)?(?P<n>{NUM})\s+(?P<u>{UNITWORD})(?:\s+(?P<half>ونصف|ونص))?){_E}",
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
    return rs.fixed_duration(_start(m), m.end(), rs.length_value(n, unit, u.startswith("دقي")), _approx(m))


@rule("duration_dual", rf"(?:(?<!\w)[وف]?(?P<appr>{APPR})\s+)?{PFX}(?P<x>(?P<dual>{DUALWORD})){_E}")
def _duration_dual(m: re.Match[str]) -> Candidate | None:
    return _one_word_duration(m)


@rule(
    "duration_single",
    rf"(?:(?P<lead>{_FOR})\s+)?(?:(?<!\w)[وف]?(?P<appr>{APPR})\s+)?{PFX}(?P<x>(?P<sg>{SINGULAR})(?:\s+(?P<one>واحد[ةه]?))?){_E}",
)
def _duration_single(m: re.Match[str]) -> Candidate | None:
    if not m["lead"] and not m["one"] and not m["appr"]:
        return None  # "يوم", "عام" alone are not lengths
    if not m["one"] and not _sg_ok(m):
        return None
    return _one_word_duration(m)


def _one_word_duration(m: re.Match[str]) -> Candidate:
    """A length said in one word, dual ("يومين") or singular ("عام"), with its approximator."""
    n, unit, minutes = _length(m)  # type: ignore[misc]  # a dual or singular always reads
    return rs.fixed_duration(_start(m), m.end(), rs.length_value(n, unit, minutes), _approx(m))


@rule(
    "duration_def",
    rf"{PFX}(?P<x>{_ALEF}ل(?P<u>{_PLURAL_VAGUE})\s+{_ALEF}ل(?P<n>{_NUMWORDS})\s+(?:{alt(['الماضية', 'الأخيرة', 'المقبلة', 'القادمة', 'الأولى', 'المنصرمة'])})){_E}",
)
def _duration_def(m: re.Match[str]) -> Candidate | None:
    """"الأشهر الستة الماضية": the past six months, a duration."""
    n = parse_number(m["n"])
    if n is None:
        return None
    return rs.fixed_duration(_start(m), m.end(), rs.length_value(n, lookup(UNITS, m["u"])), priority=4)


# ---- clock times


@rule(
    "clock",
    rf"{PFX}(?P<x>(?:تمام\s+)?(?:{_ALEF}ل)?ساع[ةه]\s+(?P<h>{DIG}{{1,2}})(?:[:.](?P<mi>{DIG}{{2}}))?(?:\s+(?P<ap>صباح{_TAN}ا{_TAN}|مساء{_TAN}|ظهر{_TAN}ا{_TAN}|فجر{_TAN}ا{_TAN}|ليل{_TAN}ا{_TAN}))?|(?P<h2>{DIG}{{1,2}}):(?P<mi2>{DIG}{{2}})(?:\s+(?P<ap2>صباح{_TAN}ا{_TAN}|مساء{_TAN}))?|منتصف\s+{_ALEF}لليل){_E}",
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
        before = _word_before(m.string, m.start())
        if before not in ("الساعه", "تمام", "عند", "حتي", "منذ", "في"):
            return None  # "5:30" alone may be a score or a verse
    if ap.startswith(("مساء", "ليل")) and h < 12:
        h += 12
    if ap.startswith("ظهر") and h < 12 and h != 0:
        h += 12 if h < 6 else 0
    clock = "24:00" if h == 24 else f"{h:02d}:{mi:02d}"
    return Candidate(_start(m), m.end(), "TIME", rs.clock(clock), priority=4, relative=True)


# ---- sets and references

_ADVERBS = {"يوميا": ("P1D", "1X"), "اسبوعيا": ("P1W", "1X"), "شهريا": ("P1M", "1X"), "سنويا": ("P1Y", "1X")}
_ADVERB = rf"(?:يومي|{_ALEF}سبوعي|شهري|سنوي){_TAN}ا{_TAN}"


@rule(
    "set_word",
    rf"{PFX}(?P<x>(?:(?P<k>مر[ةه](?:\s+واحد[ةه])?|مرتين|مرتان|(?P<kn>{NUM})\s+مرات)\s+)?(?P<adv>{_ADVERB})){_E}",
)
def _set_word(m: re.Match[str]) -> Candidate | None:
    v, freq = _ADVERBS[_DIACRITICS.sub("", norm(m["adv"]))]
    if m["k"]:
        freq = _times(m["k"], m["kn"])
        if freq is None:
            return None
    return rs.fixed_set(_start(m), m.end(), v, freq=freq)


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
    rf"{PFX}(?P<x>كل\s+(?:(?:يوم\s+)?(?P<wd>{WEEKDAY_BARE}|{WEEKDAY})|(?P<dual>{DUALWORD})|(?P<n>{NUM})\s+(?P<u>{UNITWORD})|(?P<sg>{_SET_SG}))){_E}",
)
def _set_every(m: re.Match[str]) -> Candidate | None:
    if m["wd"]:
        w = norm(m["wd"])
        wd = WEEKDAYS.get(w) or WEEKDAYS.get("ال" + w)
        if wd is None:
            return None
        return rs.weekday_set(_start(m), m.end(), wd)
    if m["sg"] and re.match(rf"\s*(?:{_ALEF}ل|من(?!\w))", m.string[m.end() : m.end() + 5]):
        return None  # "كل يوم الجمعة" is caught above; "كل شهر من" is not a set
    length = _length(m)
    if length is None or length[0] is None:
        return None
    n, unit, minutes = length
    if minutes or unit in ("H", "S"):
        v = f"PT{rs.fmt(n)}{'M' if minutes else unit}"  # a set keeps its amount as said (PT1.5H), as in English
    else:
        v = rs.duration_value(n, unit)
    return rs.fixed_set(_start(m), m.end(), v, priority=4, quant="EVERY")


@rule(
    "set_times",
    rf"{PFX}(?P<x>(?P<k>مر[ةه](?:\s+واحد[ةه])?|مرتين|مرتان|(?P<kn>{NUM})\s+مرات)\s+(?:في|كل)\s+(?:{_ALEF}ل)?(?P<u>{_SET_SG})){_E}",
)
def _set_times(m: re.Match[str]) -> Candidate | None:
    freq = _times(m["k"], m["kn"])
    if freq is None:
        return None
    v = lookup(_SET_UNIT, m["u"]).format(n=1)
    return rs.fixed_set(_start(m), m.end(), v, priority=4, freq=freq)


@rule("reference", rf"{PFX}(?P<x>{alt([w for ws in LEX['references'].values() for w in ws])}){_E}")
def _reference(m: re.Match[str]) -> Candidate | None:
    w = norm(m["x"])
    if w.startswith("ل") and not w.startswith("ال"):
        w = "ا" + w
    value = REFS.get(w) or REFS.get(_DIACRITICS.sub("", w))
    if value is None:
        return None
    return rs.reference(_start(m), m.end(), value)


# ---------------------------------------------------------------- cores
# Words every match of a rule contains, as the WordIndex keys them: in every spelling
# the rule's regex accepts (alef forms, final ة/ه and ي/ى, a tanween splitting a final
# alef off) and, for a word that may start the match, with each glued prefix PFX allows
# (the index keeps "وبالأمس" whole). The regex then runs only near them.

_ALEFS = "اأإآٱ"
_PREFIXES = tuple(c + p for c in ("", "و", "ف") for p in ("", "ب", "ل", "ك"))  # what PFX may glue on
_AFTER_L = "\x00"  # marks the ل-form of an article, spelt only after a glued ل (للعام)


def _spellings(word: str, first: bool = True) -> set[str]:
    """Every spelling ``ar_re(word, first)`` accepts, a tanween (any will do: the index splits at it) included."""
    w = str(word).strip()
    if w in _STRICT:
        return {w}
    outs = {""}
    if first and w.startswith("ال") and len(w) > 3:
        outs = {a + "ل" for a in _ALEFS} | {_AFTER_L + "ل"}
        w = w[2:]
    for i, ch in enumerate(w):
        last = i == len(w) - 1 or w[i + 1] == " "
        if ch in _ALEFS and last and i > 0:
            opts = [t + a for t in ("", "\u064b") for a in _ALEFS]
        elif ch in _ALEFS:
            opts = list(_ALEFS)
        elif ch in "ةه" and last:
            opts = ["ة", "ه"]
        elif ch in "يى" and last:
            opts = ["ي", "ى"]
        else:
            opts = [ch]
        outs = {o + x for o in outs for x in opts}
    return outs


def _keys(words: Iterable[str], first: bool = False, glued: tuple[str, ...] = ("",), pick: int = 0) -> set[str]:
    """The index key of word ``pick`` of each spelling of ``words``, with each of ``glued`` (letters) in front."""
    out = set()
    for w in words:
        for s in _spellings(w, first):
            after_l = s.startswith(_AFTER_L)
            keys = index_words(s.replace(_AFTER_L, ""))
            for g in glued:
                if after_l and not g.endswith("ل"):
                    continue
                out.add(g + keys[0] if pick == 0 or len(keys) == 1 else keys[pick])
    return out


def _glued(words: Iterable[str]) -> set[str]:
    """``words`` as they stand at the start of a match, with any prefix PFX allows."""
    return {p + w for w in words for p in _PREFIXES}


def _reference_keys() -> set[str]:
    """A word of each reference: the last of a phrase (it cannot carry a prefix), else the word with its prefixes."""
    out = set()
    for phrase in (w for ws in LEX["references"].values() for w in ws):
        words = phrase.split()
        out |= _keys(words[-1:], pick=-1) if len(words) > 1 else _keys(words, True, _PREFIXES)
    return out


_MONTH_WORDS = [w for ws in LEX["months"].values() for w in ws]
_THE_ALEF = tuple(a + "ل" for a in _ALEFS)  # the article, spelt with any alef
_DECADES_KEYS = {
    p + art + dw + suffix
    for p in _PREFIXES
    for art in ("", *_THE_ALEF)
    for dw in ["عشرين", "ثلاثين", "خمسين", "ستين", "سبعين", "ثمانين", "تسعين", *(a + "ربعين" for a in _ALEFS)]
    for suffix in ("يات", "ات")
}
_CORES: dict[str, set[str]] = {
    # a day number may touch the month, and "من" too in "الأول منيونيو"
    "day_month_year": _keys(_MONTH_WORDS, glued=("", "من")),
    "month_day_year": _keys(_MONTH_WORDS),
    # a numeric date with no four-digit part is refused by its handler, and no match can start inside one
    **dict.fromkeys(["numeric_date", "month_year", "year", "year_range"], {"#4"}),
    "month": _keys(_MONTH_WORDS, glued=_PREFIXES),
    "decade": _DECADES_KEYS,
    "season": _keys([w for ws in LEX["seasons"].values() for w in ws], True, _PREFIXES),
    "quarter": _glued(["الربع"]),
    "weekday": _keys([w for ws in LEX["weekdays"].values() for w in ws], True, _PREFIXES),
    "deictic_day": _keys(["امس", "الأمس", "اليوم", "الغد", "البارحة", "الليلة"], True, _PREFIXES)
    | _keys(["غدا"], glued=_PREFIXES) | _glued(["غد"]),
    "day_of_tomorrow": _keys(["الغد", "غد"], True),
    "anaphoric_day": _keys(["اليوم", "الليلة"], True, _PREFIXES) | _glued(["غداة", "عشية"]),
    "relative_unit": _keys(["الأسبوع", "الشهر", "العام", "السنة", "العقد", "القرن"], True, _PREFIXES),
    "ago": _glued(["قبل", "منذ", "بعد"]),
    "later": {"ذلك"},
    "duration": _keys(LEX["units"]),
    "duration_dual": _keys(LEX["duals"], glued=_PREFIXES),
    "duration_single": _keys(_SINGULAR, glued=_PREFIXES),
    "duration_def": _keys(["الماضية", "الأخيرة", "المقبلة", "القادمة", "الأولى", "المنصرمة"], True),
    # the hour word (perhaps with its article), the minutes of "14:30", or midnight
    "clock": _keys(["ساعة"], glued=tuple(p + a for p in _PREFIXES for a in ("", *_THE_ALEF)))
    | {"#2"} | {a + "لليل" for a in _ALEFS},
    "set_word": {p + stem + end for p in _PREFIXES for stem in ["يومي", "شهري", "سنوي", *(a + "سبوعي" for a in _ALEFS)]
                 for end in ("", "ا")},
    "set_every": _glued(["كل"]),
    "set_times": _keys(["يوم", "ليلة", "أسبوع", "شهر", "عام", "سنة", "ساعة", "دقيقة"], glued=("", *_THE_ALEF)),
    "reference": _reference_keys(),
}


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    """The grammar's rules in declaration order (ties between candidates go to the first), with their cores."""
    return with_cores(RULES, _CORES)


def _with_glued(words: list[str]) -> list[str]:
    out = []
    for w in words:
        out += [w, "و" + w, "ف" + w]
    return out


TENSE_FUTURE: list[str] = _with_glued(list(LEX["tense"]["future"]))
TENSE_PAST: list[str] = _with_glued(list(LEX["tense"]["past"]))
PAST_SUFFIX = None  # Arabic marks the past with no suffix the tagger could read
