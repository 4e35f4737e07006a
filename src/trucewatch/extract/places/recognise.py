"""Toponym recognition: which spans of a text name places.

Two sources meet here. The NER model (when installed) finds GPE/LOC/FAC spans,
including places no gazetteer knows. The gazetteer finds every name it indexes,
in any spelling it folds together, including the ones the model calls ORG
("Edmonton", "Al-Watiya") and, in Arabic script, names the English model cannot
read. A gazetteer-only match must look like a proper noun and, when it is a
small place, stand where places stand ("in X", "near X"), so that "Conrad" the
person is not Conrad, Montana.

Each mention also carries the phrase that changes its precision ("south of",
"outskirts of", "district") and its role: ``location`` for where something is,
``actor`` when the name stands for a government ("Moscow said"), ``modifier`` when
it qualifies something else ("the Tripoli-based government").
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from trucewatch.extract.places.gazetteer import Gazetteer
from trucewatch.extract.places.model import Entry, Mention
from trucewatch.extract.places.names import spelled_out
from trucewatch.text.calendar_words import calendar_words
from trucewatch.text.entities import NerResult
from trucewatch.text.parties import is_party_name
from trucewatch.text.script import ARABIC_PROCLITICS, ARTICLES, SUN_ARTICLES, name_key
from trucewatch.text.titles import TITLE_HEADS

#: A word: letters, with any combining marks inside it ("طَرابُلُس", a decomposed "Zürich").
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u0640])*")
#: Lower-case words that may sit inside a place name ("Bosnia and Herzegovina", "Ras al-Unuf").
CONNECTORS = frozenset("""of de du des la le les al el ad ar as ash at az an and the upon on sur en di da do dos das
bin ibn bani abu umm um air base airbase airport port oil field terminal crossing camp line corridor
international""".split())
MAX_TOKENS = 6
#: Words that make a span the model called a place an organisation instead.
ORG_WORDS = frozenset("""Mission Council Government Ministry Support Agency Organization Organisation Committee
Office Forces Army Party Company Association University Bank Fund Union Commission Authority Department
Corporation Institute Foundation Group Coalition Alliance Front Movement Brigade Brigades Battalion""".split())
#: Places at least this populous (or countries, divisions, continents, our sites) need no locative cue.
MAJOR_POPULATION = 100_000

#: Words before a name that make it "near" or "part of" a place (ACLED geo_precision 2).
_LEFT_QUALIFIERS = [
    re.compile(r"\b(outskirts|suburbs?|edges?|vicinity|countryside|environs|outside)\s+of\s+(?:the\s+)?$", re.I),
    re.compile(r"\b((?:north|south|east|west)(?:[\s-]?(?:north|south|east|west))?(?:ern)?)\s+(?:of\s+)?(?:the\s+)?$", re.I),
    re.compile(r"\b(near|nearby|outside|around|close\s+to|not\s+far\s+from|(?:\d+\s*)?(?:km|kilometres|kilometers|miles)\s+(?:\w+\s+)?(?:of|from))\s+(?:the\s+)?$", re.I),
    re.compile(r"\b(central)\s+$", re.I),
]
_RIGHT_QUALIFIERS = re.compile(
    r"^\s+(district|province|governorate|region|state|county|municipality|area|countryside|outskirts|suburbs)\b",
    re.I,
)
_FEATURE_HINTS = {
    "air base": "AIRB", "airbase": "AIRB", "airport": "AIRP", "port": "PRT", "refinery": "OILR",
    "oil field": "OILF", "oilfield": "OILF", "terminal": "TRMO", "crossing": "PSTB", "camp": "CMP",
}
_RIGHT_FEATURE = re.compile(r"^\s+(air\s*base|airport|port|refinery|oil\s*field|terminal|crossing|camp)\b", re.I)
_ACTOR_VERBS = re.compile(
    r"^(?:'s\s+(?:government|foreign\s+ministry|ministry|president|army|military|forces|leaders?|officials?)\b|"
    r"\s+(?:has\s+|had\s+|have\s+|also\s+)?(?:said|says|say|announced|accused|denied|demanded|warned|claimed|insisted|"
    r"condemned|rejected|urged|stated|called|threatened|vowed|pledged|agreed|refused|backs|backed|supports?|supported)\b|"
    # "ce que Damas dément", "Moscú negó", "Mosca ha smentito", "Москва заявила"
    r"\s+(?:a\s+|avait\s+|ha\s+|hanno\s+|había\s+|tinha\s+)?(?:dément|démenti|nie|a\s+nié|affirme|affirmé|annoncé|annonce"
    r"|accuse|accusé|dénonce|dénoncé|rejette|rejeté|assure|assuré|estime|négó|negó|niega|afirmó|afirma|anunció|acusó|acusa"
    r"|denunció|rechazó|smentito|smentisce|nega|negato|affermato|annunciato|accusato|accusa|denunciado|negou|nega"
    r"|afirmou|anunciou|acusou|заявил\w*|сообщил\w*|опроверг\w*|отрицает|обвинил\w*|обвиняет|объявил\w*)(?!\w))",
)
_TOWN_OF = re.compile(r"\b(?:city|town|village|hamlet|municipality)\s+of\s+$", re.I)
#: "the state of Washington", "the province of Zaire": a division, not the town of that name.
_DIVISION_OF = re.compile(r"\b(?:the\s+)(?:state|province|governorate|county|prefecture|department|emirate)\s+of\s+$", re.I)
_KIND_AFTER = re.compile(r"^\s+(?:city|town|village|camp|base|airport|port)\b", re.I)
_MODIFIER = re.compile(r"^-(?:based|backed|led|allied|aligned|supported|controlled|born|headquartered)\b", re.I)
#: "Marburg virus", "West Nile fever": a disease named for a place is not the place; nor is
#: "Cedar Rd" or "Silver Street" the cedar town or a silver mine.
_NAMED_THING = re.compile(
    r"^[\s-]+(?:virus|viruses|fever|disease|flu|influenza|strain|vaccine|encephalitis"
    r"|road|rd|street|st|avenue|ave|drive|dr|lane|ln|boulevard|blvd|highway|hwy|way|crescent|court|ct)\b\.?",
    re.I,
)
#: NER labels under which a gazetteer match is not a place ("May" the month, "Georgia" a person).
_NOT_PLACE_LABELS = frozenset({"PERSON", "DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL",
                               "LAW", "LANGUAGE", "WORK_OF_ART", "EVENT", "PRODUCT"})
#: Words that say the next name is a place whatever the model calls it ("the city of Tarhunah").
_PLACE_CUE = re.compile(
    r"\b(?:(?:city|town|village|hamlet|district|suburbs?|outskirts|province|governorate|island"
    r"|residents|inhabitants|villagers|townspeople)\s+of"
    r"|(?:in|towards?)\s+the\s+direction\s+of)\s+$", re.I)
#: Words before a name that put something in or at a place, not merely with or of someone.
_IN_PLACE = re.compile(
    r"(?:\b(?:in|at|near|outside|across|into|inside|around)"
    r"|\b(?:sent|went|moved|flew|fled|returned|diverted|headed|travell?ed|evacuated|transferred|deployed|advanced"
    r"|marched|driven|taken|brought|road|route|flights?|planes?)\b(?:\s+\S+){0,2}\s+to)\s+(?:the\s+)?$", re.I)
#: A token mixing letters and digits ("e81d0c6a", "2f47"): scraped identifiers, not place names.
_CODE_TOKEN = re.compile(r"\b(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z\d]{4,}\b")
#: Labels of the model that a well-known place name after a locative word overrules.
_OVERRULED_LABELS = frozenset({"PERSON", "PRODUCT"})
#: "London's Heathrow", "Idlib's Saraqeb": a proper noun's possessive before a small place locates it.
_POSSESSIVE_PLACE = re.compile(r"\b[A-Z][\w-]*['’]s\s+$")
_LOCATIVE = re.compile(r"\b(in|at|near|from|to|into|outside|around|of|across|towards?|via|between|and|city\s+of|town\s+of|village\s+of)\s+(?:the\s+)?$", re.I)


@lru_cache(maxsize=1)
def not_places() -> frozenset[str]:
    """Capitalised common words that name places but rarely mean them (``not_places.txt``)."""
    path = resources.files("trucewatch.resources").joinpath("places", "not_places.txt")
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.add(line.casefold())
    return frozenset(words)


@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    """English closed-class words, never place names in running text (``function_words.txt``)."""
    path = resources.files("trucewatch.resources").joinpath("places", "function_words.txt")
    return frozenset(line.split("#", 1)[0].strip().casefold()
                     for line in path.read_text(encoding="utf-8").splitlines() if line.split("#", 1)[0].strip())


@dataclass
class _Token:
    start: int
    end: int
    text: str


def tokens(text: str) -> list[_Token]:
    return [_Token(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


def _joinable(text: str, left: _Token, right: _Token) -> bool:
    """Whether two tokens can belong to one name: only spaces, a hyphen, a dot or an apostrophe between."""
    gap = text[left.end : right.start]
    return len(gap) <= 2 and all(c in " -‐‑.'’" for c in gap) and "\n" not in gap


def _capitalised(token: str) -> bool:
    return token[:1].isupper()


def _is_arabic_token(token: str) -> bool:
    return "\u0600" <= token[:1] <= "\u06ff"


@dataclass
class Match:
    """A gazetteer hit: the span, how it was written, and what it may name."""

    start: int
    end: int
    text: str
    entries: tuple[Entry, ...]
    kinds: frozenset[str]


def gazetteer_matches(text: str, gazetteer: Gazetteer) -> Iterator[Match]:
    """Longest gazetteer names in ``text``, left to right, none overlapping."""
    toks = tokens(text)
    i = 0
    while i < len(toks):
        first = toks[i]
        arabic = _is_arabic_token(first.text)
        if not (arabic or _capitalised(first.text)):
            i += 1
            continue
        best: Match | None = None
        best_j = i
        j = i
        while j < len(toks) and j - i < MAX_TOKENS:
            last = toks[j]
            if j > i:
                if not _joinable(text, toks[j - 1], last):
                    break
                possessive = last.text == "s" and text[last.start - 1 : last.start] in "'’"
                if not (arabic or _capitalised(last.text) or last.text in CONNECTORS or possessive):
                    break
            found = _lookup(text, first.start, last.end, gazetteer, arabic)
            if found is not None:
                best, best_j = found, j
            j += 1
        if best is not None:
            yield best
            i = best_j + 1
        else:
            i += 1


def _lookup(text: str, start: int, end: int, gazetteer: Gazetteer, strip_clitic: bool) -> Match | None:
    surface = text[start:end]
    exact = gazetteer.exact_forms()
    dotted = end < len(text) and text[end] == "."
    if dotted and f"={surface}." in exact:  # "U.S.", "Ky." are indexed exactly as written, period included
        return Match(start, end + 1, surface + ".", gazetteer.lookup(f"={surface}."), frozenset({"abbr"}))
    if f"={surface}" in exact:
        return Match(start, end, surface, gazetteer.lookup(f"={surface}"), frozenset({"abbr"}))
    key = name_key(surface)
    hits = gazetteer.lookup(key)
    if not hits and (longer := spelled_out(key)):  # "St. Marc" for Saint-Marc
        key = longer
        hits = gazetteer.lookup(key)
    if hits:
        return Match(start, end, surface, hits, frozenset(k for _, k in gazetteer.kinds(key)))
    if _CYRILLIC_WORD.search(surface):  # "Израиля", "Харькову", "Донецке": an inflected Russian name
        found = russian_nominative(surface, gazetteer)
        if found is not None:
            key, hits = found
            return Match(start, end, surface, hits, frozenset(k for _, k in gazetteer.kinds(key)))
    if strip_clitic:  # "وطرابلس", "بطرابلس": a one-letter proclitic on an Arabic name
        for clitic in ARABIC_PROCLITICS:
            if surface.startswith(clitic) and len(surface) - len(clitic) >= 3:
                key = name_key(surface[len(clitic) :])
                hits = gazetteer.lookup(key)
                if hits:
                    offset = len(clitic)
                    kinds = frozenset(k for _, k in gazetteer.kinds(key))
                    return Match(start + offset, end, surface[offset:], hits, kinds)
    return None


_CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]{3,}$")
#: Russian case endings, longest first, and what a nominative may end in once one is taken off
_RU_ENDINGS = ("ами", "ями", "ого", "его", "ому", "ему", "ом", "ем", "ой", "ей", "ою", "ах", "ях", "ам", "ям",
               "е", "у", "ю", "а", "я", "ы", "и")
#: A town this big may be taken from an inflected form (Cyrillic names in the index are
#: curated: countries, divisions and ``exonyms.tsv``), a hamlet may not
_RU_TOWN_POPULATION = 20_000
_RU_NOMINATIVE = ("", "ь", "а", "я", "й", "ы", "и", "ия")


def russian_nominative(surface: str, gazetteer: Gazetteer) -> tuple[str, tuple[Entry, ...]] | None:
    """The gazetteer entry an inflected Russian place name stands for: "Израиля" is Израиль,
    "Харькову" Харьков, "Донецке" Донецк, "Украины" Украина. The last word is stripped of a case
    ending and given each nominative ending in turn; only a well-known place (a country, a
    division, a town of 20,000 or more, one of our sites) is taken, since a stem may match a village."""
    if not _CYRILLIC_WORD.search(surface):
        return None
    head, _, last = surface.rpartition(" ")
    for ending in _RU_ENDINGS:
        if not last.endswith(ending) or len(last) - len(ending) < 3:
            continue
        stem = last[: len(last) - len(ending)]
        for nominative in _RU_NOMINATIVE:
            form = stem + nominative
            if form == last:
                continue
            key = name_key(f"{head} {form}" if head else form)
            hits = gazetteer.lookup(key)
            if hits and (_is_major(hits) or any(e.population >= _RU_TOWN_POPULATION for e in hits)):
                return key, hits
    return None


def _is_major_area(entries: tuple[Entry, ...]) -> bool:
    return any(e.feature_class in ("A", "L") and e.feature_code != "ADM2" for e in entries)


def _is_major(entries: tuple[Entry, ...]) -> bool:
    return any(
        (e.feature_class in ("A", "L") and e.feature_code != "ADM2") or e.source in ("supplement", "regions")
        or e.population >= MAJOR_POPULATION
        for e in entries
    )


def _context(text: str, mention: Mention) -> Mention:
    """Fill in the qualifier, feature hint and role from the words around the span."""
    before = text[max(0, mention.start - 40) : mention.start]
    after = text[mention.end : mention.end + 40]
    for pattern in _LEFT_QUALIFIERS:
        found = pattern.search(before)
        if found:
            mention.qualifier = re.sub(r"\s+", " ", found.group(0).strip().lower())
            at = mention.start - len(before) + found.start()
            mention.qualifier_span = (at, at + len(found.group(0).rstrip()))
            break
    right = _RIGHT_QUALIFIERS.match(after)
    if right and mention.qualifier is None:
        mention.qualifier = right.group(1).lower()
        mention.qualifier_span = (mention.end + right.start(1), mention.end + right.end(1))
    if _TOWN_OF.search(before):
        mention.feature_hint = "P"
    elif _DIVISION_OF.search(before) and not re.match(r"^['’]s\b", after):
        mention.feature_hint = "A"  # but "the state of Khartoum's hospitals" is their condition
    feature = _RIGHT_FEATURE.match(after)
    if feature:
        mention.feature_hint = _FEATURE_HINTS.get(re.sub(r"\s+", " ", feature.group(1).lower()))
    # "the Pacific", but not "the Dnipro region" or "the Dnipro city centre": the word after says what it is
    mention.definite = (bool(re.search(r"\bthe\s+$", before, re.I)) or mention.text.lower().startswith("the ")) \
        and not right and not feature and not _KIND_AFTER.match(after)
    if _MODIFIER.match(after):
        mention.role = "modifier"
    elif _ACTOR_VERBS.match(after) and not _LOCATIVE.search(before):
        mention.role = "actor"
    return mention


def recognise(text: str, gazetteer: Gazetteer, doc: Any | None = None, lang: str | None = None) -> list[Mention]:
    """Every place mention in ``text``; ``doc`` is the spaCy Doc of ``text`` when NER runs;
    ``lang`` (the text's language) lets a town stand after that language's locative words."""
    ner_spans: list[tuple[int, int, str]] = []
    propn: set[int] | None = None
    if isinstance(doc, NerResult):
        ner_spans, propn = doc.spans, doc.propn
    elif doc is not None:
        found = NerResult.of(doc)
        ner_spans, propn = found.spans, found.propn
    # "the Line of Control (LoC": the model's span may run into a bracketed acronym; the name
    # ends before the bracket
    ner_spans = [_before_bracket(text, s, e, lab) for s, e, lab in ner_spans]
    mentions: list[Mention] = []
    taken: list[tuple[int, int]] = []
    # "Ghassan Salama ... Salama had visited": a person's name, wherever it recurs, is not a place
    # ("Georgia Stevens ... Georgia began skating"): a bare mention of it is a place only where
    # the model itself calls that mention a place and it names a country or a division
    people = {part.casefold() for s, e, lab in ner_spans if lab == "PERSON" and " " in text[s:e].strip()
              for part in text[s:e].split()}
    place_spans = {(s, e) for s, e, lab in ner_spans if lab in ("GPE", "LOC", "FAC")}

    def overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
        return any(start < e and s < end for s, e in spans[bisect_left(spans, (start - 500, 0)):]
                   if s < end)

    rejected: list[Match] = []
    for m in gazetteer_matches(text, gazetteer):
        kind = _accept(text, m, ner_spans, propn, doc is not None, lang)
        if kind is None and _inside_other_place(text, m, ner_spans):
            continue
        if kind is not None and _ends_actor_name(text, m):
            continue  # "the operation Volcano of Anger": a known armed group's or operation's name
        if kind is None and _month_beside_day(text, m):
            continue  # never rescued as a member of a list ("BEIRUT, Nov 27")
        if kind is None or (m.text.casefold() in people
                            and not ((m.start, m.end) in place_spans and _is_major_area(m.entries))):
            if m.text.casefold() not in people:
                rejected.append(m)
            continue
        mentions.append(_context(text, Mention(m.start, m.end, m.text, kind=kind, source="gazetteer")))
        insort(taken, (m.start, m.end))
    # "in Tripoli, Benghazi, Tarhuna, Sirte, Misrata and Gharyan": a name in a list of places
    # is a place, even one the model took for a person or that no cue stands before
    changed = True
    while changed and rejected:
        changed = False
        for m in list(rejected):
            if _listed_with(text, m, taken) and _rescuable(text, m) and not _ends_actor_name(text, m):
                mentions.append(_context(text, Mention(m.start, m.end, m.text, kind="name", source="gazetteer")))
                insort(taken, (m.start, m.end))
                rejected.remove(m)
                changed = True
    # one sense per document: "the control on Tarhunah" is the Tarhunah that "the city of
    # Tarhunah" names further on, though the model calls both a person
    named = {name_key(x.text) for x in mentions if x.kind == "name"}
    for m in rejected:
        cover = _cover(m, ner_spans)
        if cover is None or cover[2] not in _OVERRULED_LABELS or (cover[0], cover[1]) != (m.start, m.end):
            continue  # only the model's person/product reading is overruled, nothing else
        if _titled(text, m.start) or any(word in people for word in m.text.casefold().split()):
            continue  # "Commander Sydney said", "Commander Abu Kamal ... in Abu Kamal"
        if name_key(m.text) in named and _rescuable(text, m) and not overlaps(m.start, m.end, taken) \
                and not _ends_actor_name(text, m):
            mentions.append(_context(text, Mention(m.start, m.end, m.text, kind="name", source="gazetteer")))
            insort(taken, (m.start, m.end))
    for start, end, label in ner_spans:
        if label not in ("GPE", "LOC", "FAC") or overlaps(start, end, taken):
            continue
        if _NAMED_THING.match(text[end : end + 20]):
            continue
        span_text = text[start:end]
        if _CODE_TOKEN.search(span_text):
            continue  # "e81d0c6a-2f47": an identifier left by scraping, not a place
        trimmed = re.sub(r"^(?:the|The)\s+", "", span_text)
        start += len(span_text) - len(trimmed)
        if not trimmed.strip():
            continue
        folded = trimmed.casefold()
        if folded in people or folded in not_places() or any(w in ORG_WORDS for w in trimmed.split()):
            continue  # "Salama"; "Easter"; "UN Support Mission" is an organisation the model took for a place
        mentions.append(_context(text, Mention(start, end, trimmed, kind="name", source="ner")))
        insort(taken, (start, end))
    mentions.sort(key=lambda x: x.start)
    return mentions


#: Words a place span may add to a gazetteer name and still mean that place: directions,
#: kinds of division, and sites named after their town ("Southern Idlib", "Nyanza Province",
#: "Kabul International Airport"). Any other word makes the span another place: "Stade de
#: France" is not Stade, "Stoke Newington" not Stoke, "Islington Bay" not Islington.
_SAME_PLACE_WORDS = frozenset("""the north south east west northern southern eastern western central upper lower
greater metro metropolitan inner outer downtown old province county district region governorate state
municipality oblast city town village prefecture territory department emirate borough airport international air
base airbase airfield port harbour harbor camp crossing terminal refinery of valley lake river coast delta basin
mountain mountains hills desert plain plains area ocean sea gulf strait peninsula highlands lowlands border
frontier countryside earthquake flood floods""".split())


#: Words that make a longer span an organisation or facility named for the place it holds
#: or an event held there ("Metcalfe County Sheriff's Office", "Children's Hospital of Pittsburgh",
#: "the Berlin Conference").
_ORG_LIKE = frozenset(w.casefold() for w in ORG_WORDS) | frozenset(
    "office sheriff police fire ems hospital school college court council district department center centre "
    "club church museum library sanitation conference summit talks agreement accord accords process declaration "
    "meeting ceasefire truce forum".split())


def _before_bracket(text: str, start: int, end: int, label: str) -> tuple[int, int, str]:
    """A model's span cut before an opening bracket inside it ("Line of Control (LoC")."""
    cut = text.find("(", start, end)
    if cut <= start:
        return start, end, label
    return start, len(text[start:cut].rstrip()) + start, label


def _part_of_other_place(text: str, m: Match, cover: tuple[int, int, str]) -> bool:
    """Whether the model's longer place span around a gazetteer name names something else."""
    before, after = text[cover[0] : m.start], text[m.end : cover[1]]
    if "," in before + after or " and " in f" {before} {after} " or before.endswith("-") or after.startswith("-"):
        return False  # "Atlanta, Georgia", "Bosnia and Herzegovina", "Asia-Pacific": two names in one span
    words = [t.text.casefold() for t in tokens(before + " " + after) if t.text != "s"]  # "Sheriff's"
    if any(w in _ORG_LIKE for w in words):
        return False
    return any(w not in _SAME_PLACE_WORDS and w not in CONNECTORS for w in words)


#: Month abbreviations, which are places too (Nov, Golan Heights; Mar, ...) but not beside a day.
_MONTH_ABBREVIATIONS = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec".split())
_DAY_AFTER = re.compile(r"\.?\s+\d{1,2}\b")
_DAY_BEFORE = re.compile(r"\b\d{1,2}\s+$")


#: What follows a dateline's place: a comma and a date, an agency in brackets, or a dash.
_DATELINE_TAIL = re.compile(r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}\b|,?\s*\((?:[A-Z][\w.]*\s*){1,3}\)|\s+[—–-]{1,2}\s)")


