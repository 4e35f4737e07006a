"""The talks vocabulary (resources/ceasefire/talks.yaml) stays consistent with itself and
with the actor knowledge base, and its cues find what our own sentences say."""

from __future__ import annotations

import re

import pytest

from trucewatch.ceasefire.talks_terms import (
    forums,
    forums_in,
    load_talks_terms,
    outcome_types,
    outcomes_in,
    round_numbers_in,
    tracks,
    tracks_in,
)
from trucewatch.extract.actors import ceasefires, load_actors

LANGUAGES = ("en", "ar", "fr", "es", "it", "ru", "tr")
SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")


def test_ids_are_snake_case_and_unique() -> None:
    for section, key in (("tracks", "id"), ("forums", "id"), ("outcomes", "type")):
        ids = [item[key] for item in load_talks_terms()[section]]
        assert ids and len(ids) == len(set(ids)), section
        assert all(SNAKE.match(i) for i in ids), ids


def test_forums_name_known_tracks_and_knowledge_base_ids() -> None:
    actors, processes = load_actors(), ceasefires()
    for forum in forums():
        assert forum.track is None or forum.track in tracks(), forum.id
        assert forum.kb_actor is None or forum.kb_actor in actors, forum.id
        assert forum.kb_process is None or forum.kb_process in processes, forum.id
        assert forum.kb_actor or forum.kb_process, f"{forum.id} is tied to nothing in the knowledge base"
        assert forum.country and re.match(r"^[A-Z]{2}$", forum.country), forum.id
        if forum.kb_process:
            assert processes[forum.kb_process].region == forum.country, forum.id


def test_every_forum_has_cues_in_every_language_and_no_cue_is_shared() -> None:
    owner: dict[str, str] = {}
    for forum in forums():
        for language in LANGUAGES:
            assert forum.cues.get(language), f"{forum.id} has no {language} cue"
        for cue in forum.all_cues():
            assert cue == cue.lower() and cue == cue.strip(), cue
            assert owner.setdefault(cue, forum.id) == forum.id, f"{cue!r} is in {owner[cue]} and {forum.id}"


def test_every_name_the_knowledge_base_gives_a_forum_finds_that_forum() -> None:
    actors = load_actors()
    for forum in forums():
        if not forum.kb_actor:
            continue
        for name in actors[forum.kb_actor].aliases():
            found = forums_in(f"Officers met as the {name} this week.")
            assert [m.label for m in found][:1] == [forum.id], name


def test_track_and_outcome_cues_and_ordinals_are_complete() -> None:
    terms = load_talks_terms()
    for track in terms["tracks"]:
        assert track["cues"], track["id"]
    for outcome in terms["outcomes"]:
        assert outcome["cues"] and outcome["description"], outcome["type"]
    ordinals = terms["ordinals"]
    assert set(LANGUAGES) <= set(ordinals)
    for language, spec in ordinals.items():
        assert len(spec["words"]) == 10, language
        assert spec["templates"] and all("{o}" in t or "{d}" in t for t in spec["templates"]), language


@pytest.mark.parametrize(("text", "forum"), [
    ("The 5+5 Joint Military Commission met again on Tuesday.", "jmc_5plus5"),
    ("اجتمعت اللجنة العسكرية المشتركة في جنيف", "jmc_5plus5"),
    ("La commission militaire conjointe s'est réunie mardi.", "jmc_5plus5"),
    ("La comisión militar conjunta se reunió el martes.", "jmc_5plus5"),
    ("La commissione militare congiunta si è riunita martedì.", "jmc_5plus5"),
    ("Объединенная военная комиссия собралась во вторник.", "jmc_5plus5"),
    ("Ortak askeri komisyon salı günü toplandı.", "jmc_5plus5"),
    ("Ministers gathered for a follow-up to the Berlin process.", "berlin_process"),
    ("Участники Берлинской конференции обещали соблюдать эмбарго.", "berlin_process"),
    ("The Libyan Political Dialogue Forum chose an interim executive.", "lpdf"),
])
def test_forum_cues_find_the_forum(text: str, forum: str) -> None:
    assert [m.label for m in forums_in(text)] == [forum]


@pytest.mark.parametrize(("text", "number"), [
    ("The second round of talks ended on Sunday.", "2"),
    ("They sat down for round 3 in Geneva.", "3"),
    ("انتهت الجولة الثانية من المحادثات", "2"),
    ("La troisième session de pourparlers s'ouvre lundi.", "3"),
    ("La segunda ronda terminó el domingo.", "2"),
    ("Il quarto round si è chiuso domenica.", "4"),
    ("Второй раунд переговоров завершился.", "2"),
    ("Görüşmelerin ikinci turu pazar günü sona erdi.", "2"),
    ("The first session inside Libya took place in Ghadames.", None),  # a first time, not a round number
    ("No date has been set for the next round.", None),
])
def test_round_numbers(text: str, number: str | None) -> None:
    found = {m.label for m in round_numbers_in(text)}
    assert found == ({number} if number else set())


def test_outcomes_and_tracks() -> None:
    text = "The round ended with a draft text, which was referred to the leaders of both sides."
    assert [m.label for m in outcomes_in(text)] == ["deferred", "draft"]
    assert [m.label for m in outcomes_in("Les délégations ont signé un accord.")] == ["agreed"]
    assert outcomes_in("The officers discussed the front line.") == []
    assert set(outcome_types()) == {"deferred", "suspended", "draft", "agreed"}
    assert [m.label for m in tracks_in("the economic track and the political dialogue")] == ["economic", "political"]
