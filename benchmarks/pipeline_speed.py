"""End-to-end speed of ``trucewatch process`` on real news texts, where its time goes, and
the floor spaCy's NER model sets.

Builds the corpus of ``news_corpus`` (real news articles from ../shared/dev-data, then
distinct joins of their halves, so ingest keeps every one), ingests it once into a SQLite
store and, on copies of that store, times as separate processes (medians of ``--runs``):

* **end to end**: ``trucewatch process --workers N``, stages then fuse (embeddings
  included) then agreements, talks and scope; and the stages alone (``--no-fuse``);
* **per stage**: ``process --stage S --no-fuse`` for each stage in turn on one copy (each
  run does only that stage, the earlier ones being stored), one worker; its wall seconds
  (start-up included) and its steady rate from the run records;
* **peak memory** of the whole process tree (the command and its workers): the sum of their
  resident sizes, and the sum of their proportional set sizes, which counts a page that n
  forked processes share 1/n in each (workers fork after the models load);
* **the floor**: spaCy's own throughput on the same texts with only the components we load
  (``text.ner``: tokenizer, tok2vec, ner), ``nlp.pipe`` in batches, one core;
* **one document** (``--only one``): ``trucewatch extract`` on one news article (its answer
  time is mostly start-up) and on a text of ``--long-chars`` characters (100,000: news
  articles joined), each a separate process: wall seconds and peak memory (the kernel's
  maximum resident set of the process, read with ``wait4``);
* **flat memory** (``--only flat``): for each size in ``--flat-docs`` (500,20000), a corpus
  of that many documents processed once (``--no-fuse``, each worker count of ``--workers``)
  while the tree's resident and proportional memory are sampled with the count of
  documents done; prints the trace every ``--trace-seconds`` and the peaks side by side, so
  growth with the number of documents shows.

Prints a table per part. Skips (exit 0) when ../shared/dev-data is absent.

    .venv/bin/python benchmarks/pipeline_speed.py [--docs 2000] [--runs 3] [--workers 1,2]
    .venv/bin/python benchmarks/pipeline_speed.py --only flat --workers 1 [--flat-docs 500,20000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
from news_corpus import SHARED, documents, real_texts
from scale import TRUCEWATCH, process_tree, build, steady_rate, timed

STAGES = ("sentences", "time", "places", "actors", "events")


def _command(db: Path, *extra: str) -> list[str]:
    return [str(TRUCEWATCH), "process", "--db", str(db), *extra]


def end_to_end(template: Path, work: Path, docs: int, workers: int, runs: int, env: dict[str, str],
               fuse: bool) -> dict[str, float]:
    rows = []
    for n in range(runs):
        db = work / f"e2e-{workers}-{fuse}-{n}.db"
        shutil.copy(template, db)
        extra = ["--workers", str(workers)] + ([] if fuse else ["--no-fuse"])
        run = timed(_command(db, *extra), env)
        run.steady = steady_rate(db)
        rows.append(run)
        db.unlink()
        print(f"  {'with' if fuse else 'without'} fuse, {workers} worker(s), run {n + 1}: {run.seconds:.1f} s, "
              f"{docs / run.seconds:.2f} docs/s, tree {run.peak_tree_mb:.0f} MB resident, "
              f"{run.peak_tree_pss_mb:.0f} MB proportional", flush=True)
    wall = statistics.median(r.seconds for r in rows)
    return {"wall": wall, "rate": docs / wall, "steady": statistics.median(r.steady for r in rows),
            "tree": statistics.median(r.peak_tree_mb for r in rows),
            "pss": statistics.median(r.peak_tree_pss_mb for r in rows)}


def per_stage(template: Path, work: Path, docs: int, runs: int, env: dict[str, str]) -> dict[str, dict[str, float]]:
    found: dict[str, list[tuple[float, float]]] = {s: [] for s in STAGES}
    for n in range(runs):
        db = work / f"stages-{n}.db"
        shutil.copy(template, db)
        for stage in STAGES:
            run = timed(_command(db, "--stage", stage, "--no-fuse"), env)
            found[stage].append((run.seconds, steady_rate(db, stage)))
        db.unlink()
        print(f"  stages, run {n + 1}: " + ", ".join(f"{s} {found[s][-1][0]:.1f} s" for s in STAGES), flush=True)
    return {s: {"wall": statistics.median(v[0] for v in found[s]), "steady": statistics.median(v[1] for v in found[s])}
            for s in STAGES}


def ner_floor(docs: int, runs: int) -> dict[str, float]:
    """spaCy's NER alone over the corpus texts, in ``nlp.pipe`` batches, in this process."""
    from trucewatch.text.ner import load_ner

    nlp, status = load_ner()
    if nlp is None:
        return {"rate": 0.0, "components": 0.0, "why": status.reason}  # type: ignore[dict-item]
    texts = list(documents(docs))
    rates = {}
    for batch in (1, 16, 64):
        seconds = []
        for _ in range(runs):
            started = time.perf_counter()
            for _doc in nlp.pipe(texts, batch_size=batch):
                pass
            seconds.append(time.perf_counter() - started)
        rates[batch] = docs / statistics.median(seconds)
        print(f"  spaCy {'+'.join(nlp.pipe_names)}, batch {batch}: {rates[batch]:.1f} docs/s", flush=True)
    return {"rate": max(rates.values()), "batch": max(rates, key=rates.__getitem__),
            "pipes": "+".join(nlp.pipe_names)}  # type: ignore[dict-item]


