"""Publication-date inference for documents that carry no date.

Scraped articles often lose their date, and every "on Monday" in them hangs on it.
The evidence the text gives is scored over candidate days:

* a dateline ("TRIPOLI, June 5 -") wins outright when it has a year, and fixes the
  month and day when it has none;
* explicit years and dates told in the past tense are lower bounds ("since April 2019");
* dates given without a year ("June 3", "January 12") and months should be recent
  before the publication date (news reports what just happened);
* a bare weekday in a past-tense report ("the UN said Friday") is usually the day of
  publication or the day before;
* "since <date>" with "after N months of" puts the date N months after the start.

The best-scoring day is the anchor (basis ``inferred``), with a confidence from how
clearly it beats its rivals and a range of days that score almost as well. Years the
text names are only floors (news names the current year less often than past ones),
so unless something bounds the year from above (a "since ... N months" estimate, a
given year) the confidence stays at most 0.15 and the range is open-ended.

An inferred day is a guess with a confidence, not the source's word: only from
:data:`CONFIDENT_DAY` up is it claimed as the publication date (:func:`claimed_day`).
"""

from __future__ import annotations

import math
import re
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from trucewatch.extract.time import calendar as cal
from trucewatch.extract.time.model import Anchor
from trucewatch.extract.time.rules import Candidate, Tense

_COPYRIGHT = re.compile(
    r"copyright|©|\(c\)\s*\d{4}|all rights reserved|tous droits réservés|droits de reproduction|"
    r"جميع الحقوق محفوظة|حقوق (?:النشر|الطبع)|derechos reservados|diritti riservati|direitos reservados|"
    r"все права защищены|hakları saklıdır",
    re.I,
)
_SINCE = re.compile(r"(?:since|from|depuis|منذ|desde|dal|dalla|dallo|с|со)\s*(?:the\s+|el\s+|la\s+|o\s+|a\s+)?$", re.I)
_DUR_LEAD = re.compile(r"(?:after|for|of|over|in|nearly|almost|more\s+than|some|about|après|depuis|بعد|منذ)\s+$", re.I)
_DUR_VALUE = re.compile(r"^P(\d+)([YMWD])$")
_PAST_WEEKDAY_REWARD = {0: 2.0, 1: 1.5, 2: 0.6}
# The first expressions of a text carry its date (lede, dateline); a book-length text
# must not make the day-by-day scoring quadratic.
_MAX_CANDIDATES = 300

#: The confidence from which an inferred day is claimed as the publication date (written
#: on the document, printed as ``published``). The issue asks that of the days given with
#: at least this confidence, 80% be right within a day; on the TempEval-3 news with their
#: dates removed (``benchmarks/pubdate_accuracy.py``) it is 1 of 1 (tuning half) and 0 of 0
#: (held-out), against 1 of 57 below it. Below it the guess stays in the anchor only.
CONFIDENT_DAY = 0.7
#: Bases that are the source's own word on its day (or the user's, for ``given``).
_STATED_BASES = ("metadata", "filename", "dateline", "given")


def claimed_day(anchor: Anchor) -> tuple[str | None, str]:
    """The publication day ``anchor`` lets a document claim, and its basis; ``(None, "unknown")``
    for an inference below :data:`CONFIDENT_DAY` (or none), so a guess never passes for a
    known date. The anchor itself keeps the guess with its confidence and range."""
    if not anchor.value or len(anchor.value) < 10:
        return None, "unknown"
    if anchor.basis in _STATED_BASES:
        return anchor.value, anchor.basis
    if anchor.basis == "inferred" and anchor.confidence >= CONFIDENT_DAY:
        return anchor.value, "inferred"
    return None, "unknown"


@dataclass
class _Evidence:
    lower: list[tuple[date, str]]  # (date the publication is on or after, evidence text)
    undated: list[tuple[int, int | None, str, float]]  # (month, day, text, weight)
    weekdays: list[tuple[int, str]]  # (ISO weekday, text) of bare past-tense weekdays
    targets: list[tuple[date, str]]  # since + duration estimates
    years: list[int]
    dateline: dict[str, Any] | None
    full_dates: int = 0  # mentions dated to the day ("June 3, 2020"), in the past tense
    # (month, day, ISO weekday, tense, text) of "Thursday, Jan. 6": a weekday given with a yearless date
    dated_weekdays: list[tuple[int, int, int, str, str]] = field(default_factory=list)
    full_days: list[tuple[date, str]] = field(default_factory=list)  # past-tense days given with their year


