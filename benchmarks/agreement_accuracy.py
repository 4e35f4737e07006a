"""Agreement records from the news, scored on the ceasefire articles (dev set).

Each article is ingested (with its known publication date and outlet), processed by the
whole pipeline (extraction and fusion), and ``agreements build`` makes the agreement
records. Every gold event of kind ``agreement`` or ``ceasefire_start`` with status
``main`` must be found as a record that cites the article; on the found ones:

* effective date right: the record's date lies in the gold date at the gold precision
  (for an ``agreement`` its signature date, for a ``ceasefire_start`` its effective date;
  the other when that one is missing) (a day; the seven days from a ``week`` date; the
  month; the year). Gold events without a date are left out of this figure;
* a party right: one of the gold actors is one of the record's parties. Names are
  resolved through the actor knowledge base; a state, its government and its army count
  as one ("States sign agreements" in the gold, "Government of India" here).

Records are matched to gold events by date when an article has several. One record may
stand for an article's ``agreement`` event and its ``ceasefire_start`` (the gold splits
"agreed on Monday, in force from midnight" in two; a record keeps both dates), never for
two events of one kind.
Reads ``../shared/dev-data/ceasefire-articles`` and skips when it is absent; with
``--never-tuned`` it reads our own ``benchmarks/data/agreements_never_tuned.jsonl``
instead (twelve reports in four languages that no rule was chosen on).

    python benchmarks/agreement_accuracy.py [--errors] [--never-tuned]
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DEV = ROOT.parent / "shared" / "dev-data" / "ceasefire-articles"
KINDS = ("agreement", "ceasefire_start")


NEVER_TUNED = ROOT / "benchmarks" / "data" / "agreements_never_tuned.jsonl"


def _load(never_tuned: bool) -> list[dict[str, Any]]:
    if never_tuned:
        return [json.loads(line) for line in NEVER_TUNED.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [json.loads(Path(f).read_text(encoding="utf-8")) for f in sorted(glob.glob(str(DEV / "articles" / "*.json")))]


def _when(kind: str, record: dict[str, Any]) -> str | None:
    """The record's date a gold event of ``kind`` is dated by: an agreement by when it was agreed
    (signed), a ceasefire start by when it took effect; the other one when that is missing."""
    first, second = ("signed", "effective_from") if kind == "agreement" else ("effective_from", "signed")
    return record[first] or record[second]


def _in_gold_date(gold: str, precision: str | None, day: str | None) -> bool:
    if not day:
        return False
    if precision == "week" and len(gold) == 10:
        delta = (dt.date.fromisoformat(day[:10]) - dt.date.fromisoformat(gold)).days
        return 0 <= delta <= 6
    return day[:len(gold)] == gold


def _entity(actor_id: str) -> str:
    """A state, its government and its armed forces are one signatory."""
    from trucewatch.extract.actors import load_actors
    from trucewatch.extract.actors.world import government_id, military_id

    actor = load_actors().get(actor_id)
    if actor is not None and actor.country and (actor.kind == "state" or actor_id in (
            government_id(actor.country), military_id(actor.country))):
        return f"state:{actor.country}"
    return actor_id


def _gold_ids(names: list[str]) -> set[str]:
    from trucewatch.extract.actors import lookup

    return {_entity(a.id) for name in names for a in lookup(name)}


def run(errors: bool, keep: Path | None = None, never_tuned: bool = False) -> int:
    from sqlalchemy import select

    from trucewatch.ceasefire.news import build_from_news
    from trucewatch.ceasefire.query import iter_agreements
    from trucewatch.documents.ingest import ingest
    from trucewatch.fusion.run import fuse
    from trucewatch.pipeline.runner import process
    from trucewatch.store import open_store
    from trucewatch.store.schema import Document

    if not never_tuned and not (DEV / "articles").is_dir():
        print(f"skipped: {DEV} not found")
        return 0
    articles = _load(never_tuned)
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "articles.jsonl"
        with feed.open("w", encoding="utf-8") as handle:
            for a in articles:
                handle.write(json.dumps({"text": a["text"], "published": a.get("published"), "outlet": a.get("outlet"),
                                         "url": a.get("url"), "language": a.get("language")}, ensure_ascii=False) + "\n")
        target = keep or Path(tmp) / "dev.db"
        target.unlink(missing_ok=True)
        store = open_store(f"sqlite:///{target.resolve()}")
        started = time.perf_counter()
        ingest(store, [str(feed)])
        process(store)
        fuse(store)
        with store.session() as session:
            build_from_news(session)
        seconds = time.perf_counter() - started
        with store.sessions() as session:
            doc_of = {row.source_line: row.id for row in session.scalars(select(Document))}
        records = [r for r in iter_agreements(store) if r["origin"] == "news"]
        store.close()
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        for source in record["sources"]:
            if source["document_id"]:
                by_doc.setdefault(source["document_id"], [])
                if record not in by_doc[source["document_id"]]:
                    by_doc[source["document_id"]].append(record)
    gold_total = found = dated = date_right = party_right = unmatched = 0
    problems: list[str] = []
    for line, article in enumerate(articles, start=1):
        golds = [g for g in article["gold"]["events"] if g["kind"] in KINDS and g["status"] == "main"]
        records_here = by_doc.get(doc_of.get(line, ""), [])
        used: dict[str, set[str]] = {r["id"]: set() for r in records_here}
        for gold in sorted(golds, key=lambda g: g.get("date") is None):
            gold_total += 1
            candidates = [r for r in records_here if gold["kind"] not in used[r["id"]]]
            pick = None
            if gold.get("date"):
                pick = next((r for r in candidates if _in_gold_date(gold["date"], gold.get("date_precision"),
                                                                     _when(gold["kind"], r))), None)
            pick = pick or (candidates[0] if candidates else None)
            if pick is None:
                problems.append(f"{article['id']} missed {gold['kind']} {gold.get('date')} {gold['actors']}")
                continue
            used[pick["id"]].add(gold["kind"])
            found += 1
            if gold.get("date"):
                dated += 1
                if _in_gold_date(gold["date"], gold.get("date_precision"), _when(gold["kind"], pick)):
                    date_right += 1
                else:
                    problems.append(f"{article['id']} date {gold['date']} != {pick['effective_from']} ({pick['name']})")
            ours = {_entity(p["actor_id"]) for p in pick["parties"] if p["actor_id"]}
            if ours & _gold_ids(gold["actors"]):
                party_right += 1
            else:
                problems.append(f"{article['id']} parties {gold['actors']} vs {[p['name'] for p in pick['parties']]}")
        # a citation that stands for no gold event of its article (one may stand for two: agreed and in force)
        unmatched += sum(1 for r in records_here if not used[r["id"]])
    spurious = unmatched
    if errors:
        for problem in problems:
            print(problem)
    print(f"gold main agreement/ceasefire_start events: {gold_total}; news records: {len(records)}; "
          f"citations not matched to a gold event: {spurious}")
    print(f"recall {found / max(gold_total, 1):.3f} ({found}/{gold_total})")
    print(f"effective date right {date_right / max(dated, 1):.3f} ({date_right}/{dated} found with a gold date)")
    print(f"a party right {party_right / max(found, 1):.3f} ({party_right}/{found})")
    print(f"pipeline and build: {seconds:.1f} s for {len(articles)} articles")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list misses and wrong fields")
    parser.add_argument("--keep", type=Path, help="keep the store in this SQLite file (replaced) to look into")
    parser.add_argument("--never-tuned", action="store_true", help="score our own never-tuned reports instead")
    args = parser.parse_args()
    sys.exit(run(args.errors, args.keep, args.never_tuned))
