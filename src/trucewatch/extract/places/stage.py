"""The places stage: every place a document names, resolved against the gazetteer.

Annotations of kind ``entity`` carry the model's PERSON/ORG/NORP spans for the actors
stage, so that a document goes through the model once.

Annotations of kind ``place``, one per mention: the span and ``{name, geonameid,
feature_code, country, admin1, lat, lon, confidence, geo_precision, kind, role,
qualifier, alternatives, located_by}``; ``geonameid`` is None for a place the NER model found
but the gazetteer does not know (kept so a monitor can see it). The stage reads
English with the NER model when it is installed and verified, and every language
through the gazetteer (which indexes Arabic-script names too).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping
from typing import Any

from trucewatch.pipeline.stage import Annotation, DocumentInput, StageOutput
from trucewatch.extract.places.model import Place
from trucewatch.extract.places.tagger import tag_places
from trucewatch.text.entities import ner_result
from trucewatch.text.script import ARTICLES

#: NER labels the places stage passes on as ``entity`` annotations for the actors stage.
ACTOR_LABELS = ("PERSON", "ORG", "NORP")
PLACE_KEYS = ("name", "geonameid", "feature_code", "country", "admin1", "lat", "lon", "confidence",
              "geo_precision", "kind", "role", "qualifier", "qualifier_span", "alternatives", "located_by")


def place_value(place: Place) -> dict[str, Any]:
    return {key: getattr(place, key) for key in PLACE_KEYS}


class PlacesStage:
    """Pipeline stage that stores ``place`` annotations."""

    name = "places"
    version = "6"
    requires: tuple[str, ...] = ()

    def __init__(self) -> None:
        # What the results depend on besides this code: the gazetteer build and whether the
        # NER model is in use. A run without the model (or on an older index) is redone
        # once they change, e.g. after `pip install -r requirements/ner.txt`.
        from trucewatch.extract.places.gazetteer import BUILD_VERSION, fingerprint
        from trucewatch.text.ner import ner_available, uses_tagger

        ner = ("ner" if uses_tagger() else "ner-untagged") if ner_available() else "noner"
        self.version = f"{type(self).version}.g{BUILD_VERSION}-{fingerprint()}.{ner}"

    def preload(self) -> None:
        """The NER model, loaded before the runner forks its workers (they share its pages)."""
        from trucewatch.text.ner import load_ner

        load_ner()

    def process(self, doc: DocumentInput, upstream: Mapping[str, StageOutput]) -> StageOutput:
        ner = ner_result(doc.text, doc.language)
        places = tag_places(doc.text, lang=doc.language, ner=ner)
        annotations = [Annotation("place", p.start, p.end, p.text, place_value(p)) for p in places]
        # the model's people, organisations and groups, kept for the actors stage (one NER pass);
        # not a span we read as a place ("fell ill in Nottingham", which the model calls a person)
        located = sorted((p.start, p.end) for p in places if p.role == "location")
        for start, end, label in (ner.spans if ner is not None else ()):
            if label in ACTOR_LABELS and not _is_place(doc.text, start, end, located):
                annotations.append(Annotation("entity", start, end, doc.text[start:end], {"label": label}))
        return StageOutput(annotations=annotations)

    @staticmethod
    def describe() -> str:
        """One line for status output: whether the NER model is in use, and why not."""
        from trucewatch.text.ner import ner_status

        status = ner_status()
        return f"NER {'on' if status.available else 'off'} ({status.reason})"


#: Words an entity may have beyond a place's span and still be that place ("al-Watiyah").
_ARTICLES = ARTICLES | {"the", "le", "la", "l"}
#: Longest place span looked back over when matching an entity to the places located.
_MAX_PLACE_CHARS = 200


def _is_place(text: str, start: int, end: int, located: list[tuple[int, int]]) -> bool:
    """Whether a model entity is a place we located (``located`` sorted): the same span, or one
    that differs only by an article ("al-Watiyah" for the place "Watiyah air base")."""
    at = bisect_left(located, (start - _MAX_PLACE_CHARS, 0))
    for p_start, p_end in located[at:]:
        if p_start >= end:
            break
        if start < p_end:
            rest = (text[start:p_start] if p_start > start else "") + (text[p_end:end] if end > p_end else "")
            if all(word.casefold() in _ARTICLES for word in re.split(r"[\s\-'’]+", rest) if word):
                return True
    return False