def infer_publication_date(text: str, lang: str | None = "en") -> Anchor:
    """Infer when ``text`` was published; ``value`` is None when the text does not tell."""
    from trucewatch.extract.time.tagger import recognise

    cands, tense = recognise(text, lang)
    return infer_from_candidates(text, cands, tense, lang=lang)


def infer_from_candidates(
    text: str, cands: list[Candidate], tense: Tense, lang: str | None = "en", within: str | None = None
) -> Anchor:
    from trucewatch.documents.pubdate import find_dateline

    dateline = None
    try:
        dateline = find_dateline(text)
    except Exception:  # a dateline is a bonus; odd text must not stop tagging
        dateline = None
    if dateline and dateline.get("year"):
        d = date(dateline["year"], dateline["month"], dateline["day"])
        return Anchor(d.isoformat(), "dateline", 0.95, d.isoformat(), d.isoformat(), (dateline["text"],))
    ev = _gather(text, cands[:_MAX_CANDIDATES], tense)
    ev.dateline = dateline
    bounds = _within(within)
    agreed = _agreement(ev, dateline, bounds)
    if agreed is not None:
        return agreed
    if bounds:
        ev.years.append(bounds[0].year)
    if not ev.years and not ev.lower:
        return Anchor(None, "unknown", 0.0)
    y0 = max(ev.years) if ev.years else max(d.year for d, _ in ev.lower)
    lo = date(y0, 1, 1)
    hi = date(min(y0 + 1, 9998), 12, 31)
    if bounds:
        lo, hi = bounds
    if not ev.undated and not ev.targets and not dateline and not ev.full_days:
        # Only years and dated mentions: the latest is a floor, not a date.
        floor = max((d for d, _ in ev.lower), default=lo)
        return Anchor(None, "inferred", 0.2, floor.isoformat(), None, tuple(t for _, t in ev.lower[-3:]))
    # Counted, not stepped past ``hi``: a day after 9999-12-31 does not exist.
    days = (lo + timedelta(days=i) for i in range((hi - lo).days + 1))
    scores: list[tuple[float, date]] = [(_score(d, ev, y0), d) for d in days]
    scores.sort(key=lambda s: (-s[0], s[1]))
    best_score, best = scores[0]
    near = [dd for s, dd in scores if s >= best_score - 0.5]
    rival = max((s for s, dd in scores if abs((dd - best).days) > 3), default=best_score - 5)
    margin = best_score - rival
    confidence = round(max(0.1, min(0.9, 0.3 + 0.3 * margin)), 2)
    evidence = tuple(
        [t for _, _, t, _ in ev.undated[:3]] + [t for _, t in ev.weekdays[:2]] + [t for _, t in ev.targets[:1]]
    )
    high: str | None = max(near).isoformat()
    if not (ev.targets or bounds or (dateline and dateline.get("year"))):
        # Nothing bounds the year from above: the years the text names are floors, and
        # the best day is the earliest consistent one. Say so: low confidence, open range.
        # (On the TempEval-3 news, the latest year a text names is its own in 8 of 94.)
        confidence = min(confidence, 0.15)
        high = None
        if ev.full_days and not ev.undated and abs((best - max(ev.full_days)[0]).days) <= 1:
            # the latest day the text dates in full, with nothing later in it: often the day of the
            # news (a byline's date), but on the TempEval-3 tuning half a deadline or an old date (0 of 2)
            confidence = 0.2
    return Anchor(best.isoformat(), "inferred", confidence, min(near).isoformat(), high, evidence)


#: Years after the latest one a text names that a weekday-and-date pair may point to: within seven
#: years each pair of (month, day, weekday) falls in one year at most (leap years aside), so the
#: pair picks the year, and the years the text names keep it from being a cycle too early.
_AGREEMENT_YEARS = 6