#: An apostrophe and a Turkish case ending after a proper name ("Halep'in", "Şam'da", "Gazze'ye").
_TURKISH_CASE = re.compile(r"['’](?:n?[iıuü]n|[dt][ae]n?|y?[eaiıuü])(?![^\W\d_])")


def _dateline_name(text: str, m: Any) -> bool:
    """Whether a well-known place's name in capitals opens a line as a wire dateline ("BEIRUT,
    Nov 27 (Wire) -", "GENEVA (AFP) -")."""
    return (m.text.isupper() and len(m.text) >= 3 and (m.start == 0 or text[m.start - 1] == "\n")
            and bool(_DATELINE_TAIL.match(text, m.end)) and _is_major(m.entries))


def _month_beside_day(text: str, m: Any) -> bool:
    """Whether a match is a month's abbreviation next to a day ("Nov 27", "27 Nov")."""
    return m.text.casefold().rstrip(".") in _MONTH_ABBREVIATIONS and bool(
        _DAY_AFTER.match(text, m.end) or _DAY_BEFORE.search(text[max(0, m.start - 4) : m.start]))


def _accept(text: str, m: Match, ner_spans: list[tuple[int, int, str]], propn: set[int] | None,
            ner: bool, lang: str | None = None) -> str | None:
    """``name`` or ``demonym`` when a gazetteer match should be kept, None when not.

    ``propn`` holds where the tagger's proper nouns start, None when there is no tagger's
    reading: no model ran (``ner`` false), or it ran without its tagger
    (the default; ``TRUCEWATCH_NER_TAGGER=on`` runs it, see ``trucewatch.text.ner``). Then our own
    rules tell names: never a closed-class word, a demonym before a town of the same name,
    and a sentence's first word only when the text writes it as a name elsewhere."""
    tagless = ner and propn is None
    if _NAMED_THING.match(text[m.end : m.end + 20]):
        return None
    arabic = _is_arabic_token(m.text)
    if arabic:
        return _accept_arabic(text, m)
    if _glued(text, m.start, m.end) or sum(c.isalpha() for c in m.text) < 2:
        return None  # "H" of "H5N1", "A" of "A380"
    if _dateline_name(text, m):
        return "name"  # "BEIRUT, Nov 27 (Wire) -": a wire dateline, whatever the model calls it
    folded = m.text.casefold()
    if folded in calendar_words(lang):
        return None  # "In March" is a month, "Mart'ta" too
    code = "abbr" not in m.kinds and m.text.isupper() and len(m.text) <= 5
    if _TURKISH_CASE.match(text, m.end) and m.text[:1].isupper() and not code \
            and (_is_major(m.entries) or lang == "tr"):
        return "name"  # "Halep'in kuzeyinde", "Şam'da": Turkish sets a name's case ending off with an apostrophe
    if code:
        return None  # "UN", "HIV", "CDC": a code is a place only when we list it ("US", "UK", "DRC")
    if folded in ARTICLES or folded in SUN_ARTICLES:
        return None  # "Al" of "Al-Wefaq"
    if tagless and folded in function_words() and not m.text.isupper():
        return None  # "No, he said", "We were told": closed-class words name no place ("OK" is Oklahoma)
    if _month_beside_day(text, m):
        return None  # "BEIRUT, Nov 27": a dateline's month, not the village of Nov
    cover = _cover(m, ner_spans)
    label = cover[2] if cover else None
    whole = cover is not None and cover[0] == m.start and cover[1] == m.end
    if _inside_other_place(text, m, ner_spans):
        return None  # "Stade de France", "Penn Park": the model's whole span is the place
    if cover is not None and not whole and label not in ("GPE", "LOC", "FAC"):
        # inside another name ("Edmonton Police Service", "University of Alberta", "the U.S.
        # Army") a place is still named when it goes by its own name or a listed short form
        # and is well known; an alternate name is part of the other name ("Operation Peace Storm")
        if not ({"name", "abbr"} & m.kinds) or not (cover[0] == m.start or _is_major(m.entries)):
            return None
    if m.kinds == frozenset({"demonym"}):
        if label in _NOT_PLACE_LABELS or (ner and label not in ("NORP", "GPE", None)):
            return None
        return "demonym"
    if folded in not_places() and not (whole and label in ("GPE", "LOC", "FAC")):
        return None  # "Southern" in "Southern California", "Center" in "the Carter Center"
    if label in ("GPE", "LOC", "FAC"):
        return "name"
    if tagless and "demonym" in m.kinds and label in ("NORP", None) and m.text[:1].isupper() \
            and not m.text.isupper():
        # "Canadian officials": a demonym that is also some town's name; the tagger called it
        # an adjective, and without it the demonym is the likely reading
        return "demonym"
    major = _is_major(m.entries)
    if label in _NOT_PLACE_LABELS:
        # the small model calls unfamiliar towns people or products ("in Calcutta", "town of
        # Garissa"); a well-known place under its own name, with the model's whole span and a
        # locative word before it, is still that place
        before = text[max(0, m.start - 30) : m.start]
        if not (label in _OVERRULED_LABELS and whole
                and ((major and "name" in m.kinds and _IN_PLACE.search(before)) or _PLACE_CUE.search(before))):
            return None  # not "loyal to Jackson", "the wife of Jordan", "under the direction of Hamilton"
    if "abbr" not in m.kinds:
        if ner and propn is not None and m.start not in propn:
            return None
        if propn is None and _sentence_start(text, m.start) and not _is_major_area(m.entries) \
                and not (tagless and _named_elsewhere(text, m)):
            return None  # a capital at a sentence start may be any word; "Libya" there is Libya
    before = text[max(0, m.start - 30) : m.start]
    if not major and not _LOCATIVE.search(before) and not _POSSESSIVE_PLACE.search(before) \
            and not _stands_as_place(text, m, lang):
        return None
    return "name"


