"""An event's place (issue 15): its clause, then its sentence, paragraph, dateline, the document's focus."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

from trucewatch.extract.events.extract import extract_events
from trucewatch.extract.events.where import Placer, borders
from trucewatch.extract.places.gazetteer import open_gazetteer
from trucewatch.extract.places.recognise import arabic_stopwords, not_places
from trucewatch.extract.places.tagger import tag_places


def _place(text: str, lat: float, lon: float, country: str | None, code: str = "PPL", **extra: Any) -> Any:
    return SimpleNamespace(start=0, end=0, text=text, name=text, lat=lat, lon=lon, country=country, feature_code=code,
                           role="location", kind="name", confidence=0.95, geo_precision=1, **extra)


def _at(text: str, word: str, place: Any, nth: int = 0) -> Any:
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    place.start, place.end, place.text = start, start + len(word), word
    return place


def _choose(text: str, places: list[Any], trigger: str) -> Any:
    at = text.index(trigger)
    sentence_start = text.rfind("\n", 0, at) + 1
    sentence_end = text.find(".", at) + 1
    choice = Placer(text, places).choose(at, at + len(trigger), sentence_start, sentence_end)
    return choice.place.text if choice else None


def _events(text: str, published: str = "2020-06-05", lang: str = "en") -> list[dict[str, Any]]:
    return extract_events(text, published=published, lang=lang).events


def test_the_town_after_a_locative_word_beats_the_country_of_a_party() -> None:
    text = "Libya's joint commission held a meeting on Tuesday in the coastal city of Sirte."
    places = [_at(text, "Libya", _place("Libya", 27, 17, "LY", "PCLI")),
              _at(text, "Sirte", _place("Sirte", 31.2, 16.6, "LY"))]
    assert _choose(text, places, "meeting") == "Sirte"


def test_a_town_in_another_clause_loses_to_the_event_clause() -> None:
    text = "Gunmen raided a checkpoint near Zawiya overnight; talks resumed in Tunis on Friday."
    places = [_at(text, "Zawiya", _place("Zawiya", 32.7, 12.7, "LY")),
              _at(text, "Tunis", _place("Tunis", 36.8, 10.2, "TN", "PPLC"))]
    assert _choose(text, places, "talks") == "Tunis"
    assert _choose(text, places, "raided") == "Zawiya"


def test_without_a_place_in_the_sentence_the_paragraph_then_the_dateline_then_the_focus() -> None:
    text = ("MISRATA, June 4 - Residents said the port was quiet.\n"
            "Fighters from Gharyan arrived in the town. Shops closed early.\n"
            "A convoy was shelled after dark.")
    places = [_at(text, "MISRATA", _place("Misrata", 32.4, 15.1, "LY")),
              _at(text, "Gharyan", _place("Gharyan", 32.2, 13.0, "LY"))]
    placer = Placer(text, places)
    assert placer.dateline is not None and placer.dateline.text == "MISRATA"
    shops = text.index("Shops")
    choice = placer.choose(shops, shops + 5, shops, text.index("\n", shops))
    assert choice is not None and (choice.place.text, choice.source) == ("Gharyan", "paragraph")
    convoy = text.index("convoy")
    choice = placer.choose(convoy, convoy + 6, text.rfind("\n") + 1, len(text))
    assert choice is not None and (choice.place.text, choice.source) == ("MISRATA", "dateline")
    no_dateline = text.replace("MISRATA, June 4 - ", "In Misrata ")
    places = [_at(no_dateline, "Misrata", _place("Misrata", 32.4, 15.1, "LY")),
              _at(no_dateline, "Gharyan", _place("Gharyan", 32.2, 13.0, "LY"))]
    focus = Placer(no_dateline, places + [_at(no_dateline, "Misrata", _place("Misrata", 32.4, 15.1, "LY"))])
    convoy = no_dateline.index("convoy")
    choice = focus.choose(convoy, convoy + 6, no_dateline.rfind("\n") + 1, len(no_dateline))
    assert choice is not None and choice.source == "focus"


def test_a_far_reading_with_no_support_is_not_the_event_place() -> None:
    text = "Rebels attacked Kadugli. La situation reste tendue, then the army shelled the hills."
    places = [_at(text, "Kadugli", _place("Kadugli", 11.0, 29.7, "SD")),
              _at(text, "La", _place("Los Angeles", 34.0, -118.2, "US"))]
    places[1].confidence = 0.5
    assert _choose(text, places, "shelled") == "Kadugli"


def test_an_actor_capital_is_not_where() -> None:
    events = _events("Moscow said its forces shelled positions near Bakhmut on Thursday.", "2023-10-13")
    assert events and events[0]["location"] == "Bakhmut"


def test_arabic_common_words_are_not_places_and_countries_have_arabic_names() -> None:
    for word in ("المدينة", "العاصمة", "جنوبي", "شأن"):
        assert word in arabic_stopwords()
    assert {"la", "est"} <= not_places()
    gaz = open_gazetteer()
    found = {p.text: p.country for p in tag_places("اتهمت الهند باكستان بخرق الهدنة في كشمير.", lang="ar", gazetteer=gaz)}
    assert found.get("الهند") == "IN" and found.get("باكستان") == "PK"
    found = {p.text: (p.country, p.name) for p in tag_places(
        "اندلعت اشتباكات في العاصمة طرابلس جنوبي المدينة القديمة.", lang="ar", gazetteer=gaz)}
    assert found.get("طرابلس", (None,))[0] == "LY"
    assert "العاصمة" not in found and "جنوبي" not in found and "المدينة" not in found
    french = {p.text: p.country for p in tag_places("La Thaïlande et l'Inde ont parlé aux Etats-Unis.", lang="fr",
                                                    gazetteer=gaz)}
    assert "La" not in french and french.get("Inde") == "IN"


def test_a_country_read_as_a_party_is_the_place_after_a_locative_word() -> None:
    events = _events("Drones struck a car in southern Lebanon on Monday, killing two men.", "2024-03-05")
    assert events and events[0]["country"] == "Lebanon"
    events = _events("Turkey hosted talks between the two delegations on Monday.", "2024-03-05")
    assert all(e["location"] != "Turkey" for e in events)


def test_a_far_reading_under_an_alternate_name_needs_more_than_a_locative_word() -> None:
    text = "Troops clashed with youths in Wadi Kuri. South Sudan and Sudan traded blame."
    far = _at(text, "Wadi Kuri", _place("Kemerli", 38.0, 39.0, "TR"))
    places = [far, _at(text, "South Sudan", _place("South Sudan", 7.0, 30.0, "SS", "PCLI")),
              _at(text, "Sudan", _place("Sudan", 15.0, 31.0, "SD", "PCLI"), nth=1)]
    assert _choose(text, places, "clashed") != "Wadi Kuri"
    far.name = "Wadi Kuri"  # the same reading under its own name is believed
    assert _choose(text, places, "clashed") == "Wadi Kuri"


def test_one_of_a_wide_list_of_places_gives_their_country() -> None:
    text = ("Malia is a country of the west. The army accused rebels of raids in Norland, "
            "Eastmark and the Southern Hills last week.")
    places = [_at(text, "Malia", _place("Malia", 10.0, 20.0, "ML", "PCLI")),
              _at(text, "Norland", _place("Norland", 12.0, 18.0, "ML", "ADM1")),
              _at(text, "Eastmark", _place("Eastmark", 10.0, 24.0, "ML", "ADM1")),
              _at(text, "Southern Hills", _place("Southern Hills", 7.0, 20.0, "ML", "ADM1"))]
    assert _choose(text, places, "raids") == "Malia"


def test_a_close_list_a_town_and_its_state_or_a_foreign_list_keep_the_town() -> None:
    near = "Malia is far away. Shells hit Ostby and Westby on Monday."
    places = [_at(near, "Malia", _place("Malia", 10.0, 20.0, "ML", "PCLI")),
              _at(near, "Ostby", _place("Ostby", 10.0, 20.1, "ML")),
              _at(near, "Westby", _place("Westby", 10.0, 19.9, "ML"))]
    assert _choose(near, places, "Shells") == "Ostby"
    state = "Malia is far away. Shells hit Ostby, Norland on Monday."
    places = [_at(state, "Malia", _place("Malia", 10.0, 20.0, "ML", "PCLI")),
              _at(state, "Ostby", _place("Ostby", 10.0, 20.1, "ML")),
              _at(state, "Norland", _place("Norland", 13.0, 18.0, "ML", "ADM1"))]
    assert _choose(state, places, "Shells") == "Ostby"
    two = "Malia and Dorna are far apart. Talks were held in Ostby and Dorville on Monday."
    places = [_at(two, "Malia", _place("Malia", 10.0, 20.0, "ML", "PCLI")),
              _at(two, "Dorna", _place("Dorna", 30.0, 40.0, "DO", "PCLI")),
              _at(two, "Ostby", _place("Ostby", 10.0, 20.1, "ML")),
              _at(two, "Dorville", _place("Dorville", 30.0, 40.1, "DO"))]
    assert _choose(two, places, "Talks") == "Ostby"


def test_an_arabic_list_joined_by_the_glued_and_gives_the_country() -> None:
    text = "تقع مالية في الغرب. اتهم الجيش المتمردين بشن هجمات في نورلاند، إيستمارك وساوثهيلز."
    places = [_at(text, "مالية", _place("Malia", 10.0, 20.0, "ML", "PCLI")),
              _at(text, "نورلاند", _place("Norland", 12.0, 18.0, "ML", "ADM1")),
              _at(text, "إيستمارك", _place("Eastmark", 10.0, 24.0, "ML", "ADM1")),
              _at(text, "ساوثهيلز", _place("Southern Hills", 7.0, 20.0, "ML", "ADM1"))]
    at = text.index("هجمات")
    sentence_start = text.index("اتهم")
    choice = Placer(text, places).choose(at, at + 5, sentence_start, len(text))
    assert choice is not None and choice.place.name == "Malia"


def test_parties_that_agree_are_not_where_the_venue_of_their_talks_is() -> None:
    text = ("Norvia and Sudmark agree to a truce\n"
            "Leaders of both shook hands after talks in Kellby on Monday. Fighting in Ostby had killed 30.")
    places = [_at(text, "Norvia", _place("Norvia", 50.0, 10.0, "NV", "PCLI")),
              _at(text, "Sudmark", _place("Sudmark", 45.0, 10.0, "SM", "PCLI")),
              _at(text, "Kellby", _place("Kellby", 40.0, 20.0, "KL", "PPLC")),
              _at(text, "Ostby", _place("Ostby", 47.5, 10.0, "NV"))]
    at = text.index("agree")
    choice = Placer(text, places).choose(at, at + 5, 0, text.index("\n"))
    assert choice is not None and (choice.place.text, choice.source) == ("Kellby", "venue")
    # a sentence of fighting that names the countries keeps them; so does an agreement with no venue
    at = text.index("Fighting")
    assert _choose(text, places, "Fighting") == "Ostby"
    no_talks = text.replace("after talks in Kellby", "in public")
    places = [_at(no_talks, "Norvia", _place("Norvia", 50.0, 10.0, "NV", "PCLI")),
              _at(no_talks, "Sudmark", _place("Sudmark", 45.0, 10.0, "SM", "PCLI"))]
    at = no_talks.index("agree")
    choice = Placer(no_talks, places).choose(at, at + 5, 0, no_talks.index("\n"))
    assert choice is not None and choice.place.text in ("Norvia", "Sudmark")


def test_two_venues_of_talks_give_none() -> None:
    text = ("Norvia and Sudmark agree to a truce\n"
            "Talks in Kellby failed in May. A second meeting in Arnby followed in June.")
    places = [_at(text, "Norvia", _place("Norvia", 50.0, 10.0, "NV", "PCLI")),
              _at(text, "Sudmark", _place("Sudmark", 45.0, 10.0, "SM", "PCLI")),
              _at(text, "Kellby", _place("Kellby", 40.0, 20.0, "KL", "PPLC")),
              _at(text, "Arnby", _place("Arnby", 41.0, 21.0, "KL", "PPLC"))]
    placer = Placer(text, places)
    assert placer.venue is None
    at = text.index("agree")
    choice = placer.choose(at, at + 5, 0, text.index("\n"))
    assert choice is not None and choice.source == "sentence"


def test_parties_read_as_actors_that_agree_take_the_venue_too() -> None:
    text = ("Norvia and Sudmark agree to a truce\n"
            "Their leaders met for talks in Kellby on Monday.")
    places = [_at(text, "Norvia", _place("Norvia", 50.0, 10.0, "NV", "PCLI")),
              _at(text, "Sudmark", _place("Sudmark", 45.0, 10.0, "SM", "PCLI")),
              _at(text, "Kellby", _place("Kellby", 40.0, 20.0, "KL", "PPLC"))]
    actors = [SimpleNamespace(start=p.start, end=p.end, kind="kb") for p in places[:2]]
    at = text.index("agree")
    choice = Placer(text, places, actors).choose(at, at + 5, 0, text.index("\n"))
    assert choice is not None and (choice.place.text, choice.source) == ("Kellby", "venue")


def test_a_breach_of_the_deal_between_the_parties_is_not_at_the_venue() -> None:
    text = ("Norvia accused Sudmark of violating the agreement\n"
            "The deal was reached after talks in Kellby on Monday.")
    places = [_at(text, "Norvia", _place("Norvia", 50.0, 10.0, "NV", "PCLI")),
              _at(text, "Sudmark", _place("Sudmark", 45.0, 10.0, "SM", "PCLI")),
              _at(text, "Kellby", _place("Kellby", 40.0, 20.0, "KL", "PPLC"))]
    placer = Placer(text, places)
    assert placer.venue is not None and placer.venue.text == "Kellby"
    at = text.index("violating")
    choice = placer.choose(at, at + 9, 0, text.index("\n"))
    assert choice is not None and choice.source != "venue"


def test_a_pair_of_far_places_keeps_the_first() -> None:
    text = "Malia is a country of the west. The army retook Norland and Eastmark last week."
    places = [_at(text, "Malia", _place("Malia", 10.0, 20.0, "ML", "PCLI")),
              _at(text, "Norland", _place("Norland", 12.0, 18.0, "ML")),
              _at(text, "Eastmark", _place("Eastmark", 10.0, 24.0, "ML"))]
    assert _choose(text, places, "retook") == "Norland"


def test_the_border_with_a_country_is_the_border_of_the_two_not_the_country() -> None:
    text = ("Armenia said the truce held. Its ministry said the border with Azerbaijan was quiet "
            "and no violations were reported.")
    places = [_at(text, "Armenia", _place("Armenia", 40.2, 45.0, "AM", "PCLI")),
              _at(text, "Azerbaijan", _place("Azerbaijan", 40.5, 47.5, "AZ", "PCLI"))]
    at = text.index("violations")
    start = text.index("Its")
    choice = Placer(text, places).choose(at, at + 10, start, len(text))
    assert choice is not None and choice.source == "border"
    assert choice.place.country is None and choice.place.text == "border"
    assert (choice.place.lat, choice.place.lon) == borders()[frozenset(("AM", "AZ"))][1:]


def test_their_border_takes_the_two_countries_of_the_document() -> None:
    text = "Fighting between Cambodia and Thailand went on.\nThe two agreed to stop firing on their frontier at noon."
    places = [_at(text, "Cambodia", _place("Cambodia", 13.0, 105.0, "KH", "PCLI")),
              _at(text, "Thailand", _place("Thailand", 15.0, 100.0, "TH", "PCLI"))]
    at = text.index("stop")
    start = text.index("The two")
    choice = Placer(text, places).choose(at, at + 4, start, len(text))
    assert choice is not None and choice.source == "border" and choice.place.name == "Cambodia–Thailand border"


def test_a_town_near_the_border_beats_the_border_and_an_unlisted_pair_keeps_the_country() -> None:
    text = "Azerbaijan said Armenian troops shelled the border village of Norashen."
    places = [_at(text, "Azerbaijan", _place("Azerbaijan", 40.5, 47.5, "AZ", "PCLI")),
              _at(text, "Armenian", _place("Armenia", 40.2, 45.0, "AM", "PCLI", )),
              _at(text, "Norashen", _place("Norashen", 40.0, 45.5, "AM"))]
    places[1].kind = "demonym"
    assert _choose(text, places, "shelled") == "Norashen"
    text = "Malia said the border with Dorna was quiet."
    places = [_at(text, "Malia", _place("Malia", 10.0, 20.0, "ML", "PCLI")),
              _at(text, "Dorna", _place("Dorna", 30.0, 40.0, "DO", "PCLI"))]
    assert _choose(text, places, "quiet") in ("Malia", "Dorna")


def test_the_border_table_is_well_formed() -> None:
    import csv
    from importlib import resources

    path = resources.files("trucewatch.resources").joinpath("places", "borders.tsv")
    rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines(), delimiter="\t"))
    assert rows and all(list(r) == ["country_a", "country_b", "name", "latitude", "longitude", "notes"] for r in rows)
    pairs = [(r["country_a"], r["country_b"]) for r in rows]
    assert len(set(pairs)) == len(pairs)
    for r in rows:
        assert re.fullmatch(r"[A-Z]{2}", r["country_a"]) and re.fullmatch(r"[A-Z]{2}", r["country_b"])
        assert r["country_a"] < r["country_b"], "pairs are written in code order"
        assert -90 <= float(r["latitude"]) <= 90 and -180 <= float(r["longitude"]) <= 180
        assert "border" in r["name"] and r["notes"].strip()


def test_a_locative_word_does_not_reach_across_a_line_break() -> None:
    from trucewatch.extract.events.where import _cued

    text = "Envoys meet in Zuwara\n\nLibya’s coast guard said the boat sank."
    place = SimpleNamespace(start=text.index("Libya"), end=text.index("Libya") + 5)
    assert not _cued(text, place)
    assert _cued(text, SimpleNamespace(start=text.index("Zuwara"), end=text.index("Zuwara") + 6))


def test_a_town_told_later_refines_a_country_told_in_the_lede() -> None:
    text = ("Two people were killed on Tuesday in air strikes on the south of Lebanon, the health ministry said.\n\n"
            "It said a drone strike on a motorbike in Marjayoun killed one man.")
    events = extract_events(text, published="2025-11-05", lang="en")
    strikes = [e for e in events.events if e["status"] == "main" and e["sub_event_type"] == "Air/drone strike"]
    assert strikes and strikes[0]["location"] == "Marjayoun", events.events


def test_institution_words_and_arabic_conjunctions_are_not_places() -> None:
    gaz = open_gazetteer()
    text = ("The ceasefire was agreed between the Director Generals of Military Operations of both armies, "
            "the Army said, after the Council met.")
    assert not [p for p in tag_places(text, lang="en", gazetteer=gaz) if p.text in ("Military", "Army", "Council")]
    text = "وقال الوزير إن القوات ستبقى في حالة تأهب، مشيرا إلى أنه أصدر أوامر جديدة إلى وزارة الداخلية."
    assert not [p for p in tag_places(text, lang="ar", gazetteer=gaz) if p.text in ("أنه", "جديدة", "الداخلية")]
