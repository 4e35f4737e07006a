"""A time grammar built from dateparser's locale data, for languages without a hand-written one.

dateparser knows the month and weekday names of many languages in their inflected
forms (Russian "июня"), their unit words, their "ago"/"in" words and their fixed
relative phrases ("ayer", "la semana pasada", "geçen yıl"); writing those again by hand
would be copying it badly. What it does not give is what a temporal tagger needs on top:
exact spans, TIMEX3 values with precision codes, the tense that picks the year of an
undated "3 June", and refusals ("mañana" is also the morning). So the words come from
dateparser, the supplement from ``resources/time/<lang>.yaml`` (number words, the
words that make a weekday "last" or "next", extra inflections, tense markers), and the
values from the shared ``resolvers``, like the English, French and Arabic grammars.

Matching ignores case and accents ("miercoles", "sali" match too); Turkish case endings
after an apostrophe ("Haziran'da", "2019'da") are allowed and kept out of the span.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from trucewatch.extract.time import numeric
from trucewatch.extract.time import resolvers as rs
from trucewatch.extract.time.rules import Candidate, Rule

#: Keys every supplement file must have (tests check them).
SUPPLEMENT_KEYS = (
    "months_extra", "weekdays_extra", "deictic_extra", "deictic_refuse_after", "relative_extra",
    "last_words", "next_words", "last_words_before", "next_words_before", "in_words", "ago_position",
    "in_position", "approximators", "prepositions", "year_words", "parts_of_day", "numbers", "tense",
)
LANGS = ("es", "it", "pt", "ru", "tr")
_MONTH_KEYS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
               "october", "november", "december")
_WEEKDAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_UNIT_KEYS = {"day": "D", "week": "W", "month": "M", "year": "Y"}
_REL_TYPE = re.compile(r"^(?:(?P<n>\d+) (?P<u>day|week|month|year) ago|in (?P<n2>\d+) (?P<u2>day|week|month|year))$")
_DOTLESS = "ıİ"
_F = re.IGNORECASE


def fold(word: str) -> str:
    """A lookup key: lowercase, no accents, dotless i as i, one space, straight apostrophes."""
    w = str(word).replace("İ", "i").replace("I", "i").lower().replace("ı", "i")
    w = unicodedata.normalize("NFD", w)
    w = "".join(ch for ch in w if unicodedata.category(ch) != "Mn")
    w = w.replace("’", "'")
    return re.sub(r"\s+", " ", w).strip()


_VARIANTS = {
    "a": "aáàâäã", "e": "eéèêë", "i": "iíìîïıIİ", "o": "oóòôöõ", "u": "uúùûü", "n": "nñ", "c": "cç", "s": "sş",
    "g": "gğ", "е": "её", "и": "ий",
}


def word_re(word: str) -> str:
    """A regex for ``word`` that accepts it with or without its accents, in any case, spaces as any space."""
    out = []
    for ch in fold(word):
        if ch == " ":
            out.append(r"\s+")
        elif ch == "'":
            out.append("['’]")
        elif ch in _VARIANTS:
            out.append(f"[{_VARIANTS[ch]}]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def alt(words: Iterable[str]) -> str:
    """An alternation of ``words``, longest first, each through ``word_re``."""
    ws = sorted({str(w).lower() for w in words if str(w).strip()}, key=len, reverse=True)
    return "|".join(word_re(w) for w in ws) or r"(?!x)x"


def _full_forms(forms: list[str], min_len: int) -> list[str]:
    """The forms that are not abbreviations: an abbreviation is short and a prefix of a form at least
    two letters longer ("ene" of "enero", "февр" of "февраль"; not "март" of "марта")."""
    folded = [fold(f) for f in forms]
    out = []
    for f, k in zip(forms, folded):
        if len(k) < min_len:
            continue
        if len(k) <= 4 and any(len(o) >= len(k) + 2 and o.startswith(k) for o in folded):
            continue
        out.append(f.lower())
    return out


_ONE_LETTER_WORDS = frozenset({"a", "o", "e", "y", "в", "к", "с"})


def _abbreviated(phrase: str, vocabulary: set[str]) -> bool:
    """Whether a (folded) phrase has a word that is shorthand: a lone letter that is not a word of its
    own, or a short prefix of a much longer word ("sem" of "semana", "пр" of "прошлом"; not "mes" of "meses")."""
    for w in phrase.split():
        if len(w) == 1 and w not in _ONE_LETTER_WORDS:
            return True
        if len(w) <= 4 and any(len(v) >= len(w) + 3 and v.startswith(w) for v in vocabulary):
            return True
    return False


@lru_cache(maxsize=None)
def load_supplement(lang: str) -> dict[str, Any]:
    """``resources/time/<lang>.yaml``, checked for its keys."""
    path = resources.files("trucewatch.resources").joinpath("time", f"{lang}.yaml")
    with path.open("r", encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    missing = [k for k in SUPPLEMENT_KEYS if k not in data]
    if missing:
        raise ValueError(f"time supplement {lang}.yaml lacks {missing}")
    return data


@lru_cache(maxsize=None)
def locale_info(lang: str) -> dict[str, Any]:
    """dateparser's data for ``lang`` (month and weekday names, units, relative phrases)."""
    from dateparser.languages.loader import default_loader

    return default_loader.get_locale(lang).info


