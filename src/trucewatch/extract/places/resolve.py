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

from trucewatch.extract.places.gazetteer import Gazetteer
from trucewatch.extract.places.model import Entry, Mention, Place
from trucewatch.extract.places.recognise import russian_nominative
from trucewatch.text.script import name_key

EARTH_RADIUS_KM = 6371.0088
MAX_ALTERNATIVES = 5
#: How much being in the countries the document is about counts (times its share of the mentions).
FOCUS_WEIGHT = 3.0
_CLASS_PRIOR = {"PCLI": 3.0, "PCLD": 2.5, "PCLS": 2.5, "PCLF": 2.5, "PCLIX": 2.5, "PCL": 2.5, "ADM1": 1.0, "CONT": 3.0, "OCN": 3.0,
                "PPLC": 1.0, "TERR": 2.5, "ADM1H": 0.5, "RGN": 1.5, "ISL": 1.0, "SEA": 2.0, "GULF": 1.5}
_LARGE_AREAS = ("PCLI", "PCLD", "PCLS", "PCLF", "PCLIX", "PCL", "ADM1", "ADM1H", "TERR", "CONT", "RGN")
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
    if entry.feature_class in ("H", "T") and entry.source != "supplement":
        # seas, rivers, lakes, peninsulas, mountains, deserts are areas; an island is part of one
        # (our own sites, "Snake Island", "Bab el-Mandeb", stay points)
        return 2 if entry.feature_code == "ISL" else 3
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
    if text.endswith(".") and len(text) <= 6:
        exact = gazetteer.lookup(f"={text}")
        if exact:  # "Churchill, Man.": an abbreviation written with its period means what we list for it
            return exact
    found = gazetteer.search(text)
    if not found:  # "Southern California", "northern Syria", "Far North Queensland": the area, qualified
        head, _, rest = re.sub(r"^far[\s-]+", "", text, flags=re.I).partition(" ")
        if rest and _DIRECTIONS.match(head):
            found = gazetteer.search(rest)
    if not found:  # "Украины", "Харькову": an inflected Russian name
        nominative = russian_nominative(text, gazetteer)
        if nominative is not None:
            found = nominative[1]
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
    if _named_after(division, city):  # "Mecca": Makkah al Mukarramah is the city's province
        return True
    if division.feature_code == "ADM2":  # a district named after its town: the town ("Geneva")
        return True
    return city.population * 3 >= division.population


def _named_after(division: Entry, city: Entry) -> bool:
    """Whether the division's name is the city's with more words ("Makkah al Mukarramah")."""
    city_key, division_key = name_key(city.name), name_key(division.name)
    return division_key != city_key and division_key.startswith(city_key + " ")


