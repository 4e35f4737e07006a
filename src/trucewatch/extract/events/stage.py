"""The events stage: the document's events, built on the sentences, time, places and actors stages.

It stores events in the export schema (with evidence spans per field) rather than
annotations; the runner validates them against the schema before they are kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

from trucewatch.extract.events.extract import extract_from_tags
from trucewatch.pipeline.stage import DocumentInput, StageOutput
from trucewatch.resources import resource_digest
from trucewatch.extract.time.model import Timex


def _timexes(output: StageOutput) -> list[Timex]:
    out = []
    for a in output.annotations:
        if a.kind != "time" or not a.value:
            continue
        v = a.value
        out.append(Timex(a.start, a.end, a.text, v.get("type") or "DATE", v.get("value"), v.get("granularity"),
                         v.get("mod"), v.get("anchor"), freq=v.get("freq"), quant=v.get("quant")))
    return out


def _published(doc: DocumentInput, time_output: StageOutput) -> str | None:
    for a in time_output.annotations:
        if a.kind == "publication_date" and a.value and a.value.get("value"):
            value = str(a.value["value"])
            if len(value) >= 10:
                return value[:10]
    return doc.published


def _objects(output: StageOutput, kind: str) -> list[Any]:
    return [SimpleNamespace(start=a.start, end=a.end, text=a.text, **(a.value or {}))
            for a in output.annotations if a.kind == kind]


class EventsStage:
    """Pipeline stage that stores events (export schema) with their evidence."""

    name = "events"
    version = "4"  # 4: the round of 2026-12-07 (accusations, reference points, names); 3: the third round of
    # 2026-12-06 (dates, status, places); 2: news from the headline, lede
    requires: tuple[str, ...] = ("sentences", "time", "places", "actors")

    def __init__(self) -> None:
        # the lexicon, the training snippets and whether the text model is in use decide
        # the events: a change to any of them redoes every document
        from trucewatch.extract.events.model import model_expected

        digest = resource_digest("events/subtypes.yaml", "events/training")  # the .npz follows the training files
        self.version = f"{type(self).version}.l{digest}.{'e' if model_expected() else 'noe'}"

    def preload(self) -> None:
        """The sentence encoder and the text model, loaded before the runner forks its workers
        (they share the encoder's weights)."""
        from trucewatch.embed.encoder import get_encoder
        from trucewatch.extract.events.model import sentence_model

        get_encoder()
        sentence_model()

    def process(self, doc: DocumentInput, upstream: Mapping[str, StageOutput]) -> StageOutput:
        sentences = [(a.start, a.end) for a in upstream["sentences"].annotations if a.kind == "sentence"]
        events = extract_from_tags(
            doc.text,
            timexes=_timexes(upstream["time"]),
            places=_objects(upstream["places"], "place"),
            actors=_objects(upstream["actors"], "actor"),
            published=_published(doc, upstream["time"]),
            lang=doc.language or "en",
            sentences=sentences,
            doc_id=doc.id,
        )
        return StageOutput(events=events)
