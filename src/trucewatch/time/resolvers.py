"""Resolution shared by every language's grammar: from what a rule read to a TIMEX3 value.

A grammar reads its language's words into plain facts ("quarter 3, no year",
"weekday 5, rel last", "unit W, offset -1", "2 D ago"); the factories here turn those
facts into the ``resolve(ctx)`` closures of ``Candidate``s, so that "the third
quarter", "le troisième trimestre" and "الربع الثالث" are dated by one piece of code.
A resolver returns ``(value, granularity, mod)``, as ``rules.Resolved``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from trucewatch.time import calendar as cal
from trucewatch.time.rules import Candidate, Context, Resolved

Resolver = Callable[[Context], Resolved]

# ---------------------------------------------------------------- values


def fmt(n: float) -> str:
    """A number as TIMEX3 writes it: 3, not 3.0; 1.5 as is."""
    return str(int(n)) if float(n).is_integer() else str(n)


def duration_value(n: float | None, unit: str) -> str:
    """``P<n><unit>``; fortnights, decades and centuries become weeks and years, X an unknown amount."""
    if unit == "F":
        unit, n = "W", (None if n is None else n * 2)
    if unit == "CE":
        unit, n = "Y", (None if n is None else n * 100)
    if unit == "DE":
        unit, n = "Y", (None if n is None else n * 10)
    if n is not None and not float(n).is_integer():
        # TIMEX3 amounts are whole: 2.5 years is P2Y6M, 1.5 weeks P10D (rounded)
        whole = int(n)
        if unit == "Y":
            return f"P{whole}Y{round((n - whole) * 12)}M" if whole else f"P{round(n * 12)}M"
        if unit == "W":
            return f"P{round(n * 7)}D"
    amount = "X" if n is None else fmt(n)
    return f"P{amount}{unit}"


def time_duration_value(n: float | None, unit: str) -> str:
    """``PT<n><unit>`` for clock units; a fractional number of hours is written as hours and minutes."""
    amount = "X" if n is None else fmt(n)
    if amount != "X" and unit == "H" and not float(n or 0).is_integer():
        whole, minutes = int(n or 0), int(round(((n or 0) % 1) * 60))
        return f"PT{whole}H{minutes}M" if whole else f"PT{minutes}M"
    return f"PT{amount}{unit}"


def length_value(n: float | None, unit: str, minutes: bool = False) -> str:
    """The DURATION value of ``n`` units; ``minutes`` because the unit code M is also a month."""
    if minutes:
        return time_duration_value(n, "M")
    if unit in ("H", "S"):
        return time_duration_value(n, unit)
    return duration_value(n, unit)


def fixed(value: str | None, granularity: str | None = None, mod: str | None = None) -> Resolver:
    """A value already known when the rule matched ("2019", "P10M", "PRESENT_REF")."""
    return lambda ctx: (value, granularity, mod)


# ---------------------------------------------------------------- candidates with fixed values


def fixed_year(start: int, end: int, y: int, mod: str | None = None) -> Candidate:
    """A year written out ("2019", "عام 2019"); inference reads it as a lower bound."""
    return Candidate(start, end, "DATE", fixed(f"{y:04d}", "year", mod), priority=2, extra={"year": y})


def fixed_month(start: int, end: int, y: int, month: int, mod: str | None = None) -> Candidate:
    """A month with its year ("June 2020", "juin 2020", "يونيو 2020")."""
    value = f"{y:04d}-{month:02d}"
    return Candidate(start, end, "DATE", fixed(value, "month", mod), priority=4, extra={"year": y, "month": month})


def fixed_day(start: int, end: int, d: date, priority: int = 6, evidence: bool = True) -> Candidate:
    """A day given in full ("2020-06-03", "3 June 2020"); ``evidence`` lets date inference use it."""
    extra = {"year": d.year, "month": d.month, "day": d.day} if evidence else {}
    return Candidate(start, end, "DATE", fixed(d.isoformat(), "day"), priority=priority, extra=extra)


def fixed_duration(start: int, end: int, value: str, mod: str | None = None, priority: int = 3) -> Candidate:
    """A length of time ("ten months", "dix mois", "عشرة أشهر"), its value read off the words."""
    return Candidate(start, end, "DURATION", fixed(value, "duration", mod), priority=priority)


def fixed_set(
    start: int, end: int, value: str, priority: int = 3, freq: str | None = None, quant: str | None = None
) -> Candidate:
    """A recurrence ("every week", "deux fois par semaine", "يوميا"), with TimeML's freq and quant."""
    return Candidate(start, end, "SET", fixed(value, "set"), priority=priority, freq=freq, quant=quant)


