"""What alert rules cost ``fuse``: the same synthetic store fused with no rule and with rules.

The store is ``fusion_speed``'s synthetic corpus (documents with main reports, background
mentions and denials, written straight into the store). Three copies are fused, each in
its own process: with no rule (the check after each batch reads the empty rule table),
with one rule no incident answers (a country absent from the corpus: the cheap filters
only), and with one catch-all rule writing JSON lines to a file (the worst case: every
incident is put on the ladder and alerted, once new and once more per climb). CPU time
(user + system) is the fair figure on a shared machine; medians of --runs are quoted.

    nice -n 5 python benchmarks/alerts_speed.py --documents 2000 --runs 3
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))


def child(url: str) -> None:
    from trucewatch.fusion.run import fuse
    from trucewatch.store import open_store

    store = open_store(url)
    started, cpu = time.perf_counter(), time.process_time()
    summary = fuse(store)
    print(json.dumps({"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu,
                      "documents": summary.documents}))
    store.close()


def timed(url: str) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "OPENBLAS_NUM_THREADS": "1"}
    done = subprocess.run([sys.executable, __file__, "--child", url], capture_output=True, text=True, env=env,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--documents", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child)
        return
    from fusion_speed import add_documents

    from trucewatch.alerts.rules import RuleSpec, add_rule
    from trucewatch.store import open_store

    work = Path(tempfile.mkdtemp(prefix="trucewatch-alerts-bench-"))
    try:
        base = work / "base.db"
        add_documents(f"sqlite:///{base}", 0, args.documents)
        results: dict[str, list[dict[str, float]]] = {"no rule": [], "a rule nothing answers": [],
                                                       "a catch-all rule": []}
        alerts = 0
        for run in range(args.runs):
            for name in results:
                db = work / f"run{run}-{len(results[name])}-{name.replace(' ', '_')}.db"
                shutil.copy(base, db)
                out = work / f"{db.stem}.jsonl"
                store = open_store(f"sqlite:///{db}")
                if name == "a rule nothing answers":
                    add_rule(store, RuleSpec("elsewhere", "json", str(out), country="Atlantis"))
                elif name == "a catch-all rule":
                    add_rule(store, RuleSpec("everything", "json", str(out)))
                store.close()
                results[name].append(timed(f"sqlite:///{db}"))
                if name == "a catch-all rule":
                    alerts = sum(1 for _ in out.open(encoding="utf-8"))
        print(f"fuse of {args.documents} synthetic documents on SQLite, median of {args.runs} runs:")
        for name, runs in results.items():
            cpu = statistics.median(r["cpu"] for r in runs)
            wall = statistics.median(r["seconds"] for r in runs)
            print(f"  {name:24s} cpu {cpu:7.2f} s   wall {wall:7.2f} s   "
                  f"{args.documents / cpu:8.1f} docs/cpu-s")
        print(f"  the catch-all rule sent {alerts} alerts")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
