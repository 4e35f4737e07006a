"""Dates, talks placed at their venue, truces that frame breaches or end fighting (issue 15).

Texts are ours, written after the kinds of report in the ceasefire-articles dev set.
"""

from __future__ import annotations

from typing import Any

from trucewatch.extract.events.extract import extract_events


def _events(text: str, published: str | None, lang: str = "en") -> list[dict[str, Any]]:
    return extract_events(text, published=published, lang=lang).events


def _kind(e: dict[str, Any]) -> str:
    return e.get("process_type") or e.get("sub_event_type") or ""


def test_a_conference_on_a_country_is_placed_where_it_met() -> None:
    text = ("Second conference on Libya ends with a call for foreign forces to leave\n\n"
            "Foreign powers and the interim government met for a second conference on the North African country "
            "held in Berlin.\n\n"
            "At the end of the Second Berlin Conference on Libya on Wednesday, participants issued a joint "
            "statement on elections.")
    talks = [e for e in _events(text, "2021-06-24") if _kind(e) == "talks" and e["status"] == "main"]
    assert talks and talks[0]["location"] == "Berlin" and talks[0]["event_date"] == "2021-06-23"


def test_a_truce_told_in_the_body_of_a_breach_report_is_background() -> None:
    text = ("Breaches of the holiday truce passed 1,200 during the day, April 20, the defence ministry said.\n\n"
            "Most of the shelling was on the eastern front, it said.\n\n"
            "On April 19, the president announced a holiday ceasefire from 6 p.m. on April 19 to midnight on "
            "April 21. He said the army would stop all fighting.")
    events = _events(text, "2025-04-21")
    assert any(_kind(e) == "violation_alleged" and e["status"] == "main" for e in events)
    truces = [e for e in events if _kind(e) == "ceasefire"]
    assert truces and all(e["status"] == "background" for e in truces)


def test_a_truce_in_the_headline_of_a_breach_report_stays_news() -> None:
    text = ("Holiday ceasefire begins, and both sides report breaches within hours\n\n"
            "The president announced a holiday ceasefire from 6 p.m. on Saturday, and the defence ministry said on "
            "Sunday that the other side had violated it more than 300 times.")
    events = _events(text, "2025-04-20")
    assert any(_kind(e) == "ceasefire" and e["status"] == "main" for e in events)


def test_a_date_that_opens_the_sentence_dates_a_happening_told_far_from_it() -> None:
    text = ("Clashes in the capital leave dozens dead\n\n"
            "Two armed groups fought across the southern districts of Tripoli from Monday evening, medics said.\n\n"
            "Late on Tuesday, the social council of the Souq al-Jumaa district, a body of elders and notables from "
            "the stronghold of one of the two groups, reported an agreement with the prime minister to hand the "
            "detained colonel over to a neutral party.")
    # "reported an agreement with" is a deal of the parties (a process cue), not only ACLED's sub-event
    deal = next(e for e in _events(text, "2023-08-16") if e.get("process_type") == "agreement")
    assert deal["status"] == "main" and deal["event_date"] == "2023-08-15"
    assert [s["text"] for s in deal["evidence"] if s["field"] == "event_date"] == ["Tuesday"]


def test_a_truce_restored_an_hour_after_the_breach_is_news_of_that_day() -> None:
    text = ("Israel acusó a Hamás de romper el alto al fuego y bombardeó el sur de Gaza el domingo; los hospitales "
            "contaron 30 muertos.\n\n"
            "Según el ejército, milicianos dispararon un misil antitanque contra sus tropas en Rafah.\n\n"
            "Hamás dijo que no sabía de ningún choque en la zona. Tras poco más de una hora, Israel anunció que se "
            "había reanudado el cese al fuego. Por otra parte, el ejército denunció abusos contra civiles.")
    truces = [e for e in _events(text, "2025-10-19", "es") if _kind(e) == "ceasefire"]
    assert [(e["status"], e["event_date"]) for e in truces] == [("main", "2025-10-19")]


def test_a_truce_announced_after_the_fighting_a_report_tells_is_its_news() -> None:
    text = ("De violents affrontements ont opposé deux milices dans plusieurs quartiers de Misrata, mardi soir.\n"
            "Des habitants ont fait état de tirs d'armes lourdes jusqu'à l'aube, et au moins trois voitures ont brûlé.\n"
            "Le Royaume-Uni a appelé au calme. Le ministère de l'Intérieur a annoncé un cessez-le-feu « pour protéger "
            "les habitants ».")
    undated = [e for e in _events(text, None, "fr") if _kind(e) == "ceasefire"]
    assert [e["status"] for e in undated] == ["main"]
    dated = [e for e in _events(text, "2024-05-08", "fr") if _kind(e) == "ceasefire"]
    assert [(e["status"], e["event_date"]) for e in dated] == [("main", "2024-05-07")]  # the fighting's day


def test_an_army_spokesman_speaks_for_the_state_force_the_report_named() -> None:
    text = ("The Libyan National Army said on Tuesday that its artillery had hit a depot at the port of Tripoli.\n\n"
            "An army spokesman said the strike hit only military targets and described reports of civilian deaths "
            "as propaganda.")
    claimants = {e.get("claimant") for e in _events(text, "2020-02-19") if e.get("claimant")}
    assert "An army spokesman" not in claimants
    assert claimants & {"Libyan National Army"}


def test_the_target_of_ordered_strikes_is_not_where_the_breach_happened() -> None:
    text = ("The defence minister accused the militia of violating the ceasefire and said he had ordered new air "
            "strikes on Sirte.")
    events = _events(text, "2024-03-05")
    breach = next(e for e in events if _kind(e) == "violation_alleged")
    assert breach["location"] != "Sirte"
    # an order is not yet the act: no air strike on Sirte is reported as a happening
    assert not [e for e in events if e["status"] == "main" and e.get("event_type") == "Explosions/Remote violence"]


def test_a_strike_told_as_a_happening_keeps_its_target() -> None:
    events = _events("Militia fighters shelled Sirte on Monday, and the army will answer, residents said.", "2024-03-05")
    assert [e["location"] for e in events if e["status"] == "main"] == ["Sirte"]
