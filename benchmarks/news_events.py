"""Events on real local news that has no gold events: does each report's shooting come out,
in the right country, on the right days, and nothing it is not?

What it measures
----------------
``../shared/dev-data/fusion/gvc-dev.jsonl`` holds 170 real US local news reports of
shootings (the Gun Violence Corpus: every report was validated as reporting one incident
of the US Gun Violence Archive), each with its title and publication date. The set has
no event gold, but three facts hold for every report, so each is a check on real text
that nobody wrote for us:

* **found**: the report tells a shooting, so it should give at least one *main* event of
  a violent ACLED type (violence against civilians, battles, explosions/remote violence);
* **country**: the incident is in the United States, so that event's country should be
  the United States (a wrong reading of "Georgia", "Toledo" or a headline word shows here);
* **dated**: local news reports its shooting within days, so that event's date should lie
  from three days before publication to the day of it;
* **one**: the report tells one incident, so its headline, lede and body should give one
  main violent event, not one per mention (more is not always wrong: a report may add an
  earlier or a related shooting, so read it as a trend, not as an error count).

It also counts main events by sub-event type, so that a kind that has no business in
these reports (a suicide bombing, an agreement) shows.

The reports are split once, by a fixed rule made before any rule was changed on them:
the SHA-1 of the report's id, even -> ``tune``, odd -> ``held-out``. ``--errors`` lists
the misses of the tuning half only; read those, never the held-out ones, so that the
held-out figure stays one that no choice was made on. (Before the split, on 2026-12-07, the
outputs of about 25 reports from both halves were read to find the suicide-bombing and
place errors this benchmark was written to follow.)

This checkout's code runs (``trucewatch extract --jsonl`` through the same wrapper as
``article_accuracy.py``). When the file is absent the script says so and exits 0.

How to run
----------
    .venv/bin/python benchmarks/news_events.py
    .venv/bin/python benchmarks/news_events.py --errors      # misses of the tuning half
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from article_accuracy import write_wrapper

REPO = Path(__file__).resolve().parents[1]
DATA = (REPO / ".." / "shared" / "dev-data" / "fusion" / "gvc-dev.jsonl").resolve()
VIOLENT = ("Violence against civilians", "Battles", "Explosions/Remote violence")
COUNTRY = "United States"
DAYS_BEFORE = 3


def half(doc_id: str) -> str:
    return "tune" if int(hashlib.sha1(doc_id.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "held-out"


def records(path: Path) -> list[dict[str, Any]]:
    """The reports as ``extract --jsonl`` takes them: the title as the text's first line."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        text = f"{doc['title']}\n\n{doc['text']}" if doc.get("title") else doc["text"]
        out.append({"id": doc["id"], "text": text, "published": doc.get("published")})
    return out


def extract(tw: Path, docs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    lines = "\n".join(json.dumps(d, ensure_ascii=False) for d in docs) + "\n"
    proc = subprocess.run([str(tw), "extract", "--jsonl"], input=lines, capture_output=True, text=True, check=True)
    return {row["id"]: row for row in map(json.loads, proc.stdout.splitlines()) if row.get("id")}


def dated(event: dict[str, Any], published: str | None) -> bool:
    """Whether the event's date (or its span) reaches into the days before publication."""
    if not published or not event.get("event_date"):
        return False
    try:
        day = date.fromisoformat(published[:10])
        start = date.fromisoformat(str(event["event_date"])[:10])
        end = date.fromisoformat(str(event.get("date_end") or event["event_date"])[:10])
    except ValueError:
        return False
    return start <= day and end >= day - timedelta(days=DAYS_BEFORE)


def judge(doc: dict[str, Any], row: dict[str, Any] | None) -> dict[str, Any]:
    events = (row or {}).get("events") or []
    mains = [e for e in events if e.get("status") == "main"]
    violent = [e for e in mains if e.get("event_type") in VIOLENT]
    first = violent[0] if violent else None
    return {
        "found": first is not None,
        "country": first is not None and first.get("country") == COUNTRY,
        "dated": first is not None and dated(first, doc.get("published")),
        "one": len(violent) == 1,
        "kinds": [e.get("sub_event_type") or e.get("process_type") for e in mains],
        "first": first,
        "error": (row or {}).get("error"),
    }


def share(n: int, total: int) -> str:
    return f"{n}/{total} ({n / total:.2f})" if total else "0/0"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--python", default=sys.executable, help="the Python that runs trucewatch (default: this one)")
    parser.add_argument("--errors", action="store_true", help="list the misses of the tuning half")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"skipped: {args.data} is absent")
        return 0
    docs = records(args.data)
    with tempfile.TemporaryDirectory(prefix="tw-wrapper-") as tmp:
        rows = extract(write_wrapper(Path(tmp), args.python), docs)
    verdicts = {d["id"]: judge(d, rows.get(d["id"])) for d in docs}
    print(f"{len(docs)} reports from {args.data}")
    print("half       reports  found (main violent event)  in the United States  dated (0-3 days before)  "
          "one main violent event")
    for name in ("tune", "held-out", "all"):
        ids = [d["id"] for d in docs if name == "all" or half(d["id"]) == name]
        v = [verdicts[i] for i in ids]
        found = sum(x["found"] for x in v)
        print(f"{name:<10} {len(ids):>7}  {share(found, len(ids)):<26}  "
              f"{share(sum(x['country'] for x in v), found):<20} {share(sum(x['dated'] for x in v), found):<24} "
              f"{share(sum(x['one'] for x in v), found)}")
    kinds = Counter(k for x in verdicts.values() for k in x["kinds"])
    print("main events by kind (all reports): " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()))
    failed = sum(1 for x in verdicts.values() if x["error"])
    if failed:
        print(f"{failed} reports failed to extract")
    if args.errors:
        print("\n== misses, tuning half ==")
        for d in docs:
            x = verdicts[d["id"]]
            if half(d["id"]) != "tune" or (x["found"] and x["country"] and x["dated"]):
                continue
            e = x["first"] or {}
            print(f"{d['id'][:12]} published {d.get('published')} | found {x['found']} | "
                  f"{e.get('sub_event_type')} {e.get('event_date')} {e.get('country')} {e.get('location')} | "
                  f"{(d['text'][:90]).replace(chr(10), ' ')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
