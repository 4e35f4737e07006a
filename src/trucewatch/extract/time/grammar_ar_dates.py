"""Arabic calendar expressions: absolute dates, months, years, decades, seasons, quarters,
weekdays, days around the anchor ("أمس", "غدا"), relative weeks, months and years, and
dates counted back from the anchor ("منذ شهرين").

Rules of the Arabic time grammar (see ``grammar_ar``), in declaration order.
"""

from __future__ import annotations

import re
from datetime import date

from trucewatch.extract.time import resolvers as rs
from trucewatch.extract.time.rules import Candidate, Rule, rule_decorator
from trucewatch.extract.time.grammar_ar_words import (
    AD,
    ALEF,
    AMBIGUOUS_MONTHS,
    APPR,
    DAYNUM,
    DIG,
    LENGTH,
    LEX,
    MOD,
    MONTH,
    MONTH_ONE_RE,
    ORDINAL,
    ORDINALS,
    PARTS,
    PFX,
    PLURAL_VAGUE,
    POD,
    REL_ANY,
    REL_LAST,
    REL_NEXT,
    REL_THIS,
    SEASONS,
    TAN,
    WEEKDAY,
    WEEKDAYS,
    WORD_END,
    YEAR,
    YEARWORD,
    alt,
    approx_of,
    ar_re,
    length_of,
    lookup,
    modifier_of,
    month_of,
    norm,
    relation_of,
    singular_ok,
    span_start,
    to_int,
    word_after,
    word_before,
)

RULES: list[Rule] = []
rule = rule_decorator(RULES)


# ---- absolute dates

_OF_YEAR = rf"(?:\s*[،,]?\s*(?:من\s+)?(?:{YEARWORD}\s+)?(?P<y>{YEAR}){AD})"


@rule(
    "day_month_year",
    rf"{PFX}(?P<x>(?:(?:يوم\s+)?(?P<wd>{WEEKDAY}){WORD_END}\s*[،,]?\s+)?(?:يوم\s+)?(?:(?P<d>{DAYNUM})|(?P<od>{ORDINAL})\s+من)\s*(?:من\s+)?(?:شهر\s+)?(?P<mon>{MONTH}){_OF_YEAR}?)",
)
def _day_month_year(m: re.Match[str]) -> Candidate | None:
    day = to_int(m["d"]) if m["d"] else ORDINALS[norm(m["od"])]
    month = month_of(m["mon"])
    y = to_int(m["y"]) if m["y"] else None
    wd = lookup(WEEKDAYS, m["wd"]) if m["wd"] else None
    return rs.day_candidate(span_start(m), m.end(), y, month, day, wd)


@rule("month_day_year", rf"{PFX}(?P<x>(?P<mon>{MONTH})\s+(?P<d>{DAYNUM})\s*[,،]\s*(?P<y>{YEAR}))")
def _month_day_year(m: re.Match[str]) -> Candidate | None:
    """"يونيو 21, 2021": the English order, as sites that translate their templates write it."""
    return rs.day_candidate(span_start(m), m.end(), to_int(m["y"]), month_of(m["mon"]), to_int(m["d"]))


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
    return rs.fixed_day(span_start(m), m.end(), dd)


@rule(
    "month_year",
    rf"{PFX}(?P<x>(?:(?P<mod>{MOD})\s+)?(?:شهر\s+)?(?P<mon>{MONTH}){_OF_YEAR})",
)
def _month_year(m: re.Match[str]) -> Candidate | None:
    return rs.fixed_month(span_start(m), m.end(), to_int(m["y"]), month_of(m["mon"]), modifier_of(m["mod"]))


_MONTH_OK_BEFORE = {norm(w) for w in [
    "في", "منذ", "خلال", "حتى", "من", "إلى", "الى", "مطلع", "بداية", "أوائل", "منتصف", "أواسط", "أواخر",
    "نهاية", "شهر", "بين", "قبل", "بعد", "أو", "مستهل", "ختام", "طيلة", "طوال", "وفي", "ففي", "اعتبارا",
    "ابتداء", "بحلول", "غضون", "شهري", "شهرى",
]}


