"""Arabic time grammar: spelling normalisation, the lexicon's tables and the regex pieces its rules share.

Part of the Arabic grammar (see ``grammar_ar``): any alef form matches any other, final
ة/ه and ي/ى are one, digits may be Western, Arabic-Indic or Persian, and glued
conjunctions and prepositions (``PFX``) stay out of spans. Also how a length is read
("شهرين", "ثلاثة أيام"), which dates ("منذ شهرين") and durations both use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from trucewatch.extract.time.lexicon import alternation, inverse, load

LEX = load("ar")

# ---------------------------------------------------------------- spelling

DIACRITICS = re.compile("[\u064b-\u0652\u0670\u0640]")  # harakat, tanween, dagger alef, tatweel
_NORM = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
ALEF = "[اأإآٱ]"
_DIGIT_CHARS = {str(i): f"{i}{chr(0x660 + i)}{chr(0x6F0 + i)}" for i in range(10)}
DIG = "[0-9٠-٩۰-۹]"
TAN = "[\u064b-\u0652]?"  # an optional tanween or haraka


def norm(text: str) -> str:
    """A lookup key: no diacritics or tatweel, one alef, final ة as ه, ى as ي, one space."""
    t = DIACRITICS.sub("", str(text)).translate(_NORM)
    return re.sub(r"\s+", " ", t).strip()


def to_int(digits: str) -> int:
    """``int`` of Western, Arabic-Indic or Persian digits (Python reads them all)."""
    return int(digits)


def dc(chars: str) -> str:
    """A character class for these digits in all three scripts: dc("12") -> [12١٢۱۲]."""
    return "[" + "".join(_DIGIT_CHARS[c] for c in chars) + "]"


STRICT = {"آب"}  # "آب" (August) must keep its madda: "أب" is "father"


def ar_re(word: str, first: bool = True) -> str:
    """A regex for ``word`` with its alef, final ة/ه and ى/ي variants.

    With ``first`` a leading ال also matches the bare ل left after a glued ل (للعام).
    """
    w = str(word).strip()
    if w in STRICT:
        return re.escape(w)
    art = ""
    if first and w.startswith("ال") and len(w) > 3:
        art = rf"(?:{ALEF}ل|(?<=ل)ل)"
        w = w[2:]
    out = []
    for i, ch in enumerate(w):
        last = i == len(w) - 1 or w[i + 1] == " "
        if ch in "اأإآٱ" and last and i > 0:
            out.append(TAN + ALEF + TAN)  # يوماً / يومًا
        elif ch in "اأإآٱ":
            out.append(ALEF)
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
WORD_END = r"(?!\w)"
YEAR = rf"(?:{dc('1')}{dc('6789')}{DIG}{DIG}|{dc('2')}{dc('0')}{DIG}{DIG})(?!\d)"
DAYNUM = rf"(?<![\d٫٬.,])(?:{dc('12')}{DIG}|{dc('3')}{dc('01')}|{dc('0')}?{dc('123456789')})(?!\d)"
AD = r"(?:\s*م(?!\w))?"  # "2020م": the Gregorian-era letter


def _month_forms(n: int) -> str:
    return alt(LEX["months"][n], first=False)


MONTH_ONE = "|".join(f"(?:{_month_forms(n)})" for n in range(1, 13))
_PAIRS = "|".join(
    rf"(?:(?:{_month_forms(n)})\s*(?:/|\\|\(|-|–)\s*(?:{_month_forms(n)})(?:\s*\))?)" for n in range(1, 13)
)
MONTH = rf"(?:{_PAIRS}|{MONTH_ONE})(?!\w)"
MONTH_ONE_RE = re.compile(rf"(?:{MONTH_ONE})")

WEEKDAY = alt([w for ws in LEX["weekdays"].values() for w in ws])
WEEKDAY_BARE = alt([w[2:] for ws in LEX["weekdays"].values() for w in ws], first=False)  # جمعة in "كل جمعة"
MOD = alt([w for ws in LEX["modifiers"].values() for w in ws], first=False)
REL_LAST = alt(LEX["relations"]["last"])
REL_NEXT = alt(LEX["relations"]["next"])
REL_THIS = alt(LEX["relations"]["this"])
REL_ANY = alt([w for ws in LEX["relations"].values() for w in ws])
POD = alt(["صباح", "مساء", "ليلة", "ليل", "فجر", "ظهر", "عصر", "ظهيرة", "صبيحة", "منتصف ليل", "بعد ظهر"], first=False)

NUMWORDS = alt(LEX["numbers"], first=False)
NUMWORD = rf"(?:(?:{NUMWORDS})(?:\s+(?:و\s*)?(?:{NUMWORDS}))*)"
VAGUE = alt(LEX["vague_numbers"], first=False)
DIGITS = rf"(?<![\d٫٬.,])(?<!\d\s){DIG}+(?:[.,٫]{DIG}+)?(?!\d)"
NUM = rf"(?:{DIGITS}|{NUMWORD}|{VAGUE})"
UNITWORD = alt(LEX["units"], first=False)
DUALWORD = alt(LEX["duals"], first=False)
SINGULAR_WORDS = ["ثانية", "دقيقة", "ساعة", "يوم", "ليلة", "أسبوع", "شهر", "عام", "سنة", "عقد", "قرن"]
SINGULAR = alt(SINGULAR_WORDS, first=False)
PLURAL_VAGUE = alt(["ساعات", "أيام", "أسابيع", "أشهر", "شهور", "سنوات", "أعوام", "عقود"], first=False)
ORDINALS = {
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
YEARWORD = rf"(?:{ALEF}ل|(?<=ل)ل)?(?:عام|سن[ةه])"


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


def span_start(m: re.Match[str], group: str = "x") -> int:
    """Where the span starts: after the glued prefix, but keeping the ل of a contracted لل."""
    s = m.start(group)
    if s > m.start() and m.string[s - 1] == "ل" and m.string[s] == "ل":
        s -= 1
    return s


def word_before(text: str, pos: int) -> str:
    """The normalised word before ``pos``, glued و/ف dropped."""
    m = re.search(r"(\w+)\W*$", text[max(0, pos - 30) : pos])
    if not m:
        return ""
    w = norm(m.group(1))
    if len(w) > 3 and w[0] in "وف":
        w = w[1:]
    return w


def word_after(text: str, pos: int) -> str:
    m = re.match(r"\s*(\w+)", text[pos : pos + 30])
    return norm(m.group(1)) if m else ""


def modifier_of(word: str | None) -> str | None:
    return MODS.get(norm(word)) if word else None


def relation_of(word: str | None) -> str | None:
    return RELS.get(norm(word)) if word else None


def approx_of(m: re.Match[str]) -> str | None:
    """The TimeML mod of a match's approximator (group ``appr``: نحو، أكثر من...)."""
    return _APPR.get(norm(m["appr"])) if m["appr"] else None


