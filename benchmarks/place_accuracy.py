"""Toponym recognition and resolution on ../shared/dev-data/geoparsing (TR-News, GeoVirus).

For each data set: recognition precision/recall/F1 (a predicted span counts when it
overlaps a gold span), then, on the gold toponyms we recognised, the distance from our
point to the gold point: accuracy within 161 km (100 miles), median and mean error,
and the area under the error curve (AUC of log errors, as in Gritta et al. 2018;
lower is better). The same figures for a population-only baseline that picks the most
populous candidate for each recognised toponym, over the same candidates. Speed: NER
(spaCy) and recognition+resolution (everything else) separately, docs/s, medians.

Annotation scope differs between the sets: TR-News tags adjectival demonyms
("Turkish" -> Turkey) as toponyms, GeoVirus does not. Our tagger marks them
``kind: demonym``; they count for TR-News and are left out for GeoVirus.

    python benchmarks/place_accuracy.py [--runs 3] [--errors 30] [--no-ner] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from trucewatch.extract.places.gazetteer import open_gazetteer
from trucewatch.text.ner import load_ner
from trucewatch.extract.places.recognise import recognise
from trucewatch.extract.places.resolve import Resolver, candidates, distance_km

DATA = Path(__file__).resolve().parents[2] / "shared" / "dev-data" / "geoparsing"
SETS = {"TR-News": {"demonyms": True}, "GeoVirus": {"demonyms": False}}
MAX_ERROR_KM = 20039.0


@dataclass
class Gold:
    start: int
    end: int
    text: str
    lat: float | None
    lon: float | None


@dataclass
class Article:
    text: str
    gold: list[Gold] = field(default_factory=list)


def load(name: str) -> list[Article]:
    root = ET.parse(DATA / f"{name}.xml").getroot()
    articles = []
    for node in root.findall("article"):
        article = Article(node.findtext("text") or "")
        for top in node.iter("toponym"):
            tag = top.find("gaztag")
            lat = lon = None
            if tag is not None and tag.findtext("lat"):
                lat, lon = float(tag.findtext("lat")), float(tag.findtext("lon"))
            article.gold.append(Gold(int(top.findtext("start")), int(top.findtext("end")), top.findtext("phrase") or "", lat, lon))
        for loc in node.iter("location"):
            article.gold.append(Gold(int(loc.findtext("start")), int(loc.findtext("end")), loc.findtext("name") or "",
                                     float(loc.findtext("lat")), float(loc.findtext("lon"))))
        articles.append(article)
    return articles


def auc(errors: list[float]) -> float:
    """Area under the curve of sorted, log-scaled errors (0 perfect, 1 worst)."""
    if not errors:
        return float("nan")
    scaled = sorted(math.log(e + 1) / math.log(MAX_ERROR_KM) for e in errors)
    if len(scaled) == 1:
        return scaled[0]
    area = sum((a + b) / 2 for a, b in zip(scaled, scaled[1:]))
    return area / (len(scaled) - 1)


def summary(errors: list[float]) -> dict[str, float]:
    return {
        "acc161": sum(e <= 161 for e in errors) / len(errors) if errors else float("nan"),
        "median_km": statistics.median(errors) if errors else float("nan"),
        "mean_km": statistics.fmean(errors) if errors else float("nan"),
        "auc": auc(errors),
        "n": len(errors),
    }


def evaluate(name: str, articles: list[Article], use_ner: bool, runs: int, show_errors: int) -> dict:
    gaz = open_gazetteer()
    nlp = load_ner()[0] if use_ner else None
    texts = [a.text for a in articles]
    ner_times, rest_times = [], []
    docs: list = [None] * len(texts)
    for _ in range(runs):
        t0 = time.perf_counter()
        if nlp is not None:
            docs = list(nlp.pipe(texts, batch_size=32))
        ner_times.append(time.perf_counter() - t0)
        gaz.lookup.cache_clear()
        t0 = time.perf_counter()
        resolver = Resolver(gaz)
        results = []
        for text, doc in zip(texts, docs):
            mentions = recognise(text, gaz, doc)
            results.append((mentions, resolver.resolve(text, mentions)))
        rest_times.append(time.perf_counter() - t0)
    keep_demonyms = SETS[name]["demonyms"]
    tp = fp = fn = 0
    ours: list[float] = []
    baseline: list[float] = []
    misses: Counter[str] = Counter()
    spurious: Counter[str] = Counter()
    wrong: list[tuple[float, str, str, str]] = []
    for article, (mentions, places) in zip(articles, results):
        kept = [(m, p) for m, p in zip(mentions, places) if keep_demonyms or m.kind != "demonym"]
        for m, _ in kept:
            if any(m.start < g.end and g.start < m.end for g in article.gold):
                tp += 1
            else:
                fp += 1
                spurious[m.text] += 1
        for g in article.gold:
            hit = next(((m, p) for m, p in kept if m.start < g.end and g.start < m.end), None)
            if hit is None:
                fn += 1
                misses[g.text] += 1
                continue
            if g.lat is None:
                continue
            m, p = hit
            error = distance_km(g.lat, g.lon, p.lat, p.lon) if p.lat is not None else MAX_ERROR_KM
            ours.append(error)
            if error > 161:
                wrong.append((error, g.text, f"{p.name} ({p.country}, {p.feature_code})", article.text[max(0, g.start - 60):g.end + 30].replace("\n", " ")))
            opts = [e for e in candidates(m, gaz) if m.kind != "demonym" or e.is_country]
            if opts:
                best = max(opts, key=lambda e: (e.population, -e.geonameid))
                baseline.append(distance_km(g.lat, g.lon, best.lat, best.lon))
            else:
                baseline.append(MAX_ERROR_KM)
    precision = tp / (tp + fp) if tp + fp else 0.0
    gold_total = sum(len(a.gold) for a in articles)
    recall = (gold_total - fn) / gold_total if gold_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    out = {
        "set": name, "docs": len(articles), "gold": gold_total,
        "recognition": {"precision": precision, "recall": recall, "f1": f1},
        "ours": summary(ours), "population_baseline": summary(baseline),
        "ner_docs_per_s": len(texts) / statistics.median(ner_times) if nlp is not None else None,
        "resolution_docs_per_s": len(texts) / statistics.median(rest_times),
        "resolution_docs_per_s_runs": [round(len(texts) / t) for t in rest_times],
    }
    if show_errors:
        print(f"\n== {name}: most missed", misses.most_common(show_errors))
        print(f"== {name}: most spurious", spurious.most_common(show_errors))
        print(f"== {name}: resolution errors > 161 km ({len(wrong)}), by toponym")
        grouped = Counter((w[1], w[2]) for w in wrong)
        print("  ", "; ".join(f"{g}->{o} x{n}" for (g, o), n in grouped.most_common(show_errors)))
        for error, gold_text, ours_text, context in sorted(wrong, reverse=True)[:show_errors]:
            print(f"  {error:8.0f} km  {gold_text!r} -> {ours_text}  | {context}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--errors", type=int, default=0, help="print the N most common errors")
    parser.add_argument("--no-ner", action="store_true", help="gazetteer-only recognition")
    parser.add_argument("--set", choices=list(SETS), action="append")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if not DATA.exists():
        print(f"skipped: {DATA} is not there")
        return 0
    status = load_ner()[1]
    print(f"NER: {'on, ' + str(status.model) if status.available and not args.no_ner else 'off'} ({status.reason})")
    results = []
    for name in args.set or list(SETS):
        results.append(evaluate(name, load(name), not args.no_ner, args.runs, args.errors))
    print(f"\n{'set':9} {'P':>6} {'R':>6} {'F1':>6} | {'acc161':>6} {'med km':>7} {'mean km':>8} {'AUC':>6} | "
          f"{'base acc':>8} {'base med':>8} {'base mean':>9} {'base AUC':>8} | {'NER d/s':>7} {'res d/s':>7}")
    for r in results:
        rec, o, b = r["recognition"], r["ours"], r["population_baseline"]
        ner = f"{r['ner_docs_per_s']:.0f}" if r["ner_docs_per_s"] else "-"
        print(f"{r['set']:9} {rec['precision']:6.3f} {rec['recall']:6.3f} {rec['f1']:6.3f} | {o['acc161']:6.3f} "
              f"{o['median_km']:7.1f} {o['mean_km']:8.1f} {o['auc']:6.3f} | {b['acc161']:8.3f} {b['median_km']:8.1f} "
              f"{b['mean_km']:9.1f} {b['auc']:8.3f} | {ner:>7} {r['resolution_docs_per_s']:7.0f}")
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS {peak:.0f} MB ({'NER model and gazetteer' if not args.no_ner else 'gazetteer only, no NER'}); "
          "speeds are medians over runs, one process")
    if args.json:
        args.json.write_text(json.dumps({"results": results, "peak_rss_mb": peak}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
