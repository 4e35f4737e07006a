"""French time grammar: absolute dates, months, weekdays, relative forms, durations, sets.

Built like the English grammar (``grammar_en``): regexes from the French lexicon
(``resources/time/fr.yaml``) and one handler per rule returning a ``Candidate`` whose
resolver, one of the shared ``resolvers``, gives TIMEX3 values. Accents are optional when matching ("fevrier", "derniere")
and apostrophes may be straight or curly.

Spans follow the English grammar's TimeML practice: prepositions and the article used
as one ("le 3 juin", "en 2019", "pendant dix mois", "depuis lundi") stay out;
determiners that are part of a relative form stay in ("la semaine dernière",
"l'an dernier", "cette année", "les années 90"); approximators ("environ",
"plus de") become the ``mod`` and stay out. Day numbers are read day first
("03/06/2020" is 3 June).

The words, tables and regex pieces the rules share are in ``grammar_fr_words``; this
module holds the rules in their declaration order (ties between candidates go to the
first rule), their cores and the tense words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

from trucewatch.extract.time import calendar as cal
from trucewatch.extract.time import numeric
from trucewatch.extract.time import resolvers as rs
from trucewatch.extract.time.rules import Candidate, Context, Resolved, Rule, index_words, rule_decorator, with_cores
from trucewatch.extract.time.grammar_fr_words import (
    ACCENTS,
    APPR,
    APPROX_NUMBERS,
    APPR_MODS,
    DAYNUM,
    FLAGS,
    LEX,
    MONTH,
    MONTHS,
    MONTH_FULL,
    MONTH_WORDS,
    NUM,
    NUMWORD,
    PARTS,
    REFS,
    SEASONS,
    SETS,
    UNIT_WORDS,
    WEEKDAY,
    WEEKDAYS,
    WORD_END,
    WORD_START,
    YEAR,
    alt,
    key,
    modifier_of,
    parse_number,
    unit_of,
)

RULES: list[Rule] = []
rule = rule_decorator(RULES, FLAGS)


_REL_WORDS = {
    "dernier": "last", "derniere": "last", "passe": "last", "passee": "last", "ecoule": "last", "ecoulee": "last",
    "prochain": "next", "prochaine": "next", "a venir": "next",
    "precedent": "previous", "precedente": "previous", "d'avant": "previous", "d avant": "previous",
    "suivant": "following", "suivante": "following", "d'apres": "following", "d apres": "following",
    "en cours": "this", "courant": "this", "courante": "this", "actuel": "this", "actuelle": "this",
}
REL = alt(["dernier", "dernière", "passé", "passée", "écoulé", "écoulée", "prochain", "prochaine", "précédent",
           "précédente", "suivant", "suivante", "en cours", "courant", "courante", "actuel", "actuelle"])


def _rel(word: str | None) -> str | None:
    return _REL_WORDS.get(key(word)) if word else None


# ---- absolute dates

@rule(
    "day_month_year",
    rf"{WORD_START}(?:(?P<wd>{WEEKDAY}){WORD_END}[\s,]+)?(?P<d>1er|premier|{DAYNUM})(?!\d)\s+(?P<mon>{MONTH})(?:,?\s+(?P<y>{YEAR})(?!\d))?",
)
def _day_month_year(m: re.Match[str]) -> Candidate | None:
    d = m["d"].lower()
    day = 1 if d in ("1er", "premier") else int(d)
    month = MONTHS[key(m["mon"])]
    y = int(m["y"]) if m["y"] else None
    wd = WEEKDAYS[key(m["wd"])] if m["wd"] else None
    return rs.day_candidate(m.start(), m.end(), y, month, day, wd)


@rule("numeric_date", numeric.DAY_MONTH_YEAR)
def _numeric(m: re.Match[str]) -> Candidate | None:
    """"03/06/2020" is 3 June, as French writes it, unless the text's own dates show otherwise."""
    return numeric.day_month_year(m, "fr")


@rule("numeric_ymd", numeric.YEAR_MONTH_DAY)
def _numeric_ymd(m: re.Match[str]) -> Candidate | None:
    return numeric.year_month_day(m)


