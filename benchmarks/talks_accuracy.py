"""Rounds of talks on the ceasefire articles: does each gold ``talks`` event of status main
come out as a round, with its venue, date and forum right?

The articles are ingested, processed and fused as ``trucewatch`` does, then ``talks build``
runs. For every gold main talks event:

* found: a round cites the article;
* venue: the round's venue is the gold location (the same name, one inside the other),
  scored where the gold has a location;
* date: the gold day lies between the round's first and last day, scored where the gold
  date is given to the day;
* forum: the round's forum is the 5+5 JMC when the gold actors name it, scored then only.

It also prints the rounds built from articles whose gold has no talks event at all
(spurious rounds). Nothing in the talks vocabulary or code was set on this set: the
figures were measured once, after the code was written against the demo corpus and our
own invented reports.

    python benchmarks/talks_accuracy.py [--data ../shared/dev-data/ceasefire-articles] [--errors]
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DEV = ROOT.parent / "shared" / "dev-data" / "ceasefire-articles"
JMC = "5+5 Joint Military Commission"


def build(arts: list[dict[str, Any]], folder: str) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The rounds the system builds from the articles, and the article id of each document."""
    from sqlalchemy import select

    from trucewatch.ceasefire.news import build_from_news
    from trucewatch.ceasefire.talks_store import build_talks, iter_rounds
    from trucewatch.documents.ingest import ingest
    from trucewatch.fusion.run import fuse
    from trucewatch.pipeline.runner import process
    from trucewatch.store import open_store
    from trucewatch.store.schema import Document

    path = Path(folder) / "articles.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for a in arts:
            record = {"text": a["text"], "url": f"https://dev.invalid/{a['id']}", "outlet": a.get("outlet")}
            if a.get("published"):
                record["published"] = a["published"]
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    store = open_store(f"sqlite:///{folder}/talks.db")
    try:
        ingest(store, [str(path)])
        process(store)
        fuse(store)
        with store.session() as session:
            build_from_news(session)
        with store.session() as session:
            build_talks(session)
        with store.sessions() as session:
            article = {d.id: (d.url or "").rsplit("/", 1)[-1] for d in session.scalars(select(Document))}
        return list(iter_rounds(store)), article
    finally:
        store.close()


def venue_ok(gold: dict[str, Any], venue: dict[str, Any] | None) -> bool:
    """The gazetteer's name of the venue is the gold name (either may carry a prefix: "Sirte" / "Surt")."""
    if not venue or not venue["name"]:
        return False
    a, b = gold["name"].casefold(), venue["name"].casefold()
    return a == b or a in b or b in a


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEV)
    ap.add_argument("--errors", action="store_true", help="print each miss")
    args = ap.parse_args()
    files = sorted(glob.glob(os.path.join(args.data, "articles", "*.json")))
    if not files:
        print(f"skipped: no dev set at {args.data}")
        return
    arts = [json.loads(Path(f).read_text(encoding="utf-8")) for f in files]
    with tempfile.TemporaryDirectory() as folder:
        rounds, article = build(arts, folder)
    by_article: dict[str, list[dict[str, Any]]] = {}
    for r in rounds:
        for source in r["sources"]:
            by_article.setdefault(article.get(source["document_id"], "?"), []).append(r)
    tally = {"found": [0, 0], "venue": [0, 0], "date": [0, 0], "forum": [0, 0]}
    for a in arts:
        for g in a["gold"]["events"]:
            if g["kind"] != "talks" or g["status"] != "main":
                continue
            mine = by_article.get(a["id"], [])
            tally["found"][1] += 1
            tally["found"][0] += bool(mine)
            checks: dict[str, bool] = {}
            if g.get("location"):
                checks["venue"] = any(venue_ok(g["location"], r["venue"]) for r in mine)
            if g.get("date") and g.get("date_precision") == "day":
                checks["date"] = any(r["dates"]["start"] and r["dates"]["start"] <= g["date"] <= r["dates"]["end"]
                                     for r in mine)
            if JMC in g.get("actors", []):
                checks["forum"] = any((r["forum"] or {}).get("id") == "jmc_5plus5" for r in mine)
            for key, ok in checks.items():
                tally[key][1] += 1
                tally[key][0] += ok
            if args.errors and (not mine or not all(checks.values())):
                got = [(r["name"], (r["venue"] or {}).get("name"), r["dates"]["start"]) for r in mine]
                print(f"miss {a['id']} ({a['language']}): gold {g.get('date')} {(g.get('location') or {}).get('name')}"
                      f" {g.get('actors')}; checks {checks}; rounds {got}")
    talk_free = {a["id"] for a in arts if not any(g["kind"] == "talks" for g in a["gold"]["events"])}
    spurious = sorted({r["id"] for aid, rs in by_article.items() if aid in talk_free for r in rs})
    print(f"rounds built: {len(rounds)}; from articles with no gold talks: {len(spurious)}")
    if args.errors:
        for r in rounds:
            if r["id"] in spurious:
                print(f"spurious {r['name']} from articles "
                      f"{sorted({article.get(s['document_id']) for s in r['sources']})}")
    for key, (hit, total) in tally.items():
        print(f"{key}: {hit}/{total}" + (f" = {hit / total:.2f}" if total else ""))


if __name__ == "__main__":
    main()