def one_document(path: Path, runs: int, env: dict[str, str]) -> dict[str, float]:
    """``trucewatch extract`` on one file, as a fresh process each run: median wall seconds
    and median peak resident memory (MB)."""
    seconds, peaks = [], []
    for _ in range(runs):
        started = time.perf_counter()
        child = subprocess.Popen([str(TRUCEWATCH), "extract", str(path), "--published", "2020-06-01"], env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        assert child.stderr is not None
        error = child.stderr.read()
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds.append(time.perf_counter() - started)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"extract {path} failed:\n{error.decode(errors='replace')[-2000:]}")
        peaks.append(usage.ru_maxrss / 1024)  # kilobytes on Linux
    return {"wall": statistics.median(seconds), "peak": statistics.median(peaks), "chars": len(path.read_text())}


def _documents_done(db: Path) -> int:
    """Documents whose events are stored (the last stage), read while the run writes."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT count(DISTINCT document_id) FROM stage_runs WHERE stage = 'events'"
                                ).fetchone()[0]
    except sqlite3.Error:
        return -1


def flat(work: Path, sizes: list[int], workers: int, env: dict[str, str], every: float) -> list[dict[str, float]]:
    """Each corpus size processed once; the tree's memory traced against documents done."""
    rows = []
    for size in sizes:
        template = build(work / f"flat-{size}", size, env)
        stop = threading.Event()
        trace: list[tuple[float, int, float, float]] = []
        started = time.perf_counter()

        def sample() -> None:
            while not stop.wait(every):
                procs = [p for p in process_tree(os.getpid()) if p.pid != os.getpid()]
                rss = pss = 0.0
                for proc in procs:
                    try:
                        info = proc.memory_full_info()
                    except psutil.Error:
                        continue
                    rss, pss = rss + info.rss / 2**20, pss + info.pss / 2**20
                point = (time.perf_counter() - started, _documents_done(template), rss, pss)
                trace.append(point)
                print(f"    {point[0]:6.0f} s: {point[1]:6d} documents done, tree {rss:.0f} MB resident, "
                      f"{pss:.0f} MB proportional", flush=True)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        run = timed(_command(template, "--workers", str(workers), "--no-fuse"), env)
        stop.set()
        sampler.join()
        done = _documents_done(template)
        rows.append({"docs": size, "done": done, "wall": run.seconds, "rate": done / run.seconds,
                     "tree": run.peak_tree_mb, "pss": run.peak_tree_pss_mb})
        print(f"  {size} documents, {workers} worker(s): {done} done in {run.seconds:.0f} s, peak tree "
              f"{run.peak_tree_mb:.0f} MB resident, {run.peak_tree_pss_mb:.0f} MB proportional", flush=True)
        shutil.rmtree(work / f"flat-{size}", ignore_errors=True)
    return rows


