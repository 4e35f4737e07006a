"""How a document reports an event: as its news, as background, planned, denied or as a goal.

A ceasefire report is mostly background: the truce of last month, the offensive
since last year, the talks that were due last week. Coding that background as new
events is the classic error of automatic event data, so every trigger gets a status
from the words around it, and only the lede's real happenings count as ``main``.
"""

from __future__ import annotations

import re

STATUS_ORDER = ("main", "background", "planned", "negated", "hypothetical")

_NEGATED = re.compile(
    r"\b(?:did not|didn['’]t|has not|hasn['’]t|have not|haven['’]t|had not|was not|wasn['’]t|were not|weren['’]t"
    r"|no|never|denied(?: that)?|denies|failed to|refused to|without(?: any)?)\s+(?:\w+\s+){0,3}$", re.I)
_PLANNED_BEFORE = re.compile(
    r"\b(?:will|shall|is due to|are due to|was due to|were due to|scheduled|planned|plans? to|expected to"
    r"|supposed to|set to|to be held|upcoming|intends? to|would start|would begin|is to|are to)\s+(?:\w+\s+){0,3}$",
    re.I)
_PLANNED_AFTER = re.compile(
    r"^\W*(?:\w+\W+){0,12}?(?:postponed|delayed|put off|called off|rescheduled)\b"
    r"|^\W*(?:\w+\W+){0,2}?(?:is|are|was|were)\s+(?:due|scheduled|expected|set|supposed|planned)\s+to\b"
    r"|^\W*(?:\w+\W+){0,2}?(?:will|shall)\s+(?:be\s+held|start|begin|open|resume|take place)\b", re.I)
_GOAL = re.compile(
    r"\b(?:aims? (?:of|to|at)|aim of|with the aim|in order to|so as to|to reach|reaching|to achieve|to secure"
    r"|efforts? to|seeking|seek(?:s)? to|calls? (?:up)?on|calls? for|called for|urged|to define|to establish|to observe|to monitor"
    r"|towards?|for a|tasks are to|would|could|might|may|if|unless|threaten(?:ed|s)? to|lines to which)"
    r"\s+(?:[\w'’-]+\s+){0,8}$", re.I)
_BACKGROUND_BEFORE = re.compile(
    r"\b(?:after|amid|since|following|despite|during)\s+(?:(?:more than|nearly|about|over|\d+|\w+)\s+){0,3}"
    r"(?:(?:days|weeks|months|years)\s+of\s+)?(?:[\w'’-]+\s+){0,2}$", re.I)
_PLUPERFECT = re.compile(r"\bhad\s+(?:\w+\s+){0,2}$|\b(?:has|have) been\s+(?:\w+\s+){0,2}$", re.I)
# "The army said it had regained...": reported speech moves the tense back; it is still news.
_REPORTED_HAD = re.compile(
    r"\b(?:said|says|announced|told \w+|reported|claimed|confirmed|stated|added)\b[^.;]{0,60}\bhad\s+(?:\w+\s+){0,2}$",
    re.I)


def trigger_status(sentence: str, start: int, end: int) -> str:
    """The status the words around the trigger ``sentence[start:end]`` give it.

    ``main`` here only means "reported as a happening"; whether it is the document's
    news or background is decided later, from where and when it happened.
    """
    before = sentence[max(0, start - 90) : start]
    after = sentence[end : end + 120]
    if _NEGATED.search(before):
        return "negated"
    if _BACKGROUND_BEFORE.search(before):  # "after 10 months of clashes": the nearest words win
        return "background"
    if _GOAL.search(before):
        return "hypothetical"
    if _PLANNED_BEFORE.search(before) or _PLANNED_AFTER.search(after):
        return "planned"
    if _PLUPERFECT.search(before) and not _REPORTED_HAD.search(before):
        return "background"
    return "main"
