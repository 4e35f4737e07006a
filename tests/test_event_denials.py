"""Allegations attributed in mid-sentence, denials and how a denial is dated and placed.

All sentences are our own; they follow the shape of wire reports ("X hit Y, the Z said,
hours after..."; "the army described reports of deaths as propaganda").
"""

from __future__ import annotations

from typing import Any

from trucewatch.extract.events.classify import classify
from trucewatch.extract.events.extract import extract_events


def _events(text: str, published: str) -> list[dict[str, Any]]:
    events = extract_events(text, published=published, lang="en").events
    for event in events:
        for span in event["evidence"]:
            assert text[span["start"]:span["end"]] == span["text"], span
    return events


def _of(events: list[dict[str, Any]], status: str, sub: str) -> list[dict[str, Any]]:
    return [e for e in events if e["status"] == status and e["sub_event_type"] == sub]


SHELLING = "Shelling/artillery/missile attack"


def test_a_clause_hours_after_talks_does_not_hide_the_attack() -> None:
    result = classify("Rockets slammed into the harbour of Misrata on Sunday, the city council said, hours after "
                      "envoys of the two camps opened a third round of ceasefire talks in Rome.", lang="en")
    assert result.sub_event_type == SHELLING


def test_mid_sentence_attribution_is_the_claimant_not_a_party() -> None:
    text = ("Rockets slammed into the harbour of Misrata on Sunday, the Misrata Municipal Council (MMC) said, hours "
            "after envoys of the two camps opened a third round of ceasefire talks in Rome.")
    events = _events(text, "2021-03-07")
    shelling = _of(events, "main", SHELLING)
    assert shelling, events
    assert shelling[0]["claimant"] and "Council" in shelling[0]["claimant"]
    assert shelling[0]["event_date"] == "2021-03-07"
    assert not [e for e in events if e["status"] == "main" and e["process_type"] == "talks"
                and e["claimant"] and "Council" in e["claimant"]]


def test_artillery_that_destroys_weapons_is_shelling() -> None:
    result = classify("The rebels said their artillery had destroyed an ammunition depot and two trucks near the "
                      "airfield.", lang="en")
    assert result.sub_event_type == SHELLING


def test_a_denial_with_no_event_word_denies_the_attack_told_before() -> None:
    text = ("Mortar shells struck the central market of Sabha on Monday, killing four people, the local hospital "
            "said.\n\nA militia commander described reports of the deaths as fabricated lies.")
    events = _events(text, "2021-06-08")
    main = _of(events, "main", SHELLING)
    denial = _of(events, "negated", SHELLING)
    assert main and denial, events
    assert denial[0]["claimant"] and "militia" in denial[0]["claimant"]
    assert denial[0]["event_date"] == main[0]["event_date"] == "2021-06-07"
    assert denial[0]["location"] == main[0]["location"] == "Sabha"
    cue = [s for s in denial[0]["evidence"] if s["field"] == "event"]
    assert cue and "fabricated lies" in cue[0]["text"]


def test_a_denial_is_dated_and_placed_by_what_it_denies() -> None:
    text = ("Artillery fire hit homes in the town of Gharyan on Thursday, wounding six, the mayor said.\n\n"
            "The Southern Brigade denied shelling the town.")
    events = _events(text, "2021-09-10")
    main = _of(events, "main", SHELLING)
    denial = _of(events, "negated", SHELLING)
    assert main and denial, events
    assert denial[0]["claimant"] and "Southern Brigade" in denial[0]["claimant"]
    assert denial[0]["event_date"] == main[0]["event_date"] == "2021-09-09"
    assert denial[0]["location"] == main[0]["location"]


def test_a_bare_negation_gets_no_claimant() -> None:
    text = "Shells hit the outskirts of Zawiya on Friday, residents said. No shelling was reported in the centre."
    events = _events(text, "2021-10-02")
    assert all(e["claimant"] is None for e in events if e["status"] == "negated")