def long_text(chars: int) -> str:
    """News articles joined, paragraph by paragraph, cut to ``chars`` characters."""
    parts, size = [], 0
    for text in real_texts():
        parts.append(text)
        size += len(text) + 2
        if size >= chars:
            break
    return "\n\n".join(parts)[:chars]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", default="1,2", help="worker counts, comma-separated")
    parser.add_argument("--only", choices=("all", "e2e", "stages", "floor", "one", "flat"), default="all")
    parser.add_argument("--long-chars", type=int, default=100_000, help="length of the long document (--only one)")
    parser.add_argument("--flat-docs", default="500,20000", help="corpus sizes for --only flat, comma-separated")
    parser.add_argument("--trace-seconds", type=float, default=60.0, help="--only flat: seconds between samples")
    parser.add_argument("--work", type=Path, help="working folder (default: a temporary one, removed)")
    args = parser.parse_args()
    if not (SHARED / "geoparsing").is_dir():
        print(f"skipped: {SHARED} is absent")
        return 0
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    work = args.work or Path(tempfile.mkdtemp(prefix="tw-pipeline-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        template = build(work / "main", args.docs, env) if args.only not in ("floor", "one", "flat") else None
        if args.only in ("all", "e2e") and template is not None:
            print(f"\nend to end, {args.docs} documents, medians of {args.runs} runs:")
            print("| workers | fuse etc. | wall s | docs/s | steady docs/s (stages) | peak tree MB, resident | "
                  "peak tree MB, proportional |")
            print("|---|---|---|---|---|---|---|")
            for workers in (int(w) for w in args.workers.split(",")):
                for fuse in (False, True):
                    row = end_to_end(template, work, args.docs, workers, args.runs, env, fuse)
                    print(f"| {workers} | {'yes' if fuse else 'no'} | {row['wall']:.1f} | {row['rate']:.2f} | "
                          f"{row['steady']:.2f} | {row['tree']:.0f} | {row['pss']:.0f} |", flush=True)
        if args.only in ("all", "stages") and template is not None:
            stages = per_stage(template, work, args.docs, args.runs, env)
            total = sum(v["wall"] for v in stages.values())
            print(f"\nper stage, one worker, {args.docs} documents, medians of {args.runs} runs:")
            print("| stage | wall s (start-up included) | share | steady docs/s |")
            print("|---|---|---|---|")
            for stage, row in stages.items():
                print(f"| {stage} | {row['wall']:.1f} | {row['wall'] / total:.0%} | {row['steady']:.1f} |")
        if args.only in ("all", "floor"):
            floor = ner_floor(args.docs, args.runs)
            print(f"\nfloor: spaCy ({floor.get('pipes')}) {floor['rate']:.1f} docs/s on one core "
                  f"(batch {floor.get('batch')}){' - ' + str(floor['why']) if floor.get('why') else ''}")
        if args.only in ("all", "one"):
            short, long = work / "one-article.txt", work / "long.txt"
            short.write_text(real_texts()[0], encoding="utf-8")
            long.write_text(long_text(args.long_chars), encoding="utf-8")
            print(f"\none document, trucewatch extract, medians of {args.runs} runs:")
            print("| document | characters | wall s | peak MB |")
            print("|---|---|---|---|")
            for name, path in (("one news article", short), ("long text", long)):
                row = one_document(path, args.runs, env)
                print(f"| {name} | {row['chars']:,.0f} | {row['wall']:.2f} | {row['peak']:.0f} |", flush=True)
        if args.only == "flat":
            for workers in (int(w) for w in args.workers.split(",")):
                print(f"\nmemory against documents, {workers} worker(s), one run each:")
                rows = flat(work, [int(n) for n in args.flat_docs.split(",")], workers, env, args.trace_seconds)
                print("| documents | done | wall s | docs/s | peak tree MB, resident | peak tree MB, proportional |")
                print("|---|---|---|---|---|---|")
                for row in rows:
                    print(f"| {row['docs']} | {row['done']} | {row['wall']:.0f} | {row['rate']:.2f} | "
                          f"{row['tree']:.0f} | {row['pss']:.0f} |")
                first, last = rows[0], rows[-1]
                if len(rows) > 1 and first["tree"]:
                    print(f"growth from {first['docs']} to {last['docs']} documents: resident "
                          f"{last['tree'] / first['tree'] - 1:+.1%}, proportional {last['pss'] / first['pss'] - 1:+.1%}")
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