#: Locative words before a town, by the text's language ("près de Deir Hafer", "cerca de Dilling",
#: "nei pressi di Uvira", "perto de Masisi", "у села Эль-Мазраа"); English's are ``_LOCATIVE``.
_LOCATIVES = {
    "fr": re.compile(r"(?<!\w)(?:à|au|aux|en|dans|près\s+d[e'’]|vers|depuis|de|d['’]|entre|et|(?:ville|localité|village|région|province)\s+d[e'’])\s*$", re.I),
    "es": re.compile(r"(?<!\w)(?:en|cerca\s+de|de|desde|hacia|a|entre|y|(?:ciudad|localidad|municipio|pueblo|región|provincia|departamento)\s+de)\s+$", re.I),
    "it": re.compile(r"(?<!\w)(?:a|in|nei\s+pressi\s+di|vicino\s+a|di|da|verso|tra|fra|e|(?:città|cittadina|villaggio|regione|provincia)\s+di)\s+$", re.I),
    "pt": re.compile(r"(?<!\w)(?:em|no|na|perto\s+de|de|do|da|para|entre|e|(?:cidade|vila|região|província)\s+de)\s+$", re.I),
    "ru": re.compile(r"(?<!\w)(?:в|во|под|у|около|из|на|близ|возле|до|и|(?:города|городе|село|села|селе|посёлка|поселка|деревни|района|провинции|области)\s*)\s+$", re.I),
}
#: Turkish puts the place word after the name ("Deir Hafir cephesinde", "Dilling kentinde").
_TURKISH_PLACE_NOUN = re.compile(
    r"\s+(?:cephe|kent|şehr|şehir|ilçe|köy|kasaba|bölge|yakın|kuzey|güney|doğu|batı|çevre|merkez|mahalle|kamp"
    r"|sınır|havaalan|üs|il|vilayet|eyalet|beldes)\w*", re.I)


