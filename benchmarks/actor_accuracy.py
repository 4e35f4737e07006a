"""Actor resolution: precision, recall and F1 on our own set, and speed.

The set is ``benchmarks/data/actor_resolution.tsv``, written by us: short news-like
sentences in English, French, Arabic, Russian and Spanish naming states (by name,
demonym or capital), governments, armies, organisations and missions, heads of state and
government and ministers (by name or by title, resolved with the sentence's date), and
negatives that must stay unresolved ("in Moscow", "Turkish coffee"). Its ``heldout`` rows
were written before anything was run on them and are never tuned on; ``dev`` rows may be.

Scoring. A gold row is found when a mention overlapping its surface resolves to the
expected actor id (or, for a generic mention, carries the expected actor's name: "Somali
soldiers" is "Military Forces of Somalia" either way). Precision counts every resolved
mention, and every generic one on a gold span; a resolved mention on a negative row is a
false positive. Every actor in a sentence of the set is listed, so an extra resolved
mention is a real error.

For information only (never tuned on): actor recall on the gold actors of
``../shared/dev-data/ceasefire-articles`` (skipped when absent), where a gold actor
counts as recalled when a mention overlapping its surface resolves to an actor whose
name or alias folds to the gold canonical name, or to the body the gold person leads.

Speed: the actors tagger alone (no NER model; the stage takes entities from places), in
documents per second over those articles, median of ``--runs``; runs with the code of
any checkout (``PYTHONPATH``) for before/after figures.

    python benchmarks/actor_accuracy.py [--errors] [--runs 5] [--speed-only] [--json FILE]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import glob
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from trucewatch.actors.mentions import tag_actors

HERE = Path(__file__).resolve().parent
SET = HERE / "data" / "actor_resolution.tsv"
ARTICLES = HERE.parents[1] / "shared" / "dev-data" / "ceasefire-articles" / "articles"


def load_set(path: Path = SET) -> dict[tuple[str, str, str, str], list[tuple[str, str]]]:
    """(split, lang, date, text) -> [(surface, expected id or "-")]."""
    items: dict[tuple[str, str, str, str], list[tuple[str, str]]] = defaultdict(list)
    with path.open(encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    for n, row in enumerate(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE), 2):
        if row["surface"] not in row["text"]:
            raise ValueError(f"{path.name}: row {n}: surface {row['surface']!r} is not in its text")
        items[(row["split"], row["lang"], row["date"], row["text"])].append((row["surface"], row["expected"]))
    return items


def _category(expected: str, surface: str) -> str:
    from trucewatch.actors.kb import alias_key, load_actors

    if expected == "-":
        return "negative"
    a = load_actors().get(expected)
    if a is None:
        return "unknown id"
    if a.kind == "person":
        named = alias_key(surface) in {alias_key(n) for n in a.aliases()}
        return "person by name" if named else "person by title"
    if a.kind in ("state",):
        return "government"
    if a.kind == "mission":
        return "mission"
    if getattr(a, "generated", False) or "forces" in a.name.casefold() or "army" in a.name.casefold() or a.inter == 1:
        return "military" if a.kind == "organisation" and a.country else "organisation"
    return "organisation"


def score(items: dict[tuple[str, str, str, str], list[tuple[str, str]]], errors: bool = False) -> dict[str, Any]:
    from trucewatch.actors.kb import load_actors

    actors = load_actors()
    by: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "pred": 0, "gold": 0, "neg": 0, "neg_ok": 0})
    misses: list[str] = []
    for (split, lang, date, text), rows in items.items():
        mentions = tag_actors(text, lang=lang, use_ner=False, day=dt.date.fromisoformat(date))
        spans = []
        for surface, expected in rows:
            at = text.index(surface)
            spans.append((at, at + len(surface), surface, expected))
        keys = [split, f"{split}:{lang}", "all"]
        claimed: set[int] = set()
        for s, e, surface, expected in spans:
            cat = _category(expected, surface)
            ks = keys + [f"{split}:{cat}"]
            over = [i for i, m in enumerate(mentions) if m.start < e and s < m.end]
            if expected == "-":
                bad = [mentions[i] for i in over if mentions[i].actor_id is not None]
                for k in ks:
                    by[k]["neg"] += 1
                    by[k]["neg_ok"] += not bad
                if bad and errors:
                    misses.append(f"[{split} {lang}] negative {surface!r} resolved to {bad[0].actor_id} :: {text}")
                continue
            want = actors.get(expected)
            hit = next((i for i in over if mentions[i].actor_id == expected
                        or (mentions[i].actor_id is None and mentions[i].kind == "generic"
                            and want is not None and mentions[i].name == want.name)), None)
            for k in ks:
                by[k]["gold"] += 1
                by[k]["tp"] += hit is not None
            if hit is not None:
                claimed.add(hit)
            elif errors:
                got = [(mentions[i].text, mentions[i].actor_id or mentions[i].name) for i in over]
                misses.append(f"[{split} {lang}] {surface!r} -> want {expected}, got {got or 'nothing'} :: {text}")
        gold_spans = [(s, e) for s, e, _, x in spans if x != "-"]
        for i, m in enumerate(mentions):
            counted = m.actor_id is not None or (m.kind == "generic" and any(m.start < e and s < m.end for s, e in gold_spans))
            if counted:
                for k in keys:
                    by[k]["pred"] += 1
                if i not in claimed and errors and not any(m.start < e and s < m.end for s, e in gold_spans):
                    misses.append(f"[{split} {lang}] extra {m.text!r} -> {m.actor_id or m.name} :: {text}")
    # category rows count gold only; precision is kept for splits and languages
    out = {}
    for k, c in sorted(by.items()):
        p = c["tp"] / c["pred"] if c["pred"] else None
        r = c["tp"] / c["gold"] if c["gold"] else None
        f = 2 * p * r / (p + r) if p and r else None
        out[k] = {**c, "precision": p, "recall": r, "f1": f}
    return {"figures": out, "errors": misses}


def article_recall() -> dict[str, Any] | None:
    """Recall of the dev articles' gold actors (information only; never tuned on)."""
    from trucewatch.actors.kb import alias_key, load_actors

    files = sorted(glob.glob(str(ARTICLES / "*.json")))
    if not files:
        return None
    actors = load_actors()
    names = {aid: {alias_key(n) for n in a.aliases()} for aid, a in actors.items()}
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for path in files:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
        text, lang = doc["text"], doc["language"]
        day = dt.date.fromisoformat(doc["published"]) if doc.get("published") else None
        mentions = tag_actors(text, lang=lang, use_ner=False, day=day)
        for gold in doc["gold"]["actors"]:
            surface, canonical = gold["surface"], alias_key(gold["canonical"])
            at, spans = text.find(surface), []
            while at >= 0:
                spans.append((at, at + len(surface)))
                at = text.find(surface, at + 1)
            ok = False
            for m in mentions:
                if not any(m.start < e and s < m.end for s, e in spans):
                    continue
                ids = [i for i in (m.actor_id, getattr(m, "body", None)) if i]
                if any(canonical in names.get(i, ()) for i in ids) or alias_key(m.name) == canonical:
                    ok = True
                    break
            for k in {"all", "non-en" if lang != "en" else "en", lang}:
                found[k][0] += ok
                found[k][1] += 1
    return {k: {"recalled": a, "gold": b, "recall": a / b} for k, (a, b) in sorted(found.items())}