@rule("numeric_month", numeric.MONTH_YEAR)
def _numeric_month(m: re.Match[str]) -> Candidate | None:
    return numeric.month_year(m)


@rule("iso_month", numeric.ISO_MONTH)
def _iso_month(m: re.Match[str]) -> Candidate | None:
    return numeric.month_year(m, iso=True)


@rule("iso_date", rf"(?<![\w/.-])(?P<y>{YEAR})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])(?![\w/-])")
def _iso(m: re.Match[str]) -> Candidate | None:
    try:
        d = date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None
    return rs.fixed_day(m.start(), m.end(), d)


_MOD_LEAD = r"(?:(?:la\s+|le\s+)?(?P<mod>début|debut|fin|milieu|mi|courant)(?:\s*-\s*|\s+)(?:(?:du\s+mois\s+)?d['’]|(?:du\s+mois\s+)?de\s+|du\s+mois\s+de\s+)?)"


@rule("month_year", rf"{WORD_START}{_MOD_LEAD}?(?:mois\s+(?:de\s+|d['’]))?(?P<mon>{MONTH})(?:\s+de)?,?\s+(?P<y>{YEAR})(?!\d)")
def _month_year(m: re.Match[str]) -> Candidate | None:
    return rs.fixed_month(m.start(), m.end(), int(m["y"]), MONTHS[key(m["mon"])], modifier_of(m["mod"]))


_MARS_OK = re.compile(
    r"(?:\ben|depuis|dès|des|jusqu['’]en|jusqu['’]à|d['’]|\bde|\bdu|\bet|\bou|avant|après|apres|entre|pour|\bau|\bà|\bfin|début|debut|mi-|courant|mois\s+de|partir\s+de)\s*$",
    re.I,
)
_RY = r"(?P<ry>(?:de\s+)?l['’](?:ann[ée]e|an)\s+(?:derni[èe]re?|pass[ée]e?|prochaine?)|de\s+cette\s+ann[ée]e|de\s+l['’]ann[ée]e\s+en\s+cours)"


@rule(
    "month",
    rf"{WORD_START}{_MOD_LEAD}?(?P<pre>mois\s+(?:de\s+|d['’]))?(?P<mon>{MONTH_FULL})(?:\s+(?P<rel>dernier|passé|passe|prochain)(?!\w)|\s+{_RY})?",
)
def _month(m: re.Match[str]) -> Candidate | None:
    word = key(m["mon"])
    month = MONTHS[word]
    text = m.string
    if word == "mars" and not (m["mod"] or m["rel"] or m["ry"] or m["pre"]):
        if not _MARS_OK.search(text[max(0, m.start() - 16) : m.start()]):
            return None  # Mars the planet, the company...
        if m["mon"][0].isupper() and m.start() > 0 and not re.search(r"[.!?\n]\s*$", text[: m.start()]):
            return None
    rel = _rel(m["rel"])
    ry = key(m["ry"]) if m["ry"] else ""
    ry_off = (-1 if ("derni" in ry or "pass" in ry) else 1 if "prochain" in ry else 0) if ry else None
    res = rs.month(month, m.start(), m.end(), modifier_of(m["mod"]), rel, ry_off)
    extra: dict = {"month": month, "rel": rel}
    if ry:
        extra = {"rel": "year"}  # "mars de l'année dernière": no evidence of the current year's months
    return Candidate(m.start(), m.end(), "DATE", res, priority=3, relative=True, extra=extra)


_YEAR_BEFORE_BAD = re.compile(
    r"(?<!\w)(?:r[ée]solutions?|n°|no\.?|num[ée]ro|nos|#|route|vol|article|articles|page|pages|chapitre|section|code|mod[èe]le|bo[îi]te|chambre|salle|bus|ligne|loi|d[ée]cret|[$£€]|usd|eur|dollars?|euros?|dinars?)\s*$",
    re.I,
)
_YEAR_AFTER_BAD = re.compile(
    r"^\s*(?:%|pour\s*cent|morts?|tu[ée]s|bless[ée]s|personnes|soldats|militaires|combattants|mercenaires|civils|r[ée]fugi[ée]s|migrants|d[ée]plac[ée]s|km|kilom[èe]tres|milles|m[èe]tres|tonnes|dollars|euros|dinars|livres|barils|hectares|maisons|familles|points|voix|habitants|prisonniers|d[ée]tenus|victimes|cas|membres|v[ée]hicules|roquettes|obus|missiles|drones|[$£€])",
    re.I,
)
_ANNEE = r"(?:l['’]an(?:n[ée]e)?|ann[ée]e|l['’]exercice)"