NEAR_KM = 300.0
#: Two ambiguous names support each other's readings when these lie this close.
MUTUAL_KM = 50.0
#: How many readings of each name are weighed against the others.
MAX_READINGS = 5
#: "Kfraya in Idlib province", "Kabanjahe, in northern Sumatra": the next name contains this one.
#: How far a city's own places reach ("London's Heathrow" lies 22 km from its centre).
CITY_REACH_KM = 60.0
_POSSESSIVE_GAP = re.compile(r"^['’]s\s+$")
_CONTAINER_GAP = re.compile(
    r"^,?\s+(?:(?:district|neighbou?rhood|suburb|area|quarter|slums?|(?:refugee\s+)?camp|village|town|township|city"
    r"|region|province|county|governorate|municipality)\s+)?(?:(?:located|situated|lying)\s+)?(?:in|of)\s+(?:the\s+)?"
    r"(?:(?:(?:north|south)(?:[\s-]?(?:east|west))?|east|west|central)(?:ern)?\s+)?$",
    re.I,
)
_LIST_GAP = re.compile(r"^(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)$")
#: How much a reading shared with most of the other names of a list counts ("Arizona, Georgia, Illinois").
LIST_WEIGHT = 3.0
#: How much a division or country counts when it holds the place named just before it ("Atlanta, Georgia").
HOLDS_WEIGHT = 3.0
#: How much "the" before a name counts for a sea, region or landform.
DEFINITE_WEIGHT = 3.0
#: How much being in the first-level divisions the document is about counts (times its share).
ADMIN_FOCUS_WEIGHT = 1.5


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
        admin_focus: Counter[tuple[str, str]] = Counter()  # the same for first-level divisions
        anchors = _AnchorGrid()  # one per place, however often it is named
        for (ranked, margin), m, opts in zip(first, mentions, options):
            if not ranked:
                continue
            best = ranked[0][1]
            one_country = len({e.country for e in opts}) == 1
            if best.country:
                if best.is_country or best.is_admin1:
                    # "Georgia" in an American story: only a weak vote when the close second
                    # reading lies in another country ("Mexico", state or country, is Mexico's)
                    # nor when one of our own sites elsewhere bears the name: they have no population
                    # to win a margin with ("Salah al-Din", Tripoli's district, not Iraq's province)
                    rival = ranked[1][1].country if len(ranked) > 1 else best.country
                    ours = any(o.source in ("supplement", "regions") and o.country != best.country for o in opts)
                    strong = (one_country or margin >= 3.0 or rival == best.country) and not ours
                    focus[best.country] += 2.0 if strong else 0.5
                elif one_country:
                    focus[best.country] += 1.0
                elif margin >= 3.0:
                    focus[best.country] += 0.5
            if best.country and best.admin1 and not best.is_country:
                if best.is_admin1 or len({(e.country, e.admin1) for e in opts}) == 1:
                    admin_focus[(best.country, best.admin1)] += 1.0
                elif margin >= 3.0:
                    admin_focus[(best.country, best.admin1)] += 0.5
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
        kinds = _list_kinds(text, mentions, first)
        results: list[tuple[list[tuple[float, Entry]], float, bool]] = []
        settled: dict[str, tuple[list[tuple[float, Entry]], float]] = {}
        fallback: dict[int, tuple[int, Entry]] = {}  # mention -> (index of its holder, first-pass holder)
        for index, (m, opts) in enumerate(zip(mentions, options)):
            following = self._admin_context(text, mentions, options, index)
            holder = first[index + 1][0][0][1] if following and first[index + 1][0] else None
            holder_at = index + 1
            if index and first[index - 1][0] and mentions[index - 1].kind == "name" \
                    and _POSSESSIVE_GAP.match(text[mentions[index - 1].end : m.start]):
                # "London's Heathrow", "Libya's Sirte": the place named first holds this one
                holder = first[index - 1][0][0][1]
                holder_at = index - 1
                following = (*following, holder)
            held = self._held(text, mentions, first, index)
            ranked, margin = self._rank(m, opts, focus, anchors, following, readings, kinds.get(index), held,
                                        admin_focus)
            # a site we list without its division ("Zamzam camp, located in North Darfur") is not unknown there
            if holder is not None and m.kind == "name" \
                    and not any(_inside(e, following) or (not e.admin1 and e.country == holder.country) for e in opts) \
                    and not any(e.feature_code in _LARGE_AREAS or e.feature_class in "ALHT" for e in opts) \
                    and self._fallback_ok(text, mentions, index, holder):
                fallback[index] = (holder_at, holder)  # "Greenlane, Auckland": not in the gazetteer, so Auckland's point
            results.append((ranked, margin, bool(following)))
            if following and ranked and index not in fallback:
                settled.setdefault(name_key(m.text), (ranked, margin))
        readings_by_key = _FirstReadings(mentions, results)
        places: list[Place] = []
        for index, (m, (ranked, margin, contained)) in enumerate(zip(mentions, results)):
            if index in fallback:
                at, holder = fallback[index]
                if results[at][0]:  # the holder as finally read ("Fulton County located in Illinois")
                    holder = results[at][0][0][1]
                places.append(self._place_within(m, holder, ranked))
                continue
            # one sense per document: "LONDON, Ky. ... London police" is the same London throughout
            key = name_key(m.text)
            if key in settled and m.kind == "name" and not contained:
                ranked, margin = settled[key]
            if ranked and not contained and _far_and_alone(m, key, ranked[0][1], readings_by_key):
                ranked, margin = [], 0.0  # "the Vogue" in an Indianapolis story is no French village
            places.append(self._place(m, ranked, margin))
        return places

    @staticmethod
    def _fallback_ok(text: str, mentions: Sequence[Mention], index: int, holder: Entry) -> bool:
        """Whether the text plainly puts X inside the place after it ("Greenlane, Auckland", "the
        Adhamiyah district of Baghdad") or before it ("Cairo's Abbasiya"), rather than listing
        two places ("Suba, Migori, Homa Bay") or going on to another clause ("Edmonton, will fly")."""
        if index and _POSSESSIVE_GAP.match(text[mentions[index - 1].end : mentions[index].start]):
            return holder.feature_class == "A" or holder.population >= 50_000
        if index and _LIST_GAP.match(text[mentions[index - 1].end : mentions[index].start]):
            return False
        if index + 1 >= len(mentions) or mentions[index + 1].kind != "name":
            return False
        gap = text[mentions[index].end : mentions[index + 1].start]
        if not (_CONTAINER_GAP.match(gap) or re.fullmatch(r",\s+", gap)):
            return False
        if index + 2 < len(mentions):
            gap = text[mentions[index + 1].end : mentions[index + 2].start]
            if _LIST_GAP.match(gap) and (" and " in f" {gap} " or " or " in f" {gap} "):
                return False  # "Suba, Migori and Homa Bay"
            if _LIST_GAP.match(gap) and "," in gap and index + 3 < len(mentions) \
                    and _LIST_GAP.match(text[mentions[index + 2].end : mentions[index + 3].start]):
                return False
        return True

    def _held(self, text: str, mentions: Sequence[Mention], first: list[tuple[list[tuple[float, Entry]], float]],
              index: int) -> tuple[Entry, ...]:
        """Readings of the place named just before this one, when this one is its container."""
        if not index:
            return ()
        if not _container_gap(text[mentions[index - 1].end : mentions[index].start]):
            return ()
        return tuple(e for _, e in first[index - 1][0][:MAX_READINGS] if e.feature_code not in _LARGE_AREAS)

    def _admin_context(self, text: str, mentions: Sequence[Mention], options: list[tuple[Entry, ...]],
                       index: int) -> tuple[Entry, ...]:
        """Places named right after this one as its container: "Paris, Texas", "Kashkash, southern
        Hasaka", "Kfraya in Idlib province" (only divisions, countries and continents count)."""
        if index + 1 >= len(mentions):
            return ()
        here, after = mentions[index], mentions[index + 1]
        if after.kind != "name":
            return ()  # "Aleppo in Turkish": a language, not a container
        if not _container_gap(text[here.end : after.start]):
            return ()
        return tuple(e for e in options[index + 1] if e.feature_class == "A" or e.feature_code == "CONT")

    def _rank(self, m: Mention, opts: tuple[Entry, ...], focus: Counter[str], anchors: _AnchorGrid | None,
              containers: tuple[Entry, ...] = (), readings: _AnchorGrid | None = None,
              list_kind: tuple[str, str] | None = None, held: tuple[Entry, ...] = (),
              admin_focus: Counter[tuple[str, str]] | None = None,
              ) -> tuple[list[tuple[float, Entry]], float]:
        if not opts:
            return [], 0.0
        total_focus = sum(focus.values()) or 1.0
        total_admin = sum(admin_focus.values()) if admin_focus else 0.0
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
            if admin_focus and total_admin and e.admin1 and not e.is_country and not e.is_admin1 \
                    and not any(o.is_admin1 and o.country == e.country and o.admin1 == e.admin1 for o in opts):
                score += ADMIN_FOCUS_WEIGHT * admin_focus.get((e.country, e.admin1), 0) / total_admin
            if containers and _inside(e, containers):
                score += 4.0
            if held and (e.feature_class == "A" or e.feature_code == "CONT") and any(_inside(h, (e,)) for h in held):
                score += HOLDS_WEIGHT  # "Atlanta, Georgia": the Georgia that holds an Atlanta
            if list_kind is not None and _kind(e) == list_kind:
                score += LIST_WEIGHT
            if m.definite and (e.feature_class in ("H", "T") or e.feature_code in ("RGN", "CONT")):
                score += DEFINITE_WEIGHT  # "the Pacific" is the ocean, not Pacific, Missouri
            if m.feature_hint == "P":  # "the city of Turkey", "the town of Hinton"
                if e.feature_class == "P":
                    score += 3.0
            elif m.feature_hint == "A":  # "the state of Washington"
                if e.feature_class == "A" and not e.is_country:
                    score += 3.0
            elif m.feature_hint and e.feature_code == m.feature_hint:
                score += 3.0
            if m.qualifier in _DIVISION_WORDS:
                if e.feature_class == "A":
                    score += 2.0
            elif e.feature_code in ("ADM1", "ADM2") and m.feature_hint != "A" and any(_city_over_division(o, e, m.text) for o in opts):
                score -= 2.0  # "Tripoli", "New York", "Washington": the city, not the division of that name
            scored.append((score, e))
        scored.sort(key=lambda pair: (-pair[0], -pair[1].population, pair[1].geonameid))
        margin = scored[0][0] - scored[1][0] if len(scored) > 1 else 5.0
        return scored, margin

    def _place_within(self, m: Mention, holder: Entry, ranked: list[tuple[float, Entry]]) -> Place:
        """A place known only by what holds it: that place's point, at its precision or coarser."""
        admin1 = self.gazetteer.admin1_name(holder.country, holder.admin1) if holder.admin1 and holder.country else None
        alternatives = [
            {"geonameid": e.geonameid, "name": e.name, "country": e.country, "feature_code": e.feature_code,
             "lat": e.lat, "lon": e.lon, "score": round(s, 3)}
            for s, e in ranked[:MAX_ALTERNATIVES]
        ]
        return Place(m.start, m.end, m.text, holder.name, holder.geonameid, holder.feature_code, holder.country or None,
                     admin1, holder.lat, holder.lon, 0.5, max(2, geo_precision(holder, None)), kind=m.kind,
                     role=m.role, qualifier=m.qualifier, qualifier_span=m.qualifier_span,
                     alternatives=alternatives, located_by="container")

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