def _stands_as_place(text: str, m: Match, lang: str | None) -> bool:
    """Whether a lesser town stands where the text's language puts a place: after one of its
    locative words, or, in Turkish, before a place word or after-apostrophe case ending."""
    if lang == "tr":
        return bool(_TURKISH_PLACE_NOUN.match(text, m.end) or _TURKISH_CASE.match(text, m.end))
    pattern = _LOCATIVES.get(lang or "")
    return pattern is not None and bool(pattern.search(text, max(0, m.start - 30), m.start))


#: Arabic words before a place: in, near, city/town/village of, east/west/north/south of, outskirts.
_ARABIC_LOCATIVE = re.compile(
    r"(?:^|\s)و?(?:في|قرب|بالقرب\s+من|مدينة|بلدة|قرية|منطقة|محافظة|ولاية|شرق|غرب|شمال|جنوب|ضواحي|محيط|"
    r"من|إلى|الى|نحو|حول|داخل|قاعدة|ميناء|مطار|معبر|مخيم)\s+$"
)
_ARABIC_PROCLITIC_IN = ("ب", "وب", "بال", "لل")


def _cover(m: Match, ner_spans: list[tuple[int, int, str]]) -> tuple[int, int, str] | None:
    """The model's entity holding the match, if any (spaCy entities never overlap)."""
    at = bisect_right(ner_spans, (m.start, float("inf"), "")) - 1
    return ner_spans[at] if at >= 0 and ner_spans[at][0] <= m.start and m.end <= ner_spans[at][1] else None