@rule(
    "year",
    rf"(?<![\w$£€.,/#-])(?:(?P<mod>début|debut|fin|mi|courant|milieu)(?:\s*-\s*|\s+)(?:d['’]|de\s+)?)?(?:(?P<an>{_ANNEE})\s+)?(?P<y>{YEAR})(?![\d])(?![.,]\d)(?![\w-])(?!\s*[-–]\s*\d)",
)
def _year(m: re.Match[str]) -> Candidate | None:
    text = m.string
    if not m["an"] and not m["mod"]:
        if _YEAR_BEFORE_BAD.search(text[max(0, m.start() - 14) : m.start()]):
            return None
        if re.search(r"\d\s$", text[max(0, m.start() - 2) : m.start()]):
            return None  # "1 2019": part of a number written with spaces
    if _YEAR_AFTER_BAD.match(text[m.end() : m.end() + 16]):
        return None
    if re.match(r"\s\d{3}(?!\d)", text[m.end() : m.end() + 5]):
        return None  # "2 020 000"
    return rs.fixed_year(m.start(), m.end(), int(m["y"]), modifier_of(m["mod"]))


@rule("year_range", rf"(?<![\w$£€.,/#-])(?P<y>{YEAR})\s*[-–]\s*(?P<y2>\d{{2}}|{YEAR})(?![\w-])")
def _year_range(m: re.Match[str]) -> Candidate | None:
    return rs.fixed_year(m.start(), m.end(), int(m["y"]))


@rule("decade", rf"{WORD_START}(?:les\s+)?ann[ée]es\s+(?P<dec>(?:19|20)?\d0)(?!\d)")
def _decade(m: re.Match[str]) -> Candidate | None:
    d = m["dec"]
    v = d[:3] if len(d) == 4 else f"19{d[0]}"
    return Candidate(m.start(), m.end(), "DATE", rs.fixed(v, "decade"), priority=3)


@rule(
    "season",
    rf"{WORD_START}(?:(?P<det>l['’]|le|cet|ce|au|en|de\s+l['’]|du)\s*)?(?P<s>printemps|[ée]t[ée]|automne|hiver)(?!\w)(?:\s+(?P<rel>dernier|pass[ée]|prochain)(?!\w)|\s+(?:de\s+)?(?P<y>{YEAR})(?!\d))?",
)
def _season(m: re.Match[str]) -> Candidate | None:
    s = SEASONS[key(m["s"])]
    det = key(m["det"] or "")
    if not det and not m["y"]:
        return None  # "été" is also the participle of être
    if re.match(r"\s+(?:arabe|libyen)", m.string[m.end() : m.end() + 9], re.I):
        return None  # "le printemps arabe"
    rel = _rel(m["rel"])
    y = int(m["y"]) if m["y"] else None
    start = m.start("s") if det in ("au", "en", "de l'", "du") else m.start()
    return Candidate(start, m.end(), "DATE", rs.season(s, y, rel), priority=3, relative=y is None)


_Q_ORD = {"premier": 1, "1er": 1, "deuxieme": 2, "second": 2, "2e": 2, "2eme": 2, "troisieme": 3, "3e": 3, "3eme": 3,
          "quatrieme": 4, "4e": 4, "4eme": 4, "dernier": 4}


@rule(
    "quarter",
    rf"{WORD_START}(?P<ord>premier|1er|deuxi[èe]me|second|2e|2[èe]me|troisi[èe]me|3e|3[èe]me|quatri[èe]me|4e|4[èe]me|dernier)\s+trimestre(?!\w)(?:\s+(?:de\s+l['’]ann[ée]e\s+|de\s+|d['’])?(?P<y>{YEAR})(?!\d))?",
)
def _quarter(m: re.Match[str]) -> Candidate | None:
    q = _Q_ORD[key(m["ord"]).replace("è", "e")]
    y = int(m["y"]) if m["y"] else None
    res = rs.quarter(q, y, m.start(), m.end())
    return Candidate(m.start(), m.end(), "DATE", res, priority=4, relative=y is None, extra={"year": y} if y else {})


