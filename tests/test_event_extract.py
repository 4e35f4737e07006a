"""Event extraction on short reports we wrote: fields, evidence, status, merging, the gate."""

from __future__ import annotations

import json
from typing import Any

import pytest

from trucewatch.extract.events.extract import extract_events
from trucewatch.extract.events.status import trigger_status
from trucewatch.export.schema import validate_event

from .clitools import run


def _events(text: str, published: str = "2020-05-13") -> list[dict[str, Any]]:
    result = extract_events(text, published=published, lang="en")
    for event in result.events:
        assert validate_event(event) == [], event
        for span in event["evidence"]:  # every field keeps the span that says it
            assert text[span["start"]:span["end"]] == span["text"], span
    return result.events


def _fields(event: dict[str, Any]) -> set[str]:
    return {s["field"] for s in event["evidence"]}


def test_shelling_report_gives_every_field_with_evidence() -> None:
    text = ("Rebel fighters shelled the town of Gharyan on Tuesday, killing at least four civilians and "
            "wounding 12, according to the local hospital.")
    (event,) = _events(text)
    assert event["sub_event_type"] == "Shelling/artillery/missile attack"
    assert event["event_type"] == "Explosions/Remote violence"
    assert event["status"] == "main"
    assert event["event_date"] == "2020-05-12" and event["time_precision"] == 1
    assert event["location"] == "Gharyan" and event["country"] == "Libya" and event["geo_precision"] == 1
    assert (event["fatalities_low"], event["fatalities"], event["fatalities_high"]) == (4, 4, None)
    assert event["injured"] == 12
    assert event["claimant"] == "the local hospital"
    assert event["actor2"] == "Civilians (Libya)"
    assert {"event", "sentence", "event_date", "location", "fatalities", "injured", "claimant"} <= _fields(event)
    assert 0 < event["confidence"] <= 0.95


def test_range_of_deaths_keeps_its_uncertainty() -> None:
    (event,) = _events("Between 5 and 7 soldiers were killed when a roadside bomb hit their convoy near Sirte on Monday.")
    assert event["sub_event_type"] == "Remote explosive/landmine/IED"
    assert (event["fatalities_low"], event["fatalities"], event["fatalities_high"]) == (5, 5, 7)


def test_event_place_is_not_the_place_in_an_actor_name() -> None:
    text = "The Tripoli-based government said its forces repelled an attack near Ain Zara on Sunday."
    events = _events(text, "2020-04-13")
    assert events and events[0]["location"] == "Ain Zara"


def test_unrelated_news_gives_no_event() -> None:
    assert _events("The central bank raised interest rates on Monday. The football club signed a striker "
                   "after long talks with his agent.") == []
    assert _events("") == []


def test_background_planned_and_negated() -> None:
    text = ("Government and rebel delegations began talks in Geneva on Monday. "
            "The two sides had agreed a truce on January 12, but it was violated repeatedly. "
            "A second round is due to start next week. "
            "The army denied that its aircraft bombed the market.")
    events = _events(text, "2020-02-04")
    by_type = {(e["process_type"] or e["sub_event_type"], e["status"]) for e in events}
    assert ("talks", "main") in by_type
    assert ("ceasefire", "background") in by_type
    assert ("violation_alleged", "background") in by_type
    assert ("talks", "planned") in by_type
    main = [e for e in events if e["status"] == "main"]
    assert [e["event_date"] for e in main] == ["2020-02-03"]
    assert main[0]["location"] == "Geneva"


@pytest.mark.parametrize("before,status", [
    ("the army did not ", "negated"),
    ("talks are due to ", "planned"),
    ("with the aim of reaching a ", "hypothetical"),
    ("after ten months of ", "background"),
    ("the militia had ", "background"),
    ("the army said it had ", "main"),
    ("yesterday the army ", "main"),
])
def test_trigger_status(before: str, status: str) -> None:
    sentence = before + "shelled the town"
    start = len(before)
    assert trigger_status(sentence, start, start + len("shelled")) == status


def test_mentions_of_one_happening_are_merged_across_sentences() -> None:
    text = ("Ceasefire talks between the two delegations opened in Geneva on Monday under UN auspices. "
            "The talks are being held behind closed doors, a UN spokesman said.")
    events = _events(text, "2020-02-04")
    talks = [e for e in events if e["process_type"] == "talks"]
    assert len(talks) == 1
    sentences = {s["start"] for s in talks[0]["evidence"] if s["field"] == "sentence"}
    assert len(sentences) == 2


def test_two_events_in_one_sentence() -> None:
    text = ("The parties agreed a ceasefire on January 12, but the truce was violated within hours "
            "amid mutual accusations.")
    kinds = {e["process_type"] for e in _events(text, "2020-02-04")}
    assert {"ceasefire", "violation_alleged"} <= kinds


def test_protest_is_coded_with_acled_conventions() -> None:
    (event,) = _events("Hundreds of nurses went on strike in Misrata on Sunday to demand unpaid wages.", "2020-05-11")
    assert event["sub_event_type"] == "Peaceful protest"
    assert event["actor1"] == "Protesters (Libya)" and event["inter1"] == 6


def test_cli_extract_jsonl() -> None:
    lines = "\n".join([
        json.dumps({"id": "r1", "text": "Warplanes bombed the airport in Misrata on Friday, killing two guards.",
                    "published": "2020-05-09"}),
        "[1, 2]",
        json.dumps({"id": "r2", "text": "The orchestra gave a concert in the park."}),
    ]) + "\n"
    proc = run("extract", "--jsonl", "-", stdin=lines)
    assert proc.returncode == 1 and "2" in proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o["id"] for o in out] == ["r1", "r2"]
    assert out[0]["published"] == "2020-05-09"
    (event,) = out[0]["events"]
    assert event["sub_event_type"] == "Air/drone strike" and event["event_date"] == "2020-05-08"
    assert event["fatalities"] == 2 and event["location"].startswith("Misrat")
    assert out[1]["events"] == []


def test_claimant_span_and_weekend_date() -> None:
    (event,) = _events("Militants attacked a village and killed 5 people, according to  local officials.")
    assert event["claimant"] == "local officials"  # _events checks every span against the text
    (clash,) = _events("Clashes erupted in Tripoli last weekend between rival militias.", "2020-05-13")
    assert (clash["event_date"], clash["date_end"], clash["time_precision"]) == ("2020-05-09", "2020-05-10", 2)


def test_a_list_of_truces_is_not_a_list_of_events() -> None:
    text = "The " + " ".join(["ceasefire"] * 200) + " held."
    events = _events(text, "2020-05-13")
    assert len(events) <= 1


def test_place_name_before_a_verb_is_not_the_claimant() -> None:
    text = ("Residents of southern Tripoli reported heavy shelling overnight that killed three people.")
    events = _events(text, "2020-05-13")
    assert events and all(e["claimant"] != "Tripoli" for e in events)


def test_a_protest_met_with_force_is_one_event() -> None:
    text = ("Hundreds of students protested against fee rises in Zawiya on Tuesday. "
            "Soldiers fired on the protesters, killing two and wounding several others.")
    events = _events(text, "2020-05-13")
    protest = [e for e in events if e["event_type"] == "Protests"]
    assert [e["sub_event_type"] for e in protest] == ["Excessive force against protesters"]
    assert protest[0]["event_date"] == "2020-05-12" and protest[0]["fatalities"] == 2
    assert len({s["start"] for s in protest[0]["evidence"] if s["field"] == "sentence"}) == 2