def _inside_other_place(text: str, m: Match, ner_spans: list[tuple[int, int, str]]) -> bool:
    """Whether the match is a shorter name inside a longer place the model found ("Penn Park")."""
    cover = _cover(m, ner_spans)
    return (cover is not None and (cover[0], cover[1]) != (m.start, m.end)
            and cover[2] in ("GPE", "LOC", "FAC") and _part_of_other_place(text, m, cover))


#: A definite Arabic word ending in the relative suffix: "السورية", "السعودية" are the country
#: ("سورية", "السعودية") and also its adjective, "Syrian", "Saudi".
_ARABIC_NISBA = re.compile(r"^ال\w+(?:ية|ي)$")
#: A definite noun right before it ("القوات السعودية", "الأمن السورية"): the word is then its adjective.
_ARABIC_DEFINITE_BEFORE = re.compile(r"(?<!\w)(?:[وفب]?ال|لل)\w+\s+$")


def _accept_arabic(text: str, m: Match) -> str | None:
    """Arabic script has no capitals, so a match must be a well-known place or stand where places stand.

    "إن", "الحكومة" or "الجمعة" are alternate names of villages abroad, and are not kept
    unless a locative word precedes them ("في", "قرب", "مدينة") or they carry the
    preposition "ب" ("بطرابلس"); a country, division, big city or one of our sites is kept.
    """
    if m.text in arabic_stopwords():
        return None
    after = text[m.end : m.end + 1]
    if after.isalnum():
        return None  # the end of a longer word ("،", the Arabic comma, is not a letter)
    token_start = m.start
    while token_start > 0 and text[token_start - 1].isalpha():
        token_start -= 1
    clitic = text[token_start : m.start]
    if clitic and clitic not in ("و", "ب", "ل", "ف", "ك", "وب", "وال", "بال"):
        return None  # inside a longer word
    if not clitic and _ARABIC_NISBA.match(m.text) and any(e.is_country for e in m.entries) \
            and _ARABIC_DEFINITE_BEFORE.search(text, max(0, token_start - 30), token_start):
        return "demonym"  # "قوات الأمن السورية": "the Syrian security forces", an adjective after its noun
    if _is_major(m.entries) or clitic in _ARABIC_PROCLITIC_IN:
        return "name"
    if _ARABIC_LOCATIVE.search(text[max(0, token_start - 20) : token_start]):
        return "name"
    return None