class LocaleGrammar:
    """The rules, lexicon and tense markers of one language, built once."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        info = locale_info(lang)
        sup = load_supplement(lang)
        self.sup = sup
        min_len = 3
        self.months: dict[str, int] = {}
        month_full: list[str] = []
        month_abbr: list[str] = []
        for i, k in enumerate(_MONTH_KEYS, 1):
            forms = [str(f) for f in info.get(k, [])] + [str(f) for f in (sup["months_extra"] or {}).get(i, [])]
            full = _full_forms(forms, min_len)
            month_full += full
            month_abbr += [f.lower() for f in forms if f.lower() not in full and len(fold(f)) >= 3]
            for f in forms:
                self.months[fold(f)] = i
        self.weekdays: dict[str, int] = {}
        weekday_full: list[str] = []
        for i, k in enumerate(_WEEKDAY_KEYS, 1):
            forms = [str(f) for f in info.get(k, [])] + [str(f) for f in (sup["weekdays_extra"] or {}).get(i, [])]
            drop = {fold(w) for w in sup.get("weekdays_drop") or ()}
            full = [f for f in _full_forms(forms, 4) if fold(f) not in drop]
            weekday_full += full
            for f in full:
                self.weekdays[fold(f)] = i
        self.units: dict[str, str] = {}
        for k, code in _UNIT_KEYS.items():
            for f in info.get(k, []):
                if len(fold(str(f))) >= 2:
                    self.units[fold(str(f))] = code
        self.numbers: dict[str, float] = {fold(k): float(v) for k, v in sup["numbers"].items()}
        # fixed phrases: dateparser's relative types plus ours ("ayer" -1 D, "la semana pasada" -1 W)
        self.deictic: dict[str, int] = {}
        self.relative: dict[str, tuple[str, int]] = {}
        rel_types = info.get("relative-type") or {}
        vocabulary = {w for phrases in rel_types.values() for p in phrases for w in fold(p).split()} | set(self.units)
        for key, phrases in rel_types.items():
            m = _REL_TYPE.match(key)
            if not m:
                continue
            n = int(m["n"] or m["n2"])
            unit = _UNIT_KEYS[m["u"] or m["u2"]]
            off = -n if m["n"] is not None else n
            for p in phrases:
                if _abbreviated(fold(p), vocabulary):
                    continue  # "sem ant", "в пр г": listing shorthand, not news prose
                if unit == "D":
                    self.deictic[fold(p)] = off
                else:
                    self.relative[fold(p)] = (unit, off)
        for p, off in (sup["deictic_extra"] or {}).items():
            self.deictic[fold(p)] = int(off)
        for p, spec in (sup["relative_extra"] or {}).items():
            unit, off = str(spec).split()
            self.relative[fold(p)] = (unit, int(off))
        nouns = sup.get("count_nouns") or []
        self.count_nouns = re.compile(rf"\s+(?:{alt(nouns)})(?!\w)", _F) if nouns else None
        self.weekday_needs_lead = {fold(w) for w in sup.get("weekday_needs_lead") or ()}
        self.refuse_after = {fold(k): [fold(w) for w in v] for k, v in (sup["deictic_refuse_after"] or {}).items()}
        self.parts = {fold(k): v for k, v in (sup["parts_of_day"] or {}).items()}
        self.last = {fold(w) for w in sup["last_words"] + sup["last_words_before"]}
        self.next = {fold(w) for w in sup["next_words"] + sup["next_words_before"]}
        ago_words = [str(w) for w in info.get("ago", [])]
        self.month_names = tuple(month_full)  # the names matched without a dot (abbreviations need one)
        self._build(month_full, month_abbr, weekday_full, ago_words)

    # ------------------------------------------------------------ regexes

    def _build(self, month_full: list[str], month_abbr: list[str], weekday_full: list[str], ago_words: list[str]) -> None:
        sup = self.sup
        tr = self.lang == "tr"
        b = r"(?<![\w'’-])"
        e = r"(?![\w])"
        # Turkish case endings after an apostrophe stay out of the span
        self.suffix = r"(?=['’][^\W\d_]+|(?![\w]))" if tr else e
        month = rf"(?:{alt(month_full)})"
        month_any = rf"(?:{month}|(?:{alt(month_abbr)})\.)" if month_abbr else month
        weekday = rf"(?:{alt(weekday_full)})"
        self.year = r"(?:1[6-9]\d\d|20\d\d)"
        year_words = rf"(?:\s+(?P<yw>{alt(sup['year_words'])})(?![\w]))?" if sup["year_words"] else ""
        day = r"(?P<d>[12]\d|3[01]|0?[1-9])(?:º|°|-?(?:го|е|й|ого))?"
        number = rf"(?:\d+|{alt(self.numbers)})"
        unit = rf"(?:{alt(self.units)})"
        pod = rf"(?:\s+(?P<pod>{alt(self.parts)}))?" if self.parts else ""
        lastb = alt(sup["last_words_before"] + sup["next_words_before"])
        lasta = alt(sup["last_words"] + sup["next_words"])
        de = r"(?:\s+(?:de|del|di)\s+|\s+)"
        rules: list[Rule] = []

        def add(name: str, pattern: str, handler: Any) -> None:
            rules.append(Rule(name, re.compile(pattern, _F), handler))

        add("day_month_year", rf"{b}(?:(?P<wd>{weekday}),?\s+)?{day}(?:\s+de\s+|\s+|\.\s*)(?P<mon>{month_any})"
            rf"(?:,?{de}(?P<y>{self.year}){year_words})?(?:,?\s+(?P<wd2>{weekday}))?{self.suffix}", self._day_month)
        add("month_year", rf"{b}(?P<mon>{month}){de}(?P<y>{self.year}){year_words}{self.suffix}", self._month_year)
        add("month", rf"{b}(?:(?P<rb>{lastb})\s+)?(?P<mon>{month}){self.suffix}(?:\s+(?P<ra>{lasta}){e})?", self._month)
        add("year", rf"(?<![\w$£€.,/#№-])(?P<y>{self.year}){year_words}{self.suffix}(?![.,]\d)(?!\s*[-–]\s*\d)", self._year)
        add("weekday", rf"{b}(?:(?P<rb>{lastb})\s+)?(?P<wd>{weekday}){self.suffix}(?:\s+(?P<ra>{lasta}){e})?"
            rf"(?:\s+(?P<gunu>günü)(?![\w]))?{pod}", self._weekday)
        add("deictic_day", rf"{b}(?P<w>{alt(self.deictic)}){self.suffix}{pod}", self._deictic)
        add("relative_unit", rf"{b}(?P<w>{alt(self.relative)}){e}", self._relative)
        bare = sup.get("bare_parts_of_day") or []
        if bare:  # "написал Трамп утром": this morning, the reporting day's
            add("bare_part_of_day", rf"{b}(?P<pod>{alt(bare)}){e}", self._bare_part)
        ago = alt(ago_words)
        inw = alt(sup["in_words"])
        appr = rf"(?:(?P<appr>{alt(sup['approximators'])})\s+)?" if sup["approximators"] else ""
        if sup["ago_position"] in ("before", "both"):  # "hace (más de) dos semanas"
            add("ago", rf"{b}(?P<ago>{ago})\s+{appr}(?P<n>{number}\s+)?(?P<u>{unit}){e}", self._ago)
        if sup["ago_position"] in ("after", "both"):  # "(più di) tre giorni fa"
            add("ago_after", rf"{b}{appr}(?P<n>{number}\s+)?(?P<u>{unit})\s+(?P<ago>{ago}){e}", self._ago)
        if sup["in_position"] == "before":
            add("in_offset", rf"{b}(?P<in>{inw})\s+{appr}(?P<n>{number}\s+)?(?P<u>{unit}){e}", self._in)
        else:
            add("in_offset", rf"{b}{appr}(?P<n>{number}\s+)?(?P<u>{unit})\s+(?P<in>{inw}){e}", self._in)
        add("duration", rf"{b}(?P<n>{number})\s+(?P<u>{unit}){e}", self._duration)
        add("numeric_date", numeric.DAY_MONTH_YEAR, lambda m: numeric.day_month_year(m, self.lang))
        add("numeric_ymd", numeric.YEAR_MONTH_DAY, numeric.year_month_day)
        add("numeric_month", numeric.MONTH_YEAR, numeric.month_year)
        add("iso_month", numeric.ISO_MONTH, lambda m: numeric.month_year(m, iso=True))
        add("iso_date", rf"(?<![\w/.-])(?P<y>{self.year})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])(?![\w/-])",
            self._iso)
        self.rules = tuple(rules)

    # ------------------------------------------------------------ handlers

    def _rel(self, m: re.Match[str]) -> str | None:
        word = fold(m["rb"] or m["ra"] or "")
        return "last" if word in self.last else "next" if word in self.next else None

    def _day_month(self, m: re.Match[str]) -> Candidate | None:
        month = self.months[fold(m["mon"]).rstrip(".")]
        wdw = m["wd"] or m["wd2"]
        wd = self.weekdays.get(fold(wdw)) if wdw else None
        y = int(m["y"]) if m["y"] else None
        return rs.day_candidate(m.start(), m.end(), y, month, int(m["d"]), wd)

    def _month_year(self, m: re.Match[str]) -> Candidate | None:
        return rs.fixed_month(m.start(), m.end(), int(m["y"]), self.months[fold(m["mon"])])

    def _in_name(self, m: re.Match[str], group: str) -> bool:
        """A month or weekday that is part of a name: "Santo Domingo", "Plaza de Mayo", "Domenica Rossi",
        "Kasım Demir". Languages that write these words in lowercase ("es", "it", "pt", "ru") give it away
        by a capital next to a capitalised word; Turkish, which capitalises them, by a capitalised word after."""
        word, text = m[group], m.string
        if not word[:1].isupper():
            return False
        if self.lang == "tr":
            return bool(re.match(r"\s+[A-ZÇĞİÖŞÜ][a-zçğıöşü]+(?!['’])", text[m.end(group) : m.end(group) + 30])) and not re.match(
                r"\s+(?:ayı|ayında|günü|Salı|Çarşamba|Perşembe|Cuma|Cumartesi|Pazar|Pazartesi)\b", text[m.end(group) :])
        before = text[max(0, m.start(group) - 40) : m.start(group)]
        if re.search(r"[A-ZÁÉÍÓÚÀÈÌÒÙÑÇА-ЯЁ][\w'’-]*\s+(?:(?:de|del|di|da|do)\s+)?$", before):
            return True  # "Santo Domingo", "Plaza de Mayo"
        after = text[m.end() : m.end() + 30]
        return bool(re.match(r"\s+[A-ZÁÉÍÓÚÑА-ЯЁ][a-záéíóúñа-яё]+", after))  # "Domenica Rossi"

    def _month(self, m: re.Match[str]) -> Candidate | None:
        if self.lang == "tr" and not m["mon"][0].isupper() and not re.match(r"\s+ay", m.string[m.end("mon"):]):
            return None  # "ocak" (a stove), "ekim" (sowing): a month only when written as a name
        if not m["rb"] and not m["ra"] and self._in_name(m, "mon"):
            return None
        month = self.months[fold(m["mon"])]
        rel = self._rel(m)
        res = rs.month(month, m.start(), m.end(), None, rel)
        return Candidate(m.start(), m.end(), "DATE", res, priority=3, relative=True, extra={"month": month, "rel": rel})

    def _year(self, m: re.Match[str]) -> Candidate | None:
        text = m.string
        after = text[m.end() : m.end() + 12]
        if not m.groupdict().get("yw") and re.match(r"\s*(?:%|[$€£]|\d)", after):
            return None  # a percentage, an amount, a number written with spaces
        if self.count_nouns and not m.groupdict().get("yw") and self.count_nouns.match(after):
            return None  # "2000 personas": a count
        if re.search(r"\d\s$", text[max(0, m.start() - 2) : m.start()]):
            return None
        return rs.fixed_year(m.start(), m.end(), int(m["y"]))

    def _weekday(self, m: re.Match[str]) -> Candidate | None:
        word = m["wd"]
        if self.lang == "tr" and fold(word) == "pazar" and not (word[0].isupper() or m["gunu"] or m["pod"]):
            return None  # "pazar" is also a market
        if fold(word) in self.weekday_needs_lead and not m["rb"] and not re.search(
            rf"(?:^|\s)(?:{alt(self.sup.get('weekday_leads') or ['в'])})\s+$", fold(m.string[max(0, m.start() - 14) : m.start()]) + " "
        ):
            return None  # "среду" is also the environment: a Wednesday only after "в", "на", "прошлую"...
        if not m["rb"] and not m["ra"] and self._in_name(m, "wd"):
            return None
        wd = self.weekdays[fold(word)]
        rel = self._rel(m)
        pod = self.parts.get(fold(m["pod"])) if m["pod"] else None
        res = rs.weekday(wd, rel, m.start(), m.end(), pod)
        return Candidate(m.start(), m.end(), "DATE", res, priority=4, relative=True, extra={"weekday": wd, "rel": rel})

    def _deictic(self, m: re.Match[str]) -> Candidate | None:
        w = fold(m["w"])
        refuse = self.refuse_after.get(w)
        if refuse:
            before = fold(m.string[max(0, m.start() - 12) : m.start()])
            if any(re.search(rf"(?:^|\s){re.escape(r)}\s*$", before) for r in refuse):
                return None  # "por la mañana": the morning, not tomorrow
        pod = self.parts.get(fold(m["pod"])) if m["pod"] else None
        res = rs.deictic(self.deictic[w], pod)
        return Candidate(m.start(), m.end(), "TIME" if pod else "DATE", res, priority=5, relative=True)

    def _bare_part(self, m: re.Match[str]) -> Candidate | None:
        pod = self.parts.get(fold(m["pod"]))
        return Candidate(m.start(), m.end(), "TIME", rs.deictic(0, pod), priority=3, relative=True)

    def _relative(self, m: re.Match[str]) -> Candidate | None:
        unit, off = self.relative[fold(m["w"])]
        start = m.start()
        lead = re.match(rf"(?:{alt(self.sup['prepositions'])})\s+", m.group(), _F) if self.sup["prepositions"] else None
        if lead and fold(lead.group().strip()) not in ("el", "la", "il", "lo", "l'"):
            start += lead.end()  # "в прошлом году": the preposition stays out, the article stays in
        res = rs.relative_unit(unit, off, False, None, off < 0)
        return Candidate(start, m.end(), "DATE", res, priority=4, relative=True, extra={"rel": "last" if off < 0 else None})

    def _amount(self, m: re.Match[str]) -> float | None:
        n = (m["n"] or "").strip()
        if not n:
            return 1.0
        return float(n) if n.isdigit() else self.numbers.get(fold(n))

    def _mod(self, m: re.Match[str]) -> str | None:
        """"más de", "почти": the TimeML mod of an approximated amount."""
        word = fold(m.groupdict().get("appr") or "")
        if not word:
            return None
        if word.startswith(("mas", "mais", "piu", "более", "daha")):
            return "MORE_THAN"
        if word.startswith(("menos", "meno", "casi", "quasi", "почти", "quase", "neredeyse")):
            return "LESS_THAN"
        return "APPROX"

    def _ago(self, m: re.Match[str]) -> Candidate | None:
        n = self._amount(m)
        res = rs.ago(n, self.units[fold(m["u"])], -1, True, self._mod(m))
        return Candidate(m.start(), m.end(), "DATE", res, priority=5, relative=True, extra={"no_note": True})

    def _in(self, m: re.Match[str]) -> Candidate | None:
        n = self._amount(m)
        res = rs.ago(n, self.units[fold(m["u"])], 1, True, self._mod(m))
        return Candidate(m.start(), m.end(), "DATE", res, priority=5, relative=True, extra={"offset": True})

    def _duration(self, m: re.Match[str]) -> Candidate | None:
        n = self._amount(m)
        if n is None or n > 1000:
            return None
        return rs.fixed_duration(m.start(), m.end(), rs.duration_value(n, self.units[fold(m["u"])]))

    def _iso(self, m: re.Match[str]) -> Candidate | None:
        try:
            d = date(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError:
            return None
        return rs.fixed_day(m.start(), m.end(), d)

    # ------------------------------------------------------------ tense

    @property
    def tense_future(self) -> list[str]:
        return list(self.sup["tense"]["future"])

    @property
    def tense_past(self) -> list[str]:
        return list(self.sup["tense"]["past"])

    @property
    def past_suffix(self) -> str | None:
        return self.sup["tense"].get("past_suffix")


@lru_cache(maxsize=None)
def grammar(lang: str) -> LocaleGrammar:
    """The grammar of ``lang``, built once per process."""
    return LocaleGrammar(lang)
