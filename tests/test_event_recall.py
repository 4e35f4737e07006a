"""Rules that let real reporting yield its events (issue 15), on sentences we wrote.

Each test pins one general rule: a happening of the reporting day told after "after" is
news; an undated happening takes its paragraph's day; "another strike" is an event of its
own; two cues side by side are one mention; process cues in our other languages; and a
word that only sounds like a weapon ("airlines") makes no event.
"""

from __future__ import annotations

from typing import Any

import pytest

from trucewatch.extract.events.classify import classify
from trucewatch.extract.events.extract import extract_events
from trucewatch.extract.time import tag_time
from trucewatch.extract.time.eventdate import date_event


def _events(text: str, published: str, lang: str = "en") -> list[dict[str, Any]]:
    events = extract_events(text, published=published, lang=lang).events
    for event in events:
        for span in event["evidence"]:
            assert text[span["start"]:span["end"]] == span["text"], span
    return events


def _kinds(events: list[dict[str, Any]]) -> list[tuple[str | None, str | None, str]]:
    return [(e["process_type"] or e["sub_event_type"], e["event_date"], e["status"]) for e in events]


def test_a_clash_of_the_day_before_told_after_after_is_news() -> None:
    # Sunday's paper: the clashes were on Saturday, told inside "after ..."
    text = ("Burnt-out cars lined the streets of Darnen after clashes between two rival militias on Saturday, "
            "residents said.")
    events = _events(text, "2021-03-14")
    clash = [e for e in events if e["sub_event_type"] == "Armed clash"]
    assert clash and clash[0]["status"] == "main" and clash[0]["event_date"] == "2021-03-13"


def test_an_old_clash_told_after_after_stays_background() -> None:
    text = "Burnt-out cars still line the streets of Darnen after clashes between two rival militias in January."
    events = _events(text, "2021-03-14")
    assert all(e["status"] != "main" for e in events if e["sub_event_type"] == "Armed clash")


def test_a_state_named_after_despite_is_not_promoted() -> None:
    # the truce is dated by the sentence's day, but "despite the truce" names no happening
    text = "Two farmers were killed on Tuesday in shelling near Marun despite the truce in force since March."
    events = _events(text, "2021-05-12")
    assert all(e["status"] != "main" for e in events if e["process_type"] == "ceasefire")


def test_an_undated_happening_takes_the_day_of_its_paragraph() -> None:
    text = ("Fighting resumed near the Kelbar crossing on Tuesday. Artillery shells hit a school in the town, "
            "killing two pupils.")
    events = _events(text, "2021-05-12")
    shelling = [e for e in events if e["sub_event_type"] == "Shelling/artillery/missile attack"]
    assert shelling and shelling[0]["event_date"] == "2021-05-11"
    assert any(s["field"] == "event_date" and s["text"] == "Tuesday" for s in shelling[0]["evidence"])


def test_no_date_is_inherited_across_a_paragraph_break() -> None:
    text = ("Fighting resumed near the Kelbar crossing on Tuesday.\n\nA shell hit a school in the town last "
            "year, and another shell hit the hospital, killing two nurses.")
    events = _events(text, "2021-05-12")
    assert all(e["event_date"] != "2021-05-11" for e in events if e["sub_event_type"] != "Armed clash")


def test_another_strike_is_an_event_of_its_own_on_the_same_day() -> None:
    text = ("A drone strike hit a car near Kafrun on Monday, killing its driver, the health ministry said. "
            "Another air strike on a farm in Lurin killed two brothers.")
    events = _events(text, "2021-05-11")
    strikes = [e for e in events if e["sub_event_type"] == "Air/drone strike"]
    assert len(strikes) == 2
    assert {e["event_date"] for e in strikes} == {"2021-05-10"}
    assert all(e["status"] == "main" for e in strikes)


def test_another_strike_in_french_too() -> None:
    text = ("Une frappe de drone a visé une voiture près de Kafrun lundi, tuant son conducteur. "
            "Une autre frappe aérienne sur une ferme à Lurin a tué deux frères.")
    events = _events(text, "2021-05-11", "fr")
    assert len([e for e in events if e["sub_event_type"] == "Air/drone strike"]) == 2


def test_two_cues_side_by_side_are_one_mention() -> None:
    text = ("Forty civilians have been killed since the entry into force of the truce, the monitors said.")
    events = _events(text, "2021-05-11")
    assert len([e for e in events if e["process_type"] == "ceasefire"]) == 1


