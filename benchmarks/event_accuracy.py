"""Event classification and extraction: CASE 2021 snippets, ACLED 2016 notes, seeds, speed.

Issue 5. Reads only from ``<repo>/../shared`` (nothing is copied into the repository);
when ``../shared/dev-data`` is absent the script says so and exits 0. Each part that
needs something missing (a data file, a library function not written yet) says why it
is skipped and the others go on. ``--part`` picks the parts (``a``, ``a,c``, ...;
default all four).

Part (a) - sub-event classification on ``dev-data/event-types/case2021-dev.tsv``
---------------------------------------------------------------------------------
406 snippets, each with one gold label: one of the 25 ACLED sub-event codes
(``trucewatch.extract.events.lexicon.ACLED_CODES``) or one of five non-ACLED labels
(ORG_CRIME, NATURAL_DISASTER, MAN_MADE_DISASTER, DIPLO, ATTRIB), which all count as
NONE ("no ACLED event"). The prediction is ``classify(text).code`` from
``trucewatch.extract.events.classify``, mapped to NONE unless it is one of the 25 ACLED codes.
From the 26 x 26 confusion matrix (gold rows, predicted columns, NONE included):

* per class (the 25 ACLED codes): TP = gold c and predicted c; FP = predicted c with
  any other gold, NONE included; FN = gold c with any other prediction, NONE included.
  P = TP / (TP + FP), R = TP / (TP + FN), F1 their harmonic mean (0 when undefined);
  support = gold snippets of the class; "pred" = snippets predicted as the class;
* weighted F1: the per-class F1 averaged with the classes' gold support as weights
  (the CASE 2021 headline figure); macro F1: the plain mean over the 25 classes;
  micro P/R/F1: TP, FP and FN summed over the 25 classes (NONE is not a class, so a
  NONE-NONE agreement earns nothing and a NONE-for-ACLED miss costs recall only);
* accuracy: share of all snippets (NONE gold included) whose prediction equals the gold;
* NONE-gold breakdown: how the 5 non-ACLED labels were predicted (NONE, an ACLED class,
  and how often our non-ACLED code is the very gold label);
* the confusion matrix, printed with three-letter column abbreviations (legend printed
  with it; "." is zero), and the 10 most frequent (gold, predicted) confusions;
* speed: snippets/second of the ``classify`` calls over all snippets, ``--runs`` timed
  passes after one untimed warm-up call (lexicon loading); median (min-max). Scores
  come from the first timed pass.

``--errors N`` prints the first N misclassified snippets (id, gold, predicted, the first
160 characters).

Part (b) - extraction on ACLED 2016 notes (``dev-data/acled-notes-2016/acled.csv``)
-----------------------------------------------------------------------------------
Every row's ``notes`` goes through ``trucewatch.extract.events.extract.extract_events(notes,
published=event_date, lang="en", doc_id=str(row_index))`` (row_index: 0-based position
in the file). The compared event is the first with status "main", else the first event,
else none (a miss). Figures, over all rows unless said otherwise:

* coverage: rows with an event;
* event type: our ``sub_event_type`` (the 25 current ACLED names) mapped to ACLED's
  2016 event types with ``SUB_TO_2016`` below; when the event has no (known) sub-event
  type, its current ``event_type`` is mapped with ``TYPE_TO_2016`` (counted as
  "fallbacks"; Battles becomes "Battle-No change of territory"). Gold and predicted
  names are compared after case, spacing and hyphen/slash spacing are normalised.
  Printed as accuracy over all rows and over covered rows, plus per gold type;
* actor1 agreement: ours and the gold agree when both normalise to the same key
  (lowercase, parenthesised years such as "(2012-)" or "(2014-2016)" dropped,
  ``trucewatch.extract.actors.kb.alias_key``) or both resolve through ``kb.lookup`` to a common
  actor id; an empty gold agrees only with an empty ours; a miss has empty actors;
* actor2 agreement, the same rule, over all rows (an empty gold actor2 then requires
  our actor2 to be empty too) and over the rows with a gold actor2 only;
* location: haversine distance from our point to the gold latitude/longitude; share
  within 50 km over all rows (no point = wrong) and over rows where we gave a point,
  with the median error of those;
* fatalities exact: our ``fatalities`` (None = 0; a miss = 0) equals the gold figure;
  over all rows and over covered rows;
* speed: documents/second of one timed pass over all rows, after an untimed warm-up
  call; calls that raise count as misses and are reported.

With ``--errors N`` the first N rows with a wrong event type are printed too.

Part (c) - key facts of the seed articles (``../shared/seeds``)
---------------------------------------------------------------
``trucewatch.extract.events.seedfacts.check_seeds(seeds_dir)`` (skipped when not importable or
the folder is absent) returns ``{"seed", "fact", "found", "detail"}`` dicts; rows with
fact "spurious" (found: within the limit of two, detail "N spurious") counts events that match no fact.
Printed as a table with the number of facts found and spurious events per seed.

Part (d) - end-to-end documents/second
---------------------------------------
``extract_events`` over all ACLED notes (as in part b) and over the bundled demo corpus
(``src/trucewatch/resources/demo``: the text, html and batch parts that ``trucewatch
demo`` ingests, read and cleaned as ``trucewatch ingest`` does with
``readers.iter_inputs`` + ``ingest.prepare``, content duplicates once; published date and
language as ingest records them). The NER model is loaded first when
``trucewatch.text.ner.ner_available()``; then one untimed warm-up pass over every corpus
(model, resource and per-language grammar loading is not a per-document cost). Then, per
corpus, ``--runs`` timed passes of two kinds:

* "new" (the headline): the caches keyed by sentence text (lexicon scores, sentence
  vectors) are emptied before each pass, so each pass pays what new documents do,
  embedding step included;
* "repeat": those caches are left full, so the pass re-reads documents whose sentences'
  scores and vectors are already known. Not a real workload (news does not repeat whole
  documents); shown because it is what this part timed before the split.

For each: documents/second from wall time, median (min-max); documents/second from the
process's CPU time (median; steadier on a shared machine); characters/second; events per
document. Before the timed passes, one pass with timers around the sentence encoder and
the classifier gives the embedding step's own cost (ms/document, sentences embedded per
document). Peak RSS (``ru_maxrss``, whole process, MB) is printed at the end of part d and
of the script.

How to run
----------
Figures are single-process; pin to one core for comparable speeds:

    taskset -c 1 .venv/bin/python benchmarks/event_accuracy.py --runs 3
    .venv/bin/python benchmarks/event_accuracy.py --runs 1 --part a --errors 20
    .venv/bin/python benchmarks/event_accuracy.py --part b,d --json events.json
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import resource
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO / ".." / "shared").resolve()
DATA = SHARED / "dev-data"
CASE_TSV = DATA / "event-types" / "case2021-dev.tsv"
ACLED_CSV = DATA / "acled-notes-2016" / "acled.csv"
SEEDS = SHARED / "seeds"
DEFAULT_DEMO = REPO / "src" / "trucewatch" / "resources" / "demo"
DEMO_PARTS = ("text", "html", "batch")  # what `trucewatch demo` ingests (not the README)
PARTS = ("a", "b", "c", "d")
NONE = "NONE"
NEAR_KM = 50.0

# Three-letter abbreviations for the confusion matrix columns.
ABBREV: dict[str, str] = {
    "ARMED_CLASH": "CLA", "GOV_REGAINS_TERIT": "GOV", "NON_STATE_ACTOR_OVERTAKES_TER": "NSA",
    "CHEM_WEAP": "CHM", "AIR_STRIKE": "AIR", "SUIC_BOMB": "SUI", "ART_MISS_ATTACK": "ART",
    "REM_EXPLOS": "IED", "GRENADE": "GRN", "SEX_VIOL": "SEX", "ATTACK": "ATK", "ABDUCT_DISSAP": "ABD",
    "PEACE_PROTEST": "PPR", "PROTEST_WITH_INTER": "PWI", "FORCE_AGAINST_PROTEST": "FAP",
    "VIOL_DEMONSTR": "VDM", "MOB_VIOL": "MOB", "AGREEMENT": "AGR", "ARREST": "ARR",
    "CHANGE_TO_GROUP_ACT": "CHG", "DISR_WEAP": "DWU", "HQ_ESTABLISHED": "HQE",
    "PROPERTY_DISTRUCT": "PRP", "NON_VIOL_TERRIT_TRANSFER": "NVT", "OTHER": "OTH", NONE: "NON",
}

# ACLED's 2016 event types, the gold of part (b).
TYPES_2016: tuple[str, ...] = (
    "Battle-No change of territory", "Battle-Government regains territory",
    "Battle-Non-state actor overtakes territory", "Remote violence", "Violence against civilians",
    "Riots/Protests", "Strategic development", "Headquarters or base established",
    "Non-violent transfer of territory",
)
# The 25 current ACLED sub-event types -> the 2016 event type they would have had.
SUB_TO_2016: dict[str, str] = {
    "Armed clash": "Battle-No change of territory",
    "Government regains territory": "Battle-Government regains territory",
    "Non-state actor overtakes territory": "Battle-Non-state actor overtakes territory",
    "Air/drone strike": "Remote violence",
    "Shelling/artillery/missile attack": "Remote violence",
    "Remote explosive/landmine/IED": "Remote violence",
    "Grenade": "Remote violence",
    "Suicide bomb": "Remote violence",
    "Chemical weapon": "Remote violence",
    "Attack": "Violence against civilians",
    "Abduction/forced disappearance": "Violence against civilians",
    "Sexual violence": "Violence against civilians",
    "Peaceful protest": "Riots/Protests",
    "Protest with intervention": "Riots/Protests",
    "Excessive force against protesters": "Riots/Protests",
    "Violent demonstration": "Riots/Protests",
    "Mob violence": "Riots/Protests",
    "Headquarters or base established": "Headquarters or base established",
    "Non-violent transfer of territory": "Non-violent transfer of territory",
    "Agreement": "Strategic development",
    "Arrests": "Strategic development",
    "Change to group/activity": "Strategic development",
    "Disrupted weapons use": "Strategic development",
    "Looting/property destruction": "Strategic development",
    "Other": "Strategic development",
}
# Fallback when an event carries a current event type but no known sub-event type.
TYPE_TO_2016: dict[str, str] = {
    "Battles": "Battle-No change of territory",
    "Explosions/Remote violence": "Remote violence",
    "Violence against civilians": "Violence against civilians",
    "Protests": "Riots/Protests",
    "Riots": "Riots/Protests",
    "Strategic developments": "Strategic development",
}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def speed_summary(count: int, seconds: list[float], chars: int | None = None) -> dict[str, Any]:
    rates = [count / s if s > 0 else float("inf") for s in seconds]
    out: dict[str, Any] = {"items": count, "runs": len(seconds), "per_s_median": statistics.median(rates),
                           "per_s_min": min(rates), "per_s_max": max(rates), "seconds": seconds}
    if chars is not None:
        out["chars_per_s_median"] = chars / statistics.median(seconds) if statistics.median(seconds) > 0 else None
    return out


def speed_text(s: dict[str, Any], unit: str) -> str:
    return f"{s['per_s_median']:.1f} {unit}/s (min {s['per_s_min']:.1f}, max {s['per_s_max']:.1f}; {s['runs']} run(s))"


# --------------------------------------------------------------------------------------
# Part (a): sub-event classification, CASE 2021
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snippet:
    id: str
    text: str
    label: str  # as in the file (ACLED or non-ACLED code)
    gold: str  # an ACLED code or NONE


def load_case(path: Path, acled: Iterable[str]) -> list[Snippet]:
    codes = set(acled)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [Snippet(r["id"], r["EventSnippet"], r["SubType"].strip(),
                    r["SubType"].strip() if r["SubType"].strip() in codes else NONE) for r in rows]


def class_scores(matrix: dict[str, Counter[str]], codes: tuple[str, ...], labels: list[str]) -> dict[str, Any]:
    """Per-class P/R/F1 over the ACLED codes, and weighted, macro and micro averages."""
    per: dict[str, dict[str, float]] = {}
    tps = fps = fns = 0
    for c in codes:
        tp = matrix[c][c]
        fp = sum(matrix[g][c] for g in labels if g != c)
        fn = sum(matrix[c][p] for p in labels if p != c)
        p, r = ratio(tp, tp + fp), ratio(tp, tp + fn)
        per[c] = {"precision": p, "recall": r, "f1": ratio(2 * p * r, p + r), "support": tp + fn,
                  "predicted": tp + fp, "tp": tp, "fp": fp, "fn": fn}
        tps, fps, fns = tps + tp, fps + fp, fns + fn
    support = sum(v["support"] for v in per.values())
    micro_p, micro_r = ratio(tps, tps + fps), ratio(tps, tps + fns)
    return {
        "per_class": per,
        "weighted_f1": ratio(sum(v["f1"] * v["support"] for v in per.values()), support),
        "macro_f1": statistics.fmean(v["f1"] for v in per.values()),
        "macro_precision": statistics.fmean(v["precision"] for v in per.values()),
        "macro_recall": statistics.fmean(v["recall"] for v in per.values()),
        "micro": {"precision": micro_p, "recall": micro_r, "f1": ratio(2 * micro_p * micro_r, micro_p + micro_r)},
        "acled_support": support,
    }


def part_a(args: argparse.Namespace, report: dict[str, Any]) -> None:
    print("===== (a) sub-event classification: CASE 2021 dev =====")
    if not CASE_TSV.exists():
        print(f"skipped: {CASE_TSV} is not there")
        report["classification"] = {"error": f"not found: {CASE_TSV}"}
        return
    from trucewatch.extract.events.classify import classify
    from trucewatch.extract.events.lexicon import ACLED_CODES

    codes: tuple[str, ...] = tuple(ACLED_CODES)
    snippets = load_case(CASE_TSV, codes)
    labels = [*codes, NONE]
    classify("Warm-up: troops clashed with rebels near the town.")  # loads and compiles the lexicon
    raw: list[str | None] = []
    seconds: list[float] = []
    from trucewatch.extract.events.classify import clear_caches

    for run in range(args.runs):
        clear_caches()  # every pass pays for its lexicon scores and sentence vectors
        t0 = time.perf_counter()
        out = [classify(s.text).code for s in snippets]
        seconds.append(time.perf_counter() - t0)
        if run == 0:
            raw = out
    predicted = [c if c in codes else NONE for c in raw]

    matrix: dict[str, Counter[str]] = {g: Counter() for g in labels}
    for s, p in zip(snippets, predicted):
        matrix[s.gold][p] += 1
    scores = class_scores(matrix, codes, labels)
    correct = sum(s.gold == p for s, p in zip(snippets, predicted))
    accuracy = ratio(correct, len(snippets))
    speed = speed_summary(len(snippets), seconds, sum(len(s.text) for s in snippets))

    none_gold = [(s, r, p) for s, r, p in zip(snippets, raw, predicted) if s.gold == NONE]
    none_breakdown = {
        "snippets": len(none_gold),
        "labels": dict(Counter(s.label for s, _, _ in none_gold).most_common()),
        "predicted_none": sum(p == NONE for _, _, p in none_gold),
        "predicted_acled": sum(p != NONE for _, _, p in none_gold),
        "same_non_acled_code": sum(r == s.label for s, r, _ in none_gold),
    }
    pairs = Counter((s.gold, p) for s, p in zip(snippets, predicted) if s.gold != p)

    print(f"{len(snippets)} snippets: {len(snippets) - len(none_gold)} with an ACLED label "
          f"({len({s.gold for s in snippets} - {NONE})} of {len(codes)} classes present), "
          f"{len(none_gold)} non-ACLED (NONE)")
    print(f"\n{'class':<30} {'abbr':>4} {'P':>6} {'R':>6} {'F1':>6} {'sup':>4} {'pred':>4}")
    for c in codes:
        v = scores["per_class"][c]
        print(f"{c:<30} {ABBREV[c]:>4} {v['precision']:6.3f} {v['recall']:6.3f} {v['f1']:6.3f} "
              f"{v['support']:4d} {v['predicted']:4d}")
    none_pred = sum(matrix[g][NONE] for g in labels)
    print(f"{'NONE (not a scored class)':<30} {'NON':>4} {'':>6} {'':>6} {'':>6} {len(none_gold):4d} {none_pred:4d}")
    m = scores["micro"]
    print(f"\nweighted F1 {scores['weighted_f1']:.3f}   macro F1 {scores['macro_f1']:.3f} "
          f"(macro P {scores['macro_precision']:.3f}, R {scores['macro_recall']:.3f})   "
          f"micro P/R/F1 {m['precision']:.3f}/{m['recall']:.3f}/{m['f1']:.3f}   "
          f"accuracy {accuracy:.3f} ({correct}/{len(snippets)}, NONE included)")
    nb = none_breakdown
    print(f"NONE gold ({', '.join(f'{k} {v}' for k, v in nb['labels'].items())}): predicted NONE "
          f"{nb['predicted_none']}, an ACLED class {nb['predicted_acled']}; our non-ACLED code is the gold "
          f"label in {nb['same_non_acled_code']}")

    print("\nconfusion matrix (rows gold, columns predicted; '.' = 0)")
    legend = [f"{ABBREV[c]}={c}" for c in labels]
    for i in range(0, len(legend), 6):
        print("  " + "  ".join(legend[i:i + 6]))
    print(f"{'':4}" + "".join(f"{ABBREV[c]:>4}" for c in labels) + f"{'n':>5}")
    for g in labels:
        cells = "".join(f"{matrix[g][p] or '.':>4}" for p in labels)
        print(f"{ABBREV[g]:<4}{cells}{sum(matrix[g].values()):>5}")
    print(f"{'sum':<4}" + "".join(f"{sum(matrix[g][p] for g in labels):>4}" for p in labels) + f"{len(snippets):>5}")

    print("\nmost frequent confusions (gold -> predicted):")
    for (g, p), n in pairs.most_common(10):
        print(f"  {n:3d}  {g} -> {p}")
    print(f"\nspeed: {speed_text(speed, 'snippets')}, {speed['chars_per_s_median']:,.0f} chars/s")
    cv = fusion_cross_validation(snippets, codes, predicted)
    if cv is not None:
        print(f"\nclassifier: {cv['status']}")
        print(f"weighted F1 with the shipped fusion values {cv['shipped']}: {cv['shipped_f1']:.3f} "
              f"(these values were chosen on all of case2021-dev)")
        print(f"5-fold cross-validated weighted F1: {cv['cv_f1']:.3f} (each fold scored with the grid point "
              f"chosen on the other four; {len(cv['grid'])} grid points; chosen per fold: {cv['chosen']})")
        print(f"the model alone (no lexicon): weighted F1 {cv['model_only_f1']:.3f}; best grid point on all "
              f"snippets: {cv['best_on_all']}")

    errors = [(s, r) for s, r, p in zip(snippets, raw, predicted) if s.gold != p]
    if args.errors:
        print(f"\nfirst {min(args.errors, len(errors))} of {len(errors)} misclassified snippets "
              "(id, gold [file label], predicted [our code]):")
        for s, r in errors[:args.errors]:
            text = " ".join(s.text.split())[:160]
            gold = s.gold if s.gold == s.label else f"{s.gold} [{s.label}]"
            pred = NONE if r is None else (r if r in codes else f"{NONE} [{r}]")
            print(f"  {s.id:>5} {gold} -> {pred}: {text}")

    report["classification"] = {
        "cross_validation": cv,
        "data": str(CASE_TSV), "snippets": len(snippets), "accuracy": accuracy, "correct": correct,
        **scores, "none_gold": none_breakdown,
        "confusion": {"labels": labels, "abbreviations": {c: ABBREV[c] for c in labels},
                      "matrix": [[matrix[g][p] for p in labels] for g in labels]},
        "top_confusions": [{"gold": g, "predicted": p, "count": n} for (g, p), n in pairs.most_common(10)],
        "speed_snippets": speed,
        "errors": [{"id": s.id, "gold": s.gold, "label": s.label, "predicted": r} for s, r in errors],
    }


def weighted_f1(golds: list[str], preds: list[str], codes: tuple[str, ...]) -> float:
    matrix: dict[str, Counter[str]] = defaultdict(Counter)
    for g, p in zip(golds, preds):
        matrix[g][p] += 1
    return class_scores(matrix, codes, [*codes, NONE])["weighted_f1"]


def fusion_cross_validation(snippets: list[Snippet], codes: tuple[str, ...],
                            shipped_predictions: list[str]) -> dict[str, Any] | None:
    """5-fold cross-validation of the fusion values (lexicon weight, NONE prior, minimum
    model probability without a cue), the only choices made on case2021-dev.

    Snippets go to folds by a seeded shuffle; for each fold the grid point with the best
    weighted F1 on the other four folds labels it. None when the embedding model is off.
    """
    import random

    from trucewatch.extract.events.classify import FUSION, FUSION_GRID, fuse, score_text
    from trucewatch.extract.events.lexicon import lexicon
    from trucewatch.extract.events.model import model_status, probabilities

    lex = lexicon()
    rows = []
    for s in snippets:
        probs = probabilities(s.text)
        if probs is None:
            print(f"\nno cross-validation: the embedding model is off ({model_status()})")
            return None
        rows.append((score_text(s.text, lex)[0], probs))
    golds = [s.gold for s in snippets]

    def verdicts(fusion: Any) -> list[str]:
        out = []
        for scores, probs in rows:
            best, _ = fuse(probs, scores, lex, fusion)
            out.append(best if best in codes else NONE)
        return out

    by_point = {f: verdicts(f) for f in FUSION_GRID}
    if by_point[FUSION] != shipped_predictions:
        print("WARNING: the fusion replayed here disagrees with classify(); the CV figure may be off")
    order = list(range(len(snippets)))
    random.Random(15).shuffle(order)
    fold_of = {i: k % 5 for k, i in enumerate(order)}
    cv_pred = [NONE] * len(snippets)
    chosen = []
    for fold in range(5):
        train = [i for i in range(len(snippets)) if fold_of[i] != fold]
        # ties go to the more cautious point (a higher minimum probability, then NONE prior)
        best = max(FUSION_GRID, key=lambda f: (weighted_f1([golds[i] for i in train],
                                                           [by_point[f][i] for i in train], codes),
                                               f.min_probability, f.none_prior))
        chosen.append(f"w={best.lexicon_weight:g}/p={best.none_prior:g}/m={best.min_probability:g}")
        for i in range(len(snippets)):
            if fold_of[i] == fold:
                cv_pred[i] = by_point[best][i]
    model_only = [max(probs, key=lambda c: probs[c]) for _, probs in rows]
    return {
        "status": model_status(),
        "shipped": f"w={FUSION.lexicon_weight:g}/p={FUSION.none_prior:g}/m={FUSION.min_probability:g}",
        "shipped_f1": weighted_f1(golds, by_point[FUSION], codes),
        "cv_f1": weighted_f1(golds, cv_pred, codes),
        "chosen": chosen,
        "grid": [f"w={f.lexicon_weight:g}/p={f.none_prior:g}/m={f.min_probability:g}" for f in FUSION_GRID],
        "best_on_all": repr(max(FUSION_GRID, key=lambda f: (weighted_f1(golds, by_point[f], codes),
                                                            f.min_probability, f.none_prior))),
        "model_only_f1": weighted_f1(golds, [c if c in codes else NONE for c in model_only], codes),
    }


# --------------------------------------------------------------------------------------
# Part (a2): our own snippet sets
# --------------------------------------------------------------------------------------

OURS = REPO / "benchmarks" / "data"


def part_a2(args: argparse.Namespace, report: dict[str, Any]) -> None:
    """Weighted F1 on snippet sets we wrote ourselves (``benchmarks/data/*.tsv``: label, text).

    Each set was written without sight of the lexicon or of the dev data. Sets in
    ``benchmarks/data`` are held out (nothing was learned from them); those named
    ``never_tuned_*`` were also never used to choose anything (no setting, weight or
    design was compared on them), one per language (``_en``, ``_ar``, ... suffix);
    ``dev_snippets_*`` are not trained on, but choices were made on them (see their README). The
    training sets in ``resources/events/training`` are scored too, as a check that the
    lexicon and the model still fit what they learned from.
    """
    from trucewatch.extract.events.classify import classify
    from trucewatch.extract.events.lexicon import ACLED_CODES

    print("===== (a2) sub-event classification: our own snippet sets =====")
    training = REPO / "src" / "trucewatch" / "resources" / "events" / "training"
    # the event snippet sets only (other benchmarks keep their own files in this folder)
    files = sorted([*OURS.glob("heldout_snippets_*.tsv"), *OURS.glob("never_tuned_*.tsv"), *OURS.glob("dev_snippets_*.tsv")]) \
        + sorted(training.glob("*.tsv"))
    if not files:
        print(f"skipped: no snippet sets in {OURS}")
        return
    codes = tuple(ACLED_CODES)
    labels = [*codes, NONE]
    results = {}
    for path in files:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
        matrix: dict[str, Counter[str]] = defaultdict(Counter)
        for row in rows:
            gold = row["label"].strip() if row["label"].strip() in codes else NONE
            code = classify(row["text"]).code
            matrix[gold][code if code in codes else NONE] += 1
        scores = class_scores(matrix, codes, labels)
        correct = sum(matrix[c][c] for c in labels)
        kind = ("training (model trained on it)" if path.parent == training
                else "held out, never tuned on" if path.name.startswith("never_tuned")
                else "dev (not trained on; how it was used: benchmarks/data/README.md)" if path.name.startswith("dev_snippets")
                else "held out")
        print(f"  {path.name} [{kind}]: {len(rows)} snippets, weighted F1 {scores['weighted_f1']:.3f}, "
              f"macro F1 {scores['macro_f1']:.3f}, accuracy {ratio(correct, len(rows)):.3f}")
        results[path.name] = {"kind": kind, "snippets": len(rows), "weighted_f1": scores["weighted_f1"],
                              "macro_f1": scores["macro_f1"], "accuracy": ratio(correct, len(rows))}
    never: dict[str, list[str]] = defaultdict(list)
    for name, r in sorted(results.items()):
        if name.startswith("never_tuned"):
            stem = name[:-4]
            never[stem.rsplit("_", 1)[1]].append(f"{r['weighted_f1']:.3f} (set {stem.split('_')[2]}, {r['snippets']})")
    if never:
        print("  never-tuned held-out sets, weighted F1 per language: "
              + "; ".join(f"{lang} {', '.join(v)}" for lang, v in sorted(never.items())))
    report["own_snippets"] = results


# --------------------------------------------------------------------------------------
# Part (b): extraction on ACLED 2016 notes
# --------------------------------------------------------------------------------------

Extractor = Callable[..., Any]


def load_acled(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _norm_name(text: str) -> str:
    """Case, spacing and spaces around '-' and '/' folded: 'Battle - No change' = 'battle-no change'."""
    text = re.sub(r"\s*([-/])\s*", r"\1", text.strip().lower())
    return re.sub(r"\s+", " ", text)


_SUB_BY_NORM = {_norm_name(k): v for k, v in SUB_TO_2016.items()}
_TYPE_BY_NORM = {_norm_name(k): v for k, v in TYPE_TO_2016.items()}
_2016_BY_NORM = {_norm_name(t): t for t in TYPES_2016}


def gold_type(value: str) -> str:
    """A 2016 event type as its canonical spelling (unknown ones stripped, as they are)."""
    return _2016_BY_NORM.get(_norm_name(value), value.strip())


def our_type(event: dict[str, Any] | None) -> tuple[str | None, bool]:
    """Our event's 2016 event type and whether the event-type fallback gave it."""
    if not event:
        return None, False
    sub = event.get("sub_event_type")
    if isinstance(sub, str) and _norm_name(sub) in _SUB_BY_NORM:
        return _SUB_BY_NORM[_norm_name(sub)], False
    kind = event.get("event_type")
    if isinstance(kind, str) and _norm_name(kind) in _TYPE_BY_NORM:
        return _TYPE_BY_NORM[_norm_name(kind)], True
    return None, False


_YEARS = re.compile(r"\(\s*\d{4}\s*-\s*(?:\d{4})?\s*\)")


def _strip_years(name: str) -> str:
    return " ".join(_YEARS.sub(" ", name.lower()).split())


@lru_cache(maxsize=None)
def actor_key(name: str) -> str:
    from trucewatch.extract.actors.kb import alias_key

    return alias_key(_strip_years(name)) if name.strip() else ""


@lru_cache(maxsize=None)
def actor_ids(name: str) -> frozenset[str]:
    from trucewatch.extract.actors.kb import lookup

    stripped = _strip_years(name)
    return frozenset(a.id for a in lookup(stripped)) if stripped else frozenset()


def actors_agree(ours: Any, gold: str) -> bool:
    ours_text = ours if isinstance(ours, str) else ""
    ko, kg = actor_key(ours_text), actor_key(gold or "")
    if not kg:
        return not ko
    if not ko:
        return False
    return ko == kg or bool(actor_ids(ours_text) & actor_ids(gold))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _float(value: Any) -> float | None:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def _int(value: Any) -> int:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return 0


def pick_event(events: Iterable[dict[str, Any]] | None) -> dict[str, Any] | None:
    """The first event with status "main", else the first event, else None."""
    listed = list(events or [])
    return next((e for e in listed if e.get("status") == "main"), listed[0] if listed else None)


@dataclass
class RowScore:
    index: int
    has_event: bool
    gold_type: str
    our_type: str | None
    fallback: bool
    actor1: bool
    actor2: bool
    gold_actor2: bool
    km: float | None
    fatalities: bool
    error: str | None
    event: dict[str, Any] | None


def score_row(index: int, row: dict[str, str], event: dict[str, Any] | None, error: str | None) -> RowScore:
    ours, fallback = our_type(event)
    ev = event or {}
    lat, lon = _float(ev.get("latitude")), _float(ev.get("longitude"))
    glat, glon = _float(row.get("latitude")), _float(row.get("longitude"))
    km = haversine_km(lat, lon, glat, glon) if None not in (lat, lon, glat, glon) else None
    gold_a2 = (row.get("actor2") or "").strip()
    return RowScore(
        index=index, has_event=event is not None, gold_type=gold_type(row.get("event_type") or ""),
        our_type=ours, fallback=fallback,
        actor1=actors_agree(ev.get("actor1"), row.get("actor1") or ""),
        actor2=actors_agree(ev.get("actor2"), gold_a2), gold_actor2=bool(gold_a2),
        km=km if lat is not None and lon is not None else None,
        fatalities=_int(ev.get("fatalities")) == _int(row.get("fatalities")),
        error=error, event=event,
    )


def run_extraction(extract: Extractor, rows: list[dict[str, str]]) -> tuple[list[RowScore], float]:
    """Extract from every row's notes (one timed pass) and score the picked event."""
    scored: list[tuple[int, dict[str, Any] | None, str | None]] = []
    t0 = time.perf_counter()
    for i, row in enumerate(rows):
        try:
            result = extract(row.get("notes") or "", published=row.get("event_date") or None, lang="en",
                             doc_id=str(i))
            scored.append((i, pick_event(getattr(result, "events", None)), None))
        except Exception as exc:  # a failure is a miss, reported
            scored.append((i, None, f"{type(exc).__name__}: {exc}"))
    elapsed = time.perf_counter() - t0
    return [score_row(i, rows[i], ev, err) for i, ev, err in scored], elapsed


def acled_figures(scores: list[RowScore]) -> dict[str, Any]:
    n = len(scores)
    covered = [s for s in scores if s.has_event]
    with_a2 = [s for s in scores if s.gold_actor2]
    pointed = [s for s in scores if s.km is not None]
    near = sum(s.km is not None and s.km <= NEAR_KM for s in scores)
    type_ok = sum(s.our_type == s.gold_type for s in scores)
    per_type: dict[str, dict[str, int]] = {}
    for s in scores:
        t = per_type.setdefault(s.gold_type, {"rows": 0, "covered": 0, "correct": 0})
        t["rows"] += 1
        t["covered"] += s.has_event
        t["correct"] += s.our_type == s.gold_type
    confusion = Counter((s.gold_type, s.our_type or "-") for s in scores if s.our_type != s.gold_type)

    def share(k: int, d: int) -> dict[str, Any]:
        return {"count": k, "of": d, "share": ratio(k, d)}

    return {
        "rows": n,
        "coverage": share(len(covered), n),
        "event_type_all": share(type_ok, n),
        "event_type_covered": share(type_ok, len(covered)),
        "event_type_fallbacks": sum(s.fallback for s in scores),
        "actor1_all": share(sum(s.actor1 for s in scores), n),
        "actor2_all": share(sum(s.actor2 for s in scores), n),
        "actor2_gold_present": share(sum(s.actor2 for s in with_a2), len(with_a2)),
        "within_50km_all": share(near, n),
        "within_50km_pointed": share(near, len(pointed)),
        "median_km_pointed": statistics.median([s.km for s in pointed if s.km is not None]) if pointed else None,
        "fatalities_exact_all": share(sum(s.fatalities for s in scores), n),
        "fatalities_exact_covered": share(sum(s.fatalities for s in covered), len(covered)),
        "per_gold_type": per_type,
        "unknown_gold_types": sorted({s.gold_type for s in scores} - set(TYPES_2016)),
        "type_confusions": [{"gold": g, "ours": o, "count": k} for (g, o), k in confusion.most_common(15)],
        "failures": sum(s.error is not None for s in scores),
    }


def print_acled(fig: dict[str, Any]) -> None:
    def line(label: str, key: str) -> None:
        v = fig[key]
        print(f"  {label:<38} {v['count']:>4}/{v['of']:<4} {v['share']:6.1%}")

    print(f"\n  {'figure':<38} {'count':>9} {'share':>7}")
    line("coverage (rows with an event)", "coverage")
    line("event type, all rows", "event_type_all")
    line("event type, covered rows", "event_type_covered")
    line("actor1 agrees, all rows", "actor1_all")
    line("actor2 agrees, all rows", "actor2_all")
    line("actor2 agrees, rows with a gold actor2", "actor2_gold_present")
    line(f"within {NEAR_KM:.0f} km, all rows", "within_50km_all")
    line(f"within {NEAR_KM:.0f} km, rows we gave a point", "within_50km_pointed")
    line("fatalities exact, all rows", "fatalities_exact_all")
    line("fatalities exact, covered rows", "fatalities_exact_covered")
    med = fig["median_km_pointed"]
    print(f"  median error where we gave a point: {'-' if med is None else f'{med:.1f} km'}; "
          f"event types from the event_type fallback: {fig['event_type_fallbacks']}; calls that raised: "
          f"{fig['failures']}")
    if fig["unknown_gold_types"]:
        print(f"  WARNING: gold event types outside the 2016 list: {fig['unknown_gold_types']}")
    print(f"\n  {'gold event type':<44} {'rows':>5} {'covered':>8} {'correct':>8}")
    for t, v in sorted(fig["per_gold_type"].items(), key=lambda kv: -kv[1]["rows"]):
        print(f"  {t:<44} {v['rows']:>5} {v['covered']:>8} {v['correct']:>8} ({ratio(v['correct'], v['rows']):.0%})")
    if fig["type_confusions"]:
        print("  most frequent type errors (gold -> ours, '-' = none): " + "; ".join(
            f"{c['gold']} -> {c['ours']} x{c['count']}" for c in fig["type_confusions"][:8]))


def part_b(args: argparse.Namespace, report: dict[str, Any]) -> None:
    print("\n===== (b) extraction on ACLED 2016 notes =====")
    if not ACLED_CSV.exists():
        print(f"skipped: {ACLED_CSV} is not there")
        report["acled"] = {"error": f"not found: {ACLED_CSV}"}
        return
    from trucewatch.extract.events.extract import extract_events

    rows = load_acled(ACLED_CSV)
    evaluate_acled(extract_events, rows, args.errors, report)


def evaluate_acled(extract: Extractor, rows: list[dict[str, str]], show_errors: int, report: dict[str, Any]) -> None:
    if rows:
        try:  # warm-up, untimed: model and resource loading is not a per-document cost
            extract(rows[0].get("notes") or "", published=rows[0].get("event_date") or None, lang="en",
                    doc_id="warm-up")
        except Exception:
            pass
    scores, elapsed = run_extraction(extract, rows)
    fig = acled_figures(scores)
    fig["docs_per_s"] = ratio(len(rows), elapsed)
    print(f"{len(rows)} rows; gold event types: "
          + ", ".join(f"{t} {v['rows']}" for t, v in sorted(fig["per_gold_type"].items(), key=lambda kv: -kv[1]["rows"])))
    print_acled(fig)
    print(f"\n  speed: {fig['docs_per_s']:.1f} documents/s (one pass, after a warm-up call)")
    failed = [s for s in scores if s.error]
    if failed:
        print(f"  {len(failed)} calls raised; first (row {failed[0].index}): {failed[0].error}")
    wrong = [s for s in scores if s.our_type != s.gold_type]
    if show_errors:
        print(f"\n  first {min(show_errors, len(wrong))} of {len(wrong)} rows with a wrong event type:")
        for s in wrong[:show_errors]:
            ev = s.event or {}
            notes = " ".join((rows[s.index].get("notes") or "").split())[:160]
            print(f"    row {s.index:>3}: {s.gold_type} -> {s.our_type or '-'} "
                  f"[{ev.get('sub_event_type') or ev.get('event_type') or 'no event'}]: {notes}")
    fig["rows_detail"] = [
        {"row": s.index, "gold_type": s.gold_type, "our_type": s.our_type,
         "our_sub_event_type": (s.event or {}).get("sub_event_type"), "actor1": s.actor1, "actor2": s.actor2,
         "km": s.km, "fatalities": s.fatalities, "error": s.error}
        for s in scores
    ]
    report["acled"] = fig


# --------------------------------------------------------------------------------------
# Part (c): seed key facts
# --------------------------------------------------------------------------------------


def part_c(args: argparse.Namespace, report: dict[str, Any]) -> None:
    print("\n===== (c) seed key facts =====")
    if not SEEDS.is_dir():
        print(f"skipped: {SEEDS} is not there")
        report["seeds"] = {"error": f"not found: {SEEDS}"}
        return
    from trucewatch.extract.events.seedfacts import check_seeds

    try:
        checks = list(check_seeds(SEEDS))
    except Exception as exc:
        print(f"check_seeds raised {type(exc).__name__}: {exc}; part (c) skipped")
        report["seeds"] = {"error": f"{type(exc).__name__}: {exc}"}
        return
    report["seeds"] = print_seeds(checks)


def print_seeds(checks: list[dict[str, Any]]) -> dict[str, Any]:
    width_seed = max([len(str(c.get("seed", ""))) for c in checks] + [4])
    width_fact = min(60, max([len(str(c.get("fact", ""))) for c in checks] + [4]))
    print(f"{'seed':<{width_seed}}  {'fact':<{width_fact}}  {'found':<5}  detail")
    per_seed: dict[str, dict[str, int]] = {}
    for c in checks:
        seed, fact, found = str(c.get("seed", "")), str(c.get("fact", "")), c.get("found")
        mark = "-" if found is None else ("yes" if found else "NO")
        print(f"{seed:<{width_seed}}  {fact[:width_fact]:<{width_fact}}  {mark:<5}  {c.get('detail', '')}")
        s = per_seed.setdefault(seed, {"facts": 0, "found": 0, "spurious": 0})
        if fact == "spurious":  # found says whether the count is within the limit
            m = re.search(r"\d+", str(c.get("detail", "")))
            s["spurious"] += int(m.group()) if m else 0
        else:
            s["facts"] += 1
            s["found"] += bool(found)
    for seed, s in per_seed.items():
        print(f"  {seed}: {s['found']}/{s['facts']} facts found, {s['spurious']} spurious")
    total = {k: sum(s[k] for s in per_seed.values()) for k in ("facts", "found", "spurious")}
    print(f"  all seeds: {total['found']}/{total['facts']} facts found, {total['spurious']} spurious")
    return {"checks": checks, "per_seed": per_seed, "total": total}


# --------------------------------------------------------------------------------------
# Part (d): end-to-end speed
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Doc:
    id: str
    text: str
    published: str | None
    lang: str | None


def demo_folder() -> Path:
    from trucewatch.demo import demo_corpus

    path = demo_corpus()
    return path if path.is_dir() else DEFAULT_DEMO


def load_demo_docs(folder: Path) -> tuple[list[Doc], int, int]:
    """The demo corpus as ``trucewatch demo`` ingests it: (documents, rejected, duplicates)."""
    from trucewatch.documents.ingest import prepare
    from trucewatch.documents.readers import RawRecord, ReadOptions, iter_inputs

    options = ReadOptions()
    docs: list[Doc] = []
    seen: set[str] = set()
    rejected = duplicates = 0
    for item in iter_inputs([str(folder / p) for p in DEMO_PARTS if (folder / p).exists()], options):
        prepared = prepare(item, fmap=options.fields) if isinstance(item, RawRecord) else item
        if not hasattr(prepared, "row"):
            rejected += 1
            continue
        row = prepared.row
        if row["id"] in seen:
            duplicates += 1
            continue
        seen.add(row["id"])
        docs.append(Doc(row["id"], row["text"], row["published"], row["language"]))
    return docs, rejected, duplicates


def forget_texts() -> None:
    """Empty the caches keyed by sentence text (lexicon scores, sentence vectors).

    A timed pass repeats documents the warm-up (or the previous pass) already read; with
    those caches full, it would skip the lexicon scoring and the embedding step that a new
    document pays for. Caches keyed by words and names (gazetteer, actors) stay: new
    documents share those too."""
    try:
        from trucewatch.extract.events.classify import clear_caches
    except ImportError:
        return
    clear_caches()


def time_corpus(extract: Extractor, docs: list[Doc], runs: int, cold: bool = True) -> dict[str, Any]:
    """``runs`` timed passes over ``docs``: wall and CPU seconds per pass.

    ``cold`` (the default) empties the per-text caches before each pass
    (:func:`forget_texts`), so every pass costs what new documents would."""
    seconds: list[float] = []
    cpu: list[float] = []
    events = failures = 0
    first_error: str | None = None
    for run in range(runs):
        if cold:
            forget_texts()
        t0, c0 = time.perf_counter(), time.process_time()
        for d in docs:
            try:
                result = extract(d.text, published=d.published, lang=d.lang, doc_id=d.id)
                if run == 0:
                    events += len(getattr(result, "events", None) or [])
            except Exception as exc:
                if run == 0:
                    failures += 1
                    first_error = first_error or f"{type(exc).__name__}: {exc}"
        cpu.append(time.process_time() - c0)
        seconds.append(time.perf_counter() - t0)
    out = speed_summary(len(docs), seconds, sum(len(d.text) for d in docs))
    out.update(events=events, events_per_doc=ratio(events, len(docs)), failures=failures, first_error=first_error,
               cold=cold, cpu_seconds=cpu, cpu_per_s_median=ratio(len(docs), statistics.median(cpu)))
    return out


def part_d(args: argparse.Namespace, report: dict[str, Any]) -> None:
    print("\n===== (d) end-to-end extraction speed (one process) =====")
    from trucewatch.extract.events.extract import extract_events as extract

    corpora: dict[str, list[Doc]] = {}
    if ACLED_CSV.exists():
        corpora["ACLED 2016 notes"] = [Doc(str(i), r.get("notes") or "", r.get("event_date") or None, "en")
                                       for i, r in enumerate(load_acled(ACLED_CSV))]
    else:
        print(f"{ACLED_CSV} is not there; ACLED notes left out")
    folder = demo_folder()
    if folder.is_dir():
        demo, rejected, duplicates = load_demo_docs(folder)
        corpora["demo corpus"] = demo
        print(f"demo corpus {folder}: {len(demo)} documents ({rejected} rejected, {duplicates} duplicates skipped)")
    else:
        print(f"demo corpus not found at {folder}; left out")
    run_speed(extract, corpora, args.runs, report)


def run_speed(extract: Extractor, corpora: dict[str, list[Doc]], runs: int, report: dict[str, Any]) -> None:
    ner = "off"
    try:
        from trucewatch.text.ner import load_ner, ner_available

        if ner_available():
            _, status = load_ner()
            ner = f"on, {status.model}" if status.available else f"off ({status.reason})"
        else:
            ner = "off (not installed)"
    except ImportError as exc:
        ner = f"off ({exc})"
    print(f"NER: {ner}")
    for docs in corpora.values():  # warm-up, untimed: loads models, resources and per-language grammars
        for d in docs:
            try:
                extract(d.text, published=d.published, lang=d.lang, doc_id="warm-up")
            except Exception:
                pass
    from trucewatch.extract.events.model import model_status

    print(f"event classifier: {model_status()}")
    section: dict[str, Any] = {"ner": ner, "corpora": {}, "corpora_repeated": {}, "classifier": model_status()}
    costs = classifier_costs(extract, corpora)
    if costs:
        section["classifier_costs"] = costs
        print(f"\n{'corpus':<18} {'embed ms/doc':>12} {'sent. embedded/doc':>18} {'classify ms/doc':>15} "
              f"{'(incl. embedding)':>17}")
        for name, c in costs.items():
            print(f"{name:<18} {c['embed_ms_per_doc']:>12.1f} {c['sentences_embedded_per_doc']:>18.1f} "
                  f"{c['classify_ms_per_doc']:>15.1f}")
        print("(CPU time, one pass over new documents that wraps the encoder and the classifier with timers)")
    print(f"\n{'corpus':<18} {'passes':<6} {'docs':>5} {'docs/s med':>10} {'min':>8} {'max':>8} {'cpu docs/s':>10} "
          f"{'chars/s':>10} {'ev/doc':>6} {'failed':>6}")
    for name, docs in corpora.items():
        if not docs:
            continue
        for cold in (True, False):
            s = time_corpus(extract, docs, runs, cold=cold)
            section["corpora" if cold else "corpora_repeated"][name] = s
            print(f"{name:<18} {'new' if cold else 'repeat':<6} {len(docs):>5} {s['per_s_median']:>10.1f} "
                  f"{s['per_s_min']:>8.1f} {s['per_s_max']:>8.1f} {s['cpu_per_s_median']:>10.1f} "
                  f"{s['chars_per_s_median'] or 0:>10,.0f} {s['events_per_doc']:>6.2f} {s['failures']:>6}")
            if s["first_error"]:
                print(f"  first failure: {s['first_error']}")
    print("passes 'new': the per-text caches (lexicon scores, sentence vectors) emptied before each pass, so\n"
          "every pass pays what new documents do (the headline figure); 'repeat': left full, so a pass reads\n"
          "the same documents again with their sentences' scores and vectors already known (not a real\n"
          "workload; the figure quoted before this column was split). docs/s from wall time; cpu docs/s\n"
          "from the process's CPU time (steadier on a shared machine).")
    section["peak_rss_mb"] = peak_rss_mb()
    print(f"medians over {runs} run(s) after one warm-up pass; peak RSS {section['peak_rss_mb']:.0f} MB")
    report["speed"] = section


# --------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------


def classifier_costs(extract: Extractor, corpora: dict[str, list[Doc]]) -> dict[str, dict[str, float]]:
    """Per document: CPU time in the sentence encoder (the embedding step alone), sentences
    embedded, and CPU time in ``classify`` plus the batched embedding (the classifier's cost).
    CPU time, not wall: on a shared machine the wall clock counts other people's work."""
    from trucewatch.embed import get_encoder
    from trucewatch.extract.events import extract as extract_module

    encoder = get_encoder()
    if encoder is None:
        return {}
    clock = {"embed": 0.0, "classify": 0.0, "sentences": 0.0}
    real_encode, real_classify = encoder.encode, extract_module.classify

    def timed_encode(texts: Any) -> Any:
        t0 = time.process_time()
        try:
            return real_encode(texts)
        finally:
            clock["embed"] += time.process_time() - t0
            clock["sentences"] += len(texts)

    def timed_classify(*a: Any, **k: Any) -> Any:
        t0 = time.process_time()
        try:
            return real_classify(*a, **k)
        finally:
            clock["classify"] += time.process_time() - t0

    out: dict[str, dict[str, float]] = {}
    encoder.encode = timed_encode  # type: ignore[method-assign]
    extract_module.classify = timed_classify  # type: ignore[assignment]
    try:
        for name, docs in corpora.items():
            if not docs:
                continue
            forget_texts()  # every document pays for its own vectors, as a new one would
            clock.update(embed=0.0, classify=0.0, sentences=0.0)
            for d in docs:
                try:
                    extract(d.text, published=d.published, lang=d.lang, doc_id=d.id)
                except Exception:
                    pass
            n = len(docs)
            # the document's batch is embedded before its sentences are classified, so the
            # classifier's own cost is classify time plus the embedding
            out[name] = {"embed_ms_per_doc": 1000 * clock["embed"] / n,
                         "sentences_embedded_per_doc": clock["sentences"] / n,
                         "classify_ms_per_doc": 1000 * (clock["classify"] + clock["embed"]) / n}
    finally:
        del encoder.encode  # back to the class's method
        extract_module.classify = real_classify  # type: ignore[assignment]
    return out


def parse_parts(values: list[str] | None) -> list[str]:
    if not values:
        return list(PARTS)
    chosen = {p.strip().lower() for v in values for p in v.split(",") if p.strip()}
    unknown = chosen - set(PARTS)
    if unknown:
        raise ValueError(f"unknown part(s) {sorted(unknown)}; choose from {', '.join(PARTS)}")
    return [p for p in PARTS if p in chosen]


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs for the speed figures (default 3)")
    parser.add_argument("--errors", type=int, default=0, metavar="N",
                        help="print N misclassified snippets of (a) and N wrongly typed rows of (b)")
    parser.add_argument("--part", action="append", metavar="PARTS",
                        help="parts to run, e.g. a or a,c (a b c d; default all)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write all figures to FILE as JSON")
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    try:
        parts = parse_parts(args.part)
    except ValueError as exc:
        parser.error(str(exc))
    if not DATA.exists():
        print(f"skipped: {DATA} is not there")
        return 0
    report: dict[str, Any] = {"python": sys.version.split()[0], "parts": parts, "runs": args.runs}
    def both_a(args: argparse.Namespace, report: dict[str, Any]) -> None:
        part_a(args, report)
        part_a2(args, report)

    steps = {"a": both_a, "b": part_b, "c": part_c, "d": part_d}
    for p in parts:
        steps[p](args, report)
    report["peak_rss_mb"] = peak_rss_mb()
    print(f"\npeak RSS {report['peak_rss_mb']:.0f} MB (whole process); speeds are single-process figures")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
        print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
