"""Casualty, displacement, arrest and abduction figures read from news text.

Why: an ACLED-style event needs "how many" with its uncertainty and the words that say
so. Reports hedge ("at least 12", "nearly 50", "dozens"), so a figure is kept as
``low``/``best``/``high`` and ``best`` follows ACLED's conservative habit: the lowest
stated number, and ACLED's fixed readings for vague words. English is covered; French
where it came cheap (digits, spelled numbers, the usual hedges and participles).

``parse_quantity(phrase)`` reads a number phrase on its own (:mod:`trucewatch.extract.events.quantities`,
where the table of phrases is); ``find_counts(text)`` pairs number phrases with kind words
inside one clause.

``find_counts`` rules, in short:

* kind words: killed (killed, dead, died, deaths, death toll, fatalities, lost their
  lives, bodies, slain, killing, shot dead ...), injured (injured, wounded, hurt,
  injuring, wounding, injuries), displaced (displaced, displacing, fled their homes,
  forced to flee, homeless, evacuated), arrested (arrested, detained, detaining,
  arresting, taken into custody, apprehended, arrests), abducted (abducted, kidnapped,
  taken hostage, abducting, hostages); French participles (tués, blessés, déplacés,
  arrêtés, interpellés, enlevés ...) and "morts". "Casualties" is ambiguous and only
  read as "no casualties" (killed 0). With digits, the dead, wounded and displaced of
  Spanish, Italian, Portuguese, Russian, Arabic and Turkish reports too ("44 muertos",
  "23 morti", "погибли 5 человек", "قتل 3 عناصر", "4 asker şehit"); their spelled
  numbers are not read yet.
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
from dataclasses import dataclass, replace

from trucewatch.extract.events.quantities import (
    AND_WORD,
    GAP_PUNCT,
    MONTH_WORDS,
    PLURAL_PERSON,
    QTY_FIRST,
    QTY_RE,
    WEEKDAYS,
    WORD_START,
    FoundQuantity,
    Quantity,
    parse_quantity,
    quantity_here,
)
from trucewatch.text.script import span_back, without_vowel_marks

__all__ = ["KINDS", "Count", "Quantity", "find_counts", "parse_quantity"]

KINDS = ("killed", "injured", "displaced", "arrested", "abducted")


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
    # Spanish, Italian, Portuguese, Russian, Arabic, Turkish: the number before the word
    # ("15 palestinos murieron", "3 morti", "погибли 5 человек" takes it after)
    (r"погибли|погибло|убиты|مقتل|قتل", "killed", "OB"),
    (r"muert[oa]s|murieron|fallecid[oa]s|fallecieron|asesinad[oa]s|mort[io]|uccis[ie]|morreram|mort[oa]s"
     r"|assassinad[oa]s|погибл\w*|погибш\w*|убит\w*|قتيلا|قتيلاً|قتلى|şehit|öldü|hayatını\s+kaybetti", "killed", "B"),
    (r"ранены|إصابة", "injured", "OB"),
    (r"herid[oa]s|ferit[ie]|ferid[oa]s|ранен\w*|пострадавш\w*|пострадал\w*|جريحا|جريحاً|جرحى|yaralandı|yaralı",
     "injured", "B"),
    (r"desplazad[oa]s|sfollati|evacuat[ie]|deslocad[oa]s|desalojad[oa]s|evacuad[oa]s|вынужденн\w*\s+переселен\w*"
     r"|нужда\w*|نازح|نازحين|نازحا", "displaced", "B"),
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
    "muert", "murieron", "fallec", "asesin", "mort", "uccis", "morreram", "assassin", "погиб", "убит",
    "قتيل", "قتلى", "şehit", "öldü", "hayatını", "مقتل", "قتل", "herid", "ferit", "ferid", "ранен", "пострада",
    "جريح", "جرحى", "yaral", "إصابة", "desplaz", "sfollat", "evacu", "desloc", "desaloj", "вынужден", "нужда", "نازح",
)
_KIND_STEMS = (
    "kill", "slain", "murder", "massacr", "execut", "assassin", "behead", "slaughter", "lynch", "shot dead",
    "shot and", "gunned", "to death", "toll", "dead", "died", "perish", "death", "fatalit", "lost their",
    "lost his", "lost her", "bodies", "corpse", "casualt", "injur", "wound", "hurt", "displac", "uproot",
    "evacu", "homeless", "their home", "his home", "her home", "flee", "fled", "arrest", "detain",
    "detention", "apprehend", "custody", "rounded up", "rounding up", "abduct", "kidnap", "hostage",
    "captive", "tué", "tuant", "abattu", "mort", "décès", "péri", "perdu la", "bless", "déplac", "évacu",
    "sans-abri", "sans abri", "arrêt", "interpell", "garde à", "enlev", "enlèv", "otage", "victime",
    "muert", "murieron", "fallec", "asesin", "uccis", "morreram", "погиб", "убит", "قتيل", "قتلى", "şehit",
    "öldü", "hayatını", "مقتل", "قتل", "herid", "ferit", "ferid", "ранен", "пострада", "جريح", "جرحى", "yaral",
    "إصابة", "desplaz", "sfollat", "desloc", "desaloj", "вынужден", "нужда", "نازح",
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
#: Households counted instead of people ("300 families", "234 familles", "64 famiglie", "عائلة").
_FAMILIES = re.compile(r"\s*(?:[^\W\d_]+\s+){0,2}?(?:famil(?:y|ies|les?|ias?|ie|glie)|famílias|households?|foyers|ménages"
                       r"|hogares|nuclei familiari|семей|семьи|عائلة|عائلات|أسرة|أسر|aile(?:ler)?)\b", _I)
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
).split()) | frozenset(WEEKDAYS) | MONTH_WORDS


def _is_kind_start(word: str) -> bool:
    return word.startswith(_KIND_FIRST)


def _is_qty_start(word: str) -> bool:
    return word[0].isdigit() or word in QTY_FIRST


def _scan(rx: re.Pattern[str], text: str, start: int, end: int, wanted: Callable[[str], bool]) -> Iterator[re.Match[str]]:
    """``rx.finditer`` for patterns that start a word, tried only where ``wanted`` says
    the word may start a match: much faster than letting ``re`` try every position."""
    pos = start
    for w in WORD_START.finditer(text, start, end):
        if w.start() < pos or not wanted(w.group().lower()):
            continue
        m = rx.match(text, w.start(), end)
        if m:
            yield m
            pos = m.end()


def _back_gap_ok(gap: str) -> bool:
    """Whether the words between a number and a later kind word can be its noun phrase."""
    g = _APPOSITIVE.sub(" ", _PAREN.sub(" ", gap))
    if GAP_PUNCT.search(g):
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
        self.qs: list[FoundQuantity] = []
        parens = [(p.start(), p.end()) for p in _PAREN.finditer(text, start, end)]
        for m in _scan(QTY_RE, text, start, end, _is_qty_start):
            q = quantity_here(text, m)
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

    def _object_is_subject(self, q: FoundQuantity) -> bool:
        """"killed 3 were wounded": the number after a verb starts the next clause."""
        ce = self.clause_ends[q.clause]
        if _SUBJECT_AFTER.match(self.text, q.end, ce):
            return True
        i = bisect.bisect_left(self.k_starts, q.end)
        if i < len(self.kinds) and self.kinds[i].clause == q.clause:
            between = self.text[q.end:self.kinds[i].start]
            return not _WORD_RE.search(between) and not GAP_PUNCT.search(between)
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
        if _FAMILIES.match(self.text, q.end):
            return None  # "displaced 300 families": not a count of people
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
            links.append((j, bool(AND_WORD.search(m["sep"]))))
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
        if _FAMILIES.match(gap):
            return None  # "300 families were evacuated": families are not people (no count of people)
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
        if not gap.strip() and lw in PLURAL_PERSON:
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
            is_and = bool(AND_WORD.search(m["sep"]))
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
    bare = without_vowel_marks(text[start:end])
    if bare is not None:  # "قُتل 3": the number words and kind stems are written bare
        stripped, where = bare
        found = []
        for c in find_counts(stripped):
            first, last = span_back(where, end - start, c.start, c.end)
            found.append(replace(c, start=start + first, end=start + last, text=text[start + first:start + last]))
        return found
    region = text[start:end].lower()
    if not any(stem in region for stem in _KIND_STEMS):
        return []
    try:
        return _Pairer(text, start, end).run()
    except (ValueError, ArithmeticError, RecursionError, IndexError):  # pragma: no cover - defensive
        return []