@lru_cache(maxsize=1)
def arabic_stopwords() -> frozenset[str]:
    """Common Arabic words that are also alternate names of small places (``arabic_not_places.txt``)."""
    path = resources.files("trucewatch.resources").joinpath("places", "arabic_not_places.txt")
    return frozenset(w for line in path.read_text(encoding="utf-8").splitlines()
                     if (w := line.split("#", 1)[0].strip()))


_LIST_GAP = re.compile(r"^(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)$")


def _listed_with(text: str, m: Match, taken: list[tuple[int, int]]) -> bool:
    """Whether ``m`` sits in a list right next to a place already found ("X, Y and Z")."""
    at = bisect_left(taken, (m.start, 0))
    if at > 0 and 0 <= m.start - taken[at - 1][1] <= 8 and _LIST_GAP.match(text[taken[at - 1][1] : m.start]):
        return True
    return (at < len(taken) and 0 <= taken[at][0] - m.end <= 8
            and bool(_LIST_GAP.match(text[m.end : taken[at][0]])))


def _titled(text: str, start: int) -> bool:
    """Whether a title the actors tagger knows stands just before ``start`` ("Commander Abu Kamal")."""
    before = re.search(r"([^\W\d_]+)\.?\s+$", text[max(0, start - 24) : start])
    return before is not None and before.group(1).casefold() in TITLE_HEADS


