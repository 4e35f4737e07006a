"""The states of the world as actors (actors/world.py, resources/actors/states.tsv).

Every state must be there twice, as ACLED names it, reachable by its names in five
languages; curated governments and armies must absorb the generated names instead of
being duplicated; names the generator cannot give to one state must go to none.
"""

from __future__ import annotations

import copy

import pytest

from trucewatch.actors import world
from trucewatch.actors.assemble import collisions
from trucewatch.actors.kb import alias_key, by_alias, load_actors, load_data, validate

UN_MEMBERS = 193


def test_every_un_member_observer_kosovo_and_taiwan() -> None:
    status = [s.status for s in world.states().values()]
    assert status.count("member") == UN_MEMBERS
    assert {c for c, s in world.states().items() if s.status == "observer"} == {"VA", "PS"}
    assert {"XK", "TW"} <= set(world.states())


def test_each_state_has_a_government_and_an_army_named_as_acled_does() -> None:
    actors = load_actors()
    for code in world.states():
        gid, mid = world.government_id(code), world.military_id(code)
        if code == "LY":  # rival governments: the curated KB decides
            assert gid is None and mid is None
            continue
        assert gid in actors and mid in actors, code
        assert actors[gid].kind in ("state", "organisation")  # Yemen's and Syria's curated governments
        assert load_actors()[mid].country == code
    assert actors["gov_ke"].name == "Government of Kenya"
    assert actors["mil_us"].name == "Military Forces of the United States"
    assert actors["cd_fardc"].acled_name == "Military Forces of the Democratic Republic of Congo"
    assert actors["mil_ke"].inter == 1 and actors["gov_ke"].inter == 1
    assert actors["mil_ke"].parents[0].id == "gov_ke"
    assert actors["mil_tr"].parents[0].id == "turkey"  # a curated government keeps its id


@pytest.mark.parametrize(("name", "actor_id"), [
    ("Kenya", "gov_ke"), ("Government of Kenya", "gov_ke"), ("Kenyan government", "gov_ke"),
    ("Military Forces of Kenya", "mil_ke"), ("Turkish drones", "mil_tr"), ("Egyptian government", "egypt"),
    ("Turquía", "turkey"), ("Гана", "gov_gh"), ("غانا", "gov_gh"), ("Allemagne", "germany"),
    ("الحكومة المصرية", "egypt"), ("الجيش الهندي", "mil_in"), ("правительство Индии", "gov_in"),
    ("Kosovo", "gov_xk"), ("Taiwan", "gov_tw"), ("Ejército de Venezuela", "mil_ve"),
])
def test_state_names_in_five_languages(name: str, actor_id: str) -> None:
    assert actor_id in by_alias().get(alias_key(name), []), name


def test_curated_names_win_and_shared_generated_names_go_to_nobody() -> None:
    # "Нигер" and "Нигерия" fold to one stem: neither state gets it
    assert any(ids == ("gov_ne", "gov_ng") for _, ids in collisions())
    assert alias_key("Нигер") not in by_alias()
    # every generated name belongs to one actor unless shared_aliases says otherwise
    assert validate(load_data()) == []


def test_capitals_are_agents_not_aliases() -> None:
    names = world.agent_names()
    assert names["en"]["Moscow"] == "RU" and names["ru"]["Москва"] == "RU" and names["ar"]["موسكو"] == "RU"
    assert "Victoria" not in names["en"]  # Seychelles' capital is also a given name: left out
    assert alias_key("Moscow") not in by_alias()  # "in Moscow" must never be an actor by itself


def test_arabic_adjectives_follow_the_nisba_rule() -> None:
    assert world.arabic_adjectives("تركيا") == ("تركي", "تركية")
    assert world.arabic_adjectives("مصر") == ("مصري", "مصرية")
    assert world.arabic_adjectives("السعودية") == ("سعودي", "سعودية")
    assert world.arabic_adjectives("الولايات المتحدة") is None


def test_a_state_code_nobody_knows_is_reported() -> None:
    rows = world._tsv_rows("states.tsv")
    assert rows[0][0] > 1  # line numbers count the comment lines
    bad = copy.deepcopy(load_data())
    bad["actors"].append({"id": "gov_zz", "name": "Government of Nowhere", "kind": "state", "inter": 1,
                          "country": "ZZ", "names": {"en": ["Government of Nowhere"]}, "parent": [], "roles": [],
                          "notes": "x"})
    assert any("'ZZ' is not an ISO 3166-1 alpha-2 code" in p for p in validate(bad))