def weekday_set(start: int, end: int, wd: int) -> Candidate:
    """Every such weekday ("Fridays", "chaque vendredi", "كل جمعة")."""
    return fixed_set(start, end, f"XXXX-WXX-{wd}", priority=4, freq="1W", quant="EVERY")


def reference(start: int, end: int, value: str) -> Candidate:
    """A bare reference to the present, past or future ("now", "récemment", "مؤخرا")."""
    return Candidate(start, end, "DATE", fixed(value), priority=1)


# ---------------------------------------------------------------- days, weekdays and months


def weekday_value(ctx: Context, wd: int, rel: str | None, start: int, end: int) -> tuple[str, date | None]:
    """The day an ISO weekday names: "last"/"next" skip the anchor, otherwise tense chooses the side."""
    a = ctx.anchor
    if a is None:
        return f"XXXX-WXX-{wd}", None
    rel = (rel or "").lower().replace("  ", " ")
    if rel in ("the previous", "the preceding", "the following", "the next"):
        # counted from the day the story is about: "down from the previous Friday"
        base = ctx.last_day or a
        if rel in ("the previous", "the preceding"):
            d = cal.weekday_near(base - timedelta(days=1), wd, "past")
        else:
            d = cal.weekday_near(base + timedelta(days=1), wd, "future")
    elif rel in ("last", "past", "this past"):
        d = cal.weekday_near(a - timedelta(days=1), wd, "past")
    elif rel in ("next", "this coming", "coming"):
        d = cal.weekday_near(a + timedelta(days=1), wd, "future")
    else:
        d = cal.weekday_near(a, wd, "future" if ctx.tense_of(start, end) == "future" else "past")
    return d.isoformat(), d


def weekday(
    wd: int, rel: str | None, start: int, end: int, pod: str | None = None, mod: str | None = None
) -> Resolver:
    """A weekday near the anchor; of its parts of day only the evening is kept, as TimeML annotators do."""

    def resolve(ctx: Context) -> Resolved:
        v, _ = weekday_value(ctx, wd, rel, start, end)
        if pod == "EV" and not v.startswith("XXXX"):
            v = f"{v}TEV"
        return v, "day", mod

    return resolve


def month_value(
    ctx: Context, month: int, day: int | None, start: int, end: int, rel: str | None = None
) -> tuple[str, date | None]:
    """A month (and day) without a year: English "last/next/this" fix it, else tense and closeness."""
    a = ctx.anchor
    if a is None:
        return (f"XXXX-{month:02d}-{day:02d}" if day else f"XXXX-{month:02d}"), None
    if rel:
        rel = rel.lower()
        y = a.year - 1 if rel == "last" else a.year + 1 if rel == "next" else a.year
        if rel in ("this past", "past", "last"):
            # "last April" said in October is this year's April
            y = a.year if month < a.month or (month == a.month and (day or 1) <= a.day) else a.year - 1
            if rel == "last" and day is None and a.month - 1 <= month <= a.month:
                y = a.year - 1  # the month just gone is "last month": "last February" said in March is a year back
        try:
            d = date(y, month, day or 1)
        except ValueError:
            return (f"{y:04d}-{month:02d}"), None
    else:
        d = cal.month_day_near(a, month, day, ctx.tense_of(start, end))
        if d is None:
            return f"XXXX-{month:02d}", None
    return (d.isoformat() if day else f"{d.year:04d}-{month:02d}"), d


def rel_month(ctx: Context, month: int, rel: str) -> str:
    """"juin dernier" ("مارس الماضي") is the latest such month before this one; "prochain" the next one."""
    a = ctx.anchor
    if a is None:
        return f"XXXX-{month:02d}"
    if rel == "last":
        y = a.year if month < a.month else a.year - 1
    elif rel == "next":
        y = a.year if month > a.month else a.year + 1
    else:
        y = a.year
    return f"{y:04d}-{month:02d}"


def month(
    mon: int, start: int, end: int, mod: str | None = None, rel: str | None = None, year_offset: int | None = None
) -> Resolver:
    """A month named without its year.

    ``year_offset`` when the text places the year against the anchor's ("mars de l'année
    dernière": -1); else ``rel`` as in ``rel_month``; else tense and closeness choose.
    """

    def resolve(ctx: Context) -> Resolved:
        if year_offset is not None:
            if ctx.anchor is None:
                return f"XXXX-{mon:02d}", "month", mod
            return f"{ctx.anchor.year + year_offset:04d}-{mon:02d}", "month", mod
        if rel:
            return rel_month(ctx, mon, rel), "month", mod
        v, _ = month_value(ctx, mon, None, start, end)
        return v, "month", mod

    return resolve