# ---- weekdays and days around the anchor


@rule(
    "weekday",
    rf"{WORD_START}(?:(?P<det>ce|le)\s+)?(?P<wd>{WEEKDAY})(?!\w)(?:\s+(?P<rel>dernier|pass[ée]|prochain)(?!\w))?(?:\s+(?P<pod>matin|soir|après-midi|apres-midi|midi)(?!\w))?",
)
def _weekday(m: re.Match[str]) -> Candidate | None:
    wd = WEEKDAYS[key(m["wd"])]
    det = (m["det"] or "").lower()
    rel = _rel(m["rel"]) or ("this" if det == "ce" else None)
    start = m.start("wd") if det == "le" else m.start()
    res = rs.weekday(wd, rel, start, m.end())
    return Candidate(start, m.end(), "DATE", res, priority=4, relative=True, extra={"weekday": wd, "rel": rel})


@rule("weekday_set", rf"{WORD_START}(?:(?P<q>chaque)\s+(?P<wd1>{WEEKDAY})(?!\w)|(?:tous\s+)?les\s+(?P<wd2>{WEEKDAY})s(?!\w))")
def _weekday_set(m: re.Match[str]) -> Candidate | None:
    wd = WEEKDAYS[key(m["wd1"] or m["wd2"])]  # "chaque vendredi", "(tous) les vendredis"
    return rs.weekday_set(m.start(), m.end(), wd)


_DEICTIC = {"aujourd'hui": 0, "hier": -1, "demain": 1, "avant hier": -2, "apres demain": 2}
_POD = r"matin|matinée|matinee|soir|soirée|soiree|après-midi|apres-midi|nuit"


@rule(
    "deictic_day",
    rf"{WORD_START}(?P<w>aujourd['’]hui|avant[-\s]hier|apr[èe]s[-\s]demain|hier|demain)(?!\w)(?:\s+(?P<pod>{_POD})(?!\w))?(?:\s+(?P<wd>{WEEKDAY})(?!\w))?",
)
def _deictic(m: re.Match[str]) -> Candidate | None:
    off = _DEICTIC[key(m["w"])]
    pod = PARTS.get(key(m["pod"])) if m["pod"] else None
    if key(m["w"]) == "demain" and re.search(r"(?:\bde|\bd['’])\s*$", m.string[max(0, m.start() - 4) : m.start()], re.I):
        return None  # "le monde de demain"
    extra = {"weekday": WEEKDAYS[key(m["wd"])], "rel": None} if (m["wd"] and off == 0) else {}
    typ = "TIME" if pod else "DATE"
    return Candidate(m.start(), m.end(), typ, rs.deictic(off, pod), priority=5, relative=True, extra=extra)


@rule("this_part_of_day", r"(?<![\w-])(?P<rel>ce|cette|cet)\s+(?P<pod>matin|soir|nuit|après-midi|apres-midi)(?!\w)(?!-l)")
def _this_pod(m: re.Match[str]) -> Candidate | None:
    res = rs.deictic(0, PARTS[key(m["pod"])])
    return Candidate(m.start(), m.end(), "TIME", res, priority=4, relative=True)


_ANAPHORIC_DAY = {
    "la veille": -1, "l'avant veille": -2, "le lendemain": 1, "le surlendemain": 2,
    "le meme jour": 0, "le jour meme": 0, "ce jour la": 0, "ce meme jour": 0,
}


