"""Story clustering on the fusion development sets (GVC, ECB+), and (later) incidents.

Issue 14. Reads ``<repo>/../shared/dev-data/fusion/{gvc,ecbplus}-dev.jsonl`` (nothing is
copied into the repository); when the folder is absent it says so and exits 0.

Part ``stories`` prints, per set, B-cubed P/R/F1 (headline), pairwise link P/R/F1
(precision 1 when no link is predicted, as the set's README scores it) and the adjusted
Rand index for:

* ``singletons``: every document its own story;
* ``tfidf-single-link``: the README's baseline (title + text, English stop words,
  sublinear tf, cosine, single link), its threshold tuned on the same file;
* ``ours (sim, dev-tuned)``: the incremental clustering of ``trucewatch.fusion.stories``
  (documents in file order, each joining the best story within the date window or
  founding one) with the weights that maximise the mean B3 F1 of the two sets, chosen by
  a grid here; ``lexical-only`` is the best grid point without the embedding;
* ``ours (CV)``: the same grid, tuned on half of the clusters of both sets (GVC by
  incident, ECB+ by topic, so sibling incidents stay together) and scored on the other
  half, both ways, over ``--cv-repeats`` seeded splits; the mean of the held-out B3 F1
  is the untuned figure;
* ``ours (store)``: the real path, ``fuse_documents`` on a temporary SQLite store, with
  the weights the module ships (check that they are the tuned ones and that the
  simulation agrees with the store).

The per-document stages (places, actors) run only with ``--entities`` (they take minutes):
then their place and actor ids feed the ``entities`` signal, its weight joins the grid,
and the store path gets their annotations. Without it the signal is absent, as it is for
documents not processed yet. Embedding time is printed apart.

``--incremental N`` (issue 14: 100 documents into a fused 100,000-document store in at
most 10 s, memory flat) builds a store of N fused synthetic documents once (random draws
from the dev sets' vocabulary dated over one year, with signatures, LSH bands, stories,
profiles; written in bulk by ``near_duplicates.build_store``), indexes its members'
heaviest terms (``index_members``, as migration 0006 does for an existing store; timed
apart), then adds 100 dev-set documents dated within the store's last month through
``fuse_documents``, lexical-only and with embeddings, each run on a fresh copy. It prints
the median seconds of ``--runs`` runs (and docs/s), the story members compared, and the
peak Python heap of the fuse call (tracemalloc, one extra run).

Part ``incidents`` runs ``../shared/dev-data/ceasefire-articles/score.py --fuse``
(pairwise F1 of incidents over documents) when ``trucewatch fuse`` exists, else says
it is skipped.

    nice -n 5 python benchmarks/fusion_accuracy.py [--part stories,incidents] [--cv-repeats 3] [--entities]
    nice -n 5 python benchmarks/fusion_accuracy.py --part none --incremental 100000 [--runs 3]
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
from scipy import sparse

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "dev-data"
FUSION = DEV / "fusion"
SETS = {"GVC": "gvc-dev.jsonl", "ECB+": "ecbplus-dev.jsonl"}

EMB_GRID = (0.0, 0.1, 0.2, 0.3)
GAP_GRID = (0.0, 0.05, 0.1)
WINDOW_GRID = (7, 14, 21, 30)
THRESHOLDS = tuple(round(0.1 + 0.02 * i, 2) for i in range(20))
ENT_GRID = (0.0, 0.05, 0.1, 0.2)


# ---------------------------------------------------------------- scoring

def bcubed(gold: list[str], pred: list[str]) -> tuple[float, float, float]:
    gsize, psize, both = Counter(gold), Counter(pred), Counter(zip(gold, pred))
    n = len(gold)
    p = sum(both[(g, s)] / psize[s] for g, s in zip(gold, pred)) / n
    r = sum(both[(g, s)] / gsize[g] for g, s in zip(gold, pred)) / n
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def pairwise(gold: list[str], pred: list[str]) -> tuple[float, float, float]:
    def pairs(counter: Counter) -> int:
        return sum(c * (c - 1) // 2 for c in counter.values())
    tp, pred_pairs, gold_pairs = pairs(Counter(zip(gold, pred))), pairs(Counter(pred)), pairs(Counter(gold))
    p = tp / pred_pairs if pred_pairs else 1.0
    r = tp / gold_pairs if gold_pairs else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def ari(gold: list[str], pred: list[str]) -> float:
    from sklearn.metrics import adjusted_rand_score
    return float(adjusted_rand_score(gold, pred))


def line(name: str, gold: list[str], pred: list[str], note: str = "") -> str:
    b, pw = bcubed(gold, pred), pairwise(gold, pred)
    return (f"  {name:<28} B3 P {b[0]:.3f} R {b[1]:.3f} F1 {b[2]:.3f} | pairwise P {pw[0]:.3f} R {pw[1]:.3f} "
            f"F1 {pw[2]:.3f} | ARI {ari(gold, pred):.3f} | stories {len(set(pred))}{'  ' + note if note else ''}")


# ---------------------------------------------------------------- data

@dataclass
class DocSet:
    name: str
    rows: list[dict]

    @property
    def gold(self) -> list[str]:
        return [r["cluster"] for r in self.rows]

    def group(self, row: dict) -> str:
        """The unit of the CV split: an incident (GVC), a topic (ECB+: both sibling incidents)."""
        return row["cluster"].split("_")[0] if self.name == "ECB+" else row["cluster"]


def load() -> list[DocSet]:
    out = []
    for name, file in SETS.items():
        with open(FUSION / file, encoding="utf-8") as handle:
            out.append(DocSet(name, [json.loads(x) for x in handle if x.strip()]))
    return out


# ---------------------------------------------------------------- baseline

def components(n: int, edges: np.ndarray) -> list[str]:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    for i, j in zip(*np.nonzero(edges)):
        a, b = find(int(i)), find(int(j))
        if a != b:
            parent[max(a, b)] = min(a, b)
    return [str(find(i)) for i in range(n)]


def tfidf_single_link(ds: DocSet) -> tuple[float, list[str]]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    texts = [f"{r.get('title') or ''}\n{r['text']}" for r in ds.rows]
    m = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    sim = (m @ m.T).toarray()
    np.fill_diagonal(sim, 0.0)
    best = (-1.0, 0.0, [])
    for t in np.arange(0.05, 0.6, 0.01):
        pred = components(len(texts), sim >= t)
        f = bcubed(ds.gold, pred)[2]
        if f > best[0]:
            best = (f, float(t), pred)
    return best[1], best[2]


# ---------------------------------------------------------------- our clustering, simulated

@dataclass
class Prepared:
    days: list[date | None]
    lex: np.ndarray  # lex[i, j] (j < i): cosine with the IDF of the documents before i
    emb: np.ndarray | None
    ent: np.ndarray | None = None  # Jaccard of entity sets, NaN where either document has none


def prepare(rows: list[dict], vectors: np.ndarray | None, entities: list[frozenset[str]] | None = None) -> Prepared:
    """The signals each document meets, in the order the store would see them."""
    from trucewatch.fusion.documents import BATCH
    from trucewatch.fusion.stories import parse_day, term_counts

    counts = [term_counts(r.get("title"), r["text"]) for r in rows]
    vocab = {t: k for k, t in enumerate(sorted({t for c in counts for t in c}))}
    data, ind, ptr = [], [], [0]
    for c in counts:
        for t, n in c.items():
            ind.append(vocab[t])
            data.append(1.0 + math.log(n))
        ptr.append(len(ind))
    tf = sparse.csr_matrix((data, ind, ptr), shape=(len(rows), len(vocab)))
    present = tf.copy()
    present.data[:] = 1.0
    n = len(rows)
    lex = np.zeros((n, n), dtype=np.float32)
    idf = np.ones(len(vocab))
    for i in range(n):
        if i % BATCH == 0:  # StoreIdf: the stored documents and the whole batch in hand, frozen
            end = min(n, i + BATCH)
            df = np.asarray(present[:end].sum(axis=0)).ravel()
            idf = np.log((1 + end) / (1 + df)) + 1.0
        w = tf[: i + 1] @ sparse.diags(idf)
        norms = np.sqrt(np.asarray(w.multiply(w).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        lex[i, :i] = (w[:i] @ w[i].T).toarray().ravel() / (norms[:i] * norms[i]) if i else []
    emb = None if vectors is None else (vectors @ vectors.T)
    ent = None
    if entities is not None:
        from trucewatch.fusion.stories import entity_overlap

        ent = np.array([[np.nan if (o := entity_overlap(a, b)) is None else o for b in entities] for a in entities])
    return Prepared([parse_day(r.get("published")) for r in rows], lex, emb, ent)


def cluster(prep: Prepared, emb_w: float, gap_w: float, window: int, threshold: float,
            ent_w: float = 0.0) -> list[str]:
    """Incremental single-link clustering with the pair score of trucewatch.fusion.stories."""
    n = len(prep.days)
    labels: list[int] = []
    ordinals = np.array([d.toordinal() if d else -1 for d in prep.days])
    for i in range(n):
        if i == 0:
            labels.append(0)
            continue
        s = prep.lex[i, :i].astype(np.float64).copy()
        if prep.emb is not None and emb_w:
            s += emb_w * prep.emb[i, :i]
        if prep.ent is not None and ent_w:
            s += ent_w * np.nan_to_num(prep.ent[i, :i], nan=0.0)
        ok = np.ones(i, dtype=bool)
        if ordinals[i] >= 0:
            dated = ordinals[:i] >= 0
            gap = np.abs(ordinals[:i] - ordinals[i])
            ok = ~dated | (gap <= window)
            s -= np.where(dated, gap_w * np.minimum(gap, window) / window, 0.0)
        s[~ok] = -np.inf
        j = int(np.argmax(s))
        labels.append(labels[j] if s[j] >= threshold else i)
    return [str(x) for x in labels]


def grid(embedding: bool, windows: tuple[int, ...] = WINDOW_GRID, entities: bool = False
         ) -> list[tuple[float, float, int, float, float]]:
    embs = EMB_GRID if embedding else (0.0,)
    return list(itertools.product(embs, GAP_GRID, windows, THRESHOLDS, ENT_GRID if entities else (0.0,)))


def tune(preps: list[tuple[Prepared, list[str]]], points: list[tuple[float, float, int, float, float]]
         ) -> tuple[tuple[float, float, int, float, float], float]:
    """The grid point with the best mean B3 F1 over the given (prepared, gold) sets."""
    best, best_f = points[0], -1.0
    for point in points:
        f = statistics.mean(bcubed(g, cluster(p, *point))[2] for p, g in preps)
        if f > best_f + 1e-9:
            best, best_f = point, f
    return best, best_f


# ---------------------------------------------------------------- the store path

def stage_annotations(rows: list[dict]) -> list[list[tuple[str, int, int, str, dict]]]:
    """The place and actor annotations the places and actors stages give each document."""
    import importlib

    from trucewatch.pipeline.stage import DocumentInput

    def stage_class(folder: str, name: str) -> type:
        # the stages live under trucewatch.extract/ on newer trees, at the top level on older ones
        for module in (f"trucewatch.extract.{folder}.stage", f"trucewatch.{folder}.stage"):
            try:
                return getattr(importlib.import_module(module), name)
            except ModuleNotFoundError:
                continue
        raise ModuleNotFoundError(f"no {folder} stage found")

    PlacesStage, ActorsStage = stage_class("places", "PlacesStage"), stage_class("actors", "ActorsStage")

    places, actors = PlacesStage(), ActorsStage()
    out = []
    for r in rows:
        doc = DocumentInput(id=r["id"], text=r["text"], language="en", published=r.get("published"),
                            title=r.get("title"))
        found = places.process(doc, {})
        tagged = actors.process(doc, {"places": found})
        out.append([(a.kind, a.start, a.end, a.text, a.value or {}) for a in found.annotations + tagged.annotations
                    if a.kind in ("place", "actor")])
    return out


def entity_sets(annotations: list[list[tuple[str, int, int, str, dict]]]) -> list[frozenset[str]]:
    """As trucewatch.fusion.documents reads them: gazetteer ids of places, knowledge-base ids of actors."""
    out = []
    for anns in annotations:
        keys = set()
        for kind, _s, _e, _t, value in anns:
            key = value.get("geonameid") if kind == "place" else value.get("actor_id")
            if key is not None:
                keys.add(f"{kind}:{key}")
        out.append(frozenset(keys))
    return out


def through_store(rows: list[dict], encoder: object,
                  annotations: list[list[tuple[str, int, int, str, dict]]] | None = None) -> tuple[list[str], float]:
    """Stories from fuse_documents on a temporary SQLite store; seconds of the fuse call."""
    from trucewatch.fusion.documents import fuse_documents, story_of
    from trucewatch.store import open_store
    from trucewatch.store.schema import Annotation, Document, RawBlob

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{tmp}/bench.db")
        ids = []
        base = datetime(2026, 1, 1, tzinfo=timezone.utc)
        with store.session() as s:
            for k, r in enumerate(rows):
                raw = r["text"].encode()
                sha = hashlib.sha256(raw).hexdigest()
                if s.get(RawBlob, sha) is None:
                    s.add(RawBlob(sha256=sha, size=len(raw), content=raw))
                    s.flush()
                ident = hashlib.sha256(f"{k}:{r['id']}".encode()).hexdigest()[:32]
                s.add(Document(id=ident, title=r.get("title"), language="en", text=r["text"],
                               published=r.get("published"), published_basis="metadata" if r.get("published")
                               else "unknown", source_format="jsonl", raw_sha256=sha,
                               ingested_at=base + timedelta(seconds=k), source_path="bench", source_line=k))
                s.flush()
                for kind, start, end, text, value in (annotations[k] if annotations else []):
                    s.add(Annotation(document_id=ident, stage="places" if kind == "place" else "actors",
                                     stage_version="bench", kind=kind, start=start, end=end, text=text, value=value))
                ids.append(ident)
        t = time.perf_counter()
        fuse_documents(store, ids, encoder=encoder)
        seconds = time.perf_counter() - t
        with store.session() as s:
            stories = story_of(s, ids)
        store.close()
    return [stories[i] for i in ids], seconds


# ---------------------------------------------------------------- parts

def part_stories(cv_repeats: int, with_entities: bool) -> None:
    from trucewatch.embed import embedding_status, get_encoder
    from trucewatch.fusion import stories

    sets = load()
    encoder = get_encoder()
    print(f"embeddings: {embedding_status().reason}")
    vectors: dict[str, np.ndarray | None] = {}
    for ds in sets:
        if encoder is None:
            vectors[ds.name] = None
            continue
        texts = [stories.embedding_text(r.get("title"), r["text"]) for r in ds.rows]
        t = time.perf_counter()
        vectors[ds.name] = encoder.encode(texts)
        dt = time.perf_counter() - t
        print(f"  embedding {ds.name}: {len(texts)} docs in {dt:.2f} s = {len(texts) / dt:.0f} docs/s")
    anns: dict[str, list | None] = {ds.name: None for ds in sets}
    ents: dict[str, list[frozenset[str]] | None] = {ds.name: None for ds in sets}
    if with_entities:
        for ds in sets:
            t = time.perf_counter()
            anns[ds.name] = stage_annotations(ds.rows)
            ents[ds.name] = entity_sets(anns[ds.name])  # type: ignore[arg-type]
            print(f"  places+actors stages on {ds.name}: {len(ds.rows) / (time.perf_counter() - t):.1f} docs/s; "
                  f"documents with entities {sum(bool(e) for e in ents[ds.name])}/{len(ds.rows)}")  # type: ignore[union-attr]
    t = time.perf_counter()
    full = {ds.name: prepare(ds.rows, vectors[ds.name], ents[ds.name]) for ds in sets}
    print(f"  lexical signals (incremental IDF) for both sets: {time.perf_counter() - t:.1f} s")

    both = [(full[ds.name], ds.gold) for ds in sets]
    tuned, _ = tune(both, grid(encoder is not None, entities=with_entities))
    # the window is shared by both weight sets, so the lexical-only point is tuned at the shipped one
    lex_only, _ = tune(both, grid(False, (stories.WINDOW_DAYS,), entities=with_entities))
    for ds in sets:
        print(f"\n{ds.name}: {len(ds.rows)} documents, {len(set(ds.gold))} gold stories")
        print(line("singletons", ds.gold, [r["id"] for r in ds.rows]))
        t_base, base = tfidf_single_link(ds)
        print(line("tfidf-single-link", ds.gold, base, f"(cos >= {t_base:.2f}, tuned on this file)"))
        print(line("ours lexical-only (sim)", ds.gold, cluster(full[ds.name], *lex_only),
                   f"(gap {lex_only[1]}, window {lex_only[2]}, threshold {lex_only[3]}, entities {lex_only[4]})"))
        print(line("ours dev-tuned (sim)", ds.gold, cluster(full[ds.name], *tuned),
                   f"(emb {tuned[0]}, gap {tuned[1]}, window {tuned[2]}, threshold {tuned[3]}, "
                   f"entities {tuned[4]})"))
        if encoder is not None:
            pred, seconds = through_store(ds.rows, encoder, anns[ds.name])
            print(line("ours (store, shipped)", ds.gold, pred,
                       f"({len(ds.rows) / seconds:.0f} docs/s fuse, embedding included)"))
        pred, seconds = through_store(ds.rows, None, anns[ds.name])
        print(line("ours lexical-only (store)", ds.gold, pred, f"({len(ds.rows) / seconds:.0f} docs/s fuse)"))
    print(f"\nshipped: with embedding {stories.WITH_EMBEDDING.as_dict()}, lexical-only "
          f"{stories.LEXICAL_ONLY.as_dict()}, window {stories.WINDOW_DAYS}; tuned here: emb {tuned[0]}, "
          f"gap {tuned[1]}, window {tuned[2]}, threshold {tuned[3]}, entities {tuned[4]}; lexical-only gap "
          f"{lex_only[1]}, threshold {lex_only[3]}, entities {lex_only[4]}")

    if cv_repeats < 1:
        return
    # cross-validation over clusters: tune on one half of both sets, score the other half
    held: dict[str, list[float]] = defaultdict(list)
    for rep in range(cv_repeats):
        rng = random.Random(20261206 + rep)
        halves: dict[str, list[list[int]]] = {}
        for ds in sets:
            groups = sorted({ds.group(r) for r in ds.rows})
            rng.shuffle(groups)
            first = set(groups[: len(groups) // 2])
            halves[ds.name] = [[k for k, r in enumerate(ds.rows) if (ds.group(r) in first) == side]
                               for side in (True, False)]
        parts = {}
        for ds in sets:
            for side in (0, 1):
                idx = halves[ds.name][side]
                vec = None if vectors[ds.name] is None else vectors[ds.name][idx]
                ent = None if ents[ds.name] is None else [ents[ds.name][k] for k in idx]  # type: ignore[index]
                parts[(ds.name, side)] = (prepare([ds.rows[k] for k in idx], vec, ent),
                                          [ds.rows[k]["cluster"] for k in idx])
        for side in (0, 1):
            point, _ = tune([parts[(ds.name, side)] for ds in sets], grid(encoder is not None, entities=with_entities))
            for ds in sets:
                prep, gold = parts[(ds.name, 1 - side)]
                held[ds.name].append(bcubed(gold, cluster(prep, *point))[2])
    print(f"\ncross-validation over clusters ({cv_repeats} seeded 2-fold splits; tuned on one half of both sets, "
          f"B3 F1 on the other half):")
    for name, values in held.items():
        print(f"  {name:<6} held-out B3 F1 mean {statistics.mean(values):.3f} (min {min(values):.3f}, "
              f"max {max(values):.3f}, n={len(values)})")


def part_incremental(n: int, runs: int, keep: str | None = None) -> None:
    """Seconds and peak heap of adding 100 documents to a fused store of ``n`` (see the module doc)."""
    import shutil
    import tracemalloc

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from near_duplicates import build_store  # the synthetic store the duplicate benchmark times too

    from trucewatch.embed import embedding_status, get_encoder
    from trucewatch.fusion import documents
    from trucewatch.fusion.documents import fuse_documents
    from trucewatch.store import open_store
    from trucewatch.store.schema import Document, RawBlob

    rows = [r for ds in load() for r in ds.rows]
    rng = random.Random(20261206)
    vocabulary = [w for r in rows for w in r["text"].split()]
    new = random.Random(7).sample(rows, 100)
    with tempfile.TemporaryDirectory() as tmp:
        built = keep or f"{tmp}/built.db"
        if keep and Path(keep).exists():
            print(f"reusing the store {keep} (built and indexed by an earlier run)")
        else:
            build_store(built, n, vocabulary, rng)
        if hasattr(documents, "index_members"):  # absent before the term index (to time the code before it)
            store = open_store(f"sqlite:///{built}")
            t = time.perf_counter()
            with store.session() as s:
                indexed = documents.index_members(s)
            store.close()
            print(f"indexed the heaviest terms of {indexed} members in {time.perf_counter() - t:.1f} s")
        encoder = get_encoder()
        for label, enc in (("lexical-only", None), ("with embeddings", encoder)):
            if label != "lexical-only" and enc is None:
                print(f"with embeddings: skipped ({embedding_status().reason})")
                continue
            seconds, peak, compared = [], 0, 0
            for run in range(runs + 1):
                copy = f"{tmp}/run.db"
                shutil.copyfile(built, copy)
                store = open_store(f"sqlite:///{copy}")
                ids = []
                with store.session() as s:
                    for k, r in enumerate(new):
                        raw = r["text"].encode()
                        sha = hashlib.sha256(raw).hexdigest()
                        if s.get(RawBlob, sha) is None:
                            s.add(RawBlob(sha256=sha, size=len(raw), content=raw))
                            s.flush()
                        ident = "n" + hashlib.sha256(f"{k}:{r['id']}".encode()).hexdigest()[:31]
                        day = (date(2025, 12, 1) + timedelta(days=k % 31)).isoformat()
                        s.add(Document(id=ident, title=r.get("title"), text=r["text"], published=day,
                                       published_basis="metadata", source_format="jsonl", raw_sha256=sha,
                                       ingested_at=datetime(2026, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=k),
                                       source_path="new", source_line=k, language="en"))
                        ids.append(ident)
                if run == runs:  # the extra run: heap peak (tracemalloc slows it, so not timed)
                    tracemalloc.start()
                    fuse_documents(store, ids, encoder=enc)
                    peak = tracemalloc.get_traced_memory()[1]
                    tracemalloc.stop()
                else:
                    t = time.perf_counter()
                    summary = fuse_documents(store, ids, encoder=enc)
                    seconds.append(time.perf_counter() - t)
                    compared = summary.members_compared
                store.close()
            med = statistics.median(seconds)
            print(f"{label}: 100 documents into {n}: median {med:.2f} s of {runs} "
                  f"({', '.join(f'{x:.2f}' for x in seconds)}) = {100 / med:.0f} docs/s (embedding included when on); "
                  f"members compared {compared} ({compared / 100:.0f} per document); "
                  f"peak Python heap of the fuse call {peak / 2**20:.0f} MiB")


def part_incidents() -> None:
    """Incident-level figure (issue 14, 'Incidents across the real ceasefire articles')."""
    score = DEV / "ceasefire-articles" / "score.py"
    tw = ROOT / ".venv" / "bin" / "trucewatch"
    tw_cmd = str(tw) if tw.exists() else None
    probe = subprocess.run([sys.executable, "-m", "trucewatch.cli", "fuse", "--help"], capture_output=True, text=True)
    if not score.exists() or probe.returncode != 0:
        print("incidents: skipped (no score.py, or no `trucewatch fuse` command yet)")
        return
    cmd = [sys.executable, str(score), "--fuse"] + (["--tw", tw_cmd] if tw_cmd else [])
    print("incidents:", " ".join(cmd))
    subprocess.run(cmd, check=False)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--part", default="stories,incidents")
    ap.add_argument("--cv-repeats", type=int, default=3)
    ap.add_argument("--entities", action="store_true",
                    help="run the places and actors stages on the documents (minutes) and tune the entities weight")
    ap.add_argument("--incremental", type=int, default=0, metavar="N",
                    help="time adding 100 dev documents to a store of N fused synthetic documents (e.g. 100000)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs of --incremental (median printed)")
    ap.add_argument("--keep-store", metavar="PATH",
                    help="--incremental: build the N-document store at PATH and keep it, or reuse it if there")
    args = ap.parse_args()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    if not FUSION.is_dir():
        print(f"skipped: {FUSION} is absent")
        return 0
    wanted = set(args.part.split(","))
    if "stories" in wanted:
        part_stories(args.cv_repeats, args.entities)
    if "incidents" in wanted:
        part_incidents()
    if args.incremental:
        part_incremental(args.incremental, args.runs, args.keep_store)
    return 0


if __name__ == "__main__":
    sys.exit(main())