def month_day(month: int, day: int, start: int, end: int, wd: int | None = None, rel: str | None = None) -> Resolver:
    """A day and month without a year: a weekday given with it picks the year, so does "last"/"next"."""

    def resolve(ctx: Context) -> Resolved:
        if wd is not None and ctx.anchor is not None:
            # "Saturday, April 25": the weekday says which year
            for yy in (ctx.anchor.year, ctx.anchor.year + 1, ctx.anchor.year - 1):
                try:
                    if date(yy, month, day).isoweekday() == wd:
                        return date(yy, month, day).isoformat(), "day", None
                except ValueError:
                    break
        if rel and ctx.anchor is not None:
            # "last Oct. 23": the latest one before the anchor; "next June 3" the first after
            direction = "future" if rel in ("next", "this coming") else "past"
            for yy in (ctx.anchor.year, ctx.anchor.year + (-1 if direction == "past" else 1)):
                try:
                    d = date(yy, month, day)
                except ValueError:
                    continue
                if (direction == "past" and d < ctx.anchor) or (direction == "future" and d > ctx.anchor):
                    return d.isoformat(), "day", None
        v, _ = month_value(ctx, month, day, start, end)
        return v, "day", None

    return resolve


def day_candidate(
    start: int, end: int, y: int | None, month: int, day: int, wd: int | None = None, rel: str | None = None
) -> Candidate | None:
    """A day of a month, with or without its year; None when no such day exists."""
    if y is not None:
        try:
            d = date(y, month, day)
        except ValueError:
            return None
        return fixed_day(start, end, d, priority=5)
    if day > 31:
        return None
    res = month_day(month, day, start, end, wd, rel)
    extra: dict[str, int | str | None] = {"month": month, "day": day, "rel": rel}
    if wd is not None:
        extra["date_weekday"] = wd  # "Thursday, Jan. 6": the pair tells the year (publication-date inference)
    return Candidate(start, end, "DATE", res, priority=5, relative=True, extra=extra)


def deictic(offset: int, pod: str | None = None, mod: str | None = None) -> Resolver:
    """A day counted from the anchor ("yesterday", "hier", "أمس"), with its part of day if one is said."""
    return lambda ctx: _day_value(ctx.anchor, offset, pod, mod)


def anaphoric_day(offset: int, pod: str | None = None) -> Resolver:
    """A day counted from the day last mentioned ("the next day", "la veille"), else from the anchor."""
    return lambda ctx: _day_value(ctx.last_day or ctx.anchor, offset, pod, None)


def _day_value(base: date | None, offset: int, pod: str | None, mod: str | None) -> Resolved:
    """The day ``offset`` days from ``base``, at its part of day ``pod`` ("2020-06-04TNI") when one is said."""
    if base is None:
        return None, None, None
    d = base + timedelta(days=offset)
    return (f"{d.isoformat()}T{pod}" if pod else d.isoformat()), "day", mod


# ---------------------------------------------------------------- seasons and quarters


def season(s: str, y: int | None, rel: str | None = None, mod: str | None = None) -> Resolver:
    """A season, of ``y`` when given, else of the anchor's year moved by ``rel``.

    "next winter" said in June is this year's winter; "this past spring" the latest
    spring that has begun.
    """

    def resolve(ctx: Context) -> Resolved:
        if y is not None:
            return f"{y:04d}-{s}", "season", mod
        a = ctx.anchor
        if a is None:
            return f"XXXX-{s}", "season", mod
        year = a.year
        if rel == "last":
            year -= 1
        elif rel == "next":
            year += 1 if cal.SEASON_ORDER.index(s) <= cal.SEASON_ORDER.index(cal.season_of(a)) else 0
        elif rel == "this past":
            year = a.year if cal.SEASON_MONTH[s] <= a.month else a.year - 1
        return f"{year:04d}-{s}", "season", mod

    return resolve


def quarter_year(ctx: Context, n: int, start: int, end: int, code: str = "Q") -> int | None:
    """The year of quarter (or half, ``code`` H) ``n`` named without one; None without an anchor.

    The anchor's year, or the year before when that quarter is still to come and the
    text does not speak of the future (reports look back on finished quarters).
    """
    a = ctx.anchor
    if a is None:
        return None
    current = cal.quarter_of(a) if code == "Q" else (1 if a.month <= 6 else 2)
    if n > current and ctx.tense_of(start, end) != "future":
        return a.year - 1
    return a.year


