"""The anchor words searched pattern by pattern behind literal gates find exactly what one
alternation of them all finds (the leftmost match, the first listed pattern at a tie)."""

from __future__ import annotations

import re
from importlib import resources

import yaml

from trucewatch.extract.events.lexicon import lexicon
from trucewatch.extract.events.training import training_rows


def test_gated_anchor_search_equals_one_alternation() -> None:
    raw = yaml.safe_load(resources.files("trucewatch.resources").joinpath("events/subtypes.yaml").read_text("utf-8"))
    joined = re.compile("|".join(f"(?:{p})" for p in raw["anchors"]), re.IGNORECASE)
    anchors = lexicon().anchors
    assert anchors is not None
    texts = [row.text for row in training_rows()] + [
        "Nothing happened here at all.",
        "Солдаты погибли, а дроны ударили по складу.",  # two scripts, two patterns at once
        "Des drones ont frappé; soldiers killed.",
    ]
    found = 0
    for text in texts:
        a, b = joined.search(text), anchors.search(text)
        assert (a and (a.span(), a.group())) == (b and (b.span(), b.group())), text
        found += a is not None
    assert found > len(texts) // 2  # the test reads texts that have anchors, not only ones without