#: A reading this far from every other place of its document, in a country that no other
#: place of the document is in, needs strong evidence (issue 15: "a reading far from the
#: document's other places needs strong evidence"): a border town across the frontier is
#: near the rest; a village on another continent is not.
FAR_KM = 1500.0
#: A town this large, read under its own name, is evidence enough: talks are often held in a
#: small town abroad (Bouznika, about 27,000; Montreux, about 26,000).
FAR_OWN_NAME_POPULATION = 20_000
#: A city this large (or a capital) stands under any of its names ("برلين" is Berlin).
FAR_CITY_POPULATION = 100_000


class _FirstReadings:
    """Each name's first reading in a document, and which names each country holds: built once,
    so that asking whether a reading is alone in its country costs a look-up, not a pass."""

    def __init__(self, mentions: Sequence[Mention],
                 results: Sequence[tuple[list[tuple[float, Entry]], float, bool]]) -> None:
        self.first: dict[str, Entry] = {}
        for (ranked, _margin, _contained), m in zip(results, mentions):
            if ranked:
                self.first.setdefault(name_key(m.text), ranked[0][1])
        self.keys_in: dict[str, set[str]] = {}
        for key, e in self.first.items():
            self.keys_in.setdefault(e.country, set()).add(key)


def _far_and_alone(m: Mention, key: str, best: Entry, readings: _FirstReadings) -> bool:
    """Whether ``best`` is a lone far reading with nothing for it but its name: a small place,
    or a name that is not its own ("Northeast" for Haiti's Nord-Est), in a country no other
    place of the document is in, over :data:`FAR_KM` from all of them, while the document names
    another place. A country, a name with its kind ("the town of Eye", "Wedza district"), a site
    we list ourselves, a town under its own name or a large city under any name stands."""
    if best.is_country or m.qualifier in _DIVISION_WORDS or m.feature_hint or m.kind != "name" \
            or best.source in ("supplement", "regions"):
        return False
    if best.feature_class == "P" and (best.population >= FAR_CITY_POPULATION or best.feature_code == "PPLC"):
        return False  # "برلين", "Berlin": a capital or a city under any of its names
    if _own_name(best, m.text) and best.population >= FAR_OWN_NAME_POPULATION:
        return False
    if readings.keys_in.get(best.country, set()) - {key}:
        return False  # another name of the document lies in its country
    others = [e for k, e in readings.first.items() if k != key]
    return bool(others) and all(distance_km(best.lat, best.lon, e.lat, e.lon) > FAR_KM for e in others)


