"""The machinery shared by every language's grammar: candidates, context and tense.

A grammar is a list of ``Rule``s (a regex and a handler). Handlers turn a match into a
``Candidate`` whose ``resolve`` computes the TIMEX3 value once the anchor and the
expressions before it are known; the tagger keeps the longest non-overlapping
candidates and resolves them in text order, so "the following day" can lean on the
date mentioned just before it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import Any

Resolved = tuple[str | None, str | None, str | None]  # value, granularity, mod


@dataclass
class Context:
    """What resolution needs: the text, the anchor, and what was mentioned last."""

    text: str
    anchor: date | None
    tense_of: Callable[[int, int], str]
    last_day: date | None = None
    last_quarter: tuple[int, int] | None = None  # (year, quarter)
    last_month: tuple[int, int] | None = None
    last_year: int | None = None
    quarter_counts: dict[tuple[int, int], int] = field(default_factory=dict)

    def main_quarter(self) -> tuple[int, int] | None:
        """The quarter a report is about: the last completed one when the text names it
        (earnings reports are about the quarter just closed), else the one named most
        often so far (latest on ties)."""
        if not self.quarter_counts:
            return self.last_quarter
        if self.anchor is not None:
            prev = self.anchor.month - 3
            closed = (self.anchor.year, (prev - 1) // 3 + 1) if prev > 0 else (self.anchor.year - 1, 4)
            if closed in self.quarter_counts:
                return closed
        best = max(self.quarter_counts.values())
        if self.last_quarter and self.quarter_counts.get(self.last_quarter) == best:
            return self.last_quarter
        return max(k for k, v in self.quarter_counts.items() if v == best)

    def note(self, value: str | None) -> None:
        """Remember a resolved value so anaphoric expressions can refer back to it."""
        if not value:
            return
        m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?|-Q(\d))?", value)
        if not m:
            return
        year = int(m[1])
        self.last_year = year
        if m[4]:
            self.last_quarter = (year, int(m[4]))
            self.quarter_counts[self.last_quarter] = self.quarter_counts.get(self.last_quarter, 0) + 1
        elif m[2]:
            self.last_month = (year, int(m[2]))
            if m[3]:
                try:
                    self.last_day = date(year, int(m[2]), int(m[3]))
                except ValueError:
                    pass


@dataclass
class Candidate:
    start: int
    end: int
    type: str
    resolve: Callable[[Context], Resolved]
    priority: int = 0
    relative: bool = False
    freq: str | None = None
    quant: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


Handler = Callable[[re.Match[str]], "Candidate | None"]


@dataclass
class Rule:
    """A regex and its handler.

    ``core``, when set, names words every match contains (lowercase; ``#4`` stands for
    any four-digit number, ``#2`` for any two-digit one). The full regex then runs only
    in windows around those words, which keeps tagging fast on long texts.
    """

    name: str
    pattern: re.Pattern[str]
    handler: Callable[[re.Match[str]], Candidate | None]
    core: frozenset[str] | None = None

    def finditer(self, text: str, index: WordIndex) -> Iterator[re.Match[str]]:
        if self.core is None:
            yield from self.pattern.finditer(text)
            return
        for start, end in index.windows(self.core):
            for m in self.pattern.finditer(text, start, end):
                if m.end() == end and end < len(text):
                    continue  # may be cut short by the window; the full scan would see more
                yield m


_WORD = re.compile(r"[^\W\d_]+|\d+")
WINDOW_BEFORE = 90
WINDOW_AFTER = 70


class WordIndex:
    """Where each lowercased word of a text occurs, built in one pass."""

    def __init__(self, text: str) -> None:
        self.length = len(text)
        self.spans: dict[str, list[int]] = {}
        for m in _WORD.finditer(text):
            w = m.group()
            if w[0].isdigit():
                key = "#4" if len(w) == 4 else "#2" if len(w) == 2 else "#"
            else:
                key = w.lower()
            self.spans.setdefault(key, []).append(m.start())

    def windows(self, core: frozenset[str]) -> list[tuple[int, int]]:
        starts = sorted(p for w in core for p in self.spans.get(w, ()))
        out: list[tuple[int, int]] = []
        for p in starts:
            start, end = max(0, p - WINDOW_BEFORE), min(self.length, p + WINDOW_AFTER)
            if out and start <= out[-1][1]:
                out[-1] = (out[-1][0], max(out[-1][1], end))
            else:
                out.append((start, end))
        return out


def select(cands: list[Candidate]) -> list[Candidate]:
    """Keep the longest candidates that do not overlap; ties go to higher priority."""
    cands = sorted(cands, key=lambda c: (-(c.end - c.start), -c.priority, c.start))
    starts: list[int] = []  # taken spans, sorted by start; they never overlap each other
    ends: list[int] = []
    taken: list[Candidate] = []
    for c in cands:
        i = bisect.bisect_left(starts, c.end)  # taken spans starting before c ends
        if i > 0 and ends[i - 1] > c.start:
            continue  # the nearest such span reaches into c
        starts.insert(i, c.start)
        ends.insert(i, c.end)
        taken.append(c)
    return sorted(taken, key=lambda c: c.start)


class Tense:
    """Which way an undated expression points, read from the words around it.

    The marker closest to the expression decides: ``future`` (will, scheduled, due
    to...), ``past`` (said, was, ago...), ``past?`` when only an -ed word is near (weak:
    "planned" and "expected" end in -ed too), ``near`` when nothing is.
    """

    def __init__(
        self, text: str, future: list[str], past: list[str], past_suffix: str | None = "ed",
        future_aux: list[str] | None = None, reporting: list[str] | None = None, plan_aux: list[str] | None = None,
    ) -> None:
        self.text = text
        self._reporting = frozenset(w.lower() for w in reporting or ())
        self._future = _marker_re(tuple(future))
        self._past = _marker_re(tuple(past))
        self._suffix = _suffix_re(past_suffix) if past_suffix else None
        # "will be named in December": an -ed participle after these points ahead, not back
        self._future_aux = _aux_re(tuple(future_aux)) if future_aux else None
        # "had been due to expire Friday": a plan these put in the past was overtaken, so Friday is gone
        self._plan_aux = _aux_re(tuple(plan_aux)) if plan_aux else None

    def __call__(self, start: int, end: int) -> str:
        text = self.text
        left_bound = max(text.rfind(".", 0, start), text.rfind("\n", 0, start), start - 120)
        right_bound = _sentence_end(text, end)
        left = text[left_bound + 1 : start]
        right = text[end:right_bound]
        best: tuple[int, str] | None = None
        for kind, pat in (("future", self._future), ("past", self._past), ("past?", self._suffix)):
            if pat is None:
                continue
            for m in pat.finditer(left):
                dist = len(left) - m.end()
                if best is None or dist < best[0]:
                    best = (dist, self._participle(kind, left, m.start()))
            for m in pat.finditer(right):
                dist = m.start() + 8  # markers after the expression weigh a little less
                if kind in ("past", "past?") and m.group().lower() in self._reporting and _QUOTE_END.search(right, 0, m.start()):
                    dist += 40  # "we leave Thursday," he said: the saying is not the leaving
                if best is None or dist < best[0]:
                    best = (dist, self._participle(kind, right, m.start()))
                break
        return best[1] if best else "near"

    def _participle(self, kind: str, segment: str, at: int) -> str:
        """``future`` for a participle that follows a future auxiliary ("will be held", "will be paid");
        ``past`` for a plan in the pluperfect ("had been due to expire Friday": a plan overtaken); else ``kind``."""
        if kind in ("past", "past?") and self._future_aux is not None and self._future_aux.search(segment, 0, at):
            return "future"
        if kind == "future" and self._plan_aux is not None and self._plan_aux.search(segment, 0, at):
            return "past"
        return kind


_QUOTE_END = re.compile(r"''|[\"”’]")


def _sentence_end(text: str, pos: int) -> int:
    stops = [i for i in (text.find(".", pos), text.find("\n", pos)) if i >= 0]
    end = min(stops) if stops else len(text)
    return min(end, pos + 120)


@lru_cache(maxsize=16)
def _aux_re(words: tuple[str, ...]) -> re.Pattern[str]:
    alts = "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alts})\s+$", re.IGNORECASE)


@lru_cache(maxsize=16)
def _suffix_re(suffix: str) -> re.Pattern[str]:
    return re.compile(rf"\b\w{{3,}}{suffix}\b")


@lru_cache(maxsize=16)  # built once per lexicon, not once per text
def _marker_re(words: tuple[str, ...]) -> re.Pattern[str] | None:
    if not words:
        return None
    alts = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alts})(?!\w)", re.IGNORECASE)


def rule_decorator(registry: list[Rule], default_flags: int = 0) -> Callable[..., Callable[[Handler], Handler]]:
    """A grammar's ``@rule(name, pattern)``: compiles the pattern and appends the rule in declaration order."""

    def rule(name: str, pattern: str, flags: int = default_flags) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            registry.append(Rule(name, re.compile(pattern, flags), fn))
            return fn

        return deco

    return rule


def index_words(text: str) -> list[str]:
    """The ``WordIndex`` keys of the words of ``text``, in order: what a core must name."""
    index = WordIndex(text)
    return [k for _, k in sorted((p, k) for k, places in index.spans.items() for p in places)]


class ManySpellingsRule(Rule):
    """A ``Rule`` whose core lists hundreds of spellings (every alef form and glued prefix of an
    Arabic word): when the text has fewer distinct words, those are looked up in the core
    instead, which gives the same windows for less work."""

    def finditer(self, text: str, index: WordIndex) -> Iterator[re.Match[str]]:
        if self.core is not None and len(self.core) > len(index.spans):
            return Rule.finditer(replace(self, core=self.core.intersection(index.spans)), text, index)
        return super().finditer(text, index)


_MANY_SPELLINGS = 100  # a core larger than this is worth looking up the other way round


def with_cores(registry: Iterable[Rule], cores: dict[str, Iterable[str]]) -> tuple[Rule, ...]:
    """The rules with their ``core`` words, so each regex runs only near them (see ``rules.Rule``)."""
    out = []
    for r in registry:
        core = frozenset(cores.get(r.name) or ()) or None
        kind = ManySpellingsRule if core and len(core) > _MANY_SPELLINGS else Rule
        out.append(kind(r.name, r.pattern, r.handler, core))
    return tuple(out)
