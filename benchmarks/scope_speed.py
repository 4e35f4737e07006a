"""Speed of the scope check and of a compliance report over many fused incidents.

Invented incidents (random days of 2020, places and actors of the Libyan war, one report
each, a third of them a party's claim) are written straight into a fresh SQLite store
as the events stage would, fused, and checked against one agreement covering the year.
Prints incidents checked per second for :func:`refresh` (which places each incident in
scope on the ladder) and the seconds a Markdown report takes; the median of ``--runs``.

    python benchmarks/scope_speed.py --incidents 2000 --runs 3
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

PLACES = [("Tripoli", 32.89, 13.19), ("Misrata", 32.38, 15.09), ("Sirte", 31.21, 16.59), ("Benghazi", 32.12, 20.07),
          ("Tarhuna", 32.43, 13.63), ("Gharyan", 32.17, 13.02), ("Zawiya", 32.76, 12.73), ("Sabha", 27.04, 14.43)]
ACTORS = ["Libyan National Army", "GNA forces", "Operation Volcano of Rage", "Kaniyat", None]
CLAIMANTS = [None, None, "the Government of National Accord", "LNA spokesman Ahmed al-Mismari"]


def build(db: Path, n: int, seed: int = 7) -> None:
    from trucewatch.ceasefire.record import AgreementRecord, Party, StatusStep
    from trucewatch.ceasefire.save import SaveCounts, save_record
    from trucewatch.fusion.run import fuse
    from trucewatch.fusion.synthetic import write_documents
    from trucewatch.store import open_store

    rng = random.Random(seed)
    store = open_store(f"sqlite:///{db}")
    with store.session() as session:
        save_record(session, AgreementRecord(
            id="bench", name="Invented year-long truce", kind="truce", origin="import", country="Libya",
            effective_from="2020-01-01T00:00+02:00", effective_precision="minute",
            scope={"places": [{"name": "Libya", "type": "country"}], "lines": []},
            parties=[Party("party", "Libyan National Army", "ly_lna", "ly_lna_side"),
                     Party("party", "Government of National Accord", "ly_gna", "ly_gna_side")],
            history=[StatusStep("agreed", "2019-12-31", None, "bench")]), SaveCounts())
    docs = []
    for i in range(n):
        place, lat, lon = rng.choice(PLACES)
        day = f"2020-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        words = " ".join(rng.choice("shell strike port road clash drone convoy base town".split()) for _ in range(40))
        docs.append({"id": hashlib.md5(f"bench {i}".encode()).hexdigest(), "outlet": f"Outlet {rng.randint(1, 30)}", "published": day,
                     "text": f"Invented report {i}. {words}.",
                     "events": [{"event_date": day, "time_precision": rng.choice([1, 1, 1, 2, 3]),
                                 "event_type": "Explosions/Remote violence",
                                 "sub_event_type": "Shelling/artillery/missile attack", "actor1": rng.choice(ACTORS),
                                 "country": "Libya", "admin1": place, "location": place,
                                 "latitude": lat + rng.uniform(-0.05, 0.05), "longitude": lon + rng.uniform(-0.05, 0.05),
                                 "geo_precision": 1, "claimant": rng.choice(CLAIMANTS), "status": "main"}]})
    write_documents(store, docs)
    fuse(store)
    store.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--incidents", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    from trucewatch.ceasefire.scope import refresh
    from trucewatch.reports.compliance import collect
    from trucewatch.reports.render import write_report
    from trucewatch.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        build(db, args.incidents)
        store = open_store(f"sqlite:///{db}")
        rates, reports = [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            summary = refresh(store, "bench")
            rates.append(summary.checked / (time.perf_counter() - start))
            start = time.perf_counter()
            data = collect(store, "bench", refresh_scope=False)
            write_report(data, "md", Path(tmp) / "report.md")
            reports.append(time.perf_counter() - start)
        store.close()
    print(f"incidents checked: {summary.checked} ({summary.in_scope} in, {summary.undetermined} undetermined, "
          f"{summary.out} out)")
    print(f"scope refresh: median {statistics.median(rates):.0f} incidents/s over {args.runs} runs "
          f"({', '.join(f'{r:.0f}' for r in rates)})")
    print(f"markdown report of {data.total} incidents: median {statistics.median(reports):.2f} s "
          f"({', '.join(f'{r:.2f}' for r in reports)})")


if __name__ == "__main__":
    main()
