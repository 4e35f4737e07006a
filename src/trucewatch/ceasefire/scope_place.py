"""Did an incident happen where an agreement applies? Country, named places, lines, polygons.

An agreement's ``scope`` lists places (``{"name", "type"}``: a country, a region, a town),
front lines (``"Sirte–Jufra"``) and may carry a polygon (``[[lon, lat], ...]``). The
incident's own place is its country, first-level division, location and coordinates.

- a whole-country scope takes every incident in that country;
- a named place takes an incident at it by name, inside it by the gazetteer's admin codes
  (the named place is a first-level division the incident's location belongs to), or
  within a few kilometres of it;
- a line takes an incident at one of its ends by name; elsewhere in the country the line's
  course is unknown, so the answer is ``undetermined``, never a guess;
- a polygon takes an incident whose point is inside it.

An incident in another country is out; one known only to the country level (or not
located at all) cannot be shown to be inside a named area: ``undetermined``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from trucewatch.ceasefire.scope_time import Verdict

#: How close, in km, an incident's point must be to a named place's to be at it, by the
#: incident's ACLED geo precision (1 the town itself, 2 near it, 3 a larger region).
NEAR_KM = {1: 15.0, 2: 30.0}
COUNTRY_TYPES = frozenset({"country", "country_or_entity"})
_LINE_SPLIT = re.compile(r"\s*(?:–|—|-|/| to )\s*")


class Places(Protocol):
    """What the place test asks of a gazetteer: the (country code, admin1 code, feature
    code, lat, lon) of the best entry for a name, or None."""

    def locate(self, name: str, country: str | None = None) -> tuple[str, str, str, float, float] | None: ...

    def admin1_name(self, country: str, code: str) -> str | None: ...


def fold(text: str | None) -> str:
    """Case- and accent-free form for comparing place names written by different sources."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = re.sub(r"^(?:al|el|the)[\s-]+", "", plain.strip())
    return re.sub(r"[\s'’`-]+", " ", plain).strip()


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def inside_polygon(lon: float, lat: float, ring: Sequence[Sequence[float]]) -> bool:
    """Ray casting on the plane: good enough for the small areas a truce names."""
    inside = False
    for i in range(len(ring)):
        x1, y1 = ring[i][0], ring[i][1]
        x2, y2 = ring[i - 1][0], ring[i - 1][1]
        if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def scope_countries(agreement: Mapping[str, Any]) -> list[str]:
    """The countries (as names) an agreement applies to in full."""
    scope = agreement.get("scope") or {}
    named = [p.get("name") or "" for p in scope.get("places") or [] if p.get("type") in COUNTRY_TYPES]
    out = [part.strip() for name in named for part in re.split(r"\s*/\s*", name) if part.strip()]
    if not out and not (scope.get("places") or scope.get("lines") or scope.get("polygon")) and agreement.get("country"):
        out = [agreement["country"]]
    return out


def _at_named_place(incident: Mapping[str, Any], place: Mapping[str, Any], places: Places | None,
                    country_code: str | None) -> tuple[str, str] | None:
    """(rule, what matched) when the incident is at or inside the named place."""
    name = place.get("name") or ""
    key = fold(name)
    if key and key in (fold(incident.get("location")), fold(incident.get("admin1"))):
        return f"at the named place {name}", name
    if places is None:
        return None
    found = places.locate(name, country_code)
    if found is None:
        return None
    cc, admin1, feature, lat, lon = found
    if feature.startswith("ADM1") and admin1:
        division = places.admin1_name(cc, admin1)
        if division and fold(division) == fold(incident.get("admin1")):
            return f"inside {name} (first-level division {cc}.{admin1})", division
        if incident.get("location"):
            at = places.locate(str(incident["location"]), cc)
            if at is not None and (at[0], at[1]) == (cc, admin1):
                return f"inside {name}: the gazetteer puts {incident['location']} in division {cc}.{admin1}", name
    ilat, ilon, precision = incident.get("latitude"), incident.get("longitude"), incident.get("geo_precision")
    radius = NEAR_KM.get(precision or 3)
    if ilat is not None and ilon is not None and radius is not None and not feature.startswith("ADM") \
            and not feature.startswith("PCL") and _km(ilat, ilon, lat, lon) <= radius:
        return f"within {radius:g} km of {name}", name
    return None


