"""Toponym resolution: which gazetteer place each mention means, and how sure we are.

Candidates are ranked by what a careful reader would use: how big and how important
the place is (a country over a village of the same name; a city over the district
named after it), how the name matched (the place's own name over an alternate
spelling), the countries the document is about, the places it names nearby, the
administrative context it states ("Kashkash, southern Hasaka", "Paris, Texas") and
the kind of site it says it is ("the Jufra air base"). Resolution runs twice: the
first pass finds what the document is about, the second uses it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from trucewatch.places.gazetteer import Gazetteer
from trucewatch.places.model import Entry, Mention, Place
from trucewatch.places.names import name_key

EARTH_RADIUS_KM = 6371.0088
MAX_ALTERNATIVES = 5
#: How much being in the countries the document is about counts (times its share of the mentions).
FOCUS_WEIGHT = 3.0
_CLASS_PRIOR = {"PCLI": 3.0, "PCLD": 2.5, "PCLS": 2.5, "PCLF": 2.5, "PCLIX": 2.5, "PCL": 2.5, "ADM1": 1.0, "CONT": 3.0, "OCN": 3.0,
                "PPLC": 1.0}
_LARGE_AREAS = ("PCLI", "PCLD", "PCLS", "PCLF", "PCLIX", "PCL", "ADM1", "CONT", "RGN")
#: Kinds of place a qualifier word names: "Wedza district" is a division, "Idlib province" too.
_DIVISION_WORDS = ("district", "province", "governorate", "region", "state", "county", "municipality")


_DIRECTIONS = re.compile(r"^(?:north|south|east|west|central|upper|lower)(?:[\s-]?(?:north|south|east|west))?(?:ern)?$", re.I)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def geo_precision(entry: Entry, qualifier: str | None) -> int:
    """ACLED geo_precision: 1 a town or site, 2 near one or part of a region, 3 a larger region."""
    if entry.feature_code in _LARGE_AREAS or entry.feature_class == "L" and entry.feature_code != "PRT":
        return 3
    if entry.feature_class == "A":
        return 2
    return 2 if qualifier else 1


def prior(entry: Entry, exact_name: bool) -> float:
    """Context-free plausibility: size, kind of place, and whether the name is its own."""
    score = math.log10(entry.population + 10) * 0.6
    score += _CLASS_PRIOR.get(entry.feature_code, 0.0)
    if entry.source in ("supplement", "regions"):
        score += 1.5
    if exact_name:
        score += 0.8
    return score


def candidates(mention: Mention, gazetteer: Gazetteer) -> tuple[Entry, ...]:
    text = mention.text
    if text.endswith(("'s", "’s")):
        text = text[:-2]
    if text.lower().startswith("the "):
        text = text[4:]
    found = gazetteer.search(text)
    if not found:  # "Southern California", "northern Syria": the area named, with a qualifier
        head, _, rest = text.partition(" ")
        if rest and _DIRECTIONS.match(head):
            found = gazetteer.search(rest)
    return found


def _own_name(entry: Entry, text: str) -> bool:
    return name_key(entry.name) == name_key(text)


def _city_over_division(city: Entry, division: Entry, text: str) -> bool:
    """Whether a name shared by a division and a city means the city.

    The country's capital always wins ("Washington"). Otherwise the city wins when it is
    big and either the name is the city's own but not the division's ("Tripoli" for
    Ţarābulus district) or the city holds a third or more of the division's people
    ("New York"); "Quebec" stays the province, whose own name it is and which the
    city does not dominate.
    """
    if city.feature_code == "PPLC" and city.country == division.country:
        return True
    if city.feature_class != "P" or city.country != division.country or city.admin1 != division.admin1:
        return False
    if city.population < 50_000:
        return False
    if _own_name(city, text) and not _own_name(division, text):
        return True
    if division.feature_code == "ADM2":  # a district named after its town: the town ("Geneva")
        return True
    return city.population * 3 >= division.population


NEAR_KM = 300.0
#: Two ambiguous names support each other's readings when these lie this close.
MUTUAL_KM = 50.0
#: How many readings of each name are weighed against the others.
MAX_READINGS = 5
#: "Kfraya in Idlib province", "Kabanjahe, in northern Sumatra": the next name contains this one.
#: How far a city's own places reach ("London's Heathrow" lies 22 km from its centre).
CITY_REACH_KM = 60.0
_POSSESSIVE_GAP = re.compile(r"^['’]s\s+$")
_CONTAINER_GAP = re.compile(r"^,?\s+(?:in|of)\s+(?:the\s+)?(?:(?:north|south|east|west|central)(?:ern)?\s+)?$", re.I)


class _AnchorGrid:
    """The places a document names clearly, bucketed in 3-degree cells so that finding the
    nearest one to a candidate looks at a few cells, not at every place (long documents
    name thousands)."""

    CELL = 3.0

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[tuple[str, Entry]]] = {}
        self.seen: set[int] = set()

    def add(self, key: str, entry: Entry) -> None:
        if entry.geonameid in self.seen:
            return
        self.seen.add(entry.geonameid)
        cell = (int(entry.lat // self.CELL), int(entry.lon // self.CELL))
        self.cells.setdefault(cell, []).append((key, entry))

    def nearest(self, entry: Entry, exclude_key: str) -> float | None:
        row, col = int(entry.lat // self.CELL), int(entry.lon // self.CELL)
        reach = 1 if abs(entry.lat) < 50 else 3  # cells narrow towards the poles
        best: float | None = None
        for dr in (-1, 0, 1):
            for dc in range(-reach, reach + 1):
                for key, other in self.cells.get((row + dr, (col + dc + 60) % 120 - 60), ()):
                    if key == exclude_key or other.geonameid == entry.geonameid:
                        continue
                    d = distance_km(entry.lat, entry.lon, other.lat, other.lon)
                    if best is None or d < best:
                        best = d
        return best


class Resolver:
    """Resolves the mentions of one document against one gazetteer."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def resolve(self, text: str, mentions: Sequence[Mention], country_hint: str | None = None) -> list[Place]:
        options = [candidates(m, self.gazetteer) for m in mentions]
        first = [self._rank(m, opts, Counter(), None) for m, opts in zip(mentions, options)]
        # What the document is about, from the mentions that say it plainly: countries,
        # names only one country has, and clear winners. An ambiguous name does not vote
        # for its own first guess ("Edmonton" three times must not make it Canada's).
        focus: Counter[str] = Counter()
        anchors = _AnchorGrid()  # one per place, however often it is named
        for (ranked, margin), m, opts in zip(first, mentions, options):
            if not ranked:
                continue
            best = ranked[0][1]
            one_country = len({e.country for e in opts}) == 1
            if best.country:
                if best.is_country or best.is_admin1:
                    focus[best.country] += 2.0
                elif one_country:
                    focus[best.country] += 1.0
                elif margin >= 3.0:
                    focus[best.country] += 0.5
            if best.feature_code not in _LARGE_AREAS and (one_country or margin >= 2.0):
                anchors.add(name_key(m.text), best)
        if country_hint:
            focus[country_hint] += 5
        # Names that are each ambiguous can still settle each other: "Edmonton" and "Enfield"
        # both have a north-London reading, 5 km apart, and no other pair of readings is close.
        readings = _AnchorGrid()
        for (ranked, _), m in zip(first, mentions):
            for _, e in ranked[:MAX_READINGS]:
                if e.feature_code not in _LARGE_AREAS:
                    readings.add(name_key(m.text), e)
        results: list[tuple[list[tuple[float, Entry]], float, bool]] = []
        settled: dict[str, tuple[list[tuple[float, Entry]], float]] = {}
        for index, (m, opts) in enumerate(zip(mentions, options)):
            following = self._admin_context(text, mentions, options, index)
            if index and first[index - 1][0] and _POSSESSIVE_GAP.match(text[mentions[index - 1].end : m.start]):
                # "London's Heathrow", "Libya's Sirte": the place named first holds this one
                following = (*following, first[index - 1][0][0][1])
            ranked, margin = self._rank(m, opts, focus, anchors, following, readings)
            results.append((ranked, margin, bool(following)))
            if following and ranked:
                settled.setdefault(name_key(m.text), (ranked, margin))
        places: list[Place] = []
        for m, (ranked, margin, contained) in zip(mentions, results):
            # one sense per document: "LONDON, Ky. ... London police" is the same London throughout
            key = name_key(m.text)
            if key in settled and m.kind == "name" and not contained:
                ranked, margin = settled[key]
            places.append(self._place(m, ranked, margin))
        return places

    def _admin_context(self, text: str, mentions: Sequence[Mention], options: list[tuple[Entry, ...]],
                       index: int) -> tuple[Entry, ...]:
        """Places named right after this one as its container: "Paris, Texas", "Kashkash, southern
        Hasaka", "Kfraya in Idlib province" (only divisions, countries and continents count)."""
        if index + 1 >= len(mentions):
            return ()
        here, after = mentions[index], mentions[index + 1]
        gap = text[here.end : after.start]
        if len(gap) > 24 or not (_CONTAINER_GAP.match(gap) or (gap.startswith(",") and not any(c in gap for c in ".;\n"))):
            return ()
        return tuple(e for e in options[index + 1] if e.feature_class == "A" or e.feature_code == "CONT")

    def _rank(self, m: Mention, opts: tuple[Entry, ...], focus: Counter[str], anchors: _AnchorGrid | None,
              containers: tuple[Entry, ...] = (), readings: _AnchorGrid | None = None,
              ) -> tuple[list[tuple[float, Entry]], float]:
        if not opts:
            return [], 0.0
        total_focus = sum(focus.values()) or 1.0
        key = name_key(m.text)
        scored: list[tuple[float, Entry]] = []
        for e in opts:
            if m.kind == "demonym" and not e.is_country:
                continue
            score = prior(e, _own_name(e, m.text))
            if focus and e.country:
                score += FOCUS_WEIGHT * focus.get(e.country, 0) / total_focus
            if anchors is not None and e.feature_code not in _LARGE_AREAS:
                near = anchors.nearest(e, key)  # places named elsewhere in the document, not this name
                if near is not None and near < NEAR_KM:
                    score += 2.5 * (1.0 - near / NEAR_KM)
            if readings is not None and e.feature_code not in _LARGE_AREAS:
                close = readings.nearest(e, key)
                if close is not None and close < MUTUAL_KM:
                    score += 1.5 * (1.0 - close / MUTUAL_KM)
            if containers:
                if any((c.country == e.country and (c.is_country or c.admin1 == e.admin1))
                       or (c.feature_class == "P" and distance_km(c.lat, c.lon, e.lat, e.lon) <= CITY_REACH_KM)
                       for c in containers):
                    score += 4.0
            if m.feature_hint == "P":  # "the city of Turkey", "the town of Hinton"
                if e.feature_class == "P":
                    score += 3.0
            elif m.feature_hint and e.feature_code == m.feature_hint:
                score += 3.0
            if m.qualifier in _DIVISION_WORDS:
                if e.feature_class == "A":
                    score += 2.0
            elif e.feature_code in ("ADM1", "ADM2") and any(_city_over_division(o, e, m.text) for o in opts):
                score -= 2.0  # "Tripoli", "New York", "Washington": the city, not the division of that name
            scored.append((score, e))
        scored.sort(key=lambda pair: (-pair[0], -pair[1].population, pair[1].geonameid))
        margin = scored[0][0] - scored[1][0] if len(scored) > 1 else 5.0
        return scored, margin

    def _place(self, m: Mention, ranked: list[tuple[float, Entry]], margin: float) -> Place:
        if not ranked:
            return Place(m.start, m.end, m.text, None, None, None, None, None, None, None, 0.0, None,
                         kind=m.kind, role=m.role, qualifier=m.qualifier, qualifier_span=m.qualifier_span)
        best = ranked[0][1]
        confidence = round(1.0 / (1.0 + math.exp(-1.5 * margin)) if len(ranked) > 1 else 0.95, 3)
        admin1 = self.gazetteer.admin1_name(best.country, best.admin1) if best.admin1 and best.country else None
        alternatives = [
            {"geonameid": e.geonameid, "name": e.name, "country": e.country, "feature_code": e.feature_code,
             "lat": e.lat, "lon": e.lon, "score": round(s, 3)}
            for s, e in ranked[1 : 1 + MAX_ALTERNATIVES]
        ]
        return Place(m.start, m.end, m.text, best.name, best.geonameid, best.feature_code, best.country or None,
                     admin1, best.lat, best.lon, confidence, geo_precision(best, m.qualifier), kind=m.kind,
                     role=m.role, qualifier=m.qualifier, qualifier_span=m.qualifier_span,
                     alternatives=alternatives)