@rule(
    "anaphoric_day",
    r"(?<![\w-])(?P<w>la\s+veille|l['’]avant[-\s]veille|le\s+lendemain|le\s+surlendemain|le\s+m[êe]me\s+jour|le\s+jour\s+m[êe]me|ce\s+jour[-\s]l[àa]|ce\s+m[êe]me\s+jour)(?!\w)(?:\s+(?P<pod>au\s+soir|au\s+matin|soir|matin))?",
)
def _anaphoric_day(m: re.Match[str]) -> Candidate | None:
    w = key(m["w"])
    off = _ANAPHORIC_DAY[w]
    if re.match(r"\s+(?:de|du|des|d['’])\b", m.string[m.end() : m.end() + 5], re.I):
        return None  # "à la veille de la conférence": a relation, not a date
    pod = PARTS.get(key(m["pod"]).split(" ")[-1]) if m["pod"] else None
    res = rs.anaphoric_day(off, pod)
    return Candidate(m.start(), m.end(), "TIME" if pod else "DATE", res, priority=3, relative=True)


# ---- weeks, months and years around the anchor

_REL_UNIT = {"semaine": "W", "mois": "M", "annee": "Y", "an": "Y", "week end": "WE", "weekend": "WE",
             "trimestre": "Q", "decennie": "DE", "siecle": "CE"}
_OFF = {"last": -1, "previous": -1, "next": 1, "following": 1, "this": 0}


@rule(
    "relative_unit",
    rf"{WORD_START}(?:(?:la\s+|le\s+)?(?P<mod>début|debut|fin|milieu|mi|courant)(?:\s*-\s*|\s+)(?P<of>de\s+la\s+|du\s+|de\s+l['’]|d['’]|de\s+cette\s+|de\s+ce\s+|de\s+cet\s+|de\s+)?|(?P<det>la|le|l['’]|cette|ce|cet)\s*)"
    rf"(?P<u>semaine|mois|ann[ée]e|an|week[-\s]?end|trimestre|d[ée]cennie|si[èe]cle)(?:(?P<ci>-ci|-l[àa])|\s+(?P<rel>{REL}))?(?!\w)",
)
def _relative_unit(m: re.Match[str]) -> Candidate | None:
    unit = _REL_UNIT[key(m["u"])]
    det = key(m["det"] or "") or key(m["of"] or "").replace("de ", "").replace("du", "le").strip()
    rel = _rel(m["rel"])
    ci = (m["ci"] or "").lower()
    mod = modifier_of(m["mod"])
    if key(m["u"]) == "an" and det not in ("l'",) and not rel:
        return None  # "an" alone: "l'an dernier", "l'an prochain" only
    if rel is None:
        if ci.startswith("-l"):
            rel = "that"  # "cette année-là": the year just named
        elif det in ("ce", "cette", "cet") or ci == "-ci":
            rel = "this"
        elif mod:
            rel = "the"  # "fin du mois", "début de l'année": the current one, or the one just named
        else:
            return None  # "la semaine", "l'année": not a date by themselves
    # "fin du mois" ("the") is the anchor's month even after another month was named
    res = rs.relative_unit(unit, _OFF.get(rel, 0), rel in ("previous", "following", "that"), mod, rel == "last")
    return Candidate(m.start(), m.end(), "DATE", res, priority=4, relative=True, extra={"rel": rel})


_AGO_UNIT = r"secondes?|minutes?|heures?|jours?|journ[ée]es?|semaines?|mois|ans|an|ann[ée]es?|d[ée]cennies?|si[èe]cles?"


@rule(
    "ago",
    rf"{WORD_START}(?P<x>(?P<lead>il\s+y\s+a|voici|voilà|voila|dans|d['’]ici)\s+(?:(?P<appr>{APPR})\s+)?(?P<n>{NUM})\s+(?P<u>{_AGO_UNIT}))(?!\w)",
)
def _ago(m: re.Match[str]) -> Candidate | None:
    lead = key(m["lead"])
    sign = -1 if lead in ("il y a", "voici", "voila") else 1
    n = parse_number(m["n"])
    unit = unit_of(m["u"])
    if key(m["n"]) in ("un", "une") and unit == "D" and sign > 0:
        return None  # "dans un jour" is rare; "dans une journée de..." is not a date
    mod = APPR_MODS.get(key(m["appr"])) if m["appr"] else None
    if key(m["n"]) in APPROX_NUMBERS:
        mod = mod or "APPROX"
    res = rs.ago(n, unit, sign, True, mod, minutes=key(m["u"]).startswith("minute"))
    return Candidate(m.start("x"), m.end(), "DATE", res, priority=5, relative=True, extra={"no_note": sign < 0})