def judge_place(incident: Mapping[str, Any], agreement: Mapping[str, Any], places: Places | None = None,
                country_code: str | None = None) -> Verdict:
    """Whether the incident's place is within the agreement's scope."""
    scope = agreement.get("scope") or {}
    countries = scope_countries(agreement)
    named = [p for p in scope.get("places") or [] if p.get("type") not in COUNTRY_TYPES]
    lines = [str(line) for line in scope.get("lines") or []]
    polygon = scope.get("polygon")
    country = incident.get("country")
    detail: dict[str, Any] = {"incident": {k: incident.get(k) for k in ("country", "admin1", "location", "latitude",
                                                                         "longitude", "geo_precision")},
                              "scope": {"countries": countries, "places": [p.get("name") for p in named],
                                        "lines": lines, "polygon": bool(polygon)}}
    if not (countries or named or lines or polygon):
        return Verdict("undetermined", "the agreement names no place", detail)
    if not country:
        return Verdict("undetermined", "the incident is not located", detail)
    if any(fold(country) == fold(c) for c in countries):
        return Verdict("in", f"in {country}, which the agreement covers in full", detail)
    agreement_country = agreement.get("country")
    same_country = fold(country) == fold(agreement_country) if agreement_country else not countries
    if not same_country:
        return Verdict("out", f"in {country}, outside the countries the agreement covers", detail)
    for place in named:
        hit = _at_named_place(incident, place, places, country_code)
        if hit:
            return Verdict("in", hit[0], {**detail, "matched": hit[1]})
    for line in lines:
        ends = [e for e in _LINE_SPLIT.split(line) if e]
        if fold(incident.get("location")) in {fold(e) for e in ends}:
            return Verdict("in", f"at an end of the line {line}", {**detail, "matched": line})
    lat, lon = incident.get("latitude"), incident.get("longitude")
    if polygon and lat is not None and lon is not None:
        if inside_polygon(lon, lat, polygon):
            return Verdict("in", "inside the agreement's polygon", detail)
        if not (named or lines):
            return Verdict("out", "outside the agreement's polygon", detail)
    if lines:
        return Verdict("undetermined", "the course of the agreement's lines is not known", detail)
    if (incident.get("geo_precision") or 3) >= 3 or not incident.get("location"):
        return Verdict("undetermined", "the incident is located too coarsely to place it inside or outside "
                       "the named areas", detail)
    return Verdict("out", "outside every place the agreement names", detail)


class GazetteerPlaces:
    """:class:`Places` over the built gazetteer index (the most populous entry of a name)."""

    def __init__(self, gazetteer: Any) -> None:
        self.gazetteer = gazetteer

    def locate(self, name: str, country: str | None = None) -> tuple[str, str, str, float, float] | None:
        entries = self.gazetteer.search(name)
        if country:
            entries = tuple(e for e in entries if e.country == country) or ()
        if not entries:
            return None
        e = entries[0]
        return e.country, e.admin1, e.feature_code, e.lat, e.lon

    def admin1_name(self, country: str, code: str) -> str | None:
        return self.gazetteer.admin1_name(country, code)


def default_places() -> Places | None:
    """The gazetteer when it is built; None (names and coordinates only) when it is not."""
    try:
        from trucewatch.extract.places.gazetteer import open_gazetteer

        return GazetteerPlaces(open_gazetteer(build=False))
    except Exception:  # noqa: BLE001 - no index, or an unusable one: containment falls back to names
        return None
