"""Incident fusion on the ceasefire articles, with extraction taken out of the way.

``score.py --fuse`` (in the dev set's folder) measures extraction and fusion together:
two documents of a group can only share an incident if both got a main event of the
happening. This benchmark separates the two:

* ``--gold``: the hand-made gold events of each article (type, date and precision,
  place with coordinates, actors, figures, status) are written into a store as if the
  events stage had produced them, fused, and scored exactly as ``score.py --fuse``
  scores (pairwise F1 over documents, hard negatives merged). That is fusion alone.
* ``--explain FUSE.jsonl``: reads a ``trucewatch fuse --jsonl`` output over the same
  articles and says, for every group pair the system missed, whether extraction lost
  it (a document with no main event, or no main event of a compatible type and date)
  or fusion did (both had such events and they were not merged).

* ``--corpus gvc`` / ``--corpus ecbplus``: runs ``trucewatch fuse --jsonl`` (extraction
  and fusion) over a story-fusion development set (``../shared/dev-data/fusion/``), whose
  gold is which reports describe one incident, and scores documents that share an incident
  among their main events, pairwise, against it. The incident rules were never looked at
  on these sets, so they are figures not tuned on. ECB+ has no dates at all: every document
  is undated, and each topic holds two look-alike incidents at different times, which is
  what the rule for undated reports (``fusion.incidents``) must keep apart.

No parameter of fusion was set on this set: the thresholds in ``fusion.compatible``
(date slack by precision, radius by geo precision, the type table) were written down
before it was run, so its figures are not tuned ones.

    python benchmarks/fusion_incidents.py --gold
    python benchmarks/fusion_incidents.py --corpus gvc
    trucewatch fuse --jsonl < articles.jsonl > fused.jsonl; python benchmarks/fusion_incidents.py --explain fused.jsonl
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import sys
import tempfile
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DEV = ROOT.parent / "shared" / "dev-data" / "ceasefire-articles"

KIND_FIELDS: dict[str, dict[str, Any]] = {
    "talks": {"process_type": "talks"},
    "agreement": {"process_type": "agreement", "event_type": "Strategic developments", "sub_event_type": "Agreement"},
    "ceasefire_start": {"process_type": "ceasefire", "event_type": "Strategic developments",
                        "sub_event_type": "Agreement"},
    "violation_allegation": {"process_type": "violation_alleged"},
    "battle": {"event_type": "Battles", "sub_event_type": "Armed clash"},
    "explosion_remote": {"event_type": "Explosions/Remote violence"},
    "violence_civilians": {"event_type": "Violence against civilians", "sub_event_type": "Attack"},
    "withdrawal": {"process_type": "withdrawal"},
    "arms_transfer": {"process_type": "arms_transfer"},
    "territory_change": {"event_type": "Battles"},
    "humanitarian": {"process_type": "statistic"},
    "other": {"event_type": "Strategic developments", "sub_event_type": "Other"},
}
PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}


def load(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(Path(f).read_text(encoding="utf-8")) for f in sorted(glob.glob(str(folder / "articles" / "*.json")))]


def gold_event(g: dict[str, Any]) -> dict[str, Any]:
    """A gold event in the events table's columns."""
    from trucewatch.extract.events.extract import country_name

    fields: dict[str, Any] = dict(KIND_FIELDS.get(g["kind"], KIND_FIELDS["other"]))
    if g.get("acled_sub_event_type") and "event_type" in fields and g["kind"] not in ("agreement", "ceasefire_start"):
        fields["sub_event_type"] = g["acled_sub_event_type"]
    value = g.get("date")
    if value:
        if len(value) == 4:
            fields.update(event_date=f"{value}-01-01", date_end=f"{value}-12-31")
        elif len(value) == 7:
            fields.update(event_date=f"{value}-01")
        else:
            fields.update(event_date=value[:10])
        fields["time_precision"] = PRECISION.get(g.get("date_precision") or "day", 3)
    place = g.get("location")
    if place:
        country = country_name(place.get("country"))
        national = country is not None and place.get("name", "").casefold() == country.casefold()
        fields.update(country=country, location=place.get("name"), latitude=place.get("lat"),
                      longitude=place.get("lon"), geo_precision=3 if national else 1)
    actors = g.get("actors") or []
    fields.update(actor1=actors[0] if actors else None, actor2=actors[1] if len(actors) > 1 else None,
                  fatalities=g.get("fatalities"), injured=g.get("injured"), displaced=g.get("displaced"),
                  status=g.get("status") or "main")
    return fields


