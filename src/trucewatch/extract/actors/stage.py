"""The actors stage: every actor a document names, resolved against the knowledge base.

Annotations of kind ``actor``, one per mention: the span and ``{actor_id, candidates,
name, inter, kind, label, country}``. ``actor_id`` is None for a name the knowledge
base does not know or cannot decide between (``candidates`` lists the choices): such
mentions are kept so a monitor sees them, never forced onto a known actor. The NER
entities come from the places stage (one pass of the model per document); the
country of generic actors ("police", "civilians") is the one the document's places
point to most.
"""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace
from collections.abc import Mapping
from datetime import date
from typing import Any

from trucewatch.extract.actors.mentions import ActorMention, tag_actors
from trucewatch.pipeline.stage import Annotation, DocumentInput, StageOutput
from trucewatch.resources import resource_digest

ACTOR_KEYS = ("actor_id", "candidates", "name", "inter", "kind", "label", "country", "body", "acled")


def actor_value(m: ActorMention) -> dict[str, Any]:
    value = {key: getattr(m, key) for key in ACTOR_KEYS}
    value["candidates"] = list(m.candidates)
    return value


def without_places(mentions: list[Any], places: list[Any]) -> list[Any]:
    """Drop unknown (NER-only) actors that the gazetteer places: the model often calls a
    town an organisation or a person ("in Ghadames", "Al-Watiya"). Known actors stay."""
    located = [(p.start, p.end) for p in places if getattr(p, "lat", None) is not None]
    names = {p.text for p in places if getattr(p, "lat", None) is not None}
    return [m for m in mentions if getattr(m, "kind", None) != "ner"
            or not (m.text in names or any(s <= m.start and m.end <= e for s, e in located))]


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value and len(value) >= 10 else None
    except ValueError:
        return None


class ActorsStage:
    """Pipeline stage that stores ``actor`` annotations."""

    name = "actors"
    version = "2"  # 2: world states, organisations and office holders; mentions carry body and acled
    requires: tuple[str, ...] = ("places",)

    def __init__(self) -> None:
        # the knowledge base is data users edit (every file of resources/actors, and the
        # demonyms that name a state's forces): a changed file re-tags every document
        self.version = f"{type(self).version}.k{resource_digest('actors', 'places/demonyms.tsv')}"

    def process(self, doc: DocumentInput, upstream: Mapping[str, StageOutput]) -> StageOutput:
        from trucewatch.extract.actors.kb import load_data
        from trucewatch.text.entities import NerResult

        places = upstream["places"].annotations
        entities = [(a.start, a.end, (a.value or {}).get("label", "")) for a in places if a.kind == "entity"]
        countries = Counter((a.value or {}).get("country") for a in places if a.kind == "place")
        countries.pop(None, None)
        country = countries.most_common(1)[0][0] if countries else None
        # Without the model the places stage passes no entities: then only the knowledge
        # base and generic actors are found (the same as --no-ner).
        ner = NerResult(entities, set()) if entities else None
        load_data()  # fail here, loudly, if the knowledge base is broken
        mentions = tag_actors(doc.text, lang=doc.language, use_ner=False, country=country,
                              day=_day(doc.published), nlp_doc=ner, named_countries=frozenset(countries))
        located = [SimpleNamespace(start=a.start, end=a.end, text=a.text, lat=(a.value or {}).get("lat"))
                   for a in places if a.kind == "place"]
        mentions = without_places(mentions, located)
        return StageOutput(annotations=[Annotation("actor", m.start, m.end, m.text, actor_value(m)) for m in mentions])
