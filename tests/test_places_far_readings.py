"""A reading far from every other place of its document needs more than its name (issue 15).

Found on the real US local news of ../shared/dev-data/fusion (GVC): "the Vogue" nightclub
read as Vogüé in France, "Convenience Store" as Štore in Slovenia, the "Northeast Side" of
San Antonio as Haiti's Nord-Est. A small place, or a name that is not the place's own, in a
country no other place of the document is in and over ``FAR_KM`` from all of them is left
unresolved; a town abroad where talks are held, a border town across the frontier, a
country, a name given with its kind and a site we list stand. Texts are our own.
"""

from __future__ import annotations

import pytest

from trucewatch.extract.places.gazetteer import Gazetteer, open_gazetteer
from trucewatch.extract.places.model import Place
from trucewatch.extract.places.tagger import tag_places


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return open_gazetteer()


def _readings(places: list[Place]) -> dict[str, tuple[str | None, str | None]]:
    return {p.text: (p.name, p.country) for p in places}


def test_a_small_far_village_named_like_a_club_is_left_unread(gaz: Gazetteer) -> None:
    text = ("Four people were shot outside the Vogue nightclub early Friday, Indianapolis police said. "
            "The victims were taken to hospitals in Indianapolis.")
    found = _readings(tag_places(text, gazetteer=gaz))
    assert found.get("Indianapolis") == ("Indianapolis", "US")
    assert found.get("Vogue", (None, None)) == (None, None), found


def test_a_compass_word_is_no_far_region(gaz: Gazetteer) -> None:
    text = ("SAN ANTONIO - A driver was killed on the Northeast Side on Sunday when a passenger's gun went off, "
            "San Antonio police said.")
    found = _readings(tag_places(text, gazetteer=gaz))
    assert found.get("Northeast", (None, None)) == (None, None), found


@pytest.mark.parametrize(("text", "name", "country"), [
    # a talks venue abroad, a town under its own name
    ("Delegations of the House of Representatives in Tobruk and the High Council of State in Tripoli "
     "met in Bouznika on Monday.", "Bouznika", "MA"),
    ("Delegates from Tripoli and Benghazi met in Montreux on Tuesday for a second day of talks.", "Montreux", "CH"),
    # a border town across the frontier: near the rest
    ("Thousands fled El Geneina in West Darfur and crossed into Adré, aid agencies said.", "Adré", "TD"),
    # a name given with its kind is evidence enough
    ("The fighting in Kharkiv spread to the town of Eye, officials in Kyiv said.", "Eye", "GB"),
])
def test_a_far_place_with_evidence_stands(gaz: Gazetteer, text: str, name: str, country: str) -> None:
    found = _readings(tag_places(text, gazetteer=gaz))
    assert found.get(name, (None, None))[1] == country, found


def test_a_lone_place_with_nothing_to_be_far_from_is_read(gaz: Gazetteer) -> None:
    found = _readings(tag_places("A small crowd gathered in Vogue on Sunday.", gazetteer=gaz))
    assert found.get("Vogue", (None, None))[1] == "FR", found


def test_a_far_capital_named_in_another_language_stands(gaz: Gazetteer) -> None:
    # Arabic for "the Berlin conference on Libya, with delegations from Tripoli and Benghazi"
    text = "مؤتمر برلين بشأن ليبيا بحضور وفود من طرابلس وبنغازي."
    found = _readings(tag_places(text, gazetteer=gaz))
    assert found.get("برلين", (None, None))[1] == "DE", found
