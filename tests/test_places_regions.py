"""The bundled list of named areas (``regions.tsv``) stays well formed and plausible.

``regions.tsv`` holds regions, seas, lakes, rivers, islands, deserts and mountain
ranges that the GeoNames-derived gazetteer lacks, plus a territory and former
first-level divisions that reports still name; it shares the layout of
``supplement.tsv`` and is loaded by ``trucewatch.extract.places.build.supplement("regions.tsv")``.
"""

from __future__ import annotations

import csv
import io
import re
from importlib import resources

import pytest

FIRST_ID = 910000001

# GeoNames feature codes a named area may carry, by feature class.
ALLOWED_CODES = {
    "H": {"SEA", "OCN", "GULF", "BAY", "STRT", "LK", "STM", "CNL"},
    "L": {"RGN", "ZN"},
    "T": {"ISL", "ISLS", "PEN", "DSRT", "MTS", "PLAT", "VAL"},
    "A": {"TERR", "ADM1H"},  # the Gaza Strip; former provinces still named in reports (Nyanza, Hedmark)
}

# Rows other code relies on, with a coarse box (lat_min, lat_max, lon_min, lon_max),
# the expected feature code and the expected country code ("" = spans several countries).
KEY_ROWS = {
    "Middle East": ((20.0, 38.0, 30.0, 60.0), "RGN", ""),
    "Mediterranean Sea": ((30.0, 45.0, -6.0, 36.0), "SEA", ""),
    "Darfur": ((10.0, 16.0, 22.0, 27.0), "RGN", "SD"),
    "Donbas": ((46.5, 50.0, 36.5, 40.5), "RGN", "UA"),
    "Sumatra": ((-6.0, 6.0, 95.0, 106.0), "ISL", "ID"),
    "Java": ((-9.0, -5.5, 105.0, 115.0), "ISL", "ID"),
    "Sahel": ((10.0, 20.0, -17.0, 40.0), "RGN", ""),
    "Arctic": ((66.0, 90.0, -180.0, 180.0), "RGN", ""),
    "Indian Ocean": ((-50.0, 25.0, 40.0, 110.0), "OCN", ""),
    "Scandinavia": ((55.0, 71.0, 4.0, 32.0), "RGN", ""),
}

COORD = re.compile(r"^-?\d{1,3}\.\d{2,}$")


def _valid_country_codes() -> set[str]:
    import pycountry

    return {c.alpha_2 for c in pycountry.countries} | {"XK"}


def _read(name: str) -> tuple[list[str], list[list[str]]]:
    text = resources.files("trucewatch.resources").joinpath("places", name).read_text(encoding="utf-8")
    lines = [line for line in csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)]
    assert lines, f"{name} is empty"
    return lines[0], lines[1:]


@pytest.fixture(scope="module")
def supplement() -> tuple[list[str], list[list[str]]]:
    return _read("supplement.tsv")


@pytest.fixture(scope="module")
def regions() -> tuple[list[str], list[list[str]]]:
    return _read("regions.tsv")


@pytest.fixture(scope="module")
def rows(regions: tuple[list[str], list[list[str]]]) -> list[dict[str, str]]:
    header, body = regions
    return [dict(zip(header, row)) for row in body]


def test_header_matches_supplement(regions, supplement) -> None:
    assert regions[0] == supplement[0]


def test_every_row_has_twelve_fields(regions) -> None:
    bad = [(n, len(row)) for n, row in enumerate(regions[1], start=2) if len(row) != 12]
    assert not bad, f"rows (line, fields) without 12 fields: {bad}"


def test_row_count_in_range(rows) -> None:
    assert 250 <= len(rows) <= 400


def test_ids_unique_and_consecutive(rows) -> None:
    ids = [int(r["geonameid"]) for r in rows]
    assert ids == list(range(FIRST_ID, FIRST_ID + len(ids)))


def test_names_stripped_and_ascii_names_ascii(rows) -> None:
    for r in rows:
        for field in ("name", "asciiname"):
            value = r[field]
            assert value and value == value.strip(), (r["geonameid"], field, value)
        assert r["asciiname"].isascii(), (r["geonameid"], r["asciiname"])


def test_alternate_names_clean(rows) -> None:
    for r in rows:
        alts = r["alternatenames"].split(",") if r["alternatenames"] else []
        for alt in alts:
            assert alt and alt == alt.strip(), (r["name"], alt)
            assert "\t" not in alt and "|" not in alt, (r["name"], alt)
        assert len({a.casefold() for a in alts}) == len(alts), f"repeated alternate name in {r['name']}"


def test_coordinates_in_range(rows) -> None:
    for r in rows:
        assert COORD.match(r["latitude"]) and COORD.match(r["longitude"]), (r["name"], r["latitude"], r["longitude"])
        lat, lon = float(r["latitude"]), float(r["longitude"])
        assert -90.0 <= lat <= 90.0, (r["name"], lat)
        assert -180.0 <= lon <= 180.0, (r["name"], lon)


def test_feature_codes_allowed(rows) -> None:
    for r in rows:
        cls, code = r["feature_class"], r["feature_code"]
        assert cls in ALLOWED_CODES, (r["name"], cls)
        assert code in ALLOWED_CODES[cls], (r["name"], cls, code)


def test_rivers_say_where_the_point_is(rows) -> None:
    for r in rows:
        if r["feature_code"] == "STM":
            assert "mid-course" in r["notes"], r["name"]


def test_country_codes_valid(rows) -> None:
    valid = _valid_country_codes()
    for r in rows:
        cc = r["country_code"]
        assert cc == "" or cc in valid, (r["name"], cc)


def test_admin1_population_notes(rows) -> None:
    for r in rows:
        assert r["admin1_code"] == "", r["name"]
        if r["feature_code"] == "TERR":  # a territory carries its people, so that it outranks towns of its name
            assert int(r["population"]) > 0, r["name"]
        else:
            assert r["population"] == "0", r["name"]
        assert r["notes"].strip(), r["name"]


def test_no_duplicate_name_country(rows) -> None:
    seen: dict[tuple[str, str], str] = {}
    for r in rows:
        key = (r["name"].casefold(), r["country_code"])
        assert key not in seen, f"{r['name']} ({r['country_code']}) repeats id {seen[key]}"
        seen[key] = r["geonameid"]


def test_no_name_shared_with_supplement(rows, supplement) -> None:
    header, body = supplement
    index = header.index("name")
    curated = {row[index].casefold() for row in body if len(row) > index}
    clashes = sorted(r["name"] for r in rows if r["name"].casefold() in curated)
    assert not clashes, f"already in supplement.tsv: {clashes}"


@pytest.mark.parametrize("name", sorted(KEY_ROWS))
def test_key_rows_present_and_placed(rows, name: str) -> None:
    (lat_min, lat_max, lon_min, lon_max), code, country = KEY_ROWS[name]
    matches = [r for r in rows if r["name"] == name]
    assert len(matches) == 1, f"{name}: {len(matches)} rows"
    r = matches[0]
    lat, lon = float(r["latitude"]), float(r["longitude"])
    assert lat_min <= lat <= lat_max and lon_min <= lon <= lon_max, (name, lat, lon)
    assert r["feature_code"] == code, (name, r["feature_code"])
    assert r["country_code"] == country, (name, r["country_code"])
