"""Time-expression tagging accuracy (TempEval-3 style) and publication-date inference.

What it measures
----------------
Part 1 - the temporal tagger against TimeML gold. The TempEval-3 dev data (TimeBank
and AQUAINT, 256 ``.tml`` files) is read from ``--data`` (default
``<repo>/../shared/dev-data/tempeval3``; nothing is copied into the repository, and
when the folder is absent the script says so and exits 0). For every document:

* the anchor is the document creation time, the ``TIMEX3`` with
  ``functionInDocument="CREATION_TIME"`` inside ``<DCT>``; its value is passed as is;
* the text is the content of ``<TEXT>`` with every XML tag stripped and entities
  unescaped (ElementTree text/tail walk, so offsets into that text are exact);
* the gold is every ``TIMEX3`` inside ``<TEXT>`` (span, type, value); the DCT itself
  is not scored.

Two systems are scored on that text:

* ``trucewatch``: ``trucewatch.extract.time.tag_time(text, published=dct, lang="en")``;
* ``dateparser``: ``dateparser.search.search_dates`` with the DCT as
  ``RELATIVE_BASE``; each returned substring is mapped to a span by searching forward
  from the previous match; type TIME when the datetime has a non-midnight time, DATE
  otherwise; value ``YYYY-MM-DD`` (``YYYY-MM-DDTHH:MM`` for TIME). That is the most
  its output can honestly be credited with (it never yields durations or sets).

Scores, micro-averaged over documents, per corpus and overall, as in TempEval-3:

* strict span P/R/F1 (same start and end) and relaxed span P/R/F1 (any overlap; each
  gold and each system expression matched at most once, greedily by largest overlap);
* type and value P/R/F1 over the relaxed matches: an attribute is correct when equal
  (values compared case-sensitively after stripping whitespace); P = correct / system
  expressions, R = correct / gold expressions;
* counts: gold, system, strict and relaxed matches, correct types and values.

Part 1b - publication-date inference on the same documents with the DCT withheld:
``infer_publication_date(text)`` against the DCT's day (how many get a day, exact, within
1/3/7 days, truth inside the low..high range).

Speed: only the ``tag_time`` calls are timed (not file parsing), over all documents,
``--runs`` times in this one process, after one untimed warm-up call on a short
sentence (lazy loading is not a per-document cost); the table gives documents/second
(median, min, max) and characters/second (median). The scored output is that of the
first run. The dateparser baseline is timed over its single run. Peak RSS
(``ru_maxrss``, whole process) is printed at the end.

``--errors N`` prints trucewatch's N most frequent error patterns: missed gold
expressions, spurious expressions, value mismatches (by text and by value shape),
type mismatches and span-boundary mismatches, each with counts and an example.
``--doc NAME`` restricts everything to documents whose file name contains NAME and
prints every gold and system expression aligned.

Part 2 - publication-date inference on the bundled demo corpus
(``src/trucewatch/resources/demo``). Each input is read and prepared exactly as
``trucewatch ingest`` does (``readers.iter_inputs`` + ``ingest.prepare``, duplicates by
content id counted once); the true date is the date ingest records (basis metadata,
filename or dateline; documents without a known day are skipped and counted).
``trucewatch.extract.time.infer_publication_date(text, lang=<document language>)`` then gets
the cleaned text only, without metadata or file name, and with the date of the
dateline blanked out (replaced by spaces, so lengths and offsets stay the same). By
default every dateline date is blanked, including those of documents whose recorded
date came from the file name or metadata, since a dated dateline would otherwise give
the answer away; ``--blank-datelines basis`` blanks it only when the recorded date
came from the dateline. Reported: documents, how many got a date, exact-day accuracy,
within 1, 3 and 7 days, and how often the true date lies inside [low, high];
``--verbose`` lists every miss.

How to run
----------
    .venv/bin/python benchmarks/time_accuracy.py
    .venv/bin/python benchmarks/time_accuracy.py --errors 40 --runs 3 --json out.json
    .venv/bin/python benchmarks/time_accuracy.py --skip-baseline --skip-demo --errors 40
    .venv/bin/python benchmarks/time_accuracy.py --doc APW19980807 --runs 1
    .venv/bin/python benchmarks/time_accuracy.py --self-check     # the gold scored against itself: all 1.0
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import sys
import time
import traceback
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = (REPO / ".." / "shared" / "dev-data" / "tempeval3").resolve()
DEFAULT_DEMO = REPO / "src" / "trucewatch" / "resources" / "demo"
DEMO_PARTS = ("text", "html", "batch")  # what `trucewatch demo` ingests (not the README)
CORPORA = ("TimeBank", "AQUAINT")
OVERALL = "overall"

# --------------------------------------------------------------------------------------
# TimeML reading
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expr:
    """One time expression, gold or system: span in the document text, type and value."""

    start: int
    end: int
    text: str
    type: str | None
    value: str | None


@dataclass
class Doc:
    name: str
    corpus: str
    dct: str
    text: str
    gold: list[Expr]


def _flatten(elem: ET.Element, parts: list[str], pos: int, gold: list[Expr]) -> int:
    """Append ``elem``'s text content to ``parts``; record every TIMEX3 below it in ``gold``.

    Returns the offset after ``elem``'s content; the gold texts are filled in by the caller.
    """
    if elem.text:
        parts.append(elem.text)
        pos += len(elem.text)
    for child in elem:
        start = pos
        pos = _flatten(child, parts, pos, gold)
        if child.tag == "TIMEX3":
            gold.append(Expr(start, pos, "", child.get("type"), child.get("value")))
        if child.tail:
            parts.append(child.tail)
            pos += len(child.tail)
    return pos


def read_tml(path: Path, corpus: str) -> Doc:
    """One TimeML file as (DCT value, stripped TEXT, gold TIMEX3 spans)."""
    root = ET.parse(path).getroot()
    dct_elem = root.find("DCT")
    if dct_elem is None:
        raise ValueError(f"{path}: no <DCT>")
    dcts = [t for t in dct_elem.iter("TIMEX3") if t.get("functionInDocument") == "CREATION_TIME"]
    dcts = dcts or list(dct_elem.iter("TIMEX3"))
    if not dcts or not dcts[0].get("value"):
        raise ValueError(f"{path}: no creation-time TIMEX3 in <DCT>")
    text_elem = root.find("TEXT")
    if text_elem is None:
        raise ValueError(f"{path}: no <TEXT>")
    parts: list[str] = []
    raw_gold: list[Expr] = []
    _flatten(text_elem, parts, 0, raw_gold)
    text = "".join(parts)
    gold = sorted((Expr(g.start, g.end, text[g.start:g.end], g.type, g.value) for g in raw_gold),
                  key=lambda e: (e.start, e.end))
    return Doc(path.name, corpus, dcts[0].get("value", ""), text, gold)


def load_corpus(data: Path) -> list[Doc]:
    """Every ``.tml`` file under the corpus folders of ``data``, TimeBank then AQUAINT, by name."""
    folders = [data / c for c in CORPORA if (data / c).is_dir()]
    folders += sorted(p for p in data.iterdir() if p.is_dir() and p.name not in CORPORA)
    docs = []
    for folder in folders:
        for path in sorted(folder.glob("*.tml")):
            docs.append(read_tml(path, folder.name))
    return docs


# --------------------------------------------------------------------------------------
# Systems: each maps a document to its expressions
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class System:
    """A system under test: ``call`` is the timed part, ``convert`` turns its answer into expressions."""

    name: str
    call: Callable[[Doc], Any]
    convert: Callable[[Doc, Any], list[Expr]]


@dataclass
class SystemRun:
    """One system's output over the documents, and how long the timed calls took."""

    name: str
    outputs: dict[str, list[Expr]] = field(default_factory=dict)
    run_seconds: list[float] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (doc, error)
    bad_spans: list[tuple[str, Expr, str]] = field(default_factory=list)  # (doc, expr, text[start:end])