@rule(
    "month",
    rf"{PFX}(?P<x>(?:(?P<mod>{MOD})\s+)?(?P<sh>شهر\s+)?(?P<mon>{MONTH})"
    rf"(?:\s+(?P<rel>{REL_LAST}|{REL_NEXT}|{REL_THIS}){WORD_END}|\s+من\s+(?P<ry>(?:هذا\s+|هذه\s+)?{YEARWORD}(?:\s+(?:{REL_LAST}|{REL_NEXT}|{REL_THIS}))?){WORD_END})?)",
)
def _month(m: re.Match[str]) -> Candidate | None:
    month = month_of(m["mon"])
    text = m.string
    start = span_start(m)
    first = norm(MONTH_ONE_RE.match(m["mon"]).group())
    if first in AMBIGUOUS_MONTHS and not (m["mod"] or m["sh"] or m["rel"] or m["ry"]):
        glued = m.start("x") > m.start()
        if not glued and word_before(text, m.start()) not in _MONTH_OK_BEFORE:
            return None  # مارس "practised", نيسان the car maker...
    ry = norm(m["ry"]) if m["ry"] else ""
    ry_off = None
    if ry:
        r = relation_of(ry.split(" ")[-1])
        if r is None and not ry.startswith(("هذا", "هذه")):
            return None
        ry_off = {"last": -1, "next": 1}.get(r or "", 0)
    rel = relation_of(m["rel"])
    res = rs.month(month, start, m.end(), modifier_of(m["mod"]), rel, ry_off)
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
    rf"{PFX}(?P<x>(?:(?P<mod>{MOD})\s+)?(?:(?P<yw>{YEARWORD})\s+)?(?P<y>{YEAR}){AD})(?!\w)(?![.,٫]\d)(?!\s*[-–/]\s*\d)",
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
    return rs.fixed_year(span_start(m), m.end(), to_int(m["y"]), modifier_of(m["mod"]))


@rule("year_range", rf"(?<![/.-]){PFX}(?P<x>(?P<y>{YEAR})\s*[-–/]\s*(?:{YEAR}|{DIG}{{2}}(?!\d))){WORD_END}(?!\s*[-–/]\s*\d)")
def _year_range(m: re.Match[str]) -> Candidate | None:
    return rs.fixed_year(span_start(m), m.end(), to_int(m["y"]))


_DECADES = {"عشرين": 2, "ثلاثين": 3, "اربعين": 4, "خمسين": 5, "ستين": 6, "سبعين": 7, "ثمانين": 8, "تسعين": 9}


@rule(
    "decade",
    rf"{PFX}(?P<x>(?:{ALEF}ل)?(?P<dw>عشرين|ثلاثين|{ALEF}ربعين|خمسين|ستين|سبعين|ثمانين|تسعين)(?:يات|ات)(?:\s+(?:من\s+)?القرن\s+(?:الماضي|العشرين))?){WORD_END}",
)
def _decade(m: re.Match[str]) -> Candidate | None:
    v = f"19{lookup(_DECADES, m['dw'])}"
    return Candidate(span_start(m), m.end(), "DATE", rs.fixed(v, "decade"), priority=3)


@rule(
    "season",
    rf"{PFX}(?P<x>(?:(?P<this>هذا)\s+)?(?P<s>{alt([w for ws in LEX['seasons'].values() for w in ws])})(?:\s+(?P<rel>{REL_LAST}|{REL_NEXT}|{REL_THIS}){WORD_END}|\s+(?:{YEARWORD}\s+)?(?P<y>{YEAR}))?){WORD_END}",
)
def _season(m: re.Match[str]) -> Candidate | None:
    s = lookup(SEASONS, m["s"])
    rel = relation_of(m["rel"]) or ("this" if m["this"] else None)
    if rel is None and not m["y"]:
        return None  # "الربيع العربي", "فصل الصيف": not dates by themselves
    y = to_int(m["y"]) if m["y"] else None
    return Candidate(span_start(m), m.end(), "DATE", rs.season(s, y, rel), priority=3, relative=y is None)


_QORD = {"الاول": 1, "الثاني": 2, "الثالث": 3, "الرابع": 4, "الاخير": 4}


@rule(
    "quarter",
    rf"{PFX}(?P<x>الربع\s+(?P<q>{alt(['الأول', 'الثاني', 'الثالث', 'الرابع', 'الأخير'])})(?:\s+(?:من\s+)?(?:{YEARWORD}\s+)?(?P<y>{YEAR}))?){WORD_END}",
)
def _quarter(m: re.Match[str]) -> Candidate | None:
    q = lookup(_QORD, m["q"])
    y = to_int(m["y"]) if m["y"] else None
    start, end = span_start(m), m.end()
    res = rs.quarter(q, y, start, end)
    return Candidate(start, end, "DATE", res, priority=4, relative=y is None, extra={"year": y} if y else {})