def score(arts: list[dict[str, Any]], incidents_of: dict[str, set[str]], groups: dict[str, list[str]],
          negatives: list[list[str]]) -> tuple[float, float, float, int, int]:
    """Pairwise over documents, as score.py --fuse counts it."""
    same = {tuple(sorted(p)) for docs in groups.values() for p in combinations(sorted(docs), 2)}
    tp = fp = fn = 0
    for x, y in combinations(sorted(a["id"] for a in arts), 2):
        shared = bool(incidents_of.get(x, set()) & incidents_of.get(y, set()))
        if (x, y) in same:
            tp += shared
            fn += not shared
        else:
            fp += shared
    bad = sum(1 for x, y in negatives if incidents_of.get(x, set()) & incidents_of.get(y, set()))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return (2 * p * r / (p + r) if p + r else 0.0), p, r, bad, len(negatives)


def run_gold(arts: list[dict[str, Any]], groups: dict[str, Any], negatives: list[list[str]]) -> None:
    from sqlalchemy import select

    from trucewatch.fusion.run import fuse
    from trucewatch.fusion.synthetic import write_documents
    from trucewatch.store import open_store
    from trucewatch.store.schema import Event, IncidentEvent

    with tempfile.TemporaryDirectory() as folder:
        store = open_store(f"sqlite:///{folder}/gold.db")
        ids = {hashlib.sha256(a["id"].encode()).hexdigest()[:32]: a["id"] for a in arts}
        docs = [{"id": hashlib.sha256(a["id"].encode()).hexdigest()[:32], "outlet": a.get("outlet"), "published": a.get("published"),
                 "text": a["text"], "events": [gold_event(g) for g in a["gold"]["events"]]} for a in arts]
        write_documents(store, docs)
        fuse(store)
        incidents: dict[str, set[str]] = {}
        with store.sessions() as session:
            for doc_id, inc in session.execute(
                    select(Event.document_id, IncidentEvent.incident_id)
                    .join(IncidentEvent, IncidentEvent.event_id == Event.id)
                    .where(Event.status == "main", IncidentEvent.role == "member")):
                incidents.setdefault(ids[doc_id], set()).add(inc)
        store.close()
    f, p, r, bad, total = score(arts, incidents, groups, negatives)
    print(f"gold events fused: pairwise F1 {f:.3f} (P {p:.3f} R {r:.3f}); hard negatives merged {bad}/{total}")
    same = {tuple(sorted(p)) for docs in groups.values() for p in combinations(sorted(docs), 2)}
    for x, y in sorted(same):
        if not incidents.get(x, set()) & incidents.get(y, set()):
            print(f"  missed {x}-{y}")
    for x, y in combinations(sorted(incidents), 2):
        if (x, y) not in same and incidents[x] & incidents[y]:
            print(f"  merged {x}-{y} (not a group)")


