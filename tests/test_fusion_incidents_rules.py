"""The curated type table and the compatibility rules fusion merges by (no store needed)."""

from __future__ import annotations

from datetime import date

from types import SimpleNamespace
from typing import Any

import yaml

from trucewatch.export.schema import PROCESS_TYPES
from trucewatch.fusion.compatible import (
    actors_compatible,
    date_range,
    facts_of,
    family_of,
    named,
    places_compatible,
    type_key,
    type_table,
    types_compatible,
)
from trucewatch.resources import __name__ as resources_package


def _acled_event_types() -> set[str]:
    from importlib.resources import files

    raw = yaml.safe_load(files(resources_package).joinpath("events", "subtypes.yaml").read_text(encoding="utf-8"))
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("event_type"), str):
                found.add(node["event_type"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(raw)
    return found


def test_type_table_names_only_known_types_and_pairs_stay_in_one_family() -> None:
    family, pairs = type_table()
    known = _acled_event_types() | set(PROCESS_TYPES)
    assert set(family) <= known, set(family) - known
    assert set(PROCESS_TYPES) <= set(family)  # every process type has a family
    assert {"Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
            "Strategic developments"} <= set(family)
    for pair in pairs:
        a, b = sorted(pair)
        assert family[a] == family[b], f"{a} ~ {b} crosses families: the blocking would never compare them"


def test_type_keys_and_compatibility() -> None:
    assert type_key("Strategic developments", "Agreement", None) == "agreement"
    assert type_key("Battles", "Armed clash", None) == "Battles"
    assert type_key("Strategic developments", "Agreement", "ceasefire") == "ceasefire"
    assert types_compatible("Battles", "Explosions/Remote violence")
    assert types_compatible("violation_alleged", "Battles")
    assert types_compatible("talks", "agreement") and types_compatible("agreement", "ceasefire")
    assert not types_compatible("talks", "Battles") and not types_compatible("Protests", "Battles")
    assert not types_compatible(None, None)
    assert family_of("Riots") == "unrest" and family_of("something new") == "other"


def test_date_range_widens_by_precision() -> None:
    day = date_range("2020-02-18", None, 1)
    week = date_range("2020-02-18", None, 2)
    month = date_range("2020-02-01", None, 3)
    assert day is not None and week is not None and month is not None
    assert (day[1] - day[0]).days == 2 and (week[1] - week[0]).days == 8
    assert month[0].isoformat() == "2020-01-31" and month[1].isoformat() == "2020-03-01"
    assert date_range(None, None, None) is None
    # a stated span is the uncertainty already: "in March" (1-31 March) cannot be 18 February
    stated = date_range("2020-03-01", "2020-03-31", 3)
    assert stated is not None and stated[0].isoformat() == "2020-02-29" and stated[1].isoformat() == "2020-04-01"
    assert date_range("2020-02-18", "2020-02-20", 1) == (date(2020, 2, 17), date(2020, 2, 21))


def _place(**fields: Any) -> Any:
    base = {"id": "e", "document_id": "d", "status": "main", "event_date": "2020-02-18", "date_end": None,
            "time_precision": 1, "event_type": "Battles", "sub_event_type": None, "process_type": None,
            "actor1": None, "actor2": None, "assoc_actor_1": None, "assoc_actor_2": None, "claimant": None,
            "country": None, "admin1": None, "location": None, "latitude": None, "longitude": None,
            "geo_precision": None}
    return facts_of(SimpleNamespace(**{**base, **fields}))


def test_places_contain_and_keep_their_distance() -> None:
    town = _place(country="Libya", admin1="Tripoli", location="Tajura", latitude=32.88, longitude=13.35, geo_precision=1)
    district = _place(country="Libya", admin1="Tripoli", location="Tripoli", latitude=32.6, longitude=13.0,
                      geo_precision=3)
    country = _place(country="Libya", location="Libya", latitude=27.0, longitude=17.0, geo_precision=3)
    far = _place(country="Libya", admin1="Benghazi", location="Benghazi", latitude=32.12, longitude=20.07,
                 geo_precision=1)
    abroad = _place(country="Tunisia", location="Tunisia", geo_precision=3)
    nowhere = _place()
    assert places_compatible(town, district) == (True, "inside the region")
    assert places_compatible(town, country)[0] and places_compatible(far, country)[0]
    assert not places_compatible(town, far)[0]
    assert places_compatible(town, abroad) == (False, "different countries")
    assert places_compatible(nowhere, far) == (True, "no place")


def test_actors_meet_through_the_knowledge_base() -> None:
    assert actors_compatible(frozenset({"Khalifa Haftar"}), frozenset({"Libyan National Army"}))
    assert actors_compatible(frozenset({"Military Forces of Israel"}), frozenset({"Israel"}))
    assert not actors_compatible(frozenset({"Libyan National Army"}), frozenset({"Government of National Accord"}))
    assert actors_compatible(frozenset(), frozenset({"Government of National Accord"}))
    assert not named("Civilians (Libya)") and not named("Unidentified Armed Group (Libya)") and named("Hamas")
