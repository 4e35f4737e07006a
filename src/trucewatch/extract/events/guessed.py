"""Event dates that would rest on a guessed publication day, and their removal.

A report with no date of its own gets one guessed from its text (``extract.time.infer``),
with a confidence. The guess still orders the report's own news (what is main), and its
year still places a yearless "June 3", but a date made from its day (the day itself, or
"on Wednesday" counted from it) would pass for one the report gave. On the ceasefire articles, an undated Arabic report of the second Berlin
conference got the day "December 2020" from "since December 2020": six months early, so
no other report of the conference could share its incident. Such an event stays undated,
and fusion places it in time through its story.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from trucewatch.extract.time.infer import CONFIDENT_DAY
from trucewatch.extract.time.model import Timex


#: A guess whose range is at most this many days dates the text's weekdays well enough: the
#: day "began on Monday" falls on is right or a week out, and the seeds, undated reports
#: whose weekdays date their talks, are read that way (seed 002: a range of 7 days).
NARROW_GUESS_DAYS = 7


def guessed_day(anchor: Mapping[str, Any]) -> str | None:
    """The day of an anchor (``Anchor.to_dict()``) inferred below :data:`CONFIDENT_DAY` and
    with no upper bound or a range wider than :data:`NARROW_GUESS_DAYS`, else None."""
    from datetime import date

    value = str(anchor.get("value") or "")
    if anchor.get("basis") != "inferred" or len(value) < 10:
        return None
    if float(anchor.get("confidence") or 0.0) >= CONFIDENT_DAY:
        return None
    low, high = str(anchor.get("low") or value)[:10], anchor.get("high")
    try:
        if high and (date.fromisoformat(str(high)[:10]) - date.fromisoformat(low)).days <= NARROW_GUESS_DAYS:
            return None
    except ValueError:
        pass
    return value[:10]


def counts_from_day(t: Timex, guess: str, lang: str | None) -> bool:
    """Whether ``t`` (resolved from ``guess``) would change with the day guessed, not only its
    year: "Wednesday" or "yesterday" do, "June 3" does not (a guessed year is far surer than a
    guessed day). Read by resolving the expression again from three days either side."""
    from datetime import date, timedelta

    from trucewatch.extract.time import tag_time

    day = date.fromisoformat(guess)
    values = set()
    for shift in (-3, 3):
        other = day + timedelta(days=shift)
        if other.year != day.year:
            other = day - timedelta(days=shift)  # stay in the guessed year
        found = tag_time(t.text, published=other.isoformat(), lang=lang or "en", infer=False).timexes
        values.add(found[0].value if len(found) == 1 else None)
    return len(values) != 1 or None in values


def undate_guesses(events: Sequence[dict[str, Any]], timexes: Sequence[Timex], guess: str,
                   lang: str | None = "en") -> None:
    """Clear the date of every event whose date is ``guess`` itself or counted from its day.

    An event dated by an expression of the text that needs no anchor ("23 June 2021"), or
    only the guessed year ("June 3"), keeps its date; one with no date evidence (the
    publication day filled in) or with an expression counted from the guessed day ("on
    Wednesday") loses it, with its ``event_date`` evidence.
    """
    from_guess = {(t.start, t.end) for t in timexes
                  if t.anchor and str(t.anchor)[:10] == guess and counts_from_day(t, guess, lang)}
    for ev in events:
        if not ev.get("event_date"):
            continue
        spans = [e for e in ev.get("evidence", []) if e.get("field") == "event_date"]
        if spans and not any((e["start"], e["end"]) in from_guess for e in spans):
            continue
        ev["event_date"] = ev["date_end"] = ev["time_precision"] = None
        ev["evidence"] = [e for e in ev.get("evidence", []) if e.get("field") != "event_date"]