# ---- weekdays and days around the anchor


@rule(
    "weekday",
    rf"{PFX}(?P<x>(?:(?P<pod>{POD})\s+)?(?:يوم\s+)?(?P<wd>{WEEKDAY}){WORD_END}(?:\s+(?P<rel>{REL_LAST}|{REL_NEXT}|السابق|التالي){WORD_END})?)",
)
def _weekday(m: re.Match[str]) -> Candidate | None:
    wd = lookup(WEEKDAYS, m["wd"])
    text = m.string
    if wd == 1 and not m["pod"] and m.start("wd") == m.start("x"):
        nxt = word_after(text, m.end("wd"))
        if word_before(text, m.start()) in ("بين", "كلا", "هذين", "هاتين") or (
            not m["rel"] and nxt.startswith("ال") and nxt.endswith("ين")
        ):
            return None  # الاثنين "the two" ("بين الاثنين", "الاثنين المحتجزين")
    if wd == 7 and word_after(text, m.end("wd")) in ("عشر",):
        return None  # الأحد عشر "the eleven"
    r = relation_of(m["rel"])
    rel = {"last": "last", "next": "next", "previous": "last", "following": "next"}.get(r or "")
    start, end = span_start(m), m.end()
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
    rf"{PFX}(?P<x>(?:(?P<pod>{POD})\s+)?(?P<w>{ALEF}مس\s+{ALEF}ل{ALEF}ول|{ALEF}ول\s+(?:من\s+)?{ALEF}مس|{ar_re('الأمس')}|{ALEF}مس|{ar_re('اليوم')}|غد(?:{TAN}ا{TAN})|{ar_re('الغد')}|بعد\s+غد|غد|{ar_re('البارحة')}|{ar_re('الليلة')}(?:\s+الماضي[ةه])?|هذا\s+اليوم){WORD_END}(?:\s+(?P<wd>{WEEKDAY}){WORD_END})?)",
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
        after = word_after(text, m.end("w"))
        if after in _DAY_NOT_TODAY or word_before(text, m.start()) in ("ذلك", "نفس", "ذات", "هذا", "ذاك"):
            return None  # "اليوم التالي", "اليوم الأول", "ذلك اليوم": not today
    if w == "الليله" and word_after(text, m.end("w")) in ("نفسها", "ذاتها", "السابقه", "التاليه"):
        return None
    pod = PARTS.get(norm(m["pod"])) if m["pod"] else ("NI" if w.startswith("الليله") else None)
    if m["pod"] and norm(m["pod"]) == "منتصف ليل":
        pod = "NI"
    extra = {"weekday": lookup(WEEKDAYS, m["wd"]), "rel": None} if (m["wd"] and off == 0) else {}
    typ = "TIME" if pod else "DATE"
    return Candidate(span_start(m), m.end(), typ, rs.deictic(off, pod), priority=5, relative=True, extra=extra)


@rule("day_of_tomorrow", rf"{PFX}(?P<x>يوم\s+(?P<w>{ar_re('الغد')}|غد)){WORD_END}")
def _day_of_tomorrow(m: re.Match[str]) -> Candidate | None:
    return Candidate(span_start(m), m.end(), "DATE", rs.deictic(1), priority=5, relative=True)