def load_trucewatch_tagger() -> tuple[Callable[..., Any] | None, str | None]:
    try:
        from trucewatch.extract.time import tag_time
    except Exception as exc:  # the tagger is being written; any import failure is reported, not fatal
        return None, f"{type(exc).__name__}: {exc}"
    return tag_time, None


def trucewatch_system(tag_time: Callable[..., Any]) -> System:
    def call(doc: Doc) -> Any:
        return tag_time(doc.text, published=doc.dct, lang="en")

    def convert(doc: Doc, tagging: Any) -> list[Expr]:
        return [Expr(t.start, t.end, t.text, t.type, t.value) for t in tagging.timexes]

    return System("trucewatch", call, convert)


def dct_datetime(value: str) -> datetime:
    """The DCT value as a naive datetime ("1998-01-08", "1999-05-07T03:44", "...T03:44:00")."""
    try:
        return datetime.fromisoformat(value.strip()).replace(tzinfo=None)
    except ValueError:
        return datetime.fromisoformat(value.strip()[:10])


def dateparser_system() -> System:
    from dateparser.search import search_dates

    def call(doc: Doc) -> Any:
        try:
            return search_dates(doc.text, languages=["en"],
                                settings={"RELATIVE_BASE": dct_datetime(doc.dct),
                                          "RETURN_AS_TIMEZONE_AWARE": False})
        except Exception:  # dateparser raises assorted errors on odd input: no results
            return None

    def convert(doc: Doc, found: Any) -> list[Expr]:
        exprs, pos = [], 0
        for substring, moment in found or []:
            at = doc.text.find(substring, pos)
            if at < 0:
                continue
            pos = at + len(substring)
            if (moment.hour, moment.minute, moment.second, moment.microsecond) != (0, 0, 0, 0):
                exprs.append(Expr(at, pos, substring, "TIME", moment.strftime("%Y-%m-%dT%H:%M")))
            else:
                exprs.append(Expr(at, pos, substring, "DATE", moment.strftime("%Y-%m-%d")))
        return exprs

    return System("dateparser", call, convert)


def gold_system() -> System:
    """The gold itself, for checking the scorer (--self-check)."""
    return System("gold", lambda doc: doc.gold, lambda doc, gold: list(gold))