@rule(
    "later",
    rf"{WORD_START}(?P<n>{NUM})\s+(?P<u>{_AGO_UNIT})\s+(?P<dir>plus\s+tard|plus\s+t[ôo]t|auparavant|apr[èe]s|avant)(?!\w)",
)
def _later(m: re.Match[str]) -> Candidate | None:
    d = key(m["dir"])
    after = m.string[m.end() : m.end() + 8]
    if d in ("apres", "avant") and not re.match(r"\s*(?:[,.;:)]|$)", after):
        return None  # "deux jours après la signature": a relation
    sign = 1 if d in ("plus tard", "apres") else -1
    n = parse_number(m["n"])
    unit = unit_of(m["u"])
    res = rs.ago(n, unit, sign, False, minutes=key(m["u"]).startswith("minute"))
    return Candidate(m.start(), m.end(), "DATE", res, priority=5, relative=True)


# ---- durations


@rule(
    "duration",
    rf"(?<![\w$£€-])(?:(?P<appr>{APPR})\s+)?(?P<x>(?:(?P<pre>les|des|ces)\s+)?(?P<n>{NUM})(?:\s+(?P<adj>derni[èe]re?s|prochaine?s|premi[èe]re?s))?(?:\s+(?P<u>{UNIT_WORDS})|\s?(?P<hu>h))(?P<half>\s+et\s+demie?)?)(?!\w)(?!-)",
)
def _duration(m: re.Match[str]) -> Candidate | None:
    text = m.string
    nword = key(m["n"])
    uword = key(m["u"] or m["hu"])
    if m["hu"] and (not re.fullmatch(r"\d+", m["n"]) or m["adj"]):
        return None  # "48h", "72 h": digits only
    before = text[max(0, m.start() - 20) : m.start()]
    unit = unit_of(uword)
    n = parse_number(m["n"])
    # "à 10 heures", "vers 14h": a clock time, not a duration
    if unit == "H" and re.search(r"(?:\bà|vers|dès|des|jusqu['’]à|avant|après|apres|entre|et)\s*$", before, re.I) and not m["pre"]:
        if n is not None and n <= 24 and not m["appr"]:
            return None
    # "un homme de 35 ans", "âgé de 17 ans": an age
    if unit == "Y" and re.search(r"(?:âgée?s?|agée?s?|enfants?|hommes?|femmes?|garçons?|filles?|jeunes?|fillettes?|adolescente?s?|bébés?|victimes?)\s+de\s*$", before, re.I):
        return None
    if nword in ("un", "une") and unit == "D" and not re.search(r"(?:pendant|durant|depuis|en|pour)\s*$", before, re.I):
        return None  # "un jour" is mostly "one day, some day"
    if nword in ("un", "une") and uword in ("nuit",):
        return None
    if n is not None and n > 1000:
        return None
    mod = APPR_MODS.get(key(m["appr"])) if m["appr"] else None
    if nword in APPROX_NUMBERS:
        mod = mod or "APPROX"
    if m["half"] and n is not None:
        n += 0.5
    return rs.fixed_duration(m.start("x"), m.end(), rs.length_value(n, unit, uword.startswith("minute")), mod)


@rule("half_hour", r"(?<![\w-])(?:une\s+demi[-\s]heure|une\s+heure\s+et\s+demie)(?!\w)")
def _half_hour(m: re.Match[str]) -> Candidate | None:
    v = "PT30M" if "demi-" in m.group().lower() or "demi " in m.group().lower() else "PT90M"
    return rs.fixed_duration(m.start(), m.end(), v)


# ---- clock times


