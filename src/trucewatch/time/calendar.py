"""Calendar arithmetic in TIMEX3 terms: shifting an anchor by units, and writing values.

Kept apart from the grammar so that every language's rules resolve "last week" or
"the third quarter" the same way.
"""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

SEASON_ORDER = ("SP", "SU", "FA", "WI")
SEASON_MONTH = {"SP": 4, "SU": 7, "FA": 10, "WI": 1}


def iso_week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def quarter_of(d: date) -> int:
    return (d.month - 1) // 3 + 1


def season_of(d: date) -> str:
    m = d.month
    if m in (3, 4, 5):
        return "SP"
    if m in (6, 7, 8):
        return "SU"
    if m in (9, 10, 11):
        return "FA"
    return "WI"


def shift(anchor: date, unit: str, n: int) -> date:
    """``anchor`` moved ``n`` units (Y, Q, M, W, D, DE, CE) later (earlier when negative)."""
    if unit == "Y":
        return anchor + relativedelta(years=n)
    if unit == "DE":
        return anchor + relativedelta(years=10 * n)
    if unit == "CE":
        return anchor + relativedelta(years=100 * n)
    if unit == "Q":
        return anchor + relativedelta(months=3 * n)
    if unit == "M":
        return anchor + relativedelta(months=n)
    if unit == "W":
        return anchor + timedelta(weeks=n)
    if unit == "F":
        return anchor + timedelta(weeks=2 * n)
    return anchor + timedelta(days=n)


def value_at(d: date, unit: str) -> str:
    """The TIMEX3 value of the ``unit``-sized period containing ``d``."""
    if unit == "Y":
        return f"{d.year:04d}"
    if unit == "DE":
        return f"{d.year // 10:03d}"
    if unit == "CE":
        return f"{d.year // 100:02d}"
    if unit == "Q":
        return f"{d.year:04d}-Q{quarter_of(d)}"
    if unit == "H":
        return f"{d.year:04d}-H{1 if d.month <= 6 else 2}"
    if unit == "M":
        return f"{d.year:04d}-{d.month:02d}"
    if unit in ("W", "F"):
        return iso_week(d)
    return d.isoformat()


GRANULARITY = {
    "Y": "year",
    "DE": "decade",
    "CE": "century",
    "Q": "quarter",
    "H": "half",
    "M": "month",
    "W": "week",
    "F": "week",
    "D": "day",
}


def weekday_near(anchor: date, weekday: int, direction: str) -> date:
    """The ISO ``weekday`` (1=Monday) nearest ``anchor`` in ``direction``.

    ``future`` gives the first such day on or after the anchor, ``near`` whichever is
    closer; anything else the latest on or before it (news reports mostly look back).
    """
    back = (anchor.isoweekday() - weekday) % 7
    fwd = (weekday - anchor.isoweekday()) % 7
    if direction == "future":
        return anchor + timedelta(days=fwd)
    if direction == "near":
        return anchor - timedelta(days=back) if back <= fwd else anchor + timedelta(days=fwd)
    return anchor - timedelta(days=back)


def month_day_near(anchor: date, month: int, day: int | None, direction: str) -> date | None:
    """The year for a month (and day) given without one, chosen by tense around ``anchor``."""
    d = day or 1
    candidates = []
    # 29 February needs up to four years either way; other days one.
    span = 4 if (month, d) == (2, 29) else 1
    for y in range(anchor.year - span, anchor.year + span + 1):
        try:
            candidates.append(date(y, month, d))
        except ValueError:
            continue
    if not candidates:
        return None
    if day is None:
        # Compare months, not days: "in June" said on 20 June is this June.
        this = date(anchor.year, month, 1)
        cur = date(anchor.year, anchor.month, 1)
        if this == cur:
            return this
        past = this if this < cur else date(anchor.year - 1, month, 1)
        fut = this if this > cur else date(anchor.year + 1, month, 1)
        back = (cur.year - past.year) * 12 + cur.month - past.month
        ahead = (fut.year - cur.year) * 12 + fut.month - cur.month
        if direction == "future":
            return fut
        if direction == "past" and (back <= 6 or ahead > 2):
            return past
        # near, or a past month so far back that the writer would have said "last year"
        return past if back <= 2 * ahead else fut
    past_days = [c for c in candidates if c <= anchor]
    fut_days = [c for c in candidates if c >= anchor]
    p = max(past_days) if past_days else None
    f = min(fut_days) if fut_days else None
    if f is None or (direction == "past" and p is not None and ((anchor - p).days <= 180 or (f - anchor).days > 180)):
        return p
    if direction == "future" and p is not None and (anchor - p).days <= 14 and (f - anchor).days > 300:
        # "is set to take effect from March 18" written on 26 March: a date a year ahead would
        # have been given its year; the future tense is the plan as it was made.
        return p
    if direction == "future" or p is None:
        return f
    # near, a weak hint of the past, or a past date so far back that a writer would
    # have given its year: the closer one, the past preferred 2:1
    return p if (anchor - p).days <= 2 * (f - anchor).days + 7 else f
