"""Where the classifier proposes events in extraction: plain sentences with no strong cue, other
languages, and ordinary news that must stay without events (sentences written for this test)."""

from __future__ import annotations

from typing import Any

import pytest

from trucewatch.extract.events.extract import extract_events


@pytest.fixture(scope="module", autouse=True)
def _encoder() -> None:
    from trucewatch.embed import get_encoder

    if get_encoder() is None:
        pytest.skip("the sentence encoder is not installed")


def _events(text: str, lang: str = "en", published: str = "2021-03-10") -> list[dict[str, Any]]:
    return extract_events(text, published=published, lang=lang, use_ner=False).events


def test_a_killing_in_an_attack_is_an_attack_not_a_statistic() -> None:
    events = _events("At least nine people were killed in an attack on a bus station in Garoua on Monday, police said.")
    assert [e["sub_event_type"] for e in events] == ["Attack"]
    assert events[0]["fatalities"] == 9 and events[0]["process_type"] is None
    # the trigger's span is in the evidence and is real text
    text = "At least nine people were killed in an attack on a bus station in Garoua on Monday, police said."
    assert all(text[s["start"]:s["end"]] == s["text"] for s in events[0]["evidence"])


def test_a_bare_sentence_with_a_toll_makes_an_event() -> None:
    events = _events("Seven people were killed in the raid, a local official said.")
    assert len(events) == 1 and events[0]["event_type"] is not None
    assert events[0]["fatalities"] == 7


@pytest.mark.parametrize("lang,text,event_type", [
    ("ru", "Трое мирных жителей погибли при обстреле рынка в понедельник.", "Explosions/Remote violence"),
    ("es", "Hombres armados asesinaron a cuatro campesinos en una vereda el domingo.", "Violence against civilians"),
    ("it", "Un attentatore suicida si è fatto esplodere davanti a una caserma, uccidendo sei soldati.",
     "Explosions/Remote violence"),
    ("tr", "Savaş uçakları sınır yakınındaki bir köyü bombaladı, dört kişi öldü.", "Explosions/Remote violence"),
])
def test_events_in_languages_the_old_lexicon_did_not_read(lang: str, text: str, event_type: str) -> None:
    events = _events(text, lang=lang)
    assert event_type in [e["event_type"] for e in events], events


@pytest.mark.parametrize("lang,text", [
    ("en", "The new terminal will open next spring. Airlines expect more passengers in the summer."),
    ("tr", "Yeni tren hattı gelecek yıl açılacak. Bakanlık bilet fiyatlarını da açıkladı."),
    ("es", "La feria del libro abrió sus puertas el sábado con autores de diez países."),
])
def test_ordinary_news_stays_without_events(lang: str, text: str) -> None:
    assert _events(text, lang=lang) == []


@pytest.mark.parametrize("lang,text,process", [
    ("es", "El gobierno y la guerrilla acordaron un alto el fuego bilateral que entrará en vigor el lunes.", "ceasefire"),
    ("it", "I negoziati tra il governo e i ribelli riprenderanno a Ginevra dopo mesi di guerra.", "talks"),
    ("ru", "Стороны конфликта договорились о перемирии, которое вступит в силу в полночь.", "ceasefire"),
    ("tr", "Ordu, ateşkesin ihlal edildiğini ve sınırdaki köylerin bombalandığını açıkladı.", "violation_alleged"),
    ("es", "El ejército completó la retirada de sus tropas de la zona desmilitarizada.", "withdrawal"),
])
def test_process_events_in_spanish_italian_russian_turkish(lang: str, text: str, process: str) -> None:
    events = _events(text, lang=lang)
    assert process in [e["process_type"] for e in events], events


def test_process_words_outside_conflict_news_make_no_event() -> None:
    # talks about a football transfer: no conflict word, so no talks event
    assert _events("Las negociaciones entre el club y el jugador terminaron sin acuerdo.", lang="es") == []