@rule(
    "clock",
    rf"{WORD_START}(?:(?P<lead>{WEEKDAY}|aujourd['’]hui|hier|demain)(?:\s+(?P<lpod>matin|soir|après-midi|apres-midi))?\s*,?\s+)?"
    r"(?P<pre>à|vers|dès|des|jusqu['’]à|avant|après|apres|depuis)\s+"
    r"(?:(?P<h>[01]?\d|2[0-4])\s*(?:h|heures?)(?:\s*(?P<mi>[0-5]\d))?|(?P<noon>midi|minuit))(?!\w)"
    r"(?:\s*(?P<tz>GMT|UTC|\(?heure\s+locale\)?|heure\s+de\s+Paris))?",
)
def _clock(m: re.Match[str]) -> Candidate | None:
    if m["noon"]:
        h, mi = (24 if m["noon"].lower() == "minuit" else 12), 0
    else:
        h, mi = int(m["h"]), int(m["mi"] or 0)
    clock = "24:00" if h == 24 else f"{h:02d}:{mi:02d}"
    lead = key(m["lead"]) if m["lead"] else None
    start = m.start() if lead else m.start("pre") + len(m["pre"])
    while start < len(m.string) and m.string[start].isspace():
        start += 1
    end = m.end()

    def res(ctx: Context) -> Resolved:
        base = ctx.anchor
        day = rs.story_day(ctx)
        if lead in _DEICTIC and base:
            day = base + timedelta(days=_DEICTIC[lead])
        elif lead in WEEKDAYS and base:
            day = cal.weekday_near(base, WEEKDAYS[lead], "future" if ctx.tense_of(start, end) == "future" else "past")
        return rs.clock_value(day, clock)

    return Candidate(start, end, "TIME", res, priority=5, relative=True)


@rule("clock_hm", r"(?<![\w:.,/-])(?P<h>[01]?\d|2[0-3])\s?h\s?(?P<mi>[0-5]\d)(?!\w)")
def _clock_hm(m: re.Match[str]) -> Candidate | None:
    clock = f"{int(m['h']):02d}:{m['mi']}"
    return Candidate(m.start(), m.end(), "TIME", rs.clock(clock), priority=4, relative=True)


# ---- sets and references


@rule("set_word", rf"{WORD_START}(?P<w>{alt(LEX['sets'])})(?!\w)")
def _set_word(m: re.Match[str]) -> Candidate | None:
    v, freq = SETS[key(m["w"])]
    quant = "EVERY" if re.match(r"(?:chaque|tou)", m["w"], re.I) else None
    return rs.fixed_set(m.start(), m.end(), v, freq=freq, quant=quant)


_SET_UNITS = {"jour": "P{n}D", "jours": "P{n}D", "semaine": "P{n}W", "semaines": "P{n}W", "mois": "P{n}M",
              "an": "P{n}Y", "ans": "P{n}Y", "annee": "P{n}Y", "annees": "P{n}Y", "heure": "PT{n}H", "heures": "PT{n}H",
              "trimestre": "P{n}Q", "trimestres": "P{n}Q", "nuit": "P{n}D", "nuits": "P{n}D"}


@rule(
    "set_every",
    rf"{WORD_START}(?:tous\s+les|toutes\s+les)\s+(?P<n>{NUMWORD}|\d+)\s+(?P<u>jours|semaines|mois|ans|ann[ée]es|heures|trimestres|nuits)(?!\w)",
)
def _set_every(m: re.Match[str]) -> Candidate | None:
    n = parse_number(m["n"])
    if n is None:
        return None
    v = _SET_UNITS[key(m["u"])].format(n=rs.fmt(n))
    return rs.fixed_set(m.start(), m.end(), v, priority=4, quant="EVERY")


@rule(
    "set_times",
    rf"{WORD_START}(?P<k>{NUMWORD}|\d+)\s+fois\s+(?:par|chaque|tous\s+les|toutes\s+les)\s+(?P<u>jour|semaine|mois|an|ann[ée]e|heure|trimestre|jours|semaines|ans|heures)(?!\w)",
)
def _set_times(m: re.Match[str]) -> Candidate | None:
    k = parse_number(m["k"])
    if k is None:
        return None
    v = _SET_UNITS[key(m["u"])].format(n=1)
    return rs.fixed_set(m.start(), m.end(), v, priority=4, freq=f"{rs.fmt(k)}X")


@rule("reference", rf"{WORD_START}(?P<w>{alt([w for ws in LEX['references'].values() for w in ws])})(?!\w)")
def _reference(m: re.Match[str]) -> Candidate | None:
    w = key(m["w"])
    value = REFS[w]
    if w == "maintenant" and re.match(r"\s+(?:que|qu['’])", m.string[m.end() : m.end() + 6], re.I):
        return None
    return rs.reference(m.start(), m.end(), value)