def speed(runs: int) -> dict[str, Any] | None:
    """Documents per second of the tagger alone over the dev articles (or our set's sentences)."""
    files = sorted(glob.glob(str(ARTICLES / "*.json")))
    if files:
        docs = [json.loads(Path(p).read_text(encoding="utf-8")) for p in files]
        work = [(d["text"], d["language"], dt.date.fromisoformat(d["published"]) if d.get("published") else None)
                for d in docs]
        what = "ceasefire-articles documents"
    else:
        work = [(text, lang, dt.date.fromisoformat(date)) for (_, lang, date, text) in load_set()]
        what = "sentences of our set"
    tag_actors(work[0][0], lang=work[0][1], use_ner=False, day=work[0][2])  # build the indexes once
    rates = []
    for _ in range(runs):
        begin = time.perf_counter()
        for text, lang, day in work:
            tag_actors(text, lang=lang, use_ner=False, day=day)
        rates.append(len(work) / (time.perf_counter() - begin))
    chars = sum(len(t) for t, _, _ in work) / len(work)
    return {"what": what, "docs": len(work), "mean_chars": round(chars), "docs_per_s_median": statistics.median(rates),
            "runs": [round(r, 1) for r in rates]}


def _fmt(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.3f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--errors", action="store_true", help="list every miss, extra and resolved negative")
    ap.add_argument("--runs", type=int, default=5, help="timing runs (median reported)")
    ap.add_argument("--speed-only", action="store_true", help="only the speed figure (works on older checkouts)")
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args(argv)
    report: dict[str, Any] = {}
    if not args.speed_only:
        result = score(load_set(), errors=args.errors)
        report["set"] = result["figures"]
        print(f"Actor resolution on {SET.relative_to(HERE.parent)} (ours)")
        print(f"{'slice':32} {'gold':>5} {'pred':>5} {'tp':>5} {'P':>6} {'R':>6} {'F1':>6}  negatives left alone")
        for k, c in result["figures"].items():
            neg = f"{c['neg_ok']}/{c['neg']}" if c["neg"] else ""
            print(f"{k:32} {c['gold']:5} {c['pred']:5} {c['tp']:5} {_fmt(c['precision']):>6} "
                  f"{_fmt(c['recall']):>6} {_fmt(c['f1']):>6}  {neg}")
        if args.errors:
            print("\nerrors:")
            for line in result["errors"]:
                print("  " + line)
        recall = article_recall()
        report["ceasefire_articles_recall"] = recall
        if recall is None:
            print("\nceasefire-articles: not found, skipped")
        else:
            print("\nceasefire-articles gold actors, recall (information only, not tuned on):")
            for k, v in recall.items():
                print(f"  {k:8} {v['recalled']:4}/{v['gold']:<4} {v['recall']:.3f}")
    sp = speed(args.runs)
    report["speed"] = sp
    if sp:
        print(f"\nspeed: actors tagger alone (no NER), {sp['docs']} {sp['what']} of {sp['mean_chars']} chars on average: "
              f"{sp['docs_per_s_median']:.1f} docs/s (median of {args.runs}: {sp['runs']})")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