@pytest.mark.parametrize(("text", "lang", "kind"), [
    ("Both governments agreed on Tuesday to suspend strikes on power plants for a month.", "en", "agreement"),
    ("The rival armies reached an understanding to halt the fighting near the port.", "en", "agreement"),
    ("Les deux armées ont convenu mardi d'un cessez-le-feu à la frontière.", "fr", "agreement"),
    ("Las dos milicias acordaron el martes poner fin a los combates en el puerto.", "es", "agreement"),
    ("Le due milizie hanno raggiunto un accordo per fermare gli scontri al porto.", "it", "agreement"),
    ("Армии двух стран договорились во вторник прекратить огонь на границе.", "ru", "agreement"),
    ("İki ordu salı günü sınırda ateşkes konusunda anlaşmaya vardı.", "tr", "agreement"),
    ("أعلن الجيش عن اتفاق مبدئي بين الطرفين لسحب المقاتلين من المدينة.", "ar", "agreement"),
    ("The military committee concluded its fourth round of meetings in Kelbar, the army said.", "en", "talks"),
    ("واجتمع أعضاء اللجنة العسكرية في مدينة كلبار يوم الاثنين.", "ar", "talks"),
    ("The truce between the army and the rebels took effect at midnight.", "en", "ceasefire"),
    ("Между армией и повстанцами в полночь вступило в силу перемирие.", "ru", "ceasefire"),
    ("A military cargo plane landed at the Kelbar air base on Saturday, the army said.", "en", "arms_transfer"),
])
def test_process_cues_in_every_language(text: str, lang: str, kind: str) -> None:
    events = _events(text, "2021-05-12", lang)
    assert kind in {e["process_type"] for e in events}, _kinds(events)


def test_a_russian_drone_attack_is_an_air_strike() -> None:
    assert classify("Ночью российские БПЛА атаковали окраины города.").sub_event_type == "Air/drone strike"


def test_arabic_airlines_are_no_air_strike() -> None:
    result = classify("وقالت شركات الطيران إنها استأنفت رحلاتها إلى المطار يوم الأربعاء.")
    assert result.code != "AIR_STRIKE"


def test_french_strikes_named_by_their_author_are_air_strikes() -> None:
    assert classify("Deux bergers ont été tués dans des frappes israéliennes près de Marun.").code == "AIR_STRIKE"


@pytest.mark.parametrize(("text", "trigger", "role"), [
    ("Подписанный мораторий действовал до 18 апреля, заявили в Кремле.", "мораторий", "end"),
    ("El acuerdo rige desde el 3 de mayo en toda la región.", "acuerdo", "start"),
])
def test_since_and_until_in_russian_and_spanish(text: str, trigger: str, role: str) -> None:
    lang = "ru" if "мораторий" in text else "es"
    tagging = tag_time(text, published="2021-05-12", lang=lang)
    i = text.index(trigger)
    got = date_event(text, (i, i + len(trigger)), tagging.timexes, None, lang=lang)
    assert got is not None and got.role == role


@pytest.mark.parametrize(("text", "lang"), [
    ("The army accused the rebels on Monday of violating the truce near Kelbar.", "en"),
    ("El ejército acusó el lunes a los rebeldes de violar el alto el fuego cerca de Kelbar.", "es"),
])
def test_a_truce_named_as_what_was_violated_is_background(text: str, lang: str) -> None:
    events = _events(text, "2021-05-11", lang)
    kinds = {(e["process_type"], e["status"]) for e in events}
    assert ("violation_alleged", "main") in kinds
    assert ("ceasefire", "main") not in kinds


@pytest.mark.parametrize(("text", "code"), [
    ("Un dron cargado de explosivos impactó contra una casa en Kelbar y mató a tres personas.", "AIR_STRIKE"),
    ("El ejército lanzó el domingo una serie de bombardeos sobre Kelbar que dejaron 30 muertos.", "ART_MISS_ATTACK"),
])
def test_spanish_drones_and_bombardments(text: str, code: str) -> None:
    assert classify(text).code == code


def test_an_agreement_and_the_truce_it_makes_share_their_day() -> None:
    events = _events("The two armies agreed to a ceasefire on Monday, the mediators said.", "2025-06-11")
    dates = {e["process_type"]: e["event_date"] for e in events}
    assert dates.get("agreement") == dates.get("ceasefire") == "2025-06-09"


@pytest.mark.parametrize(("text", "code"), [
    ("Rebel units fired on army posts along the ridge overnight, the command said.", "ARMED_CLASH"),
    ("The two sides exchanged 120 prisoners at the Kelbar crossing on Monday.", "AGREEMENT"),
])
def test_firing_on_posts_and_prisoner_exchanges(text: str, code: str) -> None:
    assert classify(text).code == code


def test_arabic_explosions_heard_are_an_explosion() -> None:
    assert classify("وأفاد شهود بسماع دوي انفجارات قوية مساء الأحد في مدينة كلبار.").event_type == "Explosions/Remote violence"


def test_no_cue_less_guess_beside_a_process_event() -> None:
    text = ("A military cargo plane landed at the Kelbar air base on Saturday, the spokesman said, adding that "
            "twenty armoured trucks were seen heading south from the base.")
    events = _events(text, "2021-05-16")
    assert [e["process_type"] for e in events] == ["arms_transfer"], _kinds(events)