def _ends_actor_name(text: str, m: Match) -> bool:
    """Whether a small place's name ends a longer name the actors knowledge base lists
    ("Volcano of Anger"); a country, division or sizeable town stays a place ("Government of
    Libya", "the UN mission in Hodeidah", "le parlement de Tobrouk")."""
    if _is_major(m.entries):
        return False
    head = text[max(0, m.start - 40) : m.start]
    words = list(re.finditer(r"\S+\s+", head))
    for found in words[-4:]:
        if is_party_name(head[found.start() :] + m.text):
            return True
    return False


def _rescuable(text: str, m: Match) -> bool:
    """A match that was dropped only for want of context, not because it is something else."""
    folded = m.text.casefold()
    return (
        ("name" in m.kinds or "alt" in m.kinds)
        and (_is_arabic_token(m.text) or m.text[:1].isupper())
        and not (m.text.isupper() and len(m.text) <= 5)
        and not _glued(text, m.start, m.end)
        and not _NAMED_THING.match(text[m.end : m.end + 20])
        and folded not in not_places() and folded not in calendar_words()
        and folded not in ARTICLES and folded not in SUN_ARTICLES
        and m.text not in arabic_stopwords()
    )


def _glued(text: str, start: int, end: int) -> bool:
    """Whether the span is part of a longer alphanumeric token ("H5N1", "F16s")."""
    before = text[start - 1 : start]
    after = text[end : end + 1]
    return before.isalnum() or (after.isalnum() and not text[end - 1 : end] == ".")


def _named_elsewhere(text: str, m: Match) -> bool:
    """Whether a capitalised word opening a sentence is a name by the rest of the text: it is
    written capitalised inside a sentence elsewhere ("Edmonton needs ... Although Edmonton";
    not "Part of the plan", "Add to that"), or, in capitals, it is a major place the text
    never writes in lower case ("DETROIT The agency said"). What the tagger told us; used
    where it does not run."""
    words = m.text.split()
    if not words or words[0].casefold() in function_words():
        return False  # "At the same time"
    lower = False
    for other in re.finditer(rf"(?<!\w){re.escape(m.text)}(?!\w)", text, re.IGNORECASE):
        if other.start() == m.start:
            continue
        if other.group()[:1].islower():
            lower = True
        elif not _sentence_start(text, other.start()):
            return True
    return m.text.isupper() and not lower and _is_major(m.entries)


def _sentence_start(text: str, at: int) -> bool:
    before = text[max(0, at - 3) : at].strip(" \"'“‘(")
    return not before or before[-1] in ".!?\n:"
