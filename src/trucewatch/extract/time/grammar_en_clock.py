"""English clock times: "at 3 p.m.", "05:30 GMT", "Tuesday morning at 10".

Rules of the English time grammar (see ``grammar_en``), in declaration order.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from trucewatch.extract.time import calendar as cal
from trucewatch.extract.time import resolvers as rs
from trucewatch.extract.time.grammar_en_words import DAYNUM, MONTH, MONTHS, WEEKDAY, WEEKDAYS, cap_ok, in_title
from trucewatch.extract.time.rules import Candidate, Context, Resolved, Rule, rule_decorator

#: This module's rules, in declaration order (``grammar_en.rules`` puts the modules in order).
RULES: list[Rule] = []
rule = rule_decorator(RULES, re.IGNORECASE)


_TZ = r"(?:GMT|UTC|Z|EST|EDT|CST|CDT|MST|MDT|PST|PDT|BST|CET|CEST|EET|EEST|IST|local\s+time|Moscow\s+time)"
_AMPM = r"(?:a\.m\.?|p\.m\.?|am\b|pm\b|a\.m|p\.m)"
# "midnight of February 24/25" (the night between two days, as Indian and Pakistani statements
# write it) is the midnight that begins the second: 00:00 on the 25th
_DAYREF = (rf"(?:(?P<dwd>{WEEKDAY})|(?P<ddx>today|yesterday|tomorrow|tonight)|(?P<dmon>{MONTH})\s+(?P<dd>{DAYNUM})"
           rf"(?:\s*[/-]\s*(?P<dd2>\d{{1,2}})(?!\d))?|(?P<dd1>\d{{1,2}})(?:\s*[/-]\s*(?P<dd12>\d{{1,2}}))?\s+(?P<dmon1>{MONTH}))")


@rule(
    "clock",
    rf"(?<![\w:.-])(?:(?P<lead>{WEEKDAY}|today|yesterday|tomorrow)(?:\s+at|,)?\s+)?(?:(?P<appr>around|about|at|approximately|shortly\s+after|shortly\s+before|just\s+after|just\s+before)\s+)?(?P<t>(?P<h>[01]?\d|2[0-3])(?::|\.(?=\d\d\s*{_AMPM}))(?P<mi>[0-5]\d)(?:\s*(?P<ap>{_AMPM}))?|(?P<h2>1[0-2]|0?[1-9])\s*(?P<ap2>{_AMPM})|(?P<mil>[01]\d|2[0-3])(?P<mil2>[0-5]\d)\s*(?:hrs|hours|h)?(?=\s*(?:{_TZ}|\(|{WEEKDAY}))|(?P<noon>noon|midnight|midday|mid-day))(?:\s*(?P<tz>{_TZ}))?(?:,?\s+(?:on\s+|of\s+)?{_DAYREF}(?:,?\s+(?P<dy>(?:19|20)\d\d)(?!\d))?)?",
)
def _clock(m: re.Match[str]) -> Candidate | None:
    if m["lead"] and not cap_ok(m["lead"]) and m["lead"].lower() not in ("today", "yesterday", "tomorrow"):
        return None
    if m["dwd"] and not cap_ok(m["dwd"]):
        return None
    if m["h"] is not None and not m["ap"] and not m["tz"] and not m["dwd"] and not m["ddx"] and not m["dmon"]:
        # "5:30" alone could be a score or a verse; keep when it reads like a clock time
        before = m.string[max(0, m.start() - 6) : m.start()].lower()
        if not re.search(r"(?:at|by|until|from|to|till)\s*$", before):
            return None
    if m["noon"] and not m["lead"] and in_title(m.string, m.start("noon"), m.end("noon")):
        return None  # "High Noon"
    if m["noon"]:
        h, mi = (24 if m["noon"].lower() == "midnight" else 12), 0
    elif m["mil"]:
        h, mi = int(m["mil"]), int(m["mil2"])
    elif m["h2"]:
        h, mi = int(m["h2"]), 0
        ap = m["ap2"].lower()
        if ap.startswith("p") and h < 12:
            h += 12
        if ap.startswith("a") and h == 12:
            h = 0
    else:
        h, mi = int(m["h"]), int(m["mi"])
        ap = (m["ap"] or "").lower()
        if ap.startswith("p") and h < 12:
            h += 12
        if ap.startswith("a") and h == 12:
            h = 0
    start = m.start("t") if not m["lead"] else m.start()
    if m["appr"] and not m["lead"]:
        start = m.start("t")
    lead = (m["lead"] or "").lower()
    trail_wd = m["dwd"]
    trail_dx = (m["ddx"] or "").lower()
    dmon, dd = (m["dmon"], m["dd"]) if m["dmon"] else (m["dmon1"], m["dd1"])
    second = m["dd2"] if m["dmon"] else m["dd12"]
    if h == 24 and second and int(second) == int(re.match(r"\d+", dd).group()) + 1:
        dd, h = second, 0  # the night of the 24th to the 25th: 00:00 on the 25th
    end = m.end()
    clock = f"{h:02d}:{mi:02d}" if h != 24 else "24"

    def res(ctx: Context) -> Resolved:
        base = ctx.anchor
        day = rs.story_day(ctx)  # "at 10:35 a.m." in a story about Friday is Friday's
        if h == 24 and day is not None and day == base and not (lead or trail_wd or trail_dx or dmon):
            if ctx.tense_of(start, end) == "past":  # "came into force at midnight": the one that began the day
                return rs.clock_value(day, "00:00")
        key = lead or trail_dx
        if key in ("today", "yesterday", "tomorrow", "tonight") and base:
            day = base + timedelta(days={"yesterday": -1, "tomorrow": 1}.get(key, 0))
        wdname = trail_wd or (m["lead"] if m["lead"] and lead not in ("today", "yesterday", "tomorrow") else None)
        if wdname and base:
            day = cal.weekday_near(base, WEEKDAYS[wdname.lower()], ctx.tense_of(start, end))
        if dmon and base:
            month, number = MONTHS[dmon.lower().rstrip(".")], int(re.match(r"\d+", dd).group())
            _, d = rs.month_value(ctx, month, number, start, end)
            day = d or day
        if dmon and m["dy"]:  # "at 6 p.m. on 19 April 2021": the year given
            try:
                day = date(int(m["dy"]), MONTHS[dmon.lower().rstrip(".")], int(re.match(r"\d+", dd).group()))
            except ValueError:
                pass
        return rs.clock_value(day, clock)

    return Candidate(start, end, "TIME", res, priority=5, relative=True)
