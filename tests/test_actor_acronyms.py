"""An armed group's acronym resolves only where the document is (issue 15: actors).

Found on the real US local news of ../shared/dev-data/fusion (GVC): "the DNR" of a
Wisconsin hunting report (the Department of Natural Resources) came out as the Donetsk
People's Republic. Texts are our own.
"""

from __future__ import annotations

import pytest

from trucewatch.extract.actors.mentions import tag_actors
from trucewatch.extract.actors.world import neighbours
from trucewatch.extract.events.extract import extract_events
from trucewatch.extract.places.tagger import tag_places


def _actors(text: str) -> dict[str, str | None]:
    named = frozenset(p.country for p in tag_places(text) if p.country)
    return {m.text: m.actor_id for m in tag_actors(text, use_ner=False, named_countries=named)}


@pytest.mark.parametrize(("text", "acronym"), [
    ("A hunter was shot dead near Ladysmith in Rusk County, Wisconsin, on Saturday, the DNR said.", "DNR"),
    ("Journalists in Mexico City said RSF had condemned the killing of a reporter in Guerrero.", "RSF"),
])
def test_an_acronym_in_a_story_about_other_countries_stays_unresolved(text: str, acronym: str) -> None:
    assert _actors(text)[acronym] is None


@pytest.mark.parametrize(("text", "acronym", "actor"), [
    ("The RSF shelled El Fasher in North Darfur on Monday, local activists said.", "RSF", "sd_rsf"),
    # a neighbouring country is the group's own ground: refugees tell of it across the border
    ("Refugees arriving in Adré, Chad, said the RSF had burned their villages.", "RSF", "sd_rsf"),
    ("The LNA said its forces had repelled an attack south of Tripoli.", "LNA", "ly_lna"),
    # a document that names no place gives no grounds to doubt the name
    ("The DNR announced a new mobilisation on Sunday.", "DNR", "ua_dpr"),
])
def test_an_acronym_where_its_group_fights_resolves(text: str, acronym: str, actor: str) -> None:
    assert _actors(text)[acronym] == actor


def test_full_names_and_states_are_not_held_back() -> None:
    found = _actors("Officials in Wisconsin said the Donetsk People's Republic had no office in the United States.")
    assert found["Donetsk People's Republic"] == "ua_dpr"


def test_neighbours_are_read_from_the_country_table() -> None:
    assert {"TD", "SS", "EG"} <= neighbours()["SD"]
    assert "UA" not in neighbours()["US"]


def test_the_event_of_a_hunting_accident_names_no_separatists() -> None:
    text = ("Hunter killed in Rusk County\n\nA hunter was shot dead near Ladysmith in Rusk County, Wisconsin, on "
            "Saturday, the DNR said.")
    for event in extract_events(text, published="2016-11-20").events:
        assert "Donetsk" not in str(event.get("actor1")) and "Donetsk" not in str(event.get("actor2"))