def quarter(q: int, y: int | None, start: int, end: int) -> Resolver:
    """Quarter ``q`` of ``y``, or of the year ``quarter_year`` picks when none is given."""

    def resolve(ctx: Context) -> Resolved:
        year = y if y is not None else quarter_year(ctx, q, start, end)
        if year is None:
            return f"XXXX-Q{q}", "quarter", None
        return f"{year:04d}-Q{q}", "quarter", None

    return resolve


# ---------------------------------------------------------------- weeks, months, years around the anchor


def relative_unit(
    unit: str, offset: int, anaphoric: bool = False, mod: str | None = None, just_gone: bool = False
) -> Resolver:
    """The week, month, year... ``offset`` units from the anchor ("last week": W, -1).

    ``anaphoric`` counts from the year, month or day last mentioned instead ("the
    following year"); ``just_gone`` makes a weekend (WE) the one that has just ended.
    """

    def resolve(ctx: Context) -> Resolved:
        base = ctx.anchor
        if anaphoric:
            if unit == "Y" and ctx.last_year:
                return f"{ctx.last_year + offset:04d}", "year", mod
            if unit == "M" and ctx.last_month:
                d0 = date(ctx.last_month[0], ctx.last_month[1], 1)
                return cal.value_at(cal.shift(d0, "M", offset), "M"), "month", mod
            if unit in ("W", "WE", "D") and ctx.last_day:
                base = ctx.last_day
        if base is None:
            return None, None, None
        if unit == "WE":
            if just_gone:
                d = base - timedelta(days=(base.isoweekday() % 7) + 1)
            else:
                d = cal.shift(base, "W", offset)
            return f"{cal.iso_week(d)}-WE", "week", mod
        d = cal.shift(base, unit, offset)
        return cal.value_at(d, unit), cal.GRANULARITY[unit], mod

    return resolve


_DAYS_IN = {"Y": 365, "M": 30, "W": 7, "D": 1}


def ago(
    n: float | None,
    unit: str,
    sign: int,
    from_anchor: bool,
    mod: str | None = None,
    minutes: bool = False,
    quarter_back: bool = False,
) -> Resolver:
    """The date ``n`` units before (``sign`` -1) or after (+1) the anchor ("two weeks ago").

    When not ``from_anchor`` ("three days later") the count starts at the day last
    mentioned, or at the year last mentioned when no day was.
    No amount ("years ago") gives PAST_REF/FUTURE_REF; hours and minutes stay on the base
    day. ``quarter_back``: "a year ago" in a quarterly report is that quarter a year before.
    """

    def resolve(ctx: Context) -> Resolved:
        if n is None:
            return ("PAST_REF" if sign < 0 else "FUTURE_REF"), None, mod
        main = ctx.main_quarter() if quarter_back and unit == "Y" and n == 1 else None
        if main:
            return f"{main[0] - 1:04d}-Q{main[1]}", "quarter", mod
        base = ctx.anchor if from_anchor or not ctx.last_day else ctx.last_day
        if not from_anchor and unit == "Y" and ctx.last_year and not ctx.last_day:
            return f"{ctx.last_year + sign * int(n):04d}", "year", mod
        if base is None:
            return None, None, None
        if unit in ("H", "S") or minutes:
            return base.isoformat(), "day", mod
        if not float(n).is_integer():
            d = base + timedelta(days=sign * n * _DAYS_IN.get(unit, 1))
            return d.isoformat(), "day", mod
        d = cal.shift(base, unit, sign * int(n))
        g = unit if unit in ("Y", "M", "W", "D", "DE", "CE", "Q") else "D"
        return cal.value_at(d, g), cal.GRANULARITY.get(g, "day"), mod

    return resolve


# ---------------------------------------------------------------- clock times


def story_day(ctx: Context) -> date | None:
    """The day a clock time without a date falls on: the day last mentioned if in the week before the anchor."""
    base = ctx.anchor
    if base and ctx.last_day and 0 <= (base - ctx.last_day).days <= 7:
        return ctx.last_day
    return base


def clock_value(day: date | None, clock: str) -> Resolved:
    """``clock`` ("14:30") on ``day``, or on an unknown day."""
    if day is None:
        return f"XXXX-XX-XXT{clock}", "minute", None
    return f"{day.isoformat()}T{clock}", "minute", None


def clock(hhmm: str) -> Resolver:
    """A clock time with no day named: on the ``story_day``."""
    return lambda ctx: clock_value(story_day(ctx), hhmm)
