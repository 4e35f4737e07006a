"""Casualty, displacement, arrest and abduction figures read from news text.

Why: an ACLED-style event needs "how many" with its uncertainty and the words that say
so. Reports hedge ("at least 12", "nearly 50", "dozens"), so a figure is kept as
``low``/``best``/``high`` and ``best`` follows ACLED's conservative habit: the lowest
stated number, and ACLED's fixed readings for vague words. English is covered; French
where it came cheap (digits, spelled numbers, the usual hedges and participles).

``parse_quantity(phrase)`` reads a number phrase on its own; ``find_counts(text)``
pairs number phrases with kind words inside one clause.

Number phrases (``parse_quantity``), N and M the figures read:

======================================================  ======  ======  ======  ======
phrase                                                  low     best    high    approx
======================================================  ======  ======  ======  ======
"36", "1,000", "150 000", "1.2 million", "2 million",    N       N       N       no
"twenty-one", "two hundred", "three thousand",
"a dozen" (12), "two dozen" (24), "half a dozen" (6),
"a hundred", "one", "un", "une"
"a civilian", "an aid worker", "another soldier"        1       1       1       no
"no one", "nobody", "none", "no" (+ noun), "zero"       0       0       0       no
"more than N", "over N", "at least N", "N or more",     N       N       None    no
"N+", "upwards of N", "plus de N", "au moins N"
"up to N", "as many as N", "at most N", "jusqu'à N"     None    N       N       no
"fewer than N", "less than N", "moins de N"             None    None    N-1     no
"about/around/approximately/roughly/some N",            None    N       None    yes
"an estimated N", "N or so", "environ N"
"nearly/almost/close to/just under N", "près de N"      None    N       N       yes
"between N and M", "from N to M", "N to M", "N-M",      N       N       M       no
"N or M", "entre N et M"
======================================================  ======  ======  ======  ======

"More than N" keeps N as ``low`` (the stated figure, as ACLED records it), not N+1.
A hedge on a range keeps the range and sets ``approximate`` ("about 10 to 15" is
(10, 10, 15, True)). "2 to 3 million" reads both ends in millions.

Vague words (always ``approximate``; ``high`` is None: none of them bounds the figure).
``best`` follows the ACLED codebook where it has a reading (tens 10, dozens 12,
hundreds 100; several/many 10 as this project applies it); ``low`` never exceeds
``best``:

============================================  =========  =========  =====
phrase                                        low        best       high
============================================  =========  =========  =====
"a couple (of)"                               2          2          None
"a few", "a handful (of)", "quelques"         2          3          None
"some" (+ plural noun)                        2          10         None
"several", "many", "numerous", "a number of", 3          10         None
"plusieurs", "(de) nombreux/nombreuses"
"tens of", "des dizaines"                     10         10         None
"dozens", "des douzaines"                     12         12         None
"scores"                                      20         20         None
"hundreds", "des centaines"                   100        100        None
"thousands", "des milliers"                   1000       1000       None
"tens of thousands"                           10000      10000      None
"hundreds of thousands"                       100000     100000     None
"millions", "des millions"                    1000000    1000000    None
"several/a few/many/some" + hundred(s),       L x unit   L x unit   None
thousand(s), dozen(s): L the word's low       ("several hundred" = 300)
"une dizaine/quinzaine/vingtaine/...",        None       10/15/20   None
"une centaine", "un millier" (about N)                   .../100/1000
============================================  =========  =========  =====

``find_counts`` rules, in short:

* kind words: killed (killed, dead, died, deaths, death toll, fatalities, lost their
  lives, bodies, slain, killing, shot dead ...), injured (injured, wounded, hurt,
  injuring, wounding, injuries), displaced (displaced, displacing, fled their homes,
  forced to flee, homeless, evacuated), arrested (arrested, detained, detaining,
  arresting, taken into custody, apprehended, arrests), abducted (abducted, kidnapped,
  taken hostage, abducting, hostages); French participles (tués, blessés, déplacés,
  arrêtés, interpellés, enlevés ...) and "morts". "Casualties" is ambiguous and only
  read as "no casualties" (killed 0).
* the number and the kind word sit in one clause (no ".", ";", "!", "?" between) and
  within 8 words; a quantity serves one kind word (or a "killed and wounded" pair);
* "N X were killed", "N dead", "N deaths" (number before); "killed N", "killing N",
  "the killing of N", "death toll rose to N" (number after); "N X and M Y were killed"
  and "arrested N men and M women" add up; "including N children" is a subset and is
  never counted on its own;
* not numbers: years, dates, times, ages ("41-year-old", "aged 41"), measures and
  durations ("3 days", "10 km"), ordinals, percentages, money, designators
  ("Resolution 2510", "F-16", "5+5", "No. 5"), counts of things ("two attacks").

Everything is compiled at import and ``find_counts`` returns at once when a passage has
no kind word, because it runs on every sentence of every document.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

KINDS = ("killed", "injured", "displaced", "arrested", "abducted")

Quantity = tuple[int | None, int | None, int | None, bool]


@dataclass(frozen=True)
class Count:
    """A figure of one kind, its uncertainty, and the span of text that states it."""

    kind: str  # one of KINDS
    low: int | None  # smallest figure the phrase allows (None when unknown)
    best: int | None  # ACLED-style best figure (conservative: the lowest stated number)
    high: int | None  # largest figure the phrase allows (None when open-ended)
    start: int  # evidence span, absolute offsets into the `text` passed in
    end: int
    text: str  # == text[start:end], covering the number phrase and the kind word
    approximate: bool  # vague quantity words ("dozens", "several") or hedges ("about", "nearly")


_I = re.IGNORECASE

# ---------------------------------------------------------------- number words

_EN_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_FR_SMALL = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8,
    "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14,
    "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40,
    "cinquante": 50, "soixante": 60, "quatrevingt": 80,
}
_SMALL = {**_EN_SMALL, **_FR_SMALL}
_HUNDRED = {"hundred", "cent", "cents"}
_DOZEN = {"dozen", "douzaine"}
_SCALE = {
    "thousand": 1000, "mille": 1000, "million": 10**6, "millions": 10**6, "mn": 10**6,
    "billion": 10**9, "bn": 10**9, "milliard": 10**9, "milliards": 10**9,
}
_MAX_DIGITS = 18  # longer digit strings are identifiers, not counts (and int() has limits)


_QUATRE_VINGT = re.compile(r"quatre[\s-]vingts?")
_HALF_DOZEN = re.compile(r"half an? (?:dozen|douzaine)")
_WORD_SPLIT = re.compile(r"[\s-]+")
_SPACES = re.compile(r"\s+")
_ARTICLE_HEAD = re.compile(r"(?:an?|another)(?: [\w'-]+){0,2}")
_SEPT_ABBR = re.compile(r"\.|\s*\d")
_GAP_PUNCT = re.compile(r"[,:;()\[\]\"“”«»—–]")
_AND = re.compile(r"\b(?:and|et)\b", re.IGNORECASE)


def _words_to_int(s: str) -> int | None:
    """A spelled number ("twenty-one", "two hundred and fifty", "soixante-dix") or None."""
    s = _QUATRE_VINGT.sub("quatrevingt", s)
    if _HALF_DOZEN.fullmatch(s):
        return 6
    toks = [t for t in _WORD_SPLIT.split(s) if t and t not in ("and", "et")]
    if not toks or toks[0] in ("hundred", "thousand", "million", "billion", "dozen"):
        return None  # English scale words need a number or "a" before them
    total = current = 0
    last: int | None = None  # the previous additive word of the current group
    seen = pending_a = False
    for i, t in enumerate(toks):
        if t in ("a", "an"):
            if i != 0:
                return None
            pending_a = True
            continue
        if t in _SMALL:
            if pending_a:
                return None
            v = _SMALL[t]
            if last is not None:
                # "twenty one", "dix-sept", "soixante-dix-neuf"; not "one two" or "five five"
                ok = v < 20 if last in (60, 80) else (v < 10 if last >= 10 and last % 10 == 0 else False)
                if not ok:
                    return None
            current += v
            last = v
        elif t in _HUNDRED:
            current = (current or 1) * 100
            last = None
        elif t in _DOZEN:
            current = (current or 1) * 12
            last = None
        elif t in _SCALE:
            total += (current or 1) * _SCALE[t]
            current = 0
            last = None
        else:
            return None
        seen = True
        pending_a = False
    if pending_a or not seen:
        return None
    return total + current


_DIGITS_PARSE = re.compile(
    r"(?P<int>\d{1,3}(?:[, ]\d{3})+|\d+)(?:[.,](?P<frac>\d+))?"
    r"(?:\s*(?P<scale>hundred|thousand|million|billion|mille|millions|milliards?|mn|bn))?")


def _number(s: str) -> int | None:
    """An exact number phrase (digits, digits with a scale word, or words) or None."""
    m = _DIGITS_PARSE.fullmatch(s)
    if m:
        digits = m["int"].replace(",", "").replace(" ", "")
        frac = m["frac"]
        if len(digits) > _MAX_DIGITS or (frac and not m["scale"]):
            return None  # "2.5" on its own is no head count
        scale = 100 if m["scale"] == "hundred" else _SCALE.get(m["scale"] or "", 1)
        try:
            return int(Decimal(f"{digits}.{frac}" if frac else digits) * scale)
        except (InvalidOperation, ValueError):
            return None
    if any(ch.isdigit() for ch in s):
        return None
    return _words_to_int(s)


# ---------------------------------------------------------------- people and things

_PERSON_SING = (
    "person man woman boy girl child baby infant toddler teenager teen youth civilian "
    "soldier serviceman servicewoman trooper officer policeman policewoman gendarme guard "
    "fighter combatant militant rebel gunman insurgent jihadist extremist terrorist "
    "militiaman member journalist reporter photographer cameraman worker volunteer farmer "
    "herder shepherd fisherman student pupil teacher doctor nurse medic paramedic activist "
    "protester protestor demonstrator resident villager inhabitant pilot commander leader "
    "official politician lawmaker mayor chief elder cleric imam priest pastor monk nun "
    "trader merchant driver passenger peacekeeper refugee migrant suspect prisoner detainee "
    "hostage employee contractor lawyer judge recruit conscript sergeant captain lieutenant "
    "colonel general corporal dissident blogger opponent individual national citizen "
    "soldat militaire homme femme enfant policier combattant rebelle djihadiste jihadiste "
    "terroriste journaliste manifestant habitant villageois civil"
).split()
_PERSON_PLURAL = (
    "people persons men women children boys girls babies infants teenagers teens youths "
    "civilians soldiers servicemen troops officers policemen police personnel gendarmes "
    "guards fighters combatants militants rebels gunmen insurgents jihadists extremists "
    "terrorists militiamen militia members journalists reporters workers volunteers farmers "
    "herders shepherds fishermen students pupils teachers doctors nurses medics activists "
    "protesters protestors demonstrators residents villagers inhabitants pilots commanders "
    "leaders officials politicians lawmakers elders clerics worshippers pilgrims traders "
    "merchants drivers passengers peacekeepers refugees migrants suspects prisoners "
    "detainees hostages employees contractors families households individuals others "
    "nationals citizens recruits dissidents opponents "
    "personnes civils soldats militaires hommes femmes enfants policiers combattants "
    "rebelles djihadistes jihadistes terroristes journalistes manifestants habitants "
    "familles individus réfugiés migrants membres otages élèves"
).split()
_PERSON = frozenset(_PERSON_SING) | frozenset(_PERSON_PLURAL)
_PLURAL_PERSON = frozenset(_PERSON_PLURAL)
# Count nouns after a number that say it counts things or occasions, not people.
_THINGS = frozenset((
    # singular only where it cannot modify a person noun ("3 village elders" is people)
    "attack attacks strike strikes airstrike airstrikes raid raids clash clashes incident "
    "incidents explosion explosions blast blasts bomb bombs bombing bombings shells mortars "
    "rockets missiles drones vehicles cars trucks tanks buses houses homes buildings villages "
    "towns cities provinces districts regions states countries areas locations sites schools "
    "hospitals mosques churches weapons guns rifles operation operations orders plans "
    "checkpoints positions bases camps fronts occasion occasions wave waves "
    "attaques frappes maisons véhicules"
).split())

_MONTHS_EN = ("January|February|March|April|May|June|July|August|September|October|November|December"
              "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
_MONTHS_FR = "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre"
_WEEKDAYS = ("monday tuesday wednesday thursday friday saturday sunday "
             "lundi mardi mercredi jeudi vendredi samedi dimanche").split()
_MONTH_WORDS = frozenset(w.lower() for w in (_MONTHS_EN + "|" + _MONTHS_FR).split("|"))

# ---------------------------------------------------------------- the quantity regex

_NW_WORDS = sorted(
    [w for w in _SMALL if w not in ("un", "une", "quatrevingt")]
    + ["hundred", "thousand", "million", "billion", "dozen", "douzaine", "cent", "cents", "mille",
       "millions", "milliard", "milliards"],
    key=len, reverse=True)
_NW_START_WORDS = [w for w in _NW_WORDS
                   if w not in ("hundred", "thousand", "million", "billion", "dozen", "douzaine", "cents",
                                "millions", "milliard", "milliards")]
_UNE = r"(?-i:[Uu]ne?)"  # French "un"/"une", never "UN" (the United Nations)
_NW = rf"(?:quatre[\s-]vingts?|{'|'.join(_NW_WORDS)}|{_UNE})\b"
_NW_START = rf"(?:quatre[\s-]vingts?|{'|'.join(_NW_START_WORDS)}|{_UNE})\b"
_SEP = (r"(?:[ \t\u00a0]*-[ \t\u00a0]*|-et-|\s+et\s+(?=(?:un|une|onze)\b)"
        r"|(?:(?<=hundred)|(?<=thousand)|(?<=million))\s+and\s+(?=[a-z])|\s+)")
_WORD_SEQ = (rf"(?:half\s+an?\s+(?:dozen|douzaine)\b|an?\s+(?:hundred|thousand|million|dozen)\b(?:{_SEP}{_NW})*"
             rf"|{_NW_START}(?:{_SEP}{_NW})*)")
_DIG = (r"(?<!\d)(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+|\d{1,15})(?![\d])")
_DIG_SCALE = (r"(?<!\d)(?:\d{1,3}(?:,\d{3})+|\d{1,6}(?:[.,]\d{1,3})?)\s*"
              r"(?:hundred|thousand|million|billion|milliards?|millions?|mille|mn|bn)\b")
_NUM = rf"(?:{_DIG_SCALE}|{_DIG}|{_WORD_SEQ})"
_RANGE = (rf"(?:(?:between|from|entre|de)\s+{_NUM}\s+(?:and|to|et|à)\s+{_NUM}"
          rf"|{_NUM}\s*[-–]\s*{_NUM}|{_NUM}\s+(?:to|or|à|ou)\s+{_NUM})")
_PERSON_ALT = "|".join(sorted(_PERSON_PLURAL, key=len, reverse=True))
_SOME_AHEAD = (rf"(?=\s+(?:(?:[\w'’-]+\s+){{0,2}}?(?:{_PERSON_ALT})\b"
               r"|(?:were|have|had|are|of\s+(?:them|the|those))\b))")
_VAGUE = (
    r"(?:hundreds\s+of\s+thousands|tens\s+of\s+thousands"
    r"|(?:a\s+few|several|many|some)\s+(?:hundred\s+thousand|tens\s+of\s+thousands|hundreds\s+of\s+thousands"
    r"|hundreds|thousands|hundred|thousand|dozens|dozen)\b"
    r"|thousands|hundreds|dozens|scores|millions|tens(?=\s+of\b)"
    r"|a\s+few|several|many|numerous|a\s+number\s+of|a\s+handful(?:\s+of)?|a\s+couple(?:\s+of)?"
    rf"|some{_SOME_AHEAD}"
    r"|des\s+(?:centaines|dizaines)\s+de\s+milliers"
    r"|(?:plusieurs|quelques)\s+(?:centaines|dizaines|milliers)(?:\s+de\s+milliers)?"
    r"|des\s+(?:dizaines|douzaines|centaines|milliers|millions)|plusieurs|quelques|de\s+nombreu(?:x|ses)|nombreu(?:x|ses)"
    rf"|{_UNE}\s+(?:dizaine|quinzaine|vingtaine|trentaine|quarantaine|cinquantaine|soixantaine|centaine)|un\s+millier"
    r")\b")
_NO_BLOCK = (r"more|fewer|less|longer|immediate|reports?|word|information|details?|confirmation|official"
             r"|indication|sign|evidence|doubt|matter|way|end|need|plans?|comment|one|idea|clear|exact")
_ZERO = (r"(?:no[\s-]one\b|nobody|none|noone|aucune?|(?-i:[Pp]ersonne)(?=\s+n['’])"
         rf"|no(?=\s+[^\W\d_])(?!\s+(?:{_NO_BLOCK})\b))")
_PERSON_SING_ALT = "|".join(sorted(_PERSON_SING, key=len, reverse=True))
# "a civilian", "an aid worker", "another soldier" (the noun is part of the phrase);
# "a death", "a fatality": only the article, the noun being the kind word itself
_ARTICLE = (rf"(?:an?|another)(?:\s+(?:[\w'’-]+\s+){{0,2}}?(?:{_PERSON_SING_ALT})\b(?!['’-])"
            r"|(?=\s+(?:[\w'’-]+\s+){0,2}?(?:death|fatality)\b))")
_PREFIX = (
    r"(?:(?:more\s+than|well\s+over|just\s+over|over|at\s+least|in\s+excess\s+of|upwards?\s+of"
    r"|no\s+(?:fewer|less)\s+than|not\s+(?:fewer|less)\s+than|up\s+to|as\s+many\s+as|at\s+most"
    r"|no\s+more\s+than|not\s+more\s+than|fewer\s+than|less\s+than|about|around|approximately|approx\.?"
    r"|roughly|some|an?\s+estimated|estimated|nearly|almost|close\s+to|just\s+under|a\s+total\s+of"
    r"|a\s+further|another|an\s+additional|an\s+extra|au\s+moins|plus\s+de|moins\s+de|pas\s+moins\s+de"
    r"|environ|près\s+de|pres\s+de|presque|quasiment|quelque|autour\s+de|au\s+total|un\s+total\s+de"
    r"|au\s+plus)\s+"
    r"|(?:plus|moins|pas\s+moins|près|pres)\s+d['’]\s*|jusqu['’]\s*(?:à|a|au)\s+)")
_SUFFIX = (r"(?:\+(?!\s*\d)|\s+or\s+more\b|\s+or\s+so\b|-plus\b|-odd\b|\s+ou\s+plus\b|\s+et\s+plus\b"
           r"|\s+and\s+(?:more|above)\b)")
_CORE = rf"(?:{_RANGE}|{_VAGUE}|{_DIG_SCALE}|{_DIG}|{_WORD_SEQ}|{_ZERO}|{_ARTICLE})"
_QTY_RE = re.compile(rf"(?<![\w-])(?:{_PREFIX}){{0,2}}{_CORE}(?:{_SUFFIX})?(?!\w)", _I)

# First words a quantity phrase can start with (besides digits).
_QTY_FIRST = frozenset(
    "more well just over at in upwards upward no not up as fewer less about around approximately approx "
    "roughly some a an estimated nearly almost close another au plus moins pas environ près pres presque "
    "quasiment quelque autour un une jusqu between from entre de hundreds tens several many few scores "
    "dozens thousands millions numerous des plusieurs quelques nombreux nombreuses half nobody none noone "
    "aucun aucune personne quatre cent mille".split()) | frozenset(_SMALL)
_WORD_START = re.compile(r"(?<![\w-])\w+")

# ---------------------------------------------------------------- phrase parsing

_PREFIX_KIND = [
    (r"more than|well over|just over|over|at least|in excess of|upwards? of|no (?:fewer|less) than"
     r"|not (?:fewer|less) than|au moins|plus de|plus d'|pas moins de|pas moins d'", "at_least"),
    (r"up to|as many as|at most|no more than|not more than|jusqu' ?(?:à|a|au)|au plus", "up_to"),
    (r"fewer than|less than|moins de|moins d'", "below"),
    (r"about|around|approximately|approx\.?|roughly|some|an? estimated|estimated|environ|quelque"
     r"|autour de", "about"),
    (r"nearly|almost|close to|just under|près de|pres de|près d'|pres d'|presque|quasiment", "nearly"),
    (r"a total of|a further|another|an additional|an extra|au total|un total de", "neutral"),
]
_PREFIX_PARSE = [(re.compile(rf"(?:{p})(?: |(?<=')|$)"), kind) for p, kind in _PREFIX_KIND]
_SUFFIX_PARSE = re.compile(r"(?P<s>\+| or more| ou plus| et plus| and more| and above|-plus| or so|-odd)$")
_RANGE_SPLIT = re.compile(r" ?[-–—] ?| to | or | à | ou ")
_RANGE_WRAPPED = re.compile(r"(?:between|from|entre|de) (?P<a>.+?) (?:and|to|et|à) (?P<b>.+)")
_SCALE_END = re.compile(r"(?:hundred|thousand|million|billion|mille|millions|milliards?)$")

_V = tuple[int | None, int | None, int | None]
_VAGUE_TABLE: dict[str, _V] = {
    "a couple": (2, 2, None), "a couple of": (2, 2, None),
    "a few": (2, 3, None), "a handful": (2, 3, None), "a handful of": (2, 3, None), "quelques": (2, 3, None),
    "some": (2, 10, None),
    "several": (3, 10, None), "many": (3, 10, None), "numerous": (3, 10, None), "a number of": (3, 10, None),
    "plusieurs": (3, 10, None), "de nombreux": (3, 10, None), "de nombreuses": (3, 10, None),
    "nombreux": (3, 10, None), "nombreuses": (3, 10, None),
    "tens": (10, 10, None), "des dizaines": (10, 10, None),
    "dozens": (12, 12, None), "des douzaines": (12, 12, None),
    "scores": (20, 20, None),
    "hundreds": (100, 100, None), "des centaines": (100, 100, None),
    "thousands": (1000, 1000, None), "des milliers": (1000, 1000, None),
    "tens of thousands": (10_000, 10_000, None), "des dizaines de milliers": (10_000, 10_000, None),
    "hundreds of thousands": (100_000, 100_000, None), "des centaines de milliers": (100_000, 100_000, None),
    "millions": (10**6, 10**6, None), "des millions": (10**6, 10**6, None),
}
_VAGUE_LOW = {"a few": 2, "some": 2, "several": 3, "many": 3, "plusieurs": 3, "quelques": 2}
_VAGUE_UNITS = {
    "dozen": 12, "dozens": 12, "hundred": 100, "hundreds": 100, "thousand": 1000, "thousands": 1000,
    "hundred thousand": 100_000, "tens of thousands": 10_000, "hundreds of thousands": 100_000,
    "dizaines": 10, "centaines": 100, "milliers": 1000, "dizaines de milliers": 10_000,
    "centaines de milliers": 100_000,
}
for _w, _lo in _VAGUE_LOW.items():
    for _u, _uv in _VAGUE_UNITS.items():
        _VAGUE_TABLE[f"{_w} {_u}"] = (_lo * _uv, _lo * _uv, None)
for _w, _n in (("dizaine", 10), ("quinzaine", 15), ("vingtaine", 20), ("trentaine", 30), ("quarantaine", 40),
               ("cinquantaine", 50), ("soixantaine", 60), ("centaine", 100)):
    _VAGUE_TABLE[f"une {_w}"] = (None, _n, None)
_VAGUE_TABLE["un millier"] = (None, 1000, None)
_ZERO_WORDS = {"no", "no one", "no-one", "noone", "nobody", "none", "aucun", "aucune", "personne"}


def _exact_or_range(s: str) -> Quantity | None:
    n = _number(s)
    if n is not None:
        return (n, n, n, False)
    m = _RANGE_WRAPPED.fullmatch(s)
    splits = [(m["a"], m["b"])] if m else []
    splits += [(s[:r.start()], s[r.end():]) for r in _RANGE_SPLIT.finditer(s)]
    for a_s, b_s in splits:
        a, b = _number(a_s.strip()), _number(b_s.strip())
        if a is None or b is None:
            continue
        sc = _SCALE_END.search(b_s)
        if sc and not _SCALE_END.search(a_s) and a < 1000:
            scaled = a * _number("1 " + sc.group())  # type: ignore[operator]
            if scaled <= b:
                a = scaled  # "2 to 3 million"
        if a < b:
            return (a, a, b, False)
    return None


def _core(s: str) -> Quantity | None:
    if s in _ZERO_WORDS:
        return (0, 0, 0, False)
    if s in _VAGUE_TABLE:
        lo, best, hi = _VAGUE_TABLE[s]
        return (lo, best, hi, True)
    if s in ("a", "an", "another"):
        return (1, 1, 1, False)
    q = _exact_or_range(s)
    if q is not None:
        return q
    words = s.split(" ")
    if len(words) >= 2 and words[-1] in _PERSON:  # "36 civilians", "a young man"
        head = " ".join(words[:-1])
        if _ARTICLE_HEAD.fullmatch(head):
            return (1, 1, 1, False)
        return _core(head)
    return None


def _apply(mod: str, q: Quantity) -> Quantity:
    lo, best, hi, approx = q
    if mod == "at_least":
        return (lo if lo is not None else best, best, None, approx)
    if mod == "up_to":
        return (None, best, hi if hi is not None else best, approx)
    if mod == "below":
        base = lo if lo is not None else best
        return (None, None, None if base is None else max(base - 1, 0), approx)
    if mod == "about":
        if lo is not None and lo == best == hi:
            return (None, best, None, True)
        return (lo, best, hi, True)
    if mod == "nearly":
        return (None, best, hi if hi is not None else best, True)
    return q


def _parse_phrase(phrase: str) -> Quantity | None:
    s = _SPACES.sub(" ", phrase.replace("’", "'")).strip().lower()
    mods: list[str] = []
    unprefixed = s
    for _ in range(3):
        if s in _VAGUE_TABLE or s in _ZERO_WORDS:
            break
        for rx, kind in _PREFIX_PARSE:
            m = rx.match(s)
            if m and m.end() < len(s):
                mods.append(kind)
                s = s[m.end():].lstrip()
                break
        else:
            break
    suffix = None
    m = _SUFFIX_PARSE.search(s)
    if m and m.start() > 0:
        suffix = "about" if m["s"] in (" or so", "-odd") else "at_least"
        s = s[:m.start()].strip()
    q = _core(s)
    if q is None and mods:
        q, mods = _core(unprefixed), []  # "another soldier": the article, not a prefix
    if q is None:
        return None
    for mod in reversed(mods):
        q = _apply(mod, q)
    if suffix:
        q = _apply(suffix, q)
    return q


def parse_quantity(phrase: str) -> tuple[int | None, int | None, int | None, bool] | None:
    """(low, best, high, approximate) for a number phrase, or None if it is not one.

    Context-free: "2019" reads as 2019 here; ``find_counts`` is what rules out years,
    ages and the like from the words around. See the module docstring for the table.
    """
    if not isinstance(phrase, str) or not phrase.strip() or len(phrase) > 200:
        return None
    try:
        return _parse_phrase(phrase)
    except (ValueError, ArithmeticError, RecursionError):
        return None


# ---------------------------------------------------------------- is it a count here?

_DESIGNATORS = frozenset((
    "resolution resolutions article articles paragraph section chapter clause law decree decision "
    "protocol phase stage zone sector route road highway street avenue building block unit brigade "
    "division battalion regiment corps squadron flight no nos number page pages item level room gate "
    "km kilometre kilometer mile checkpoint ward hill grade class version model type mark mk term "
    "round match channel line platform terminal camp apartment flat house plot lot box code bus "
    "under below usd eur gbp us$ rs cfa dollars euros pounds year years aged age ages âgé âgée âgés âgées "
    "résolution numéro kilomètre"
).split())
_YEAR_PREV = frozenset("in since until till by from of during year years early late mid before after to the "
                       "en depuis jusqu dès fin début".split())
_BEFORE_CHARS = re.compile(r"(?:[$€£¥#+/°]\s*|\d[.,:]|[^\W\d_]-)$")
_AFTER_REJECT = re.compile(
    r"(?:\s*(?:%|per\s*cent\b|percent\b|pour\s*cent\b|pc\b)"
    r"|-(?!(?:plus|odd)\b)[^\W\d_]|\s*-\s*\d|\+\s*\d|\s*[/:]\s*\d|[.,]\d|\s*°"
    r"|\s*(?:a\.?m\b\.?|p\.?m\b\.?|gmt\b|utc\b|o['’]clock\b|h\d)"
    r"|[\s-]*(?:years?|yrs?|months?|weeks?|days?|nights?|hours?|hrs?|minutes?|mins?|seconds?|decades?"
    r"|centuries|km|kms|kilomet(?:er|re)s?|miles?|met(?:er|re)s?|m|mm|cm|kg|kilos?|kilograms?|tons?|tonnes?"
    r"|times|points?|percent|dollars?|euros?|pounds?|francs?|cfa|usd|eur|gbp|shillings?|naira|rupees?"
    r"|dinars?|dirhams?|riyals?|degrees?|storeys?|stories|floors?|rounds?|litres?|liters?|acres?|hectares?"
    r"|sq|ans|mois|semaines?|jours?|heures?|kilomètres?|mètres?|fois)\b)",
    _I)
_AFTER_MONTH = re.compile(rf"\s*(?:of\s+)?(?:(?-i:{_MONTHS_EN})\b|(?:{_MONTHS_FR})\b)", _I)
_PREV_WORD = re.compile(r"([\w$']+)\.?\s*$")
_NEXT_WORDS = re.compile(r"\s*([^\W\d_][\w'’-]*)(?:\s+([^\W\d_][\w'’-]*))?")
_CHANGE_VERBS = frozenset("rose risen rises climbed climbs jumped increased grew grown surged soared mounted "
                          "went gone passé passée".split())
_SUBSET_BEFORE = re.compile(
    r"(?:including|among\s+(?:them|whom|those)|dont|y\s+compris|notamment|parmi\s+(?:eux|elles|lesquels"
    r"|lesquelles))\s*$", _I)


@dataclass
class _Q:
    start: int
    end: int
    value: Quantity
    subset: bool
    clause: int = 0


def _quantity_here(text: str, m: re.Match[str]) -> _Q | None:
    """The parsed quantity for a regex match, or None when the context says it is no count."""
    s, e = m.start(), m.end()
    phrase = m.group()
    before = text[max(0, s - 40):s]
    after = text[e:e + 60]
    if _BEFORE_CHARS.search(before) or _AFTER_REJECT.match(after) or _AFTER_MONTH.match(after):
        return None
    pw = _PREV_WORD.search(before)
    prev = pw.group(1).lower() if pw else ""
    if prev in _DESIGNATORS:
        return None  # "Resolution 2510", "No. 5", "aged 41", "USD 5"
    if prev == "how" or (prev in ("per", "pour") and phrase.lower().startswith("cent")):
        return None
    if pw and pw.group(1)[:1].isupper() and pw.group(1).lower() in _MONTH_WORDS:
        return None  # "March 5"
    low = phrase.lower()
    if low.startswith("sept") and _SEPT_ABBR.match(after):
        return None  # "Sept. 5", not French "sept"
    nxt = _NEXT_WORDS.match(after)
    following = [w.lower() for w in (nxt.groups() if nxt else ()) if w]
    for w in following:
        if w in _PERSON:
            break
        if w in _THINGS:
            return None
    if len(phrase) == 4 and phrase.isdigit() and 1800 <= int(phrase) <= 2100:
        if not (following and following[0] in _PLURAL_PERSON and prev not in _YEAR_PREV):
            return None  # a year
    value = _parse_phrase(phrase)
    if value is None:
        return None
    if low.startswith("from ") and prev in _CHANGE_VERBS and value[2] is not None:
        value = (value[2], value[2], value[2], value[3])  # "rose from 5 to 12": now 12
    return _Q(s, e, value, bool(_SUBSET_BEFORE.search(before)))


# ---------------------------------------------------------------- kind words

# flags: B number before, O object after ("killed 5"), F "of N" after, T toll verb after
# ("rose to N"), L toll after, lenient ("death toll of N"), A may be active voice
# ("gunmen killed civilians"), Z zero only, N needs "forced ... to flee", X French.
_KIND_ENTRIES: list[tuple[str, str, str]] = [
    (r"death\s+toll|toll", "killed", "L"),
    (r"shot\s+and\s+killed|shot\s+dead|gunned\s+down"
     r"|(?:stabbed|beaten|burned|burnt|hacked|tortured|crushed|trampled)\s+to\s+death", "killed", "BOAT"),
    (r"lost\s+(?:their|his|her)\s+li(?:ves|fe)", "killed", "B"),
    (r"fled\s+(?:their|his|her)\s+(?:homes?|houses?|villages?|towns?)", "displaced", "B"),
    (r"forced\s+to\s+flee|(?:forced|driven)\s+(?:out\s+of|from)\s+(?:their|his|her)\s+homes?", "displaced", "B"),
    (r"to\s+flee|to\s+leave\s+(?:their|his|her)\s+homes?|(?:from|out\s+of)\s+(?:their|his|her)\s+homes?",
     "displaced", "N"),
    (r"taken\s+into\s+custody|placed\s+under\s+arrest", "arrested", "B"),
    (r"rounded\s+up", "arrested", "BOA"),
    (r"rounding\s+up", "arrested", "O"),
    (r"taken\s+(?:hostage|captive)|held\s+(?:hostage|captive)", "abducted", "B"),
    (r"pris(?:es)?\s+en\s+otages?", "abducted", "BX"),
    (r"perdu\s+la\s+vie|trouvé\s+la\s+mort|ont\s+péri|péri", "killed", "BX"),
    (r"(?:placée?s?\s+)?en\s+garde\s+à\s+vue", "arrested", "BX"),
    (r"killed|slain|murdered|massacred|executed|assassinated|beheaded|slaughtered|lynched", "killed", "BOAT"),
    (r"kills", "killed", "O"),
    (r"killings", "killed", "BF"),
    (r"killing", "killed", "OF"),
    (r"dead", "killed", "BT"),
    (r"died|perished", "killed", "B"),
    (r"deaths", "killed", "BFT"),
    (r"death(?!\s+(?:sentences?|penalty|penalties|row|threats?|squads?|certificates?))", "killed", "BF"),
    (r"fatalities|fatality", "killed", "BT"),
    (r"bodies|corpses", "killed", "B"),
    (r"casualties", "killed", "Z"),
    (r"injured|wounded|hurt", "injured", "BOAT"),
    (r"injures", "injured", "O"),
    (r"injuring|wounding", "injured", "O"),
    (r"injuries", "injured", "BT"),
    (r"displaced|uprooted|evacuated", "displaced", "BOAT"),
    (r"displacing|uprooting|evacuating|displaces", "displaced", "O"),
    (r"displacement", "displaced", "F"),
    (r"homeless", "displaced", "B"),
    (r"arrested|detained|apprehended", "arrested", "BOAT"),
    (r"arresting|detaining|apprehending|detains", "arrested", "O"),
    (r"arrests", "arrested", "BT"),
    (r"arrest|detention", "arrested", "F"),
    (r"abducted|kidnapped|kidnaped", "abducted", "BOAT"),
    (r"abducting|kidnapping", "abducted", "OF"),
    (r"abducts|kidnaps", "abducted", "O"),
    (r"abductions?|kidnappings", "abducted", "BF"),
    (r"hostages", "abducted", "B"),
    # French
    (r"tué(?:e|es|s)?|abattu(?:e|es|s)?", "killed", "BOAX"),
    (r"tuant", "killed", "OX"),
    (r"morts|mortes|mort|décès", "killed", "BFX"),
    (r"blessé(?:e|es|s)?", "injured", "BOAX"),
    (r"blessant", "injured", "OX"),
    (r"déplacé(?:e|es|s)?|évacué(?:e|es|s)?", "displaced", "BOAX"),
    (r"sans[\s-]abris?", "displaced", "BX"),
    (r"arrêté(?:e|es|s)?|interpellé(?:e|es|s)?", "arrested", "BOAX"),
    (r"arrestations?|interpellations?", "arrested", "BFX"),
    (r"enlevé(?:e|es|s)?|kidnappé(?:e|es|s)?", "abducted", "BOAX"),
    (r"enlèvements?", "abducted", "BFX"),
    (r"otages", "abducted", "BX"),
    (r"victimes?", "killed", "ZX"),
]
_KIND_RE = re.compile(
    r"(?<![\w-])(?:" + "|".join(f"(?P<k{i}>{p})" for i, (p, _, _) in enumerate(_KIND_ENTRIES)) + r")(?![\w-])", _I)
# Every kind word contains one of these (lower case); a substring test is far cheaper
# than the regex, and most sentences of a document have none.
# First words a kind word can start with: the regex is only tried where a word begins so.
_KIND_FIRST = (
    "death", "toll", "shot", "gunned", "stabbed", "beaten", "burn", "hacked", "tortured", "crushed",
    "trampled", "lost", "fled", "forced", "driven", "to", "from", "out", "taken", "plac", "rounded",
    "rounding", "held", "pris", "perdu", "trouv", "ont", "péri", "en", "kill", "slain", "murder", "massacr",
    "execut", "assassin", "behead", "slaughter", "lynch", "dead", "died", "perish", "fatalit", "bodies",
    "corpse", "casualt", "injur", "wound", "hurt", "displac", "uproot", "evacu", "homeless", "arrest",
    "detain", "detention", "apprehend", "abduct", "kidnap", "hostage", "tu", "abattu", "mort", "décès",
    "bless", "déplac", "évacu", "sans", "arrêt", "interpell", "enlev", "enlèv", "otage", "victim",
)
_KIND_STEMS = (
    "kill", "slain", "murder", "massacr", "execut", "assassin", "behead", "slaughter", "lynch", "shot dead",
    "shot and", "gunned", "to death", "toll", "dead", "died", "perish", "death", "fatalit", "lost their",
    "lost his", "lost her", "bodies", "corpse", "casualt", "injur", "wound", "hurt", "displac", "uproot",
    "evacu", "homeless", "their home", "his home", "her home", "flee", "fled", "arrest", "detain",
    "detention", "apprehend", "custody", "rounded up", "rounding up", "abduct", "kidnap", "hostage",
    "captive", "tué", "tuant", "abattu", "mort", "décès", "péri", "perdu la", "bless", "déplac", "évacu",
    "sans-abri", "sans abri", "arrêt", "interpell", "garde à", "enlev", "enlèv", "otage", "victime",
)


@dataclass
class _K:
    start: int
    end: int
    kind: str
    flags: str
    clause: int


# ---------------------------------------------------------------- pairing

_CLAUSE_RE = re.compile(r"[.!?;…](?=\s|$|[\"'”’»)\]])|;|\n\s*\n")
_WORD_RE = re.compile(r"[^\W\d_][\w'’]*(?:-[\w'’]+)*|\d[\d,.]*")
_WS_GAP = re.compile(r"\s+")
_OF_GAP = re.compile(r"\s+(?:of|de|d['’]|des)\s*", _I)
_TOLL_WORDS = (r"(?:has|have|had|now|reportedly|already|officially|further|also|then|rose|risen|rises|rising"
               r"|climbed|climbs|climbing|jumped|jumps|increased|increases|grew|grown|surged|soared|mounted"
               r"|reached|reaches|reaching|stands|stood|standing|stand|hit|hits|topped|tops|passed|surpassed"
               r"|exceeded|totall?ed|totals|totall?ing|numbered|numbers|is|was|are|were|been|at|to|of|by"
               r"|s['’]élève|s['’]élevait|atteint|est|était|à|de)")
_TOLL_GAP = re.compile(
    rf"(?:\s+(?:from|in|of|for|after|since|by)(?:\s+[^\W\d_][\w'’-]*){{1,4}}?)?(?:\s*:|(?:\s+{_TOLL_WORDS}){{1,5}})\s*",
    _I)
_TOLL_VERB = re.compile(
    r"\b(?:rose|risen|rises|rising|climbed|climbs|jumped|increased|grew|grown|surged|soared|mounted|reached"
    r"|reaches|stands|stood|hit|hits|topped|passed|surpassed|exceeded|totall?ed|totals|numbered|numbers"
    r"|s['’]élève|s['’]élevait|atteint)\b", _I)
_GROUP_GAP = re.compile(r"\s*(?:,\s*)?(?:and|or|&|and/or|et|ou|as\s+well\s+as)\s+|\s*/\s*", _I)
_PAREN = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_APPOSITIVE = re.compile(
    r",\s*(?:including|among\s+(?:them|whom)|mostly|mainly|many\s+of\s+them|most\s+of\s+them|all\s+of\s+them"
    r"|some\s+of\s+them|dont|parmi\s+(?:eux|elles|lesquels|lesquelles)|y\s+compris|notamment)\b[^,;]*,"
    r"|\s[—–]\s[^—–]*\s[—–]\s", _I)
_STOP = frozenset((
    "said says say saying told tells tell claimed claims added adds stated announced announces according "
    "after before when whenever while whilst since because but although though whereas whether if unless "
    "until till how why what where then sentenced condemned convicted threatened vowed "
    "selon déclaré affirmé indiqué annoncé après avant quand lorsque mais si comment pourquoi tandis alors"
).split())
_AUX = frozenset("were was been being be are is have has had got get gets".split())
_ED_OK = frozenset((
    "armed unarmed unidentified suspected alleged hooded masked uniformed reported believed feared confirmed "
    "presumed estimated related affiliated united unnamed based trained wanted registered elected retired "
    "unemployed accused married disabled unaccompanied displaced detained wounded injured killed abducted "
    "kidnapped arrested evacuated uprooted assumed expected"
).split())
_COORD_STOP = frozenset("fled ran went came left fought escaped".split()) | _AUX
_COORD_GAP = re.compile(
    r"(?P<w>(?:\s+[^\W\d_][\w'’-]*){0,4}?)\s*(?P<sep>,\s*(?:and\s+|et\s+)?|\s+(?:and|et)\s+)", _I)
_SUBJECT_AFTER = re.compile(
    r"(?:\s+(?!(?:who|that|which)\b)[^\W\d_][\w'’-]*){0,3}?\s+(?:were|was|are|is|have|has|had)\b", _I)
_PASSIVE_BEFORE = re.compile(
    r"\b(?:were|was|been|being|be|are|is|got|get|gets|getting|'re|’re)\s+"
    r"(?:(?:\w+ly|all|also|both|each|later|subsequently|allegedly|reportedly|not|just|then|since|shot|stabbed)"
    r"\s+(?:and\s+)?){0,2}$", _I)
_FR_ACTIVE_BEFORE = re.compile(
    r"\b(?:a|ont|avait|avaient|aurait|auraient|ayant)\s+(?:(?!été\b)\w+\s+)?$", _I)
_FORCED_BEFORE = re.compile(r"\b(?:forc(?:ed|ing|es|e)|drove|driving|driven|drive[sn]?)\s+$", _I)
_NEXT_TOKEN = re.compile(r"\s*(\S)")
_NEXT_WORD = re.compile(r"\s*([^\W\d_][\w'’-]*)")
_FOLLOW_OK = frozenset((
    "in on at by during near after before when while as and or but since following amid amidst across "
    "inside outside over overnight yesterday today tonight last this earlier later so with from into "
    "between among including alongside under around close early late each respectively too also there "
    "here for according throughout along within without despite due because until till upon against "
    "via through to of nearby south north east west southern northern eastern western central "
    "en dans lors par à au aux près pendant après avant hier ce cette et ou mais dont selon depuis sur "
    "sous le la les"
).split()) | frozenset(_WEEKDAYS) | _MONTH_WORDS


def _is_kind_start(word: str) -> bool:
    return word.startswith(_KIND_FIRST)


def _is_qty_start(word: str) -> bool:
    return word[0].isdigit() or word in _QTY_FIRST


def _scan(rx: re.Pattern[str], text: str, start: int, end: int, wanted: Callable[[str], bool]) -> Iterator[re.Match[str]]:
    """``rx.finditer`` for patterns that start a word, tried only where ``wanted`` says
    the word may start a match: much faster than letting ``re`` try every position."""
    pos = start
    for w in _WORD_START.finditer(text, start, end):
        if w.start() < pos or not wanted(w.group().lower()):
            continue
        m = rx.match(text, w.start(), end)
        if m:
            yield m
            pos = m.end()


def _back_gap_ok(gap: str) -> bool:
    """Whether the words between a number and a later kind word can be its noun phrase."""
    g = _APPOSITIVE.sub(" ", _PAREN.sub(" ", gap))
    if _GAP_PUNCT.search(g):
        return False
    words = _WORD_RE.findall(g)
    if len(words) > 8:
        return False
    for i, w in enumerate(words):
        lw = w.lower()
        if lw in _STOP:
            if lw == "said" and i + 1 < len(words) and words[i + 1].lower() == "to":
                continue  # "were said to have been killed"
            return False
        if (lw.endswith("ed") and len(lw) > 4 and w[0].islower() and "-" not in lw and lw not in _ED_OK
                and not (i > 0 and words[i - 1].lower() in _AUX)):
            return False  # another verb: "gunmen attacked the village and civilians were killed"
    return True


def _coord_words_ok(words: str) -> bool:
    for w in _WORD_RE.findall(words):
        lw = w.lower()
        if lw in _STOP or lw in _COORD_STOP or (lw.endswith("ed") and len(lw) > 4 and lw not in _ED_OK):
            return False
    return True


class _Pairer:
    """Pairs quantities with kind words inside one region of a text."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text = text
        bounds = [m.end() for m in _CLAUSE_RE.finditer(text, start, end)]
        self.clause_starts = [start] + bounds
        self.clause_ends = bounds + [end]
        self.bounds = bounds
        self.kinds: list[_K] = []
        for m in _scan(_KIND_RE, text, start, end, _is_kind_start):
            kind, flags = _KIND_ENTRIES[int(m.lastgroup[1:])][1:]  # type: ignore[index]
            self.kinds.append(_K(m.start(), m.end(), kind, flags, self._clause(m.start())))
        self.qs: list[_Q] = []
        parens = [(p.start(), p.end()) for p in _PAREN.finditer(text, start, end)]
        for m in _scan(_QTY_RE, text, start, end, _is_qty_start):
            q = _quantity_here(text, m)
            if q is None:
                continue
            q.clause = self._clause(q.start)
            if self._clause(max(q.end - 1, q.start)) != q.clause:
                continue
            if any(a <= q.start and q.end <= b for a, b in parens):
                q.subset = True
            self.qs.append(q)
        self.claimed: set[int] = set()
        self.k_starts = [k.start for k in self.kinds]
        self.q_starts = [q.start for q in self.qs]
        self.q_ends = [q.end for q in self.qs]

    def _clause(self, pos: int) -> int:
        return bisect.bisect_right(self.bounds, pos)

    def _kind_between(self, a: int, b: int) -> bool:
        i = bisect.bisect_left(self.k_starts, a)
        return i < len(self.k_starts) and self.k_starts[i] < b

    def groups(self) -> list[list[_K]]:
        """Kind words joined by "and"/"or" ("killed and wounded") share their number."""
        out: list[list[_K]] = []
        for k in self.kinds:
            if out:
                last = out[-1][-1]
                if (last.clause == k.clause and all(g.kind != k.kind for g in out[-1])
                        and _GROUP_GAP.fullmatch(self.text, last.end, k.start)):
                    out[-1].append(k)
                    continue
            out.append([k])
        return out

    def _object_is_subject(self, q: _Q) -> bool:
        """"killed 3 were wounded": the number after a verb starts the next clause."""
        ce = self.clause_ends[q.clause]
        if _SUBJECT_AFTER.match(self.text, q.end, ce):
            return True
        i = bisect.bisect_left(self.k_starts, q.end)
        if i < len(self.kinds) and self.kinds[i].clause == q.clause:
            between = self.text[q.end:self.kinds[i].start]
            return not _WORD_RE.search(between) and not _GAP_PUNCT.search(between)
        return False

    def forward(self, group: list[_K]) -> list[int] | None:
        k = group[-1]
        flags = k.flags
        if not any(f in flags for f in "OFLT"):
            return None
        idx = bisect.bisect_left(self.q_starts, k.end)
        if idx >= len(self.qs) or self.qs[idx].clause != k.clause:
            return None
        if idx in self.claimed or self.qs[idx].subset:
            return None
        q = self.qs[idx]
        if self._kind_between(k.end, q.start):
            return None
        gap = self.text[k.end:q.start]
        if "O" in flags and _WS_GAP.fullmatch(gap):
            if self._object_is_subject(q):
                return None
        elif "F" in flags and _OF_GAP.fullmatch(gap):
            pass
        elif "L" in flags and _TOLL_GAP.fullmatch(gap):
            pass
        elif "T" in flags and _TOLL_GAP.fullmatch(gap) and _TOLL_VERB.search(gap):
            pass
        else:
            return None
        return self._chain_forward(idx)

    def _chain_forward(self, idx: int) -> list[int]:
        """"arrested 5 men and 3 women": later numbers joined by "and" add up."""
        links: list[tuple[int, bool]] = []
        cur = idx
        while True:
            j = cur + 1
            if j >= len(self.qs) or j in self.claimed:
                break
            a, b = self.qs[cur], self.qs[j]
            if b.clause != a.clause or b.subset or self._kind_between(a.end, b.start):
                break
            m = _COORD_GAP.fullmatch(self.text, a.end, b.start)
            if not m or not _coord_words_ok(m["w"]) or self._object_is_subject(b):
                break
            links.append((j, bool(_AND.search(m["sep"]))))
            cur = j
        while links and not links[-1][1]:
            links.pop()
        return [idx] + [j for j, _ in links]

    def backward(self, group: list[_K]) -> list[int] | None:
        k = group[0]
        flags = k.flags
        if not any(f in flags for f in "BZN"):
            return None
        idx = bisect.bisect_right(self.q_ends, k.start) - 1
        while idx >= 0 and self.qs[idx].subset and self.qs[idx].clause == k.clause:
            idx -= 1  # "including two children" is part of a larger figure
        if idx < 0 or self.qs[idx].clause != k.clause or idx in self.claimed:
            return None
        q = self.qs[idx]
        if self._kind_between(q.end, k.start):
            return None
        gap = self.text[q.end:k.start]
        if not _back_gap_ok(gap):
            return None
        if "Z" in flags and q.value[:3] != (0, 0, 0):
            return None
        if "N" in flags and not _FORCED_BEFORE.search(self.text, max(0, q.start - 30), q.start):
            return None
        if "A" in flags and self._active(group, gap):
            return None
        return self._chain_backward(idx)

    def _active(self, group: list[_K], gap: str) -> bool:
        """Whether the verb is active, so that the number before it counts the doers."""
        text = self.text
        k0, k1 = group[0], group[-1]
        cs, ce = self.clause_starts[k0.clause], self.clause_ends[k0.clause]
        before = text[max(cs, k0.start - 60):k0.start]
        if "X" in k0.flags:
            return bool(_FR_ACTIVE_BEFORE.search(before))
        if _PASSIVE_BEFORE.search(before):
            return False
        m = _NEXT_TOKEN.match(text, k1.end, ce)
        if not m or not m.group(1).isalpha():
            return False  # end of clause, punctuation or a number
        w = _NEXT_WORD.match(text, k1.end, ce)
        word = w.group(1) if w else ""
        lw = word.lower()
        if lw in _FOLLOW_OK or lw.endswith("ly"):
            return False
        if not gap.strip() and lw in _PLURAL_PERSON:
            return False  # "3 wounded soldiers", "150,000 displaced people"
        return True

    def _chain_backward(self, idx: int) -> list[int]:
        """"5 soldiers and 3 civilians were killed": earlier numbers joined by "and" add up."""
        chain = [idx]
        while True:
            j = chain[0] - 1
            if j < 0 or j in self.claimed:
                break
            a, b = self.qs[j], self.qs[chain[0]]
            if a.clause != b.clause or a.subset or self._kind_between(a.end, b.start):
                break
            m = _COORD_GAP.fullmatch(self.text, a.end, b.start)
            if not m or not _coord_words_ok(m["w"]):
                break
            is_and = bool(_AND.search(m["sep"]))
            if len(chain) == 1 and not is_and:
                break
            chain.insert(0, j)
        return chain

    def run(self) -> list[Count]:
        out: list[Count] = []
        for group in self.groups():
            chosen = self.forward(group) or self.backward(group)
            if not chosen:
                continue
            self.claimed.update(chosen)
            value = _sum(self.qs[i].value for i in chosen)
            q0, q1 = self.qs[chosen[0]].start, self.qs[chosen[-1]].end
            seen: set[str] = set()
            for k in group:
                if k.kind in seen:
                    continue
                seen.add(k.kind)
                s, e = min(q0, k.start), max(q1, k.end)
                lo, best, hi, approx = value
                out.append(Count(k.kind, lo, best, hi, s, e, self.text[s:e], approx))
        out.sort(key=lambda c: (c.start, c.end, KINDS.index(c.kind)))
        return out


def _sum(values: Iterable[Quantity]) -> Quantity:
    vals = list(values)
    if len(vals) == 1:
        return vals[0]

    def add(i: int) -> int | None:
        parts = [v[i] for v in vals]
        return None if any(p is None for p in parts) else sum(parts)

    return (add(0), add(1), add(2), any(v[3] for v in vals))


def find_counts(text: str, start: int = 0, end: int | None = None) -> list[Count]:
    """Every count in text[start:end], in text order; spans are absolute offsets into text.

    Never raises: odd input (not a string, empty, offsets out of range) gives [].
    """
    if not isinstance(text, str) or not text:
        return []
    n = len(text)
    try:
        start = max(0, min(int(start), n))
        end = n if end is None else max(start, min(int(end), n))
    except (TypeError, ValueError, OverflowError):
        return []
    if start >= end:
        return []
    region = text[start:end].lower()
    if not any(stem in region for stem in _KIND_STEMS):
        return []
    try:
        return _Pairer(text, start, end).run()
    except (ValueError, ArithmeticError, RecursionError, IndexError):  # pragma: no cover - defensive
        return []
