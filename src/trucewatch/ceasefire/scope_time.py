"""Was an agreement in force when an incident happened? Precision-aware, three answers.

Both sides are intervals of days, not points. An incident dated to the day is that day; a
week-precise one (ACLED 2) could be three days either side; a month-precise one (ACLED 3)
any day of its month. An agreement's start and end are kept as two bounds each: the first
day it may have been in force and the first day it surely was, the last day it surely was
and the last day it may have been. A start at midnight local time makes its day fully in
force; any other hour (or a start known only to the month) leaves a margin of days that
are neither in nor out. The end is the earliest of the expiry and the first collapse,
supersession or end in the status history: that day itself is a margin (the incident may
be what ended it).

The answer is ``in`` when every day the incident may have happened on is surely in force,
``out`` when none is possibly in force, else ``undetermined``: an incident known only to
the month that straddles the start is not silently counted.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

#: Status history steps that end an agreement's time in force.
ENDING = ("collapsed", "superseded", "ended")
#: Steps that say it was in force (or at least accepted) at some point.
FOUNDING = ("declared", "agreed", "in_force", "violated", "extended")
#: Days either side of a week-precise date (ACLED time precision 2).
WEEK_SLACK = 3

_CLOCK = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2}))?")


@dataclass(frozen=True)
class Verdict:
    """One dimension's answer: ``in``, ``out`` or ``undetermined``, the rule and what it looked at."""

    answer: str
    rule: str
    detail: dict[str, Any]


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _month(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return first, last


def incident_days(event_date: str | None, date_end: str | None, precision: int | None) -> tuple[dt.date, dt.date] | None:
    """Every day an incident may have happened on, from its date and ACLED time precision."""
    start = _day(event_date)
    if start is None:
        return None
    end = max(_day(date_end) or start, start)
    if (precision or 1) >= 3:
        return _month(start)[0], _month(end)[1]
    if precision == 2:
        return start - dt.timedelta(days=WEEK_SLACK), end + dt.timedelta(days=WEEK_SLACK)
    return start, end


def _clock(value: str) -> tuple[dt.date, bool] | None:
    """(local day, whether it begins at midnight) of a date or ISO date-time as written."""
    value = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}", value):  # a month, written without its day
        value += "-01"
    match = _CLOCK.match(value)
    if not match:
        return None
    day = _day(match.group(1))
    if day is None:
        return None
    midnight = match.group(2) is None or (match.group(2), match.group(3)) == ("00", "00")
    return day, midnight


@dataclass(frozen=True)
class Window:
    """When an agreement may have been and surely was in force (None: unbounded, or never)."""

    start_lo: dt.date | None  # first day possibly in force
    start_full: dt.date | None  # first day surely in force all day
    last_full: dt.date | None  # last day surely in force all day (None: open-ended)
    end_hi: dt.date | None  # last day possibly in force (None: open-ended)
    start_rule: str
    end_rule: str

    def to_dict(self) -> dict[str, Any]:
        return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in self.__dict__.items()}


def _start(agreement: Mapping[str, Any]) -> tuple[dt.date, dt.date, str] | None:
    value, precision = agreement.get("effective_from"), agreement.get("effective_precision")
    if not value:
        value, precision = agreement.get("signed"), "day"
        if not value:
            return None
        basis = f"signed {value} (no effective date)"
    else:
        basis = f"effective from {value} ({precision or 'precision not given'})"
    clock = _clock(str(value))
    if clock is None:
        return None
    day, midnight = clock
    if precision == "month" or (precision is None and len(str(value)) == 7):
        first, last = _month(day)
        return first, last + dt.timedelta(days=1), basis + ": any day of the month"
    if precision == "year":
        return day.replace(month=1, day=1), day.replace(month=12, day=31) + dt.timedelta(days=1), basis
    if precision == "week":
        return day - dt.timedelta(days=WEEK_SLACK), day + dt.timedelta(days=WEEK_SLACK + 1), basis + ": within a week"
    if not midnight:
        return day, day + dt.timedelta(days=1), basis + ": its first day only in part"
    return day, day, basis


def _ends(agreement: Mapping[str, Any]) -> list[tuple[dt.date, dt.date, str]]:
    """(last day surely in force, last day possibly in force, why) for each thing that ends it."""
    found = []
    expires = agreement.get("expires")
    if expires and (clock := _clock(str(expires))):
        day, midnight = clock
        last_possible = day - dt.timedelta(days=1) if midnight and "T" in str(expires) else day
        found.append((day - dt.timedelta(days=1), last_possible, f"expires {expires}"))
    for step in agreement.get("status_history") or ():
        if step.get("status") in ENDING and (day := _day(step.get("date"))):
            found.append((day - dt.timedelta(days=1), day, f"{step['status']} on {step['date']}"))
    return found


def window(agreement: Mapping[str, Any]) -> Window | None:
    """The agreement's time in force from its dates and status history; None when it has no start."""
    start = _start(agreement)
    if start is None:
        return None
    start_lo, start_full, start_rule = start
    ends = [e for e in _ends(agreement) if e[1] >= start_lo]
    if not ends:
        return Window(start_lo, start_full, None, None, start_rule, "no end recorded")
    last_full, end_hi, end_rule = min(ends, key=lambda e: (e[1], e[0]))
    return Window(start_lo, start_full, last_full, end_hi, start_rule, end_rule)


def judge_time(incident: Mapping[str, Any], agreement: Mapping[str, Any]) -> Verdict:
    """Whether the incident's days fall in the agreement's time in force."""
    statuses = [s.get("status") for s in agreement.get("status_history") or ()]
    if statuses and not any(s in FOUNDING for s in statuses) and "proposed" in statuses:
        return Verdict("out", "the agreement was only proposed, never in force", {"statuses": statuses})
    days = incident_days(incident.get("event_date"), incident.get("date_end"), incident.get("time_precision"))
    if days is None:
        return Verdict("undetermined", "the incident is undated", {})
    w = window(agreement)
    if w is None:
        return Verdict("undetermined", "the agreement has no effective or signed date", {})
    lo, hi = days
    detail = {"incident_days": [lo.isoformat(), hi.isoformat()], "window": w.to_dict()}
    if (w.end_hi is not None and lo > w.end_hi) or (w.start_lo is not None and hi < w.start_lo):
        side = "after it ended" if w.end_hi is not None and lo > w.end_hi else "before it took effect"
        return Verdict("out", f"every day the incident may have happened on is {side}", detail)
    inside_start = w.start_full is not None and lo >= w.start_full
    inside_end = w.last_full is None or hi <= w.last_full
    if inside_start and inside_end:
        return Verdict("in", f"within its time in force ({w.start_rule}; {w.end_rule})", detail)
    edge = w.start_rule if not inside_start else w.end_rule
    return Verdict("undetermined", f"the incident's dates straddle the agreement's edge ({edge})", detail)


def combine(verdicts: Sequence[Verdict]) -> str:
    """``out`` if any dimension is out, ``in`` if all are in, else ``undetermined``."""
    answers = [v.answer for v in verdicts]
    if "out" in answers:
        return "out"
    return "in" if all(a == "in" for a in answers) else "undetermined"
