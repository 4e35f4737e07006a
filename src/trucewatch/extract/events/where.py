"""Where an event happened: the place of its own clause, else of its sentence, paragraph,
dateline, else the document's focus.

A news sentence names many places that are not where the event was: the capital that
speaks ("Moscow said"), the country of an actor ("Libya's army"), a town inside an
organisation's name, the venue of an earlier meeting in another sentence. So the event
takes, in order:

1. the place its own clause puts it in ("killed in an attack on a market in Sirte"),
   a place after a locative word ("in", "near", "à", "في", "в") before a bare name, and a
   town before a country named as a party;
2. else a place of its sentence or paragraph;
3. else the dateline ("GENEVA, Oct 23 (Reuters) -");
4. else the document's focus, at the precision it has (its city when nearly every place
   it names is there, else its country).

A sentence that names only the parties to an agreement ("Thailand and Cambodia agreed to a
truce") does not say where it was reached; the venue the document gives for the talks ("after
talks in Putrajaya") does, when it gives exactly one.

A border the sentence names ("quiet on the border with Azerbaijan", "leur frontière") is
where, when no town of the sentence says more: the point we list for the two states' border
(``resources/places/borders.tsv``), with no country, not either state's centre hundreds of
km away.

A place that is one of a list of three or more spread wide ("in Upper Nile, Western Equatoria
and Western Bahr el Ghazal") is not where: the event covers them all, so it takes the smallest
place the document names that holds them, their country. Two names ("retook Watiya and
Tarhuna") keep the first, the most specific place the text gives.

A reading far from the document's other places (a town in a country the document never
names, like a Californian "La" in a French story) needs strong evidence: it is used only
when it is a capital or a big city, or when its country is named elsewhere in the text.
Each choice keeps the mention it rests on, so the evidence span is always real text.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from trucewatch.extract.places.model import Place

#: A locative word right before a place name, in the languages we read.
_LOCATIVE = re.compile(
    r"(?:\b(?:in|at|near|outside|around|across|inside|on|into|towards?|(?:city|town|village|district|province"
    r"|region|outskirts|suburbs?|countryside|area)\s+of|north|south|east|west|(?:north|south)-?(?:east|west)"
    r"|à|au|aux|en|dans|près de|vers|en|cerca de|nei pressi di|nel|nella|em|no|na|в|во|под|у|около"
    # "frappes sur le sud du Liban", "sobre el norte de Gaza", "на юге Израиля"
    r"|sur|sud|nord|ouest|sobre|norte|oeste|sul|sulla|на|юге|севере|востоке|западе"
    r")\s+(?:the\s+|la\s+|le\s+|l['’]|el\s+|de\s+|du\s+|del\s+|della\s+|of\s+)?(?:\w+\s+){0,2}?"
    r"|(?:^|\s)و?(?:في|قرب|بالقرب من|مدينة|بلدة|قرية|منطقة|محافظة|شرق|غرب|شمال|جنوب|ضواحي|داخل|على)\s+(?:\S+\s+)?"
    # Spanish and Italian "a" ("llegó a Gaza", "a Roma") only right before the name: English "A
    # ceasefire between Israel" is no locative
    r"|(?<![\w'’])(?-i:a)\s+)$",
    re.I)
#: Arabic proclitic "ب" (in, at) glued to the name: "بطرابلس".
_ARABIC_IN = re.compile(r"(?:^|\s)و?ب$")
#: Punctuation that closes a clause.
_CLAUSE_END = re.compile(r"[;:!?—–]|,\s*(?:\w+\s+){0,3}?(?:said|says|told|according|added|قال|وقال|selon|según|secondo)")
#: Dateline: a place at a paragraph's start, then (optionally) a date or agency, then a dash or colon.
_DATELINE_TAIL = re.compile(r"[\w\s,.()'’]{0,40}?\s*(?:—|–|--|-|:)\s", re.U)
_CAPITAL_CODES = ("PPLC", "PPLA", "PPLG")
#: What joins the members of a list of places: a comma, "and"/"or" in our languages, Arabic "و".
_LIST_JOIN = re.compile(r"\s*(?:[,،]\s*(?:(?:and|or|et|ou|y|e|o|и|или)\s+)?|(?:and|or|et|ou|y|e|o|и|или)\s+|و)"
                        r"(?:the\s+|la\s+|le\s+|l['’])?", re.I)
_CONJUNCTION = re.compile(r"(?:\b(?:and|or|et|ou|y|e|o|и|или)\b|و)", re.I)
#: A border named in the event's sentence, in the languages we read.
_BORDER = re.compile(r"\b(?:borders?|frontiers?|frontières?|fronteras?|frontiera|confini|границ\w*)\b"
                     r"|الحدود|حدود", re.I)
#: Words of agreeing in the event's sentence: the places it names may be only the parties.
_AGREEING = re.compile(
    r"\b(?:agree[ds]?|agreement|deal|accord|s['’]accord\w*|d['’]accord|armistice|signed|sign|convenu|signé|acuerdo|acordaron|firmaron"
    r"|accordo|concordato|firmato|соглашени\w*|договорил\w*|подписал\w*)\b|اتفا?ق|اتفقا|اتفقت|وقّع|وقعا|توقيع",
    re.I)
#: A place after a meeting's word and "on" is its subject, not where it met: "the Second Berlin
#: Conference on Libya", "talks about Gaza", "مؤتمر برلين بشأن ليبيا".
_ABOUT = re.compile(
    r"(?:\b(?:talks|conference|meeting|summit|negotiations?|dialogue|forum|process|conférence|pourparlers"
    r"|réunion|sommet|négociations?|negociaciones|conferencia|cumbre|diálogo|conferenza|vertice|colloqui"
    r"|conferência|cúpula|конференци\w*|переговор\w*|встреч\w*|саммит\w*)\W+(?:\w+\W+){0,2}?"
    r"(?:on|about|over|concerning|sur|sobre|su|sulla|sul|по|о|об)\s+(?:the\s+|la\s+|le\s+|l['’]|el\s+)?"
    r"|(?:بشأن|حول|بخصوص)\s+)$",
    re.I)
#: Words of a breach: "X accused Y of violating the deal" is not the deal, and not at its venue.
_BREACH = re.compile(r"violat|breach|accus|viol|attaqu|bombard|shell|strike|fighting|clash|خرق|انتهاك|اتهم|наруш|обвин",
                     re.I)
#: Words of a meeting: a place after a locative word near them is the venue of talks.
_MEETING = re.compile(
    r"\b(?:talks|meeting|met|meet|summit|negotiations?|mediation|signing|conference|pourparlers|négociations?"
    r"|réunion|sommet|rencontre|negociaciones|reunión|cumbre|colloqui|vertice|переговор\w*|встреч\w*|саммит\w*)\b"
    r"|محادثات|مفاوضات|اجتماع|قمة|لقاء|مؤتمر",
    re.I)
#: A list this long covers an area; a pair ("took A and B") keeps its first member.
_LIST_MEMBERS = 3
#: Members of a list further apart than this cover an area, not one place (km).
_LIST_SPREAD_KM = 100.0
#: Ranks of the evidence: a place of the event's own sentence scores its distance (under FROM_SENTENCE).
FROM_SENTENCE, FROM_PARAGRAPH, FROM_DATELINE, FROM_FOCUS = 10_000, 100_000, 200_000, 300_000


@lru_cache(maxsize=1)
def borders() -> dict[frozenset[str], tuple[str, float, float]]:
    """The point we list for the border of two states, by the pair of their ISO codes."""
    path = resources.files("trucewatch.resources").joinpath("places", "borders.tsv")
    table: dict[frozenset[str], tuple[str, float, float]] = {}
    for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")), delimiter="\t"):
        table[frozenset((row["country_a"], row["country_b"]))] = (row["name"], float(row["latitude"]),
                                                                  float(row["longitude"]))
    return table


@dataclass
class PlaceChoice:
    """The place chosen, the mention that says it, and a rank (lower is better evidence)."""

    place: Any
    rank: int
    source: str


def usable(p: Any, actors: Sequence[Any] = ()) -> bool:
    """A resolved place standing for a location (not an actor, a qualifier or a people)."""
    if getattr(p, "role", "location") != "location" or getattr(p, "kind", "name") == "demonym":
        return False
    if getattr(p, "lat", None) is None:
        return False
    # "the Tripoli Protection Force": inside an organisation's name it is no place
    return not any(a.start <= p.start and p.end <= a.end and (a.start, a.end) != (p.start, p.end)
                   and getattr(a, "kind", None) == "kb" for a in actors)


def _agent(p: Any, actors: Sequence[Any]) -> bool:
    """Whether the knowledge base reads the name itself as an actor ("Turkey invited...")."""
    return any((a.start, a.end) == (p.start, p.end) and getattr(a, "kind", None) == "kb" for a in actors)


def _group_name(p: Any, actors: Sequence[Any]) -> bool:
    """Whether the knowledge base reads the place's very words as a group that is not a state
    ("Hamás", "Hezbollah"), while the place is no country."""
    return not _is_country(p) and any(
        (a.start, a.end) == (p.start, p.end) and getattr(a, "kind", None) == "kb" and getattr(a, "inter", None) not in (1, 8)
        for a in actors)


#: What stands between a town and the region it is in: a comma and a locative, an article and
#: a word of direction or kind ("Dilling, in South", "Masisi, dans le", "Nyala, nel Sud").
_APPOSED_REGION = re.compile(
    r"\s*[,(]\s*(?:(?:in|nel|nella|dans|en|no|na|в|во|في)\s+)?(?:(?:the|le|la|l['’]|el|il|lo)\s*)?"
    r"(?:(?:north|south|east|west|northern|southern|eastern|western|central|upper|lower|sud|nord|est|ouest|sur|norte"
    r"|oeste|province\s+(?:of|du|de)|état\s+du|state\s+of|région\s+(?:du|de)|region\s+of)\s+)?", re.I)


def _is_country(p: Any) -> bool:
    return str(getattr(p, "feature_code", "") or "").startswith("PCL")


def _wider_than_a_country(p: Any) -> bool:
    """A region of several states ("Southeast Asia", "the Middle East"): no country of its own."""
    return getattr(p, "country", None) is None and (getattr(p, "geo_precision", 1) or 1) >= 3


def _km(a: Any, b: Any) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _own_name(p: Any) -> bool:
    """Whether the text names the place by its own name, not by an alternate one."""
    from trucewatch.text.script import name_key

    # "Gaza" for the Gaza Strip: the name's own first words are its own name too
    name, said = name_key(str(getattr(p, "name", "") or "")), name_key(p.text)
    return bool(said) and (name == said or name.startswith(said + " "))


#: Where a locative word stops reaching: a line break or the end of a sentence ("meets in
#: Sirte\n\nLibya's commission" does not put Libya after "in").
_CUE_STOP = re.compile(r"[\n.!?;:؟]")


#: A place an ordered, threatened or announced act is aimed at ("ordered new strikes on the
#: Iranian capital Tehran", "will continue operations targeting ... in Tehran"): that act's
#: place, not the place of what the sentence reports.
_AIMED = re.compile(
    r"(?:\b(?:order(?:ed|s)?|will|would|vow(?:ed|s)?|threaten(?:ed|s)?|plan(?:ned|s)?|intends?|ordonn\w*|menac\w*"
    r"|va|vont|ordenó|amenaz\w*|prometió|приказал\w*|пригрозил\w*|будет|будут|намерен\w*)\b"
    r"|(?<!\w)(?:أوامر|أمر|أمرت|سوف|ستواصل|سيواصل|ستشن|سيشن|هدد|هددت|توعد|توعدت)(?=\s))"
    r"\W+(?:\S+\W+){0,4}?"
    r"(?:\b(?:strikes?|attacks?|raids?|operations|targeting|bomb\w*|shell\w*|frappes?|attaques?|bombard\w*"
    r"|ataques?|ofensiva|удар\w*|атак\w*|операци\w*)\b"
    r"|(?<!\w)[وب]?(?:بشن\s+)?(?:ضربات|ضربة|هجمات|هجوم|غارات|عمليات|تستهدف|استهداف|قصف)(?=\s))"
    r"\W+(?:\S+\W+){0,7}$",
    re.I)


def _aim_start(text: str, p: Any) -> int | None:
    """Where the words of an act ordered, threatened or announced against ``p`` begin in its
    clause ("ordered new strikes on Tehran"), or None when ``p`` is no such target."""
    start = max(text.rfind(c, 0, p.start) for c in ".!?\n؟") + 1
    window = max(start, p.start - 120)
    m = _AIMED.search(text[window : p.start])
    return None if m is None else window + m.start()


#: A verb of telling just before a name: the name is told, not where ("informó con
#: anticipación a Washington", "briefed Moscow", "a prévenu Paris").
_ADDRESSED = re.compile(
    r"(?<!\w)(?:told|informed|notified|warned|assured|briefed|wrote\s+to|inform(?:ó|aron)|notific(?:ó|aron)"
    r"|advirti(?:ó|eron)|avis(?:ó|aron)|(?:a|ont)\s+(?:informé|prévenu|averti|avisé|notifié)|ha\s+(?:informato|avvertito)"
    r"|сообщил\w*|уведомил\w*|предупредил\w*|أبلغ\w*|أخطر\w*)"
    r"(?:\s+(?!(?:in|at|near|en|dans|from|de|في|в)\b)[^\s,.;:]+){0,2}?\s+(?:a|à|al|au|to)?\s*$", re.I)


def _addressed(text: str, p: Any) -> bool:
    """Whether ``p`` (a country or a capital) is whom a verb of telling addresses."""
    if not (_is_country(p) or getattr(p, "feature_code", None) in _CAPITAL_CODES):
        return False
    return bool(_ADDRESSED.search(text, max(0, p.start - 50), p.start))


def _about(text: str, p: Any) -> bool:
    """Whether ``p`` is the subject of a meeting named just before it ("a conference on Libya")."""
    return bool(_ABOUT.search(text[max(0, p.start - 60) : p.start]))


def _cued(text: str, p: Any) -> bool:
    before = text[max(0, p.start - 40) : p.start]
    stops = list(_CUE_STOP.finditer(before))
    if stops:
        before = before[stops[-1].end() :]
    return bool(_LOCATIVE.search(before) or _ARABIC_IN.search(before)
                or (p.start and text[p.start - 1] == "ب" and (p.start < 2 or not text[p.start - 2].isalpha())))


class Placer:
    """Chooses event places for one document."""

    def __init__(self, text: str, places: Sequence[Any], actors: Sequence[Any] = ()) -> None:
        self.text = text
        kept = [p for p in places if usable(p, actors)]
        # "acusó a Hamás": an armed group's name read as a town (Hamm, Germany) of a country the
        # document never names otherwise is the group, not a place
        countries = Counter(getattr(p, "country", None) for p in kept)
        self.places = sorted((p for p in kept if not (_group_name(p, actors) and countries[getattr(p, "country", None)]
                                                      <= sum(1 for q in kept if q.text == p.text))),
                             key=lambda p: p.start)
        self.actors = actors
        # every name with a country, demonyms and parties too: "the Thai-Cambodian border"
        self.named = sorted((p for p in places if getattr(p, "country", None)), key=lambda p: p.start)
        self.countries = Counter(getattr(p, "country", None) for p in places if getattr(p, "country", None))
        # the countries the document clearly names: countries themselves and sure readings
        self.anchors = Counter(getattr(p, "country", None) for p in self.places if getattr(p, "country", None)
                               and (_is_country(p) or (getattr(p, "confidence", 0.0) or 0.0) >= 0.8))
        # how often each (country, surface) is named clearly: a place's own mentions are not support
        self.own = Counter((getattr(p, "country", None), p.text) for p in self.places
                           if _is_country(p) or (getattr(p, "confidence", 0.0) or 0.0) >= 0.8)
        self.dateline = self._dateline()
        self.focus = self._focus()
        self.venue = self._venue()
        # read once per document, not once per event: targets of ordered acts, subjects of meetings
        self.aims = {(p.start, p.end): _aim_start(text, p) for p in self.places}
        self.subjects = {(p.start, p.end) for p in self.places if _about(text, p)}
        self.told = {(p.start, p.end) for p in self.places if _addressed(text, p)}

    # ------------------------------------------------------------------ the document
    def _dateline(self) -> Any:
        """The place of a dateline ("TRIPOLI, Libya (AP) —") at the start of one of the first paragraphs."""
        for para in list(re.finditer(r"[^\n]+", self.text))[:6]:
            for p in self.places:
                if para.start() <= p.start <= para.start() + 3 and p.end <= para.end():
                    if _DATELINE_TAIL.match(self.text, p.end):
                        return p
        return None

    def _focus(self) -> Any:
        """The document's place at the precision it has: the city that holds nearly all of its
        places, else the country they point to most."""
        if not self.places:
            return None
        # (a town read in a country the document never names is no focus: "Nasir" read as a Turkish village)
        towns = [p for p in self.places if not _is_country(p) and (getattr(p, "geo_precision", 1) or 1) <= 2
                 and self._plausible(p)]
        if towns:
            counts = Counter(getattr(p, "name", None) for p in towns)
            name, n = counts.most_common(1)[0]
            if n >= 2 and n * 3 >= len(towns) * 2:
                return next(p for p in towns if getattr(p, "name", None) == name)
        # a country named only as a party ("Estados Unidos declararon", "informed Washington")
        # is not where the document is, when other places are
        where = Counter(getattr(p, "country", None) for p in self.places if getattr(p, "country", None)
                        and not _agent(p, self.actors) and not _addressed(self.text, p) and self._plausible(p))
        if where or self.countries:
            top = (where or self.countries).most_common(1)[0][0]
            country = [p for p in self.places if _is_country(p) and getattr(p, "country", None) == top]
            if country:
                return country[0]
        return None

    def _venue(self) -> Any:
        """The one place (below a country) the document gives for talks: after a locative word,
        in a sentence with a word of meeting ("shook hands after talks ... in Putrajaya")."""
        found: dict[Any, Any] = {}
        for p in self.places:
            if _is_country(p) or not _cued(self.text, p):
                continue
            start = max(self.text.rfind(c, 0, p.start) for c in ".!?\n؟") + 1
            ends = [e for e in (self.text.find(c, p.end) for c in ".!?\n؟") if e >= 0]
            if _MEETING.search(self.text, start, min(ends, default=len(self.text))) and self._plausible(p):
                found.setdefault(getattr(p, "name", None), p)
        return next(iter(found.values())) if len(found) == 1 else None

    def _border(self, s_start: int, s_end: int) -> Place | None:
        """The border the sentence names, as the point we list for its two states: those the
        sentence names, else with the country the document names most ("the border with X"),
        else the document's two main countries ("their border")."""
        found = _BORDER.search(self.text, s_start, s_end)
        own = list(dict.fromkeys(p.country for p in self.named if s_start <= p.start and p.end <= s_end))
        if found is None:
            # "Armenia said a ceasefire with Azerbaijan holds": two neighbours named as the parties of
            # a report that speaks of their border elsewhere are at that border
            found = _BORDER.search(self.text) if len(own) == 2 else None
            if found is None or frozenset(own) not in borders():
                return None
        pool = own + [code for code, _ in self.anchors.most_common(3) if code not in own]
        table = borders()
        for i, a in enumerate(pool):
            for b in pool[i + 1:]:
                if frozenset((a, b)) in table and (not own or a in own or b in own):
                    name, lat, lon = table[frozenset((a, b))]
                    return Place(found.start(), found.end(), found.group(0), name, None, None, None, None,
                                 lat, lon, 0.8, 2)
        return None

    def _clause_end(self, trigger_end: int, s_end: int) -> int:
        """Where the trigger's clause ends: "X and Y agree on a truce from midnight, ending five days
        of fighting at their border": the fighting is told in another clause."""
        stop = re.compile(r"[,;:]").search(self.text, trigger_end, s_end)
        return stop.start() if stop else s_end

    def _plausible(self, p: Any) -> bool:
        """A reading far from the rest of the document needs strong evidence: a country, a
        capital, a country the document names clearly elsewhere, no other country named, or a
        locative word before a sure reading under the place's own name ("talks in Geneva" in a
        story about Libya; not "in Nasir" read as a Turkish village that has it as an alias)."""
        if _is_country(p) or getattr(p, "feature_code", None) in _CAPITAL_CODES:
            return True
        code = getattr(p, "country", None)
        if code is None:
            return True  # a border, a sea, a region of two states
        if self.anchors.get(code, 0) - self.own.get((code, p.text), 0) > 0:
            return True
        foreign = [c for c in self.anchors if c != code]
        return not foreign or (_cued(self.text, p) and (getattr(p, "confidence", 0.0) or 0.0) >= 0.8
                               and _own_name(p))

    def _listed_with(self, p: Any) -> list[Any]:
        """The places listed together with ``p`` ("A, B and C"), ``p`` included, in text order;
        only ``p`` when no conjunction joins them ("Paris, Texas" is a town and its state)."""
        at = self.places.index(p)
        members = [p]
        for step in (-1, 1):
            i = at
            while 0 <= i + step < len(self.places):
                a, b = (self.places[i + step], self.places[i]) if step < 0 else (self.places[i], self.places[i + step])
                if not _LIST_JOIN.fullmatch(self.text, a.end, b.start):
                    break
                i += step
                members.append(self.places[i])
        members.sort(key=lambda m: m.start)
        joined = any(_CONJUNCTION.search(self.text, a.end, b.start) for a, b in zip(members, members[1:]))
        return members if joined else [p]

    def _town_of(self, region: Any, inside: Sequence[Any]) -> Any | None:
        """The town named just before ``region`` as in it ("Dilling, in South Kordofan",
        "Masisi-centre, dans le Nord-Kivu", "Nyala, nel Sud Darfur"), when ``region`` is a
        division or a region of its country; else None."""
        code = str(getattr(region, "feature_code", "") or "")
        if _is_country(region) or code.startswith("PPL") or getattr(region, "country", None) is None:
            return None
        for p in inside:
            if (str(getattr(p, "feature_code", "") or "").startswith("PPL") and p.end <= region.start
                    and getattr(p, "country", None) == region.country
                    and _APPOSED_REGION.fullmatch(self.text, p.end, region.start)):
                return p
        return None

    def _cover(self, p: Any) -> Any:
        """``p``, or the country the document names when ``p`` is one of a list of three or more
        places of that country spread further apart than one place ("in Upper Nile, Western
        Equatoria and ...")."""
        if _is_country(p):
            return p
        members = self._listed_with(p)
        code = getattr(p, "country", None)
        if (len(members) < _LIST_MEMBERS or code is None or any(getattr(m, "country", None) != code or _is_country(m)
                                                     for m in members)
                or len({getattr(m, "name", None) for m in members}) < 2
                or max(_km(a, b) for a in members for b in members) <= _LIST_SPREAD_KM):
            return p
        named = [c for c in self.places if _is_country(c) and getattr(c, "country", None) == code]
        return named[0] if named else p

    def _aimed_elsewhere(self, p: Any, trigger_start: int) -> bool:
        """Whether ``p`` is the target of an ordered or threatened act that is not the event's
        own trigger ("ordered strikes on Tehran": Tehran is the strikes' place, not the breach's)."""
        aim = self.aims.get((p.start, p.end))
        return aim is not None and not (aim <= trigger_start < p.start or p.start <= trigger_start < p.end)

    # ------------------------------------------------------------------ one event
    def choose(self, trigger_start: int, trigger_end: int, s_start: int, s_end: int,
               happened: bool = True, pact: bool = False) -> PlaceChoice | None:
        """The place of the event whose trigger is ``text[trigger_start:trigger_end]`` in the
        sentence ``text[s_start:s_end]``; ``happened`` is False for a planned or hypothetical
        event, which may take the place an ordered or threatened act is aimed at."""
        # a name the actors tagger reads as a party ("an invitation from Turkey") is where only
        # after a locative word ("strikes on the south of Lebanon")
        inside = [p for p in self.places if s_start <= p.start and p.end <= s_end and self._plausible(p)
                  and (not _agent(p, self.actors) or _cued(self.text, p)) and (p.start, p.end) not in self.told
                  and not (happened and self._aimed_elsewhere(p, trigger_start))]
        best: tuple[int, Any] | None = None
        for p in inside:
            if p.start >= trigger_end:
                gap, between = p.start - trigger_end, self.text[trigger_end : p.start]
            else:
                gap, between = 3 * (trigger_start - p.end), self.text[p.end : trigger_start]
            score = gap // 3 if _cued(self.text, p) else gap
            if _CLAUSE_END.search(between):
                score += FROM_SENTENCE // 2  # another clause of the sentence
            if _is_country(p) and not _cued(self.text, p):
                score += FROM_SENTENCE // 4  # "Thailand and Cambodia agreed": the parties, not where
            if best is None or score < best[0]:
                best = (score, p)
        named = [p for p in self.places if s_start <= p.start and p.end <= s_end]
        about = [p for p in named if (p.start, p.end) in self.subjects]
        if (self.venue is not None and named
                and all(_is_country(p) and (p in about or not _cued(self.text, p)) for p in named)
                and (about or _AGREEING.search(self.text, s_start, s_end))
                and not _BREACH.search(self.text, s_start, self._clause_end(trigger_end, s_end) if pact else s_end)
                and (pact or not _BORDER.search(self.text, s_start, s_end))):
            # (a truce applies where the sentence says it does, at a border it names, not where it was agreed)
            # the parties agreed, or met about a country: where they met
            return PlaceChoice(self.venue, best[0] if best else FROM_SENTENCE // 4, "venue")
        if best is None or _is_country(best[1]) or _wider_than_a_country(best[1]):
            border = self._border(s_start, s_end)
            if border is not None:  # "quiet on the border with X": the border, not X's centre
                return PlaceChoice(border, best[0] if best else FROM_SENTENCE // 4, "border")
        if best is not None:
            town = self._town_of(best[1], inside)
            if town is not None:  # "the market of Dilling, in South Kordofan": the town, not its region
                return PlaceChoice(town, best[0], "sentence")
            return PlaceChoice(self._cover(best[1]), best[0], "sentence")
        para_start = self.text.rfind("\n", 0, s_start) + 1
        para_end = self.text.find("\n", s_end)
        para_end = len(self.text) if para_end < 0 else para_end
        around = [p for p in self.places if para_start <= p.start and p.end <= para_end and self._plausible(p)
                  and (not _agent(p, self.actors) or _cued(self.text, p)) and (p.start, p.end) not in self.told
                  and not (happened and self.aims.get((p.start, p.end)) is not None)]
        if around:
            earlier = [p for p in around if p.end <= s_start]
            p = earlier[-1] if earlier else around[0]
            return PlaceChoice(p, FROM_PARAGRAPH + abs(p.start - s_start), "paragraph")
        if self.dateline is not None:
            return PlaceChoice(self.dateline, FROM_DATELINE, "dateline")
        if self.focus is not None:
            return PlaceChoice(self.focus, FROM_FOCUS, "focus")
        return None