def _container_gap(gap: str) -> bool:
    """Whether the words between two names may make the second hold the first ("X, Y", "X in Y")."""
    return len(gap) <= 32 and bool(_CONTAINER_GAP.match(gap) or (gap.startswith(",") and not any(c in gap for c in ".;\n")))


def _inside(e: Entry, containers: tuple[Entry, ...]) -> bool:
    """Whether ``e`` lies in one of ``containers``: its country or division, or within a city's reach."""
    return any((c.country == e.country and (c.is_country or c.admin1 == e.admin1) and c.geonameid != e.geonameid)
               or (c.feature_class == "P" and distance_km(c.lat, c.lon, e.lat, e.lon) <= CITY_REACH_KM)
               for c in containers)


def _kind(e: Entry) -> tuple[str, str] | None:
    """What a list item is, for lists of like things: a country, or a first-level division of one."""
    if e.is_country:
        return ("country", "")
    if e.is_admin1 or e.feature_code == "ADM1H":  # Kenya's former provinces are listed alike
        return ("admin1", e.country)
    return None


def _list_kinds(text: str, mentions: Sequence[Mention],
                first: list[tuple[list[tuple[float, Entry]], float]]) -> dict[int, tuple[str, str]]:
    """For names in lists of three or more ("Arizona, California, Georgia and Illinois"), the
    kind of place most of the other items clearly are, so that the odd one reads alike."""
    groups: list[list[int]] = []
    for i in range(len(mentions)):
        if i and _LIST_GAP.match(text[mentions[i - 1].end : mentions[i].start]) and groups and groups[-1][-1] == i - 1:
            groups[-1].append(i)
        else:
            groups.append([i])
    out: dict[int, tuple[str, str]] = {}
    for group in groups:
        if len(group) < 3:
            continue
        kinds = {i: _kind(first[i][0][0][1]) if first[i][0] else None for i in group}
        # counted once per list, not once per item: a list can run to thousands of names
        top = Counter(k for k in kinds.values() if k is not None).most_common(2)
        for i in group:
            # the other items' votes: this item's own vote taken off its kind
            votes = sorted(((n - (kinds[i] == k), k) for k, n in top), key=lambda v: -v[0])
            if votes:
                n, kind = votes[0]
                if n >= 2 and n * 2 >= len(group) - 1:
                    out[i] = kind
    return out
