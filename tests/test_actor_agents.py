"""States acting through capitals, titles and demonyms; places that only look like them."""

from __future__ import annotations

import datetime as dt

import pytest

from trucewatch.actors.mentions import tag_actors
from trucewatch.actors.russian import stem


def resolved(text: str, when: str | None = "2024-06-01", lang: str | None = None,
             country: str | None = None) -> dict[str, str | None]:
    d = dt.date.fromisoformat(when) if when else None
    return {m.text: m.actor_id for m in tag_actors(text, lang=lang, use_ner=False, day=d, country=country)}


@pytest.mark.parametrize(("text", "lang", "span", "actor_id"), [
    ("Moscow said the convoy was hit.", "en", "Moscow", "russia"),
    ("Ankara denied any role.", "en", "Ankara", "turkey"),
    ("Talks between Moscow and Kyiv resumed.", "en", "Kyiv", "ukraine"),
    ("Nairobi and Addis Ababa pledged troops.", "en", "Nairobi", "gov_ke"),
    ("The minister accused Tehran of arming the rebels.", "en", "Tehran", "iran"),
    ("Москва заявила о нарушениях.", "ru", "Москва", "russia"),
    ("قالت أنقرة إن الهدنة صامدة.", "ar", "أنقرة", "turkey"),
    ("Pékin a appelé au calme.", "fr", "Pékin", "china"),
])
def test_capital_as_agent(text: str, lang: str, span: str, actor_id: str) -> None:
    assert resolved(text, lang=lang)[span] == actor_id


@pytest.mark.parametrize(("text", "lang"), [
    ("The delegation arrived in Moscow on Monday.", "en"),
    ("Flights from Nairobi to Ankara resumed.", "en"),
    ("Делегация прибыла в Москву.", "ru"),
    ("وصل الوفد إلى موسكو.", "ar"),
    ("Il a vécu à Ankara.", "fr"),
    ("Viajó de Madrid a Bogotá.", "es"),
    ("Leaders met at the Kremlin.", "en"),
])
def test_capital_as_place_is_no_actor(text: str, lang: str) -> None:
    assert all(v is None for v in resolved(text, lang=lang).values()), resolved(text, lang=lang)


def test_country_after_a_locative_is_a_place_but_a_target_is_an_actor() -> None:
    assert resolved("Elders met in Niger and in northeastern Syria.") == {}
    assert resolved("Tehran fired missiles at Israel.")["Israel"] == "israel"
    assert resolved("Израильская армия нанесла удары по Ирану.", lang="ru")["Ирану"] == "iran"


@pytest.mark.parametrize(("text", "when", "lang", "span", "actor_id"), [
    ("The Turkish president spoke.", "2019-01-01", "en", "Turkish president", "recep_tayyip_erdogan"),
    ("The UK prime minister spoke.", "2018-01-01", "en", "UK prime minister", "theresa_may"),
    ("The UK prime minister spoke.", "2025-01-01", "en", "UK prime minister", "keir_starmer"),
    ("Russia's foreign minister spoke.", "2020-01-01", "en", "Russia's foreign minister", "sergei_lavrov"),
    ("The President of France spoke.", "2020-01-01", "en", "President of France", "emmanuel_macron"),
    ("The UN chief spoke.", "2015-01-01", "en", "UN chief", "ban_ki_moon"),
    ("Le président turc a parlé.", "2020-01-01", "fr", "président turc", "recep_tayyip_erdogan"),
    ("Le ministre des Affaires étrangères de la Russie a parlé.", "2020-01-01", "fr",
     "ministre des Affaires étrangères de la Russie", "sergei_lavrov"),
    ("قال الرئيس الأمريكي إن الاتفاق صامد.", "2022-01-01", "ar", "الرئيس الأمريكي", "joe_biden"),
    ("Министр обороны России прибыл.", "2025-01-01", "ru", "Министр обороны России", "andrei_belousov"),
    ("Встреча с президентом Турции.", "2025-01-01", "ru", "президентом Турции", "recep_tayyip_erdogan"),
    ("El presidente de Colombia habló.", "2023-01-01", "es", "presidente de Colombia", "gustavo_petro"),
])
def test_title_resolves_to_the_holder_on_the_day(text: str, when: str, lang: str, span: str, actor_id: str) -> None:
    assert resolved(text, when, lang)[span] == actor_id


def test_title_without_a_day_or_a_holder_is_the_government() -> None:
    assert resolved("The Turkish president spoke.", None)["Turkish president"] == "turkey"
    assert resolved("The Chadian president spoke.")["Chadian president"] == "gov_td"
    assert "former" not in str(resolved("The former Turkish president spoke."))
    assert resolved("The former Turkish president spoke.") == {}


def test_demonym_phrases() -> None:
    found = resolved("Turkish drones struck; the Egyptian government and Iranian missiles; Turkish coffee.")
    assert found["Turkish drones"] == "mil_tr"
    assert found["Egyptian government"] == "egypt"
    assert found["Iranian missiles"] == "mil_ir"
    assert "Turkish coffee" not in found and "Turkish" not in found


def test_surnames_need_their_capital() -> None:
    assert resolved("They fought a gallant battle.") == {}
    assert resolved("Gallant ordered the strike.", "2023-10-10")["Gallant"] == "yoav_gallant"


def test_russian_endings_meet_their_entry() -> None:
    for a, b in (("Израилем", "Израиль"), ("Кремле", "Кремль"), ("России", "Россия"), ("Китая", "Китай"),
                 ("силами", "силы"), ("турецкой", "турецкий")):
        assert stem(a.casefold()) == stem(b.casefold()) or stem(a.casefold().replace("й", "и")) == stem(
            b.casefold().replace("й", "и")), (a, b)
    assert resolved("Соглашение с Израилем и Ираном.", lang="ru") == {"Израилем": "israel", "Ираном": "iran"}
    assert stem("всу") == "всу"  # short words and acronyms stay whole


def test_foreign_forces_are_external_in_acled_terms() -> None:
    [m] = tag_actors("Kenyan drones struck.", use_ner=False, country="SO")
    assert (m.actor_id, m.inter) == ("mil_ke", 8)
    [m] = tag_actors("Kenyan drones struck.", use_ner=False, country="KE")
    assert m.inter == 1


def test_a_country_name_inside_a_longer_name_or_in_lower_case_is_no_actor() -> None:
    assert resolved("Michael Jordan met Chad Smith near the Niger River.") == {}
    assert resolved("They ate turkey from china plates.") == {}
    assert resolved("Turkey Says It Will Retaliate")["Turkey"] == "turkey"  # a headline's capitals
    assert resolved("Yesterday Jordan said it would help.")["Jordan"] == "gov_jo"