@rule(
    "anaphoric_day",
    rf"{PFX}(?P<x>(?:(?P<pod>{POD})\s+)?(?:{ar_re('اليوم')}\s+(?P<a1>التالي|السابق|نفسه|ذاته|الموالي)|(?P<a2>نفس|ذات|ذلك)\s+{ar_re('اليوم', False)}|{ar_re('الليلة')}\s+(?P<a3>نفسها|ذاتها|السابقة|التالية)|(?P<a4>غداة|عشية)\s+(?:ذلك|اليوم\s+التالي|ذلك\s+اليوم))){WORD_END}",
)
def _anaphoric_day(m: re.Match[str]) -> Candidate | None:
    key = norm(m["a1"] or m["a2"] or m["a3"] or m["a4"])
    off = {"التالي": 1, "الموالي": 1, "السابق": -1, "التاليه": 1, "السابقه": -1, "غداه": 1, "عشيه": -1}.get(key, 0)
    pod = PARTS.get(norm(m["pod"])) if m["pod"] else ("NI" if m["a3"] else None)
    typ = "TIME" if pod else "DATE"
    return Candidate(span_start(m), m.end(), typ, rs.anaphoric_day(off, pod), priority=4, relative=True)


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
    rf"{PFX}(?P<x>(?:(?P<we>عطل[ةه])\s+)?(?:(?P<mod>{MOD})\s+)?(?:(?P<this>هذا|هذه)\s+(?P<u1>{UNIT_DEF})|(?P<u2>{UNIT_DEF})(?:\s+(?P<rel>{REL_ANY})|\s+(?P<this2>هذا|هذه))?)){WORD_END}",
)
def _relative_unit(m: re.Match[str]) -> Candidate | None:
    uword = norm(m["u1"] or m["u2"])
    if uword.startswith("لل"):
        uword = uword[1:]
    elif uword.startswith("ل"):
        uword = "ا" + uword
    unit = _UNIT_DEF[uword]
    rel = relation_of(m["rel"]) or ("this" if (m["this"] or m["this2"]) else None)
    mod = modifier_of(m["mod"])
    weekend = unit == "W" and norm(m["mod"] or "") == "نهايه"
    text = m.string
    if rel is None:
        if not mod:
            return None  # "الأسبوع", "العام" alone
        rel = "the"
    if m["we"] and not weekend:
        return None
    if uword == "العام" and m.start("x") == m.start("u2" if m["u2"] else "u1") and word_before(text, m.start()) in _TITLE_BEFORE_AM:
        return None  # "الأمين العام السابق", "الرأي العام": العام is "general", not "year"
    if weekend:
        mod = None
        unit = "WE"
    # "نهاية الشهر" ("the") is the anchor's month even after another month was named
    res = rs.relative_unit(unit, _OFF.get(rel, 0), rel in ("previous", "following"), mod, rel == "last")
    return Candidate(span_start(m), m.end(), "DATE", res, priority=4, relative=True, extra={"rel": rel})



@rule(
    "ago",
    rf"{PFX}(?P<x>(?P<lead>قبل|منذ|بعد)\s+(?:(?P<appr>{APPR})\s+)?(?:{LENGTH}|(?P<pl>{PLURAL_VAGUE}))){WORD_END}",
)
def _ago(m: re.Match[str]) -> Candidate | None:
    text = m.string
    lead = norm(m["lead"])
    after = word_after(text, m.end())
    if m["sg"] and not m["one"] and not singular_ok(m):
        return None
    if m["pl"]:
        if re.match(rf"\s*(?:{ALEF}ل|من(?!\w))", text[m.end() : m.end() + 6]):
            return None  # "منذ أيام الحرب", "بعد أسابيع من الحصار"
        if lead == "بعد":
            return None
        return Candidate(span_start(m), m.end(), "DATE", rs.fixed("PAST_REF"), priority=4)
    if lead == "بعد" and (after in ("من", "علي", "ان", "انتهاء") or re.match(r"\s*\w", text[m.end() : m.end() + 3]) and after.startswith("ال")):
        return None  # "بعد ثلاثة أيام من المعارك": a relation, not a date
    length = length_of(m)
    if length is None:
        return None
    n, unit, minutes = length
    sign = 1 if lead == "بعد" else -1
    mod = approx_of(m)
    res = rs.ago(n, unit, sign, sign < 0, mod, minutes)
    return Candidate(span_start(m), m.end(), "DATE", res, priority=5, relative=True, extra={"no_note": sign < 0})


@rule("later", rf"{PFX}(?P<x>(?P<lead>بعد|قبل)\s+ذلك\s+ب(?:{LENGTH})){WORD_END}")
def _later(m: re.Match[str]) -> Candidate | None:
    length = length_of(m)
    if length is None:
        return None
    n, unit, minutes = length
    sign = 1 if norm(m["lead"]) == "بعد" else -1
    # unlike English and French, not counted from a year last named: "بعد ذلك بعامين" is from the day or anchor
    res = rs.ago(n, unit, sign, False, None, minutes)
    return Candidate(span_start(m), m.end(), "DATE", res, priority=5, relative=True)