# ---------------------------------------------------------------- cores
# Words every match of a rule contains, as the WordIndex keys them (lowercase, split at
# apostrophes, hyphens, spaces and digits), in every spelling the rule's regex accepts:
# the regex then runs only near them.


def _spellings(phrase: str) -> set[str]:
    """Every spelling ``fr_re`` accepts for ``phrase``: each accent there or not, each hyphen kept or dropped."""
    outs = {""}
    for ch in phrase.lower():
        opts = [ch, ACCENTS[ch][2]] if ch in ACCENTS else ["-", ""] if ch == "-" else [ch]
        outs = {o + x for o in outs for x in opts}
    return outs


def _keys(phrases: Iterable[str], pick: int = 0, glued: tuple[str, ...] = ("",)) -> set[str]:
    """The index key of word ``pick`` of each spelling of ``phrases``, with each of ``glued`` in front
    (a determiner the regex lets touch the word, as in "cetété")."""
    return {index_words(g + s)[pick] for p in phrases for s in _spellings(p) for g in glued}


_MONTH_KEYS = _keys(MONTH_WORDS)
_WEEKDAY_KEYS = _keys([w for ws in LEX["weekdays"].values() for w in ws])
_AGO_UNITS = ["seconde", "secondes", "minute", "minutes", "heure", "heures", "jour", "jours", "journée",
              "journées", "semaine", "semaines", "mois", "ans", "an", "année", "années", "décennie", "décennies",
              "siècle", "siècles"]
_DURATION_UNITS = [*_AGO_UNITS, "nuit", "nuits", "quinzaine", "quinzaines", "trimestre", "trimestres", "semestre",
                   "semestres"]
# "48h" is split at the digits, "deuxh" is not (a match the handler refuses, but that the full scan sees)
_NUM_H = _keys([f"{w}h" for w in (*LEX["numbers"], *LEX["approx_numbers"], *LEX["vague_numbers"])], -1)
_CORES: dict[str, set[str]] = {
    **dict.fromkeys(["day_month_year", "month_year", "month"], _MONTH_KEYS),
    **dict.fromkeys(["numeric_date", "numeric_ymd", "numeric_month", "iso_month", "iso_date", "year", "year_range"], {"#4"}),
    "decade": _keys(["années"]),
    "season": _keys(["printemps", "été", "automne", "hiver"], glued=("", "le", "cet", "ce", "au", "en", "du")),
    "quarter": {"trimestre"},
    "weekday": _WEEKDAY_KEYS,
    "weekday_set": _WEEKDAY_KEYS | {f"{w}s" for w in _WEEKDAY_KEYS},
    "deictic_day": {"aujourd", "hier", "demain"},
    "this_part_of_day": {"matin", "soir", "nuit", "midi"},
    "anaphoric_day": {"veille", "lendemain", "surlendemain", "jour"},
    "relative_unit": _keys(["semaine", "mois", "année", "an", "week", "weekend", "trimestre", "décennie", "siècle"],
                           glued=("", "la", "le", "cette", "ce", "cet")),
    **dict.fromkeys(["ago", "later"], _keys(_AGO_UNITS)),
    "duration": _keys(_DURATION_UNITS) | {"h"} | _NUM_H,
    "half_hour": {"heure"},
    "clock": {"h", "heure", "heures", "midi", "minuit"},
    "clock_hm": {"h"},
    "set_word": _keys(LEX["sets"]),
    "set_every": {"tous", "toutes"},
    "set_times": {"fois"},
    "reference": _keys([w for ws in LEX["references"].values() for w in ws], -1),
}


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    """The grammar's rules in declaration order (ties between candidates go to the first), with their cores."""
    return with_cores(RULES, _CORES)


TENSE_FUTURE: list[str] = list(LEX["tense"]["future"])
TENSE_PAST: list[str] = list(LEX["tense"]["past"])
PAST_SUFFIX = None  # French past participles (-é) are too often nouns (armée, journée, année)