def explain(arts: list[dict[str, Any]], fused_path: Path, groups: dict[str, Any], negatives: list[list[str]]) -> None:
    from types import SimpleNamespace

    from trucewatch.fusion.compatible import compatible, facts_of

    fused = {str(json.loads(line)["id"]): json.loads(line) for line in fused_path.read_text().splitlines() if line.strip()}
    incidents = {d: {e["incident_id"] for e in r["events"] if e.get("status") == "main" and e.get("incident_id")}
                 for d, r in fused.items()}
    f, p, r, bad, total = score(arts, incidents, groups, negatives)
    print(f"system (extraction + fusion): pairwise F1 {f:.3f} (P {p:.3f} R {r:.3f}); hard negatives merged {bad}/{total}")

    def facts(doc: str) -> list[Any]:
        out = []
        for e in fused.get(doc, {}).get("events", []):
            if e.get("status") == "main":
                out.append(facts_of(SimpleNamespace(**{**e, "id": e["event_id"], "document_id": doc})))
        return out

    for docs in groups.values():
        for x, y in combinations(sorted(docs), 2):
            if incidents.get(x, set()) & incidents.get(y, set()):
                print(f"  {x}-{y}: found")
                continue
            fx, fy = facts(x), facts(y)
            if not fx or not fy:
                empty = ", ".join(d for d, fs in ((x, fx), (y, fy)) if not fs)
                print(f"  {x}-{y}: extraction miss ({empty}: no main event)")
            elif not any(compatible(a, b)[0] for a in fx for b in fy):
                # the pair that passed most tests, and the test it failed
                why = max((compatible(a, b)[1] for a in fx for b in fy), key=len)
                print(f"  {x}-{y}: extraction miss (main events not compatible; closest pair: {why})")
            else:
                print(f"  {x}-{y}: fusion miss (compatible main events not merged)")


def run_corpus(path: Path) -> None:
    """Extraction and fusion over a story-fusion set; pairwise over documents against its gold incidents."""
    import os
    import subprocess

    docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    lines = [json.dumps({k: d[k] for k in ("id", "text", "published", "title") if d.get(k)}, ensure_ascii=False)
             for d in docs]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-m", "trucewatch.cli", "fuse", "--jsonl"], input="\n".join(lines) + "\n",
                          capture_output=True, text=True, env=env)
    if done.returncode not in (0, 1):
        sys.exit(f"trucewatch fuse --jsonl exited {done.returncode}: {done.stderr[-2000:]}")
    out = {str(r["id"]): r for r in map(json.loads, filter(str.strip, done.stdout.splitlines()))}
    incidents = {d: {e["incident_id"] for e in r.get("events", [])
                     if e.get("status") == "main" and e.get("incident_id")} for d, r in out.items()}
    cluster = {d["id"]: d["cluster"] for d in docs}
    tp = fp = fn = 0
    for x, y in combinations(sorted(cluster), 2):
        shared = bool(incidents.get(x, set()) & incidents.get(y, set()))
        if cluster[x] == cluster[y]:
            tp += shared
            fn += not shared
        else:
            fp += shared
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    with_main = sum(1 for d in cluster if incidents.get(d))
    print(f"{path.name}: documents {len(docs)} ({with_main} with a main event in an incident); "
          f"pairwise F1 {f:.3f} (P {p:.3f} R {r:.3f}; links right {tp}, wrong {fp}, missed {fn})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEV)
    ap.add_argument("--gold", action="store_true", help="fuse the gold events (fusion alone)")
    ap.add_argument("--explain", type=Path, help="a fuse --jsonl output to sort misses into extraction and fusion")
    ap.add_argument("--corpus", choices=("gvc", "ecbplus"), help="extraction + fusion on a story-fusion dev set")
    args = ap.parse_args()
    if args.corpus:
        path = ROOT.parent / "shared" / "dev-data" / "fusion" / f"{args.corpus}-dev.jsonl"
        if not path.exists():
            print(f"skipped: no {path}")
            return
        run_corpus(path)
        return
    if not (args.data / "groups.json").exists():
        print(f"skipped: no dev set at {args.data}")
        return
    arts = load(args.data)
    g = json.loads((args.data / "groups.json").read_text())
    if args.gold or not args.explain:
        run_gold(arts, g["groups"], g["negatives"])
    if args.explain:
        explain(arts, args.explain, g["groups"], g["negatives"])


if __name__ == "__main__":
    main()