def run_system(system: System, docs: list[Doc], runs: int) -> SystemRun:
    """Run ``tagger`` over all documents ``runs`` times, timing only the tagger calls.

    The first run's output is the one scored; a document on which the tagger raises
    gets no expressions and is listed as a failure.
    """
    name = system.name
    result = SystemRun(name)
    warm_up = Doc("warm-up", "", "1998-01-08", "The talks resumed on Monday, two weeks after the March 3 attack.", [])
    try:  # untimed: lazy loading of models and language data is not per-document cost
        system.call(warm_up)
    except Exception:
        pass
    for r in range(runs):
        elapsed = 0.0
        for doc in docs:
            t0 = time.perf_counter()
            try:
                answer = system.call(doc)
                error = None
            except Exception as exc:
                answer, error = None, f"{type(exc).__name__}: {exc}"
                if r == 0 and not result.failures:  # the first failure in full, the rest counted
                    print(f"{name} raised on {doc.name}:\n{traceback.format_exc()}", file=sys.stderr)
            elapsed += time.perf_counter() - t0
            if r == 0:
                exprs: list[Expr] = []
                if error is None:
                    try:
                        exprs = system.convert(doc, answer)
                    except Exception as exc:  # a malformed answer is the system's failure too
                        error = f"unreadable answer: {type(exc).__name__}: {exc}"
                if error:
                    result.failures.append((doc.name, error))
                result.outputs[doc.name] = exprs
                for e in exprs:
                    if doc.text[e.start:e.end] != e.text:
                        result.bad_spans.append((doc.name, e, doc.text[e.start:e.end]))
        result.run_seconds.append(elapsed)
        if runs > 1:
            print(f"  {name} run {r + 1}/{runs}: {len(docs)} docs in {elapsed:.2f} s "
                  f"({len(docs) / elapsed:.1f} docs/s)", flush=True)
    return result


# --------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------


@dataclass
class Counts:
    docs: int = 0
    gold: int = 0
    system: int = 0
    strict: int = 0
    relaxed: int = 0
    type_ok: int = 0
    value_ok: int = 0

    def add(self, other: Counts) -> None:
        for key in self.__dataclass_fields__:
            setattr(self, key, getattr(self, key) + getattr(other, key))


@dataclass
class Alignment:
    """How one document's system output lines up with its gold."""

    pairs: list[tuple[Expr, Expr]]  # relaxed matches (gold, system)
    missed: list[Expr]
    spurious: list[Expr]
    counts: Counts


def _overlap(a: Expr, b: Expr) -> int:
    return min(a.end, b.end) - max(a.start, b.start)


