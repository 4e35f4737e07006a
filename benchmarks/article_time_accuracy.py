"""Time tagging and publication-date inference on real ceasefire news, per language.

What it measures
----------------
The ceasefire-articles dev set (``--data``, default
``<repo>/../shared/dev-data/ceasefire-articles``; skipped with a note when absent) has,
for each excerpt, a language, a publication date (or null) and a gold list of dates:
the surface string of each date expression and its value (``YYYY-MM-DD``, ``YYYY-MM``,
``YYYY`` or ``YYYY-Www``), relative ones resolved against the publication date. Nothing
is copied from it; it is read where it lies.

1. Tagging. ``tag_time(text, published, lang)`` runs on each excerpt (the publication date
   given when the gold has one). A gold date is *found* when a DATE or TIME expression
   overlaps the first occurrence of its surface string, and *right* when that expression's
   value, cut to the gold value's precision, equals it. Gold dates whose value is null
   (relative ones in an undated excerpt) count for *found* only. Per language: gold dates,
   found, right (of those with a value).

2. Publication dates. For the excerpts whose date came from their URL (the text does not
   carry it), ``infer_publication_date(text, lang)`` gets the text with the stored
   `` date ...`` metadata line removed. Reported: how many got a day, how many within one
   day, and the confidence of each.

How to run
----------
    .venv/bin/python benchmarks/article_time_accuracy.py
    .venv/bin/python benchmarks/article_time_accuracy.py --errors
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = (REPO / ".." / "shared" / "dev-data" / "ceasefire-articles").resolve()
_META_LINE = re.compile(r"^\s*date\s+\d{4}(?:-\d{2}(?:-\d{2})?)?\s*\n")


def _value_at(value: str | None, gold: str) -> str | None:
    """``value`` cut to the precision of ``gold`` (a day to its month, its year or its ISO week)."""
    if not value:
        return None
    if re.fullmatch(r"\d{4}-W\d{2}", gold) and re.match(r"\d{4}-\d{2}-\d{2}", value):
        y, w, _ = date.fromisoformat(value[:10]).isocalendar()
        return f"{y:04d}-W{w:02d}"
    return value[: len(gold)]


def tagging(articles: list[dict[str, Any]], errors: bool) -> None:
    from trucewatch.time import tag_time

    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # gold, found, with value, right
    misses: list[str] = []
    for art in articles:
        text, lang = art["text"], art["language"]
        timexes = [t for t in tag_time(text, published=art["published"], lang=lang).timexes if t.type in ("DATE", "TIME")]
        for g in art["gold"]["dates"]:
            c = counts[lang]
            c[0] += 1
            at = text.find(g["surface"])
            hit = None
            if at >= 0:
                end = at + len(g["surface"])
                hit = next((t for t in timexes if t.start < end and t.end > at), None)
            c[1] += hit is not None
            if g["value"]:
                c[2] += 1
                ok = hit is not None and _value_at(hit.value, g["value"]) == g["value"]
                c[3] += ok
                if not ok:
                    misses.append(f"  {art['id']} {lang}: {g['surface']!r} gold {g['value']} got "
                                  f"{(hit.text, hit.value) if hit else None}")
            elif hit is None:
                misses.append(f"  {art['id']} {lang}: {g['surface']!r} (no value) not found")
    print("time tagging: gold dates found (overlapping expression) and right (value at the gold precision)")
    print(f"  {'lang':5s} {'gold':>5s} {'found':>12s} {'right':>12s}")
    total = [0, 0, 0, 0]
    for lang in sorted(counts, key=lambda k: -counts[k][0]):
        g, f, v, r = counts[lang]
        total = [a + b for a, b in zip(total, counts[lang])]
        print(f"  {lang:5s} {g:5d} {f:5d} ({f / g:4.0%}) {r:5d}/{v:<3d} ({(r / v if v else 0):4.0%})")
    g, f, v, r = total
    print(f"  {'all':5s} {g:5d} {f:5d} ({f / g:4.0%}) {r:5d}/{v:<3d} ({(r / v if v else 0):4.0%})")
    if errors:
        print("misses:")
        print("\n".join(misses))


def publication(articles: list[dict[str, Any]]) -> None:
    from trucewatch.time import infer_publication_date

    rows = [a for a in articles if a["published"] and a["published_basis"] == "url"]
    print(f"\npublication-date inference on the {len(rows)} excerpts dated by their URL only (text alone given)")
    dated = right = 0
    for art in rows:
        text = _META_LINE.sub("", art["text"], count=1)
        anchor = infer_publication_date(text, lang=art["language"])
        truth = date.fromisoformat(art["published"])
        got = date.fromisoformat(anchor.value[:10]) if anchor.value else None
        dated += got is not None
        ok = got is not None and abs((got - truth).days) <= 1
        right += ok
        print(f"  {art['id']} {art['language']}: truth {truth} got {anchor.value} confidence {anchor.confidence}"
              f"{'  (within 1 day)' if ok else ''}")
    print(f"  given a day {dated}/{len(rows)}, within one day {right}/{len(rows)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    parser.add_argument("--errors", action="store_true", help="list gold dates missed or valued wrong")
    args = parser.parse_args(argv)
    folder = Path(args.data) / "articles"
    if not folder.is_dir():
        print(f"ceasefire-articles not found at {args.data}: skipped")
        return 0
    articles = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]
    tagging(articles, args.errors)
    publication(articles)
    return 0


if __name__ == "__main__":
    sys.exit(main())
