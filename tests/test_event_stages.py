"""The actors and events stages on their own and through the store."""

from __future__ import annotations

from trucewatch.extract.actors.stage import ACTOR_KEYS, ActorsStage
from trucewatch.extract.events.stage import EventsStage
from trucewatch.extract.sentences import SentenceStage
from trucewatch.pipeline.registry import build_stages
from trucewatch.pipeline.stage import DocumentInput
from trucewatch.extract.places.stage import PlacesStage
from trucewatch.extract.time.stage import TimeStage

TEXT = ("Forces loyal to Khalifa Haftar shelled the Abu Salim district of Tripoli on Tuesday, killing three "
        "civilians, the health ministry said. A commander of the Zintan Lightning Brigade said his men "
        "repelled the attack.")


def test_stage_order_and_dependencies() -> None:
    names = [s.name for s in build_stages(["events"])]
    assert names.index("places") < names.index("actors") < names.index("events")
    assert set(names) == {"sentences", "time", "places", "actors", "events"}


def test_actors_and_events_stages_directly() -> None:
    doc = DocumentInput("d1", TEXT, "en", "2020-04-15", "metadata")
    upstream = {}
    for stage in (SentenceStage(), TimeStage(), PlacesStage()):
        upstream[stage.name] = stage.process(doc, upstream)
    actors = ActorsStage().process(doc, upstream)
    assert actors.annotations and all(a.kind == "actor" for a in actors.annotations)
    for a in actors.annotations:
        assert TEXT[a.start:a.end] == a.text and set(a.value) == set(ACTOR_KEYS)
    lna = [a for a in actors.annotations if a.value["actor_id"] == "ly_lna"]
    assert lna and lna[0].text.startswith("Forces loyal to")
    # a name the knowledge base does not know stays visible, unresolved
    unknown = [a for a in actors.annotations if a.value["actor_id"] is None and a.value["kind"] != "generic"]
    assert all(a.value["candidates"] == [] or len(a.value["candidates"]) > 1 for a in unknown)
    upstream["actors"] = actors
    out = EventsStage().process(doc, upstream)
    shelling = [e for e in out.events if e["sub_event_type"] == "Shelling/artillery/missile attack"]
    assert shelling, out.events
    e = shelling[0]
    assert e["actor1"] == "Libyan National Army" and e["inter1"] == 1
    assert e["event_date"] == "2020-04-14" and e["fatalities"] == 3 and e["status"] == "main"
    assert e["location"] and e["country"] == "Libya"
    assert e["claimant"] and "health ministry" in e["claimant"]


def test_cli_tag_actors_keeps_unknown_names_visible() -> None:
    import json

    from .clitools import run

    line = json.dumps({"id": 7, "text": "Forces loyal to Khalifa Haftar clashed with fighters near Gharyan."})
    proc = run("tag", "actors", "--jsonl", "--no-ner", "-", stdin=line + "\n")
    assert proc.returncode == 0, proc.stderr
    (out,) = [json.loads(x) for x in proc.stdout.splitlines()]
    assert out["id"] == 7
    first = out["actors"][0]
    assert (first["text"], first["actor_id"], first["kind"]) == ("Forces loyal to Khalifa Haftar", "ly_lna", "kb")
    generic = [a for a in out["actors"] if a["kind"] == "generic"]
    assert generic and generic[0]["actor_id"] is None and generic[0]["name"].startswith("Unidentified Armed Group")


def test_stage_versions_follow_the_curated_data() -> None:
    from trucewatch.resources import resource_digest

    # the versions carry a digest of the data they depend on, so an edit redoes the documents
    assert ActorsStage().version == f"2.k{resource_digest('actors', 'places/demonyms.tsv')}"
    assert EventsStage().version.startswith(f"4.l{resource_digest('events/subtypes.yaml', 'events/training')}.")
    assert resource_digest("events/subtypes.yaml") != resource_digest("actors/actors.yaml")
    assert len(ActorsStage().version) <= 32 and len(EventsStage().version) <= 32  # the store's column
