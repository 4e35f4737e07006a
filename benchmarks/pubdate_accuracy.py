"""Publication-date inference on TempEval-3 news with every date the document carries removed.

What it measures
----------------
Each TempEval-3 document (``--data``, default ``<repo>/../shared/dev-data/tempeval3``;
the script says so and exits 0 when it is absent) is turned into what a scraper would
keep of an article that lost its date:

* the title (``<TITLE>``, when there is one) and the text (``<TEXT>``, tags stripped);
* not the document creation time (``<DCT>``), the document id (``<DOCID>``, which spells
  the date in most file names) or ``<EXTRAINFO>`` (which repeats it);
* a dateline that gives the date away ("WASHINGTON, March 12, 1999 (Xinhua) --") has its
  date blanked (spaces, so offsets stay); a dateline without a year ("WASHINGTON, March
  12 (Xinhua) --") is kept, since a scraped article keeps it too and it does not say the
  year. ``--blank-all-datelines`` blanks those as well (a harder setting).

``trucewatch.time.infer_publication_date(text, lang="en")`` then gets the text alone. The
truth is the day of the DCT. Reported, per half and overall:

* coverage: documents given a day;
* within one day: documents whose inferred day is at most one day from the truth, over
  all documents (a document given no day counts as wrong), and over those given a day;
* calibration: per confidence band, how many were given that confidence and how many of
  them are within one day; the headline is the precision of confidence >= 0.7;
* how many texts name a year at all: a text that names none cannot be dated to the day
  from its words, which bounds what any inference can reach.

Tuning and held-out halves
--------------------------
The documents are split once, by a fixed rule chosen before any rule was tuned: the
SHA-1 of the file name, even -> ``tune``, odd -> ``held-out``. Rules were written looking
only at errors of the tuning half (``--errors`` lists those only); the held-out figure is
the one no choice was made on.

How to run
----------
    .venv/bin/python benchmarks/pubdate_accuracy.py
    .venv/bin/python benchmarks/pubdate_accuracy.py --errors      # misses of the tuning half
    .venv/bin/python benchmarks/pubdate_accuracy.py --blank-all-datelines
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = (REPO / ".." / "shared" / "dev-data" / "tempeval3").resolve()
BANDS = ((0.9, 1.01), (0.7, 0.9), (0.5, 0.7), (0.3, 0.5), (0.0, 0.3))


@dataclass
class Case:
    name: str
    half: str
    truth: date
    text: str
    blanked: str | None


def half_of(name: str) -> str:
    """The fixed split: SHA-1 of the file name, even -> tune, odd -> held-out."""
    return "tune" if int(hashlib.sha1(name.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "held-out"


def _text_of(elem: ET.Element) -> str:
    return "".join(elem.itertext())


def read_case(path: Path, blank_all: bool) -> Case | None:
    """One TimeML file as the text a dateless scrape would give, and its true day."""
    from trucewatch.documents.pubdate import find_dateline

    root = ET.parse(path).getroot()
    dct = next((t.get("value") for t in root.iter("TIMEX3") if t.get("functionInDocument") == "CREATION_TIME"), None)
    body = root.find("TEXT")
    if not dct or body is None:
        return None
    try:
        truth = date.fromisoformat(dct[:10])
    except ValueError:
        return None
    title = root.find("TITLE")
    text = (_text_of(title).strip() + "\n\n" if title is not None and _text_of(title).strip() else "") + _text_of(body)
    blanked = None
    found = find_dateline(text)
    if found and (found["year"] is not None or blank_all):
        blanked = text[found["start"] : found["end"]]
        text = text[: found["start"]] + " " * (found["end"] - found["start"]) + text[found["end"] :]
    return Case(path.name, half_of(path.name), truth, text, blanked)


def load(data: Path, blank_all: bool) -> list[Case]:
    cases = []
    for folder in sorted(p for p in data.iterdir() if p.is_dir()):
        for path in sorted(folder.glob("*.tml")):
            case = read_case(path, blank_all)
            if case is not None:
                cases.append(case)
    return cases


def names_a_year(text: str) -> bool:
    """Whether the tagger finds any year in ``text`` (written, spelled out, or in a full date)."""
    from trucewatch.time.tagger import recognise

    cands, _ = recognise(text, "en")
    return any(c.extra.get("year") for c in cands)


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def report(rows: list[tuple[Case, Any]], label: str) -> dict[str, Any]:
    n = len(rows)
    dated = [(c, a, _date(a.value)) for c, a in rows if _date(a.value) is not None]
    right = [(c, a) for c, a, d in dated if abs((d - c.truth).days) <= 1]
    exact = sum(1 for c, a, d in dated if d == c.truth)
    out: dict[str, Any] = {"documents": n, "dated": len(dated), "within_1_day": len(right), "exact": exact}
    pct = (lambda k, m: f"{k}/{m} ({100 * k / m:.0f}%)" if m else f"{k}/0")
    print(f"\n== {label}: {n} documents ==")
    print(f"  coverage (given a day)       {pct(len(dated), n)}")
    print(f"  within 1 day, of all         {pct(len(right), n)}")
    print(f"  within 1 day, of those dated {pct(len(right), len(dated))}")
    print(f"  exact day, of all            {pct(exact, n)}")
    named = sum(1 for c, _ in rows if names_a_year(c.text))
    print(f"  text names a year at all     {pct(named, n)}  (the others cannot be dated to the day from their text)")
    out["names_a_year"] = named
    print("  calibration (confidence band: given a day / within 1 day)")
    bands = {}
    for lo, hi in BANDS:
        inband = [(c, a, d) for c, a, d in dated if lo <= a.confidence < hi]
        ok = sum(1 for c, a, d in inband if abs((d - c.truth).days) <= 1)
        bands[f"{lo:.1f}-{min(hi, 1.0):.1f}"] = (len(inband), ok)
        print(f"    [{lo:.1f}, {min(hi, 1.0):.1f}{']' if hi > 1 else ')'}  {len(inband):4d}  {pct(ok, len(inband))}")
    high = [(c, a, d) for c, a, d in dated if a.confidence >= 0.7]
    high_ok = sum(1 for c, a, d in high if abs((d - c.truth).days) <= 1)
    print(f"  confidence >= 0.7: {pct(high_ok, len(high))} within 1 day (precision); "
          f"{pct(len(high), n)} of documents")
    out["bands"] = bands
    out["high_confidence"] = (len(high), high_ok)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    parser.add_argument("--blank-all-datelines", action="store_true", help="also blank datelines without a year")
    parser.add_argument("--errors", action="store_true", help="list the misses of the tuning half")
    args = parser.parse_args(argv)
    data = Path(args.data)
    if not data.is_dir():
        print(f"TempEval-3 data not found at {data}: skipped")
        return 0
    from trucewatch.time import infer_publication_date

    cases = load(data, args.blank_all_datelines)
    print(f"{len(cases)} documents from {data}; datelines blanked in {sum(1 for c in cases if c.blanked)} "
          f"({'all' if args.blank_all_datelines else 'those with a year'})")
    t0 = time.perf_counter()
    rows = [(c, infer_publication_date(c.text, lang="en")) for c in cases]
    elapsed = time.perf_counter() - t0
    for half in ("tune", "held-out"):
        report([r for r in rows if r[0].half == half], half)
    report(rows, "overall")
    print(f"\n{len(cases) / elapsed:.0f} documents/s")
    if args.errors:
        print("\n== misses, tuning half ==")
        for c, a in rows:
            d = _date(a.value)
            if c.half == "tune" and (d is None or abs((d - c.truth).days) > 1):
                print(f"{c.name:32s} truth {c.truth} got {a.value} conf {a.confidence} "
                      f"range {a.low}..{a.high} evidence {list(a.evidence)[:4]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
