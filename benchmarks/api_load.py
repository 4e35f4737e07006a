"""Latency of the API under a bounded load: 20 concurrent clients against ``trucewatch serve``
on 127.0.0.1, over a store of 100,000 generated incidents (PostgreSQL with ``--db``; a
database this benchmark filled before with as many is used again as it is).

The incidents are synthetic and written straight into the store, each with one report (a
document, its event, the evidence span and the link), so that the detail endpoint reads
what it reads in use. The server runs in its own process, as ``trucewatch serve`` (rate
limit off); each client sends its share of requests one after another: list pages (a
filter drawn at random, half of them followed by the next page's cursor) and incident
details (an id drawn at random). Reported per endpoint: p50 and p95 latency (target:
p95 <= 200 ms), and requests per second, as medians of ``--runs`` runs.

    python benchmarks/api_load.py --db postgresql://user@127.0.0.1:5432/loadtest --workers 2   # target figure
    python benchmarks/api_load.py --incidents 5000 --requests 20                    # quick look (SQLite)
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

COUNTRIES = ["Libya", "Sudan", "Yemen", "Syria", "Ukraine", "Mali", "Ethiopia", "Somalia"]
TYPES = [("Battles", "Armed clash"), ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
         ("Explosions/Remote violence", "Air/drone strike"), ("Violence against civilians", "Attack"),
         ("Protests", "Peaceful protest")]
START = date(2021, 1, 1)


def populate(url: str, count: int, seed: int = 11) -> list[str]:
    """``count`` incidents, each with one linked report; returns their ids."""
    from sqlalchemy import func, insert, select

    from trucewatch.store import open_store
    from trucewatch.store.schema import Document, Event, EventEvidence, Incident, IncidentEvent, RawBlob

    rng = random.Random(seed)
    store = open_store(url, create=True)
    with store.sessions() as session:
        held = session.scalar(select(func.count()).select_from(Incident).where(Incident.signature.like("load|%")))
    if held == count:  # a store this benchmark filled before (the same ids): used again as it is
        store.close()
        print(f"the store already holds the {count} generated incidents: used as it is", flush=True)
        return [f"inc-{hashlib.sha256(f'load {n}'.encode()).hexdigest()[:20]}" for n in range(count)]
    if held:
        raise SystemExit(f"the store holds {held} generated incidents, not {count}: give an empty database")
    now = datetime.now(timezone.utc)
    blob = b"generated"
    sha = hashlib.sha256(blob).hexdigest()
    with store.session() as session:
        if session.get(RawBlob, sha) is None:
            session.add(RawBlob(sha256=sha, size=len(blob), content=blob))
    ids = []
    for chunk in range(0, count, 5000):
        docs, events, evidence, incidents, links = [], [], [], [], []
        for n in range(chunk, min(count, chunk + 5000)):
            doc_id = hashlib.sha256(f"load {n}".encode()).hexdigest()[:32]
            event_id, inc_id = f"{doc_id[:24]}-load-1", f"inc-{doc_id[:20]}"
            day = (START + timedelta(days=rng.randrange(1095))).isoformat()
            kind, sub = TYPES[rng.randrange(len(TYPES))]
            country, place = rng.choice(COUNTRIES), f"Town {rng.randrange(500)}"
            lat, lon = rng.uniform(-10, 45), rng.uniform(-15, 50)
            text = f"Generated report {n}: {sub.lower()} in {place}, {country}, on {day}."
            docs.append({"id": doc_id, "outlet": f"Outlet {rng.randrange(80)}", "text": text, "published": day,
                         "published_basis": "metadata", "source_format": "jsonl", "raw_sha256": sha,
                         "ingested_at": now, "language": "en", "translated": False})
            events.append({"id": event_id, "document_id": doc_id, "stage": "events", "stage_version": "load",
                           "event_date": day, "time_precision": 1, "event_type": kind, "sub_event_type": sub,
                           "status": "main", "country": country, "location": place, "latitude": lat,
                           "longitude": lon, "geo_precision": 1, "fatalities": rng.choice([None, 0, 1, 3, 12])})
            evidence.append({"event_id": event_id, "document_id": doc_id, "field": "sentence", "start": 0,
                             "end": len(text), "text": text})
            incidents.append({"id": inc_id, "founding_document_id": doc_id, "signature": f"load|{n}",
                              "family": "violence", "date_lo": day, "date_hi": day, "event_date": day,
                              "time_precision": 1, "event_type": kind, "sub_event_type": sub, "country": country,
                              "location": place, "latitude": lat, "longitude": lon, "geo_precision": 1,
                              "corroboration": rng.choice([1, 1, 1, 2, 3]), "updated_at": now,
                              "sources": [{"source": f"outlet:{n % 80}", "outlet": f"Outlet {n % 80}",
                                           "documents": [doc_id], "reposts": []}],
                              "disputed": ["fatalities"] if n % 9 == 0 else []})
            links.append({"incident_id": inc_id, "event_id": event_id, "document_id": doc_id, "role": "member",
                          "score": 1.0})
            ids.append(inc_id)
        with store.session() as session:
            for model, rows in ((Document, docs), (Event, events), (EventEvidence, evidence), (Incident, incidents),
                                (IncidentEvent, links)):
                session.execute(insert(model), rows)
    store.close()
    return ids


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(url: str, workers: int = 1) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "OPENBLAS_NUM_THREADS": "1"}
    proc = subprocess.Popen([sys.executable, "-c", "from trucewatch.cli import main; main()", "serve", "--db", url,
                             "--port", str(port), "--rate-limit", "0", "--workers", str(workers)],
                            env=env, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/api/v1/openapi.json", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


def client(base: str, ids: list[str], requests: int, seed: int, out: dict[str, list[float]], lock: threading.Lock
           ) -> None:
    rng = random.Random(seed)
    mine: dict[str, list[float]] = {"list": [], "detail": []}
    with httpx.Client(base_url=base, timeout=30) as http:
        for k in range(requests):
            if k % 2:
                started = time.perf_counter()
                got = http.get(f"/api/v1/incidents/{rng.choice(ids)}")
                mine["detail"].append(time.perf_counter() - started)
            else:
                params: dict[str, Any] = {"limit": 50}
                pick = rng.random()
                if pick < 0.3:
                    params["country"] = rng.choice(COUNTRIES)
                elif pick < 0.6:
                    day = START + timedelta(days=rng.randrange(1000))
                    params.update(since=day.isoformat(), until=(day + timedelta(days=60)).isoformat())
                elif pick < 0.8:
                    lat, lon = rng.uniform(-10, 40), rng.uniform(-15, 45)
                    params["bbox"] = f"{lon},{lat},{lon + 5},{lat + 5}"
                started = time.perf_counter()
                got = http.get("/api/v1/incidents", params=params)
                mine["list"].append(time.perf_counter() - started)
                if rng.random() < 0.5 and got.status_code == 200 and got.json().get("next"):
                    started = time.perf_counter()
                    got = http.get("/api/v1/incidents", params={**params, "cursor": got.json()["next"]})
                    mine["list"].append(time.perf_counter() - started)
            if got.status_code != 200:
                raise SystemExit(f"{got.request.url}: {got.status_code} {got.text[:200]}")
    with lock:
        for key, values in mine.items():
            out[key].extend(values)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", help="PostgreSQL URL of an empty database (default: a SQLite file)")
    ap.add_argument("--incidents", type=int, default=100_000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=100, help="requests each client sends per run")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workers", type=int, default=1, help="server worker processes (serve --workers)")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="trucewatch-api-load-"))
    try:
        run_load(args, args.db or f"sqlite:///{folder / 'load.db'}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_load(args: argparse.Namespace, url: str) -> None:
    started = time.perf_counter()
    ids = populate(url, args.incidents)
    print(f"stored {len(ids)} incidents in {time.perf_counter() - started:.0f} s", flush=True)
    proc, base = serve(url, args.workers)
    rows = []
    try:
        for run in range(args.runs):
            out: dict[str, list[float]] = {"list": [], "detail": []}
            lock = threading.Lock()
            threads = [threading.Thread(target=client, args=(base, ids, args.requests, run * 1000 + c, out, lock))
                       for c in range(args.clients)]
            began = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            seconds = time.perf_counter() - began
            row = {"rps": (len(out["list"]) + len(out["detail"])) / seconds,
                   **{f"{k}_p{int(q * 100)}": percentile(v, q) * 1000 for k, v in out.items() for q in (0.5, 0.95)}}
            rows.append(row)
            print(f"run {run + 1}: {row['rps']:.0f} requests/s; list p50 {row['list_p50']:.0f} ms, p95 "
                  f"{row['list_p95']:.0f} ms; detail p50 {row['detail_p50']:.0f} ms, p95 {row['detail_p95']:.0f} ms",
                  flush=True)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
    print(f"\n{args.clients} clients, {args.incidents} incidents ({'PostgreSQL' if args.db else 'SQLite'}), "
          f"{args.workers} server worker{'s' if args.workers > 1 else ''}, medians "
          f"of {args.runs} runs: list p50 {med['list_p50']:.0f} ms, p95 {med['list_p95']:.0f} ms; detail p50 "
          f"{med['detail_p50']:.0f} ms, p95 {med['detail_p95']:.0f} ms (target p95 <= 200 ms); "
          f"{med['rps']:.0f} requests/s")


if __name__ == "__main__":
    main()
