"""Near-duplicate detection on generated reposts of real articles (issue 14).

Reads real articles from ``<repo>/../shared/dev-data/`` (GVC and ECB+ fusion sets,
GeoVirus and TR-News geoparsing XML, TempEval-3 TimeBank and AQUAINT TimeML); nothing
is copied into the repository, and the variants exist only in memory while this runs.
When the folder is absent it says so and exits 0.

Articles of at least ``--min-words`` words are taken (in a seeded order, ``--n`` of
them; the sources mix topics and weeks, and GVC and ECB+ hold many reports of the same
incident or of sibling incidents, which are the hard negatives). Each gets one repost,
the four kinds in turn:

* ``headline``: another headline on top (one of another article's opening lines);
* ``boilerplate``: site furniture added above and below (lines written for this script);
* ``edited``: 5 % of the words replaced by words of other articles;
* ``truncated``: cut to its first half (by words).

The originals are stored first, then the reposts, in a temporary SQLite store, through
``trucewatch.fusion.duplicates.detect`` (the persisted LSH index; committed per batch
of 100). Then:

* recall: reposts whose ``duplicate_of`` is their article (or the original that article
  itself repeats), per kind and overall;
* precision: of the reposts linked to something, those linked to their article (or to an
  article that is a near-copy of it: exact shingle containment >= 0.8 between the two
  originals, i.e. a wire copy already in the data, counted and shown apart);
* originals linked to other originals (copies already in the data), checked against
  their exact shingle Jaccard/containment;
* docs/s of the duplicate step (signing, LSH lookup, comparison, writes), median of
  ``--runs`` runs, and LSH candidates per document.

``--incremental N`` measures what adding 100 of the articles costs in a store that
already holds N fused documents (default 100,000): a store of N synthetic documents
(random draws from the articles' vocabulary, dated over one year, each with its
signature, LSH bands, story and profile, written in bulk) is built once, then the 100
articles (dated within its last month, as new reports are) go through ``fuse_documents``, lexical-only and with
embeddings (embedding time printed apart), each on a fresh copy of the store. It prints
the seconds, the LSH lookups and candidates, and the story members compared.

``--sweep`` also prints recall/precision over shingle sizes and thresholds from an
in-memory LSH with the same banding (how the shipped parameters were chosen).

    nice -n 5 python benchmarks/near_duplicates.py [--n 1000] [--runs 3] [--sweep]
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import random
import re
import statistics
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "dev-data"
KINDS = ("headline", "boilerplate", "edited", "truncated")
#: Site furniture written for this benchmark (not taken from any site).
BOILER_TOP = ["Home | World | Politics | Business | Sport", "Breaking: live updates all day",
              "Advertisement"]
BOILER_BOTTOM = ["Sign up for our morning briefing and get the day's top stories in your inbox.",
                 "Share this story on social media.", "Comments are closed for this article.",
                 "(c) 2026 Example Daily Media Group. All rights reserved."]


def _clean(text: str) -> str:
    return re.sub(r"[ \t]+", " ", text).strip()


def load_articles() -> list[dict]:
    """Real articles with a group where the source has one (GVC incident, ECB+ cluster)."""
    out: list[dict] = []
    for name in ("gvc-dev.jsonl", "ecbplus-dev.jsonl"):
        path = DEV / "fusion" / name
        if path.exists():
            for line in path.open(encoding="utf-8"):
                row = json.loads(line)
                out.append({"source": name.split("-")[0], "group": row["cluster"], "title": row.get("title"),
                            "text": row["text"]})
    for name in ("GeoVirus.xml", "TR-News.xml"):
        path = DEV / "geoparsing" / name
        if path.exists():
            for k, art in enumerate(ET.parse(path).getroot().iter("article")):
                text = art.findtext("text") or ""
                out.append({"source": name, "group": f"{name}:{k}", "title": _clean(art.findtext("title") or "") or None,
                            "text": text.strip()})
    for path in sorted(glob.glob(str(DEV / "tempeval3" / "*" / "*.tml"))):
        raw = Path(path).read_text(encoding="utf-8", errors="replace")
        match = re.search(r"<TEXT>(.*?)</TEXT>", raw, re.S)
        if match:
            out.append({"source": "tempeval3", "group": path, "title": None,
                        "text": re.sub(r"<[^>]+>", "", match.group(1)).strip()})
    return out


def make_variant(article: dict, kind: str, rng: random.Random, others: list[dict]) -> str:
    body = article["text"]
    if kind == "headline":
        other = rng.choice(others)
        head = (other.get("title") or other["text"].split("\n", 1)[0])[:150]
        return f"{head}\n{body}"
    if kind == "boilerplate":
        return "\n".join(rng.sample(BOILER_TOP, 2) + [body] + rng.sample(BOILER_BOTTOM, 3))
    words = body.split()
    if kind == "edited":
        pool = rng.choice(others)["text"].split() or ["word"]
        for i in rng.sample(range(len(words)), max(1, round(0.05 * len(words)))):
            words[i] = rng.choice(pool)
        return " ".join(words)
    return " ".join(words[: len(words) // 2])


def run_store(originals: list[str], variants: list[str]) -> tuple[list[str], list[str | None], float, int]:
    """Store originals then variants and detect duplicates; ids, duplicate_of, seconds, candidates."""
    from trucewatch.fusion import duplicates
    from trucewatch.store import open_store
    from trucewatch.store.schema import Document, RawBlob

    texts = originals + variants
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{tmp}/dups.db")
        base = datetime(2026, 1, 1, tzinfo=timezone.utc)
        ids: list[str] = []
        with store.session() as s:
            for k, text in enumerate(texts):
                raw = text.encode()
                sha = hashlib.sha256(raw).hexdigest()
                if s.get(RawBlob, sha) is None:
                    s.add(RawBlob(sha256=sha, size=len(raw), content=raw))
                    s.flush()
                ident = hashlib.sha256(f"{k}".encode() + raw).hexdigest()[:32]
                s.add(Document(id=ident, text=text, published_basis="unknown", source_format="text",
                               raw_sha256=sha, ingested_at=base + timedelta(seconds=k), source_path="bench",
                               source_line=k))
                ids.append(ident)
        stats = duplicates.DuplicateStats()
        t = time.perf_counter()
        for start in range(0, len(ids), 100):
            with store.session() as s:
                for doc in sorted((s.get(Document, i) for i in ids[start:start + 100]), key=duplicates.order_key):  # type: ignore[arg-type]
                    duplicates.detect(s, doc, stats)
        seconds = time.perf_counter() - t
        with store.session() as s:
            links = [s.get(Document, i).duplicate_of for i in ids]  # type: ignore[union-attr]
        store.close()
    return ids, links, seconds, stats.candidates_compared


def exact(a: set, b: set) -> tuple[float, float]:
    if not a or not b:
        return 0.0, 0.0
    inter = len(a & b)
    return inter / len(a | b), inter / min(len(a), len(b))


def sweep(originals: list[str], variants: list[str], kinds: list[str]) -> None:
    """Recall/precision of the decision rule for several shingle sizes and thresholds (in memory).

    A repost matching another article counts as wrong unless the two articles are copies
    of each other already (exact shingle containment >= 0.8)."""
    from trucewatch.fusion import duplicates as d

    print("\nsweep (in-memory LSH with the shipped banding; 'pairs' = candidate pairs checked):")
    n = len(originals)
    exact_sets = [d.shingles(t) for t in originals]
    for size in (3, 4, 5):
        sigs = [d.sign(t, size) for t in originals + variants]
        buckets: dict[tuple[int, int], list[int]] = defaultdict(list)
        pairs: set[tuple[int, int]] = set()
        for k, sig in enumerate(sigs):
            for band, h in enumerate(d.band_hashes(sig)):
                for other in buckets[(band, h)]:
                    pairs.add((other, k))
                buckets[(band, h)].append(k)
        est = {(a, b): (d.jaccard(sigs[a], sigs[b]), min(sigs[a].size, sigs[b].size)) for a, b in pairs}
        for jmin in (0.35, 0.45, 0.55):
            for cmin in (0.7, 0.8, 0.9):
                found = Counter()
                fp = 0
                flagged = 0
                for (a, b), (jac, small) in est.items():
                    cont = d.containment(sigs[a], sigs[b], jac)
                    if not (jac >= jmin or (cont >= cmin and small >= d.CONTAINMENT_MIN_SHINGLES)):
                        continue
                    if b >= n and a == b - n:
                        found[kinds[a]] += 1
                    if b >= n:
                        flagged += 1
                        fp += a < n and a != b - n and exact(exact_sets[a], exact_sets[b - n])[1] < 0.8
                recall = sum(found.values()) / n
                per = " ".join(f"{k} {found[k] / kinds.count(k):.3f}" for k in KINDS)
                print(f"  shingle {size} jaccard>={jmin} containment>={cmin}: recall {recall:.4f} ({per}); "
                      f"reposts matching an unrelated article {fp} of {flagged} matches; pairs {len(pairs)}")


def build_store(path: str, n: int, vocabulary: list[str], rng: random.Random) -> None:
    """A store of ``n`` fused synthetic documents, written in bulk (not through the fuse path)."""
    import numpy as np
    from sqlalchemy import insert

    from trucewatch.fusion import duplicates as d
    from trucewatch.fusion import stories
    from trucewatch.fusion.documents import story_id_for
    from trucewatch.store import open_store
    from trucewatch.store.schema import (Document, DocumentMinHash, LshBand, RawBlob, Story, StoryMember,
                                         TermFrequency)

    store = open_store(f"sqlite:///{path}")
    base = datetime(2025, 1, 1, tzinfo=timezone.utc)
    df: Counter[str] = Counter()
    t = time.perf_counter()
    for start in range(0, n, 2000):
        docs, blobs, sigs, bands, storyrows, members = [], [], [], [], [], []
        for k in range(start, min(n, start + 2000)):
            text = " ".join(rng.choices(vocabulary, k=250))
            raw = text.encode()
            sha = hashlib.sha256(raw).hexdigest()
            ident = sha[:32]
            day = (base + timedelta(days=k * 365 // n)).date().isoformat()
            blobs.append({"sha256": sha, "size": len(raw), "content": raw})
            docs.append({"id": ident, "text": text, "published": day, "published_basis": "metadata",
                         "source_format": "text", "raw_sha256": sha, "ingested_at": base + timedelta(seconds=k),
                         "source_path": "synthetic", "source_line": k, "translated": False})
            sig = d.sign(text)
            sigs.append({"document_id": ident, "params": d.PARAMS, "shingles": sig.size, "signature": sig.to_bytes()})
            bands.extend({"document_id": ident, "band": b, "hash": h} for b, h in enumerate(d.band_hashes(sig)))
            terms = stories.term_counts(None, text)
            df.update(terms.keys())
            emb = rng.getrandbits(32)
            vec = np.random.default_rng(emb).standard_normal(512).astype(np.float32)
            vec /= np.linalg.norm(vec)
            storyrows.append({"id": story_id_for(ident), "founder": ident, "first_date": day, "last_date": day,
                              "size": 1})
            members.append({"document_id": ident, "story_id": story_id_for(ident), "seq": k + 1, "day": day,
                            "embedding": vec.astype("<f2").tobytes(),
                            "profile": {**stories.pack_terms(terms), "entities": [], "language": "en"}, "score": None,
                            "decision": {"joined": False, "synthetic": True}})
        with store.session() as s:
            s.execute(insert(RawBlob), blobs)
            s.execute(insert(Document), docs)
            s.execute(insert(DocumentMinHash), sigs)
            s.execute(insert(LshBand), bands)
            s.execute(insert(Story), storyrows)
            s.execute(insert(StoryMember), members)
    with store.session() as s:
        s.execute(insert(TermFrequency), [{"term": t, "df": c} for t, c in df.items()])
    store.close()
    print(f"built a store of {n} fused synthetic documents in {time.perf_counter() - t:.0f} s")


def incremental(articles: list[dict], n: int, rng: random.Random) -> None:
    import shutil

    from trucewatch.embed import embedding_status, get_encoder
    from trucewatch.fusion import stories
    from trucewatch.fusion.documents import fuse_documents
    from trucewatch.store import open_store
    from trucewatch.store.schema import Document, RawBlob

    vocabulary = [w for a in articles for w in a["text"].split()]
    new = articles[:100]
    with tempfile.TemporaryDirectory() as tmp:
        built = f"{tmp}/built.db"
        build_store(built, n, vocabulary, rng)
        encoder = get_encoder()
        if encoder is not None:
            t = time.perf_counter()
            encoder.encode([stories.embedding_text(a.get("title"), a["text"]) for a in new])
            dt = time.perf_counter() - t
            print(f"embedding the 100 new documents alone: {dt:.2f} s = {len(new) / dt:.0f} docs/s")
        for label, enc in (("lexical-only", None), ("with embeddings", encoder)):
            if label != "lexical-only" and enc is None:
                print(f"with embeddings: skipped ({embedding_status().reason})")
                continue
            copy = f"{tmp}/run.db"
            shutil.copyfile(built, copy)
            store = open_store(f"sqlite:///{copy}")
            base = datetime(2026, 1, 1, tzinfo=timezone.utc)
            ids = []
            with store.session() as s:
                for k, a in enumerate(new):
                    raw = a["text"].encode()
                    sha = hashlib.sha256(raw).hexdigest()
                    s.add(RawBlob(sha256=sha, size=len(raw), content=raw))
                    s.flush()
                    ident = "n" + sha[:31]
                    # new reports are recent: dated within the last month of the store's year
                    day = (datetime(2025, 12, 1) + timedelta(days=rng.randrange(31))).date().isoformat()
                    s.add(Document(id=ident, title=a.get("title"), text=a["text"], published=day,
                                   published_basis="metadata", source_format="text", raw_sha256=sha,
                                   ingested_at=base + timedelta(seconds=k), source_path="new", source_line=k,
                                   language="en"))
                    ids.append(ident)
            t = time.perf_counter()
            summary = fuse_documents(store, ids, encoder=enc)
            dt = time.perf_counter() - t
            store.close()
            print(f"{label}: adding 100 documents to {n}: {dt:.1f} s (embedding included when on); "
                  f"LSH lookups {summary.lsh_lookups}, candidates {summary.lsh_candidates}; story lookups "
                  f"{summary.story_lookups}, members compared {summary.members_compared} "
                  f"({summary.members_compared / max(1, summary.story_lookups):.0f} per document)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--min-words", type=int, default=80)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=20261206)
    ap.add_argument("--sweep", action="store_true")
    ap.add_argument("--incremental", type=int, default=0, metavar="N",
                    help="also time adding 100 articles to a store of N fused documents (e.g. 100000)")
    args = ap.parse_args()
    if not DEV.is_dir():
        print(f"skipped: {DEV} is absent")
        return 0
    from trucewatch.fusion import duplicates as d

    if args.runs < 1:
        args.runs = 1
    articles = [a for a in load_articles() if len(a["text"].split()) >= args.min_words]
    rng = random.Random(args.seed)
    rng.shuffle(articles)
    articles = articles[: args.n]
    if len(articles) < args.n:
        print(f"note: only {len(articles)} articles of >= {args.min_words} words found")
    n = len(articles)
    print(f"{n} articles: " + ", ".join(f"{k} {v}" for k, v in Counter(a["source"] for a in articles).items())
          + f"; words median {statistics.median(len(a['text'].split()) for a in articles):.0f}")
    originals = [a["text"] for a in articles]
    kinds = [KINDS[k % 4] for k in range(n)]
    variants = [make_variant(a, kinds[k], rng, articles[:k] + articles[k + 1:]) for k, a in enumerate(articles)]
    print(f"params {d.PARAMS}: {len(d.BANDS)} bands x {d.BANDS[0][1] - d.BANDS[0][0]} rows; "
          f"jaccard >= {d.JACCARD_MIN} or containment >= {d.CONTAINMENT_MIN} (>= {d.CONTAINMENT_MIN_SHINGLES} shingles)")

    speeds, result = [], None
    for _ in range(max(1, args.runs)):
        ids, links, seconds, compared = run_store(originals, variants)
        speeds.append(2 * n / seconds)
        result = (ids, links, compared)
    ids, links, compared = result  # type: ignore[misc]
    index = {i: k for k, i in enumerate(ids)}
    shingles = [d.shingles(t) for t in originals]

    def copies(a: int, b: int) -> bool:
        jac, cont = exact(shingles[a], shingles[b])
        return jac >= d.JACCARD_MIN or cont >= d.CONTAINMENT_MIN

    hits, flagged, wrong, near_copy = Counter(), 0, 0, 0
    for k in range(n):
        link = links[n + k]
        if link is None:
            continue
        flagged += 1
        target = index[link]
        root = index[links[k]] if links[k] else k
        if target in (k, root):
            hits[kinds[k]] += 1
        elif target < n and copies(k, target):
            hits[kinds[k]] += 1
            near_copy += 1
        else:
            wrong += 1
            print(f"  false link: {kinds[k]} repost of article {k} ({articles[k]['source']}) -> {target}")
    recall = sum(hits.values()) / n
    precision = (flagged - wrong) / flagged if flagged else 1.0
    print(f"recall {recall:.4f} ({sum(hits.values())}/{n}); " + ", ".join(
        f"{k} {hits[k] / kinds.count(k):.3f}" for k in KINDS))
    print(f"precision {precision:.4f} ({flagged - wrong}/{flagged} repost links right; {near_copy} of them to a "
          f"near-copy of the article already in the data)")
    among = [(k, index[links[k]]) for k in range(n) if links[k]]
    agree = sum(copies(a, b) for a, b in among)
    print(f"originals linked to other originals (copies already in the data): {len(among)}, "
          f"of which {agree} pass the rule on exact shingle sets")
    print(f"duplicate step: {statistics.median(speeds):.0f} docs/s median of {len(speeds)} runs "
          f"({', '.join(f'{s:.0f}' for s in speeds)}); LSH candidates compared per document "
          f"{compared / (2 * n):.2f}")
    if args.sweep:
        sweep(originals, variants, kinds)
    if args.incremental:
        incremental(articles, args.incremental, rng)
    return 0


if __name__ == "__main__":
    sys.exit(main())
