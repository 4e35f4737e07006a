"""Number phrases: how many a phrase says, with its uncertainty, and whether it is a count.

Why a module of its own: reading "at least 12", "nearly 50", "dozens" or "deux cents" is
independent of which kind of figure it is; :mod:`trucewatch.extract.events.counts` pairs what this
module reads with the kind words ("killed", "displaced").

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
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

#: ``(low, best, high, approximate)``; None where the phrase leaves a bound open.
Quantity = tuple[int | None, int | None, int | None, bool]

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
GAP_PUNCT = re.compile(r"[,:;()\[\]\"“”«»—–]")
AND_WORD = re.compile(r"\b(?:and|et)\b", re.IGNORECASE)


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
PLURAL_PERSON = frozenset(_PERSON_PLURAL)
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
WEEKDAYS = ("monday tuesday wednesday thursday friday saturday sunday "
             "lundi mardi mercredi jeudi vendredi samedi dimanche").split()
MONTH_WORDS = frozenset(w.lower() for w in (_MONTHS_EN + "|" + _MONTHS_FR).split("|"))

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
QTY_RE = re.compile(rf"(?<![\w-])(?:{_PREFIX}){{0,2}}{_CORE}(?:{_SUFFIX})?(?!\w)", _I)

# First words a quantity phrase can start with (besides digits).
QTY_FIRST = frozenset(
    "more well just over at in upwards upward no not up as fewer less about around approximately approx "
    "roughly some a an estimated nearly almost close another au plus moins pas environ près pres presque "
    "quasiment quelque autour un une jusqu between from entre de hundreds tens several many few scores "
    "dozens thousands millions numerous des plusieurs quelques nombreux nombreuses half nobody none noone "
    "aucun aucune personne quatre cent mille".split()) | frozenset(_SMALL)
WORD_START = re.compile(r"(?<![\w-])\w+")

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
class FoundQuantity:
    """A number phrase in a text that counts something: its span, value, and whether it is a
    subset of another figure ("including 3 children"); the pairer sets ``clause``."""

    start: int
    end: int
    value: Quantity
    subset: bool
    clause: int = 0


def quantity_here(text: str, m: re.Match[str]) -> FoundQuantity | None:
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
    if pw and pw.group(1)[:1].isupper() and pw.group(1).lower() in MONTH_WORDS:
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
        if not (following and following[0] in PLURAL_PERSON and prev not in _YEAR_PREV):
            return None  # a year
    value = _parse_phrase(phrase)
    if value is None:
        return None
    if low.startswith("from ") and prev in _CHANGE_VERBS and value[2] is not None:
        value = (value[2], value[2], value[2], value[3])  # "rose from 5 to 12": now 12
    return FoundQuantity(s, e, value, bool(_SUBSET_BEFORE.search(before)))
