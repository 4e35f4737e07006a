"""Scale-out of the extraction stages: ``trucewatch process --engine ray`` with 1 and 2 workers.

Builds a corpus of real news texts (``news_corpus``: TR-News, GeoVirus, TempEval-3, GVC and
ECB+ articles, then distinct joins of their halves), ingests it once into a SQLite store,
then for each worker count copies that store and times ``trucewatch process --no-fuse
--engine ray --workers N`` as its own process, sampling the memory of the whole process
tree (the command, Ray's own services, the workers) every 0.2 s.

Printed per worker count, medians of ``--runs``:

* wall seconds and documents per second, end to end (Ray started, models loaded in every
  worker, all results stored, Ray shut down);
* the steady rate, without the fixed costs of start-up and shut-down: documents stored
  between the first document's run record and the last's, by their recorded times;
* peak memory of the whole tree, and of the largest Ray worker;
* scaling efficiency: docs/s with 2 workers / (2 × docs/s with 1), wall and steady.

``--backfill N`` then processes N documents once with the largest worker count and prints
docs/s and peak memory per worker, and the largest worker's memory every minute;
``--backfill-seconds S`` stops it after S seconds (SIGTERM: the document in hand is
finished) and reports what it did. ``--local`` adds the local engine's rows for comparison.
Skips (exit 0) when ../shared/dev-data is absent.

    .venv/bin/python benchmarks/scale.py [--docs 2000] [--workers 1,2] [--runs 3] [--backfill 100000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import psutil

from news_corpus import SHARED, write_corpus

ROOT = Path(__file__).resolve().parents[1]
TRUCEWATCH = Path(sys.executable).with_name("trucewatch")


@dataclass
class Run:
    seconds: float
    peak_tree_mb: float
    peak_worker_mb: float
    workers_seen: int
    steady: float = 0.0  # docs/s between the first stored document and the last
    #: Peak of the tree's summed proportional set size: a page shared by n processes counts
    #: 1/n in each, so workers forked after the models loaded are not counted n times over
    #: (their summed resident size, ``peak_tree_mb``, is). Sampled every second.
    peak_tree_pss_mb: float = 0.0


def steady_rate(db: Path, stage: str | None = None) -> float:
    """Documents per second between the first and the last document stored (run records;
    of ``stage`` alone when given)."""
    where, args = ("WHERE stage = ?", (stage,)) if stage else ("", ())
    with sqlite3.connect(db) as conn:
        rows = [datetime.fromisoformat(t) for (t,) in conn.execute(
            f"SELECT max(ran_at) FROM stage_runs {where} GROUP BY document_id ORDER BY 1", args)]
    if len(rows) < 2:
        return 0.0
    return (len(rows) - 1) / max((rows[-1] - rows[0]).total_seconds(), 1e-9)


def process_tree(pid: int) -> list[psutil.Process]:
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _is_worker(proc: psutil.Process) -> bool:
    """One of our Ray actors (not Ray's own agents, nor an idle pooled process)."""
    try:
        return proc.name().startswith("ray::_Worker") or proc.cmdline()[:1] == ["ray::_Worker"]
    except psutil.Error:
        return False


def timed(command: list[str], env: dict[str, str], deadline: float | None = None) -> Run:
    """Run ``command``; its wall time and the peak memory of its process tree. With
    ``deadline`` (seconds), a SIGTERM then stops it after the document in hand; the
    largest worker's memory is printed every minute."""
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak_tree = peak_worker = 0.0
    workers: set[int] = set()
    done = threading.Event()
    out: dict[str, str] = {}

    def drain() -> None:
        out["stdout"], out["stderr"] = child.communicate()
        done.set()

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    stopped, minute = False, 1
    peak_pss, pss_at = 0.0, 0.0
    while not done.wait(0.2):
        total = worker_now = pss = 0.0
        with_pss = time.perf_counter() - pss_at >= 1.0
        for proc in process_tree(child.pid):
            try:
                rss = proc.memory_info().rss / 2**20
                if with_pss:
                    pss += proc.memory_full_info().pss / 2**20
            except psutil.Error:
                continue
            total += rss
            if _is_worker(proc):
                workers.add(proc.pid)
                worker_now = max(worker_now, rss)
        peak_tree, peak_worker = max(peak_tree, total), max(peak_worker, worker_now)
        if with_pss:
            peak_pss, pss_at = max(peak_pss, pss), time.perf_counter()
        elapsed = time.perf_counter() - started
        if deadline is not None and elapsed > 60 * minute:
            print(f"    {elapsed / 60:.0f} min: largest worker {worker_now:.0f} MB, tree {total:.0f} MB", flush=True)
            minute += 1
        if deadline is not None and elapsed > deadline and not stopped:
            child.send_signal(signal.SIGTERM)
            stopped = True
    seconds = time.perf_counter() - started
    if child.returncode != 0 and not (stopped and child.returncode == 143):
        raise SystemExit(f"{' '.join(command)} failed ({child.returncode}):\n{out.get('stderr', '')[-2000:]}")
    return Run(seconds, peak_tree, peak_worker, len(workers), peak_tree_pss_mb=peak_pss)


def _process(db: Path, engine: str, workers: int) -> list[str]:
    return [str(TRUCEWATCH), "process", "--db", str(db), "--no-fuse", "--engine", engine, "--workers", str(workers)]


def measure(template: Path, work: Path, docs: int, engine: str, workers: int, runs: int,
            env: dict[str, str]) -> dict[str, float]:
    results = []
    for n in range(runs):
        db = work / f"{engine}-{workers}-{n}.db"
        shutil.copy(template, db)
        run = timed(_process(db, engine, workers), env)
        run.steady = steady_rate(db)
        results.append(run)
        db.unlink()
        print(f"  {engine} {workers} worker(s), run {n + 1}: {run.seconds:.1f} s, {docs / run.seconds:.1f} docs/s "
              f"({run.steady:.1f} steady), tree {run.peak_tree_mb:.0f} MB, largest worker "
              f"{run.peak_worker_mb:.0f} MB", flush=True)
    wall = statistics.median(r.seconds for r in results)
    return {"wall": wall, "rate": docs / wall, "steady": statistics.median(r.steady for r in results),
            "tree": statistics.median(r.peak_tree_mb for r in results),
            "worker": statistics.median(r.peak_worker_mb for r in results),
            "runs": [round(docs / r.seconds, 2) for r in results]}


def build(folder: Path, docs: int, env: dict[str, str]) -> Path:
    """The corpus as files, ingested into a new store; returns the store."""
    started = time.perf_counter()
    written = write_corpus(folder / "corpus", docs)
    db = folder / "template.db"
    subprocess.run([str(TRUCEWATCH), "ingest", "--db", str(db), "--create", "--quiet", str(folder / "corpus")],
                   env=env, check=True, stdout=subprocess.DEVNULL)
    print(f"corpus: {written} documents written and ingested in {time.perf_counter() - started:.0f} s", flush=True)
    return db


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--workers", default="1,2", help="worker counts, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="runs per worker count (0: only --backfill)")
    parser.add_argument("--local", action="store_true", help="also time the local engine")
    parser.add_argument("--backfill", type=int, default=0, help="then process this many documents once")
    parser.add_argument("--backfill-seconds", type=float, default=None,
                        help="stop the backfill (SIGTERM) after this long and report what it did")
    parser.add_argument("--work", type=Path, help="working folder (default: a temporary one, removed)")
    args = parser.parse_args()
    if not (SHARED / "geoparsing").is_dir():
        print(f"skipped: {SHARED} is absent")
        return 0
    counts = [int(w) for w in args.workers.split(",")]
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "RAY_USAGE_STATS_ENABLED": "0"}
    work = args.work or Path(tempfile.mkdtemp(prefix="tw-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        if args.runs > 0:  # --runs 0: the backfill alone
            template = build(work / "main", args.docs, env)
            table = {}
            for engine in ("ray", "local") if args.local else ("ray",):
                for workers in counts:
                    table[(engine, workers)] = measure(template, work, args.docs, engine, workers, args.runs, env)
            print(f"\n{args.docs} documents, medians of {args.runs} runs, on {os.cpu_count()} CPUs:")
            print("| engine | workers | wall s | docs/s | steady docs/s | peak tree MB | peak worker MB | "
                  "runs (docs/s) |")
            print("|---|---|---|---|---|---|---|---|")
            for (engine, workers), row in table.items():
                print(f"| {engine} | {workers} | {row['wall']:.1f} | {row['rate']:.2f} | {row['steady']:.2f} | "
                      f"{row['tree']:.0f} | {row['worker']:.0f} | {row['runs']} |")
            for engine in ("ray", "local"):
                one, two = table.get((engine, 1)), table.get((engine, 2))
                if one and two:
                    print(f"scaling efficiency, {engine}: {two['rate'] / (2 * one['rate']):.2f} end to end, "
                          f"{two['steady'] / (2 * one['steady']):.2f} steady (target 0.8)")
        if args.backfill:
            big = build(work / "backfill", args.backfill, env)
            workers = max(counts)
            run = timed(_process(big, "ray", workers), env, deadline=args.backfill_seconds)
            with sqlite3.connect(big) as conn:
                stored = conn.execute("SELECT count(DISTINCT document_id) FROM stage_runs").fetchone()[0]
            cut = "" if stored == args.backfill else f" (stopped at the time limit: {stored} of {args.backfill} done)"
            print(f"\nbackfill: {stored} documents with {workers} Ray workers in {run.seconds:.0f} s{cut}: "
                  f"{stored / run.seconds:.2f} docs/s ({steady_rate(big):.2f} steady); peak memory {run.peak_tree_mb:.0f} MB over the tree, "
                  f"{run.peak_worker_mb:.0f} MB in the largest worker ({run.workers_seen} worker processes seen)")
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
