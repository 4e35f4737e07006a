"""Our actor resolution set (benchmarks/data/actor_resolution.tsv) stays usable and honest."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from trucewatch.actors.kb import load_actors

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "actor_accuracy.py"


def _bench():
    spec = importlib.util.spec_from_file_location("actor_accuracy", BENCH)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def test_set_is_large_enough_multilingual_and_refers_to_known_actors() -> None:
    bench = _bench()
    items = bench.load_set()
    rows = [(split, lang, exp) for (split, lang, _, _), pairs in items.items() for _, exp in pairs]
    positives = [r for r in rows if r[2] != "-"]
    assert len(positives) >= 200
    assert {lang for _, lang, _ in rows} >= {"en", "fr", "ar", "ru", "es"}
    heldout = [r for r in positives if r[0] == "heldout"]
    assert 0.2 <= len(heldout) / len(positives) <= 0.4
    assert sum(1 for r in rows if r[2] == "-") >= 40  # places and dishes that must stay unresolved
    unknown = {exp for _, _, exp in positives} - set(load_actors())
    assert not unknown


def test_scorer_counts_a_wrong_id_as_a_miss_and_a_resolved_negative_as_an_error() -> None:
    bench = _bench()
    items = {("dev", "en", "2024-01-01", "Moscow said so; talks were held in Ankara."):
             [("Moscow", "turkey"), ("Ankara", "-")]}
    figures = bench.score(items)["figures"]["all"]
    assert figures["gold"] == 1 and figures["tp"] == 0 and figures["pred"] == 1
    assert figures["neg_ok"] == 1
