"""The temporal tagger: find time expressions, then resolve them against an anchor.

Recognition runs every rule of the language's grammar, keeps the longest
non-overlapping candidates, and resolves them in text order so anaphoric expressions
("the following day", "a year earlier") lean on what came before. The anchor is the
publication date when one is given; otherwise it is inferred from the text
(``trucewatch.time.infer``) and recorded as such.
"""

from __future__ import annotations

import re
from functools import lru_cache
from datetime import date, datetime
from types import ModuleType
from typing import Any

from trucewatch.time.model import Anchor, Timex, TimeTagging
from trucewatch.time.rules import Candidate, Context, Tense, WordIndex, select

_DATE_PREFIX = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ]|\s*$)")
# A year or month that bounds inference; there is no year 0 in the calendar.
_BOUND = re.compile(r"^\s*(?!0000)\d{4}(?:-(?:0[1-9]|1[0-2]))?\s*$")


def _grammar(lang: str | None) -> ModuleType:
    """The grammar for ``lang``; languages without one get the English rules (ISO dates, years)."""
    return _grammar_for((lang or "en").lower()[:2])


@lru_cache(maxsize=32)
def _grammar_for(code: str) -> ModuleType:
    """Cached: a language without a grammar would otherwise search the import path each time."""
    import importlib

    try:
        return importlib.import_module(f"trucewatch.time.grammar_{code}")
    except ModuleNotFoundError:
        return importlib.import_module("trucewatch.time.grammar_en")


def anchor_date(published: Any) -> date | None:
    """The calendar day of a publication value (date, datetime or ISO string), if it has one."""
    if published is None or published == "":
        return None
    if isinstance(published, datetime):
        return published.date()
    if isinstance(published, date):
        return published
    m = _DATE_PREFIX.match(str(published))
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def recognise(text: str, lang: str | None = "en") -> tuple[list[Candidate], Tense]:
    """Candidates the grammar finds in ``text``, longest non-overlapping ones kept."""
    g = _grammar(lang)
    cands: list[Candidate] = []
    index = WordIndex(text)
    for r in g.rules():
        for m in r.finditer(text, index):
            try:
                c = r.handler(m)
            except (KeyError, ValueError, IndexError):
                # A spelling a handler's tables do not know: skip this match, keep the text.
                continue
            if c is not None and c.end > c.start:
                c.extra.setdefault("rule", r.name)
                cands.append(c)
    tense = Tense(
        text, g.TENSE_FUTURE, g.TENSE_PAST, getattr(g, "PAST_SUFFIX", "ed"),
        future_aux=getattr(g, "TENSE_FUTURE_AUX", None), reporting=getattr(g, "REPORTING", None),
        plan_aux=getattr(g, "TENSE_PLAN_AUX", None),
    )
    return select(cands), tense


def resolve(text: str, cands: list[Candidate], tense: Tense, anchor: date | None) -> list[Timex]:
    """Give each candidate its value against ``anchor``, in text order."""
    ctx = Context(text=text, anchor=anchor, tense_of=tense)
    out: list[Timex] = []
    for c in cands:
        try:
            value, gran, mod = c.resolve(ctx)
        except (ValueError, OverflowError, KeyError, TypeError):
            # A date the calendar cannot hold (year 10000, an impossible day): keep the
            # expression, unresolved, rather than lose the document's other times.
            value, gran, mod = None, None, None
        if c.type in ("DATE", "TIME") and value and not value.endswith("_REF") and not c.extra.get("no_note"):
            ctx.note(value)
        out.append(
            Timex(
                start=c.start,
                end=c.end,
                text=text[c.start : c.end],
                type=c.type,
                value=value,
                granularity=gran,
                mod=mod,
                anchor=anchor.isoformat() if (c.relative and anchor and value) else None,
                relative=c.relative,
                freq=c.freq,
                quant=c.quant,
                extra=dict(c.extra),
                alternatives=list(c.extra["alternatives"]) if c.extra.get("alternatives") else None,
            )
        )
    return out


def tag_time(text: str, published: Any = None, lang: str | None = "en", infer: bool = True) -> TimeTagging:
    """Tag every time expression in ``text``.

    ``published`` (a date, datetime or ISO string) anchors relative expressions; when
    it is missing, or names only a month or a year, the anchor is inferred from the
    text (within the given month or year) unless ``infer`` is False.
    """
    day = anchor_date(published)
    if published not in (None, "") and day is None and not _BOUND.match(str(published)):
        raise ValueError(f"published must be a date, an ISO datetime, YYYY-MM or YYYY, not {published!r}")
    cands, tense = recognise(text, lang)
    if day is not None:
        anchor = Anchor(day.isoformat(), "given", 1.0, day.isoformat(), day.isoformat())
    elif infer:
        from trucewatch.time.infer import infer_from_candidates

        anchor = infer_from_candidates(text, cands, tense, lang=lang, within=str(published) if published else None)
        day = anchor_date(anchor.value)
    else:
        anchor = Anchor(None, "unknown", 0.0)
    return TimeTagging(resolve(text, cands, tense, day), anchor)
