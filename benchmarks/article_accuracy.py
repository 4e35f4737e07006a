"""Events on real ceasefire articles: main-event F1 and field accuracies, by the set's own scorer.

What it measures
----------------
``../shared/dev-data/ceasefire-articles/`` holds forty real news excerpts with hand-made
gold and ``score.py``, which runs ``trucewatch extract --jsonl`` over them and prints
main-event recall, precision and F1 (overall and per language) and, on matched events,
status, date, place within 50 km and fatalities. This script runs that scorer, unchanged,
against **this checkout's code**: it writes a small ``trucewatch`` wrapper into a
temporary folder (``PYTHONPATH=<repo>/src <python> -c 'from trucewatch.cli import main;
main()'``) and passes it as ``--tw``, so an installed trucewatch elsewhere is never what
gets scored. Nothing from the data set is copied into the repository; when the folder is
absent the script says so and exits 0.

The scorer runs on these article sets (each a temporary folder of links to the articles):

* ``all``: the forty articles (the issue's figures);
* ``tuning``: odd ids (001, 003, ...), the half whose errors were looked at while tuning;
* ``held-out``: even ids, never looked at, so its figure is the untuned one (the split is
  fixed by id and was made before any tuning; some even articles report the same real event
  as an odd one in another language, so it is not fully independent);
* ``non-English``: every article whose ``language`` is not ``en``;
* ``unread``: the even ids that nobody has read while writing rules. Incident fusion and the
  agreement records are scored on all forty articles (pairs of reports cross the halves),
  and their misses led us to read these even articles: 004, 006, 010, 012, 016, 020, 022,
  024, 028 and 034 (``READ_EVEN``). From then on ``held-out`` is partly tuned on, and
  ``unread`` (ten articles) is the figure with no tuning in it. Keep ``READ_EVEN`` up to date;
* ``read``: the thirty articles already read (``tuning`` plus ``READ_EVEN``), the only set
  whose ``--errors`` may be read without spending the ``unread`` figure.

Our own articles, scored by the same scorer: ``benchmarks/data/articles_ours/`` holds news
excerpts that we wrote in the style of real pages (scraping junk, datelines, background,
quotes), in the eight languages, with gold made by the data set's README rules. They were
scored once before anything was read (the first figure of ``benchmarks/data/README.md``);
then the odd ids were read and tuned on and the even ids never are:

* ``ours``: all of them; ``ours-unread``: the even ids; ``ours-read``: the odd ids, the
  only ones whose ``--errors`` may be read.

``--only all`` runs just the first. ``--errors`` passes ``--errors`` to the scorer (every
miss and spurious main event is listed); use it on the read articles only
(``--only read --errors``), never on ``unread``. The last lines are a table of the figures per set; the
scorer's own output is printed above it, verbatim.

How to run
----------
    .venv/bin/python benchmarks/article_accuracy.py
    .venv/bin/python benchmarks/article_accuracy.py --only tuning --errors
    .venv/bin/python benchmarks/article_accuracy.py --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DATA = (REPO / ".." / "shared" / "dev-data" / "ceasefire-articles").resolve()
SETS = ("all", "tuning", "held-out", "non-English", "unread", "read", "ours", "ours-unread", "ours-read")
#: Our own articles (written by us, gold by the data set's rules).
OURS = REPO / "benchmarks" / "data" / "articles_ours"
#: The sets whose errors may be read: left out of a run that names no set.
READ_SETS = ("read", "ours-read")
#: Even (held-out) articles whose text or errors were read while fusion and agreement rules
#: were written (sessions of 2026-12-05 and 2026-12-06).
READ_EVEN = frozenset({"004", "006", "010", "012", "016", "020", "022", "024", "028", "034"})


def write_wrapper(folder: Path, python: str) -> Path:
    """A ``trucewatch`` executable that runs this checkout's code with ``python``."""
    path = folder / "trucewatch"
    src = REPO / "src"
    path.write_text(
        "#!/bin/sh\n"
        f"PYTHONPATH={shlex.quote(str(src))}${{PYTHONPATH:+:$PYTHONPATH}} exec {shlex.quote(python)} "
        "-c 'from trucewatch.cli import main; main()' \"$@\"\n",
        encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def article_sets(articles: Path, ours: Path = OURS) -> dict[str, list[Path]]:
    """The article files of each set, by the fixed rules above."""
    files = sorted(articles.glob("*.json"))
    own = sorted(ours.glob("*.json")) if ours.is_dir() else []
    def number(p: Path) -> int:
        return int(re.sub(r"\D", "", p.stem) or 0)
    def language(p: Path) -> str:
        return str(json.loads(p.read_text(encoding="utf-8")).get("language") or "?")
    return {
        "all": files,
        "tuning": [p for p in files if number(p) % 2 == 1],
        "held-out": [p for p in files if number(p) % 2 == 0],
        "non-English": [p for p in files if language(p) != "en"],
        "unread": [p for p in files if number(p) % 2 == 0 and p.stem not in READ_EVEN],
        "read": [p for p in files if number(p) % 2 == 1 or p.stem in READ_EVEN],
        "ours": own,
        "ours-unread": [p for p in own if number(p) % 2 == 0],
        "ours-read": [p for p in own if number(p) % 2 == 1],
    }


def parse_scorer(output: str) -> dict[str, Any]:
    """The figures of the scorer's printout (its line formats, as of the data set's README)."""
    figures: dict[str, Any] = {}
    m = re.search(r"articles (\d+); gold main events (\d+); system main events (\d+); docs/s ([\d.]+)", output)
    if m:
        figures.update(articles=int(m[1]), gold_main=int(m[2]), system_main=int(m[3]), docs_per_s=float(m[4]))
    m = re.search(r"on matched: status main (\d+)/(\d+), date (\d+)/(\d+), place<=50km (\d+)/(\d+), "
                  r"fatalities (\d+)/(\d+)", output)
    if m:
        for i, name in enumerate(("status", "date", "place", "fatalities")):
            figures[name] = (int(m[2 * i + 1]), int(m[2 * i + 2]))
    m = re.search(r"recall ([\d.]+) precision ([\d.]+)", output)
    if m:
        figures.update(recall=float(m[1]), precision=float(m[2]))
    m = re.search(r"main-event F1 ([\d.]+)", output)
    if m:
        figures["f1"] = float(m[1])
    figures["languages"] = {lang: float(f1) for lang, f1 in re.findall(r"^\s+(\w+): F1 ([\d.]+)", output, re.M)}
    return figures


def run_scorer(scorer: Path, tw: Path, files: list[Path], errors: bool) -> tuple[str, int]:
    """Run ``score.py`` over ``files`` (linked into a temporary folder); its output and exit code."""
    with tempfile.TemporaryDirectory(prefix="tw-articles-") as tmp:
        for f in files:
            os.symlink(f, Path(tmp) / f.name)
        cmd = [sys.executable, str(scorer), "--articles", tmp, "--tw", str(tw)] + (["--errors"] if errors else [])
        proc = subprocess.run(cmd, capture_output=True, text=True)
    return proc.stdout + (proc.stderr if proc.returncode else ""), proc.returncode


def ratio(pair: tuple[int, int] | None) -> str:
    if not pair:
        return "-"
    ok, n = pair
    return f"{ok}/{n} ({ok / n:.2f})" if n else "0/0"


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--data", type=Path, default=DATA, help=f"the data set's folder (default {DATA})")
    parser.add_argument("--python", default=sys.executable, help="the Python that runs trucewatch (default: this one)")
    parser.add_argument("--only", action="append", choices=SETS, help="score only this set (repeatable)")
    parser.add_argument("--errors", action="store_true", help="let the scorer list every miss and spurious event")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the figures to FILE as JSON")
    args = parser.parse_args(list(argv) if argv is not None else None)
    scorer = args.data / "score.py"
    if not scorer.exists() or not (args.data / "articles").is_dir():
        print(f"skipped: {scorer} (or its articles/) is not there")
        return 0
    sets = article_sets(args.data / "articles")
    chosen = [s for s in (args.only or [s for s in SETS if s not in READ_SETS]) if sets[s]]
    report: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="tw-wrapper-") as tmp:
        tw = write_wrapper(Path(tmp), args.python)
        for name in chosen:
            files = sets[name]
            print(f"=== {name}: {len(files)} articles (score.py --articles <{name}> --tw <this checkout>)")
            output, code = run_scorer(scorer, tw, files, args.errors)
            print(output.rstrip())
            if code != 0:
                print(f"score.py exited {code} on the {name} set")
                return 1
            report[name] = parse_scorer(output)
    print("\nset          articles  F1     P      R      status          date            place<=50km     fatalities")
    for name, f in report.items():
        print(f"{name:<12} {f.get('articles', 0):>8}  {f.get('f1', 0):.3f}  {f.get('precision', 0):.3f}  "
              f"{f.get('recall', 0):.3f}  {ratio(f.get('status')):<15} {ratio(f.get('date')):<15} "
              f"{ratio(f.get('place')):<15} {ratio(f.get('fatalities'))}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
        print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
