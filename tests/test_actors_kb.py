"""Consistency of the actor knowledge base (resources/actors/actors.yaml).

The extraction stage trusts this file blindly, so the tests check the things a hand edit
gets wrong: ids, codes, dates, dangling references, names two actors collide on, and that
the Libya actors and their press names are there.
"""

from __future__ import annotations

import copy
import datetime as dt
import re

import pycountry
import pytest

from trucewatch.actors import (
    KINDS,
    ROLES,
    actor,
    alias_key,
    by_alias,
    ceasefires,
    load_actors,
    load_data,
    lookup,
    validate,
)
from trucewatch.places.names import is_arabic

LIBYA_REQUIRED = {
    "ly_gna", "ly_gna_forces", "ly_volcano_of_rage", "ly_peace_storm", "ly_presidential_council",
    "fayez_al_sarraj", "ly_lna", "khalifa_haftar", "ly_hor", "aguila_saleh", "ly_gnu",
    "abdul_hamid_dbeibah", "unsmil", "ghassan_salame", "stephanie_williams", "jan_kubis", "ly_jmc",
    "turkey", "russia", "wagner_group", "uae", "egypt", "france", "italy", "germany",
    "european_union", "eu_irini", "african_union", "ly_sudanese_fighters", "ly_chadian_fighters",
    "ly_syrian_fighters_gna",
}

PRESS_NAMES = [
    ("Hifter", "khalifa_haftar"),
    ("Khalifa Hifter", "khalifa_haftar"),
    ("Haftar's forces", "ly_lna"),
    ("Haftar’s forces", "ly_lna"),
    ("forces loyal to Haftar", "ly_lna"),
    ("the Libyan National Army", "ly_lna"),
    ("Libyan Arab Armed Forces", "ly_lna"),
    ("Al-Wefaq government", "ly_gna"),
    ("al Wefaq Government", "ly_gna"),
    ("the UN-recognized government", "ly_gna"),
    ("UN-recognized government", "ly_gna"),
    ("Government of National Agreement", "ly_gna"),
    ("the Government of National Accord", "ly_gna"),
    ("حكومة الوفاق الوطني", "ly_gna"),
    ("قوات حفتر", "ly_lna"),
    ("Operation Peace Storm", "ly_peace_storm"),
    ("Burkan al-Ghadab", "ly_volcano_of_rage"),
    ("Ghassan Salame", "ghassan_salame"),
    ("Jan Kubis", "jan_kubis"),
    ("5+5 Joint Military Commission", "ly_jmc"),
]


@pytest.fixture(scope="module")
def data() -> dict:
    return load_data()


def test_file_is_consistent(data: dict) -> None:
    assert validate(data) == []


def test_ids_unique_and_snake_case(data: dict) -> None:
    ids = [a["id"] for a in data["actors"]]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", i) for i in ids)
    cids = [c["id"] for c in data["ceasefires"]]
    assert len(cids) == len(set(cids))


def test_fields(data: dict) -> None:
    for a in data["actors"]:
        assert a["names"]["en"][0] == a["name"], a["id"]
        assert a["kind"] in KINDS, a["id"]
        assert a["inter"] is None or (type(a["inter"]) is int and 1 <= a["inter"] <= 8), a["id"]
        # Kosovo (XK) has no ISO 3166-1 code in pycountry but is a state the KB follows
        assert a["country"] is None or a["country"] == "XK" or pycountry.countries.get(alpha_2=a["country"]), a["id"]
        for r in a.get("roles") or ():
            assert r["role"] in ROLES, a["id"]


def test_references_and_dates() -> None:
    actors, known_ceasefires = load_actors(), ceasefires()
    for a in actors.values():
        for p in a.parents:
            assert p.id in actors and p.id != a.id, a.id
            assert p.start is None or p.end is None or p.start <= p.end, a.id
        for r in a.roles:
            assert r.ceasefire in known_ceasefires, a.id
            assert r.start is None or r.end is None or r.start <= r.end, a.id
    for c in known_ceasefires.values():
        assert isinstance(c.start, dt.date), c.id
        assert c.region is None or pycountry.countries.get(alpha_2=c.region), c.id