def month_of(text: str) -> int:
    return MONTHS[norm(MONTH_ONE_RE.match(text).group())]


# ---------------------------------------------------------------- lengths ("شهرين", "ثلاثة أيام")


def length_of(m: re.Match[str]) -> tuple[float | None, str, bool] | None:
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


def singular_ok(m: re.Match[str]) -> bool:
    """A bare singular unit ("قبل أسبوع") is a length only when no noun or date follows it."""
    after = m.string[m.end() : m.end() + 20]
    if re.match(r"\s*من\s+الزمن", after):
        return True  # "عقد من الزمن": a decade
    if re.match(rf"\s*(?:{DIG}|{MONTH_ONE}|من(?!\w)|{ALEF}ل)", after):
        return False  # "منذ عام 2011", "قبل شهر رمضان", "قبل عام من", "منذ يوم الجمعة"
    w = word_after(m.string, m.end())
    return w not in {norm(x) for x in ["رمضان", "شعبان", "محرم", "صفر", "رجب", "شوال", "ذي", "ذو", "ربيع", "جمادى"]}


LENGTH = rf"(?:(?P<n>{NUM})\s+(?P<u>{UNITWORD})|(?P<dual>{DUALWORD})|(?P<sg>{SINGULAR})(?:\s+(?P<one>واحد[ةه]?))?)"
