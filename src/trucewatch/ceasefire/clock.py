"""When an agreement takes effect and for how long, from the time expressions of a report.

Truces start at a local hour often given with its GMT equivalent ("at midnight local
time (2200 GMT on Saturday)"). A time stated in GMT/UTC is unambiguous, so it wins; it
is written in the country's own offset when the country has one time zone. A time
without a zone is taken as local time there. Durations ("a seven-day truce", "within
three months") come as ISO 8601 values from the time stage and are added to a date.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_UTC_WORDS = re.compile(r"(?<![A-Za-z])(?:GMT|UTC|Zulu)(?![A-Za-z])|\bgreenwich\b|توقيت غرينتش", re.I)
_TIME_VALUE = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2})(?::(\d{2}))?$")
_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$")


def _zone_table() -> str:
    for path in (Path("/usr/share/zoneinfo/zone.tab"),):
        if path.is_file():
            return path.read_text(encoding="utf-8")
    try:
        from importlib.resources import files

        return files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    except (ImportError, FileNotFoundError, ModuleNotFoundError):
        return ""


@lru_cache(maxsize=1)
def _zones_by_country() -> dict[str, list[str]]:
    zones: dict[str, list[str]] = {}
    for line in _zone_table().splitlines():
        if line and not line.startswith("#"):
            cells = line.split("\t")
            if len(cells) >= 3:
                zones.setdefault(cells[0], []).append(cells[2])
    return zones


def country_zone(iso2: str | None) -> ZoneInfo | None:
    """The time zone of a country that has only one; None otherwise (the hour stays in UTC)."""
    names = _zones_by_country().get(iso2 or "", [])
    if len(names) != 1:
        return None
    try:
        return ZoneInfo(names[0])
    except ZoneInfoNotFoundError:
        return None


def _moment(value: str) -> dt.datetime | None:
    match = _TIME_VALUE.match(value or "")
    if not match:
        return None
    day = dt.date.fromisoformat(match.group(1))
    hour, minute = int(match.group(2)), int(match.group(3) or 0)
    if hour == 24 and minute == 0:  # TIMEX3 "T24": the midnight that ends the day
        return dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
    if hour > 23 or minute > 59:
        return None
    return dt.datetime.combine(day, dt.time(hour, minute))


def effective_time(times: list[tuple[str, str]], iso2: str | None) -> tuple[str, int, bool] | None:
    """``(ISO date-time with offset, index, stated in UTC)`` of the moment the ``(text, TIMEX3
    value)`` pairs of a sentence give, preferring one stated in GMT/UTC; None when none is a
    clock time (or only a local one in a country with several zones)."""
    zone = country_zone(iso2)
    local_pick: tuple[str, int, bool] | None = None
    for index, (text, value) in enumerate(times):
        moment = _moment(value)
        if moment is None:
            continue
        if _UTC_WORDS.search(text):
            aware = moment.replace(tzinfo=dt.timezone.utc)
            return (aware.astimezone(zone) if zone else aware).isoformat(timespec="minutes"), index, True
        if local_pick is None and zone is not None:
            local_pick = moment.replace(tzinfo=zone).isoformat(timespec="minutes"), index, False
    return local_pick


def is_duration(value: str) -> bool:
    """A definite ISO 8601 duration (``P7D``, ``PT72H``; not ``PTXH``, "some hours")."""
    return bool(value) and value != "P" and value != "PT" and bool(_DURATION.match(value))


def add_duration(start: str, duration: str) -> str | None:
    """``start`` (a date or a date-time with offset) plus an ISO 8601 duration, at the same precision."""
    match = _DURATION.match(duration or "")
    if not match or not start:
        return None
    years, months, weeks, days, hours, minutes = (int(g) if g else 0 for g in match.groups())
    try:
        moment = dt.datetime.fromisoformat(start)
    except ValueError:
        return None
    month_index = moment.month - 1 + months + 12 * years
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30,
                           31, 31, 30, 31, 30, 31][month - 1])
    moment = moment.replace(year=year, month=month, day=day)
    moment += dt.timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes)
    if len(start) == 10:
        return moment.date().isoformat()
    return moment.isoformat(timespec="minutes")