def test_arabic_names_are_arabic_script(data: dict) -> None:
    for a in data["actors"]:
        for name in a["names"].get("ar") or ():
            assert is_arabic(name), (a["id"], name)


def test_aliases_not_shared_unless_allowed(data: dict) -> None:
    allowed: dict[str, set[str]] = {}
    for entry in data["shared_aliases"]:
        assert entry["reason"]
        allowed.setdefault(alias_key(entry["alias"]), set()).update(entry["actors"])
    for key, ids in by_alias().items():
        if len(ids) > 1:
            assert set(ids) <= allowed.get(key, set()), (key, ids)


def test_libya_coverage() -> None:
    missing = LIBYA_REQUIRED - set(load_actors())
    assert not missing


@pytest.mark.parametrize(("text", "expected"), PRESS_NAMES)
def test_press_names_resolve(text: str, expected: str) -> None:
    assert by_alias()[alias_key(text)] == [expected]
    assert [a.id for a in lookup(text)] == [expected]


def test_shared_alias_returns_every_owner() -> None:
    assert set(by_alias()[alias_key("Tripoli-based government")]) == {"ly_gna", "ly_gnu"}
    # LAAF and LAF fold alike (double letters collapse); both owners come back.
    assert set(by_alias()[alias_key("LAAF")]) == {"ly_lna", "lb_laf"}


def test_unknown_name_stays_unresolved() -> None:
    assert lookup("Free Libya Brigade of Nowhere") == []
    with pytest.raises(KeyError):
        actor("no_such_actor")


def test_parent_validity_dates() -> None:
    forces = actor("ly_gna_forces")
    assert forces.parents_on(dt.date(2020, 6, 1)) == ("ly_gna",)
    assert forces.parents_on(dt.date(2021, 6, 1)) == ()


# The validator itself must catch breakage, or the tests above prove nothing.
def _broken(data: dict, edit) -> list[str]:
    copy_ = copy.deepcopy(data)
    edit(copy_)
    return validate(copy_)


def _find(data: dict, actor_id: str) -> dict:
    return next(a for a in data["actors"] if a["id"] == actor_id)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["actors"].append(copy.deepcopy(_find(d, "ly_gna"))), "duplicate id"),
        (lambda d: _find(d, "ly_gna").update(id="Ly-GNA"), "snake_case"),
        (lambda d: _find(d, "ly_lna").update(inter=9), "inter"),
        (lambda d: _find(d, "ly_lna").update(country="XX"), "country"),
        (lambda d: _find(d, "ly_lna")["names"]["en"].reverse(), "canonical name"),
        (lambda d: _find(d, "ly_lna")["names"]["ar"].append("Haftar"), "Arabic script"),
        (lambda d: _find(d, "ly_peace_storm")["parent"][0].update(id="ly_nowhere"), "parent"),
        (lambda d: _find(d, "ly_gna")["roles"][0].update(ceasefire="ly_nope"), "ceasefire"),
        (lambda d: _find(d, "ly_gna")["roles"][0].update(role="spoiler"), "role"),
        (lambda d: _find(d, "ly_gna")["roles"][0].update(**{"from": "2021-01-01", "to": "2020-01-01"}), "after"),
        (lambda d: _find(d, "ly_gna")["roles"][0].update(**{"from": "2020-13-40"}), "bad date"),
        (lambda d: _find(d, "turkey")["names"]["en"].append("Hifter"), "not listed in shared_aliases"),
        (lambda d: d["shared_aliases"].pop(0), "not listed in shared_aliases"),
        (lambda d: _find(d, "ly_gna").update(parent=[{"id": "ly_gna_forces", "from": None, "to": None}]), "loops"),
    ],
)
def test_validator_catches(data: dict, edit, message: str) -> None:
    problems = _broken(data, edit)
    assert any(message in p for p in problems), problems