@pytest.mark.parametrize(("text", "code"), [
    ("Au moins neuf personnes ont été tuées dans une attaque contre un marché à Kelbar.", "ATTACK"),
    ("قتل تسعة أشخاص على الأقل في هجوم على سوق في مدينة كلبار.", "ATTACK"),
    ("Les rebelles ont pris le contrôle de la ville de Kelbar après deux jours de combats.",
     "NON_STATE_ACTOR_OVERTAKES_TER"),
    ("L'armée a mené lundi une frappe contre un véhicule près de Kelbar, tuant deux personnes.", "AIR_STRIKE"),
    ("أفرجت السلطات عن 40 أسيرا في إطار صفقة تبادل مع المتمردين.", "AGREEMENT"),
    ("Стороны в понедельник обменялись пленными на границе.", "AGREEMENT"),
])
def test_french_arabic_russian_cues(text: str, code: str) -> None:
    assert classify(text).code == code


def test_a_truce_named_as_violated_does_not_set_the_next_act_in_the_past() -> None:
    text = ("L'armée a accusé lundi les rebelles d'avoir violé la trêve en tirant des roquettes sur Kelbar.")
    events = _events(text, "2025-06-10", "fr")
    shelling = [e for e in events if e["sub_event_type"] == "Shelling/artillery/missile attack"]
    assert shelling and shelling[0]["status"] == "main"


def test_concluding_an_agreement_in_french() -> None:
    text = "Les deux pays ont conclu lundi un accord de cessez-le-feu après cinq jours de combats."
    assert "agreement" in {e["process_type"] for e in _events(text, "2025-06-10", "fr")}


@pytest.mark.parametrize(("text", "lang"), [
    ("Los rebeldes acusaron el martes al ejército de bombardear sus posiciones pese al alto el fuego.", "es"),
    ("El gobierno denunció el incumplimiento de la tregua por parte de la guerrilla en Kelbar.", "es"),
    ("اتهمت الحركة الجيش بقصف مواقعها في كلبار رغم وقف إطلاق النار.", "ar"),
    ("Повстанцы обвинили армию в обстреле своих позиций, несмотря на перемирие.", "ru"),
])
def test_accusations_of_breaking_a_truce(text: str, lang: str) -> None:
    events = _events(text, "2025-10-21", lang)
    kinds = {(e["process_type"], e["status"]) for e in events}
    assert ("violation_alleged", "main") in kinds, _kinds(events)
    assert ("ceasefire", "main") not in kinds, _kinds(events)


def test_a_strike_on_the_south_of_a_country_is_placed_there_not_at_a_party() -> None:
    text = ("Deux bergers ont été tués mardi dans des frappes israéliennes sur le sud du Liban, malgré la trêve "
            "entre Israël et le Hezbollah.")
    strikes = [e for e in _events(text, "2025-10-08", "fr") if e["sub_event_type"] == "Air/drone strike"]
    assert strikes and strikes[0]["country"] == "Lebanon"


@pytest.mark.parametrize("text", [
    "Fighting broke out again in the capital on Tuesday, hours after a week-long ceasefire came into effect.",
    "Heavy clashes erupted near the airport on Tuesday despite the truce agreed last week.",
    "De violents affrontements ont éclaté mardi près de l'aéroport malgré la trêve.",
])
def test_fighting_told_beside_a_truce_is_the_fighting(text: str) -> None:
    assert classify(text).code == "ARMED_CLASH"


@pytest.mark.parametrize(("text", "day", "killed"), [
    ("Two dead after shooting at Zawiya checkpoint\n\nTwo people were killed in a shooting at a checkpoint in "
     "Zawiya on Monday, a security source said.", "2024-03-04", 2),
    ("One dead after north Zawiya shooting\n\nOne person is dead after a shooting in northern Zawiya on Sunday "
     "night, police said.", "2024-03-03", 1),
])
def test_a_headline_told_after_after_is_the_ledes_news(text: str, day: str, killed: int) -> None:
    # "N dead after shooting": the headline's undated shooting is the lede's dated one, one event
    events = _events(text, "2024-03-05")
    attacks = [e for e in events if e["sub_event_type"] == "Attack"]
    assert len(attacks) == 1, _kinds(events)
    assert attacks[0]["status"] == "main" and attacks[0]["event_date"] == day and attacks[0]["fatalities"] == killed


def test_a_headline_after_an_old_event_stays_background() -> None:
    # the lede's happening is weeks old: nothing makes the headline's "after" clause the day's news
    text = ("Calm returns to Kelbar after clashes\n\nClashes between two militias in Kelbar on 2 February killed "
            "four people, officials said on Tuesday.")
    events = _events(text, "2024-03-05")
    clashes = [e for e in events if e["sub_event_type"] == "Armed clash"]
    assert clashes and all(e["status"] == "background" for e in clashes), _kinds(events)