def _years_agreeing(month: int, day: int, weekday: int, first: int, last: int) -> list[int]:
    out = []
    for y in range(first, last + 1):
        try:
            if date(y, month, day).isoweekday() == weekday:
                out.append(y)
        except ValueError:
            continue
    return out


def _agreement(ev: _Evidence, dateline: dict[str, Any] | None, bounds: tuple[date, date] | None) -> Anchor | None:
    """A day fixed by a weekday that agrees with a yearless date, above the years the text names.

    * A yearless dateline ("WASHINGTON, March 12 (Xinhua) --") and the weekday its report
      names first ("... said Friday") are the same day: the one year from the latest year
      named onwards where 12 March is a Friday is the year of publication.
    * The latest day the text dates in full ("Oct. 23, 1999") falling on the weekday the
      report names first ("said Saturday") is the day of the news: the report is of that
      day or the next.
    * "Thursday, Jan. 6" fixes its year the same way; the report is written within days
      of it, after it when told in the past, before it when in the future.

    Without a year named (or given) there is no floor, and the pair alone recurs every few
    years: nothing is claimed.
    """
    if bounds is not None:
        first, last = bounds[0].year, bounds[1].year
    elif ev.years:
        first = max(ev.years)
        last = first + _AGREEMENT_YEARS
    else:
        return None
    if dateline and not dateline.get("year") and ev.weekdays:
        month, day = dateline["month"], dateline["day"]
        wd, wd_text = ev.weekdays[0]
        same = _years_agreeing(month, day, wd, first, last)
        if len(same) == 1:
            d = date(same[0], month, day)
            evidence = (dateline["text"], wd_text)
            return Anchor(d.isoformat(), "inferred", 0.75, d.isoformat(), (d + timedelta(days=1)).isoformat(), evidence)
    if ev.full_days and ev.weekdays:
        # "... on Oct. 23, 1999" and "said Saturday": the latest dated day is the weekday the
        # report names, so the report was written that day or the next
        latest, latest_text = max(ev.full_days)
        wd, wd_text = ev.weekdays[0]
        if latest.isoweekday() == wd and latest.year >= first:
            # one weekday in seven agrees by chance, and the latest dated day is often old news:
            # a fair guess, not a sure one
            return Anchor(latest.isoformat(), "inferred", 0.4, latest.isoformat(),
                          (latest + timedelta(days=1)).isoformat(), (latest_text, wd_text))
    for month, day, wd, t, snippet in ev.dated_weekdays[:1]:
        years = _years_agreeing(month, day, wd, first, last)
        if len(years) != 1:
            continue
        e = date(years[0], month, day)
        if t == "future":
            low, high = e - timedelta(days=7), e - timedelta(days=1)
            best = e - timedelta(days=1)
        else:
            low, high = e, e + timedelta(days=7)
            best = e + timedelta(days=1) if t in ("past", "past?") else e
        return Anchor(best.isoformat(), "inferred", 0.35, low.isoformat(), high.isoformat(), (snippet,))
    return None


def _within(within: str | None) -> tuple[date, date] | None:
    """The days a year-only or month-only publication value allows ("2020", "2020-09")."""
    if not within:
        return None
    m = re.match(r"^\s*(\d{4})(?:-(\d{2}))?", within)
    if not m:
        return None
    year = int(m[1])
    if not date.min.year <= year <= date.max.year:
        return None
    if m[2] and 1 <= int(m[2]) <= 12:
        month = int(m[2])
        # The month's own last day: "the first of next month, minus one" overflows in 9999-12.
        return date(year, month, 1), date(year, month, monthrange(year, month)[1])
    return date(year, 1, 1), date(year, 12, 31)