def _norm_value(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else None


def align(gold: list[Expr], system: list[Expr]) -> Alignment:
    """Strict and relaxed (greedy, largest overlap first, one-to-one) matching of one document."""
    strict = sum((Counter((g.start, g.end) for g in gold) & Counter((s.start, s.end) for s in system)).values())
    candidates = []
    for gi, g in enumerate(gold):
        for si, s in enumerate(system):
            size = _overlap(g, s)
            if size > 0 or (size == 0 and g.start == s.start and g.end == s.end):  # empty spans only if identical
                exact = g.start == s.start and g.end == s.end
                candidates.append((-int(exact), -size, abs(g.start - s.start) + abs(g.end - s.end), gi, si))
    candidates.sort()
    used_g: set[int] = set()
    used_s: set[int] = set()
    pairs = []
    for *_, gi, si in candidates:
        if gi in used_g or si in used_s:
            continue
        used_g.add(gi)
        used_s.add(si)
        pairs.append((gold[gi], system[si]))
    pairs.sort(key=lambda p: (p[0].start, p[0].end))
    counts = Counts(
        docs=1, gold=len(gold), system=len(system), strict=strict, relaxed=len(pairs),
        type_ok=sum(g.type == s.type for g, s in pairs),
        value_ok=sum(_norm_value(g.value) is not None and _norm_value(g.value) == _norm_value(s.value)
                     for g, s in pairs),
    )
    missed = [g for i, g in enumerate(gold) if i not in used_g]
    spurious = [s for i, s in enumerate(system) if i not in used_s]
    return Alignment(pairs, missed, spurious, counts)


def prf(correct: int, system: int, gold: int) -> tuple[float, float, float]:
    p = correct / system if system else 0.0
    r = correct / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def scores(c: Counts) -> dict[str, Any]:
    """P/R/F1 of the four TempEval-3 measures, plus the counts they come from."""
    out: dict[str, Any] = {"counts": asdict(c)}
    for name, correct in (("strict", c.strict), ("relaxed", c.relaxed), ("type", c.type_ok), ("value", c.value_ok)):
        p, r, f = prf(correct, c.system, c.gold)
        out[name] = {"precision": p, "recall": r, "f1": f}
    return out


def score_run(run: SystemRun, docs: list[Doc]) -> tuple[dict[str, Counts], dict[str, Alignment]]:
    """Counts per corpus and overall, and the alignment of every document."""
    by_corpus: dict[str, Counts] = defaultdict(Counts)
    alignments = {}
    for doc in docs:
        a = align(doc.gold, run.outputs.get(doc.name, []))
        alignments[doc.name] = a
        by_corpus[doc.corpus].add(a.counts)
        by_corpus[OVERALL].add(a.counts)
    ordered = {c: by_corpus[c] for c in [*CORPORA, *sorted(set(by_corpus) - {*CORPORA, OVERALL}), OVERALL]
               if c in by_corpus}
    return ordered, alignments


# --------------------------------------------------------------------------------------
# Printing
# --------------------------------------------------------------------------------------


def print_score_tables(results: dict[str, dict[str, Counts]]) -> None:
    """One block per corpus, the systems side by side."""
    systems = list(results)
    corpora = list(next(iter(results.values()))) if results else []
    col = 23
    for corpus in corpora:
        first = results[systems[0]][corpus]
        print(f"\n== {corpus}: {first.docs} documents, {first.gold} gold expressions ==")
        print(f"{'':<14}" + "".join(f"{s:>{col}}" for s in systems))
        print(f"{'':<14}" + "".join(f"{'P':>9}{'R':>7}{'F1':>7}" for _ in systems))
        for measure in ("strict", "relaxed", "type", "value"):
            cells = []
            for s in systems:
                sc = scores(results[s][corpus])[measure]
                cells.append(f"{sc['precision']:>9.3f}{sc['recall']:>7.3f}{sc['f1']:>7.3f}")
            print(f"{measure + (' span' if measure in ('strict', 'relaxed') else ''):<14}" + "".join(cells))
        for label, key in (("system", "system"), ("strict match", "strict"), ("relaxed match", "relaxed"),
                           ("type correct", "type_ok"), ("value correct", "value_ok")):
            print(f"{label:<14}" + "".join(f"{getattr(results[s][corpus], key):>{col}}" for s in systems))


def print_speed(run: SystemRun, docs: list[Doc]) -> dict[str, float]:
    chars = sum(len(d.text) for d in docs)
    rates = [len(docs) / s for s in run.run_seconds if s > 0]
    if not rates:
        return {}
    speed = {
        "runs": len(run.run_seconds),
        "documents": len(docs),
        "characters": chars,
        "docs_per_s_median": statistics.median(rates),
        "docs_per_s_min": min(rates),
        "docs_per_s_max": max(rates),
        "chars_per_s_median": chars / statistics.median(run.run_seconds),
        "seconds_median": statistics.median(run.run_seconds),
    }
    print(f"{run.name:<12} {speed['docs_per_s_median']:>10.1f} docs/s median (min {speed['docs_per_s_min']:.1f}, "
          f"max {speed['docs_per_s_max']:.1f}) over {speed['runs']} run(s); "
          f"{speed['chars_per_s_median']:,.0f} chars/s; {speed['seconds_median']:.2f} s for "
          f"{len(docs)} docs / {chars:,} chars")
    return speed


def _short(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _shape(value: str | None) -> str:
    """A value with its digits masked: "1998-01-08" -> "9999-99-99", None -> "None"."""
    return re.sub(r"\d", "9", value.strip()) if isinstance(value, str) else "None"


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def print_errors(alignments: dict[str, Alignment], docs: list[Doc], top: int) -> dict[str, Any]:
    """The most frequent error patterns of one system, grouped so that fixes show up."""
    corpus_of = {d.name: d.corpus for d in docs}
    missed: Counter[str] = Counter()
    missed_ex: dict[str, tuple[Expr, str]] = {}
    spurious: Counter[str] = Counter()
    spurious_ex: dict[str, tuple[Expr, str]] = {}
    values: Counter[tuple[str, str, str]] = Counter()
    values_ex: dict[tuple[str, str, str], tuple[Expr, Expr, str]] = {}
    shapes: Counter[tuple[str, str]] = Counter()
    shapes_ex: dict[tuple[str, str], tuple[Expr, Expr, str]] = {}
    types: Counter[tuple[str | None, str | None]] = Counter()
    types_ex: dict[tuple[str | None, str | None], tuple[Expr, Expr, str]] = {}
    bounds: Counter[tuple[str, str]] = Counter()
    bounds_ex: dict[tuple[str, str], str] = {}
    for name, a in alignments.items():
        for g in a.missed:
            missed[_key(g.text)] += 1
            missed_ex.setdefault(_key(g.text), (g, name))
        for s in a.spurious:
            spurious[_key(s.text)] += 1
            spurious_ex.setdefault(_key(s.text), (s, name))
        for g, s in a.pairs:
            if _norm_value(g.value) != _norm_value(s.value):
                k = (_key(g.text), _shape(g.value), _shape(s.value))
                values[k] += 1
                values_ex.setdefault(k, (g, s, name))
                ks = (_shape(g.value), _shape(s.value))
                shapes[ks] += 1
                shapes_ex.setdefault(ks, (g, s, name))
            if g.type != s.type:
                types[(g.type, s.type)] += 1
                types_ex.setdefault((g.type, s.type), (g, s, name))
            if (g.start, g.end) != (s.start, s.end):
                kb = (_key(g.text), _key(s.text))
                bounds[kb] += 1
                bounds_ex.setdefault(kb, name)

    def header(title: str, total: int, groups: int) -> None:
        print(f"\n-- {title}: {total} in {groups} groups (top {min(top, groups)}) --")

    header("missed gold expressions (by lowercased text)", sum(missed.values()), len(missed))
    for k, n in missed.most_common(top):
        g, doc = missed_ex[k]
        print(f"{n:>5}  {_short(k):<42} gold {g.type or '?':<8} {g.value or '?':<18} e.g. {doc}")
    header("spurious system expressions (by lowercased text)", sum(spurious.values()), len(spurious))
    for k, n in spurious.most_common(top):
        s, doc = spurious_ex[k]
        print(f"{n:>5}  {_short(k):<42} ours {s.type or '?':<8} {s.value or 'None':<18} e.g. {doc}")
    header("value mismatches (gold text, gold value shape -> our value shape)", sum(values.values()), len(values))
    for k, n in values.most_common(top):
        g, s, doc = values_ex[k]
        ours = f" (ours: {_short(s.text, 30)!r})" if (g.start, g.end) != (s.start, s.end) else ""
        print(f"{n:>5}  {_short(k[0]):<42} gold {g.value!s:<18} ours {s.value!s:<18} e.g. {doc}{ours}")
    header("value mismatches by value shape (gold -> ours)", sum(shapes.values()), len(shapes))
    for k, n in shapes.most_common(top):
        g, s, doc = shapes_ex[k]
        print(f"{n:>5}  {k[0]:<18} -> {k[1]:<18} e.g. {_short(g.text, 30)!r}: {g.value} vs {s.value} ({doc})")
    header("type mismatches (gold -> ours)", sum(types.values()), len(types))
    for k, n in types.most_common(top):
        g, s, doc = types_ex[k]
        print(f"{n:>5}  {k[0]!s:<9} -> {k[1]!s:<9} e.g. gold {_short(g.text, 30)!r} ({g.value}), "
              f"ours {_short(s.text, 30)!r} ({s.value}) in {doc}")
    header("span boundary mismatches (gold text | our text)", sum(bounds.values()), len(bounds))
    for k, n in bounds.most_common(top):
        print(f"{n:>5}  {_short(k[0]):<42} | {_short(k[1]):<42} e.g. {bounds_ex[k]}")

    by_corpus_missed = Counter(corpus_of[n] for n, a in alignments.items() for _ in a.missed)
    by_corpus_spurious = Counter(corpus_of[n] for n, a in alignments.items() for _ in a.spurious)
    print(f"\nmissed by corpus: {dict(by_corpus_missed)}; spurious by corpus: {dict(by_corpus_spurious)}")
    return {
        "missed": [{"text": k, "count": n, "type": missed_ex[k][0].type, "value": missed_ex[k][0].value,
                    "doc": missed_ex[k][1]} for k, n in missed.most_common(top)],
        "spurious": [{"text": k, "count": n, "type": spurious_ex[k][0].type, "value": spurious_ex[k][0].value,
                      "doc": spurious_ex[k][1]} for k, n in spurious.most_common(top)],
        "value_mismatches": [{"text": k[0], "count": n, "gold": values_ex[k][0].value, "ours": values_ex[k][1].value,
                              "doc": values_ex[k][2]} for k, n in values.most_common(top)],
        "value_shapes": [{"gold": k[0], "ours": k[1], "count": n} for k, n in shapes.most_common(top)],
        "type_mismatches": [{"gold": k[0], "ours": k[1], "count": n} for k, n in types.most_common(top)],
        "boundaries": [{"gold": k[0], "ours": k[1], "count": n} for k, n in bounds.most_common(top)],
    }


def _cell(e: Expr | None) -> str:
    if e is None:
        return f"{'':<60}"
    return f"{e.start:>5}-{e.end:<5} {_short(e.text, 26):<26} {e.type or '?':<8} {_short(e.value or 'None', 12):<12}"


def print_doc(doc: Doc, name: str, a: Alignment) -> None:
    """Every gold and system expression of one document, aligned, with the verdict."""
    print(f"\n## {doc.corpus}/{doc.name} - {name} (DCT {doc.dct}; gold {len(doc.gold)}, system "
          f"{len(a.pairs) + len(a.spurious)}; strict {a.counts.strict}, relaxed {a.counts.relaxed}, "
          f"value ok {a.counts.value_ok})")
    print(f"{'gold':<60} | {'system':<60} | verdict")
    rows: list[tuple[int, Expr | None, Expr | None]] = [(g.start, g, s) for g, s in a.pairs]
    rows += [(g.start, g, None) for g in a.missed] + [(s.start, None, s) for s in a.spurious]
    for _, g, s in sorted(rows, key=lambda r: r[0]):
        if g and s:
            verdict = ["span" if (g.start, g.end) == (s.start, s.end) else "overlap",
                       "type" if g.type == s.type else "TYPE", "value" if _norm_value(g.value) == _norm_value(s.value)
                       else "VALUE"]
            verdict_text = " ".join(verdict)
        else:
            verdict_text = "MISSED" if g else "SPURIOUS"
        print(f"{_cell(g)} | {_cell(s)} | {verdict_text}")


# --------------------------------------------------------------------------------------
# Part 2: publication-date inference on the demo corpus
# --------------------------------------------------------------------------------------


@dataclass
class DemoCase:
    source: str  # path relative to the demo folder, ":line" for JSONL records
    language: str | None
    truth: date
    basis: str
    text: str
    blanked: str | None  # the dateline date text that was blanked, if any


@dataclass
class DemoSet:
    cases: list[DemoCase]
    unknown: list[str]  # inputs whose true date (to the day) is unknown
    duplicates: list[str]
    rejected: list[str]


def demo_folder() -> Path:
    from trucewatch.demo import demo_corpus

    path = demo_corpus()
    return path if path.is_dir() else DEFAULT_DEMO


def blank(text: str, start: int, end: int) -> str:
    """``text`` with ``[start, end)`` replaced by spaces (line breaks kept), same length."""
    return text[:start] + "".join(c if c == "\n" else " " for c in text[start:end]) + text[end:]


def load_demo(folder: Path, blank_mode: str) -> DemoSet:
    """The demo documents as ingest prepares them, with the true date ingest records."""
    from trucewatch.documents import pubdate
    from trucewatch.documents.ingest import prepare
    from trucewatch.documents.readers import RawRecord, ReadOptions, iter_inputs

    options = ReadOptions()
    out = DemoSet([], [], [], [])
    seen: set[str] = set()
    parts = [str(folder / p) for p in DEMO_PARTS if (folder / p).exists()] or [str(folder)]
    for item in iter_inputs(parts, options):
        prepared = prepare(item, fmap=options.fields) if isinstance(item, RawRecord) else item
        if not hasattr(prepared, "row"):
            out.rejected.append(str(prepared))
            continue
        row = prepared.row
        source = str(Path(row["source_path"]).resolve().relative_to(folder.resolve()))
        source += f":{row['source_line']}" if row["source_line"] is not None else ""
        if row["id"] in seen:  # ingest stores a content duplicate once, the first one read
            out.duplicates.append(source)
            continue
        seen.add(row["id"])
        published = row["published"]
        if not published or row["published_precision"] not in ("day", "minute"):
            out.unknown.append(f"{source} ({row['published_basis']}{', ' + published if published else ''})")
            continue
        text, blanked = row["text"], None
        if blank_mode == "all" or row["published_basis"] == "dateline":
            found = pubdate.find_dateline(text)
            if found:
                blanked = text[found["start"]:found["end"]]
                text = blank(text, found["start"], found["end"])
        out.cases.append(DemoCase(source, row["language"], date.fromisoformat(published[:10]),
                                  row["published_basis"], text, blanked))
    return out


def _as_date(value: Any) -> date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def evaluate_demo(demo: DemoSet, verbose: bool) -> dict[str, Any] | None:
    try:
        from trucewatch.extract.time import infer_publication_date
    except Exception as exc:
        print(f"publication-date inference not importable ({type(exc).__name__}: {exc}); part 2 skipped")
        return {"error": f"{type(exc).__name__}: {exc}"}
    rows = []
    t0 = time.perf_counter()
    for case in demo.cases:
        try:
            r = infer_publication_date(case.text, lang=case.language)
            got, low, high = r.value, getattr(r, "low", None), getattr(r, "high", None)
            basis, conf, error = getattr(r, "basis", None), getattr(r, "confidence", None), None
        except Exception as exc:
            got = low = high = basis = conf = None
            error = f"{type(exc).__name__}: {exc}"
        rows.append((case, got, low, high, basis, conf, error))
    elapsed = time.perf_counter() - t0

    n = len(rows)
    dated = [(c, _as_date(g)) for c, g, *_ in rows if _as_date(g) is not None]
    diffs = [abs((d - c.truth).days) for c, d in dated]

    def inside(case: DemoCase, low: Any, high: Any) -> bool:
        """True date within [low, high]; a range open on either side does not count."""
        lo, hi = _as_date(low), _as_date(high)
        return lo is not None and hi is not None and lo <= case.truth <= hi

    confident = [(c, _as_date(g)) for c, g, _, _, _, conf, _ in rows
                 if _as_date(g) is not None and conf is not None and conf >= 0.5]
    confident_within_1 = sum(abs((d - c.truth).days) <= 1 for c, d in confident)
    covered = sum(inside(c, lo, hi) for c, _, lo, hi, *_ in rows)
    bounded = [(_as_date(lo), _as_date(hi)) for _, _, lo, hi, *_ in rows]
    widths = [(hi - lo).days for lo, hi in bounded if lo is not None and hi is not None]
    result = {
        "documents": n,
        "skipped_unknown_date": len(demo.unknown),
        "skipped_duplicates": len(demo.duplicates),
        "rejected": len(demo.rejected),
        "dated": len(dated),
        "exact": sum(d == 0 for d in diffs),
        "within_1": sum(d <= 1 for d in diffs),
        "within_3": sum(d <= 3 for d in diffs),
        "within_7": sum(d <= 7 for d in diffs),
        "range_covers_truth": covered,
        "confident": len(confident),
        "confident_within_1": confident_within_1,
        "range_width_days_median": statistics.median(widths) if widths else None,
        "errors": sum(1 for *_, e in rows if e),
        "seconds": elapsed,
        "blanked_datelines": sum(1 for c in demo.cases if c.blanked),
    }

    def pct(k: int) -> str:
        return f"{k:>3}/{n} ({k / n:.0%})" if n else "0"

    print(f"documents scored: {n} (skipped: {len(demo.unknown)} with no known day, "
          f"{len(demo.duplicates)} content duplicates, {len(demo.rejected)} rejected by ingest); "
          f"dateline dates blanked in {result['blanked_datelines']}")
    print(f"  got a date        {pct(len(dated))}")
    print(f"  exact day         {pct(result['exact'])}")
    print(f"  within 1 day      {pct(result['within_1'])}")
    print(f"  within 3 days     {pct(result['within_3'])}")
    print(f"  within 7 days     {pct(result['within_7'])}")
    print(f"  confidence >= 0.5 {pct(len(confident))}, of which within 1 day: {confident_within_1}")
    print(f"  truth in low..high {pct(covered)}  ({len(widths)} bounded ranges, median width "
          f"{result['range_width_days_median']} days; open-ended ranges do not count)")
    if result["errors"]:
        first = next(e for *_, e in rows if e)
        print(f"  {result['errors']} calls raised; first: {first}")
    if verbose:
        print("\n  misses (file, true, inferred, low..high, basis, confidence):")
        for c, got, low, high, basis, conf, error in rows:
            if _as_date(got) != c.truth:
                print(f"    {c.source:<58} true {c.truth} ({c.basis}) inferred {got!s:<10} "
                      f"{low!s}..{high!s} {basis!s} {conf if conf is None else f'{conf:.2f}'}"
                      f"{' ERROR ' + error if error else ''}")
        if demo.unknown:
            print("  skipped, no known day: " + "; ".join(demo.unknown))
        if demo.duplicates:
            print("  skipped, duplicates:   " + "; ".join(demo.duplicates))
    result["misses"] = [
        {"source": c.source, "true": c.truth.isoformat(), "inferred": got, "low": low, "high": high,
         "basis": basis, "confidence": conf, "error": error}
        for c, got, low, high, basis, conf, error in rows if _as_date(got) != c.truth
    ]
    return result


# --------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def describe_gold(docs: list[Doc]) -> dict[str, Any]:
    gold = [g for d in docs for g in d.gold]
    types = Counter(g.type for g in gold)
    per_corpus = Counter(d.corpus for d in docs)
    gold_per_corpus = Counter(d.corpus for d in docs for _ in d.gold)
    print(f"{len(docs)} documents ({', '.join(f'{c} {n}' for c, n in per_corpus.items())}), "
          f"{len(gold)} gold expressions ({', '.join(f'{c} {n}' for c, n in gold_per_corpus.items())}); "
          f"types {dict(types.most_common())}; {sum(len(d.text) for d in docs):,} characters")
    return {"documents": len(docs), "gold": len(gold), "types": dict(types),
            "documents_per_corpus": dict(per_corpus), "gold_per_corpus": dict(gold_per_corpus)}


def part_one(args: argparse.Namespace, report: dict[str, Any]) -> None:
    data = Path(args.data)
    if not data.is_dir():
        print(f"TempEval-3 data not found at {data}: tagging accuracy skipped (use --data to point at it)")
        report["tempeval3"] = {"error": f"data not found at {data}"}
        return
    t0 = time.perf_counter()
    docs = load_corpus(data)
    if args.doc:
        docs = [d for d in docs if args.doc in d.name]
        if not docs:
            print(f"no document name contains {args.doc!r}")
            report["tempeval3"] = {"error": f"no document matches {args.doc!r}"}
            return
    print(f"TempEval-3 data: {data} (read in {time.perf_counter() - t0:.2f} s)")
    section: dict[str, Any] = {"data": str(data), "gold": describe_gold(docs), "systems": {}}
    report["tempeval3"] = section

    runs: list[SystemRun] = []
    if args.self_check:
        runs.append(run_system(gold_system(), docs, 1))
    tag_time, error = load_trucewatch_tagger()
    if tag_time is None:
        print(f"trucewatch tagger not importable ({error}); going on without it")
        section["systems"]["trucewatch"] = {"error": error}
    else:
        print(f"running trucewatch ({args.runs} timed run(s))...", flush=True)
        runs.append(run_system(trucewatch_system(tag_time), docs, args.runs))
    if not args.skip_baseline:
        print("running the dateparser baseline (1 timed run)...", flush=True)
        runs.append(run_system(dateparser_system(), docs, 1))
    if not runs:
        return

    results: dict[str, dict[str, Counts]] = {}
    alignments: dict[str, dict[str, Alignment]] = {}
    for run in runs:
        results[run.name], alignments[run.name] = score_run(run, docs)
        if run.failures:
            print(f"WARNING: {run.name} raised on {len(run.failures)} documents; first: "
                  f"{run.failures[0][0]}: {run.failures[0][1]}")
        if run.bad_spans:
            doc, e, actual = run.bad_spans[0]
            print(f"WARNING: {run.name}: {len(run.bad_spans)} expressions whose .text differs from "
                  f"text[start:end]; first in {doc}: {e.text!r} at {e.start}-{e.end} vs {actual!r}")
    print_score_tables(results)
    print("\n(TempEval-3 measures, micro-averaged; type and value over relaxed matches, "
          "P = correct / system, R = correct / gold)")

    print("\nspeed (tagger calls only, single process):")
    for run in runs:
        speed = print_speed(run, docs)
        section["systems"][run.name] = {
            "scores": {c: scores(counts) for c, counts in results[run.name].items()},
            "speed": speed,
            "failures": len(run.failures),
            "failed_documents": [{"doc": d, "error": e} for d, e in run.failures[:20]],
            "bad_spans": len(run.bad_spans),
        }

    if args.self_check and "gold" in results:
        perfect = all(v == 1.0 for c in results["gold"].values()
                      for m in ("strict", "relaxed", "type", "value") for v in scores(c)[m].values())
        print(f"\nself-check (gold scored against itself): {'all 1.0, OK' if perfect else 'FAILED'}")
        section["self_check_ok"] = perfect

    target = "trucewatch" if "trucewatch" in alignments else None
    if args.errors and target:
        print(f"\n===== {target}: most frequent errors =====")
        section["systems"][target]["error_patterns"] = print_errors(alignments[target], docs, args.errors)
    elif args.errors:
        print("\n(--errors: no trucewatch output to analyse)")
    if args.doc:
        for doc in docs:
            for run in runs:
                print_doc(doc, run.name, alignments[run.name][doc.name])


def part_one_b(args: argparse.Namespace, report: dict[str, Any]) -> None:
    """Publication-date inference on the TempEval-3 documents, their DCT withheld.

    News text rarely names its own year, so this measures how often the inference
    commits to a day, and how close that day is to the creation time the corpus gives.
    """
    data = Path(args.data)
    if not data.is_dir():
        return
    docs = load_corpus(data)
    if args.doc:
        docs = [d for d in docs if args.doc in d.name]
    cases = []
    for d in docs:
        truth = _as_date(d.dct)
        if truth is not None:
            cases.append(DemoCase(d.name, "en", truth, "dct", d.text, None))
    print("\n===== publication-date inference on the TempEval-3 documents (DCT withheld) =====")
    report["tempeval3_inference"] = evaluate_demo(DemoSet(cases, [], [], []), args.verbose)


def part_two(args: argparse.Namespace, report: dict[str, Any]) -> None:
    folder = Path(args.demo_dir) if args.demo_dir else demo_folder()
    print(f"\n===== publication-date inference on the demo corpus ({folder}) =====")
    if not folder.is_dir():
        print("demo corpus not found; part 2 skipped")
        report["demo"] = {"error": f"not found: {folder}"}
        return
    demo = load_demo(folder, args.blank_datelines)
    report["demo"] = evaluate_demo(demo, args.verbose)


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=None)
    parser.add_argument("--data", default=str(DEFAULT_DATA),
                        help=f"TempEval-3 folder holding TimeBank/ and AQUAINT/ (default {DEFAULT_DATA})")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of the trucewatch tagger (default 3)")
    parser.add_argument("--errors", type=int, default=0, metavar="N",
                        help="print trucewatch's N most frequent error patterns")
    parser.add_argument("--doc", metavar="NAME", help="only documents whose file name contains NAME, printed aligned")
    parser.add_argument("--json", metavar="PATH", help="write all figures to PATH as JSON")
    parser.add_argument("--skip-baseline", action="store_true", help="do not run the dateparser baseline")
    parser.add_argument("--skip-demo", action="store_true", help="skip part 2 (publication-date inference)")
    parser.add_argument("--demo-dir", help="demo corpus folder (default: the bundled one)")
    parser.add_argument("--blank-datelines", choices=["all", "basis"], default="all",
                        help="part 2: blank every dateline date (all, default) or only when the recorded date "
                             "came from the dateline (basis)")
    parser.add_argument("--verbose", action="store_true", help="part 2: list every miss")
    parser.add_argument("--self-check", action="store_true", help="also score the gold against itself (all 1.0)")
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    report: dict[str, Any] = {"python": sys.version.split()[0], "settings": vars(args)}
    part_one(args, report)
    report["peak_rss_mb_after_tagging"] = peak_rss_mb()
    if not args.skip_demo:
        part_one_b(args, report)
    if not args.skip_demo:
        part_two(args, report)
    report["peak_rss_mb"] = peak_rss_mb()
    print(f"\npeak RSS {report['peak_rss_mb']:.1f} MB "
          f"({report['peak_rss_mb_after_tagging']:.1f} MB after part 1, before the demo corpus was read)")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
        print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
