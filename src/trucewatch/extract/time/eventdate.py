"""Pick the time expression that dates an event, not the one that dates the report of it.

"The UN said Friday that talks began on June 3": the talks are dated by "June 3";
"Friday" dates the statement. News sentences routinely carry both, and an incident
record dated by its press release is wrong by days. For the events stage to use.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from trucewatch.extract.time.lexicon import alternation, load
from trucewatch.extract.time.model import Timex

ROLES = ("event", "start", "end", "statement")


@dataclass(frozen=True)
class EventDate:
    """The chosen expression, its role for the event and how sure the choice is.

    ``role``: ``event`` (the date of the happening), ``start`` ("since April 2019"),
    ``end`` ("until Friday"), or ``statement`` when the only date in the sentence is that
    of the report, used as a stand-in (the event happened on or before it).
    """

    timex: Timex
    role: str
    confidence: float


@lru_cache(maxsize=8)
def _patterns(lang: str) -> tuple[re.Pattern[str] | None, re.Pattern[str], re.Pattern[str]]:
    try:
        words = load(lang).get("reporting") or []
    except (FileNotFoundError, ValueError):  # no full lexicon (a grammar supplement only): English words
        words = []
    if not words and lang != "en":
        words = load("en").get("reporting") or []
    reporting = re.compile(rf"(?<!\w)(?:{alternation(words)})(?:\s+\w+){{0,2}}\s*,?\s*(?:on\s+|in\s+|le\s+|في\s+|يوم\s+)?$", re.I) if words else None
    # Spanish, Italian and Russian "since"/"until" too ("desde el", "dal", "до 18 апреля")
    start = re.compile(r"(?:since|from|starting|beginning|as\s+of|depuis|à\s+partir\s+d[eu']|منذ|ابتداء\s+من"
                       r"|desde|a\s+partir\s+de|dal|dall['’]|dalla|(?<!\w)с|начиная\s+с)\s*(?:the\s+|le\s+|la\s+|el\s+)?$", re.I)
    end = re.compile(r"(?:until|till|through|by|jusqu'(?:au|à|en)|حتى|hasta|fino\s+al?|(?<!\w)до)\s*(?:the\s+|le\s+|el\s+)?$", re.I)
    return reporting, start, end


def date_event(
    text: str,
    event: tuple[int, int],
    timexes: Sequence[Timex],
    sentence: tuple[int, int] | None = None,
    lang: str = "en",
) -> EventDate | None:
    """The expression in ``sentence`` (default: the whole text) that dates the event at ``event``.

    ``timexes`` are the tagger's expressions for ``text`` (spans into it); durations,
    sets and vague references ("recently") never date an event.
    """
    s_start, s_end = sentence if sentence else (0, len(text))
    reporting, since, until = _patterns(lang)
    found: list[tuple[float, Timex, str]] = []
    statements: list[Timex] = []
    for t in timexes:
        if t.start < s_start or t.end > s_end or t.type not in ("DATE", "TIME"):
            continue
        if not t.value or t.value.endswith("_REF"):
            continue
        before = text[max(s_start, t.start - 40) : t.start]
        if reporting is not None and reporting.search(before) and not _inside(t, event):
            statements.append(t)
            continue
        role = "start" if since.search(before) else "end" if until.search(before) else "event"
        distance = _distance(t, event)
        score = 1.0 / (1.0 + distance / 40.0)
        if _across_a_clause(text, t, event):
            # "returning on Tuesday, weeks after clashes between two militias on 2 February": a
            # date past a comma is another clause's, when one in the event's own clause is as near
            score *= CLAUSE_PENALTY
        if role != "event":
            score *= 0.9
        found.append((score, t, role))
    if found:
        found.sort(key=lambda f: -f[0])
        score, t, role = found[0]
        margin = score - (found[1][0] if len(found) > 1 else 0.0)
        return EventDate(t, role, round(min(0.95, 0.55 + 0.4 * margin), 2))
    if statements:
        nearest = min(statements, key=lambda t: _distance(t, event))
        return EventDate(nearest, "statement", 0.35)
    return None


def _inside(t: Timex, span: tuple[int, int]) -> bool:
    return t.start >= span[0] and t.end <= span[1]


#: How much a date loses when a clause break (comma, semicolon, dash, bracket) stands between
#: it and the event: enough to lose to a date of the event's own clause at the same distance;
#: a much nearer date still wins across the break (the fronted "On Tuesday, militias clashed").
CLAUSE_PENALTY = 0.75
_CLAUSE_BREAK = re.compile(r"[,;:()\u2013\u2014]")


def _across_a_clause(text: str, t: Timex, span: tuple[int, int]) -> bool:
    gap = text[t.end:span[0]] if t.end <= span[0] else text[span[1]:t.start] if t.start >= span[1] else ""
    return bool(_CLAUSE_BREAK.search(gap))


def _distance(t: Timex, span: tuple[int, int]) -> int:
    if t.end <= span[0]:
        return span[0] - t.end
    if t.start >= span[1]:
        return t.start - span[1]
    return 0