def _gather(text: str, cands: list[Candidate], tense: Tense) -> _Evidence:
    ev = _Evidence([], [], [], [], [], None)
    since: list[date] = []
    durations: list[tuple[int, str, str]] = []
    for c in cands:
        line_start = max(text.rfind("\n", 0, c.start) + 1, c.start - 200)
        line_end = text.find("\n", c.end, c.end + 200)
        line = text[line_start : line_end if line_end >= 0 else c.end + 200]
        if _COPYRIGHT.search(line):
            continue
        x = c.extra
        t = tense(c.start, c.end)
        snippet = text[c.start : c.end]
        before = text[max(0, c.start - 14) : c.start]
        if c.type == "DURATION":
            m = _DUR_VALUE.match(c.resolve(_NULL_CTX)[0] or "")
            # "after 10 months of clashes": a count of months (years are too coarse to date
            # a report, and "the year" or "a hundred years" are not counts from a start)
            if m and m[2] == "M" and 2 <= int(m[1]) <= 60 and _DUR_LEAD.search(before):
                durations.append((int(m[1]), m[2], snippet))
            continue
        year = x.get("year")
        month = x.get("month")
        day = x.get("day")
        if year is not None:
            if not 1900 <= year <= 2100:
                continue
            first = date(year, month or 1, day or 1)
            if _SINCE.search(before) and month is not None:
                since.append(first)  # a start known to the month: "since early April 2019"
            if t != "future":
                ev.years.append(year)
                ev.lower.append((first, snippet))
                ev.full_dates += day is not None
                if day is not None:
                    ev.full_days.append((first, snippet))
            continue
        if month is not None and day is not None and x.get("date_weekday"):
            ev.dated_weekdays.append((month, day, int(x["date_weekday"]), t, snippet))
        if month is not None:
            weight = 1.0 if day else 0.5
            if t != "future":
                ev.undated.append((month, day, snippet, weight))
            continue
        if x.get("weekday") and not x.get("rel") and t != "future":
            ev.weekdays.append((x["weekday"], snippet))
    for start in since:
        for n, unit, snippet in durations:
            target = cal.shift(start, unit, n)
            ev.targets.append((target, snippet))
    return ev


def _score(d: date, ev: _Evidence, y0: int) -> float:
    # News is written soon after the latest year it names: every half-year past it costs.
    s = -max(0, (d - date(y0, 12, 31)).days) / 180.0
    for low, _ in ev.lower:
        if d < low:
            s -= 6.0
    if ev.full_days:
        # the latest day the text dates in full is news of a few days before, like a yearless one
        s -= math.log1p(max(0, (d - max(ev.full_days)[0]).days) / 7.0)
    for month, day, _, weight in ev.undated:
        occ = _latest_on_or_before(d, month, day)
        if occ is None:
            s -= 6.0  # no such day before d (29 February in a run of common years)
            continue
        gap = (d - occ).days
        s -= weight * math.log1p(gap / 7.0)
        if occ.year < y0 and day is not None:
            s -= 0.5  # an undated day falls in the latest year the text names, or after it
    if ev.weekdays:
        wd, _ = ev.weekdays[0]
        back = (d.isoweekday() - wd) % 7
        s += _PAST_WEEKDAY_REWARD.get(back, 0.0)
        for wd2, _ in ev.weekdays[1:3]:
            back = (d.isoweekday() - wd2) % 7
            s += 0.3 * _PAST_WEEKDAY_REWARD.get(back, 0.0)
    if ev.targets:
        s -= min(abs((d - t).days) for t, _ in ev.targets) / 7.0
    if ev.dateline:
        dl = ev.dateline
        if d.month == dl["month"] and d.day == dl["day"]:
            s += 8.0
    return s


def _latest_on_or_before(d: date, month: int, day: int | None) -> date | None:
    """The last ``month``/``day`` (the month's first day when no day) on or before ``d``."""
    for y in range(d.year, d.year - 8, -1):  # 29 February can be years back
        try:
            occ = date(y, month, day or 1)
        except ValueError:
            continue  # 29 February in a common year
        if occ <= d:
            return occ
    return None


class _NullCtx:
    """A context with no anchor, for reading a duration's value during inference."""

    text = ""
    anchor = None
    last_day = None
    last_quarter = None
    last_month = None
    last_year = None

    @staticmethod
    def tense_of(start: int, end: int) -> str:
        return "near"

    def note(self, value: str | None) -> None:
        return None


_NULL_CTX: Any = _NullCtx()
