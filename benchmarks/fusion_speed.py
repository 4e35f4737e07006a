"""Speed and memory of ``fuse`` (incidents) on a large store of processed documents.

The documents and their events are synthetic and written straight into the store
(``trucewatch.fusion.synthetic`` shape: documents, an events stage run each, events
with evidence), not extracted from 100,000 texts: this measures fusion, not
extraction. They look like a news corpus: happenings over three years in 30
countries, each reported by one to four outlets, every report carrying one main
event, two background mentions of earlier happenings and, one time in five, a denial
or a planned event. The CPU time of the story step's sentence embeddings is reported
apart (``embedding``): it is the model's cost, not fusion's.

Measured, each fuse in its own process: wall time, CPU time of the fuse (user + system,
the fair figure on a shared machine: the wall time also counts waiting for a core) and
the process's peak RSS:

1. fuse a fresh store of --small documents (target: 20,000 in <= 5 min, one core);
2. grow the store to --large documents, fuse, then add 100 documents and fuse them
   (target: <= 10 s);
3. memory: the peak RSS of the 100-document fuse in the small and the large store,
   and of the full fuses, side by side (it must not grow with the store).

    nice -n 5 python benchmarks/fusion_speed.py                 # 20,000 / 100,000, 3 runs of the 100
    python benchmarks/fusion_speed.py --small 2000 --large 10000 --runs 1   # quick look
    python benchmarks/fusion_speed.py --only small --words 400 # texts of news length: the whole fuse
    TRUCEWATCH_NO_EMBEDDINGS=1 python benchmarks/fusion_speed.py --only small --words 400  # without embeddings

With one-line texts the near-duplicate and story steps have almost nothing to read, so
the figure is the incident step's; ``--words`` gives every document a text of news length
(words of the demo corpus), and the figure is then the whole ``fuse``, embeddings included
unless ``TRUCEWATCH_NO_EMBEDDINGS`` is set.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

KINDS = [
    ("Battles", "Armed clash", None), ("Explosions/Remote violence", "Shelling/artillery/missile attack", None),
    ("Explosions/Remote violence", "Air/drone strike", None), ("Violence against civilians", "Attack", None),
    ("Protests", "Peaceful protest", None), (None, None, "talks"), ("Strategic developments", "Agreement", "ceasefire"),
    (None, None, "violation_alleged"),
]
ACTORS = ["Libyan National Army", "Government of National Accord", "Khalifa Haftar", "Israel Defense Forces",
          "Hamas", "Rapid Support Forces", "Sudanese Armed Forces", "Houthis", None]
START = date(2021, 1, 1)


def happenings(n: int, rng: random.Random) -> list[dict[str, Any]]:
    out = []
    for i in range(n):
        country = f"Country {rng.randrange(30):02d}"
        lat, lon = rng.uniform(-30, 50), rng.uniform(-20, 80)
        kind = KINDS[rng.randrange(len(KINDS))]
        out.append({"i": i, "day": START + timedelta(days=rng.randrange(1095)), "country": country,
                    "location": f"Town {rng.randrange(400)}", "admin1": f"Region {rng.randrange(12)}",
                    "lat": lat, "lon": lon, "kind": kind, "actor1": rng.choice(ACTORS), "actor2": rng.choice(ACTORS),
                    "killed": rng.choice([None, None, 1, 2, 5, 13, 23])})
    return out


def event_row(h: dict[str, Any], status: str, rng: random.Random, doc_id: str, ordinal: int) -> dict[str, Any]:
    shift = rng.choice([0, 0, 0, 1])
    event_type, sub, process = h["kind"]
    return {"id": f"{doc_id[:24]}-{hashlib.sha1(b'events').hexdigest()[:8]}-{ordinal}", "document_id": doc_id,
            "stage": "events", "stage_version": "synthetic", "event_date": (h["day"] + timedelta(days=shift)).isoformat(),
            "date_end": None, "time_precision": rng.choice([1, 1, 1, 2]), "event_type": event_type,
            "sub_event_type": sub, "process_type": process, "status": status, "actor1": h["actor1"],
            "actor2": h["actor2"], "assoc_actor_1": None, "assoc_actor_2": None, "inter1": 1, "inter2": 2,
            "mediators": None, "country": h["country"], "admin1": h["admin1"], "location": h["location"],
            "latitude": h["lat"] + rng.uniform(-0.02, 0.02), "longitude": h["lon"] + rng.uniform(-0.02, 0.02),
            "geo_precision": 1, "claimant": "a spokesman" if status == "negated" else None,
            "fatalities": h["killed"] if rng.random() < 0.8 else (h["killed"] or 0) + 2, "fatalities_low": None,
            "fatalities_high": None, "injured": None, "displaced": None, "notes": "synthetic report",
            "confidence": 0.8}


def _vocabulary() -> list[str]:
    """Words of the bundled demo corpus (ours), to make texts of news length from."""
    folder = ROOT / "src" / "trucewatch" / "resources" / "demo" / "text"
    words: list[str] = []
    for f in sorted(folder.rglob("*.txt")):
        try:
            words += f.read_bytes().decode("utf-8").split()
        except UnicodeDecodeError:
            continue  # the corpus keeps files in legacy encodings on purpose (cp1256, Latin-1)
    return words


def add_documents(url: str, start: int, count: int, seed: int = 7, words: int = 0) -> None:
    """Documents start..start+count-1 (same seed, same corpus), inserted in bulk; with ``words``,
    each text is that many words drawn from the demo corpus (news length), so that the
    near-duplicate and story steps of ``fuse`` do their real work; else a one-line text."""
    from sqlalchemy import insert

    from trucewatch.store import open_store
    from trucewatch.store.schema import Document, Event, EventEvidence, RawBlob, StageRun

    rng = random.Random(seed)
    pool = happenings(max(10, (start + count) // 2), rng)
    pool.sort(key=lambda h: h["day"])
    store = open_store(url)
    now = datetime.now(timezone.utc)
    blob = b"synthetic"
    sha = hashlib.sha256(blob).hexdigest()
    vocabulary = _vocabulary() if words else []
    with store.session() as session:
        if session.get(RawBlob, sha) is None:
            session.add(RawBlob(sha256=sha, size=len(blob), content=blob))
    for chunk in range(start, start + count, 2000):
        docs, events, evidence, runs = [], [], [], []
        for n in range(chunk, min(start + count, chunk + 2000)):
            r = random.Random(seed * 1_000_003 + n)
            h = pool[(n * 7) % len(pool) if n % 5 else r.randrange(len(pool))]
            doc_id = hashlib.sha256(f"doc {n}".encode()).hexdigest()[:32]
            text = " ".join(r.choices(vocabulary, k=words)) if words else f"Synthetic report {n}."
            docs.append({"id": doc_id, "outlet": f"Outlet {r.randrange(60)}", "text": text,
                         "published": (h["day"] + timedelta(days=1)).isoformat(), "published_basis": "metadata",
                         "source_format": "jsonl", "raw_sha256": sha, "ingested_at": now, "language": "en",
                         "translated": False})
            picked = [(h, "main")] + [(pool[r.randrange(len(pool))], "background") for _ in range(2)]
            if r.random() < 0.2:
                picked.append((h if r.random() < 0.5 else pool[r.randrange(len(pool))], r.choice(["negated", "planned"])))
            for ordinal, (hh, status) in enumerate(picked, start=1):
                row = event_row(hh, status, r, doc_id, ordinal)
                events.append(row)
                evidence.append({"event_id": row["id"], "document_id": doc_id, "field": "sentence", "start": 0,
                                 "end": 9, "text": "Synthetic"})
            runs.append({"document_id": doc_id, "stage": "events", "version": "synthetic", "status": "ok",
                         "error": None, "ran_at": now})
        with store.session() as session:
            session.execute(insert(Document), docs)
            session.execute(insert(Event), events)
            session.execute(insert(EventEvidence), evidence)
            session.execute(insert(StageRun), runs)
    store.close()


def stored_documents(url: str) -> int:
    """Documents already in the store (a kept --store, or 0 for a new file)."""
    from sqlalchemy import func, select

    from trucewatch.store import open_store
    from trucewatch.store.schema import Document

    store = open_store(url)
    with store.session() as session:
        count = session.scalar(select(func.count()).select_from(Document)) or 0
    store.close()
    return int(count)


def child_fuse(url: str) -> None:
    """Run in a subprocess: fuse and print seconds, documents and peak RSS."""
    from trucewatch.fusion.run import fuse
    from trucewatch.store import open_store

    store = open_store(url)
    started, cpu = time.perf_counter(), time.process_time()
    summary = fuse(store)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    store.close()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "cpu": cpu, "documents": summary.documents, "peak_rss_mb": rss,
                      "embedding_cpu": summary.embedding_seconds}))


def timed_fuse(url: str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "OPENBLAS_NUM_THREADS": "1"}
    done = subprocess.run([sys.executable, __file__, "--child-fuse", url], capture_output=True, text=True, env=env,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--small", type=int, default=20_000)
    ap.add_argument("--large", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3, help="runs of each measurement (medians are quoted)")
    ap.add_argument("--db", help="a PostgreSQL URL to use instead of SQLite files (it must be empty)")
    ap.add_argument("--only", choices=("small", "large"), help="run one half (the two can run side by side)")
    ap.add_argument("--words", type=int, default=0,
                    help="texts of this many words (news length, e.g. 400) instead of one line: the story step's real cost")
    ap.add_argument("--store", type=Path,
                    help="SQLite file for the large store, kept between invocations: documents it lacks up to --large "
                         "are added and fused, so a 100,000-document store is built once and each later "
                         "invocation only measures its +100 runs")
    ap.add_argument("--child-fuse", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child_fuse:
        child_fuse(args.child_fuse)
        return
    folder = Path(tempfile.mkdtemp(prefix="trucewatch-fusion-speed-"))
    try:
        measure(args, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # the stores take gigabytes (a --store is kept)


def measure(args: argparse.Namespace, folder: Path) -> None:
    small_runs: list[dict[str, Any]] = []
    add_small: list[dict[str, Any]] = []
    add_large: list[dict[str, Any]] = []
    med = lambda rows, key: statistics.median(r[key] for r in rows)  # noqa: E731
    for run in range(args.runs if args.only != "large" else 0):
        url = f"sqlite:///{folder / f'small-{run}.db'}"
        add_documents(url, 0, args.small, words=args.words)
        small_runs.append(timed_fuse(url))
        add_documents(url, args.small, 100, words=args.words)
        add_small.append(timed_fuse(url))
        print(f"run {run + 1}: fuse {args.small} docs {small_runs[-1]['seconds']:.1f} s wall, "
              f"{small_runs[-1]['cpu']:.1f} s CPU, of which embedding {small_runs[-1]['embedding_cpu']:.1f} s "
              f"({small_runs[-1]['peak_rss_mb']:.0f} MB peak); +100 docs "
              f"{add_small[-1]['seconds']:.2f} s wall, {add_small[-1]['cpu']:.2f} s CPU "
              f"({add_small[-1]['peak_rss_mb']:.0f} MB)", flush=True)
    if args.only == "small":
        print(f"\nfuse {args.small} documents: median {med(small_runs, 'seconds'):.1f} s wall, "
              f"{med(small_runs, 'cpu'):.1f} s CPU ({args.small / med(small_runs, 'cpu'):.0f} docs per CPU second; "
              f"target <= 300 s), peak RSS {med(small_runs, 'peak_rss_mb'):.0f} MB")
        print(f"of which embedding: median {med(small_runs, 'embedding_cpu'):.1f} s CPU; fusion without it: median "
              f"{statistics.median(r['cpu'] - r['embedding_cpu'] for r in small_runs):.1f} s CPU")
        print(f"add 100 documents to {args.small}: median {med(add_small, 'seconds'):.2f} s wall, "
              f"{med(add_small, 'cpu'):.2f} s CPU, peak RSS {med(add_small, 'peak_rss_mb'):.0f} MB")
        return
    url = args.db or f"sqlite:///{args.store.resolve() if args.store else folder / 'large.db'}"
    have = stored_documents(url)
    large_full: dict[str, Any] | None = None
    if have < args.large:
        add_documents(url, have, args.large - have, words=args.words)
        large_full = timed_fuse(url)
        print(f"fuse {args.large - have} docs into {have} {large_full['seconds']:.1f} s wall, "
              f"{large_full['cpu']:.1f} s CPU ({large_full['peak_rss_mb']:.0f} MB peak)", flush=True)
        have = args.large
    else:
        catch_up = timed_fuse(url)  # a build cut short leaves documents unfused: finish them first
        print(f"kept store: {have} documents in {args.store} ({catch_up['documents']} left to fuse, "
              f"{catch_up['cpu']:.1f} s CPU)", flush=True)
    for run in range(args.runs):
        add_documents(url, have, 100, words=args.words)
        add_large.append(timed_fuse(url))
        print(f"run {run + 1}: +100 docs to {have} {add_large[-1]['seconds']:.2f} s wall, "
              f"{add_large[-1]['cpu']:.2f} s CPU ({add_large[-1]['peak_rss_mb']:.0f} MB; embedding "
              f"{add_large[-1]['embedding_cpu']:.2f} s)", flush=True)
        have += 100
    if args.only == "large":
        if large_full:
            print(f"\nfuse to {args.large} documents: {large_full['seconds']:.1f} s wall, {large_full['cpu']:.1f} s CPU, "
                  f"peak RSS {large_full['peak_rss_mb']:.0f} MB")
        print(f"add 100 documents to {args.large} or more: median {med(add_large, 'seconds'):.2f} s wall, "
              f"{med(add_large, 'cpu'):.2f} s CPU (target <= 10 s), peak RSS {med(add_large, 'peak_rss_mb'):.0f} MB; "
              f"of which embedding {med(add_large, 'embedding_cpu'):.2f} s CPU")
        return
    print(f"\nfuse {args.small} documents: median {med(small_runs, 'seconds'):.1f} s wall, "
          f"{med(small_runs, 'cpu'):.1f} s CPU ({args.small / med(small_runs, 'cpu'):.0f} docs per CPU second; "
          f"target <= 300 s), peak RSS {med(small_runs, 'peak_rss_mb'):.0f} MB")
    if large_full:
        print(f"fuse to {args.large} documents: {large_full['seconds']:.1f} s wall, {large_full['cpu']:.1f} s CPU, "
              f"peak RSS {large_full['peak_rss_mb']:.0f} MB")
    print(f"add 100 documents to {args.small}: median {med(add_small, 'seconds'):.2f} s wall, "
          f"{med(add_small, 'cpu'):.2f} s CPU, peak RSS {med(add_small, 'peak_rss_mb'):.0f} MB")
    print(f"add 100 documents to {args.large} or more: median {med(add_large, 'seconds'):.2f} s wall, "
          f"{med(add_large, 'cpu'):.2f} s CPU (target <= 10 s), peak RSS {med(add_large, 'peak_rss_mb'):.0f} MB")
    print(f"embedding cost (story step): median {med(small_runs, 'embedding_cpu'):.1f} s CPU of the {args.small}, "
          f"{med(add_large, 'embedding_cpu'):.2f} s of the 100")


if __name__ == "__main__":
    main()
